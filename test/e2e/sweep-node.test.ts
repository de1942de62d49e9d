import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCauses as run, findingText as text } from '../support/cli.js';
import { startHonoApi, type HonoApi } from '../support/hono-rs.js';

/**
 * A newcomer's sweep over Node resource servers: the mistakes the judge and express-api tests do
 * not try, read as the first screen of `why401 URL … --json`. express-oauth2-jwt-bearer,
 * @fastify/jwt and passport-http-bearer answered every case of the sweep right (lower-case
 * `bearer`, a token in the query or in X-Access-Token, an expired token, no scheme, Basic to a
 * Bearer API); Hono's `hono/jwt` did not, because why401 did not know its three wordings
 * (src/knowledge/server-messages/hono.ts):
 * - no token: `error="invalid_request",error_description="no authorization included in request"`
 *   was read as a refusal of credentials ("get fresh credentials") beside credentials.missing;
 * - a token it cannot verify: "token verification failure" got the generic advice, not what the
 *   middleware checks (secret and alg, exp, its `verification` aud/iss).
 */

let hono: HonoApi;

beforeAll(async () => {
  hono = await startHonoApi({ audience: 'https://api.example.test' });
});

afterAll(async () => {
  await hono?.close();
});

describe('hono/jwt', () => {
  it('no token: credentials.missing alone, no "rejected credentials" beside it', async () => {
    const r = await run([`${hono.url}/api/me`]);
    expect(r.code).toBe(1);
    expect(r.causes.map((f) => f.id)).toEqual(['credentials.missing']);
  });

  it('a token signed with another secret: the middleware named, its checks in the fix', async () => {
    const token = await hono.token({ sub: 'u1', aud: 'https://api.example.test' }, 'another-secret');
    const r = await run([`${hono.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    expect(r.code).toBe(1);
    const first = r.causes[0]!;
    expect(first.id).toBe('credentials.rejected');
    expect(text(first)).toContain('hono/jwt');
    expect(first.fix).toContain('secret');
    expect(first.fix).toContain('`aud`');
  });

  it('a token for another audience: the same words, the same fix naming `verification`', async () => {
    const token = await hono.token({ sub: 'u1', aud: 'https://other.example.test' });
    const r = await run([`${hono.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    expect(r.code).toBe(1);
    const first = r.causes[0]!;
    expect(first.id).toBe('credentials.rejected');
    expect(first.fix).toContain('`verification`');
  });

  it('the right token (healthy)', async () => {
    const token = await hono.token({ sub: 'u1', aud: 'https://api.example.test' });
    const r = await run([`${hono.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    expect(r).toEqual({ code: 0, causes: [] });
  });
});
