import check from '../../src/checks/cors-credentials-wildcard.js';
import { testCheck } from '../support/check-tester.js';

const ORIGIN = 'https://app.example.com';
const COOKIE = { Cookie: 'sid=s3cr3t; csrf=abc' };
const GOOD = { 'Access-Control-Allow-Origin': ORIGIN, 'Access-Control-Allow-Credentials': 'true' };

testCheck(check, {
  valid: [
    {
      name: 'exact origin and credentials true',
      input: { headers: COOKIE, origin: ORIGIN, status: 200, responseHeaders: GOOD },
    },
    {
      name: '`*` without cookies is fine',
      input: {
        headers: { Authorization: 'Bearer x' },
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': '*' },
        preflight: {
          status: 204,
          responseHeaders: {
            'Access-Control-Allow-Origin': '*',
            'Access-Control-Allow-Headers': 'authorization',
          },
        },
      },
    },
    {
      name: 'another origin is cors.origin-not-allowed, not this',
      input: {
        headers: COOKIE,
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': 'https://other.example' },
      },
    },
    {
      name: 'no --origin',
      input: { headers: COOKIE, status: 200, responseHeaders: { 'Access-Control-Allow-Origin': '*' } },
    },
    {
      name: 'same-origin',
      input: {
        headers: COOKIE,
        origin: 'https://api.example.com',
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': '*' },
      },
    },
  ],
  invalid: [
    {
      name: 'cookies and `Access-Control-Allow-Origin: *` on the actual response',
      input: {
        headers: COOKIE,
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' },
      },
      expect: {
        id: 'cors.credentials-wildcard',
        kind: 'cause',
        step: 0,
        confidence: 'confirmed',
        count: 1,
        title:
          'The request sends cookies, but the actual response (GET → 200) allows any origin with `Access-Control-Allow-Origin: *`, which browsers refuse for credentialed requests',
        mentions: ["credentials: 'include'", 'must not be the wildcard'],
        fix: "Echo the page's origin instead of `*` and allow credentials: `Access-Control-Allow-Origin: https://app.example.com`, `Access-Control-Allow-Credentials: true` and `Vary: Origin`, on the OPTIONS answer and on every actual response (e.g. Express `cors({ origin: ['https://app.example.com'], credentials: true })`). Or, if the API does not need the cookies, send no cookies and fetch without `credentials: 'include'`.",
        evidence: [
          { probe: 'main', where: 'response.header.access-control-allow-origin', value: '*' },
          { probe: 'main', where: 'response.header.access-control-allow-credentials', value: 'true' },
          { probe: 'input', where: 'request.cookies', value: 'sid, csrf' },
        ],
      },
    },
    {
      name: 'the preflight answers `*` to a credentialed PUT',
      input: {
        method: 'PUT',
        headers: COOKIE,
        origin: ORIGIN,
        status: 200,
        responseHeaders: GOOD,
        preflight: {
          status: 204,
          responseHeaders: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'PUT' },
        },
      },
      expect: {
        count: 1,
        confidence: 'confirmed',
        mentions: ['the preflight answer allows any origin', 'the real request never leaves the browser'],
        evidence: [{ probe: 'preflight', where: 'response.header.access-control-allow-origin', value: '*' }],
      },
    },
    {
      name: 'exact origin, but no Access-Control-Allow-Credentials',
      input: {
        headers: COOKIE,
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': ORIGIN },
      },
      expect: {
        title:
          'The request sends cookies, but the actual response (GET → 200) has no Access-Control-Allow-Credentials',
        mentions: ['no "Access-Control-Allow-Credentials: true"'],
      },
    },
    {
      name: '`Access-Control-Allow-Credentials: True` is not `true`',
      input: {
        headers: COOKIE,
        origin: ORIGIN,
        status: 200,
        responseHeaders: {
          'Access-Control-Allow-Origin': ORIGIN,
          'Access-Control-Allow-Credentials': 'True',
        },
      },
      expect: {
        mentions: ['only the exact lower-case value `true` counts'],
        evidence: [{ where: 'response.header.access-control-allow-credentials', value: 'True' }],
      },
    },
    {
      name: "the preflight is refused: the actual response's `*` is the next problem, a warning",
      input: {
        method: 'PUT',
        headers: COOKIE,
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' },
        preflight: { status: 401 },
      },
      expect: { count: 1, kind: 'warning', mentions: ['does not get this far while the preflight fails'] },
    },
    {
      name: 'a 401 with `*`: a warning, the 401 has its own cause',
      input: {
        headers: COOKIE,
        origin: ORIGIN,
        status: 401,
        responseHeaders: { 'Access-Control-Allow-Origin': '*' },
      },
      expect: { kind: 'warning', confidence: 'confirmed', mentions: ['hides this 401'] },
    },
  ],
});
