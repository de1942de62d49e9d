import { fingerprint } from './fingerprint.js';

/**
 * Redaction: the one place every output passes through. A Redactor knows the secrets of one run
 * (collected from the evidence) and also catches anything shaped like a JWT that it was not told
 * about (a token echoed in a response body, say).
 */

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** Values shorter than this are redacted only where they stand whole (a header value), not inside text. */
const MIN_INLINE = 4;

export class Redactor {
  private readonly secrets: string[] = [];
  constructor(readonly enabled = true) {}

  add(secret: string | undefined): void {
    if (!secret) return;
    const s = secret.trim();
    if (s.length === 0 || this.secrets.includes(s)) return;
    this.secrets.push(s);
    // Longest first, so a token is replaced whole before any shorter secret inside it.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  has(secret: string): boolean {
    return this.secrets.includes(secret.trim());
  }

  /** Redacts every known secret, and anything JWT-shaped, inside a piece of text. */
  text(s: string): string {
    if (!this.enabled || !s) return s;
    if (this.secrets.includes(s.trim())) return s.replace(s.trim(), fingerprint(s.trim()));
    let out = s;
    for (const secret of this.secrets) {
      if (secret.length < MIN_INLINE) continue;
      if (out.includes(secret)) out = out.split(secret).join(fingerprint(secret));
    }
    return out.replace(JWT_SHAPE, (m) => fingerprint(m));
  }

  /** Redacts every string inside a plain JSON-like value, keys excepted. */
  deep<T>(value: T): T {
    if (!this.enabled) return value;
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.deep(v)) as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.deep(v);
      return out as T;
    }
    return value;
  }
}
