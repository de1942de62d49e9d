/**
 * The servers the end-to-end tests and `why401 demo` stand on, checked with plain fetch: if they
 * do not answer like the real thing, no diagnosis tested against them means anything.
 */
import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoEndpoint, type DemoServer } from '../../src/demo/server.js';
import { startExpressApi, type ExpressApi } from '../support/express-rs.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';

const AUD = 'https://api.why401.test';
const basicAuth = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

async function post(url: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { ...FORM, ...headers }, body: form(body) });
  return { res, json: (await res.json()) as Record<string, unknown> };
}

describe('test issuer', () => {
  let iss: TestIssuer;
  beforeAll(async () => {
    iss = await startIssuer();
  });
  afterAll(() => iss.close());

  const verify = (token: string) =>
    jose.jwtVerify(token, jose.createRemoteJWKSet(new URL(iss.jwksUri)), {
      issuer: iss.issuer,
      audience: AUD,
    });

  it('serves both discovery documents, naming itself without a trailing slash', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const res = await fetch(iss.issuer + path);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as Record<string, unknown>;
      expect(doc).toMatchObject({
        issuer: iss.issuer,
        jwks_uri: iss.jwksUri,
        token_endpoint: iss.tokenEndpoint,
        introspection_endpoint: iss.introspectionEndpoint,
      });
      expect(iss.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it('publishes its RS256 public key under a kid, without private parts', async () => {
    const { keys } = (await (await fetch(iss.jwksUri)).json()) as { keys: jose.JWK[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: iss.kid });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('client_credentials with client_secret_basic issues a verifiable at+jwt', async () => {
    const { res, json } = await post(
      iss.tokenEndpoint,
      { grant_type: 'client_credentials', scope: 'read' },
      { Authorization: basicAuth('why401-cli', 'test-secret') },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(json).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'read' });
    const { payload, protectedHeader } = await verify(json.access_token as string);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: iss.kid });
    expect(payload).toMatchObject({ sub: 'why401-cli', client_id: 'why401-cli', scope: 'read', aud: AUD });
  });

  it('client_credentials with client_secret_post, audience chosen by the request', async () => {
    const { res, json } = await post(iss.tokenEndpoint, {
      grant_type: 'client_credentials',
      client_id: 'why401-cli',
      client_secret: 'test-secret',
      audience: 'https://other.example',
    });
    expect(res.status).toBe(200);
    expect(jose.decodeJwt(json.access_token as string)).toMatchObject({
      aud: 'https://other.example',
      scope: 'read write admin',
    });
  });

  it('a wrong secret is invalid_client (RFC 6749 §5.2): 401 with a Basic challenge', async () => {
    const { res, json } = await post(
      iss.tokenEndpoint,
      { grant_type: 'client_credentials' },
      { Authorization: basicAuth('why401-cli', 'wrong') },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Basic realm="${iss.issuer}"`);
    expect(json).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });

    const viaPost = await post(iss.tokenEndpoint, { grant_type: 'client_credentials', client_id: 'nobody' });
    expect(viaPost.res.status).toBe(401);
    expect(viaPost.res.headers.get('www-authenticate')).toBeNull();
    expect(viaPost.json.error).toBe('invalid_client');
  });

  it('refuses a scope the client may not have, and an unknown grant type', async () => {
    const auth = { Authorization: basicAuth('why401-cli', 'test-secret') };
    const scope = await post(iss.tokenEndpoint, { grant_type: 'client_credentials', scope: 'root' }, auth);
    expect(scope.res.status).toBe(400);
    expect(scope.json.error).toBe('invalid_scope');
    const grant = await post(iss.tokenEndpoint, { grant_type: 'password' }, auth);
    expect(grant.res.status).toBe(400);
    expect(grant.json.error).toBe('unsupported_grant_type');
  });

  it('refresh grant: new tokens, the refresh token rotates, reuse and unknown ones are invalid_grant', async () => {
    const auth = { Authorization: basicAuth('why401-cli', 'test-secret') };
    const rt = iss.issueRefreshToken({ sub: 'alice', scope: 'read write' });
    const first = await post(iss.tokenEndpoint, { grant_type: 'refresh_token', refresh_token: rt }, auth);
    expect(first.res.status).toBe(200);
    expect(first.json.refresh_token).toEqual(expect.any(String));
    expect(first.json.refresh_token).not.toBe(rt);
    expect((await verify(first.json.access_token as string)).payload).toMatchObject({
      sub: 'alice',
      scope: 'read write',
    });

    const reused = await post(iss.tokenEndpoint, { grant_type: 'refresh_token', refresh_token: rt }, auth);
    expect(reused.res.status).toBe(400);
    expect(reused.json).toEqual({ error: 'invalid_grant', error_description: 'grant request is invalid' });

    const next = await post(
      iss.tokenEndpoint,
      { grant_type: 'refresh_token', refresh_token: first.json.refresh_token as string },
      auth,
    );
    expect(next.res.status).toBe(200);
    const unknown = await post(
      iss.tokenEndpoint,
      { grant_type: 'refresh_token', refresh_token: 'nope' },
      auth,
    );
    expect(unknown.json.error).toBe('invalid_grant');
  });

  it('introspection (RFC 7662): active token, revoked token, garbage, and client authentication', async () => {
    const auth = { Authorization: basicAuth('why401-cli', 'test-secret') };
    const token = await iss.sign({ sub: 'alice', aud: AUD, scope: 'read' });
    const active = await post(iss.introspectionEndpoint, { token }, auth);
    expect(active.res.status).toBe(200);
    expect(active.json).toMatchObject({ active: true, sub: 'alice', scope: 'read', iss: iss.issuer });

    iss.revoke(token);
    expect((await post(iss.introspectionEndpoint, { token }, auth)).json).toEqual({ active: false });
    expect((await post(iss.introspectionEndpoint, { token: 'garbage' }, auth)).json).toEqual({
      active: false,
    });
    expect((await post(iss.introspectionEndpoint, { token })).res.status).toBe(401);
  });

  it('sign(): fills iss/iat/exp/jti, leaves out claims set to undefined, and makes broken tokens on request', async () => {
    const t = await iss.sign({ sub: 'u1', aud: AUD });
    const claims = jose.decodeJwt(t);
    expect(claims).toMatchObject({ iss: iss.issuer, sub: 'u1' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
    await expect(verify(t)).resolves.toBeDefined();

    expect(jose.decodeJwt(await iss.sign({ sub: 'u1', exp: undefined }))).not.toHaveProperty('exp');

    const none = await iss.sign({ sub: 'u1', aud: AUD }, { alg: 'none' });
    expect(none.endsWith('.')).toBe(true);
    expect(jose.decodeProtectedHeader(none)).toEqual({ alg: 'none', typ: 'JWT' });

    const hs = await iss.sign({ sub: 'u1', aud: AUD }, { alg: 'HS256' });
    await expect(verify(hs)).rejects.toThrow();
    const unknownKid = await iss.sign({ sub: 'u1', aud: AUD }, { kid: 'gone' });
    await expect(verify(unknownKid)).rejects.toBeInstanceOf(jose.errors.JWKSNoMatchingKey);
    const foreign = await iss.sign({ sub: 'u1', aud: AUD }, { foreignKey: true });
    await expect(verify(foreign)).rejects.toBeInstanceOf(jose.errors.JWSSignatureVerificationFailed);
    const es = await iss.sign({ sub: 'u1' }, { alg: 'ES256', header: { typ: 'at+jwt' } });
    expect(jose.decodeProtectedHeader(es)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
  });

  it('rotateKeys(): the old kid is gone and tokens signed with it stop verifying', async () => {
    const own = await startIssuer();
    try {
      const before = await own.sign({ sub: 'u1' });
      const oldKid = own.kid;
      await own.rotateKeys();
      expect(own.kid).not.toBe(oldKid);
      const { keys } = (await (await fetch(own.jwksUri)).json()) as { keys: jose.JWK[] };
      expect(keys.map((k) => k.kid)).toEqual([own.kid]);
      const jwks = jose.createRemoteJWKSet(new URL(own.jwksUri));
      await expect(jose.jwtVerify(before, jwks)).rejects.toBeInstanceOf(jose.errors.JWKSNoMatchingKey);
      await expect(jose.jwtVerify(await own.sign({ sub: 'u1' }), jwks)).resolves.toBeDefined();
    } finally {
      await own.close();
    }
  });

  it('records every request it received, bodies included', async () => {
    const n = iss.received.length;
    await post(iss.tokenEndpoint, { grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' });
    await fetch(`${iss.jwksUri}?probe=1`);
    expect(iss.received.slice(n)).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/token',
        body: expect.stringContaining('client_id=x'),
      }),
      expect.objectContaining({ method: 'GET', path: '/jwks?probe=1', body: '' }),
    ]);
    expect(iss.received[n]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });
});

describe('express resource server (express-oauth2-jwt-bearer)', () => {
  let iss: TestIssuer;
  let api: ExpressApi;
  beforeAll(async () => {
    iss = await startIssuer();
    api = await startExpressApi({ issuer: iss.issuer, audience: AUD });
  });
  afterAll(async () => {
    await api.close();
    await iss.close();
  });

  const get = (path: string, authorization?: string) =>
    fetch(api.url + path, { headers: authorization ? { Authorization: authorization } : {} });

  it('answers 200 with a good token', async () => {
    const token = await iss.sign({ sub: 'alice', aud: AUD, scope: 'read' });
    const res = await get('/api/me', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, sub: 'alice' });
    expect((await get('/api/read', `Bearer ${token}`)).status).toBe(200);
  });

  it('answers 401 without a token: a Bearer challenge with no error code (RFC 6750 §3.1)', async () => {
    const res = await get('/api/me');
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="api"(, DPoP algs="[^"]+")?$/);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
  });

  it('answers 401 invalid_token for an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await iss.sign({ sub: 'alice', aud: AUD, iat: now - 7200, exp: now - 3600 });
    const res = await get('/api/me', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(
      `Bearer realm="api", error="invalid_token", error_description="'exp' claim timestamp check failed"`,
    );
    expect(await res.json()).toEqual({
      error: 'invalid_token',
      message: '"exp" claim timestamp check failed',
    });
  });

  it('answers 401 for a wrong audience, in its own words', async () => {
    const token = await iss.sign({ sub: 'alice', aud: 'someone-else' });
    const res = await get('/api/me', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(`error_description="Unexpected 'aud' value"`);
  });

  it('answers 403 insufficient_scope when the token lacks the scope', async () => {
    const token = await iss.sign({ sub: 'alice', aud: AUD, scope: 'read' });
    const res = await get('/api/admin', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="Insufficient Scope", scope="admin"',
    );
    expect(await res.json()).toEqual({ error: 'insufficient_scope', message: 'Insufficient Scope' });
  });

  it('answers 400 to a Basic header (invalid_request, no error code in the challenge)', async () => {
    const res = await get('/api/me', basicAuth('alice', 'pw'));
    expect(res.status).toBe(400);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="api"/);
    expect(res.headers.get('www-authenticate')).not.toContain('error=');
    expect(await res.json()).toEqual({ error: '', message: '' });
  });

  it('records what it received before authentication, and never sends the token to the issuer', async () => {
    const token = await iss.sign({ sub: 'bob', aud: AUD });
    const n = api.received.length;
    await get('/api/admin', `Bearer ${token}`);
    expect(api.received.slice(n)).toEqual([
      { path: '/api/admin', headers: expect.objectContaining({ authorization: `Bearer ${token}` }) },
    ]);
    const paths = iss.received.map((r) => r.path);
    expect(paths).toContain('/.well-known/openid-configuration');
    expect(paths).toContain('/jwks');
    expect(JSON.stringify(iss.received)).not.toContain(token);
  });
});

describe('demo server', () => {
  let demo: DemoServer;
  beforeAll(async () => {
    demo = await startDemoServer();
  });
  afterAll(() => demo.close());

  const endpoint = (path: string): DemoEndpoint => {
    const e = demo.endpoints.find((x) => x.path === path);
    if (!e) throw new Error(`no demo endpoint ${path}`);
    return e;
  };
  const send = (e: DemoEndpoint) =>
    fetch(e.request.url, { method: e.request.method, headers: e.request.headers, redirect: 'manual' });
  const authOf = (e: DemoEndpoint) =>
    e.request.headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1];
  const invalidToken = (description: string) =>
    `Bearer realm="demo", error="invalid_token", error_description="${description}"`;

  type Answer = { res: Response; body: string; e: DemoEndpoint; port: string };
  const cases: Array<{ path: string; expect: string; status: number; check: (a: Answer) => void }> = [
    {
      path: '/api/expired',
      expect: 'token.expired',
      status: 401,
      check: ({ res, body, e }) => {
        expect(res.headers.get('www-authenticate')).toBe(invalidToken(`'exp' claim timestamp check failed`));
        expect(JSON.parse(body)).toEqual({
          error: 'invalid_token',
          message: '"exp" claim timestamp check failed',
        });
        const exp = jose.decodeJwt(authOf(e)?.slice(7) ?? '').exp ?? 0;
        expect(Date.now() / 1000 - exp).toBeCloseTo(3 * 3600, -2);
      },
    },
    {
      path: '/api/no-scheme',
      expect: 'header.scheme-missing',
      status: 401,
      check: ({ res, e }) => {
        expect(authOf(e)).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="demo"');
      },
    },
    {
      path: '/api/redirect',
      expect: 'url.redirect-dropped-credentials',
      status: 301,
      check: ({ res, e, port }) => {
        expect(authOf(e)).toMatch(/^Bearer eyJ/);
        expect(res.headers.get('location')).toBe(`http://localhost:${port}/api/private`);
      },
    },
    {
      path: '/app/dashboard',
      expect: 'login.redirect',
      status: 302,
      check: ({ res }) => expect(res.headers.get('location')).toBe('/login?next=/app/dashboard'),
    },
    {
      path: '/api/no-challenge',
      expect: 'credentials.missing',
      status: 401,
      check: ({ res, body, e }) => {
        expect(e.request.headers).toEqual([]);
        expect(res.headers.get('www-authenticate')).toBeNull();
        expect(JSON.parse(body)).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'No Authorization was found in request.headers',
        });
      },
    },
    {
      path: '/api/admin',
      expect: 'jwt.scope-insufficient',
      status: 403,
      check: ({ res, e }) => {
        expect(jose.decodeJwt(authOf(e)?.slice(7) ?? '').scope).toBe('read');
        expect(res.headers.get('www-authenticate')).toBe(
          'Bearer realm="demo", error="insufficient_scope", error_description="Insufficient Scope", scope="admin"',
        );
      },
    },
    {
      path: '/api/cached',
      expect: 'server.cached-401',
      status: 401,
      check: ({ res }) => {
        expect(res.headers.get('age')).toBe('347');
        expect(res.headers.get('x-cache')).toBe('HIT from edge');
        expect(res.headers.get('cache-control')).toBe('public, max-age=600');
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="demo", error="invalid_token"');
      },
    },
    {
      path: '/api/placeholder',
      expect: 'header.placeholder',
      status: 401,
      check: ({ res, e }) => {
        expect(authOf(e)).toBe('Bearer ${TOKEN}');
        expect(res.headers.get('www-authenticate')).toBe(
          invalidToken('Invalid Token or Protected Header formatting'),
        );
      },
    },
    {
      path: '/api/quoted',
      expect: 'header.quoted',
      status: 401,
      check: ({ res, e }) => {
        expect(authOf(e)).toMatch(/^Bearer "eyJ[\w-]+\.[\w-]+\.[\w-]+"$/);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="demo", error="invalid_token"/);
      },
    },
    {
      path: '/api/basic',
      expect: 'basic.malformed',
      status: 401,
      check: ({ res, e }) => {
        expect(authOf(e)).toBe(`Basic ${Buffer.from('alice').toString('base64')}`);
        expect(res.headers.get('www-authenticate')).toBe('Basic realm="demo", charset="UTF-8"');
      },
    },
    {
      path: '/api/id-token',
      expect: 'jwt.id-token-used',
      status: 401,
      check: ({ res, e }) => {
        const claims = jose.decodeJwt(authOf(e)?.slice(7) ?? '');
        expect(claims).toMatchObject({
          aud: 'demo-web',
          nonce: expect.any(String),
          at_hash: expect.any(String),
        });
        expect(claims).not.toHaveProperty('scope');
        expect(res.headers.get('www-authenticate')).toBe(invalidToken(`Unexpected 'aud' value`));
      },
    },
    {
      path: '/api/dpop',
      expect: 'dpop.required',
      status: 401,
      check: ({ res }) => {
        expect(res.headers.get('www-authenticate')).toBe(
          'DPoP algs="ES256", error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
        );
        expect(res.headers.get('dpop-nonce')).toMatch(/^[\w-]{16,}$/);
      },
    },
    {
      path: '/api/healthy',
      expect: '',
      status: 200,
      check: ({ body }) => expect(JSON.parse(body)).toEqual({ ok: true }),
    },
  ];

  it('lists every broken endpoint with its diagnosis, each request an absolute URL on its origin', () => {
    expect(demo.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.endpoints.map((e) => [e.path, e.expect])).toEqual(cases.map((c) => [c.path, c.expect]));
    for (const e of demo.endpoints) {
      expect(e.request.url).toBe(demo.origin + e.path);
      expect(e.title.length).toBeGreaterThan(10);
    }
  });

  it.each(cases.map((c) => [c.path, c]))('%s answers as described', async (_path, c) => {
    const e = endpoint(c.path);
    const res = await send(e);
    const body = await res.text();
    expect(res.status).toBe(c.status);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(res.headers.get('date') ?? '')).toBeGreaterThan(Date.now() - 60_000);
    c.check({ res, body, e, port: new URL(demo.origin).port });
  });

  it('its tokens verify against its own discovery and JWKS, issuer origin/ and audience origin/api', async () => {
    const doc = (await (await fetch(`${demo.origin}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(doc.issuer).toBe(`${demo.origin}/`);
    const token = authOf(endpoint('/api/healthy'))?.slice(7) ?? '';
    const { payload, protectedHeader } = await jose.jwtVerify(
      token,
      jose.createRemoteJWKSet(new URL(doc.jwks_uri)),
      {
        issuer: doc.issuer,
        audience: `${demo.origin}/api`,
      },
    );
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'demo-1' });
    expect(payload.scope).toBe('read');
  });

  it('the redirect target on localhost wants a token: 401 without one, 200 with one', async () => {
    const target = `http://localhost:${new URL(demo.origin).port}/api/private`;
    const without = await fetch(target, { redirect: 'manual' });
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toBe('Bearer realm="demo"');
    const auth = authOf(endpoint('/api/redirect')) ?? '';
    const withToken = await fetch(target, { headers: { Authorization: auth }, redirect: 'manual' });
    expect(withToken.status).toBe(200);
  });

  it('the sign-in page is a 200 HTML form', async () => {
    const res = await fetch(`${demo.origin}/login?next=/app/dashboard`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<form[^>]*method="post"/);
    expect(html).toContain('type="password"');
  });

  it('the valid token works where only the sent form was broken; Basic with a password works', async () => {
    const token = authOf(endpoint('/api/healthy')) ?? '';
    for (const path of ['/api/no-scheme', '/api/quoted', '/api/placeholder']) {
      expect((await fetch(demo.origin + path, { headers: { Authorization: token } })).status).toBe(200);
    }
    const basic = await fetch(`${demo.origin}/api/basic`, {
      headers: { Authorization: basicAuth('alice', 'wonderland') },
    });
    expect(basic.status).toBe(200);
  });

  it('the DPoP endpoint refuses Bearer, bad proofs, and proofs bound to another key', async () => {
    const e = endpoint('/api/dpop');
    const bearer = await fetch(e.request.url, {
      headers: { Authorization: authOf(endpoint('/api/healthy')) ?? '' },
    });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get('www-authenticate')).toBe('DPoP algs="ES256"');

    const headers = Object.fromEntries(e.request.headers);
    const garbage = await fetch(e.request.url, { headers: { ...headers, DPoP: 'x.y.z' } });
    expect(garbage.headers.get('www-authenticate')).toContain('error="invalid_dpop_proof"');

    // A proof carrying the right nonce, from a key the token is not bound to.
    const nonce = (await send(e)).headers.get('dpop-nonce') ?? '';
    const { privateKey, publicKey } = await jose.generateKeyPair('ES256');
    const proof = await new jose.SignJWT({
      htm: 'GET',
      htu: e.request.url,
      jti: 'j1',
      iat: Math.floor(Date.now() / 1000),
      nonce,
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await jose.exportJWK(publicKey) })
      .sign(privateKey);
    const unbound = await fetch(e.request.url, { headers: { ...headers, DPoP: proof } });
    expect(unbound.status).toBe(401);
    expect(await unbound.json()).toEqual({
      error: 'invalid_dpop_proof',
      message: 'DPoP proof not bound to the access token',
    });
  });

  it('unknown paths are a JSON 404 with a request id', async () => {
    const res = await fetch(`${demo.origin}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});
