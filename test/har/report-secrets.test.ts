import { describe, expect, it } from 'vitest';
import { analyzeHar } from '../../src/diagnose/har-report.js';
import { renderHarMarkdown } from '../../src/render/har-markdown.js';
import { renderHarText } from '../../src/render/har-text.js';
import { har, jwt, type Spec } from './report-fixtures.js';

/**
 * Canary secrets in every place a HAR keeps them (har-notes.md): request headers, request.cookies,
 * response.cookies, Set-Cookie, the query string and fragment, postData.text and postData.params,
 * redirect targets, and token-endpoint response bodies. None may survive into any output.
 */

const S = {
  bearer: jwt(
    { iss: 'https://idp.example/', aud: 'https://other.example', sub: 'u1', exp: 4102444800 },
    'canarySignatureBearer0001',
  ),
  opaque: 'canary-opaque-access-0002',
  basicPassword: 'canary-basic-pass-0003',
  sid: 'canary-session-cookie-0004',
  arrayOnlyCookie: 'canary-array-cookie-0005',
  setCookie: 'canary-set-cookie-0006',
  apiKeyQuery: 'canary-api-key-query-0007',
  apiKeyHeader: 'canary-api-key-header-0008',
  authToken: 'canary-x-auth-token-0009',
  csrf: 'canary-csrf-token-0010',
  password: 'canary-password-text-0011',
  clientSecret: 'canary-client-secret-0012',
  paramsPassword: 'canary-params-password-0013',
  refreshIn: 'canary-refresh-in-0014',
  accessOut: jwt(
    { iss: 'https://idp.example/', aud: 'https://other.example', sub: 'u1', exp: 4102444800, jti: 'n' },
    'canarySignatureIssued0015',
  ),
  refreshOut: 'canary-refresh-out-0016',
  idToken: jwt(
    { iss: 'https://idp.example/', aud: 'spa', sub: 'u1', nonce: 'n' },
    'canarySignatureIdToken0017',
  ),
  camelAccess: 'canary-camel-access-0018',
  code: 'canary-auth-code-0019',
  state: 'canary-oauth-state-0020',
  fragmentToken: 'canary-fragment-token-0021',
  responseCookieOnly: 'canary-response-cookie-0023',
};
const SECRETS = Object.values(S);

const API = 'http://127.0.0.1:3000';
const APP = 'http://localhost:5173';
const IDP = 'http://127.0.0.1:4000';

function capture() {
  const specs: Spec[] = [
    { url: `${APP}/app`, status: 200, resourceType: 'document', mime: 'text/html', body: '<html></html>' },
    {
      method: 'POST',
      url: `${API}/login`,
      status: 302,
      at: 10,
      req: { 'Content-Type': 'application/json', 'X-CSRF-Token': S.csrf },
      postData: {
        mimeType: 'application/json',
        text: JSON.stringify({ user: 'u1', password: S.password, client_secret: S.clientSecret }),
      },
      res: {
        Location: `${APP}/cb?code=${S.code}&state=${S.state}`,
        'Set-Cookie': `sid=${S.setCookie}; Path=/; HttpOnly; SameSite=Strict`,
      },
    },
    {
      method: 'POST',
      url: `${IDP}/oauth/token`,
      status: 200,
      at: 20,
      req: { Authorization: `Basic ${btoa(`spa:${S.basicPassword}`)}`, Origin: APP },
      postData: {
        mimeType: 'application/x-www-form-urlencoded',
        text: `grant_type=refresh_token&refresh_token=${S.refreshIn}`,
        params: [
          { name: 'grant_type', value: 'refresh_token' },
          { name: 'refresh_token', value: S.refreshIn },
          { name: 'password', value: S.paramsPassword },
        ],
      },
      res: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        access_token: S.accessOut,
        refresh_token: S.refreshOut,
        id_token: S.idToken,
        token_type: 'Bearer',
      }),
    },
    {
      method: 'POST',
      url: `${API}/api/session/refresh`,
      status: 200,
      at: 25,
      res: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { accessToken: S.camelAccess } }),
    },
    {
      url: `${API}/api/me?api_key=${S.apiKeyQuery}`,
      status: 401,
      at: 30,
      req: {
        Authorization: `Bearer ${S.bearer}`,
        Cookie: `sid=${S.sid}`,
        'X-API-Key': S.apiKeyHeader,
        'X-Auth-Token': S.authToken,
        Origin: APP,
        'Sec-Fetch-Site': 'cross-site',
      },
      res: {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="key ${S.apiKeyHeader} is revoked"`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ error: 'invalid_token', error_description: `key ${S.apiKeyHeader} is revoked` }),
    },
    {
      url: `${API}/api/orders`,
      status: 401,
      at: 40,
      req: { Authorization: `Bearer ${S.opaque}`, Origin: APP },
      res: {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="token ${S.opaque} expired"`,
        'Content-Type': 'application/json',
      },
      body: `{"error":"invalid_token","error_description":"token ${S.opaque} expired"}`,
    },
    {
      url: `${API}/api/x`,
      status: -1,
      at: 50,
      req: [
        ['Authorization', `Bearer ${S.accessOut}`],
        ['Referer', `${APP}/#access_token=${S.fragmentToken}`],
      ],
    },
    {
      url: `${APP}/cb?code=${S.code}&state=${S.state}#access_token=${S.fragmentToken}`,
      status: 302,
      at: 60,
      resourceType: 'document',
      res: { Location: '/login' },
    },
  ];
  const h = har(specs);
  // Exporters that list cookies only in the arrays (no Cookie / Set-Cookie header).
  h.entries[5]!.request.cookies = [{ name: 'pref', value: S.arrayOnlyCookie }];
  h.entries[3]!.response.cookies = [{ name: 'refresh', value: S.responseCookieOnly, path: '/' }];
  return h;
}

describe('no raw secret in any output', () => {
  const { entries, meta } = capture();
  const report = analyzeHar(entries, meta, { file: 'canary.har' });
  const outputs = {
    json: JSON.stringify(report),
    text: renderHarText(report, { color: false }),
    markdown: renderHarMarkdown(report),
  };

  it('the capture is diagnosed (so secrets had places to leak into)', () => {
    expect(report.entries.filter((e) => e.failed).length).toBeGreaterThanOrEqual(3);
    expect(report.findings.length).toBeGreaterThan(0);
  });

  for (const [name, out] of Object.entries(outputs)) {
    it(`${name}: none of ${SECRETS.length} canaries, whole or as a JWT signature`, () => {
      for (const s of SECRETS) {
        expect(out, s).not.toContain(s);
        expect(out).not.toContain(encodeURIComponent(s));
      }
      expect(out).not.toMatch(/canarySignature/);
      expect(out).not.toMatch(/canary-/);
    });
  }

  it('--show-secrets keeps them (the test can see a leak)', () => {
    const shown = JSON.stringify(analyzeHar(entries, meta, { showSecrets: true }));
    expect(shown).toContain(S.apiKeyQuery);
  });
});
