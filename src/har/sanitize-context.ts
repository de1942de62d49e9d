import { sha256Hex } from '../spec/sha256.js';
import { looksRandom, type SecretKind } from '../knowledge/credential-rule.js';

/**
 * What one sanitizing run knows: every secret it replaced and its stand-in (so the same secret
 * gets the same stand-in across the whole file, wherever it sits and however it is encoded), and
 * how many of each kind it found.
 *
 * Stand-ins say what they are (`why401-redacted-…`) and come in two forms:
 * - a generated secret (16 characters or more: tokens, cookies, keys, codes) becomes
 *   `why401-redacted-<sha256 hex>`, as long as the secret (so the shape stays plausible), whose
 *   first six hex digits are the very `sha256:xxxxxx` fingerprint why401's reports show, so a
 *   support person can match a sanitized file with a report of the live request;
 * - a short or human-chosen secret (passwords, PINs, short values) becomes
 *   `why401-redacted-<kind>-<n>`: a counter, because a hash of a low-entropy secret can be
 *   brute-forced from a dictionary.
 */

export const MARK = 'why401-redacted-';

/** The stamp on a shape-preserving stand-in (letters and digits only, so the shape survives). */
const SHAPE_MARK = 'why401redacted';

/** Our own stand-in (or a value we already shape-preserved): never replaced again, so sanitizing twice changes nothing. */
export function alreadySanitized(v: string): boolean {
  return v.includes(MARK) || v.includes('why401r');
}

/** Vendor prefixes that name the kind of key (live or test, personal or app) without being secret. */
const VENDOR_PREFIX =
  /^(?:(?:sk|pk|rk)_(?:live|test)_|whsec_|sk-(?:proj|svcacct|admin|ant-(?:api|admin)\d\d)-|sk-|gh[pousr]_|github_pat_|glpat-|gldt-|glrt-|glptt-|xox[abpers]-|xapp-|AKIA|ASIA|AIza|ya29\.|SG\.|shp(?:at|ss|ca|pa)_|npm_|pypi-|hf_|dop_v1_|sq0atp-|sq0csp-)/;

export function vendorPrefix(secret: string): string {
  return VENDOR_PREFIX.exec(secret)?.[0] ?? '';
}

/** `n` hex digits drawn from a seed (sha256 chained as far as needed). */
export function hexStream(seed: string, n: number): string {
  let h = sha256Hex(seed);
  let out = h;
  while (out.length < n) {
    h = sha256Hex(h);
    out += h;
  }
  return out.slice(0, n);
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A malformed value (bad base64 in a Basic header, a JWT signature with `+` or `=`) with every
 * letter and digit replaced and every other character left where it was: the defect that the
 * checks report survives, the secret does not. The longest run starts with `why401redacted` (as
 * much of it as fits) to mark it; a value whose runs are all shorter than 7 cannot carry the mark
 * and becomes a plain stand-in.
 */
export function shapeStandIn(value: string, seed: string): string {
  const hex = hexStream(seed, value.length * 2);
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    out += /[A-Za-z0-9]/.test(c) ? ALNUM[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % ALNUM.length] : c;
  }
  let best: RegExpExecArray | undefined;
  for (const m of out.matchAll(/[A-Za-z0-9]+/g)) if (!best || m[0].length > best[0].length) best = m;
  // Too short to carry the mark: the shape goes, the secret too.
  if (!best || best[0].length < 7) return MARK + hexStream(seed, 8);
  const stamp = SHAPE_MARK.slice(0, best[0].length);
  return out.slice(0, best.index) + stamp + out.slice(best.index + stamp.length);
}

export interface SanitizeOptions {
  /**
   * Mixed into every hash. Without it, stand-ins are the same in every file (two HARs sanitized
   * apart can still be compared) and match why401's report fingerprints; with it, nobody can test
   * a guessed token against the file.
   */
  salt?: string;
}

export interface SanitizeSummary {
  /** Distinct secrets replaced. */
  total: number;
  /** Distinct secrets by kind (the kind of the place each was first found). */
  byKind: Partial<Record<SecretKind, number>>;
  /** Places rewritten (one secret used in ten requests counts ten). */
  occurrences: number;
}

