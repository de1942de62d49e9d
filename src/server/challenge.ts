/**
 * One `WWW-Authenticate` challenge, written the way the RFCs' ABNF says, so that every client
 * parser (and why401's own, src/parse/challenge.ts) reads back exactly what was meant.
 *
 * - RFC 9110 §11.6.1: `challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`,
 *   §11.2: `auth-param = token BWS "=" BWS ( token / quoted-string )`, §5.6.4: quoted-string with
 *   quoted-pair (`\"`, `\\`). Every value here is written as a quoted-string.
 * - RFC 6750 §3: `realm`, `scope`, `error`, `error_description`, `error_uri`. The values of
 *   `scope`, `error`, `error_description` and `error_uri` "MUST NOT include characters outside the
 *   set %x20-21 / %x23-5B / %x5D-7E" — no `"` and no `\`, so they never need a quoted-pair. A scope
 *   is a space-delimited list of `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )` (RFC 6749 §3.3).
 * - RFC 9470 §3: `acr_values` (space-separated, in order of preference) and `max_age` (seconds since
 *   the last active authentication), beside `error="insufficient_user_authentication"`.
 * - RFC 9728 §5.1: `resource_metadata`, the URL of the protected resource's metadata document.
 *
 * Identifiers a program supplies (scheme, error code, scope tokens, URIs, acr values) are checked
 * and a wrong one throws a TypeError: silently changing a scope would send clients after the wrong
 * token. Free text (realm, description) is made to fit instead, because it is only for people.
 */

export interface ChallengeOptions {
  /** The auth-scheme (RFC 9110 §11.1); default `Bearer`. */
  scheme?: string;
  /** The protection space (RFC 9110 §11.5). Any text: `"` and `\` are escaped as quoted-pairs. */
  realm?: string;
  /** RFC 6750 §3.1 error code: `invalid_request`, `invalid_token`, `insufficient_scope`, RFC 9470's `insufficient_user_authentication`… */
  error?: string;
  /** Text for the developer (RFC 6750 §3). Characters RFC 6750 forbids are replaced; at most 256 characters. */
  errorDescription?: string;
  /** A page about the error (RFC 6750 §3). */
  errorUri?: string;
  /** Scopes the request needs (RFC 6750 §3): a list or a space-delimited string. */
  scope?: string | readonly string[];
  /** Authentication context classes, in order of preference (RFC 9470 §3). */
  acrValues?: string | readonly string[];
  /** Maximum seconds since the user last authenticated actively (RFC 9470 §3). */
  maxAge?: number;
  /** The resource's RFC 9728 metadata URL (RFC 9728 §5.1). */
  resourceMetadata?: string;
  /** More auth-params (name → value), written after the ones above; names must be tokens. */
  params?: Readonly<Record<string, string>>;
}

/** The longest error_description written: a header line is not a log file. */
export const MAX_DESCRIPTION = 256;

// RFC 9110 §5.6.2 tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 6750 §3: scope-token and the error / error_uri character set (no space in a token).
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const RFC6750_TEXT = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

function fail(what: string, value: unknown): never {
  throw new TypeError(`wwwAuthenticate: invalid ${what}: ${JSON.stringify(value)}`);
}

/** Letters with accents lose them (é → e); anything else outside printable ASCII becomes `?`. */
function toAscii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\t\r\n]+/g, ' ')
    .replace(/[^\x20-\x7E]/g, '?');
}

/**
 * The description as RFC 6750 §3 allows it: printable ASCII without `"` and `\` (`"` becomes `'`,
 * `\` becomes `/`, other characters `?`), whitespace runs collapsed, at most 256 characters.
 * Exported so a caller can log exactly what the client will read.
 */
export function fitDescription(text: string): string {
  const ascii = toAscii(text).replace(/"/g, "'").replace(/\\/g, '/').replace(/ {2,}/g, ' ').trim();
  return ascii.length > MAX_DESCRIPTION ? `${ascii.slice(0, MAX_DESCRIPTION - 3)}...` : ascii;
}

/** RFC 9110 §5.6.4 quoted-string: `"` and `\` as quoted-pairs; controls and non-ASCII made printable first. */
function quoted(text: string): string {
  return `"${toAscii(text).replace(/["\\]/g, '\\$&')}"`;
}

function tokens(what: string, value: string | readonly string[]): string {
  const list = typeof value === 'string' ? value.split(' ').filter(Boolean) : [...value];
  for (const t of list) if (typeof t !== 'string' || !SCOPE_TOKEN.test(t)) fail(what, t);
  if (list.length === 0) fail(what, value);
  return list.join(' ');
}

/** One challenge, e.g. `Bearer realm="api", error="invalid_token", error_description="The token is expired"`. */
export function wwwAuthenticate(opts: ChallengeOptions = {}): string {
  const scheme = opts.scheme ?? 'Bearer';
  if (!TOKEN.test(scheme)) fail('scheme', scheme);
  const params: string[] = [];
  const add = (name: string, value: string) => params.push(`${name}=${quoted(value)}`);

  if (opts.realm !== undefined) add('realm', opts.realm);
  if (opts.error !== undefined) {
    // RFC 6750 §3 allows the wider text set, but every registered error code is a token (RFC 6749 §11.4).
    if (!TOKEN.test(opts.error)) fail('error', opts.error);
    add('error', opts.error);
  }
  if (opts.errorDescription !== undefined) {
    const d = fitDescription(opts.errorDescription);
    if (d) add('error_description', d);
  }
  if (opts.errorUri !== undefined) {
    if (!RFC6750_TEXT.test(opts.errorUri) || /\s/.test(opts.errorUri)) fail('errorUri', opts.errorUri);
    add('error_uri', opts.errorUri);
  }
  if (opts.scope !== undefined) add('scope', tokens('scope', opts.scope));
  if (opts.acrValues !== undefined) add('acr_values', tokens('acrValues', opts.acrValues));
  if (opts.maxAge !== undefined) {
    if (!Number.isSafeInteger(opts.maxAge) || opts.maxAge < 0) fail('maxAge', opts.maxAge);
    // RFC 9470 §3's example quotes it: max_age="5".
    add('max_age', String(opts.maxAge));
  }
  if (opts.resourceMetadata !== undefined) {
    if (!RFC6750_TEXT.test(opts.resourceMetadata) || /\s/.test(opts.resourceMetadata))
      fail('resourceMetadata', opts.resourceMetadata);
    add('resource_metadata', opts.resourceMetadata);
  }
  for (const [name, value] of Object.entries(opts.params ?? {})) {
    if (!TOKEN.test(name)) fail('parameter name', name);
    add(name, String(value));
  }
  return params.length ? `${scheme} ${params.join(', ')}` : scheme;
}
