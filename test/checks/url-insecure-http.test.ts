import check from '../../src/checks/url-insecure-http.js';
import { testCheck } from '../support/check-tester.js';

testCheck(check, {
  valid: [
    { name: 'https', input: { headers: { Authorization: 'Bearer x.y.z' } } },
    { name: 'http without credentials', input: { url: 'http://api.example.com/' } },
    {
      name: 'http on loopback',
      input: { url: 'http://127.0.0.1:8080/', headers: { Authorization: 'Bearer x.y.z' } },
    },
  ],
  invalid: [
    {
      name: 'bearer over http',
      input: { url: 'http://api.example.com/v1/me', headers: { Authorization: 'Bearer x.y.z' } },
      expect: {
        id: 'url.insecure-http',
        kind: 'warning',
        confidence: 'confirmed',
        evidence: [{ where: 'request.url', value: 'GET http://api.example.com/v1/me' }],
      },
    },
    {
      name: 'api key in the query over http',
      input: { url: 'http://api.example.com/v1/me?api_key=k123' },
      expect: { id: 'url.insecure-http' },
    },
  ],
});
