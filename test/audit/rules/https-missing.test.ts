import rule from '../../../src/audit/rules/https-missing.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [{ name: 'https', answers: {} }],
  invalid: [
    {
      name: 'plain http on a public host',
      api: { baseUrl: 'http://api.example.test/v1' },
      evidence: /http:\/\/api\.example\.test/,
    },
  ],
  notApplicable: [
    { name: 'loopback', api: { baseUrl: 'http://127.0.0.1:8080/v1' } },
    { name: 'localhost', api: { baseUrl: 'http://localhost:3000' } },
    { name: 'IPv6 loopback', api: { baseUrl: 'http://[::1]:3000' } },
  ],
});
