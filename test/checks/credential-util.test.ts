import { describe, expect, it } from 'vitest';
import basicCharset from '../../src/checks/basic-charset.js';
import basicMalformed from '../../src/checks/basic-malformed.js';
import type { Check } from '../../src/checks/check.js';
import { toFinding } from '../../src/checks/check.js';
import clockSkew from '../../src/checks/clock-skew.js';
import {
  durationShort,
  durationWords,
  isoFromSeconds,
  isSchemeLike,
  looksLikeBasicPair,
  shapeOf,
  signedDuration,
} from '../../src/checks/credential-util.js';
import { scopesOf } from '../../src/parse/jwt.js';
import credentialsMissing from '../../src/checks/credentials-missing.js';
import { deriveFacts } from '../../src/facts/request.js';
import headerDuplicate from '../../src/checks/header-duplicate.js';
import headerNonAscii from '../../src/checks/header-non-ascii.js';
import headerPlaceholder from '../../src/checks/header-placeholder.js';
import headerQuoted from '../../src/checks/header-quoted.js';
import headerSchemeMismatch from '../../src/checks/header-scheme-mismatch.js';
import headerSchemeMissing from '../../src/checks/header-scheme-missing.js';
import headerSchemeRepeated from '../../src/checks/header-scheme-repeated.js';
import headerWhitespace from '../../src/checks/header-whitespace.js';
import infoIdentity from '../../src/checks/info-identity.js';
import jwtAlgNone from '../../src/checks/jwt-alg-none.js';
import jwtIdTokenUsed from '../../src/checks/jwt-id-token-used.js';
import tokenExpired from '../../src/checks/token-expired.js';
import tokenMalformed from '../../src/checks/token-malformed.js';
import tokenNotYetValid from '../../src/checks/token-not-yet-valid.js';
import { ev, type EvInput } from '../support/evidence.js';

describe('credential-util', () => {
  it('words durations for titles', () => {
    expect(durationWords(1000)).toBe('1 second');
    expect(durationWords(42_000)).toBe('42 seconds');
    expect(durationWords(4 * 60_000 + 10_000)).toBe('4 minutes');
    expect(durationWords(3 * 3600_000 + 5 * 60_000)).toBe('3 hours');
    expect(durationWords(-2 * 86400_000)).toBe('2 days');
  });
  it('writes short durations for details', () => {
    expect(durationShort(42_000)).toBe('42 s');
    expect(durationShort(250_000)).toBe('4 min 10 s');
    expect(durationShort(3 * 3600_000 + 5 * 60_000 + 7_000)).toBe('3 h 5 min');
    expect(durationShort(2 * 86400_000 + 3 * 3600_000)).toBe('2 d 3 h');
    expect(durationShort(3600_000 + 7_000)).toBe('1 h');
    expect(durationShort(0)).toBe('0 s');
    expect(signedDuration(2_000)).toBe('+2 s');
    expect(signedDuration(-250_000)).toBe('-4 min 10 s');
    expect(signedDuration(-400)).toBe('0 s');
  });
  it('formats NumericDates', () => {
    expect(isoFromSeconds(1796000000)).toBe('2026-11-30T00:53:20Z');
    expect(isoFromSeconds(1e20)).toBe('1e+23');
  });
  it('reads scope, scp and roles', () => {
    expect(scopesOf({ scope: 'a  b' })).toEqual({ scopes: ['a', 'b'], roles: [], hasScopeClaim: true });
    expect(scopesOf({ scp: ['x', 'y'], roles: 'Admin' })).toEqual({
      scopes: ['x', 'y'],
      roles: ['Admin'],
      hasScopeClaim: true,
    });
    expect(scopesOf({ sub: 'u' }).hasScopeClaim).toBe(false);
  });
  it('tells scheme names from tokens', () => {
    for (const w of [
      'Bearer',
      'bearer',
      'Bearer:',
      'Token',
      'JWT',
      'DPoP',
      'Bearer-Token',
      'AWS4-HMAC-SHA256',
      'SCRAM-SHA-256',
    ]) {
      expect(isSchemeLike(w), w).toBe(true);
    }
    for (const w of [
      'eyJhbGciOiJIUzI1NiJ9',
      'eyJhbGci.x',
      'sk_live_abc',
      'ab12cd34ef',
      'dXNlcjpwYXNz=',
      'a',
    ]) {
      expect(isSchemeLike(w), w).toBe(false);
    }
  });
  it('recognises base64 of user:password', () => {
    expect(looksLikeBasicPair('YWxpY2U6czNjcmV0')).toBe(true);
    expect(looksLikeBasicPair('YWxpY2U=')).toBe(false); // "alice"
    expect(looksLikeBasicPair('2YotnFZFEjr1zCsicMWpAA')).toBe(false);
  });
  it('describes secrets without quoting them', () => {
    expect(shapeOf('eyJhbGciOiJIUzI1NiJ9.e30.c2ln')).toBe('a JWT (eyJ…, 29 characters)');
    expect(shapeOf('sk_live_abc')).toBe('a 11-character value');
  });
});

