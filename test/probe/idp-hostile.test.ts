/**
 * The identity-provider probes against servers that answer badly or not at all: every function
 * resolves with a precise problem or a classified error, within the run's deadline.
 */
import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDiscovery, fetchJwks, introspect, type IdpHttp } from '../../src/probe/idp.js';
import { makeDispatcher } from '../../src/probe/transport.js';
import { startServer, type TestServer } from '../support/http-server.js';

let dispatcher: Dispatcher;
let srv: TestServer;
const http = (ms = 10_000): IdpHttp => ({ dispatcher, signal: AbortSignal.timeout(ms) });

const FIVE_MIB = 5 * 1024 * 1024;
const bigJwks = `{"keys":[],"padding":"${'x'.repeat(FIVE_MIB)}"}`;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  dispatcher = makeDispatcher({});
  srv = await startServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/hang')) return; // never answers
    if (path === '/html/.well-known/openid-configuration') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end('<!doctype html><title>Sign in</title>');
    }
    if (path === '/e500/.well-known/openid-configuration') {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      return res.end('upstream exploded');
    }
    if (path === '/array/.well-known/openid-configuration') return json(res, 200, [1, 2]);
    if (path === '/moved/.well-known/openid-configuration') {
      res.writeHead(302, { Location: 'https://login.example/.well-known/openid-configuration' });
      return res.end();
    }
    // Only RFC 8414 metadata here: the OIDC URL is 404, so discovery falls back.
    if (path === '/.well-known/oauth-authorization-server/as8414') {
      return json(res, 200, { issuer: `${srv.url}/as8414`, token_endpoint: `${srv.url}/as8414/token` });
    }
    if (path === '/jwks/big') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(bigJwks);
    }
    if (path === '/jwks/unusable') {
      return json(res, 200, {
        keys: [
          { kty: 'oct', k: 'c2VjcmV0', kid: 'h1' },
          { kty: 'RSA', use: 'enc', n: 'AQAB', e: 'AQAB', kid: 'e1' },
        ],
      });
    }
    if (path === '/jwks/empty') return json(res, 200, { keys: [] });
    if (path === '/jwks/nokeys') return json(res, 200, { jwks: [] });
    if (path === '/introspect/html') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end('<html></html>');
    }
    json(res, 404, { error: 'not_found' });
  });
});
afterAll(async () => {
  await srv.close();
  await dispatcher.destroy();
});