/** Inline replacement: a secret learned in one place is also removed from free text elsewhere. */
type Strength = 'strong' | 'weak';

/** Window of the rolling hash: the shortest secret found anywhere in text. */
const W = 8;
const BASE = 0x01000193;
/** BASE^(W-1), modulo 2^32. */
const TOP = (() => {
  let t = 1;
  for (let k = 1; k < W; k++) t = Math.imul(t, BASE);
  return t;
})();

const MASK = 0x3fffffff;

function hashAt(s: string, at: number): number {
  let h = 0;
  for (let k = 0; k < W; k++) h = (Math.imul(h, BASE) + s.charCodeAt(at + k)) & MASK;
  return h;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class SanitizeContext {
  private readonly standIns = new Map<string, string>();
  private readonly owners = new Map<string, string>();
  private readonly kinds = new Map<string, SecretKind>();
  private readonly perKind = new Map<SecretKind, number>();
  private readonly counters = new Map<string, number>();
  /** Secrets of 8 characters or more, found by a rolling hash of their first 8 (cost independent of how many). */
  private readonly anchors = new Map<number, Array<[string, string]>>();
  private readonly buckets = new Uint8Array(1 << 16);
  private readonly inlineShort = new Map<string, string>();
  private patternShort: RegExp | undefined;
  private dirty = false;
  private occurrences = 0;
  /** False while a first pass only learns the secrets of a file (nothing is counted twice). */
  counting = true;
  readonly salt: string;

  constructor(opts: SanitizeOptions = {}) {
    this.salt = opts.salt ?? '';
  }

  /** The stand-in a secret already has, if any. */
  known(secret: string): string | undefined {
    return this.standIns.get(secret);
  }

  /**
   * The stand-in of an opaque secret: the one it already has, or a new one. `kind` counts it and,
   * for passwords, chooses the counter form.
   */
  standIn(secret: string, kind: SecretKind, strength: Strength = 'strong'): string {
    return this.replace(secret, kind, () => this.make(secret, kind), strength);
  }

  /**
   * Records (once) that `secret` is replaced by what `produce` returns, and counts this use.
   * For JWTs and Basic credentials, whose replacement keeps part of the original.
   */
  replace(secret: string, kind: SecretKind, produce: () => string, strength: Strength = 'strong'): string {
    if (this.counting) this.occurrences++;
    const have = this.standIns.get(secret);
    if (have !== undefined) return have;
    let out = produce();
    const owner = this.owners.get(out);
    if (owner !== undefined && owner !== secret) {
      // Two secrets, one stand-in: keep them apart.
      let n = 2;
      while (this.owners.has(`${out}-${n}`)) n++;
      out = `${out}-${n}`;
    }
    this.standIns.set(secret, out);
    this.owners.set(out, secret);
    this.kinds.set(secret, kind);
    this.perKind.set(kind, (this.perKind.get(kind) ?? 0) + 1);
    this.learnInline(secret, out, strength);
    return out;
  }

  /** Another spelling of a secret already replaced (URL-encoded, base64 of user:password): removed from free text too. */
  alias(spelling: string, replacement: string, strength: Strength = 'strong'): void {
    if (spelling !== replacement) this.learnInline(spelling, replacement, strength);
  }

  private make(secret: string, kind: SecretKind): string {
    const prefix = vendorPrefix(secret);
    const rest = secret.length - prefix.length;
    if (kind === 'password' || kind === 'basic' || rest < 16 || !looksRandom(secret)) {
      const word = kind === 'basic' ? 'password' : kind;
      const n = (this.counters.get(word) ?? 0) + 1;
      this.counters.set(word, n);
      return `${MARK}${word}-${n}`;
    }
    const fill = Math.max(8, secret.length - prefix.length - MARK.length);
    return `${prefix}${MARK}${hexStream(this.salt + secret, fill)}`;
  }

  private learnInline(secret: string, replacement: string, strength: Strength): void {
    const s = secret;
    if (s.trim() !== s || alreadySanitized(s)) return;
    // Free text is everyone's: a short or word-like secret ("admin", "secret", a password that is
    // the word "password") would be replaced in prose, scripts, headers and the very field names
    // (`password=`) that merely use the word. Structured places replace it anyway.
    const mixed = /\d/.test(s) && /[A-Za-z]/.test(s);
    const word = /^[A-Za-z]+$/.test(s) && s.length < 12;
    const eligible =
      strength === 'strong'
        ? (s.length >= 8 && !word) || (s.length >= 6 && mixed)
        : s.length >= 10 && (mixed || s.length >= 16);
    if (!eligible) return;
    const variants: Array<[string, string]> = [[s, replacement]];
    const enc = (x: string) => encodeURIComponent(x);
    const form = (x: string) => enc(x).replace(/%20/g, '+');
    const json = (x: string) => JSON.stringify(x).slice(1, -1);
    variants.push([enc(s), enc(replacement)], [form(s), form(replacement)], [json(s), json(replacement)]);
    variants.push([json(s).replace(/\//g, '\\/'), json(replacement).replace(/\//g, '\\/')]);
    for (const [v, r] of variants) {
      if (v === r) continue;
      // A short secret ("hunter2") only where it stands as a word of its own.
      if (v.length < W) {
        if (!this.inlineShort.has(v)) {
          this.inlineShort.set(v, r);
          this.dirty = true;
        }
        continue;
      }
      const h = hashAt(v, 0);
      const list = this.anchors.get(h) ?? [];
      if (list.some(([x]) => x === v)) continue;
      list.push([v, r]);
      list.sort((a, b) => b[0].length - a[0].length);
      this.anchors.set(h, list);
      this.buckets[h & 0xffff] = 1;
    }
  }

  private compile(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const alt = [...this.inlineShort.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
    this.patternShort = alt ? new RegExp(`(?<![A-Za-z0-9])(?:${alt})(?![A-Za-z0-9])`, 'g') : undefined;
  }

  /**
   * Every secret learned so far, removed from a piece of free text (an HTML page that echoes a
   * token, a log line). JWTs and our own stand-ins are left alone: their parts are not secrets.
   */
  replaceKnown(text: string): string {
    this.compile();
    if (!text || (!this.anchors.size && !this.patternShort)) return text;
    const protectedParts =
      /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)*|why401-redacted-[A-Za-z0-9-]*/g;
    let out = '';
    let last = 0;
    for (const m of text.matchAll(protectedParts)) {
      out += this.replaceIn(text.slice(last, m.index)) + m[0];
      last = m.index + m[0].length;
    }
    return out + this.replaceIn(text.slice(last));
  }

  private replaceIn(s: string): string {
    let out = this.anchors.size ? this.replaceLong(s) : s;
    if (this.patternShort) {
      this.patternShort.lastIndex = 0;
      out = out.replace(this.patternShort, (m) => this.count(this.inlineShort.get(m) ?? m));
    }
    return out;
  }

  /** Rabin–Karp over the text: a hash of each 8-character window, checked against the secrets' first 8. */
  private replaceLong(s: string): string {
    const n = s.length;
    if (n < W) return s;
    let out = '';
    let last = 0;
    let h = hashAt(s, 0);
    for (let i = 0; ; i++) {
      if (i >= last && this.buckets[h & 0xffff] === 1) {
        const list = this.anchors.get(h);
        if (list)
          for (const [v, r] of list)
            if (s.startsWith(v, i)) {
              out += s.slice(last, i) + this.count(r);
              last = i + v.length;
              break;
            }
      }
      if (i + W >= n) break;
      // Kept to 30 bits: a small integer for V8, no heap number per character.
      h = (Math.imul(h - Math.imul(s.charCodeAt(i), TOP), BASE) + s.charCodeAt(i + W)) & MASK;
    }
    return last === 0 ? s : out + s.slice(last);
  }

  private count(r: string): string {
    if (this.counting) this.occurrences++;
    return r;
  }

  summary(): SanitizeSummary {
    const byKind: Partial<Record<SecretKind, number>> = {};
    for (const [k, n] of [...this.perKind].sort((a, b) => b[1] - a[1])) byKind[k] = n;
    return { total: this.standIns.size, byKind, occurrences: this.occurrences };
  }
}
