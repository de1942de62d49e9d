import { describe, expect, it } from 'vitest';
import { toFinding } from '../../src/checks/check.js';
import check from '../../src/checks/basic-charset.js';
import { deriveFacts } from '../../src/facts/request.js';
import { testCheck } from '../support/check-tester.js';
import { ev } from '../support/evidence.js';

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
const basic = (s: string) => ({ Authorization: `Basic ${b64(s)}` });
const challenge = { 'WWW-Authenticate': 'Basic realm="admin"' };
const utf8 = { 'WWW-Authenticate': 'Basic realm="admin", charset="UTF-8"' };

testCheck(check, {
  valid: [
    { name: 'ASCII credentials', input: { headers: basic('alice:s3cret'), responseHeaders: challenge } },
    {
      name: 'non-ASCII password, server offers UTF-8',
      input: { headers: basic('alice:pässwörd'), responseHeaders: utf8 },
    },
    {
      name: 'charset compares case-insensitively',
      input: {
        headers: basic('jürgen:pässwörd'),
        responseHeaders: { 'WWW-Authenticate': 'Basic realm="a", charset="utf-8"' },
      },
    },
    {
      name: 'UTF-8 offered in the anonymous probe',
      input: { headers: basic('alice:€uro'), status: 403, anonymous: { status: 401, responseHeaders: utf8 } },
    },
    {
      name: 'malformed Basic is basic.malformed',
      input: { headers: { Authorization: 'Basic alice:pässwörd' } },
    },
    {
      name: 'a Bearer token',
      input: { headers: { Authorization: 'Bearer abc' }, responseHeaders: challenge },
    },
  ],
  invalid: [
    {
      name: 'non-ASCII password, Basic challenge without charset',
      input: { headers: basic('alice:pässwörd'), responseHeaders: challenge },
      expect: {
        id: 'basic.charset',
        kind: 'cause',
        step: 3,
        confidence: 'likely',
        title: 'The Basic password contains non-ASCII characters, and the server does not announce UTF-8',
        mentions: ['The password has 2 non-ASCII characters', 'charset="UTF-8"'],
        evidence: [
          { probe: 'input', where: 'request.header.authorization', value: `Basic ${b64('alice:pässwörd')}` },
          { probe: 'main', where: 'response.header.www-authenticate', value: 'Basic realm="admin"' },
        ],
        count: 1,
      },
    },
    {
      name: 'non-ASCII user name is named, with its characters',
      input: { headers: basic('jürgen:secret'), responseHeaders: challenge },
      expect: { confidence: 'likely', mentions: ['user name "jürgen" has 1 non-ASCII character (ü)'] },
    },
    {
      name: 'both user and password',
      input: { headers: basic('jürgen:€uro'), responseHeaders: challenge },
      expect: {
        confidence: 'likely',
        title:
          'The Basic user name and password contain non-ASCII characters, and the server does not announce UTF-8',
      },
    },
    {
      name: 'no Basic challenge at all: possible',
      input: { headers: basic('alice:€uro'), status: 401 },
      expect: { confidence: 'possible', mentions: ['No Basic challenge was seen'] },
    },
    {
      name: 'a charset other than UTF-8 does not count',
      input: {
        headers: basic('alice:€uro'),
        responseHeaders: { 'WWW-Authenticate': 'Basic realm="a", charset="ISO-8859-1"' },
      },
      expect: { confidence: 'likely' },
    },
  ],
});

describe('basic.charset never shows the password', () => {
  it('keeps the password out of title and detail', () => {
    const e = ev({ headers: basic('alice:pässwörd'), responseHeaders: challenge });
    for (const d of check.run(deriveFacts(e))) {
      const f = toFinding(check.meta, d);
      expect(`${f.title}\n${f.detail ?? ''}\n${f.fix}`).not.toContain('pässwörd');
    }
  });
});
