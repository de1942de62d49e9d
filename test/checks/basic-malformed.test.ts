import { expect } from 'vitest';
import check from '../../src/checks/basic-malformed.js';
import { testCheck } from '../support/check-tester.js';

// base64("alice:s3cret")
const GOOD = 'YWxpY2U6czNjcmV0';

testCheck(check, {
  valid: [
    { name: 'base64 of user:password', input: { headers: { Authorization: `Basic ${GOOD}` } } },
    { name: 'lower-case scheme', input: { headers: { Authorization: `basic ${GOOD}` } } },
    {
      name: 'an empty password is well-formed (API key as user)',
      input: { headers: { Authorization: 'Basic c2tfdGVzdF8xMjM6' } },
    },
    { name: 'a Bearer token', input: { headers: { Authorization: 'Bearer abc' } } },
    { name: 'no Authorization header', input: {} },
  ],
  invalid: [
    {
      name: 'plain user:password',
      input: { headers: { Authorization: 'Basic alice:s3cret' } },
      expect: {
        id: 'basic.malformed',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'The Basic credentials are sent as plain `user:password`, not base64-encoded',
        mentions: ['not a base64 character'],
        evidence: [{ probe: 'input', where: 'request.header.authorization', value: 'Basic alice:s3cret' }],
        fix: expect.stringContaining("printf '%s' 'user:password' | base64"),
        count: 1,
      },
    },
    {
      name: 'not base64 at all',
      input: { headers: { Authorization: 'Basic hello!world' } },
      expect: { confidence: 'confirmed', title: 'The Basic credentials are not valid base64' },
    },
    {
      name: 'base64url alphabet',
      input: { headers: { Authorization: 'Basic YWxp-2U6_zNjcmV0' } },
      expect: {
        confidence: 'confirmed',
        mentions: ['base64url'],
        fix: expect.stringContaining('not base64url'),
      },
    },
    {
      name: 'the user name alone was encoded (no colon)',
      input: { headers: { Authorization: 'Basic YWxpY2U=' } },
      expect: {
        confidence: 'confirmed',
        mentions: ['no colon', 'no ":"'],
        fix: expect.stringContaining('curl -u user:password'),
      },
    },
    {
      name: 'bad padding (cut off)',
      input: { headers: { Authorization: 'Basic YWxpY2U6czNjcmV' } },
      expect: { confidence: 'confirmed', mentions: ['padding'] },
    },
    {
      name: 'Basic with nothing after it',
      input: { headers: { Authorization: 'Basic' } },
      expect: {
        confidence: 'confirmed',
        title: 'The Authorization header is `Basic` with nothing after it',
        mentions: ['empty'],
      },
    },
  ],
});
