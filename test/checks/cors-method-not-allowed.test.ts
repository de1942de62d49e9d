import check from '../../src/checks/cors-method-not-allowed.js';
import { testCheck } from '../support/check-tester.js';

const ORIGIN = 'https://app.example.com';
const AUTH = { Authorization: 'Bearer abc.def.ghi' };
const ACAO = { 'Access-Control-Allow-Origin': ORIGIN, 'Access-Control-Allow-Headers': 'authorization' };

testCheck(check, {
  valid: [
    {
      name: 'PUT listed',
      input: {
        method: 'PUT',
        headers: AUTH,
        origin: ORIGIN,
        preflight: { status: 204, responseHeaders: { ...ACAO, 'Access-Control-Allow-Methods': 'GET, PUT' } },
      },
    },
    {
      name: 'GET needs no Access-Control-Allow-Methods',
      input: { headers: AUTH, origin: ORIGIN, preflight: { status: 204, responseHeaders: ACAO } },
    },
    {
      name: 'POST needs none either',
      input: {
        method: 'POST',
        headers: AUTH,
        origin: ORIGIN,
        preflight: { status: 204, responseHeaders: ACAO },
      },
    },
    {
      name: '`*` allows DELETE without credentials',
      input: {
        method: 'DELETE',
        origin: ORIGIN,
        preflight: { status: 204, responseHeaders: { ...ACAO, 'Access-Control-Allow-Methods': '*' } },
      },
    },
    {
      name: 'lower-case put is normalized to PUT by the browser',
      input: {
        method: 'put',
        origin: ORIGIN,
        preflight: { status: 204, responseHeaders: { ...ACAO, 'Access-Control-Allow-Methods': 'PUT' } },
      },
    },
    {
      name: 'a refused preflight is cors.preflight-rejected',
      input: { method: 'PUT', origin: ORIGIN, preflight: { status: 403 } },
    },
  ],
  invalid: [
    {
      name: 'PUT not listed',
      input: {
        method: 'PUT',
        headers: AUTH,
        origin: ORIGIN,
        preflight: { status: 204, responseHeaders: { ...ACAO, 'Access-Control-Allow-Methods': 'GET, POST' } },
      },
      expect: {
        id: 'cors.method-not-allowed',
        kind: 'cause',
        step: 0,
        confidence: 'confirmed',
        title: 'The preflight answer does not allow the method PUT',
        mentions: ['Access-Control-Allow-Methods: GET, POST', 'never leaves the page'],
        fix: 'Answer the preflight with `Access-Control-Allow-Methods: GET, POST, PUT`.',
        evidence: [
          { probe: 'preflight', where: 'request.header.access-control-request-method', value: 'PUT' },
          { probe: 'preflight', where: 'response.header.access-control-allow-methods', value: 'GET, POST' },
        ],
      },
    },
    {
      name: 'DELETE without any Access-Control-Allow-Methods',
      input: { method: 'DELETE', origin: ORIGIN, preflight: { status: 200, responseHeaders: ACAO } },
      expect: {
        mentions: ['no Access-Control-Allow-Methods header at all'],
        fix: 'Answer the preflight with `Access-Control-Allow-Methods: DELETE`.',
        evidence: [{ probe: 'preflight', where: 'response.status', value: '200' }],
      },
    },
    {
      name: 'PATCH is case-sensitive: `patch` does not allow it',
      input: {
        method: 'PATCH',
        origin: ORIGIN,
        preflight: {
          status: 204,
          responseHeaders: { ...ACAO, 'Access-Control-Allow-Methods': 'get, patch' },
        },
      },
      expect: {
        mentions: ['lists `patch`, but methods are compared byte for byte'],
        fix: 'Answer the preflight with `Access-Control-Allow-Methods: get, PATCH`.',
      },
    },
    {
      name: 'with cookies `*` is not a wildcard',
      input: {
        method: 'DELETE',
        headers: { Cookie: 'sid=1' },
        origin: ORIGIN,
        preflight: {
          status: 204,
          responseHeaders: {
            ...ACAO,
            'Access-Control-Allow-Credentials': 'true',
            'Access-Control-Allow-Methods': '*',
          },
        },
      },
      expect: { mentions: ['literal name `*`'] },
    },
  ],
});
