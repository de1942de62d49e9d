import rule from '../../../src/audit/rules/challenge-scheme.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'Bearer for a bearer scheme',
      answers: { anonymous: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } } },
    },
    {
      name: 'DPoP and Bearer',
      answers: {
        anonymous: { status: 401, headers: { 'WWW-Authenticate': 'DPoP algs="ES256", Bearer realm="api"' } },
      },
    },
    {
      name: 'Basic for basic',
      schemes: [{ name: 'b', type: 'http', httpScheme: 'basic' }],
      answers: { anonymous: { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="api"' } } },
    },
  ],
  invalid: [
    {
      name: 'Basic for a bearer API',
      answers: { anonymous: { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="api"' } } },
      evidence: /WWW-Authenticate: Basic realm="api"[\s\S]*declares bearerAuth \(bearer\)/,
    },
  ],
  notApplicable: [
    { name: 'no challenge (challenge-missing judges it)', answers: { anonymous: { status: 401 } } },
    {
      name: 'an API key scheme has no standard challenge',
      schemes: [{ name: 'k', type: 'apiKey', in: 'header', paramName: 'X-Key' }],
      answers: { anonymous: { status: 401, headers: { 'WWW-Authenticate': 'ApiKey' } } },
    },
  ],
});
