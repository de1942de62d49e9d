import { describe, expect, it } from 'vitest';
import check from '../../src/checks/header-placeholder.js';
import { classify } from '../../src/knowledge/placeholder.js';
import { toFinding } from '../../src/checks/check.js';
import { deriveFacts } from '../../src/facts/request.js';
import { testCheck } from '../support/check-tester.js';
import { ev } from '../support/evidence.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';
const auth = (v: string) => ({ headers: { Authorization: v } });

testCheck(check, {
  valid: [
    { name: 'a real-looking Bearer token', input: auth(`Bearer ${TOKEN}`) },
    { name: 'Basic credentials', input: auth('Basic dXNlcjpwYXNz') },
    { name: '`Basic` alone is basic.malformed', input: auth('Basic') },
    { name: 'a real-looking API key', input: { headers: { 'X-API-Key': 'k_9f8e7d6c5b4a' } } },
    { name: 'a GitHub token', input: auth('token ghp_16C7e42F292c6912E7710c838347Ae178B4a') },
    { name: 'a key in the query', input: { url: 'https://api.example.com/v1/me?api_key=9f8e7d6c5b4a' } },
    {
      name: 'an upper-case key is not a variable name',
      input: { headers: { 'X-API-Key': 'AKIAIOSFODNN7EXAMPLE' } },
    },
    { name: 'no credentials at all (credentials.missing)', input: {} },
  ],
  invalid: [
    {
      name: 'Bearer with nothing after it',
      input: auth('Bearer'),
      expect: {
        id: 'header.placeholder',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'The Authorization header is `Bearer` with nothing after it',
        mentions: ['empty or unset'],
        evidence: [{ probe: 'input', where: 'request.header.authorization', value: 'Bearer' }],
        count: 1,
      },
    },
    {
      name: 'Bearer and a trailing space',
      input: auth('Bearer '),
      expect: {
        confidence: 'confirmed',
        title: 'The Authorization header is `Bearer` with nothing after it',
      },
    },
    {
      name: 'an empty Authorization header',
      input: auth(''),
      expect: { title: 'The Authorization header is empty' },
    },
    {
      name: '$TOKEN: an unexpanded shell variable',
      input: auth('Bearer $TOKEN'),
      expect: {
        title: 'The Authorization header sends an unexpanded shell variable `$TOKEN`, not a credential',
        mentions: ['single quotes'],
        fix: expect.stringContaining('-H "Authorization: Bearer $TOKEN"'),
      },
    },
    { name: '${TOKEN}', input: auth('Bearer ${TOKEN}'), expect: { mentions: ['unexpanded shell variable'] } },
    {
      name: '$(gcloud …) in single quotes: the command, not its output',
      input: auth('Bearer $(gcloud auth print-access-token)'),
      expect: {
        title:
          'The Authorization header sends an unexpanded command substitution `$(gcloud auth print-access-token)`, not a credential',
        fix: expect.stringContaining('-H "Authorization: Bearer $(gcloud auth print-access-token)"'),
      },
    },
    {
      name: '`cat token`',
      input: auth('Bearer `cat token`'),
      expect: { mentions: ['command substitution'] },
    },
    {
      name: '{{token}}: Postman',
      input: auth('Bearer {{token}}'),
      expect: { mentions: ['Postman', 'no environment is selected'] },
    },
    {
      name: '<token>',
      input: auth('Bearer <token>'),
      expect: { mentions: ['placeholder from documentation'] },
    },
    {
      name: '<access_token>',
      input: auth('Bearer <access_token>'),
      expect: { mentions: ['`<access_token>`'] },
    },
    { name: '[token]', input: auth('Bearer [token]'), expect: { mentions: ['placeholder'] } },
    { name: '{token}', input: auth('Bearer {token}'), expect: { mentions: ['`f` prefix'] } },
    { name: '%TOKEN%', input: auth('Bearer %TOKEN%'), expect: { mentions: ['cmd.exe'] } },
    { name: '$env:TOKEN', input: auth('Bearer $env:TOKEN'), expect: { mentions: ['PowerShell'] } },
    {
      name: 'undefined',
      input: auth('Bearer undefined'),
      expect: {
        title: 'The Authorization header sends the text `undefined`, not a credential',
        mentions: ['JavaScript'],
      },
    },
    { name: 'null', input: auth('Bearer null'), expect: { mentions: ['`null`'] } },
    { name: 'None (Python)', input: auth('Bearer None'), expect: { mentions: ['Python'] } },
    { name: 'nil', input: auth('Bearer nil'), expect: { mentions: ['Ruby or Go'] } },
    { name: 'NaN', input: auth('Bearer NaN'), expect: { mentions: ['NaN'] } },
    {
      name: '[object Object]',
      input: auth('Bearer [object Object]'),
      expect: { mentions: ['[object Object]'], fix: expect.stringContaining('access_token') },
    },
    {
      name: 'your_token_here',
      input: auth('Bearer your_token_here'),
      expect: { mentions: ['sample value'] },
    },
    {
      name: 'YOUR_API_KEY in an API key header',
      input: { headers: { 'X-API-Key': 'YOUR_API_KEY' } },
      expect: {
        title:
          'The X-API-Key header sends a placeholder from documentation or a sample `YOUR_API_KEY`, not a credential',
      },
    },
    {
      name: 'xxxxxxxx',
      input: { headers: { 'X-API-Key': 'xxxxxxxx' } },
      expect: { mentions: ['dummy or masked'] },
    },
    { name: '***', input: auth('Bearer ***'), expect: { mentions: ['dummy or masked'] } },
    {
      name: 'sk_test_xxxxxxxx',
      input: auth('Bearer sk_test_xxxxxxxxxxxx'),
      expect: { mentions: ['sample'] },
    },
    {
      name: 'a masked key: the title does not quote it',
      input: { headers: { 'X-API-Key': 'sk_live_****************4242' } },
      expect: { title: 'The X-API-Key header sends a masked copy of a key, not the credential' },
    },
    { name: 'changeme', input: auth('Bearer changeme'), expect: { mentions: ['`changeme`'] } },
    {
      name: 'the word token',
      input: auth('Bearer token'),
      expect: {
        title: "The Authorization header sends a variable's name `token`, not a credential",
        mentions: ['name of the variable'],
      },
    },
    {
      name: 'ACCESS_TOKEN in an API key header: one "not a credential", the variable named',
      input: { headers: { 'X-API-Key': 'ACCESS_TOKEN' } },
      expect: {
        title:
          'The X-API-Key header sends the name of an environment variable `ACCESS_TOKEN`, not a credential',
        fix: expect.stringContaining('$ACCESS_TOKEN'),
      },
    },
    {
      name: 'an environment variable name',
      input: auth('Bearer GITHUB_TOKEN'),
      expect: { mentions: ['variable name'], fix: expect.stringContaining('$GITHUB_TOKEN') },
    },
    {
      name: 'a quoted placeholder',
      input: auth('Bearer "$TOKEN"'),
      expect: { mentions: ['unexpanded shell variable'] },
    },
    {
      name: 'a key query parameter that is empty',
      input: { url: 'https://api.example.com/v1/me?api_key=' },
      expect: {
        title: 'The query parameter `api_key` is empty',
        evidence: [{ where: 'request.query.api_key', value: '' }],
      },
    },
    {
      name: 'a key query parameter that is undefined',
      input: { url: 'https://api.example.com/v1/me?access_token=undefined' },
      expect: {
        mentions: ['`undefined`'],
        evidence: [{ where: 'request.query.access_token', value: 'undefined' }],
      },
    },
  ],
});

