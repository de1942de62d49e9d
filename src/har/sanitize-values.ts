import { KNOWN_SCHEMES, parseAuthorization } from '../parse/authorization.js';
import { parseBasic } from '../parse/basic.js';
import {
  MARK,
  alreadySanitized,
  hexStream,
  shapeStandIn,
  vendorPrefix,
  type SanitizeContext,
} from './sanitize-context.js';
import {
  contextualIsSecret,
  isPlaceholder,
  isSyntacticPlaceholder,
  kindForName,
  looksRandom,
  normalizeName,
  secretName,
  type SecretKind,
} from '../knowledge/credential-rule.js';

/**
 * Single values: a JWT keeps its header and claims (they carry the diagnosis) and loses its
 * signature; Basic keeps its user name; an Authorization header keeps its scheme, quotes and odd
 * whitespace (the header.* checks judge those); cookies keep their names and attributes.
 */

const QUOTES_AND_SPACE = /^([\s"'“”‘’]*)([\s\S]*?)([\s"'“”‘’]*)$/;

/** Leading and trailing whitespace and quotes, and what they surround. */
export function splitCore(value: string): { lead: string; core: string; trail: string } {
  const m = QUOTES_AND_SPACE.exec(value)!;
  return { lead: m[1] ?? '', core: m[2] ?? '', trail: m[3] ?? '' };
}

function decodeSegmentLoose(seg: string): unknown {
  const s = seg.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  if (!/^[A-Za-z0-9_-]+$/.test(s) || s.length % 4 === 1) return undefined;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(bin, (c) => c.charCodeAt(0)),
    );
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isJoseHeader(seg: string): boolean {
  const h = decodeSegmentLoose(seg);
  return typeof h === 'object' && h !== null && !Array.isArray(h);
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** The stand-in of a signature (or JWE part): as long as the original, base64url, ours by its mark. */
function segmentStandIn(seed: string, seg: string): string {
  if (!B64URL.test(seg)) return shapeStandIn(seg, seed);
  const length = Math.max(seg.length, MARK.length + 8);
  return MARK + hexStream(seed, length - MARK.length);
}

/**
 * A JWS (header.payload.signature) or JWE (five parts) with its secret parts replaced, or
 * undefined when the text is not one. The header and claims stay as they are, defects included
 * (padding, standard base64), so the token.* and jwt.* checks still read them; an empty signature
 * (alg none) stays empty; a two-part token (cut off) has no secret part and is left whole.
 */
export function sanitizeJwt(token: string, ctx: SanitizeContext): string | undefined {
  const parts = token.split('.');
  if ((parts.length !== 3 && parts.length !== 5) || !isJoseHeader(parts[0]!)) return undefined;
  const secretParts = parts.slice(parts.length === 3 ? 2 : 1);
  if (secretParts.every((p) => p === '' || alreadySanitized(p))) return token;
  return ctx.replace(
    token,
    'jwt',
    () => {
      const seed = ctx.salt + token;
      if (parts.length === 3) return `${parts[0]}.${parts[1]}.${segmentStandIn(seed, parts[2]!)}`;
      return [
        parts[0],
        ...secretParts.map((p, i) => (p === '' ? '' : segmentStandIn(`${seed}#${i}`, p))),
      ].join('.');
    },
    'strong',
  );
}

/** A user name that is itself a key (Stripe sends `sk_live_…:` as Basic, some APIs a token as user). */
function secretLookingUser(user: string): boolean {
  if (user === '' || user.includes('@') || /\s/.test(user)) return false;
  return vendorPrefix(user) !== '' || (user.length >= 20 && looksRandom(user));
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function b64encode(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function b64decode(s: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Basic credentials (the base64 text after the scheme): the user name kept byte for byte, the
 * password replaced, the result still valid base64 of `user:stand-in` so every basic.* check
 * runs. A password with non-ASCII characters keeps one `é` per such character (a raw Latin-1
 * byte where the original bytes were not UTF-8), so basic.charset still fires. Malformed values
 * keep their defect (the odd character, the base64url alphabet, the padding) and lose the rest.
 */
export function sanitizeBasic(credentials: string, ctx: SanitizeContext): string {
  const m = /^([ \t]*)([\s\S]*?)([ \t]*)$/.exec(credentials)!;
  const [lead, core, trail] = [m[1]!, m[2]!, m[3]!];
  if (core === '' || alreadySanitized(core)) return credentials;
  const b = parseBasic(core);
  if (b.ok) {
    const bytes = b64decode(core);
    if (!bytes) return credentials;
    const colon = bytes.indexOf(0x3a);
    let userBytes: Uint8Array = bytes.slice(0, colon);
    let passBytes: Uint8Array = bytes.slice(colon + 1);
    let changed = false;
    if (secretLookingUser(b.user) && !alreadySanitized(b.user)) {
      userBytes = utf8(ctx.standIn(b.user, 'api-key'));
      changed = true;
    }
    // Whatever the password: `secret` or `password` is a word where a token belongs, but a
    // password may be any word (`client:secret`). Only `$PASS`, `{{password}}` and the like stay.
    if (b.password !== '' && !alreadySanitized(b.password) && !isSyntacticPlaceholder(b.password)) {
      const marks = [...b.password].filter((c) => c.charCodeAt(0) > 0x7f);
      const tail = marks.map((c) => (c === '\uFFFD' ? new Uint8Array([0xe9]) : utf8('é')));
      passBytes = concat(utf8(ctx.standIn(b.password, 'basic')), ...tail);
      changed = true;
    }
    if (!changed) return credentials;
    const out = b64encode(concat(userBytes, new Uint8Array([0x3a]), passBytes));
    ctx.alias(core, out);
    // The pair decoded, as an echo server or a log line writes it (`client:secret`).
    const text = new TextDecoder().decode(concat(userBytes, new Uint8Array([0x3a]), passBytes));
    ctx.alias(`${b.user}:${b.password}`, text);
    return lead + out + trail;
  }
  if (b.problem === 'empty') return credentials;
  // "Basic alice:secret": the user name and password written raw, not base64 (a classic mistake).
  const raw = /^([^:\s]*):(.+)$/.exec(core);
  if (b.problem === 'not-base64' && raw) {
    const pass = raw[2]!;
    if (alreadySanitized(pass) || isSyntacticPlaceholder(pass)) return credentials;
    const pair = `${raw[1]}:${ctx.standIn(pass, 'basic')}`;
    ctx.alias(core, pair);
    return lead + pair + trail;
  }
  if (b.problem === 'no-colon') {
    const bytes = b64decode(core);
    const text = bytes ? new TextDecoder().decode(bytes) : '';
    if (!bytes || alreadySanitized(text)) return credentials;
    const out = b64encode(utf8(ctx.standIn(text, 'token')));
    ctx.alias(core, out);
    return lead + out + trail;
  }
  return lead + ctx.replace(core, 'basic', () => shapeStandIn(core, ctx.salt + core)) + trail;
}

/** auth-params whose values are secrets (Digest's response hash, OAuth 1.0 and Hawk signatures, AWS SigV4). */
const AUTH_PARAM_SECRETS: Record<string, SecretKind> = {
  response: 'signature',
  signature: 'signature',
  mac: 'signature',
  sig: 'signature',
  oauth_signature: 'signature',
  oauth_token: 'token',
  token: 'token',
  access_token: 'token',
  password: 'password',
};

/** auth-params that describe, never prove: kept even when they look random (Digest's nonce, OAuth 1.0's timestamp). */
const AUTH_PARAM_PLAIN = new Set([
  'username',
  'realm',
  'nonce',
  'uri',
  'qop',
  'nc',
  'cnonce',
  'opaque',
  'algorithm',
  'charset',
  'userhash',
  'ts',
  'ext',
  'id',
  'keyid',
  'headers',
  'created',
  'expires',
  'signedheaders',
  'oauth_consumer_key',
  'oauth_nonce',
  'oauth_timestamp',
  'oauth_version',
  'oauth_signature_method',
  'oauth_callback',
]);

/** Schemes whose credentials are auth-params (`name=value, …`) rather than one token68. */
const PARAM_SCHEMES = new Set([
  'digest',
  'oauth',
  'hawk',
  'signature',
  'mutual',
  'hoba',
  'aws4-hmac-sha256',
  'scram-sha-1',
  'scram-sha-256',
]);
const TOKEN_SCHEMES = new Set([
  'bearer',
  'basic',
  'dpop',
  'token',
  'jwt',
  'negotiate',
  'ntlm',
  'apikey',
  'gnap',
  'privatetoken',
]);

function usesAuthParams(scheme: string, creds: string): boolean {
  if (PARAM_SCHEMES.has(scheme)) return /^[A-Za-z0-9_-]+\s*=/.test(creds);
  if (TOKEN_SCHEMES.has(scheme)) return false;
  return (
    /^[A-Za-z0-9_-]+\s*=\s*"/.test(creds) || /^[A-Za-z0-9_-]+\s*=[^,]*,\s*[A-Za-z0-9_-]+\s*=/.test(creds)
  );
}

/** AWS `Credential=AKIA…/20240101/us-east-1/s3/aws4_request`: the key id goes, the scope (a diagnosis: wrong region) stays. */
function sanitizeAwsCredential(v: string, ctx: SanitizeContext): string | undefined {
  const m = /^([A-Za-z0-9]{12,128})(\/\d{8}\/.*)$/.exec(v);
  if (!m) return undefined;
  return alreadySanitized(m[1]!) ? v : ctx.standIn(m[1]!, 'api-key') + m[2];
}

function sanitizeAuthParams(creds: string, ctx: SanitizeContext): string {
  return creds.replace(
    /([A-Za-z0-9_-]+)(\s*=\s*)("(?:[^"\\]|\\.)*"|[^,\s]*)/g,
    (all, name: string, eq: string, val: string) => {
      const n = name.toLowerCase();
      const quoted = val.startsWith('"') && val.endsWith('"') && val.length >= 2;
      const inner = quoted ? val.slice(1, -1) : val;
      let out: string | undefined;
      if (n === 'credential') out = sanitizeAwsCredential(inner, ctx);
      else if (AUTH_PARAM_SECRETS[n]) out = sanitizeCredential(inner, AUTH_PARAM_SECRETS[n], ctx);
      else if (!AUTH_PARAM_PLAIN.has(n) && (secretName(n, 'json') === 'secret' || looksRandom(inner)))
        out = sanitizeCredential(inner, kindForName(n), ctx);
      if (out === undefined || out === inner) return all;
      return `${name}${eq}${quoted ? `"${out}"` : out}`;
    },
  );
}

const RUN = /[A-Za-z0-9\-._~+/=]+/g;

/**
 * Credentials written freely (a bearer token, an API key header): every run of token characters
 * replaced, and everything between them (quotes, spaces, an invisible character, a comma where
 * two headers were joined) left in place. Scheme words and placeholders stay.
 */
export function sanitizeCredentialText(text: string, kind: SecretKind, ctx: SanitizeContext): string {
  if (text === '' || isPlaceholder(text)) return text;
  return text.replace(RUN, (run) => {
    if (KNOWN_SCHEMES.includes(run.toLowerCase()) || alreadySanitized(run) || isPlaceholder(run)) return run;
    return sanitizeJwt(run, ctx) ?? ctx.standIn(run, kind);
  });
}

/** An Authorization / Proxy-Authorization value: scheme and layout kept, credentials replaced. */
export function sanitizeAuthorization(value: string, ctx: SanitizeContext): string {
  let head = '';
  let rest = value;
  // "Bearer Bearer x", "Basic Basic x": the header.scheme-repeated check needs every word.
  for (let i = 0; i < 4; i++) {
    const p = parseAuthorization(rest);
    if (p.scheme === undefined || p.credentials === '') break;
    const known = KNOWN_SCHEMES.includes(p.scheme.toLowerCase());
    // A vendor scheme (SSWS, GenieKey, Splunk) is a short word; a first "word" that looks random is the token.
    if (!known && (i > 0 || !/^[A-Za-z][A-Za-z0-9-]{0,23}$/.test(p.scheme) || looksRandom(p.scheme))) break;
    head += rest.slice(0, rest.length - p.credentials.length);
    rest = p.credentials;
  }
  if (rest === '' || isPlaceholder(rest)) return value;
  const scheme = /(\S+)\s*$/.exec(head)?.[1]?.toLowerCase();
  if (scheme === 'basic') {
    const { lead, core, trail } = splitCore(rest);
    return head + lead + sanitizeBasic(core, ctx) + trail;
  }
  if (scheme !== undefined && usesAuthParams(scheme, rest)) return head + sanitizeAuthParams(rest, ctx);
  return head + sanitizeCredentialText(rest, 'token', ctx);
}

export const SCHEME_LEAD = new RegExp(
  `^(?:${KNOWN_SCHEMES.map((s) => s.replace(/[-]/g, '\\-')).join('|')})\\s+\\S`,
  'i',
);

/**
 * Kinds of secret a person chooses, which may be any word: `password=secret` and
 * `client_secret=secret` are real (if weak) credentials. Tokens and keys keep the word
 * exemption, since a token that is the word `token` is the header.placeholder finding.
 */
const WORD_IS_SECRET = new Set<SecretKind>(['password', 'basic', 'client-secret']);

/**
 * One whole secret value (a cookie value, a JSON field, a form field): placeholders kept, a JWT
 * keeps its claims, "Bearer x" keeps its scheme, anything else becomes an opaque stand-in.
 * Surrounding quotes and whitespace stay.
 */
export function sanitizeCredential(
  value: string,
  kind: SecretKind,
  ctx: SanitizeContext,
  strength: 'strong' | 'weak' = 'strong',
): string {
  if (value === '' || alreadySanitized(value)) return value;
  const { lead, core, trail } = splitCore(value);
  if (core === '' || (WORD_IS_SECRET.has(kind) ? isSyntacticPlaceholder(core) : isPlaceholder(core)))
    return value;
  const jwt = sanitizeJwt(core, ctx);
  if (jwt !== undefined) return lead + jwt + trail;
  if (SCHEME_LEAD.test(core)) return lead + sanitizeAuthorization(core, ctx) + trail;
  return lead + ctx.standIn(core, kind, strength) + trail;
}

export function tryDecode(s: string, plusIsSpace: boolean): string {
  if (!/%[0-9A-Fa-f]{2}/.test(s) && !(plusIsSpace && s.includes('+'))) return s;
  try {
    return decodeURIComponent(plusIsSpace ? s.replace(/\+/g, ' ') : s);
  } catch {
    return s;
  }
}

/** A header whose whole value is a credential (X-API-Key, DPoP, X-CSRF-Token …). */
export function sanitizeCredentialHeader(value: string, ctx: SanitizeContext): string {
  const { core } = splitCore(value);
  if (SCHEME_LEAD.test(core)) return sanitizeAuthorization(value, ctx);
  return sanitizeCredentialText(value, 'api-key', ctx);
}

/** Query / form decoding: `+` is a space, `%XX` a byte. Undecodable text stays as it is. */
export function formDecode(s: string): string {
  return tryDecode(s, true);
}

function formEncode(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+');
}

/**
 * One query or form parameter. `encoded` says whether `value` is written as in a URL (percent
 * escapes); the secret is recognised by its decoded text, so a token gets the same stand-in in a
 * URL, a form and a header.
 */
export function sanitizeParam(
  name: string,
  value: string,
  oauth: boolean,
  where: 'query' | 'form' | 'json' | 'html',
  encoded: boolean,
  ctx: SanitizeContext,
): string {
  if (value === '' || alreadySanitized(value)) return value;
  const cleanName = name.replace(/^amp;/i, '');
  const decoded = encoded ? formDecode(value) : value;
  const verdict = secretName(cleanName, where);
  let out: string | undefined;
  if (verdict === 'secret' || (verdict === 'contextual' && contextualIsSecret(decoded, oauth))) {
    const n = normalizeName(cleanName);
    if (n.endsWith('credential')) out = sanitizeAwsCredential(decoded, ctx);
    if (out === undefined && n.includes('authorization')) out = sanitizeAuthorization(decoded, ctx);
    out ??= sanitizeCredential(decoded, kindForName(cleanName), ctx);
  } else {
    out = sanitizeJwt(decoded, ctx);
  }
  if (out === undefined || out === decoded) return value;
  if (!encoded) return out;
  const enc = formEncode(out);
  if (decoded !== value) ctx.alias(value, enc);
  return enc;
}
