import check from '../../src/checks/header-quoted.js';
import { testCheck } from '../support/check-tester.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';

testCheck(check, {
  valid: [
    { name: 'a plain Bearer token', input: { headers: { Authorization: `Bearer ${TOKEN}` } } },
    { name: 'Basic credentials', input: { headers: { Authorization: 'Basic dXNlcjpwYXNz' } } },
    {
      name: 'Digest auth-params carry quotes by their syntax',
      input: {
        headers: { Authorization: 'Digest username="bob", realm="api", nonce="abc", response="6629fae4"' },
      },
    },
    { name: 'a plain API key header', input: { headers: { 'X-API-Key': 'k_123456' } } },
    { name: 'a plain key in the query', input: { url: 'https://api.example.com/v1/me?api_key=k123' } },
    { name: 'a quote inside a token is not wrapping', input: { headers: { Authorization: 'Bearer ab"cd' } } },
    { name: 'quotes in another header do not matter', input: { headers: { 'If-None-Match': '"etag"' } } },
  ],
  invalid: [
    {
      name: 'Bearer "token"',
      input: { headers: { Authorization: `Bearer "${TOKEN}"` } },
      expect: {
        id: 'header.quoted',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'The Authorization credential is wrapped in double quotes (")',
        evidence: [{ probe: 'input', where: 'request.header.authorization', value: `Bearer "${TOKEN}"` }],
        count: 1,
      },
    },
    {
      name: "Bearer 'token'",
      input: { headers: { Authorization: `Bearer '${TOKEN}'` } },
      expect: { confidence: 'confirmed', mentions: ['single quotes'] },
    },
    {
      name: 'typographic quotes',
      input: { headers: { Authorization: `Bearer \u201C${TOKEN}\u201D` } },
      expect: { confidence: 'confirmed', mentions: ['typographic quotes (\u201C \u201D)'] },
    },
    {
      name: 'typographic single quotes',
      input: { headers: { Authorization: `Bearer \u2018${TOKEN}\u2019` } },
      expect: { confidence: 'confirmed', mentions: ['typographic single quotes'] },
    },
    {
      name: 'Markdown backticks',
      input: { headers: { Authorization: `Bearer \`${TOKEN}\`` } },
      expect: { confidence: 'confirmed', mentions: ['backticks'] },
    },
    {
      name: 'the whole value quoted, scheme included',
      input: { headers: { Authorization: `"Bearer ${TOKEN}"` } },
      expect: {
        confidence: 'confirmed',
        title: 'The whole Authorization value is wrapped in double quotes (")',
        count: 1,
      },
    },
    {
      name: 'a stray quote at the end',
      input: { headers: { Authorization: `Bearer ${TOKEN}"` } },
      expect: { confidence: 'confirmed', title: 'The Authorization credential has a stray " at the end' },
    },
    {
      name: 'a stray quote at the start of the token',
      input: { headers: { Authorization: `Bearer "${TOKEN}` } },
      expect: { confidence: 'confirmed', mentions: ['stray " at the start'] },
    },
    {
      name: 'a quoted token without a scheme',
      input: { headers: { Authorization: `"${TOKEN}"` } },
      expect: { confidence: 'confirmed', mentions: ['wrapped in double quotes'] },
    },
    {
      name: 'a quoted API key header',
      input: { headers: { 'X-API-Key': '"k_123456"' } },
      expect: {
        confidence: 'confirmed',
        title: 'The value of the X-API-Key header is wrapped in double quotes (")',
        evidence: [{ where: 'request.header.x-api-key', value: '"k_123456"' }],
      },
    },
    {
      name: 'a quoted key in the query (%22)',
      input: { url: 'https://api.example.com/v1/me?api_key=%22k123%22' },
      expect: {
        confidence: 'confirmed',
        mentions: ['query parameter `api_key`'],
        evidence: [{ where: 'request.query.api_key', value: '"k123"' }],
      },
    },
  ],
});
