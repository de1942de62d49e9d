import { classify } from './placeholder.js';
import { KNOWN_SCHEMES } from '../parse/authorization.js';

/**
 * The one credential rule: which header names, query, fragment and form parameters, JSON keys
 * and HTML form fields carry secrets. Every output that may show a request (redaction, the HAR
 * sanitizer and diff, the echo server, warnings, the page) and every request why401 invents
 * (the anonymous probe, metadata, repairs) asks this module, so a name is secret everywhere or
 * nowhere. Pure and platform-neutral.
 */

/** Header names that carry API keys or tokens besides Authorization (lower case). */
export const API_KEY_HEADERS = [
  'x-api-key',
  'api-key',
  'apikey',
  'x-apikey',
  'x-auth-token',
  'x-access-token',
  'x-token',
  'private-token',
  'x-goog-api-key',
  'ocp-apim-subscription-key',
  'x-functions-key',
  'x-amz-security-token',
];
/** Query parameters that carry keys or tokens (lower case). */
export const API_KEY_PARAMS = [
  'api_key',
  'apikey',
  'api-key',
  'key',
  'access_token',
  'token',
  'auth',
  'sig',
  'code',
];

/** What a value is, for the sanitizer's summary ("3 cookie, 2 jwt"). */
export type SecretKind =
  | 'jwt'
  | 'token'
  | 'basic'
  | 'password'
  | 'cookie'
  | 'api-key'
  | 'client-secret'
  | 'code'
  | 'state'
  | 'signature'
  | 'session'
  | 'secret';

/** `access_token`, `Access-Token`, `accessToken` → `accesstoken`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Secret whatever the context (normalized names). */
const ALWAYS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'clientsecret',
  'appsecret',
  'apisecret',
  'consumersecret',
  'secretkey',
  'secretaccesskey',
  'privatekey',
  'accesskeyid',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'authtoken',
  'sessiontoken',
  'securitytoken',
  'jwt',
  'apikey',
  'xapikey',
  'subscriptionkey',
  'codeverifier',
  'assertion',
  'clientassertion',
  'subjecttoken',
  'actortoken',
  'devicecode',
  'usercode',
  'otp',
  'totp',
  'mfacode',
  'pin',
  'pincode',
  'sessionid',
  'sessid',
  'jsessionid',
  'phpsessid',
  'aspsessionid',
  'csrf',
  'xsrf',
  'csrfmiddlewaretoken',
  'ticket',
  'samlresponse',
  'oauthtoken',
  'oauthverifier',
  'oauthsignature',
  'oauthconsumerkey',
  'signature',
  'sig',
  'xamzsignature',
  'xamzsecuritytoken',
  'xgoogsignature',
  'credential',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'recoverycode',
  'backupcode',
  'authorizationcode',
  'authcode',
  'verificationcode',
]);

/** Secret only with an OAuth context beside it, or when the value itself looks random. */
const CONTEXTUAL = new Set(['code', 'state', 'relaystate', 'sessionstate', 'key', 'auth', 'session', 'sid']);

/** Names that end like a secret but are not one. */
const NOT_SECRET = new Set([
  'tokentype',
  'tokentypehint',
  'tokenendpoint',
  'tokenurl',
  'tokenendpointauthmethod',
  'passwordpolicy',
  'passwordhint',
  'csrfheadername',
  'xsrfheadername',
  'csrfparam',
  'keyid',
  'secretname',
  // fetch(url, { credentials: 'include' }); AWS STS's "Credentials" is an object whose fields are judged one by one.
  'credentials',
]);

const SECRET_ENDINGS = [
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'apikey',
  'sessionid',
  'privatekey',
  'secretkey',
  'accesskey',
  'credential',
  'assertion',
  'verifier',
  'signature',
  'csrf',
  'xsrf',
  'otp',
];

export type NameVerdict = 'secret' | 'contextual' | 'no';

/**
 * Whether a parameter or field name holds a secret. `where` matters for a few generic names:
 * `key` is Google's API-key query parameter, but in JSON it is any key.
 */
export function secretName(name: string, where: 'query' | 'form' | 'json' | 'html'): NameVerdict {
  // Big bodies repeat the same few names thousands of times.
  const memo = verdicts[where];
  const hit = memo.get(name);
  if (hit !== undefined) return hit;
  const v = judgeName(name, where);
  if (memo.size > 20_000) memo.clear();
  memo.set(name, v);
  return v;
}

const verdicts: Record<'query' | 'form' | 'json' | 'html', Map<string, NameVerdict>> = {
  query: new Map(),
  form: new Map(),
  json: new Map(),
  html: new Map(),
};

