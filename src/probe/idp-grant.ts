/**
 * The differential probes at the authorization server: a fresh token (client credentials or
 * refresh grant) and RFC 7662 introspection, with oauth4webapi. Only client credentials go to the
 * token endpoint; the user's access token goes only to an introspection endpoint the user named.
 */
import * as oauth from 'oauth4webapi';
import { isOAuthErrorAnswer } from '../spec/oauth-errors.js';
import type { GrantAttempt, IntrospectionResult } from '../model/evidence.js';
import { statusWithText } from '../model/status-text.js';
import { recording, statusProblem, urlProblem } from './idp-answer.js';
import { TransportFailure, idpFetch, isObject, jsonOf, since, type IdpHttp } from './idp-http.js';

export interface FreshTokenOptions {
  tokenEndpoint: string;
  /** "--token-url" or "token_endpoint of the discovery document". */
  from: string;
  clientId: string;
  clientSecret?: string;
  scope?: string;
  /** With it the refresh_token grant (RFC 6749 §6), without it client_credentials (§4.4). */
  refreshToken?: string;
  /** Auth0-style `audience` request parameter. */
  audience?: string;
}

export interface IntrospectOptions {
  url: string;
  /** The token to ask about: the user's own, sent only because the user named --introspect-url. */
  token: string;
  clientId: string;
  clientSecret?: string;
}

/** RFC 6749 Appendix B: application/x-www-form-urlencoded, as the WHATWG URL standard serializes it. */
function formEncode(v: string): string {
  return new URLSearchParams({ v }).toString().slice(2);
}

/**
 * RFC 6749 §2.3.1: client_secret_basic when there is a secret (every server must support it),
 * id and secret form-encoded before Base64. Our own rather than oauth4webapi's ClientSecretBasic,
 * which also percent-encodes `-`, `_`, `.` and `~`: servers that do not form-decode then refuse
 * ordinary ids and secrets (panva/oauth4webapi#148, #199), and a diagnosis would blame the
 * credentials. The WHATWG serializer leaves `-`, `_` and `.` raw, which every server reads the same.
 * A public client (RFC 6749 §2.1) only identifies itself with client_id.
 */
function clientAuth(secret: string | undefined): oauth.ClientAuth {
  if (!secret) return oauth.None();
  return (_as, client, _body, headers) => {
    const pair = `${formEncode(client.client_id)}:${formEncode(secret)}`;
    headers.set('authorization', `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`);
  };
}

