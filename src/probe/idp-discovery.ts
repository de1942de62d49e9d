/**
 * Authorization-server and protected-resource metadata, fetched with oauth4webapi. The probes only
 * record what came back and say in one sentence what is wrong with it; checks decide the cause.
 * No access token is sent: none of these functions takes one.
 */
import * as oauth from 'oauth4webapi';
import type { DocumentKind, FetchedDocument } from '../model/evidence.js';
import { bodyProblem, failedDocument, recording, statusProblem, urlProblem } from './idp-answer.js';
import { identifierProblem } from './idp-compare.js';
import {
  cachedOnlyIfSound,
  idpFetch,
  isObject,
  jsonOf,
  noteCached,
  since,
  type IdpHttp,
} from './idp-http.js';

function libraryOptions(f: ReturnType<typeof recording>) {
  return {
    [oauth.customFetch]: f.fetch,
    // The user's issuer may well be http://localhost: a diagnosis must be able to look at it.
    [oauth.allowInsecureRequests]: true,
  };
}

/** oauth4webapi's own verdict, used only when our stricter checks found nothing. */
async function libraryProblem(check: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await check();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function discover(
  issuer: string,
  expected: URL,
  algorithm: 'oidc' | 'oauth2',
  from: string,
  http: IdpHttp,
): Promise<FetchedDocument> {
  return cachedOnlyIfSound((reload) => discoverOnce(issuer, expected, algorithm, from, http, reload));
}

async function discoverOnce(
  issuer: string,
  expected: URL,
  algorithm: 'oidc' | 'oauth2',
  from: string,
  http: IdpHttp,
  reload: boolean,
): Promise<FetchedDocument> {
  const kind: DocumentKind = algorithm === 'oidc' ? 'oidc-discovery' : 'oauth-metadata';
  const t0 = performance.now();
  // Keyed by the issuer too: the same URL asked for another issuer is another entry.
  const f = recording(idpFetch(http, { scope: `${kind} ${issuer}`, reload }));
  let res: Response;
  try {
    // OIDC Discovery §4 appends /.well-known/openid-configuration to the issuer; RFC 8414 §3.1
    // inserts /.well-known/oauth-authorization-server between host and path.
    res = await oauth.discoveryRequest(expected, { algorithm, ...libraryOptions(f) });
  } catch (e) {
    return failedDocument(kind, f.url() ?? issuer, from, e, since(t0));
  }
  const json = await jsonOf(res);
  const doc: FetchedDocument = { kind, url: f.url() ?? issuer, from, status: res.status, ms: 0 };
  // Kept even when the issuer differs, so checks can compare it with the token's iss.
  if (json !== undefined) doc.json = json;
  noteCached(doc, res);
  const problem =
    statusProblem(res) ??
    bodyProblem(res, json) ??
    // Exact string comparison (RFC 8414 §3.3, OIDC Discovery §4.3): oauth4webapi normalizes both
    // through URL, so it would take https://a and https://a/ as equal.
    identifierProblem(
      'issuer',
      isObject(json) ? json.issuer : undefined,
      issuer,
      'RFC 8414 §3.3 and OpenID Connect Discovery §4.3',
    ) ??
    (await libraryProblem(() => oauth.processDiscoveryResponse(expected, res)));
  if (problem) doc.problem = problem;
  doc.ms = since(t0);
  return doc;
}

/**
 * OpenID Connect discovery for `issuer`, falling back to RFC 8414 metadata when the OIDC document
 * is not there (404). `from` says why this issuer was asked ("the token's iss", "--issuer").
 */
export async function fetchDiscovery(issuer: string, from: string, http: IdpHttp): Promise<FetchedDocument> {
  const t0 = performance.now();
  const bad = urlProblem(issuer, 'the issuer');
  if (bad) return { kind: 'oidc-discovery', url: issuer, from, problem: bad, ms: 0 };
  const expected = new URL(issuer);
  const oidc = await discover(issuer, expected, 'oidc', from, http);
  if (oidc.status !== 404) return oidc;
  const rfc8414 = await discover(issuer, expected, 'oauth2', from, http);
  if (rfc8414.status === 200) return { ...rfc8414, ms: since(t0) };
  // Neither is there: report the OIDC URL (the one people look for) and say what the other said.
  const other = rfc8414.error ? `failed (${rfc8414.error.message})` : (rfc8414.problem ?? 'failed');
  return { ...oidc, problem: `${oidc.problem}; the RFC 8414 URL ${rfc8414.url} ${other}`, ms: since(t0) };
}

function authorizationServersProblem(json: Record<string, unknown>): string | undefined {
  const as = json.authorization_servers;
  if (Array.isArray(as) && as.length > 0 && as.every((s) => typeof s === 'string')) return undefined;
  if (as === undefined)
    return 'the document names no authorization_servers, so a client cannot tell where to get a token (RFC 9728 §2)';
  return 'authorization_servers is not a non-empty array of issuer URLs (RFC 9728 §2)';
}

/**
 * RFC 9728 protected resource metadata for `resourceUrl`: from `metadataUrl` (the challenge's
 * `resource_metadata`, RFC 9728 §5.1) when given, else from the well-known URL (RFC 9728 §3.1).
 */
export function fetchProtectedResourceMetadata(
  resourceUrl: string,
  metadataUrl: string | undefined,
  from: string,
  http: IdpHttp,
): Promise<FetchedDocument> {
  return cachedOnlyIfSound((reload) => fetchMetadataOnce(resourceUrl, metadataUrl, from, http, reload));
}

async function fetchMetadataOnce(
  resourceUrl: string,
  metadataUrl: string | undefined,
  from: string,
  http: IdpHttp,
  reload: boolean,
): Promise<FetchedDocument> {
  const kind: DocumentKind = 'protected-resource';
  const t0 = performance.now();
  const bad =
    urlProblem(resourceUrl, 'the resource') ??
    (metadataUrl === undefined ? undefined : urlProblem(metadataUrl, 'resource_metadata'));
  if (bad) return { kind, url: metadataUrl ?? resourceUrl, from, problem: bad, ms: 0 };
  const expected = new URL(resourceUrl);
  const f = recording(idpFetch(http, { scope: `${kind} ${resourceUrl}`, reload }));
  let res: Response;
  try {
    res =
      metadataUrl !== undefined
        ? await f.fetch(metadataUrl, { method: 'GET', headers: { accept: 'application/json' } })
        : await oauth.resourceDiscoveryRequest(expected, libraryOptions(f));
  } catch (e) {
    return failedDocument(kind, f.url() ?? metadataUrl ?? resourceUrl, from, e, since(t0));
  }
  const json = await jsonOf(res);
  const doc: FetchedDocument = { kind, url: f.url() ?? resourceUrl, from, status: res.status, ms: 0 };
  if (json !== undefined) doc.json = json;
  noteCached(doc, res);
  const problem =
    statusProblem(res) ??
    bodyProblem(res, json) ??
    // RFC 9728 §3.3: identical to the resource identifier, else the metadata MUST NOT be used.
    identifierProblem('resource', isObject(json) ? json.resource : undefined, resourceUrl, 'RFC 9728 §3.3') ??
    (isObject(json) ? authorizationServersProblem(json) : undefined) ??
    (await libraryProblem(() => oauth.processResourceDiscoveryResponse(expected, res)));
  if (problem) doc.problem = problem;
  doc.ms = since(t0);
  return doc;
}
