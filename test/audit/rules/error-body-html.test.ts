import rule from '../../../src/audit/rules/error-body-html.js';
import { testRule } from '../support/rule-tester.js';

const PAGE =
  '<!DOCTYPE html>\n<html lang="en"><head><title>Error</title></head><body><pre>UnauthorizedError</pre></body></html>';
testRule(rule, {
  valid: [
    {
      name: 'problem+json',
      answers: {
        anonymous: {
          status: 401,
          headers: { 'Content-Type': 'application/problem+json' },
          body: '{"title":"Unauthorized","status":401}',
        },
      },
    },
  ],
  invalid: [
    {
      name: "Express's default error page",
      answers: {
        anonymous: { status: 401, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: PAGE },
      },
      evidence: /Content-Type: text\/html/,
    },
    {
      name: 'HTML sent as text/plain',
      answers: {
        expired: {
          status: 500,
          headers: { 'Content-Type': 'text/plain' },
          body: '<html>\n<body>oops</body></html>',
        },
      },
      evidence: /500/,
    },
  ],
  notApplicable: [
    {
      name: 'no error answer',
      answers: { anonymous: { status: 200, headers: { 'Content-Type': 'text/html' }, body: PAGE } },
    },
  ],
});
