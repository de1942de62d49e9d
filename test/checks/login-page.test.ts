import check from '../../src/checks/login-page.js';
import { testCheck } from '../support/check-tester.js';

const HTML = { 'Content-Type': 'text/html; charset=utf-8' };
const FORM = `<!DOCTYPE html>
<html><head><title>Sign in · Acme</title></head>
<body><form method="post" action="/session">
<input type="text" name="login"><input type="password" name="password" autocomplete="current-password">
<button>Sign in</button></form></body></html>`;

testCheck(check, {
  valid: [
    {
      name: 'a JSON 200',
      input: {
        status: 200,
        responseHeaders: { 'Content-Type': 'application/json' },
        responseBody: '{"ok":true}',
      },
    },
    {
      name: 'an HTML page that is not a sign-in page',
      input: {
        status: 200,
        responseHeaders: HTML,
        responseBody: '<html><head><title>Orders</title></head><body><table></table></body></html>',
      },
    },
    {
      name: 'an article about signing in (title only, no form to a login route)',
      input: {
        status: 200,
        responseHeaders: HTML,
        responseBody:
          '<html><head><title>How to sign in with SSO</title></head><body><p>Steps…</p></body></html>',
      },
    },
    {
      name: 'a change-password page (two password fields) the user asked for',
      input: {
        url: 'https://app.example.com/account/security',
        status: 200,
        responseHeaders: HTML,
        responseBody:
          '<html><head><title>Security settings</title></head><body><form action="/account/password"><input type="password" name="current" autocomplete="current-password"><input type="password" name="new" autocomplete="new-password"></form></body></html>',
      },
    },
    {
      name: 'a sign-up page (new-password)',
      input: {
        status: 200,
        responseHeaders: HTML,
        responseBody:
          '<html><head><title>Create your account</title></head><body><form action="/users"><input type="password" autocomplete="new-password"></form></body></html>',
      },
    },
    {
      name: 'the sign-in page itself was requested',
      input: { url: 'https://app.example.com/login', status: 200, responseHeaders: HTML, responseBody: FORM },
    },
    {
      name: 'a 401 with a form is not disguised',
      input: { status: 401, responseHeaders: HTML, responseBody: FORM },
    },
    {
      name: 'a password input inside a JSON string is not HTML',
      input: {
        status: 200,
        responseHeaders: { 'Content-Type': 'application/json' },
        responseBody: '{"html":"<input type=\\"password\\">"}',
      },
    },
  ],
  invalid: [
    {
      name: 'API path answered with a sign-in form',
      input: {
        url: 'https://app.example.com/api/orders',
        status: 200,
        responseHeaders: HTML,
        responseBody: FORM,
      },
      expect: {
        id: 'login.page',
        kind: 'cause',
        step: 1,
        confidence: 'likely',
        title: 'The server answered 200 with a sign-in page ("Sign in · Acme") instead of the resource',
        mentions: ['a password field', 'the title "Sign in · Acme"'],
        evidence: [
          { where: 'response.status', value: '200' },
          { where: 'response.header.content-type', value: 'text/html; charset=utf-8' },
          { where: 'response.body', value: '<title>Sign in · Acme</title>' },
        ],
      },
    },
    {
      name: 'no content type, a login title and a form posting to /login',
      input: {
        status: 200,
        responseBody:
          '<!doctype html><html><head><title>Log In</title></head><body><form action="/login?next=%2Fv1%2Fme" method="post"><input name="user"></form></body></html>',
      },
      expect: { confidence: 'likely', mentions: ['a form posting to /login', 'the title "Log In"'] },
    },
    {
      name: 'a password field without a title (single-page app shell)',
      input: {
        url: 'https://intranet.example.com/reports/q3',
        headers: { Cookie: 'sid=expired' },
        status: 200,
        responseHeaders: HTML,
        responseBody: '<html><body><div id="app"><input type=password name=pw></div></body></html>',
      },
      expect: {
        title: 'The server answered 200 with a sign-in page instead of the resource',
        evidence: [{ where: 'response.body', value: '<input type=password name=pw>' }],
      },
    },
    {
      name: 'a Keycloak login form served in place of the page',
      input: {
        status: 200,
        responseHeaders: HTML,
        responseBody:
          '<html><head><title>Sign in to acme</title></head><body><form id="kc-form-login" action="https://sso.example.com/realms/acme/login-actions/authenticate?session_code=x" method="post"><input id="password" name="password" type="password"></form></body></html>',
      },
      expect: {
        mentions: [
          'a password field',
          'a form posting to https://sso.example.com/realms/acme/login-actions/authenticate',
        ],
      },
    },
  ],
});
