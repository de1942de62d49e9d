import { expect } from 'vitest';
import check from '../../src/checks/cors-header-not-allowed.js';
import { testCheck } from '../support/check-tester.js';

const ORIGIN = 'https://app.example.com';
const AUTH = { Authorization: 'Bearer abc.def.ghi' };
const ACAO = { 'Access-Control-Allow-Origin': ORIGIN };
const HEADERS3 = { ...AUTH, 'Content-Type': 'application/json', 'X-Trace': '7' };

testCheck(check, {
  valid: [
    {
      name: 'authorization and content-type listed (case-insensitive)',
      input: {
        method: 'POST',
        headers: { ...AUTH, 'Content-Type': 'application/json' },
        origin: ORIGIN,
        status: 200,
        preflight: {
          status: 204,
          responseHeaders: { ...ACAO, 'Access-Control-Allow-Headers': 'Authorization, Content-Type' },
        },
      },
    },
    {
      name: '`*` plus authorization by name, without credentials',
      input: {
        headers: HEADERS3,
        origin: ORIGIN,
        preflight: {
          status: 200,
          responseHeaders: { ...ACAO, 'Access-Control-Allow-Headers': '*, authorization' },
        },
      },
    },
    {
      name: 'two Access-Control-Allow-Headers fields together list everything',
      input: {
        headers: HEADERS3,
        origin: ORIGIN,
        preflight: {
          status: 200,
          responseHeaders: [
            ['Access-Control-Allow-Origin', ORIGIN],
            ['Access-Control-Allow-Headers', 'authorization'],
            ['Access-Control-Allow-Headers', 'content-type,x-trace'],
          ],
        },
      },
    },
    {
      name: 'a refused preflight (401) is cors.preflight-rejected, not this',
      input: { headers: AUTH, origin: ORIGIN, preflight: { status: 401 } },
    },
    {
      name: 'a PUT without headers requests none',
      input: { method: 'PUT', origin: ORIGIN, preflight: { status: 204, responseHeaders: ACAO } },
    },
    {
      name: 'the browser sets Cookie, User-Agent and Accept-Encoding itself: never requested',
      input: {
        method: 'DELETE',
        headers: { Cookie: 'sid=1', 'User-Agent': 'curl/8.5.0', 'Accept-Encoding': 'gzip', Accept: '*/*' },
        origin: ORIGIN,
        preflight: {
          status: 204,
          responseHeaders: {
            ...ACAO,
            'Access-Control-Allow-Credentials': 'true',
            'Access-Control-Allow-Methods': 'DELETE',
          },
        },
      },
    },
    {
      name: 'no --origin',
      input: { headers: AUTH, status: 200 },
    },
  ],
  invalid: [
    {
      name: '`*` does not cover Authorization',
      input: {
        headers: AUTH,
        origin: ORIGIN,
        status: 200,
        preflight: { status: 204, responseHeaders: { ...ACAO, 'Access-Control-Allow-Headers': '*' } },
      },
      expect: {
        id: 'cors.header-not-allowed',
        kind: 'cause',
        step: 0,
        confidence: 'confirmed',
        title: 'The preflight answer does not allow the header authorization',
        mentions: [
          'Access-Control-Allow-Headers: *',
          '`*` allows any header except `Authorization`',
          'never leaves the page',
        ],
        fix: 'Answer the preflight with `Access-Control-Allow-Headers: authorization` (list `authorization` by name: `*` never covers it).',
        evidence: [
          {
            probe: 'preflight',
            where: 'request.header.access-control-request-headers',
            value: 'authorization',
          },
          { probe: 'preflight', where: 'response.header.access-control-allow-headers', value: '*' },
        ],
      },
    },
    {
      name: 'content-type listed, authorization and x-trace missing',
      input: {
        headers: HEADERS3,
        origin: ORIGIN,
        preflight: {
          status: 200,
          responseHeaders: { ...ACAO, 'Access-Control-Allow-Headers': 'Content-Type, X-Requested-With' },
        },
      },
      expect: {
        title: 'The preflight answer does not allow the headers authorization, x-trace',
        mentions: [
          'Access-Control-Allow-Headers: Content-Type, X-Requested-With',
          'authorization,content-type,x-trace',
        ],
        fix: expect.stringContaining(
          '`Access-Control-Allow-Headers: authorization, content-type, x-trace`',
        ) as unknown as string,
        evidence: [
          {
            where: 'request.header.access-control-request-headers',
            value: 'authorization,content-type,x-trace',
          },
          {
            where: 'response.header.access-control-allow-headers',
            value: 'Content-Type, X-Requested-With',
          },
        ],
      },
    },
    {
      name: 'no Access-Control-Allow-Headers at all',
      input: { headers: AUTH, origin: ORIGIN, preflight: { status: 204, responseHeaders: ACAO } },
      expect: {
        mentions: ['no Access-Control-Allow-Headers header at all'],
        evidence: [{ probe: 'preflight', where: 'response.status', value: '204' }],
      },
    },
    {
      name: 'with cookies (credentials: include) `*` is the literal name `*`',
      input: {
        headers: { ...HEADERS3, Cookie: 'sid=abc' },
        origin: ORIGIN,
        preflight: {
          status: 204,
          responseHeaders: {
            ...ACAO,
            'Access-Control-Allow-Credentials': 'true',
            'Access-Control-Allow-Headers': '*, Authorization',
          },
        },
      },
      expect: {
        title: 'The preflight answer does not allow the headers content-type, x-trace',
        mentions: ['literal name `*`'],
      },
    },
    {
      name: 'a long Accept value (over 128 bytes) is no longer safelisted',
      input: {
        headers: { Accept: `application/json;q=0.9,${'x'.repeat(120)}` },
        origin: ORIGIN,
        preflight: {
          status: 204,
          responseHeaders: { ...ACAO, 'Access-Control-Allow-Headers': 'content-type' },
        },
      },
      expect: { title: 'The preflight answer does not allow the header accept' },
    },
  ],
});
