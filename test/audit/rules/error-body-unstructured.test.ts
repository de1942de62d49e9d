import rule from '../../../src/audit/rules/error-body-unstructured.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'problem+json',
      answers: {
        anonymous: {
          status: 401,
          headers: { 'Content-Type': 'application/problem+json' },
          body: '{"title":"Unauthorized"}',
        },
      },
    },
    {
      name: 'JSON with an RFC 6750 error code',
      answers: { malformed: { status: 401, body: '{"error":"invalid_token"}' } },
    },
    {
      name: 'an empty body with a challenge',
      answers: { anonymous: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } } },
    },
  ],
  invalid: [
    {
      name: 'plain text',
      answers: {
        anonymous: { status: 401, headers: { 'Content-Type': 'text/plain' }, body: 'Unauthorized' },
      },
      evidence: /text\/plain/,
    },
    { name: 'empty, no challenge', answers: { low: { status: 403 } }, evidence: /403/ },
  ],
  notApplicable: [
    {
      name: 'HTML (error-body-html judges it)',
      answers: {
        anonymous: { status: 401, headers: { 'Content-Type': 'text/html' }, body: '<html></html>' },
      },
    },
  ],
});
