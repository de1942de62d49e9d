import { describe, expect, it } from 'vitest';
import check from '../../src/checks/login-redirect.js';
import { isSignInPage, loginTarget } from '../../src/knowledge/sign-in.js';
import { testCheck } from '../support/check-tester.js';

const BEARER = { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln' };

testCheck(check, {
  valid: [
    { name: 'a 401 without redirect', input: { status: 401 } },
    {
      name: 'http to https redirect of the same path',
      input: {
        url: 'http://api.example.com/v1/me',
        hops: [{ status: 301, responseHeaders: { Location: 'https://api.example.com/v1/me' } }],
        status: 200,
      },
    },
    {
      name: 'a redirect to another API path',
      input: { hops: [{ status: 302, responseHeaders: { Location: '/v2/me' } }], status: 200 },
    },
    {
      name: 'a 3xx without Location',
      input: { status: 304 },
    },
    {
      name: 'requesting the sign-in page itself, which redirects to the IdP',
      input: {
        url: 'https://app.example.com/login',
        status: 302,
        responseHeaders: {
          Location: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=abc',
        },
      },
    },
    {
      name: 'a bare /authorize path without its OAuth query',
      input: { status: 302, responseHeaders: { Location: 'https://api.example.com/orders/authorize' } },
    },
  ],
  invalid: [
    {
      name: 'final 302 to /login with a return URL (Rails, ASP.NET cookie auth)',
      input: {
        url: 'https://app.example.com/api/orders',
        status: 302,
        responseHeaders: { Location: '/Account/Login?ReturnUrl=%2Fapi%2Forders' },
      },
      expect: {
        id: 'login.redirect',
        kind: 'cause',
        step: 1,
        confidence: 'confirmed',
        title: 'The server redirected to a sign-in page: the session is missing or expired',
        mentions: ['https://app.example.com/Account/Login', 'no session cookie'],
        evidence: [
          { where: 'response.status', value: '302' },
          { where: 'response.header.location', value: '/Account/Login?ReturnUrl=%2Fapi%2Forders' },
        ],
      },
    },
    {
      name: 'intermediate hop to Entra ID, followed to the sign-in page',
      input: {
        headers: { Cookie: 'session=abc123' },
        hops: [
          {
            status: 302,
            responseHeaders: {
              Location:
                'https://login.microsoftonline.com/4f1c/oauth2/v2.0/authorize?client_id=abc&response_type=code',
            },
          },
        ],
        status: 200,
        responseHeaders: { 'Content-Type': 'text/html' },
      },
      expect: {
        title:
          'The server redirected to a sign-in page (Microsoft Entra ID): the session is missing or expired',
        mentions: ['sent a cookie'],
        evidence: [{ probe: 'main', where: 'response.status', value: '302' }],
      },
    },
    {
      name: 'oauth2-proxy start, with a bearer token sent: the fix names the bearer route',
      input: { headers: BEARER, status: 302, responseHeaders: { Location: '/oauth2/start?rd=%2Fapi%2Fme' } },
      expect: {
        title: 'The server redirected to a sign-in page (oauth2-proxy): the session is missing or expired',
        fix: 'Call the API through a route that accepts bearer tokens (for example oauth2-proxy with `--skip-jwt-bearer-tokens`, or the API host rather than the web app host); otherwise sign in in a browser and send its session cookie.',
        mentions: ['Authorization header'],
      },
    },
    {
      name: 'Cloudflare Access',
      input: {
        status: 302,
        responseHeaders: {
          Location:
            'https://team.cloudflareaccess.com/cdn-cgi/access/login/app.example.com?kid=abc&redirect_url=%2F',
        },
      },
      expect: {
        title:
          'The server redirected to a sign-in page (Cloudflare Access): the session is missing or expired',
      },
    },
    {
      name: 'Keycloak authorization endpoint',
      input: {
        status: 303,
        responseHeaders: {
          Location:
            'https://sso.example.com/realms/acme/protocol/openid-connect/auth?client_id=web&redirect_uri=x',
        },
      },
      expect: {
        title: 'The server redirected to a sign-in page (Keycloak): the session is missing or expired',
      },
    },
    {
      name: 'Okta authorize, second of two hops',
      input: {
        hops: [
          { status: 301, responseHeaders: { Location: 'https://app.example.com/v1/me' } },
          {
            status: 302,
            responseHeaders: {
              Location: 'https://acme.okta.com/oauth2/default/v1/authorize?client_id=x&state=y',
            },
          },
        ],
        url: 'http://app.example.com/v1/me',
        status: 200,
      },
      expect: {
        title: 'The server redirected to a sign-in page (Okta): the session is missing or expired',
        evidence: [{ probe: 'main#1', where: 'response.status', value: '302' }],
      },
    },
    {
      name: 'Auth0 universal login',
      input: { status: 302, responseHeaders: { Location: 'https://acme.us.auth0.com/u/login?state=abc' } },
      expect: { title: 'The server redirected to a sign-in page (Auth0): the session is missing or expired' },
    },
    {
      name: 'an API under /auth redirected to sign-in is still a refusal',
      input: {
        url: 'https://app.example.com/api/auth/me',
        status: 302,
        responseHeaders: { Location: '/signin?next=/api/auth/me' },
      },
      expect: { confidence: 'confirmed', mentions: ['https://app.example.com/signin'] },
    },
  ],
});

describe('loginTarget and isSignInPage', () => {
  it('recognises sign-in URLs', () => {
    expect(loginTarget(new URL('https://accounts.google.com/o/oauth2/v2/auth?client_id=x'))).toEqual({
      provider: 'Google',
    });
    expect(loginTarget(new URL('https://example.com/saml/SSO'))).toEqual({});
    expect(loginTarget(new URL('https://example.com/users/sign_in'))).toEqual({});
    expect(loginTarget(new URL('https://example.com/wp-login.php?redirect_to=x'))).toEqual({
      provider: 'WordPress',
    });
    expect(
      loginTarget(new URL('https://x.auth.eu-west-1.amazoncognito.com/oauth2/authorize?client_id=y')),
    ).toEqual({ provider: 'Amazon Cognito' });
  });
  it('leaves ordinary URLs alone', () => {
    expect(loginTarget(new URL('https://api.example.com/v1/orders'))).toBeUndefined();
    expect(loginTarget(new URL('https://acme.okta.com/api/v1/users'))).toBeUndefined();
    expect(loginTarget(new URL('https://github.com/org/repo'))).toBeUndefined();
  });
  it('tells the sign-in page itself from an API path that mentions auth', () => {
    expect(isSignInPage(new URL('https://app.example.com/login'))).toBe(true);
    expect(isSignInPage(new URL('https://app.example.com/api/auth/me'))).toBe(false);
  });
});