function judgeName(name: string, where: 'query' | 'form' | 'json' | 'html'): NameVerdict {
  const raw = name.toLowerCase();
  if (where === 'query' && API_KEY_PARAMS.includes(raw) && raw !== 'code') return 'secret';
  // Rails and PHP nest fields: user[password], login[token].
  const last = /\[([^[\]]*)\]$/.exec(raw)?.[1] ?? raw;
  const n = normalizeName(last);
  if (n === '' || NOT_SECRET.has(n)) return 'no';
  if (CONTEXTUAL.has(n)) return 'contextual';
  if (ALWAYS.has(n)) return 'secret';
  if (n.includes('password') || n.includes('passwd')) return 'secret';
  if (SECRET_ENDINGS.some((e) => n.endsWith(e))) return 'secret';
  // Lists: "tokens", "apiKeys", "secrets".
  if (n.length > 4 && n.endsWith('s') && judgeName(last.slice(0, -1), where) === 'secret') return 'secret';
  return 'no';
}

/** Parameters whose presence beside `code` or `state` says this is an OAuth / OIDC exchange. */
const OAUTH_MARKERS = new Set([
  'code',
  'state',
  'clientid',
  'redirecturi',
  'responsetype',
  'granttype',
  'sessionstate',
  'idtoken',
  'accesstoken',
  'codechallenge',
  'codeverifier',
  'scope',
  'iss',
  'responsemode',
  'error',
  'samlresponse',
  'samlrequest',
]);

/** Two or more OAuth parameter names together (a redirect, a token request, a form_post page). */
export function isOAuthContext(names: Iterable<string>): boolean {
  let n = 0;
  for (const name of names) if (OAUTH_MARKERS.has(normalizeName(name))) n++;
  return n >= 2;
}

/** A value that reads like a generated secret rather than a word, a number or an error code. */
export function looksRandom(v: string): boolean {
  const s = v.trim();
  if (s.length < 12) return false;
  if (/^[a-z]+(?:[_.-][a-z]+)*$/i.test(s)) return false; // invalid_grant, access.denied
  if (/^\d+$/.test(s)) return s.length >= 16;
  if (/^[A-Z]+\d+$/.test(s)) return false; // AADSTS50013
  if (s.length >= 20) return true;
  return /\d/.test(s) && /[A-Za-z]/.test(s);
}

/**
 * Whether a `code`, `state`, `key`… value is to be replaced: always inside an OAuth exchange,
 * otherwise only when it looks generated.
 */
export function contextualIsSecret(value: string, oauth: boolean): boolean {
  return oauth || looksRandom(value);
}

/** Request or response headers whose value is (or holds) a credential. */
export type HeaderRule = 'authorization' | 'cookie' | 'set-cookie' | 'credential' | 'no';

const EXTRA_CREDENTIAL_HEADERS = new Set([
  'dpop',
  'x-csrf-token',
  'x-xsrf-token',
  'x-csrftoken',
  'csrf-token',
  'x-refresh-token',
  'x-id-token',
  'x-session-token',
  'x-session-id',
  'x-goog-iap-jwt-assertion',
  'cf-access-jwt-assertion',
  'cf-access-token',
  'cf-access-client-secret',
  'x-forwarded-access-token',
  'x-auth-request-access-token',
  'x-ms-token-aad-access-token',
  'x-ms-token-aad-id-token',
  'x-ms-token-aad-refresh-token',
  'x-vault-token',
  'x-shopify-access-token',
  'x-figma-token',
  'x-postmark-server-token',
]);

const CREDENTIAL_HEADER =
  /(?:^|[-_])(?:token|secret|api[-_]?key|apikey|password|passwd|jwt|assertion|session(?:[-_]?(?:id|token))?|credentials?|csrf|xsrf)(?:[-_]|$)/;
const NOT_CREDENTIAL_HEADER = /expire|type|ttl|count|length|remaining|limit|name|policy|allow|max-age/;

/**
 * `*-key`: the vendor key headers that end in "key": Datadog's DD-API-KEY and DD-APPLICATION-KEY
 * (https://docs.datadoghq.com/api/latest/authentication/), Azure Functions' x-functions-key
 * (https://learn.microsoft.com/azure/azure-functions/function-keys-how-to), Cloudflare's X-Auth-Key
 * (https://developers.cloudflare.com/fundamentals/api/get-started/keys/), S3's SSE-C
 * x-amz-server-side-encryption-customer-key. At least one segment before it: a bare `Key` is the
 * cache-key header of draft-ietf-httpbis-key.
 */
