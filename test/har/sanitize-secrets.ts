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
} from '../../src/core/credential-rule.js';
import { parseAuthorization } from '../../src/parse/authorization.js';
import { parseBasic } from '../../src/parse/basic.js';

/**
 * Every secret value a HAR holds, found by the one credential rule (core/credential-rule.ts) and
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

export class Secrets {
  readonly values = new Set<string>();

  /** One secret value (quotes and whitespace around it off); a JWT gives its signature. */
  add(v: string, placeholderTest: (s: string) => boolean = isPlaceholder): void {
    const s = v
      .trim()
      .replace(/^"([\s\S]*)"$/, '$1')
      .trim();
    if (s === '' || placeholderTest(s)) return;
    const sigs = [...s.matchAll(JWT)].map((m) => m[1]!);
    if (sigs.length) {
      for (const sig of sigs) if (sig.length >= 8) this.values.add(sig);
      return;
    }
    this.values.add(s);
  }

  private authorization(value: string): void {
    const p = parseAuthorization(value);
    const creds = p.credentials.trim();
    if (creds === '' || isPlaceholder(creds)) return;
    if (p.scheme?.toLowerCase() === 'basic') {
      const b = parseBasic(creds);
      if (b.ok) {
        if (b.password !== '' && !isSyntacticPlaceholder(b.password)) {
          this.add(creds, () => false);
          this.add(b.password, isSyntacticPlaceholder);
          this.add(`${b.user}:${b.password}`, () => false);
        }
        return;
      }
    }
    // Auth-params (Digest, OAuth 1.0, AWS): the values whose names the rule calls secret.
    if (/^[A-Za-z0-9_-]+\s*=/.test(creds)) {
      for (const m of creds.matchAll(/([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)/g))
        if (['response', 'mac'].includes(m[1]!.toLowerCase()) || secretName(m[1]!, 'json') === 'secret')
          this.add(m[2]!.replace(/^"|"$/g, '').split('/')[0]!);
      return;
    }
    this.add(creds);
  }

  private cookie(name: string, value: string): void {
    if (isSecretCookie(name, value)) {
      this.add(value);
      this.add(decode(value.trim()));
    } else for (const c of urlCredentials(decode(value.trim()))) this.add(c);
  }

  headers(list: unknown): void {
    for (const h of items(list)) {
      const name = str(h.name);
      const value = str(h.value);
      if (value === '') continue;
      switch (headerRule(name)) {
        case 'authorization':
          this.authorization(value);
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
          this.add(value);
          break;
        default:
          for (const u of value.match(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>,]+/gi) ?? []) this.url(u);
      }
    }
  }

  cookies(list: unknown): void {
    for (const c of items(list)) this.cookie(str(c.name), str(c.value));
  }

  url(u: string): void {
    for (const c of urlCredentials(u)) this.add(c);
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
        this.add(value, test);
      else if (verdict === 'contextual' && contextualIsSecret(value, oauth)) this.add(value, test);
    }
  }

  /** A body: a form by its parameters, JSON by its keys. */
  body(text: string, mimeType: string): void {
    const t = text.trim();
    if (t === '') return;
    if (/x-www-form-urlencoded/i.test(mimeType) || /^[\w.%[\]-]+=[^\s]*$/.test(t)) {
      for (const p of credentialPairs(t))
        this.add(p.value, /pass|secret/i.test(p.name) ? isSyntacticPlaceholder : isPlaceholder);
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
        this.add(x, test);
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
    for (const m of JSON.stringify(e).matchAll(JWT)) if (m[1]!.length >= 8) this.values.add(m[1]!);
  }
}

/** Every secret value of a parsed HAR. */
export function secretsOf(har: unknown): string[] {
  const s = new Secrets();
  const log = isObj(har) && isObj(har.log) ? har.log : {};
  for (const e of Array.isArray(log.entries) ? log.entries : []) s.entry(e);
  return [...s.values];
}

/**
 * A word or a short value ("secret", "admin", "en"): it may stand in a file for other reasons (a
 * field name, prose), so it is looked for where values stand, not as any substring.
 */
export function isWordLike(s: string): boolean {
  return s.length < 8 || (/^[A-Za-z]+$/.test(s) && s.length < 12);
}

/** Where a secret would still be, in the text of a sanitized file; undefined when it is gone. */
export function whereLeft(text: string, secret: string): string | undefined {
  const spellings = new Set([
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    JSON.stringify(secret).slice(1, -1),
  ]);
  for (const sp of spellings) {
    if (!isWordLike(secret)) {
      const at = text.indexOf(sp);
      if (at >= 0) return text.slice(Math.max(0, at - 60), at + sp.length + 20);
      continue;
    }
    // A value standing whole: a JSON string (escaped too, in a body inside the HAR's JSON) that is
    // not a key, or after `=` or `:` up to a separator.
    const esc = sp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const q = '\\\\?"';
    const m = new RegExp(`(?:[=:]\\s*(?:${q})?|${q})${esc}(?=${q}|[;&\\s,]|$)(?!${q}\\s*:)`).exec(text);
    if (m) return text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 20);
  }
  return undefined;
}
