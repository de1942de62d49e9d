import rule from '../../../src/audit/rules/refusal-no-store.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    { name: 'no-store', answers: { anonymous: { status: 401, headers: { 'Cache-Control': 'no-store' } } } },
    { name: 'private', answers: { anonymous: { status: 401, headers: { 'Cache-Control': 'private' } } } },
  ],
  invalid: [
    { name: 'nothing said', answers: { anonymous: { status: 401 } }, evidence: /no Cache-Control/ },
    {
      name: 'no-cache only',
      answers: { anonymous: { status: 403, headers: { 'Cache-Control': 'no-cache' } } },
      evidence: /no-cache/,
    },
  ],
  notApplicable: [
    {
      name: 'plainly cacheable (refusal-cacheable judges it)',
      answers: { anonymous: { status: 401, headers: { 'Cache-Control': 'public, max-age=60' } } },
    },
    { name: 'a preflight refusal is not counted', answers: { preflight: { status: 401 } } },
  ],
});