const KEY_HEADER = /^[a-z0-9]+(?:[-_][a-z0-9]+)*[-_]key$/;
/**
 * …but not these, which end in "key" and hold no secret: Idempotency-Key is a client-chosen id for
 * a retried request (draft-ietf-httpapi-idempotency-key-header), Sec-WebSocket-Key a nonce (RFC
 * 6455 §11.3.1), X-Cache-Key the cache's own key (Akamai and Fastly debug headers), and public keys.
 */
const NOT_KEY_HEADER = /(?:^|[-_])(?:idempotency|cache|public|partition|routing|sort)[-_]key$/;

/**
 * `*-signature`: a signature proves the sender holds a secret and replays the request it signs:
 * GitHub's X-Hub-Signature-256 (https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries),
 * Stripe-Signature, X-Slack-Signature, X-Twilio-Signature, Discord's X-Signature-Ed25519, PayPal's
 * Paypal-Transmission-Sig, Shopify's X-Shopify-Hmac-Sha256, and RFC 9421's own `Signature` (§4.2).
 * The segments after it may only name the algorithm: RFC 9421's Signature-Input (§4.1) lists what
 * was signed, and Discord's X-Signature-Timestamp is a time; neither is secret.
 */
const SIGNATURE_HEADER = /(?:^|[-_])(?:signature|sig|hmac)((?:[-_][a-z0-9]+)*)$/;
const ALGORITHM_SEGMENTS = /^(?:[-_](?:\d+|sha\d*|ed25519|v\d+|hmac|sha256|sha1|sha512))*$/;

/**
 * `*-auth*`: a segment `auth` (X-Auth, X-Auth-Key, Auth-Token, X-Forwarded-Auth) or a header
 * named Authentication, a frequent misspelling of Authorization that some servers read (Cacti
 * behind oauth2_proxy: https://github.com/bitly/oauth2_proxy/issues/658; issue 13 found it
 * printed in full).
 */
const AUTH_SEGMENT = /(?:^|[-_])(?:auth|authn|authentication)(?:[-_]|$)/;
/**
 * …but not identity headers an authenticating proxy adds after it has checked the credentials:
 * oauth2-proxy's X-Auth-Request-User, -Email, -Groups, -Preferred-Username and -Redirect
 * (https://oauth2-proxy.github.io/oauth2-proxy/configuration/overview#header-options), Cloudflare's
 * X-Auth-Email, and the standard challenge and info headers (RFC 9110 §11.6, RFC 7615).
 */
const AUTH_IDENTITY =
  /[-_](?:user|username|user[-_]id|userid|email|groups?|roles?|preferred[-_]username|redirect|name|login|subject|tenant|status|method|scheme|realm|provider|info|url|uri)$/;

export function headerRule(name: string): HeaderRule {
  const hit = rules.get(name);
  if (hit !== undefined) return hit;
  const r = judgeHeader(name);
  if (rules.size > 20_000) rules.clear();
  rules.set(name, r);
  return r;
}

const rules = new Map<string, HeaderRule>();

function judgeHeader(name: string): HeaderRule {
  const n = name.trim().toLowerCase();
  if (n === 'cookie') return 'cookie';
  if (n === 'set-cookie' || n === 'set-cookie2') return 'set-cookie';
  // x-amzn-remapped-authorization carries the client's own Authorization back.
  if (n.includes('authorization')) return 'authorization';
  if (API_KEY_HEADERS.includes(n) || EXTRA_CREDENTIAL_HEADERS.has(n)) return 'credential';
  if (n.startsWith('access-control-') || n.startsWith('sec-websocket-')) return 'no';
  if (CREDENTIAL_HEADER.test(n) && !NOT_CREDENTIAL_HEADER.test(n)) return 'credential';
  if (KEY_HEADER.test(n) && !NOT_KEY_HEADER.test(n)) return 'credential';
  const sig = SIGNATURE_HEADER.exec(n);
  if (sig && ALGORITHM_SEGMENTS.test(sig[1] ?? '')) return 'credential';
  if (AUTH_SEGMENT.test(n) && !AUTH_IDENTITY.test(n) && !NOT_CREDENTIAL_HEADER.test(n)) return 'credential';
  return 'no';
}

/** The kind a secret found under a name is counted as. */
export function kindForName(name: string): SecretKind {
  const n = normalizeName(name);
  if (n.includes('password') || n.includes('passwd') || n === 'pwd' || n === 'pass' || n === 'passphrase')
    return 'password';
  if (n === 'code' || n.endsWith('code')) return 'code';
  if (n === 'state' || n === 'relaystate' || n === 'sessionstate') return 'state';
  if (n.includes('secret')) return 'client-secret';
  if (n.includes('apikey') || n === 'key' || n.endsWith('subscriptionkey') || n.endsWith('accesskeyid'))
    return 'api-key';
  if (n.includes('session') || n === 'sid' || n.endsWith('sessid')) return 'session';
  if (n.includes('signature') || n === 'sig') return 'signature';
  if (n.includes('token') || n === 'jwt' || n.includes('assertion')) return 'token';
  return 'secret';
}

