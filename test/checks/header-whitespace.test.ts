import { expect } from 'vitest';
import check from '../../src/checks/header-whitespace.js';
import { testCheck } from '../support/check-tester.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln'; // 42 characters
const V = `Bearer ${TOKEN}`; // 49 characters

testCheck(check, {
  valid: [
    { name: 'one space between scheme and token', input: { headers: { Authorization: V } } },
    { name: 'Basic credentials', input: { headers: { Authorization: 'Basic dXNlcjpwYXNz' } } },
    {
      name: 'Digest auth-params separated by ", "',
      input: {
        headers: { Authorization: 'Digest username="bob", realm="api", uri="/v1/me", response="6629fae4"' },
      },
    },
    {
      name: 'AWS SigV4 parameters',
      input: {
        headers: {
          Authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79',
        },
      },
    },
    { name: 'a clean API key header', input: { headers: { 'X-API-Key': 'k_123456' } } },
    {
      name: 'Bearer Bearer x is header.scheme-repeated, not whitespace',
      input: { headers: { Authorization: `Bearer Bearer ${TOKEN}` } },
    },
    {
      name: 'Bearer [object Object] is header.placeholder',
      input: { headers: { Authorization: 'Bearer [object Object]' } },
    },
    { name: 'spaces in other headers do not matter', input: { headers: { 'User-Agent': ' my agent ' } } },
  ],
  invalid: [
    {
      name: 'a trailing newline (token read from a file)',
      input: { headers: { Authorization: `${V}\n` } },
      expect: {
        id: 'header.whitespace',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'The Authorization header ends with a line break (LF)',
        mentions: ['Line feed (LF, \\n) at character 50 of 50'],
        evidence: [{ probe: 'input', where: 'request.header.authorization', value: `${V}\n` }],
        fix: expect.stringContaining("tr -d '\\r\\n'"),
        count: 1,
      },
    },
    {
      name: 'a trailing CRLF (Windows file)',
      input: { headers: { Authorization: `${V}\r\n` } },
      expect: {
        confidence: 'confirmed',
        title: 'The Authorization header ends with a line break (CR LF)',
        count: 1,
      },
    },
    {
      name: 'a line break in the middle',
      input: { headers: { Authorization: `Bearer ${TOKEN.slice(0, 20)}\n${TOKEN.slice(20)}` } },
      expect: { confidence: 'confirmed', mentions: ['inside it', 'at character 28'], count: 1 },
    },
    {
      name: 'a space inside the token',
      input: { headers: { Authorization: `Bearer ${TOKEN.slice(0, 20)} ${TOKEN.slice(20)}` } },
      expect: {
        confidence: 'confirmed',
        title: 'The Authorization header has a space inside the token',
        mentions: ['Space at character 28'],
      },
    },
    {
      name: 'a tab inside a token without a scheme',
      input: { headers: { Authorization: `${TOKEN.slice(0, 20)}\t${TOKEN.slice(20)}` } },
      expect: { confidence: 'confirmed', mentions: ['a tab inside the token', 'Tab at character 21'] },
    },
    {
      name: 'two spaces between scheme and token',
      input: { headers: { Authorization: `Bearer  ${TOKEN}` } },
      expect: {
        confidence: 'possible',
        title: 'The Authorization header has 2 spaces between `Bearer` and the credentials',
        count: 1,
      },
    },
    {
      name: 'a tab between scheme and token',
      input: { headers: { Authorization: `Bearer\t${TOKEN}` } },
      expect: { confidence: 'likely', mentions: ['with a tab'], count: 1 },
    },
    {
      name: 'trailing spaces',
      input: { headers: { Authorization: `${V}  ` } },
      expect: {
        confidence: 'possible',
        title: 'The Authorization header has 2 trailing spaces',
        mentions: ['Space at character 50'],
      },
    },
    {
      name: 'a leading space',
      input: { headers: { Authorization: ` ${V}` } },
      expect: { confidence: 'possible', title: 'The Authorization header has a leading space', count: 1 },
    },
    {
      name: 'an API key with a trailing newline',
      input: { headers: { 'X-API-Key': 'k_123456\n' } },
      expect: {
        confidence: 'confirmed',
        title: 'The X-API-Key header ends with a line break (LF)',
        evidence: [{ where: 'request.header.x-api-key', value: 'k_123456\n' }],
      },
    },
    {
      name: 'an API key with a space inside',
      input: { headers: { 'x-api-key': 'k_123 456' } },
      expect: { confidence: 'confirmed', title: 'The x-api-key header has a space inside the key' },
    },
    {
      name: 'several problems give several findings',
      input: { headers: { Authorization: `Bearer  ${TOKEN}\n` } },
      expect: { count: 2 },
    },
  ],
});
