import rule from '../../../src/audit/rules/resource-metadata-missing.js';
import { doc, testRule } from '../support/rule-tester.js';

const URL = 'https://api.example.test/.well-known/oauth-protected-resource/v1';
testRule(rule, {
  valid: [
    { name: 'served', api: { resourceMetadata: doc(URL, 200, { resource: 'https://api.example.test/v1' }) } },
  ],
  invalid: [
    { name: '404', api: { resourceMetadata: doc(URL, 404) }, evidence: /404 Not Found/ },
    { name: 'an HTML page', api: { resourceMetadata: doc(URL, 200) }, evidence: /not JSON/ },
    {
      name: 'no resource member',
      api: { resourceMetadata: doc(URL, 200, { authorization_servers: [] }) },
      evidence: /200 OK/,
    },
    {
      name: 'unreachable',
      api: { resourceMetadata: { url: URL, headers: [], error: 'connect ECONNREFUSED' } },
      evidence: /no answer \(connect ECONNREFUSED\)/,
    },
  ],
  notApplicable: [{ name: 'not looked for (no bearer scheme)', api: {} }],
});