const ALL: Check[] = [
  basicCharset,
  basicMalformed,
  clockSkew,
  credentialsMissing,
  headerDuplicate,
  headerNonAscii,
  headerPlaceholder,
  headerQuoted,
  headerSchemeMismatch,
  headerSchemeMissing,
  headerSchemeRepeated,
  headerWhitespace,
  infoIdentity,
  jwtAlgNone,
  jwtIdTokenUsed,
  tokenExpired,
  tokenMalformed,
  tokenNotYetValid,
];

describe('no check quotes a secret in its title, detail or fix', () => {
  const KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
  const SIG = 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSIsIm5vbmNlIjoibiJ9.${SIG}`;
  const PASSWORD = 'Pässwört-0815-geheim';
  const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`alice:${PASSWORD}`)));
  const bearer = { 'WWW-Authenticate': 'Bearer realm="api"' };
  const inputs: EvInput[] = [];
  for (const s of [KEY, JWT]) {
    for (const v of [
      s,
      `Bearer ${s}`,
      `Bearer "${s}"`,
      `Bearer ${s}\n`,
      `Bearer  ${s}`,
      `Bearer ${s.slice(0, 14)} ${s.slice(14)}`,
      `Bearer ${s.slice(0, 14)}\u200B${s.slice(14)}`,
      `Token ${s}`,
      `Bearer Bearer ${s}`,
      `Bearer ${s.slice(0, 30)}…`,
      `Basic ${s}`,
    ]) {
      inputs.push({ headers: { Authorization: v }, responseHeaders: bearer });
      inputs.push({ headers: { 'X-API-Key': v }, responseHeaders: bearer });
    }
    inputs.push({
      headers: [
        ['Authorization', `Bearer ${s}`],
        ['Authorization', `Bearer ${s}x`],
      ],
    });
    inputs.push({
      headers: { Authorization: `Bearer ${s}` },
      url: `https://api.example.com/?access_token=${s}y`,
    });
  }
  inputs.push({
    headers: { Authorization: `Basic ${basic}` },
    responseHeaders: { 'WWW-Authenticate': 'Basic realm="x"' },
  });
  inputs.push({ headers: { Authorization: basic } });

  const windows = (s: string) => Array.from({ length: s.length - 11 }, (_, i) => s.slice(i, i + 12));
  const secrets = [KEY, SIG, PASSWORD].flatMap(windows);

  it('over many damaged forms of a key, a JWT and a password', () => {
    let findings = 0;
    for (const input of inputs) {
      const facts = deriveFacts(ev(input));
      for (const c of ALL) {
        for (const d of c.run(facts)) {
          const f = toFinding(c.meta, d);
          findings++;
          const text = `${f.title}\n${f.detail ?? ''}\n${f.fix}`;
          for (const w of secrets) expect(text, `${f.id}: ${f.title}`).not.toContain(w);
        }
      }
    }
    expect(findings).toBeGreaterThan(50);
  });
});