/** Minimal metadata for oauth4webapi: it requires an issuer string, used only to check ID tokens. */
function serverFor(
  endpoint: string,
  field: 'token_endpoint' | 'introspection_endpoint',
): oauth.AuthorizationServer {
  return { issuer: new URL(endpoint).origin, [field]: endpoint };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** RFC 6749 §5.2 error and error_description, from the body or else from a challenge (RFC 6750 §3). */
function oauthErrorOf(e: unknown, body: unknown): { error?: string; description?: string } {
  if (e instanceof oauth.ResponseBodyError) {
    return { error: e.error, ...(e.error_description ? { description: e.error_description } : {}) };
  }
  const out: { error?: string; description?: string } = {};
  const fromBody = isObject(body) ? body : {};
  const challenge =
    e instanceof oauth.WWWAuthenticateChallengeError
      ? (e.cause.find((c) => c.parameters.error)?.parameters ?? {})
      : {};
  const error = str(fromBody.error) ?? challenge.error;
  const description = str(fromBody.error_description) ?? challenge.error_description;
  if (error) out.error = error;
  if (description) out.description = description;
  return out;
}

function tokenRequest(o: FreshTokenOptions, f: ReturnType<typeof recording>): Promise<Response> {
  const as = serverFor(o.tokenEndpoint, 'token_endpoint');
  const client: oauth.Client = { client_id: o.clientId };
  const extra: Record<string, string> = {};
  if (o.scope) extra.scope = o.scope;
  if (o.audience) extra.audience = o.audience;
  const opts = { [oauth.customFetch]: f.fetch, [oauth.allowInsecureRequests]: true };
  return o.refreshToken !== undefined
    ? oauth.refreshTokenGrantRequest(as, client, clientAuth(o.clientSecret), o.refreshToken, {
        ...opts,
        additionalParameters: extra,
      })
    : oauth.clientCredentialsGrantRequest(as, client, clientAuth(o.clientSecret), extra, opts);
}

/** Asks the token endpoint for a new access token; records the answer, success or §5.2 error. */
export async function requestFreshToken(o: FreshTokenOptions, http: IdpHttp): Promise<GrantAttempt> {
  return (await attemptFreshToken(o, http)).grant;
}

/** "the token URL https://… (--token-url)" or "the token_endpoint https://… of the discovery document". */
function endpointWords(o: FreshTokenOptions): string {
  return o.from === '--token-url'
    ? `the token URL ${o.tokenEndpoint}`
    : `the token endpoint ${o.tokenEndpoint} (${o.from})`;
}

/**
 * Why the grant's answer is no answer about the credentials, in words for skippedProbes; undefined
 * when it is one (a token, or an RFC 6749 §5.2 error from a real token endpoint).
 */
function notAnAnswer(
  o: FreshTokenOptions,
  g: GrantAttempt,
  contentType: string | null,
  json: boolean,
): string | undefined {
  if (g.accessToken || isOAuthErrorAnswer(g)) return undefined;
  const where = endpointWords(o);
  if (g.transportError) {
    const e = g.transportError;
    return `${where} could not be reached (${e.phase} ${e.code}: ${e.message})`;
  }
  if (g.status === undefined) return `${where} gave no answer`;
  const st = statusWithText(g.status);
  if (g.status >= 500) return `${where} answered ${st}: a server error, not an answer about the credentials`;
  const type = contentType?.split(';')[0]?.trim();
  if (g.status >= 200 && g.status < 300)
    return `${where} answered ${st} ${json ? 'without an access_token' : `with ${type ?? 'no Content-Type'}`}, not a token response (RFC 6749 §5.1): it is not a token endpoint`;
  if (!json) return `${where} answered ${st}${type ? ` (${type})` : ''}: it is not a token endpoint`;
  return `${where} answered ${st} without an OAuth error (RFC 6749 §5.2): it is not a token endpoint`;
}

/** The grant, and why it says nothing about the credentials when it does not (a skipped fresh probe). */
export async function attemptFreshToken(
  o: FreshTokenOptions,
  http: IdpHttp,
): Promise<{ grant: GrantAttempt; skip?: string }> {
  let contentType: string | null = null;
  let json = false;
  const grant = await requestGrant(o, http, (res, body) => {
    contentType = res.headers.get('content-type');
    json = body !== undefined;
  });
  const skip = notAnAnswer(o, grant, contentType, json);
  return skip ? { grant, skip } : { grant };
}

async function requestGrant(
  o: FreshTokenOptions,
  http: IdpHttp,
  seen: (res: Response, body: unknown) => void,
): Promise<GrantAttempt> {
  const t0 = performance.now();
  const grant: GrantAttempt = {
    grant: o.refreshToken !== undefined ? 'refresh_token' : 'client_credentials',
    tokenEndpoint: o.tokenEndpoint,
    from: o.from,
    ms: 0,
  };
  const bad = urlProblem(o.tokenEndpoint, 'the token endpoint');
  if (bad)
    return { ...grant, transportError: { phase: 'refused-by-tool', code: 'INVALID_URL', message: bad } };
  const f = recording(idpFetch(http));
  let res: Response;
  try {
    res = await tokenRequest(o, f);
  } catch (e) {
    const detail =
      e instanceof TransportFailure
        ? e.detail
        : {
            phase: 'refused-by-tool' as const,
            code: 'NOT_SENT',
            message: e instanceof Error ? e.message : String(e),
          };
    return { ...grant, transportError: detail, ms: since(t0) };
  }
  grant.status = res.status;
  const body = await jsonOf(res);
  seen(res, body);
  const process =
    o.refreshToken !== undefined ? oauth.processRefreshTokenResponse : oauth.processClientCredentialsResponse;
  try {
    await process(serverFor(o.tokenEndpoint, 'token_endpoint'), { client_id: o.clientId }, res);
  } catch (e) {
    const { error, description } = oauthErrorOf(e, body);
    if (error) grant.error = error;
    if (description) grant.errorDescription = description;
    // A 200 that oauth4webapi found fault with (an odd token_type, an ID token it could not check)
    // still carries a token worth trying; anything else is recorded as status and §5.2 error only.
    if (res.status !== 200 || !isObject(body) || typeof body.access_token !== 'string') {
      grant.ms = since(t0);
      return grant;
    }
  }
  if (isObject(body)) {
    // The server's own spelling (oauth4webapi lowercases token_type).
    if (typeof body.access_token === 'string') grant.accessToken = body.access_token;
    if (typeof body.token_type === 'string') grant.tokenType = body.token_type;
    if (typeof body.scope === 'string') grant.scope = body.scope;
    const exp = typeof body.expires_in === 'string' ? Number(body.expires_in) : body.expires_in;
    if (typeof exp === 'number' && Number.isFinite(exp)) grant.expiresIn = exp;
  }
  grant.ms = since(t0);
  return grant;
}

/** RFC 7662 §2: asks whether the token is active; records the answer's claims. */
export async function introspect(o: IntrospectOptions, http: IdpHttp): Promise<IntrospectionResult> {
  const t0 = performance.now();
  const result: IntrospectionResult = { url: o.url, ms: 0 };
  const bad = urlProblem(o.url, 'the introspection endpoint');
  if (bad) return { ...result, problem: bad };
  const f = recording(idpFetch(http));
  const as = serverFor(o.url, 'introspection_endpoint');
  const client: oauth.Client = { client_id: o.clientId };
  let res: Response;
  try {
    res = await oauth.introspectionRequest(as, client, clientAuth(o.clientSecret), o.token, {
      [oauth.customFetch]: f.fetch,
      [oauth.allowInsecureRequests]: true,
    });
  } catch (e) {
    if (e instanceof TransportFailure) return { ...result, error: e.detail, ms: since(t0) };
    return { ...result, problem: e instanceof Error ? e.message : String(e), ms: since(t0) };
  }
  result.status = res.status;
  const body = await jsonOf(res);
  if (body !== undefined) result.json = body;
  try {
    const answer = await oauth.processIntrospectionResponse(as, client, res);
    result.active = answer.active;
  } catch (e) {
    const { error, description } = oauthErrorOf(e, body);
    result.problem = error
      ? `answered ${res.status} ${error}${description ? ` (${description})` : ''}`
      : (statusProblem(res) ?? (e instanceof Error ? e.message : String(e)));
  }
  result.ms = since(t0);
  return result;
}