describe('header.placeholder classify', () => {
  it('finishes quickly on a long value that almost matches', () => {
    const v = `your_${'a_'.repeat(5000)}!`;
    expect(classify(v)).toBeUndefined();
  });
  it('does not take real-looking keys for placeholders', () => {
    for (const v of [
      'sk_live_51Habc9f8e7d6c5b',
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      'AKIAIOSFODNN7EXAMPLE',
      'a1b2c3d4',
    ]) {
      expect(classify(v)).toBeUndefined();
    }
  });
});

describe('header.placeholder titles, every kind', () => {
  // One value per kind classify() knows, sent in Authorization and in an API-key header: each
  // title says "not a credential" (or "not the credential") once, after the quoted value (issue
  // 14 found "sends a word, not a credential `ACCESS_TOKEN`, not a credential").
  const values = [
    '$TOKEN',
    '$env:TOKEN',
    '%TOKEN%',
    '${token}',
    '{{token}}',
    '<token>',
    '[object Object]',
    'undefined',
    'None',
    'xxxxxxxx',
    'sk_live_****************4242',
    'your_token_here',
    'token',
    'access_token',
    'ACCESS_TOKEN',
    'GITHUB_TOKEN',
  ];
  const titles = (v: string): string[] =>
    [auth(`Bearer ${v}`), { headers: { 'X-API-Key': v } }].flatMap((input) =>
      check.run(deriveFacts(ev(input))).map((d) => toFinding(check.meta, d).title),
    );
  it.each(values)('%s', (v) => {
    const found = titles(v);
    expect(found).toHaveLength(2);
    for (const t of found) {
      expect(t.match(/not (?:a|the) credential/g), t).toHaveLength(1);
      expect(t).toMatch(/^The (?:Authorization|X-API-Key) header sends .+, not (?:a|the) credential$/);
      if (classify(v)!.quote) expect(t).toContain(`\`${v}\`, not a credential`);
    }
  });
  it('ACCESS_TOKEN reads as the name of an environment variable, its fix names it', () => {
    const k = classify('ACCESS_TOKEN')!;
    expect(k.what).toBe('the name of an environment variable');
    expect(k.fix).toContain('$ACCESS_TOKEN');
  });
});
