import { fingerprint } from './fingerprint.js';

/**
 * Redaction: the one place every output passes through. A Redactor knows the secrets of one run
 * (collected from the evidence and the arguments by the credential rule) and also catches anything
 * shaped like a JWT that it was not told about (a token echoed in a response body, say).
 *
 * A secret is found in text however a URL or a form wrote it: as is, percent-encoded
 * (encodeURIComponent, or the form encoding of URLSearchParams with `+` for a space and `!'()*`
 * escaped too), with lower-case hex digits (RFC 3986 §2.1 makes `%2f` and `%2F` equal), decoded
 * when it was learned encoded, and JSON-escaped. Every spelling becomes the fingerprint of the
 * secret itself, so the same secret reads the same wherever it stood.
 */

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** Values shorter than this are redacted only where they stand whole (a header value), not inside text. */
const MIN_INLINE = 4;
/** Up to this many spellings, text is searched for each in turn; beyond, in one pass over an index. */
const FEW = 32;

const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

/**
 * The ways a URL or a form writes a value: encodeURIComponent (JavaScript), RFC 3986's strict
 * set (`!'()*` escaped too), the WHATWG form encoding of URLSearchParams (`+` for a space, `~`
 * escaped, `*` not: https://url.spec.whatwg.org/#application-x-www-form-urlencoded-percent-encode-set)
 * and Python's quote_plus (`+`, `*` escaped, `~` not).
 */
function encodings(s: string): string[] {
  const base = encodeURIComponent(s);
  const strict = base.replace(/[!'()*]/g, hex);
  return [base, strict, base.replace(/[!'()~]/g, hex).replace(/%20/g, '+'), strict.replace(/%20/g, '+')];
}

function lowerHex(s: string): string {
  return s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
}

function decode(s: string, plusIsSpace: boolean): string | undefined {
  if (!/%[0-9A-Fa-f]{2}/.test(s) && !(plusIsSpace && s.includes('+'))) return undefined;
  try {
    return decodeURIComponent(plusIsSpace ? s.replace(/\+/g, ' ') : s);
  } catch {
    return undefined;
  }
}

/** Every way a secret may be written in text that an output shows. */
export function spellings(secret: string): string[] {
  const out = new Set<string>([secret]);
  for (const enc of encodings(secret)) {
    out.add(enc);
    out.add(lowerHex(enc));
  }
  for (const d of [decode(secret, false), decode(secret, true)]) if (d) out.add(d);
  const json = JSON.stringify(secret).slice(1, -1);
  out.add(json);
  out.add(json.replace(/\//g, '\\/'));
  return [...out].filter((s) => s.trim() !== '');
}

/** A 16-bit hash of the MIN_INLINE characters at `at`. */
function hashAt(s: string, at: number): number {
  let h = 0;
  for (let k = 0; k < MIN_INLINE; k++) h = (Math.imul(h, 31) + s.charCodeAt(at + k)) | 0;
  return (h ^ (h >>> 16)) & 0xffff;
}

export class Redactor {
  /** The secrets as learned (trimmed). */
  private readonly secrets = new Set<string>();
  /** Each spelling long enough to be found inside text → the fingerprint it becomes. */
  private readonly inline = new Map<string, string>();
  /** Spellings by their first MIN_INLINE characters, longest first, and a bitmap of their hashes (built lazily). */
  private index: { index: Map<string, string[]>; seen: Uint8Array } | undefined;
  /** The same spellings longest first, when there are few. */
  private sorted: string[] | undefined;

  constructor(readonly enabled = true) {}

  add(secret: string | undefined): void {
    if (!secret) return;
    const s = secret.trim();
    if (s.length === 0 || this.secrets.has(s)) return;
    this.secrets.add(s);
    const fp = fingerprint(s);
    for (const v of spellings(s)) {
      if (v.length < MIN_INLINE || this.inline.has(v)) continue;
      this.inline.set(v, fp);
      this.index = undefined;
      this.sorted = undefined;
    }
  }

  has(secret: string): boolean {
    return this.secrets.has(secret.trim());
  }

  /** Every secret learned, as learned. */
  learned(): string[] {
    return [...this.secrets];
  }

  private buildIndex(): { index: Map<string, string[]>; seen: Uint8Array } {
    const index = new Map<string, string[]>();
    const seen = new Uint8Array(1 << 16);
    for (const v of this.inline.keys()) {
      const key = v.slice(0, MIN_INLINE);
      const l = index.get(key);
      if (l) l.push(v);
      else index.set(key, [v]);
      seen[hashAt(v, 0)] = 1;
    }
    // Longest first, so a token is replaced whole before any shorter secret inside it.
    for (const l of index.values()) l.sort((a, b) => b.length - a.length);
    return { index, seen };
  }

  /** Redacts every known secret (in each of its spellings), and anything JWT-shaped, inside a piece of text. */
  text(s: string): string {
    if (!this.enabled || !s) return s;
    const whole = s.trim();
    if (this.secrets.has(whole)) return s.replace(whole, fingerprint(whole));
    let out = s;
    if (this.inline.size > 0 && this.inline.size <= FEW) {
      // A few spellings (one request's secrets): the engine's own substring search, longest first.
      for (const v of (this.sorted ??= [...this.inline.keys()].sort((a, b) => b.length - a.length)))
        if (out.includes(v)) out = out.split(v).join(this.inline.get(v)!);
    } else if (this.inline.size > 0) {
      const { index, seen } = (this.index ??= this.buildIndex());
      let built = '';
      let last = 0;
      for (let i = 0; i + MIN_INLINE <= s.length;) {
        // A 16-bit hash of the next four characters screens out almost every position cheaply.
        const hit = seen[hashAt(s, i)]
          ? index.get(s.slice(i, i + MIN_INLINE))?.find((v) => s.startsWith(v, i))
          : undefined;
        if (hit) {
          built += s.slice(last, i) + this.inline.get(hit)!;
          i += hit.length;
          last = i;
        } else i++;
      }
      if (last > 0) out = built + s.slice(last);
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
