import {
  contextualIsSecret,
  credentialPairs,
  headerRule,
  isCredentialParam,
  isOAuthContext,
  isPlaceholder,
  isSecretCookie,
  isSyntacticPlaceholder,
  secretName,
  urlCredentials,
} from '../../src/knowledge/credential-rule.js';
import { parseAuthorization } from '../../src/parse/authorization.js';
import { parseBasic } from '../../src/parse/basic.js';

/**
 * Every secret value a HAR holds, found by the one credential rule (knowledge/credential-rule.ts) and
 * nothing of the sanitizer's: what `--sanitize` must leave nowhere. Read straight from the parsed
 * JSON, in any shape a producer writes (lists as arrays or IE11's single objects, entries without
 * a response). A JWT's secret is its signature: its header and claims are the diagnosis and stay.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A name/value list as a file writes it: an array, or one object. */
function items(list: unknown): Obj[] {
  if (Array.isArray(list)) return list.filter(isObj);
  return isObj(list) ? [list] : [];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function decode(s: string, plus = false): string {
  try {
    return decodeURIComponent(plus ? s.replace(/\+/g, ' ') : s);
  } catch {
    return s;
  }
}

const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)/g;

/** A secret and the names it was found under (a header, parameter, cookie or JSON key; `#basic`). */
export type Found = Map<string, Set<string>>;

export class Secrets {
  readonly found: Found = new Map();

  /** One secret value (quotes and whitespace around it off), found under `name`; a JWT gives its signature. */
  add(v: string, name: string, placeholderTest: (s: string) => boolean = isPlaceholder): void {
    const s = v
      .trim()
      .replace(/^"([\s\S]*)"$/, '$1')
      .trim();
    if (s === '' || placeholderTest(s)) return;
    const sigs = [...s.matchAll(JWT)].map((m) => m[1]!);
    if (sigs.length) {
      for (const sig of sigs) if (sig.length >= 8) this.note(sig, name);
      return;
    }
    this.note(s, name);
  }

  private note(s: string, name: string): void {
    const names = this.found.get(s) ?? new Set<string>();
    names.add(name.toLowerCase());
    this.found.set(s, names);
  }

  private authorization(name: string, value: string): void {
    const p = parseAuthorization(value);
    const creds = p.credentials.trim();
    if (creds === '' || isPlaceholder(creds)) return;
    if (p.scheme?.toLowerCase() === 'basic') {
      const b = parseBasic(creds);
      if (b.ok) {
        if (b.password !== '' && !isSyntacticPlaceholder(b.password)) {
          this.add(creds, name, () => false);
          this.add(b.password, '#basic', isSyntacticPlaceholder);
          this.add(`${b.user}:${b.password}`, '#basic', () => false);
        }
        return;
      }
    }
    // Auth-params (Digest, OAuth 1.0, AWS): the values whose names the rule calls secret.
    if (/^[A-Za-z0-9_-]+\s*=/.test(creds)) {
      for (const m of creds.matchAll(/([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)/g))
        if (['response', 'mac'].includes(m[1]!.toLowerCase()) || secretName(m[1]!, 'json') === 'secret')
          this.add(m[2]!.replace(/^"|"$/g, '').split('/')[0]!, name);
      return;
    }
    this.add(creds, name);
  }

  private cookie(name: string, value: string): void {
    if (isSecretCookie(name, value)) {
      this.add(value, name);
      this.add(decode(value.trim()), name);
    } else this.url(decode(value.trim()));
  }

  headers(list: unknown): void {
    for (const h of items(list)) {
      const name = str(h.name);
      const value = str(h.value);
      if (value === '') continue;
      switch (headerRule(name)) {
        case 'authorization':
          this.authorization(name, value);
          break;
        case 'cookie':
          for (const part of value.split(';')) {
            const eq = part.indexOf('=');
            this.cookie(eq < 0 ? '' : part.slice(0, eq).trim(), eq < 0 ? part : part.slice(eq + 1));
          }
          break;
        case 'set-cookie':
          for (const line of value.split('\n')) {
            const pair = line.split(';')[0]!;
            const eq = pair.indexOf('=');
            if (eq > 0) this.cookie(pair.slice(0, eq).trim(), pair.slice(eq + 1));
          }
          break;
        case 'credential':
          this.add(value, name);
          break;
        default:
          for (const u of value.match(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>,]+/gi) ?? []) this.url(u);
      }
    }
  }

  cookies(list: unknown): void {
    for (const c of items(list)) this.cookie(str(c.name), str(c.value));
  }

  /** A URL's userinfo password and credential query and fragment parameters, each under its name. */
  url(u: string): void {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^?#]*(?:\?([^#]*))?(?:#(.*))?$/is.exec(u.trim());
    if (!m) return;
    const inQuery = new Set<string>();
    for (const part of [m[1] ?? '', m[2] ?? ''])
      for (const p of credentialPairs(part)) {
        this.add(p.value, p.name);
        inQuery.add(p.value);
      }
    // What else the rule finds in it: the userinfo.
    for (const c of urlCredentials(u))
      if (!inQuery.has(c) && !inQuery.has(decode(c))) this.add(c, '#userinfo');
  }

  /** queryString / postData.params: judged together, as the rule judges a query. */
  params(list: unknown, where: 'query' | 'form'): void {
    const all = items(list).filter((p) => typeof p.name === 'string' && typeof p.value === 'string');
    const oauth = isOAuthContext(all.map((p) => decode(str(p.name), true)));
    for (const p of all) {
      const name = decode(str(p.name), true);
      const value = decode(str(p.value), true);
      const verdict = secretName(name, where);
      const test = /pass|secret/i.test(name) ? isSyntacticPlaceholder : isPlaceholder;
      if (where === 'query' ? isCredentialParam(name, value, oauth) : verdict === 'secret')
        this.add(value, name, test);
      else if (verdict === 'contextual' && contextualIsSecret(value, oauth)) this.add(value, name, test);
    }
  }

