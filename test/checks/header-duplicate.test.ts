import { expect } from 'vitest';
import check from '../../src/checks/header-duplicate.js';
import { testCheck } from '../support/check-tester.js';

const A = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';
const B = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiIn0.c2ln';

testCheck(check, {
  valid: [
    { name: 'one Authorization header', input: { headers: { Authorization: `Bearer ${A}` } } },
    {
      name: 'Supabase: apikey beside a user token',
      input: { headers: { apikey: 'anon-key', Authorization: `Bearer ${A}` } },
    },
    {
      name: 'Azure APIM subscription key beside a token',
      input: { headers: { 'Ocp-Apim-Subscription-Key': 'sub-key', Authorization: `Bearer ${A}` } },
    },
    {
      name: 'the same value in Authorization and X-API-Key',
      input: { headers: { 'X-API-Key': A, Authorization: `Bearer ${A}` } },
    },
    {
      name: 'Basic credentials beside an API key header',
      input: { headers: { 'X-API-Key': 'k1', Authorization: 'Basic dXNlcjpwYXNz' } },
    },
    {
      name: 'an access_token in the query alone',
      input: { url: `https://api.example.com/v1/me?access_token=${A}` },
    },
    { name: 'an API key header alone', input: { headers: { 'X-API-Key': 'k1' } } },
  ],
  invalid: [
    {
      name: 'two Authorization headers with different values',
      input: {
        headers: [
          ['Authorization', `Bearer ${A}`],
          ['Authorization', 'Basic dXNlcjpwYXNz'],
        ],
      },
      expect: {
        id: 'header.duplicate',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'The request sends 2 Authorization headers with different values',
        mentions: ['Schemes in order: Bearer, Basic', 'first one wins'],
        evidence: [
          { probe: 'input', where: 'request.header.authorization', value: `Bearer ${A}` },
          { probe: 'input', where: 'request.header.authorization', value: 'Basic dXNlcjpwYXNz' },
        ],
        fix: expect.stringContaining('exactly one Authorization header'),
        count: 1,
      },
    },
    {
      name: 'two identical Authorization headers',
      input: {
        headers: [
          ['Authorization', `Bearer ${A}`],
          ['authorization', `Bearer ${A}`],
        ],
      },
      expect: {
        confidence: 'confirmed',
        title: 'The request sends 2 Authorization headers',
        mentions: ['the same value each time'],
      },
    },
    {
      name: 'Authorization and a different access_token in the query',
      input: {
        headers: { Authorization: `Bearer ${A}` },
        url: `https://api.example.com/v1/me?access_token=${B}`,
      },
      expect: {
        confidence: 'possible',
        title: 'The Authorization header and the access_token query parameter carry different tokens',
        evidence: [{ where: 'request.query.access_token', value: B }],
        count: 1,
      },
    },
    {
      name: 'the same token in the header and the query',
      input: {
        headers: { Authorization: `Bearer ${A}` },
        url: `https://api.example.com/v1/me?access_token=${A}`,
      },
      expect: { confidence: 'possible', mentions: ['sent twice', 'Found multiple bearer tokens'] },
    },
    {
      name: 'a Bearer token and an X-API-Key with another value',
      input: { headers: { Authorization: `Bearer ${A}`, 'X-API-Key': 'k_live_123' } },
      expect: {
        confidence: 'possible',
        title: 'The Authorization header and the X-API-Key header carry different credentials',
        evidence: [{ where: 'request.header.x-api-key', value: 'k_live_123' }],
      },
    },
    {
      name: 'an X-Auth-Token beside a different token without scheme',
      input: { headers: { Authorization: A, 'X-Auth-Token': B } },
      expect: { confidence: 'possible' },
    },
    {
      name: 'one API key header twice with different values',
      input: {
        headers: [
          ['X-API-Key', 'k1'],
          ['X-API-Key', 'k2'],
        ],
      },
      expect: { confidence: 'likely', title: 'The request sends the X-API-Key header 2 times', count: 1 },
    },
  ],
});
