import type { Evidence } from '../model/evidence.js';
import type { HeaderList } from '../model/http.js';
import { API_KEY_HEADERS, API_KEY_PARAMS } from '../checks/facts.js';
import { parseAuthorization } from '../parse/authorization.js';
import { parseBasic } from '../parse/basic.js';
import type { Redactor } from './redact.js';

/** Form and JSON fields whose values are secrets (request bodies, token responses). */
const SECRET_FIELDS =
  /^(password|passwd|pwd|secret|client_secret|refresh_token|access_token|id_token|token|api_key|apikey|code|code_verifier|assertion|client_assertion|session|sessionid|otp|pin)$/i;

/**
 * An unexpanded placeholder is not a secret, and showing it is the whole point of the
 * header.placeholder diagnosis ("your header says ${TOKEN}").
 */
const PLACEHOLDER =
  /^(\$\{?\w+\}?|<[^<>]*>|\{\{[^{}]*\}\}|\{[^{}]*\}|\[[^[\]]*\]|%\w+%|undefined|null|none|nil|nan|\[object object\]|x{3,}|\*{3,}|your[_-]?\w*|changeme|token|bearer|basic)$/i;

function addCredential(r: Redactor, value: string): void {
  const v = value.trim().replace(/^["'“‘]|["'”’]$/g, '');
  if (!PLACEHOLDER.test(v)) r.add(v);
  if (v !== value.trim()) r.add(value.trim());
}

function addAuthorization(r: Redactor, value: string): void {
  const p = parseAuthorization(value);
  const creds = p.credentials.trim();
  if (!creds) return;
  addCredential(r, creds);
  // A doubled scheme ("Bearer Bearer x") hides the token one word further in.
  const last = creds.split(/\s+/).at(-1);
  if (last && last !== creds) addCredential(r, last);
  if (p.scheme?.toLowerCase() === 'basic') {
    const b = parseBasic(creds);
    if (b.ok) {
      r.add(b.password);
      r.add(`${b.user}:${b.password}`);
    }
  }
}

function addCookieValues(r: Redactor, cookieHeader: string): void {
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) addCredential(r, part.slice(eq + 1));
  }
}

function addFromHeaders(r: Redactor, headers: HeaderList): void {
  for (const [name, value] of headers) {
    const n = name.toLowerCase();
    if (n === 'authorization' || n === 'proxy-authorization') addAuthorization(r, value);
    else if (n === 'cookie') addCookieValues(r, value);
    else if (n === 'set-cookie') addCookieValues(r, value.split(';')[0] ?? '');
    else if (API_KEY_HEADERS.includes(n)) addCredential(r, value);
  }
}

function addFromBody(r: Redactor, body: string | undefined): void {
  if (!body) return;
  const t = body.trim();
  if (t.startsWith('{')) {
    try {
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
          for (const [k, x] of Object.entries(v)) {
            if (typeof x === 'string' && SECRET_FIELDS.test(k)) addCredential(r, x);
            else walk(x);
          }
        }
      };
      walk(JSON.parse(t));
      return;
    } catch {
      // Not JSON after all: try it as a form below.
    }
  }
  for (const [k, v] of new URLSearchParams(t)) if (SECRET_FIELDS.test(k) && v) addCredential(r, v);
}

function addFromUrl(r: Redactor, url: string): void {
  try {
    const u = new URL(url);
    if (u.password) r.add(decodeURIComponent(u.password));
    for (const [k, v] of u.searchParams)
      if (API_KEY_PARAMS.includes(k.toLowerCase()) || SECRET_FIELDS.test(k)) addCredential(r, v);
  } catch {
    // An unparsable URL carries nothing we can find by structure; the JWT pattern still applies.
  }
}

/** Teaches the redactor every secret the evidence holds, wherever it sits. */
export function collectSecrets(ev: Evidence, r: Redactor): void {
  addFromHeaders(r, ev.request.headers);
  addFromBody(r, ev.request.body);
  addFromUrl(r, ev.request.url);
  if (ev.request.proxy) addFromUrl(r, ev.request.proxy);
  if (ev.proxy) addFromUrl(r, ev.proxy.url);
  for (const c of ev.request.cookieJar ?? []) addCredential(r, c.value);
  if (ev.idp?.grant?.accessToken) r.add(ev.idp.grant.accessToken);
  for (const d of ev.idp?.documents ?? []) addFromUrl(r, d.url);
  for (const x of ev.exchanges) {
    addFromHeaders(r, x.request.headers);
    addFromUrl(r, x.request.url);
    if (x.response) {
      addFromHeaders(r, x.response.headers);
      addFromBody(r, x.response.body);
    }
  }
}
