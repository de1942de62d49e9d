/**
 * WWW-Authenticate / Proxy-Authenticate parsing, RFC 9110 §11.6.1 and §11.2 (auth-param,
 * token68, quoted-string with quoted-pair). Tolerant: returns what it could read plus the
 * problems it met, never throws.
 */
export interface Challenge {
  /** The scheme as the server wrote it (`Bearer`, `bearer`, `DPoP`). */
  scheme: string;
  /** Lower-cased scheme, for comparisons (schemes are case-insensitive). */
  schemeLower: string;
  /** auth-params with lower-cased names; for a repeated name the first value is kept. */
  params: Record<string, string>;
  token68?: string;
  /** The source text of this challenge. */
  raw: string;
}

export interface ChallengeParse {
  challenges: Challenge[];
  /** Human-readable problems, each naming where it was found ("header 1, column 14: unterminated quoted string"). */
  problems: string[];
}

// RFC 9110 §5.6.2: token = 1*tchar; §11.2: token68 characters (followed by any number of "=").
const T = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
const TCHAR = new RegExp(T);
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;
// An unterminated quote swallows the next parameter up to its own opening quote: `realm="a, error="x"`.
const SWALLOWED_PARAM = new RegExp(`,[ \\t]*${T}+[ \\t]*=`);
const ENDS_WITH_SWALLOWED_PARAM = new RegExp(`,[ \\t]*${T}+[ \\t]*=[ \\t]*$`);
// After a clean quoted value: a parameter, or a new challenge, that lacks its leading comma.
const MISSING_COMMA = new RegExp(`${T}+(?:[ \\t]*=|[ \\t]+${T}+[ \\t]*=|[ \\t]*(?:,|$))`, 'y');

export function parseWwwAuthenticate(values: string[]): ChallengeParse {
  const out: ChallengeParse = { challenges: [], problems: [] };
  // Each element is one header line (RFC 9110 §5.3 lets lines be joined with commas, but
  // keeping them apart gives better problem positions).
  (Array.isArray(values) ? values : []).forEach((v, n) => new LineParser(String(v), n + 1, out).run());
  return out;
}

/** Escape a character for a problem message so control characters stay visible. */
function show(c: string | undefined): string {
  return c === undefined ? 'end of header' : JSON.stringify(c);
}

function unescapeQuoted(content: string): string {
  return content.replace(/\\([\s\S])/g, '$1'); // RFC 9110 §5.6.4 quoted-pair
}

interface Open {
  c: Challenge;
  start: number;
  end: number;
}

class LineParser {
  private cur: Open | undefined;

  constructor(
    private readonly s: string,
    private readonly h: number,
    private readonly out: ChallengeParse,
  ) {}

