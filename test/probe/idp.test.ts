/**
 * The identity-provider probes against a real jose-based issuer (test/support/issuer.ts): what
 * each records, exactly, and that the user's access token reaches no endpoint but introspection.
 */
import * as jose from 'jose';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchDiscovery,
  fetchJwks,
  fetchProtectedResourceMetadata,
  introspect,
  requestFreshToken,
  verifySignature,
  type IdpHttp,
} from '../../src/probe/idp.js';
import { makeDispatcher } from '../../src/probe/transport.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';
import { VERSION } from '../../src/core/version.js';

const CLIENT = { clientId: 'why401-cli', clientSecret: 'test-secret' };
let dispatcher: Dispatcher;
const http = (ms = 10_000): IdpHttp => ({ dispatcher, signal: AbortSignal.timeout(ms) });

let iss: TestIssuer;
/** Mutated per test: the issuer spreads it into its discovery document on every request. */
const override: Record<string, unknown> = {};

beforeAll(async () => {
  dispatcher = makeDispatcher({});
  iss = await startIssuer({ discovery: override });
});
afterAll(async () => {
  await iss.close();
  await dispatcher.close();
});

describe('fetchDiscovery', () => {
  it('records the OIDC discovery document of a healthy issuer', async () => {
    const doc = await fetchDiscovery(iss.issuer, '--issuer', http());
    expect(doc).toMatchObject({
      kind: 'oidc-discovery',
      url: `${iss.issuer}/.well-known/openid-configuration`,
      from: '--issuer',
      status: 200,
      json: { issuer: iss.issuer, jwks_uri: iss.jwksUri, token_endpoint: iss.tokenEndpoint },
    });
    expect(doc.problem).toBeUndefined();
    expect(doc.error).toBeUndefined();
    expect(doc.ms).toBeGreaterThanOrEqual(0);
  });

  const mismatches: Array<[string, (i: string) => string, string]> = [
    ['a trailing slash', (i) => `${i}/`, 'they differ in a trailing slash the document adds'],
    ['the scheme', (i) => i.replace('http:', 'https:'), 'they differ in scheme https vs http'],
    ['the host', (i) => i.replace('127.0.0.1', 'localhost'), 'they differ in host localhost:'],
    ['the path', (i) => `${i}/realms/main`, 'they differ in path /realms/main vs /'],
  ];
  for (const [what, wrong, words] of mismatches) {
    it(`names ${what} when the issuer inside differs, and keeps the document`, async () => {
      override.issuer = wrong(iss.issuer);
      try {
        const doc = await fetchDiscovery(iss.issuer, "the token's iss", http());
        expect(doc.status).toBe(200);
        expect(doc.problem).toContain(
          `issuer inside is ${wrong(iss.issuer)} but it was fetched for ${iss.issuer}`,
        );
        expect(doc.problem).toContain(words);
        expect(doc.problem).toContain('RFC 8414 §3.3');
        expect(doc.json).toMatchObject({ issuer: wrong(iss.issuer), jwks_uri: iss.jwksUri });
      } finally {
        delete override.issuer;
      }
    });
  }

  it('names the trailing slash when the issuer asked for has one and the document has none', async () => {
    const doc = await fetchDiscovery(`${iss.issuer}/`, '--issuer', http());
    expect(doc.url).toBe(`${iss.issuer}/.well-known/openid-configuration`);
    expect(doc.problem).toContain('they differ in a trailing slash the document leaves out');
  });
});