  /** A body: a form by its parameters, JSON by its keys. */
  body(text: string, mimeType: string): void {
    const t = text.trim();
    if (t === '') return;
    if (/x-www-form-urlencoded/i.test(mimeType) || /^[\w.%[\]-]+=[^\s]*$/.test(t)) {
      for (const p of credentialPairs(t))
        this.add(p.value, p.name, /pass|secret/i.test(p.name) ? isSyntacticPlaceholder : isPlaceholder);
      return;
    }
    if (!t.startsWith('{') && !t.startsWith('[')) return;
    let json: unknown;
    try {
      json = JSON.parse(t);
    } catch {
      return;
    }
    this.json(json, 0);
  }

  private json(v: unknown, depth: number): void {
    if (depth > 32) return;
    if (Array.isArray(v)) for (const x of v) this.json(x, depth + 1);
    if (!isObj(v)) return;
    const oauth = isOAuthContext(Object.keys(v));
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'string') {
        this.json(x, depth + 1);
        continue;
      }
      const verdict = secretName(k, 'json');
      const test = /pass|secret/i.test(k) ? isSyntacticPlaceholder : isPlaceholder;
      if (verdict === 'secret' || (verdict === 'contextual' && contextualIsSecret(x, oauth)))
        this.add(x, k, test);
    }
  }

  entry(e: unknown): void {
    if (!isObj(e)) return;
    const req = isObj(e.request) ? e.request : {};
    const res = isObj(e.response) ? e.response : {};
    this.url(str(req.url));
    this.headers(req.headers);
    this.cookies(req.cookies);
    this.params(req.queryString, 'query');
    const pd = isObj(req.postData) ? req.postData : {};
    this.params(pd.params, 'form');
    this.body(str(pd.text), str(pd.mimeType));
    this.headers(res.headers);
    this.cookies(res.cookies);
    this.url(str(res.redirectURL));
    const content = isObj(res.content) ? res.content : {};
    if (content.encoding !== 'base64') this.body(str(content.text), str(content.mimeType));
    // JWTs wherever they sit (a page, a comment, a vendor field): their signatures.
    for (const m of JSON.stringify(e).matchAll(JWT)) if (m[1]!.length >= 8) this.note(m[1]!, '#jwt');
  }
}

/** Every secret value of a parsed HAR, with the names it was found under. */
export function secretsOf(har: unknown): Found {
  const s = new Secrets();
  const log = isObj(har) && isObj(har.log) ? har.log : {};
  for (const e of Array.isArray(log.entries) ? log.entries : []) s.entry(e);
  return s.found;
}

/**
 * A word or a short value ("secret", "admin", "en"): it may stand in a file for other reasons (a
 * field name, prose), so it is looked for where values stand, not as any substring.
 */
export function isWordLike(s: string): boolean {
  return s.length < 8 || (/^[A-Za-z]+$/.test(s) && s.length < 12);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `user:password` of every Basic credentials in the text (the copy writes them base64). */
function basicPasswords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/Basic\s+([A-Za-z0-9+/]+=*)/g)) {
    const pair = Buffer.from(m[1]!, 'base64').toString('utf8');
    if (pair.includes(':')) out.push(pair.slice(pair.indexOf(':') + 1));
  }
  return out;
}

/**
 * Where a secret would still be, in the text of a sanitized file; undefined when it is gone. A
 * secret that is not a word is looked for everywhere, in every spelling (as is, percent-encoded,
 * form-encoded, JSON-escaped). A word or a short value is looked for where it stood, under the
 * names it was found under (`api_key=krux` must go; `ttd_pid=krux` is another parameter, and the
 * word may stay there), and as a Basic password.
 */
export function whereLeft(text: string, secret: string, names: Iterable<string> = []): string | undefined {
  const spellings = new Set([
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    JSON.stringify(secret).slice(1, -1),
  ]);
  const around = (at: number, len: number) => text.slice(Math.max(0, at - 60), at + len + 20);
  if (!isWordLike(secret)) {
    for (const sp of spellings) {
      const at = text.indexOf(sp);
      if (at >= 0) return around(at, sp.length);
    }
    return undefined;
  }
  if (basicPasswords(text).includes(secret)) return `Basic …:${secret}`;
  const q = '\\\\?"';
  for (const name of names) {
    if (name.startsWith('#')) continue;
    const n = `(?:${escape(name)}|${escape(encodeURIComponent(name))})`;
    for (const sp of spellings) {
      const v = escape(sp);
      const patterns = [
        // name=value: a query, a form, a cookie.
        `(?:^|[?&;#\\s"'])${n}=${v}(?=[&;#"'\\s,]|$)`,
        // "name": "value", in a body (escaped inside the HAR's JSON) or an echo.
        `${q}${n}${q}\\s*:\\s*${q}${v}${q}`,
        // A HAR list item or header: {"name":"name","value":"… value …"}.
        `"name":"${n}","value":"(?:[^"\\\\]|\\\\.)*?(?<![A-Za-z0-9])${v}(?![A-Za-z0-9])`,
      ];
      for (const p of patterns) {
        const m = new RegExp(p, 'i').exec(text);
        if (m) return around(m.index, m[0].length);
      }
    }
  }
  return undefined;
}
