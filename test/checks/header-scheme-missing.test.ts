import { expect } from 'vitest';
import check from '../../src/checks/header-scheme-missing.js';
import { testCheck } from '../support/check-tester.js';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ1c2VyLTEyMyIsImV4cCI6MTc5NjAwMDAwMH0.c2lnbmF0dXJl';
// base64 of "alice:s3cret"
const BASIC = 'YWxpY2U6czNjcmV0';

testCheck(check, {
  valid: [
    { name: 'Bearer token', input: { headers: { Authorization: `Bearer ${JWT}` } } },
    { name: 'lower-case scheme', input: { headers: { Authorization: `bearer ${JWT}` } } },
    { name: 'Basic credentials', input: { headers: { Authorization: `Basic ${BASIC}` } } },
    {
      name: 'a scheme alone (header.placeholder reports it)',
      input: { headers: { Authorization: 'Bearer' } },
    },
    { name: 'an empty header (header.placeholder reports it)', input: { headers: { Authorization: '' } } },
    {
      name: 'a non-standard scheme is still a scheme',
      input: { headers: { Authorization: `Token ${JWT}` } },
    },
    {
      name: 'a quoted value with its scheme (header.quoted)',
      input: { headers: { Authorization: `"Bearer ${JWT}"` } },
    },
    { name: 'no Authorization header', input: { headers: { 'X-API-Key': 'abc' } } },
    {
      name: '`Authorization: undefined` is header.placeholder',
      input: { headers: { Authorization: 'undefined' } },
    },
    {
      name: '`Authorization: [object Object]` is header.placeholder',
      input: { headers: { Authorization: '[object Object]' } },
    },
  ],
  invalid: [
    {
      name: 'a bare JWT',
      input: {
        headers: { Authorization: JWT },
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' },
      },
      expect: {
        id: 'header.scheme-missing',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: `The Authorization header holds a JWT (eyJ…, ${JWT.length} characters) with no scheme in front`,
        evidence: [{ probe: 'input', where: 'request.header.authorization', value: JWT }],
        fix: expect.stringContaining('Authorization: Bearer <token>'),
        count: 1,
      },
    },
    {
      name: 'a bare JWT and no challenge is still confirmed',
      input: { headers: { Authorization: JWT }, status: 401 },
      expect: { confidence: 'confirmed', mentions: ['no scheme'] },
    },
    {
      name: 'base64 of user:password suggests Basic',
      input: { headers: { Authorization: BASIC } },
      expect: {
        confidence: 'confirmed',
        mentions: ['Basic credentials', 'user:password'],
        fix: expect.stringContaining('curl -u user:password'),
      },
    },
    {
      name: 'an opaque key without a challenge is only likely (some APIs take a bare key)',
      input: { headers: { Authorization: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc' }, status: 401 },
      expect: { confidence: 'likely', mentions: ['a 32-character value'] },
    },
    {
      name: 'an opaque key with a Bearer challenge is confirmed',
      input: {
        headers: { Authorization: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a' },
        responseHeaders: { 'WWW-Authenticate': 'Bearer' },
      },
      expect: { confidence: 'confirmed' },
    },
    {
      name: 'a JWT split by a space is not taken for a scheme',
      input: { headers: { Authorization: `${JWT.slice(0, 50)} ${JWT.slice(50)}` } },
      expect: { confidence: 'confirmed', mentions: ['no scheme'] },
    },
    {
      name: 'Bearer: glued with a colon',
      input: { headers: { Authorization: `Bearer:${JWT}` } },
      expect: {
        confidence: 'confirmed',
        title: 'The scheme `Bearer` is glued to the credentials with no space after it',
        fix: expect.stringContaining('exactly one space'),
      },
    },
    {
      name: 'Bearer glued without anything',
      input: { headers: { Authorization: `Bearer${JWT}` } },
      expect: { confidence: 'confirmed', mentions: ['glued'] },
    },
    {
      name: 'the title never quotes the token',
      input: { headers: { Authorization: 'abcdef0123456789abcdef0123456789' } },
      expect: { mentions: ['a 32-character value'], count: 1 },
    },
  ],
});