describe('fetchJwks and verifySignature', () => {
  it('records the JWKS and verifies a token signed with its key', async () => {
    const jwks = await fetchJwks(iss.jwksUri, 'jwks_uri of the discovery document', http());
    expect(jwks).toMatchObject({ kind: 'jwks', url: iss.jwksUri, status: 200 });
    expect(jwks.problem).toBeUndefined();
    const token = await iss.sign({ sub: 'u1' });
    const v = await verifySignature(token, jwks);
    expect(v).toEqual({
      jwksUrl: iss.jwksUri,
      kid: iss.kid,
      alg: 'RS256',
      jwksKeys: [{ kid: iss.kid, kty: 'RSA', alg: 'RS256', use: 'sig' }],
      result: 'valid',
    });
  });

  it('signature-invalid: the kid is in the JWKS but another key signed', async () => {
    const jwks = await fetchJwks(iss.jwksUri, 'jwks_uri', http());
    const v = await verifySignature(await iss.sign({ sub: 'u1' }, { foreignKey: true }), jwks);
    expect(v.result).toBe('signature-invalid');
    expect(v.message).toBe('signature verification failed');
  });

  it('kid-unknown after key rotation, listing the kids the JWKS holds', async () => {
    const token = await iss.sign({ sub: 'u1' });
    const oldKid = iss.kid;
    await iss.rotateKeys();
    const jwks = await fetchJwks(iss.jwksUri, 'jwks_uri', http());
    const v = await verifySignature(token, jwks);
    expect(v.result).toBe('kid-unknown');
    expect(v.kid).toBe(oldKid);
    expect(v.jwksKeys).toEqual([{ kid: iss.kid, kty: 'RSA', alg: 'RS256', use: 'sig' }]);
    expect(v.message).toBe('no applicable key found in the JSON Web Key Set');
  });

  it('no-usable-key: the kid is there but its key is RSA and the token says ES256', async () => {
    const jwks = await fetchJwks(iss.jwksUri, 'jwks_uri', http());
    const v = await verifySignature(await iss.sign({ sub: 'u1' }, { alg: 'ES256' }), jwks);
    expect(v).toMatchObject({ result: 'no-usable-key', kid: iss.kid, alg: 'ES256' });
  });

  it('alg-not-allowed for alg none and for HS256 (RFC 8725 §3.1), even without a JWKS', async () => {
    const jwks = await fetchJwks(iss.jwksUri, 'jwks_uri', http());
    const none = await verifySignature(await iss.sign({ sub: 'u1' }, { alg: 'none' }), jwks);
    expect(none).toMatchObject({ result: 'alg-not-allowed', alg: 'none' });
    const hs = await verifySignature(await iss.sign({ sub: 'u1' }, { alg: 'HS256' }), jwks);
    expect(hs).toMatchObject({ result: 'alg-not-allowed', alg: 'HS256', kid: iss.kid });
    expect(hs.message).toBe('"alg" (Algorithm) Header Parameter value not allowed');
    const unread = { kind: 'jwks' as const, url: iss.jwksUri, from: 'x', status: 500, ms: 1 };
    expect((await verifySignature(await iss.sign({}, { alg: 'HS256' }), unread)).result).toBe(
      'alg-not-allowed',
    );
    expect((await verifySignature(await iss.sign({}), unread)).result).toBe('no-usable-key');
  });

  it('not-a-jws for opaque and malformed tokens; unsupported for a JWE', async () => {
    const jwks = await fetchJwks(iss.jwksUri, 'jwks_uri', http());
    expect((await verifySignature('2YotnFZFEjr1zCsicMWpAA', jwks)).result).toBe('not-a-jws');
    expect((await verifySignature('a.b.c', jwks)).result).toBe('not-a-jws');
    const header = Buffer.from('{"alg":"RSA-OAEP","enc":"A256GCM"}').toString('base64url');
    expect((await verifySignature(`${header}.a.b.c.d`, jwks)).result).toBe('unsupported');
  });

  it('tries every matching key when the token has no kid', async () => {
    const jwks = await fetchJwks(iss.jwksUri, 'jwks_uri', http());
    const own = (jwks.json as { keys: jose.JWK[] }).keys[0];
    const { publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
    const other = { ...(await jose.exportJWK(publicKey)), alg: 'RS256' };
    const { kid: _kid, ...ownWithoutKid } = own ?? {};
    const doc = { ...jwks, json: { keys: [other, ownWithoutKid] } };
    const token = await iss.sign({ sub: 'u1' }, { header: { kid: undefined } });
    expect(jose.decodeProtectedHeader(token).kid).toBeUndefined();
    expect((await verifySignature(token, doc)).result).toBe('valid');
    const foreign = await iss.sign({ sub: 'u1' }, { header: { kid: undefined }, foreignKey: true });
    expect((await verifySignature(foreign, doc)).result).toBe('signature-invalid');
  });
});

describe('fetchProtectedResourceMetadata (RFC 9728)', () => {
  let rs: TestServer;
  beforeAll(async () => {
    rs = await startServer((req, res) => {
      const doc = (resource: string, extra: Record<string, unknown> = {}) =>
        JSON.stringify({
          resource,
          authorization_servers: [iss.issuer],
          scopes_supported: ['read'],
          ...extra,
        });
      const routes: Record<string, string> = {
        '/.well-known/oauth-protected-resource/api': doc(`${rs.url}/api`),
        '/meta/custom': doc(`${rs.url}/api`),
        '/.well-known/oauth-protected-resource/wrong': doc(`${rs.url}/api`),
        '/.well-known/oauth-protected-resource/noas': JSON.stringify({ resource: `${rs.url}/noas` }),
      };
      const body = routes[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(body ?? '{"error":"not_found"}');
    });
  });
  afterAll(() => rs.close());

  it('from the well-known URL, inserted between host and path (RFC 9728 §3.1)', async () => {
    const doc = await fetchProtectedResourceMetadata(`${rs.url}/api`, undefined, 'the resource', http());
    expect(doc).toMatchObject({
      kind: 'protected-resource',
      url: `${rs.url}/.well-known/oauth-protected-resource/api`,
      status: 200,
      json: { resource: `${rs.url}/api`, authorization_servers: [iss.issuer], scopes_supported: ['read'] },
    });
    expect(doc.problem).toBeUndefined();
  });

  it("from the challenge's resource_metadata URL", async () => {
    const from = 'resource_metadata in the challenge';
    const doc = await fetchProtectedResourceMetadata(`${rs.url}/api`, `${rs.url}/meta/custom`, from, http());
    expect(doc).toMatchObject({ url: `${rs.url}/meta/custom`, from, status: 200 });
    expect(doc.problem).toBeUndefined();
  });

  it('names a resource that differs from the one asked for (RFC 9728 §3.3)', async () => {
    const doc = await fetchProtectedResourceMetadata(`${rs.url}/wrong`, undefined, 'the resource', http());
    expect(doc.problem).toBe(
      `resource inside is ${rs.url}/api but it was fetched for ${rs.url}/wrong: they differ in path /api vs /wrong (RFC 9728 §3.3 requires an exact match)`,
    );
    expect(doc.json).toMatchObject({ resource: `${rs.url}/api` });
  });

  it('says when no authorization_servers are named, and when there is no document', async () => {
    const noas = await fetchProtectedResourceMetadata(`${rs.url}/noas`, undefined, 'the resource', http());
    expect(noas.problem).toContain('the document names no authorization_servers');
    const none = await fetchProtectedResourceMetadata(`${rs.url}/other`, undefined, 'the resource', http());
    expect(none).toMatchObject({ status: 404, problem: 'answered 404 Not Found, not 200' });
  });
});

describe('requestFreshToken', () => {
  it('client_credentials: records the new token, its type, scope and lifetime', async () => {
    const g = await requestFreshToken(
      {
        tokenEndpoint: iss.tokenEndpoint,
        from: '--token-url',
        ...CLIENT,
        scope: 'read',
        audience: 'https://other.test',
      },
      http(),
    );
    expect(g).toMatchObject({
      grant: 'client_credentials',
      tokenEndpoint: iss.tokenEndpoint,
      from: '--token-url',
      status: 200,
      tokenType: 'Bearer',
      scope: 'read',
      expiresIn: 300,
    });
    expect(g.error).toBeUndefined();
    expect(jose.decodeJwt(g.accessToken ?? '')).toMatchObject({
      sub: 'why401-cli',
      aud: 'https://other.test',
    });
    const sent = iss.received.at(-1);
    expect(sent?.headers.authorization).toBe(
      `Basic ${Buffer.from('why401-cli:test-secret').toString('base64')}`,
    );
    expect(new URLSearchParams(sent?.body)).toEqual(
      new URLSearchParams({
        scope: 'read',
        audience: 'https://other.test',
        grant_type: 'client_credentials',
      }),
    );
  });

  it('client_credentials: invalid_client with its description, for a wrong secret and for a public client', async () => {
    const base = { tokenEndpoint: iss.tokenEndpoint, from: '--token-url', clientId: 'why401-cli' };
    for (const clientSecret of ['wrong', undefined]) {
      const g = await requestFreshToken({ ...base, ...(clientSecret ? { clientSecret } : {}) }, http());
      expect(g).toMatchObject({
        status: 401,
        error: 'invalid_client',
        errorDescription: 'client authentication failed',
      });
      expect(g.accessToken).toBeUndefined();
    }
    expect(new URLSearchParams(iss.received.at(-1)?.body).get('client_id')).toBe('why401-cli');
  });

  it('client_secret_basic form-encodes what must be (RFC 6749 §2.3.1) and leaves - _ . raw', async () => {
    const secret = 'p/q+r s:t%-_.';
    const own = await startIssuer({ clients: [{ id: 'svc_a.b-c', secret, scope: 'read' }] });
    try {
      const g = await requestFreshToken(
        {
          tokenEndpoint: own.tokenEndpoint,
          from: '--token-url',
          clientId: 'svc_a.b-c',
          clientSecret: secret,
        },
        http(),
      );
      expect(g).toMatchObject({ status: 200, scope: 'read' });
      const basic = String(own.received[0]?.headers.authorization).slice('Basic '.length);
      expect(Buffer.from(basic, 'base64').toString()).toBe('svc_a.b-c:p%2Fq%2Br+s%3At%25-_.');
    } finally {
      await own.close();
    }
  });

  it('client_credentials: invalid_scope', async () => {
    const g = await requestFreshToken(
      { tokenEndpoint: iss.tokenEndpoint, from: '--token-url', ...CLIENT, scope: 'superuser' },
      http(),
    );
    expect(g).toMatchObject({
      status: 400,
      error: 'invalid_scope',
      errorDescription: 'scope not allowed: superuser',
    });
  });

  it('refresh_token: a new token, then invalid_grant once the refresh token was rotated', async () => {
    const refreshToken = iss.issueRefreshToken({ scope: 'read' });
    const o = {
      tokenEndpoint: iss.tokenEndpoint,
      from: 'token_endpoint of the discovery document',
      ...CLIENT,
    };
    const first = await requestFreshToken({ ...o, refreshToken }, http());
    expect(first).toMatchObject({ grant: 'refresh_token', status: 200, tokenType: 'Bearer', scope: 'read' });
    expect(jose.decodeJwt(first.accessToken ?? '')).toMatchObject({ sub: 'user-1' });
    const again = await requestFreshToken({ ...o, refreshToken }, http());
    expect(again).toMatchObject({
      grant: 'refresh_token',
      status: 400,
      error: 'invalid_grant',
      errorDescription: 'grant request is invalid',
    });
    expect(again.accessToken).toBeUndefined();
  });

  it('a token endpoint nobody listens on is a transport error, not a throw', async () => {
    const dead = await startServer(() => undefined);
    const url = `${dead.url}/token`;
    await dead.close();
    const g = await requestFreshToken({ tokenEndpoint: url, from: '--token-url', ...CLIENT }, http());
    expect(g.transportError).toMatchObject({ phase: 'connect', code: 'ECONNREFUSED' });
    expect(g.status).toBeUndefined();
  });
});

describe('introspect (RFC 7662)', () => {
  it('active with the claims, then inactive once revoked', async () => {
    const token = await iss.sign({ sub: 'u1', scope: 'read' });
    const o = { url: iss.introspectionEndpoint, token, ...CLIENT };
    const on = await introspect(o, http());
    expect(on).toMatchObject({
      url: iss.introspectionEndpoint,
      status: 200,
      active: true,
      json: { sub: 'u1', scope: 'read' },
    });
    expect(on.problem).toBeUndefined();
    iss.revoke(token);
    const off = await introspect(o, http());
    expect(off).toMatchObject({ status: 200, active: false, json: { active: false } });
  });

  it('records a refused client as a problem', async () => {
    const r = await introspect(
      { url: iss.introspectionEndpoint, token: 'x', clientId: 'why401-cli', clientSecret: 'no' },
      http(),
    );
    expect(r).toMatchObject({
      status: 401,
      problem: 'answered 401 invalid_client (client authentication failed)',
    });
    expect(r.active).toBeUndefined();
  });
});

describe('the user’s access token stays home', () => {
  it('reaches no discovery, JWKS, metadata or token endpoint; only introspection', async () => {
    const own = await startIssuer();
    try {
      const token = await own.sign({ sub: 'alice', scope: 'read' });
      const [header, payload, signature] = token.split('.');
      const h = http();
      const discovery = await fetchDiscovery(own.issuer, "the token's iss", h);
      const jwks = await fetchJwks(own.jwksUri, 'jwks_uri of the discovery document', h);
      expect((await verifySignature(token, jwks)).result).toBe('valid');
      await fetchProtectedResourceMetadata(`${own.issuer}/api`, undefined, 'the resource', h);
      await requestFreshToken({ tokenEndpoint: own.tokenEndpoint, from: '--token-url', ...CLIENT }, h);
      const refreshToken = own.issueRefreshToken();
      await requestFreshToken(
        { tokenEndpoint: own.tokenEndpoint, from: '--token-url', ...CLIENT, refreshToken },
        h,
      );
      await introspect({ url: own.introspectionEndpoint, token, ...CLIENT }, h);
      expect(discovery.problem).toBeUndefined();

      expect(own.received.map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /.well-known/openid-configuration',
        'GET /jwks',
        'GET /.well-known/oauth-protected-resource/api',
        'POST /token',
        'POST /token',
        'POST /introspect',
      ]);
      for (const r of own.received) {
        expect(r.headers['user-agent']).toBe(`why401/${VERSION}`);
        const seen = JSON.stringify(r);
        if (r.path === '/introspect') {
          expect(new URLSearchParams(r.body).get('token')).toBe(token);
          continue;
        }
        for (const part of [token, header, payload, signature]) expect(seen).not.toContain(part);
      }
    } finally {
      await own.close();
    }
  });
});
