import rule from '../../../src/audit/rules/resource-metadata-mismatch.js';
import { doc, testRule } from '../support/rule-tester.js';

const URL = 'https://api.example.test/.well-known/oauth-protected-resource/v1';
testRule(rule, {
  valid: [
    {
      name: 'identical',
      api: { resourceMetadata: doc(URL, 200, { resource: 'https://api.example.test/v1' }) },
    },
    {
      name: "the host's case",
      api: { resourceMetadata: doc(URL, 200, { resource: 'https://API.example.test/v1' }) },
    },
  ],
  invalid: [
    {
      name: 'a trailing slash',
      api: { resourceMetadata: doc(URL, 200, { resource: 'https://api.example.test/v1/' }) },
      evidence: /says resource "https:\/\/api\.example\.test\/v1\/"/,
    },
    {
      name: 'another host',
      api: { resourceMetadata: doc(URL, 200, { resource: 'https://internal.example.test/v1' }) },
      evidence: /internal/,
    },
  ],
  notApplicable: [{ name: 'no metadata', api: { resourceMetadata: doc(URL, 404) } }],
});
