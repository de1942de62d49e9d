import rule from '../../../src/audit/rules/refusal-cacheable.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    { name: 'no-store', answers: { anonymous: { status: 401, headers: { 'Cache-Control': 'no-store' } } } },
    {
      name: 'private, max-age',
      answers: { anonymous: { status: 401, headers: { 'Cache-Control': 'private, max-age=600' } } },
    },
    {
      name: 'nothing said (not heuristically cacheable; refusal-no-store judges it)',
      answers: { anonymous: { status: 403 } },
    },
    { name: 'max-age=0', answers: { anonymous: { status: 401, headers: { 'Cache-Control': 'max-age=0' } } } },
  ],
  invalid: [
    {
      name: 'public, max-age=300',
      answers: { anonymous: { status: 401, headers: { 'Cache-Control': 'public, max-age=300' } } },
      evidence: /401 Unauthorized; Cache-Control: public, max-age=300/,
    },
    {
      name: 's-maxage',
      answers: { low: { status: 403, headers: { 'Cache-Control': 's-maxage=60' } } },
      evidence: /s-maxage=60/,
    },
    {
      name: 'a future Expires',
      answers: { anonymous: { status: 401, headers: { Expires: 'Fri, 20 Nov 2026 11:00:00 GMT' } } },
      evidence: /no Cache-Control/,
    },
  ],
  notApplicable: [
    {
      name: 'no refusal',
      answers: { anonymous: { status: 200, headers: { 'Cache-Control': 'public, max-age=300' } } },
    },
  ],
});
