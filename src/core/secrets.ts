import type { Evidence } from '../model/evidence.js';
import type { HeaderList } from '../model/http.js';
import { KNOWN_SCHEMES, parseAuthorization } from '../parse/authorization.js';
import { parseBasic } from '../parse/basic.js';
import {
  contextualIsSecret,
  credentialPairs,
  headerRule,
  isCredentialHeader,
  isOAuthContext,
  isPlaceholder,
  isSecretCookie,
  secretName,
  urlCredentials,
} from '../knowledge/credential-rule.js';
import type { Redactor } from './redact.js';

/**
 * What the outputs hide: every secret of the evidence, found by the one credential rule
 * (credential-rule.ts) wherever it sits — every header of every exchange, request and response,
 * by its name; every URL (userinfo, query, fragment), the URLs inside headers (Referer, Location,
 * Link…) included; form and JSON bodies by field name; the identity provider's exchanges. The
 * Redactor then finds each one in any spelling, and JWT-shaped text besides.
 */

/** Whatever learns secrets: a Redactor, or a plain collector. */
export type SecretSink = Pick<Redactor, 'add'>;

const QUOTES = /^["'“‘]|["'”’]$/g;

/** A whole credential value: quotes around it come off; a placeholder (`${TOKEN}`) is the header.placeholder finding, not a secret. */
export function addCredential(r: SecretSink, value: string): void {
  const t = value.trim();
  const v = t.replace(QUOTES, '').trim();
  if (v === '' || isPlaceholder(v)) return;
  r.add(v);
  if (v !== t) r.add(t);
}

/**
 * auth-params whose values prove the credential, besides names the rule calls secret (signature,
 * oauth_signature, oauth_token, Credential): Digest's `response` (RFC 7616 §3.4) and Hawk's `mac`.
 */
const PROOF_PARAMS = new Set(['response', 'mac']);

function addAuthParams(r: SecretSink, creds: string): void {
  for (const m of creds.matchAll(/([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)/g)) {
    const name = m[1]!.toLowerCase();
    const value = m[2]!.replace(/^"|"$/g, '');
    if (PROOF_PARAMS.has(name) || secretName(name, 'json') === 'secret') {
      addCredential(r, value);
      // AWS `Credential=AKIA…/20240101/us-east-1/s3/aws4_request`: the key id alone too.
      const keyId = /^([A-Za-z0-9]{12,128})\//.exec(value)?.[1];
      if (keyId) r.add(keyId);
    }
  }
}

/** An Authorization (or Proxy-Authorization, X-Amzn-Remapped-Authorization…) value. */
function addAuthorization(r: SecretSink, value: string): void {
  const p = parseAuthorization(value);
  const creds = p.credentials.trim();
  // `$(gcloud auth print-access-token)`: a command's text, whole, is a placeholder, and so is each of its words.
  if (!creds || isPlaceholder(creds)) return;
  addCredential(r, creds);
  // A doubled scheme ("Bearer Bearer x") hides the token one word further in.
  const last = creds.split(/\s+/).at(-1);
  if (last && last !== creds) addCredential(r, last);
  if (/^[A-Za-z0-9_-]+\s*=/.test(creds)) addAuthParams(r, creds);
  if (p.scheme?.toLowerCase() === 'basic') {
    const b = parseBasic(creds);
    if (b.ok) {
      addCredential(r, b.password);
      r.add(`${b.user}:${b.password}`);
    }
  }
}

/**
 * One cookie, judged by its name and value's shape (`isSecretCookie`): `lang=en-US` or
 * `homepage=http://www.cnn.com` is no secret, and learning it would fingerprint every URL or word
 * equal to it in the report. An address still gives up the credentials in its query.
 */
export function addCookie(r: SecretSink, name: string, value: string): void {
  if (isSecretCookie(name, value)) addCredential(r, value);
  else if (value.includes(':')) addFromUrl(r, safeDecode(value.trim()));
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

function addCookieValues(r: SecretSink, cookieHeader: string): void {
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq >= 0) addCookie(r, part.slice(0, eq).trim(), part.slice(eq + 1));
    else addCookie(r, '', part);
  }
}

/**
 * A header whose whole value is a credential (X-Vault-Token, DD-API-KEY, X-Hub-Signature-256…):
 * the value, the token after a scheme word (`Authentication: Bearer …`), and each part of a
 * signature written as `alg=value` (`sha256=…`, RFC 9421's `sig1=:…:`).
 */
function addCredentialHeader(r: SecretSink, value: string): void {
  addCredential(r, value);
  const p = parseAuthorization(value);
  if (p.scheme && KNOWN_SCHEMES.includes(p.scheme.toLowerCase())) addAuthorization(r, value);
  for (const part of value.split(/[\s,;"']+/)) {
    const eq = part.indexOf('=');
    const v = (eq > 0 ? part.slice(eq + 1) : part).replace(/^:|:$/g, '');
    if (v.length >= 8 && v !== value.trim()) addCredential(r, v);
  }
}

/** Headers that hold a URL (or several): their credential parameters are secrets like the request URL's. */
const URL_HEADERS = new Set([
  'referer',
  'location',
  'content-location',
  'link',
  'origin',
  'refresh',
  'x-original-url',
  'x-rewrite-url',
  'x-forwarded-uri',
  'x-original-uri',
]);

const ABSOLUTE_URL = /[a-z][a-z0-9+.-]*:\/\/[^\s<>"'`,]+/gi;

/** Every URL written inside some text (absolute ones anywhere, `<…>` references, a relative one standing whole), resolved against `base`. */
function urlsIn(text: string, base: string | undefined): string[] {
  const out: string[] = [];
  const add = (u: string) => {
    try {
      out.push(base ? new URL(u, base).href : u);
    } catch {
      out.push(u);
    }
    // As written too: resolving re-encodes some characters.
    out.push(u);
  };
  for (const m of text.matchAll(ABSOLUTE_URL)) add(m[0]);
  for (const m of text.matchAll(/<([^<>\s]+)>/g)) add(m[1]!);
  const refresh = /(?:^|;)\s*url\s*=\s*['"]?([^'"\s]+)/i.exec(text)?.[1];
  if (refresh) add(refresh);
  // A header that is one URL (Referer, Location): all of it, quotes and parentheses included.
  const whole = text.trim();
  if (!/\s/.test(whole) && (/^[/?#]/.test(whole) || /^[a-z][a-z0-9+.-]*:\/\//i.test(whole))) add(whole);
  return out;
}

export function addFromUrl(r: SecretSink, url: string | undefined): void {
  if (!url) return;
  for (const c of urlCredentials(url)) addCredential(r, c);
  // As a URL parser writes it back (a probe's record, `new URL(…).href`): `'` becomes `%27` in a
  // query, a space `%20`, while the rest of the value keeps the spelling it was given.
  let href: string | undefined;
  try {
    href = new URL(url).href;
  } catch {
    // not absolute: nothing to normalise
  }
  if (href && href !== url) for (const c of urlCredentials(href)) addCredential(r, c);
}

function addUrlsIn(r: SecretSink, text: string, base: string | undefined): void {
  for (const u of urlsIn(text, base)) addFromUrl(r, u);
}

/** Every header by the rule, request or response; `base` resolves a relative Location. */
export function addFromHeaders(r: SecretSink, headers: HeaderList, base?: string): void {
  for (const [name, value] of headers) {
    if (typeof value !== 'string' || value === '') continue;
    switch (headerRule(name)) {
      case 'authorization':
        addAuthorization(r, value);
        break;
      case 'cookie':
        addCookieValues(r, value);
        break;
      case 'set-cookie':
        // Some exporters join several Set-Cookie lines with newlines.
        for (const line of value.split('\n')) addCookieValues(r, line.split(';')[0] ?? '');
        break;
      case 'credential':
        addCredentialHeader(r, value);
        break;
      default:
        if (URL_HEADERS.has(name.trim().toLowerCase()) || value.includes('://')) addUrlsIn(r, value, base);
    }
  }
}

/** Fields of a JSON document whose names the rule calls secret (`code`, `state`, `key`… by context). */
function addJson(r: SecretSink, json: unknown, depth = 0): void {
  if (depth > 32 || !json || typeof json !== 'object') return;
  if (Array.isArray(json)) {
    for (const v of json) addJson(r, v, depth + 1);
    return;
  }
  const entries = Object.entries(json as Record<string, unknown>);
  const oauth = isOAuthContext(entries.map(([k]) => k));
  for (const [k, v] of entries) {
    if (typeof v !== 'string') {
      addJson(r, v, depth + 1);
      continue;
    }
    const verdict = secretName(k, 'json');
    if (verdict === 'secret' || (verdict === 'contextual' && contextualIsSecret(v, oauth)))
      addCredential(r, v);
    // Headers echoed as JSON (`{"headers": {"X-Vault-Token": …}}`, as httpbin answers): by the header rule.
    else if (k.includes('-') && isCredentialHeader(k)) addFromHeaders(r, [[k, v]]);
    else if (v.includes('://')) addUrlsIn(r, v, undefined);
  }
}

/** `"name": "value"` pairs in text that is not a whole JSON document (a body cut at the cap, a log line). */
function addJsonPairs(r: SecretSink, text: string): void {
  for (const m of text.matchAll(/"([^"\\]{1,64})"\s*:\s*"((?:[^"\\]|\\.){1,4096})"/g)) {
    const verdict = secretName(m[1]!, 'json');
    if (verdict !== 'secret') continue;
    let v = m[2]!;
    try {
      v = JSON.parse(`"${v}"`) as string;
    } catch {
      // kept as written
    }
    addCredential(r, v);
  }
}

/** A request or response body: JSON by field name, a form by parameter name, URLs inside it. */
export function addFromBody(r: SecretSink, body: string | undefined): void {
  if (!body) return;
  const t = body.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      addJson(r, JSON.parse(t));
      return;
    } catch {
      // Not whole JSON (cut at the body cap, or not JSON at all): its pairs, read one by one.
      addJsonPairs(r, t);
    }
  } else if (/^[^\s<>{}=&]+=/.test(t)) {
    for (const p of credentialPairs(t)) {
      addCredential(r, p.value);
      if (p.raw !== p.value) r.add(p.raw);
    }
  } else addJsonPairs(r, t);
  if (t.includes('://')) for (const m of t.matchAll(ABSOLUTE_URL)) addFromUrl(r, m[0]);
}

/** Teaches the redactor every secret the evidence holds, wherever it sits. */
export function collectSecrets(ev: Evidence, r: SecretSink): void {
  addFromHeaders(r, ev.request.headers, ev.request.url);
  // --proxy-header lines ("Name: value", a Proxy-Authorization among them) are headers too.
  const proxyHeaders: HeaderList = [];
  for (const line of ev.request.proxyHeaders ?? []) {
    const colon = line.indexOf(':');
    if (colon > 0) proxyHeaders.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  addFromHeaders(r, proxyHeaders, ev.request.url);
  addFromBody(r, ev.request.body);
  addFromUrl(r, ev.request.url);
  if (ev.request.proxy) addFromUrl(r, ev.request.proxy);
  if (ev.proxy) addFromUrl(r, ev.proxy.url);
  for (const c of ev.request.cookieJar ?? []) addCookie(r, c.name, c.value);
  // -U USER:PASSWORD and --aws-sigv4's key stay in the evidence under --offline (and in a saved
  // evidence file): the whole value and the password alone, as Basic credentials are taken.
  const proxyUser = ev.request.proxyUser;
  if (proxyUser) {
    r.add(proxyUser);
    if (proxyUser.includes(':')) r.add(proxyUser.slice(proxyUser.indexOf(':') + 1));
  }
  if (ev.request.awsSigv4) {
    r.add(ev.request.awsSigv4.secretAccessKey);
    r.add(ev.request.awsSigv4.sessionToken);
  }
  const idp = ev.idp;
  if (idp?.grant) {
    if (idp.grant.accessToken) r.add(idp.grant.accessToken);
    addFromUrl(r, idp.grant.tokenEndpoint);
  }
  for (const d of idp?.documents ?? []) {
    addFromUrl(r, d.url);
    addJson(r, d.json);
  }
  if (idp?.introspection) {
    addFromUrl(r, idp.introspection.url);
    addJson(r, idp.introspection.json);
  }
  if (idp?.verification) addFromUrl(r, idp.verification.jwksUrl);
  for (const x of ev.exchanges) {
    addFromHeaders(r, x.request.headers, x.request.url);
    addFromUrl(r, x.request.url);
    if (x.via) addFromUrl(r, x.via);
    if (x.response) {
      addFromHeaders(r, x.response.headers, x.request.url);
      addFromBody(r, x.response.body);
    }
  }
  // What the input said about itself (a header that could not be sent, an unknown flag's value):
  // structured secrets in those lines too.
  for (const w of ev.inputWarnings) addFromText(r, w);
}

/** A header line written in text: `-H 'X-Vault-Token : s.abc'` in a warning, `Authorization: Bearer …` in a log. */
const HEADER_IN_TEXT = /([!#$%&*+.^_`|~0-9A-Za-z-]+)[ \t]*:(?=[ \t]*([^'"\n]*))/g;
const PAIR_IN_TEXT = /([A-Za-z0-9_.[\]%-]+)=([^\s&'"<>;,]+)/g;

/**
 * Secrets written in a line of text that the input produced (a warning, an error message):
 * credential headers written `Name: value`, `name=value` pairs whose name is secret, and URLs.
 */
export function addFromText(r: SecretSink, text: string): void {
  for (const m of text.matchAll(HEADER_IN_TEXT)) {
    if (m[2]!.trim() !== '' && isCredentialHeader(m[1]!)) addFromHeaders(r, [[m[1]!, m[2]!.trim()]]);
  }
  const pairs = [...text.matchAll(PAIR_IN_TEXT)].map((m) => `${m[1]}=${m[2]}`).join('&');
  for (const p of credentialPairs(pairs)) {
    addCredential(r, p.value);
    if (p.raw !== p.value) r.add(p.raw);
  }
  addJsonPairs(r, text);
  addUrlsIn(r, text, undefined);
}
