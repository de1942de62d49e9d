import check from '../../src/checks/server-status-invalid.js';
import { testCheck } from '../support/check-tester.js';

testCheck(check, {
  valid: [
    { name: 'a 401', input: { status: 401 } },
    { name: 'the edges of the range: 100 and 599', input: { hops: [{ status: 100 }], status: 599 } },
    {
      name: 'a redirect to https, then 200',
      input: {
        hops: [{ status: 302, responseHeaders: { Location: 'https://api.example.com/v2/me' } }],
        status: 200,
      },
    },
    {
      name: 'a redirect to a relative path',
      input: { status: 307, responseHeaders: { Location: '/v2/me' } },
    },
    {
      name: 'a file: link in a 200 (not a redirect)',
      input: { status: 200, responseHeaders: { Location: 'file:///etc/passwd' } },
    },
    {
      name: 'another transport error',
      input: { error: { phase: 'connect', code: 'ECONNREFUSED', message: 'nothing is listening' } },
    },
  ],
  invalid: [
    {
      name: 'status 999',
      input: { status: 999 },
      expect: {
        id: 'server.status-invalid',
        kind: 'cause',
        confidence: 'confirmed',
        mentions: ['status 999', '100 to 599'],
        evidence: [{ where: 'response.status', value: '999' }],
      },
    },
    { name: 'status 600', input: { status: 600 }, expect: { mentions: ['status 600'] } },
    {
      name: 'a status line undici refused',
      input: {
        error: {
          phase: 'protocol',
          code: 'INVALID_STATUS',
          message: 'the server answered with a status below 100, outside the 100–599 that HTTP allows',
        },
      },
      expect: {
        title: 'The server answered with a status line HTTP does not allow',
        mentions: ['below 100'],
        evidence: [{ where: 'error.protocol', value: 'INVALID_STATUS' }],
      },
    },
    {
      name: 'Location: file:///etc/passwd',
      input: { status: 302, responseHeaders: { Location: 'file:///etc/passwd' } },
      expect: {
        title: 'The server redirects to a file: URL, which no HTTP client follows',
        evidence: [{ where: 'response.header.location', value: 'file:///etc/passwd' }],
        count: 1,
      },
    },
    {
      name: 'Location: javascript:',
      input: { status: 301, responseHeaders: { Location: 'javascript:alert(1)' } },
      expect: { mentions: ['javascript:'] },
    },
    {
      name: 'an ftp: Location after an http hop',
      input: {
        hops: [{ status: 302, responseHeaders: { Location: '/files' } }],
        status: 303,
        responseHeaders: { Location: 'ftp://files.example.com/pub' },
      },
      expect: { mentions: ['ftp:'], evidence: [{ probe: 'main#1', where: 'response.header.location' }] },
    },
  ],
});
