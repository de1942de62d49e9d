import check from '../../src/checks/server-challenge-malformed.js';
import { testCheck } from '../support/check-tester.js';

testCheck(check, {
  valid: [
    {
      name: 'a well-formed challenge',
      input: {
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': 'Bearer realm="api", error="invalid_token", error_description="expired"',
        },
      },
    },
    {
      name: 'two challenges on one line',
      input: {
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api", DPoP algs="ES256 RS256"' },
      },
    },
    { name: 'no header', input: { status: 401 } },
  ],
  invalid: [
    {
      name: 'unterminated quoted string',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api' } },
      expect: {
        id: 'server.challenge-malformed',
        kind: 'warning',
        step: 4,
        confidence: 'confirmed',
        title: 'The WWW-Authenticate header does not parse: header 1, column 14: unterminated quoted string',
        mentions: ['WWW-Authenticate: Bearer realm="api'],
        evidence: [
          { where: 'response.header.www-authenticate', value: 'Bearer realm="api' },
          { where: 'www-authenticate.problem', value: 'header 1, column 14: unterminated quoted string' },
        ],
      },
    },
    {
      name: 'an unquoted description with spaces',
      input: {
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': 'Bearer error=invalid_token, error_description=The token expired',
        },
      },
      expect: { mentions: ['must be a quoted string'], count: 1 },
    },
    {
      name: 'a missing comma and a duplicate parameter',
      input: {
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="a" error="b", realm="c"' },
      },
      expect: {
        title: 'The WWW-Authenticate header does not parse (2 problems)',
        mentions: ['missing comma', 'duplicate parameter'],
      },
    },
    {
      name: 'an empty header',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': '' } },
      expect: { mentions: ['empty value'] },
    },
    {
      name: 'the same broken header to the anonymous probe is reported once',
      input: {
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api' },
        anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api' } },
      },
      expect: { count: 1, evidence: [{ probe: 'main' }] },
    },
    {
      name: 'only the anonymous probe got a broken header',
      input: {
        headers: { Authorization: 'Bearer abc' },
        status: 200,
        anonymous: {
          status: 401,
          responseHeaders: { 'WWW-Authenticate': 'Basic realm="x" charset="UTF-8"' },
        },
      },
      expect: {
        count: 1,
        mentions: ['The anonymous probe received'],
        evidence: [{ probe: 'anonymous', where: 'www-authenticate.problem' }],
      },
    },
  ],
});