/**
 * Not a secret: an unexpanded variable, a documentation placeholder, a masked copy (the
 * header.placeholder check must still see it), a bare scheme word, or an exporter's "[redacted]".
 */
export function isPlaceholder(v: string): boolean {
  const s = v.trim().replace(/^["'“‘]|["'”’]$/g, '');
  if (s === '') return true;
  // A scheme word alone (`Authorization: 'Bearer ' + token` in a script) is not a secret either.
  if (KNOWN_SCHEMES.includes(s.toLowerCase())) return true;
  if (/^\[?redacted\]?$|^\[[^\]]* redacted\]$/i.test(s)) return true;
  return classify(s) !== undefined;
}

/** Whether a header's value is (or holds) a credential, by the rule above. */
export function isCredentialHeader(name: string): boolean {
  return headerRule(name) !== 'no';
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * Whether a query or fragment parameter carries a credential, judged on its percent-decoded
 * name (`api%5Fkey` is `api_key`). `code`, `state`, `key`… count inside an OAuth exchange or
 * when the value looks generated.
 */
export function isCredentialParam(name: string, value: string, oauthContext: boolean): boolean {
  const verdict = secretName(decodeName(name), 'query');
  if (verdict === 'secret') return value.trim() !== '' && !isPlaceholder(value);
  if (verdict === 'contextual') return value.trim() !== '' && contextualIsSecret(value, oauthContext);
  return false;
}

/** One `name=value` of a query, fragment or form text, as written and decoded. */
export interface CredentialPair {
  /** The name, decoded. */
  name: string;
  /** The value as written (percent escapes, `+` for a space). */
  raw: string;
  /** The value decoded. */
  value: string;
}

function splitPairs(text: string): Array<{ pair: string; name: string; raw: string; value: string }> {
  const out: Array<{ pair: string; name: string; raw: string; value: string }> = [];
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    out.push({ pair, name: decodeName(eq < 0 ? pair : pair.slice(0, eq)), raw, value: decodeName(raw) });
  }
  return out;
}

/**
 * The credential parameters of a query, a fragment or a form body (`a=1&code=…&state=…`, without
 * its `?` or `#`), judged by the rule on decoded names and values, each with its value as written
 * and decoded: a redactor must find both spellings in text.
 */
export function credentialPairs(text: string): CredentialPair[] {
  if (!text.includes('=')) return [];
  const pairs = splitPairs(text);
  const oauth = isOAuthContext(pairs.map((p) => p.name));
  return pairs
    .filter((p) => isCredentialParam(p.name, p.value, oauth))
    .map(({ name, raw, value }) => ({ name, raw, value }));
}

/** A URL's parts as written: `?query` and `#fragment` without their marks, and its userinfo. */
function urlParts(url: string): { userinfo: string; query: string; fragment: string } | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)[^?#]*(?:\?([^#]*))?(?:#(.*))?$/is.exec(url.trim());
  if (!m) return undefined;
  const authority = m[1] ?? '';
  const at = authority.lastIndexOf('@');
  return { userinfo: at < 0 ? '' : authority.slice(0, at), query: m[2] ?? '', fragment: m[3] ?? '' };
}

/**
 * The credentials a URL carries, as written and decoded: its userinfo password (and a user name
 * that is itself a token, `https://ghp_…@github.com`), and every credential query or fragment
 * parameter's value. A fragment is read as parameters when it holds any (`#access_token=…`, the
 * implicit flow). A URL that does not parse carries none that can be found by structure (the JWT
 * shape still catches tokens in it).
 */
export function urlCredentials(url: string): string[] {
  const parts = urlParts(url);
  if (!parts) return [];
  const out: string[] = [];
  const add = (raw: string, value: string) => {
    if (value.trim() === '' || isPlaceholder(value)) return;
    out.push(value);
    if (raw !== value) out.push(raw);
  };
  if (parts.userinfo) {
    const colon = parts.userinfo.indexOf(':');
    const user = colon < 0 ? parts.userinfo : parts.userinfo.slice(0, colon);
    if (colon >= 0) add(parts.userinfo.slice(colon + 1), decodeName(parts.userinfo.slice(colon + 1)));
    if (looksRandom(decodeName(user)) && decodeName(user).length >= 16) add(user, decodeName(user));
  }
  for (const p of [...credentialPairs(parts.query), ...credentialPairs(parts.fragment)]) add(p.raw, p.value);
  return out;
}