describe('fetchDiscovery, hostile answers', () => {
  it('404 at both well-known URLs: names both', async () => {
    const doc = await fetchDiscovery(`${srv.url}/missing`, '--issuer', http());
    expect(doc).toMatchObject({
      kind: 'oidc-discovery',
      url: `${srv.url}/missing/.well-known/openid-configuration`,
      status: 404,
      json: { error: 'not_found' },
      problem: `answered 404 Not Found, not 200; the RFC 8414 URL ${srv.url}/.well-known/oauth-authorization-server/missing answered 404 Not Found, not 200`,
    });
  });

  it('falls back to RFC 8414 metadata when the OIDC document is 404', async () => {
    const doc = await fetchDiscovery(`${srv.url}/as8414`, '--issuer', http());
    expect(doc).toMatchObject({
      kind: 'oauth-metadata',
      url: `${srv.url}/.well-known/oauth-authorization-server/as8414`,
      status: 200,
      json: { issuer: `${srv.url}/as8414` },
    });
    expect(doc.problem).toBeUndefined();
  });

  it('an HTML page is not JSON', async () => {
    const doc = await fetchDiscovery(`${srv.url}/html`, '--issuer', http());
    expect(doc).toMatchObject({
      status: 200,
      problem: 'the answer is not JSON (Content-Type text/html; charset=utf-8)',
    });
    expect(doc.json).toBeUndefined();
  });

  it('a 500 is reported as it is, without trying RFC 8414', async () => {
    const n = srv.received.length;
    const doc = await fetchDiscovery(`${srv.url}/e500`, '--issuer', http());
    expect(doc).toMatchObject({ status: 500, problem: 'answered 500 Internal Server Error, not 200' });
    expect(srv.received.length - n).toBe(1);
  });

  it('a JSON array is not a document; a redirect is not followed', async () => {
    const arr = await fetchDiscovery(`${srv.url}/array`, '--issuer', http());
    expect(arr.problem).toBe('the answer is JSON but not an object (an array)');
    const moved = await fetchDiscovery(`${srv.url}/moved`, '--issuer', http());
    expect(moved).toMatchObject({
      status: 302,
      problem:
        'answered 302, a redirect to https://login.example/.well-known/openid-configuration, not 200 (metadata redirects are not followed)',
    });
  });

  it('a server that never answers: a timeout error within the deadline', async () => {
    const t0 = performance.now();
    const doc = await fetchDiscovery(`${srv.url}/hang`, '--issuer', http(300));
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(doc.error).toMatchObject({ phase: 'timeout', code: 'TIMEOUT' });
    expect(doc.status).toBeUndefined();
    expect(doc.url).toBe(`${srv.url}/hang/.well-known/openid-configuration`);
  });

  it('nobody listening: a connect error; not a URL: a problem, nothing sent', async () => {
    const dead = await startServer(() => undefined);
    await dead.close();
    const doc = await fetchDiscovery(dead.url, '--issuer', http());
    expect(doc.error).toMatchObject({ phase: 'connect', code: 'ECONNREFUSED' });
    const bad = await fetchDiscovery('issuer.example.com', '--issuer', http());
    expect(bad).toEqual({
      kind: 'oidc-discovery',
      url: 'issuer.example.com',
      from: '--issuer',
      problem: 'the issuer "issuer.example.com" is not an absolute URL',
      ms: 0,
    });
  });
});

describe('fetchJwks, hostile answers', () => {
  it('a 5 MiB JWKS is cut at 1 MiB and reported as too large', async () => {
    const doc = await fetchJwks(`${srv.url}/jwks/big`, 'jwks_uri', http());
    expect(doc).toMatchObject({
      kind: 'jwks',
      status: 200,
      problem: 'the answer is larger than 1 MiB, so it was cut and not read',
    });
    expect(doc.json).toBeUndefined();
  });

  it('no key usable for signatures names what it holds', async () => {
    const doc = await fetchJwks(`${srv.url}/jwks/unusable`, 'jwks_uri', http());
    expect(doc.problem).toBe(
      'no key is usable for signatures (an RSA, EC or OKP key with use "sig" or no use); it holds: oct (kid h1), RSA use enc (kid e1)',
    );
    expect((await fetchJwks(`${srv.url}/jwks/empty`, 'jwks_uri', http())).problem).toBe(
      'the "keys" array is empty: there is no key to verify a signature with',
    );
    expect((await fetchJwks(`${srv.url}/jwks/nokeys`, 'jwks_uri', http())).problem).toBe(
      'the document has no "keys" array (RFC 7517 §5)',
    );
  });

  it('404, and a JWKS that never comes', async () => {
    const missing = await fetchJwks(`${srv.url}/jwks/none`, 'jwks_uri', http());
    expect(missing).toMatchObject({ status: 404, problem: 'answered 404 Not Found, not 200' });
    const t0 = performance.now();
    const hung = await fetchJwks(`${srv.url}/hang/jwks`, 'jwks_uri', http(300));
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(hung.error?.phase).toBe('timeout');
  });
});

describe('introspect, hostile answers', () => {
  it('an HTML answer is a problem, not a throw', async () => {
    const r = await introspect({ url: `${srv.url}/introspect/html`, token: 't', clientId: 'c' }, http());
    expect(r.status).toBe(200);
    expect(r.active).toBeUndefined();
    expect(r.problem).toContain('content-type must be application/json');
  });
});