  run(): void {
    const s = this.s;
    if (/^[ \t]*$/.test(s)) {
      this.out.problems.push(`header ${this.h}: empty value, no challenge`);
      return;
    }
    let i = 0;
    for (;;) {
      i = this.skip(i, /[ \t,]/); // RFC 9110 §5.6.1: empty list elements and OWS are ignored
      if (i >= s.length) break;
      const nameEnd = this.skip(i, TCHAR);
      if (nameEnd === i) {
        this.problem(i, `unexpected character ${show(s[i])}`);
        // Skip a stray quoted string as a whole; otherwise only the run of junk, so that what follows still parses.
        i = s[i] === '"' ? this.skipElement(i) : this.skip(i, /[^!#$%&'*+\-.^_`|~0-9A-Za-z",]/);
        continue;
      }
      const j = this.skip(nameEnd, /[ \t]/);
      if (s[j] === '=') {
        i = this.param(i, nameEnd, j);
        continue;
      }
      i = this.scheme(i, nameEnd, j);
    }
    this.finish();
  }

  /** A new challenge `scheme [ 1*SP ( token68 / #auth-param ) ]` (RFC 9110 §11.3). */
  private scheme(start: number, nameEnd: number, j: number): number {
    const s = this.s;
    if (j === nameEnd && j < s.length && s[j] !== ',') {
      this.problem(j, `unexpected character ${show(s[j])} after ${show(s.slice(start, nameEnd))}`);
      return this.skipElement(j);
    }
    this.finish();
    const scheme = s.slice(start, nameEnd);
    this.cur = { c: { scheme, schemeLower: scheme.toLowerCase(), params: {}, raw: '' }, start, end: nameEnd };
    if (j >= s.length || s[j] === ',') return j;

    const t68Chars = this.skip(j, TOKEN68_CHAR);
    const t68End = this.skip(t68Chars, /=/);
    const after = this.skip(t68End, /[ \t]/);
    if (t68Chars > j && (after >= s.length || s[after] === ',')) {
      this.cur.c.token68 = s.slice(j, t68End);
      this.cur.end = t68End;
      return after;
    }
    // Otherwise the first auth-param must follow; a bare word here would wrongly start a new challenge.
    const pEnd = this.skip(j, TCHAR);
    const eq = this.skip(pEnd, /[ \t]/);
    if (pEnd > j && s[eq] === '=') return this.param(j, pEnd, eq);
    this.problem(j, `unexpected text after the scheme ${show(scheme)}`);
    return this.skipElement(j);
  }

  /** `auth-param = token BWS "=" BWS ( token / quoted-string )` (RFC 9110 §11.2). Returns where to go on. */
  private param(start: number, nameEnd: number, eq: number): number {
    const s = this.s;
    const name = s.slice(start, nameEnd).toLowerCase();
    const cur = this.cur;
    // Problems about the name come first, so that they stay in column order.
    const duplicate = cur !== undefined && Object.hasOwn(cur.c.params, name);
    if (!cur) this.problem(start, `parameter ${show(name)} comes before any auth scheme`);
    else if (cur.c.token68 !== undefined) this.problem(start, `parameter ${show(name)} follows a token68`);
    if (duplicate) this.problem(start, `duplicate parameter ${show(name)}, the first value is kept`);

    const k = this.skip(eq + 1, /[ \t]/);
    const { value, end, next } = s[k] === '"' ? this.quoted(name, k) : this.token(name, k);
    if (cur) {
      // defineProperty so that a parameter named `__proto__` is stored like any other.
      if (!duplicate)
        Object.defineProperty(cur.c.params, name, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      cur.end = end;
    }
    return next;
  }

  private quoted(name: string, k: number): { value: string; end: number; next: number } {
    const s = this.s;
    let j = k + 1;
    while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    const closed = j < s.length;
    const content = s.slice(k + 1, Math.min(j, s.length));
    const after = closed ? this.skip(j + 1, /[ \t]/) : s.length;
    if (closed && (after >= s.length || s[after] === ','))
      return { value: unescapeQuoted(content), end: j + 1, next: after };
    if (!closed || ENDS_WITH_SWALLOWED_PARAM.test(content)) {
      this.problem(k, 'unterminated quoted string');
      const m = SWALLOWED_PARAM.exec(content);
      if (m) {
        // Best effort: the value ends where the next parameter starts; parse on from there.
        const comma = k + 1 + m.index;
        return {
          value: unescapeQuoted(content.slice(0, m.index).replace(/[ \t]+$/, '')),
          end: comma,
          next: comma,
        };
      }
      return { value: unescapeQuoted(content), end: s.length, next: s.length };
    }
    const value = unescapeQuoted(content);
    MISSING_COMMA.lastIndex = after;
    if (after > j + 1 && MISSING_COMMA.test(s)) {
      this.problem(after, `missing comma after the quoted value of ${show(name)}`);
      return { value, end: j + 1, next: after };
    }
    this.problem(after, `unexpected text after the quoted value of ${show(name)}`);
    // Best effort for unescaped inner quotes (`"The token "abc" expired"`): keep the text up to the next comma.
    const next = this.skipElement(after);
    const whole = s.slice(k + 1, next).replace(/[ \t]+$/, '');
    return { value: unescapeQuoted(whole.replace(/"$/, '')), end: k + 1 + whole.length, next };
  }

  private token(name: string, k: number): { value: string; end: number; next: number } {
    const s = this.s;
    const tEnd = this.skip(k, TCHAR);
    const after = this.skip(tEnd, /[ \t]/);
    if (after >= s.length || s[after] === ',') {
      if (tEnd === k) this.problem(k, `parameter ${show(name)} has no value`);
      return { value: s.slice(k, tEnd), end: tEnd, next: after };
    }
    // Best effort: keep the whole element as the value (`error_description=The token expired`),
    // so that its words do not turn into a bogus challenge.
    if (after > tEnd && tEnd > k) {
      this.problem(k, `unquoted value of ${show(name)} contains spaces; it must be a quoted string`);
    } else {
      this.problem(after, `unexpected character ${show(s[after])} in the value of ${show(name)}`);
    }
    const end = this.skipElement(after);
    const value = s.slice(k, end).replace(/[ \t]+$/, '');
    return { value, end: k + value.length, next: end };
  }

  /** Move past characters matching `re`. */
  private skip(i: number, re: RegExp): number {
    while (i < this.s.length && re.test(this.s[i] as string)) i++;
    return i;
  }

  /** Move to the next list separator outside a quoted string (recovery after a problem). */
  private skipElement(i: number): number {
    const s = this.s;
    while (i < s.length && s[i] !== ',') {
      if (s[i] !== '"') {
        i++;
        continue;
      }
      const open = i;
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
      if (i >= s.length) {
        this.problem(open, 'unterminated quoted string');
        return s.length;
      }
      i++;
    }
    return i;
  }

  private finish(): void {
    if (!this.cur) return;
    this.cur.c.raw = this.s.slice(this.cur.start, this.cur.end);
    this.out.challenges.push(this.cur.c);
    this.cur = undefined;
  }

  private problem(i: number, msg: string): void {
    this.out.problems.push(`header ${this.h}, column ${i + 1}: ${msg}`);
  }
}