/**
 * The URL without userinfo and without its credential query and fragment parameters: what a
 * request why401 invents (the anonymous probe, RFC 9728 metadata) may carry. The rest of the
 * query stays, byte for byte, since a route may depend on it.
 */
export function withoutUrlCredentials(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  u.username = '';
  u.password = '';
  const keep = (raw: string): string => {
    const pairs = splitPairs(raw);
    const oauth = isOAuthContext(pairs.map((p) => p.name));
    return pairs
      .filter((p) => !isCredentialParam(p.name, p.value, oauth))
      .map((p) => p.pair)
      .join('&');
  };
  if (u.search) u.search = keep(u.search.slice(1));
  if (u.hash.includes('=')) u.hash = keep(u.hash.slice(1));
  return u.toString();
}

/**
 * A placeholder by its look alone: a variable or template reference (`$PASS`, `${PASS}`,
 * `{{password}}`, `<password>`, `%PASS%`), a masked copy (`****`), an exporter's `[REMOVED]`. A
 * bare word is not one here: `secret` or `password` is a placeholder where a token belongs (the
 * header.placeholder finding), but a password may be any word (`client:secret`).
 */
export function isSyntacticPlaceholder(v: string): boolean {
  const s = v.trim().replace(/^["'“‘]|["'”’]$/g, '');
  return s === '' || (isPlaceholder(s) && !/^[A-Za-z0-9_-]+$/.test(s));
}

/**
 * Cookie names that say the cookie holds a session or a credential, beyond the names the rule
 * calls secret anywhere: `connect.sid`, `JSESSIONID`, `_gh_sess`, `laravel_session`,
 * `KEYCLOAK_IDENTITY`, `remember_user_token`, `wordpress_logged_in_…`, Google's `SAPISID`.
 */
const SESSION_COOKIE_NAME =
  /sess|sid$|^sid|auth|token|jwt|csrf|xsrf|secret|passw|login|remember|identity|ticket|credential/;

/**
 * What a cookie holds that is no secret whatever its name: a flag (`true`, `0`), a small number,
 * a locale (`en-US`, `zh-Hant-TW`, `es_419`), a date, an absolute URL (`http://www.cnn.com`: its
 * own credentials, if any, are found as a URL's). Sites keep preferences in
 * cookies; taking them for secrets hides nothing and, in a report, turns every URL or word equal
 * to one into a fingerprint.
 */
const PLAIN_COOKIE_VALUE = [
  /^(?:true|false|yes|no|on|off|null|undefined|none)$/i,
  /^-?\d{1,4}(?:\.\d+)?$/,
  /^[a-z]{2}$|^[a-z]{2,3}[-_](?:[A-Z][a-z]{3}[-_])?(?:[A-Za-z]{2}|\d{3})$/,
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/,
  // A scheme and a host: a base64 value may begin with `/` but never holds `:`.
  /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i,
];

/**
 * Words and separators only (`url status size timeline`, IE's F12 column list; `/account/settings`):
 * text, not a generated value. A word is lower case or capitalised: a random value mixes cases.
 */
const WORDS = /^[\s,;|+_.:/-]*[A-Za-z][a-z]+(?:[\s,;|+_.:/-]+[A-Za-z][a-z]+)+[\s,;|+_.:/-]*$/;

function decodeCookieValue(value: string): string {
  const v = value.trim().replace(/^"([\s\S]*)"$/, '$1');
  if (!/%[0-9A-Fa-f]{2}/.test(v)) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/**
 * Whether a cookie's value is a secret: by its name and its value's shape, not by being a cookie
 * (RFC 6265 cookies carry preferences as often as sessions). Never a plain value (above) nor a
 * placeholder; always under a session or credential name; otherwise when the value looks
 * generated (a JWT, a random id). Judged on the value percent-decoded and unquoted, so a cookie
 * gets one verdict in a Cookie header, Set-Cookie and a HAR's `cookies` list.
 */
export function isSecretCookie(name: string, value: string): boolean {
  const v = decodeCookieValue(value);
  if (v === '' || isPlaceholder(v) || PLAIN_COOKIE_VALUE.some((re) => re.test(v))) return false;
  const n = normalizeName(name);
  if (secretName(name, 'form') !== 'no' || SESSION_COOKIE_NAME.test(n)) return true;
  if (/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./.test(v)) return true;
  return looksRandom(v) && !WORDS.test(v);
}
