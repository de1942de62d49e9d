import { describe, expect, it } from 'vitest';
import {
  credentialPairs,
  headerRule,
  isCredentialParam,
  urlCredentials,
  withoutUrlCredentials,
} from '../../src/knowledge/credential-rule.js';
import { argumentSecrets, commandSecrets } from '../../src/core/argument-secrets.js';
import { Redactor, spellings } from '../../src/core/redact.js';
import { collectSecrets } from '../../src/core/secrets.js';
import { OWN_FLAGS } from '../../src/cli/own-flags.js';
import { ev } from '../support/evidence.js';

/**
 * The one credential rule, form by form (issue 13, "One credential rule"): each secret-bearing
 * name with its verdict, beside the look-alikes that hold no secret.
 */

const HEADERS: Array<[name: string, verdict: ReturnType<typeof headerRule>]> = [
  // The fixed names.
  ['Authorization', 'authorization'],
  ['Proxy-Authorization', 'authorization'],
  ['X-Amzn-Remapped-Authorization', 'authorization'],
  ['Cookie', 'cookie'],
  ['Set-Cookie', 'set-cookie'],
  // authentication
  ['Authentication', 'credential'],
  ['X-Authentication', 'credential'],
  ['Authentication-Info', 'no'],
  ['Proxy-Authentication-Info', 'no'],
  ['WWW-Authenticate', 'no'],
  ['Proxy-Authenticate', 'no'],
  // *-auth*
  ['X-Auth', 'credential'],
  ['X-Auth-Key', 'credential'],
  ['Auth-Token', 'credential'],
  ['X-Auth-Token', 'credential'],
  ['X-Forwarded-Auth', 'credential'],
  ['X-Auth-Request-Access-Token', 'credential'],
  ['X-Auth-Request-User', 'no'],
  ['X-Auth-Request-Email', 'no'],
  ['X-Auth-Request-Groups', 'no'],
  ['X-Auth-Request-Preferred-Username', 'no'],
  ['X-Auth-Request-Redirect', 'no'],
  ['X-Auth-Email', 'no'],
  ['X-Authenticated-Userid', 'no'],
  ['X-Auth-Token-Expires', 'no'],
  ['X-OAuth-Scopes', 'no'],
  // *-key
  ['DD-API-KEY', 'credential'],
  ['DD-APPLICATION-KEY', 'credential'],
  ['X-Functions-Key', 'credential'],
  ['X-Api-Key', 'credential'],
  ['Ocp-Apim-Subscription-Key', 'credential'],
  ['X-Amz-Server-Side-Encryption-Customer-Key', 'credential'],
  ['Idempotency-Key', 'no'],
  ['X-Idempotency-Key', 'no'],
  ['Sec-WebSocket-Key', 'no'],
  ['X-Cache-Key', 'no'],
  ['Key', 'no'],
  ['X-Amz-Server-Side-Encryption-Customer-Key-MD5', 'no'],
  ['X-Api-Key-Name', 'no'],
  // *-signature
  ['X-Hub-Signature-256', 'credential'],
  ['X-Hub-Signature', 'credential'],
  ['X-Signature', 'credential'],
  ['Signature', 'credential'],
  ['Stripe-Signature', 'credential'],
  ['X-Signature-Ed25519', 'credential'],
  ['Paypal-Transmission-Sig', 'credential'],
  ['X-Shopify-Hmac-Sha256', 'credential'],
  ['Signature-Input', 'no'],
  ['X-Signature-Timestamp', 'no'],
  ['Content-Digest', 'no'],
  // *-secret, *-token
  ['X-Client-Secret', 'credential'],
  ['CF-Access-Client-Secret', 'credential'],
  ['X-Csrf-Token', 'credential'],
  ['Private-Token', 'credential'],
  ['X-Vault-Token', 'credential'],
  ['X-Goog-Iap-Jwt-Assertion', 'credential'],
  ['X-Token-Type', 'no'],
  ['X-RateLimit-Remaining', 'no'],
  // Nothing secret.
  ['Content-Type', 'no'],
  ['Referer', 'no'],
  ['Location', 'no'],
  ['Access-Control-Allow-Headers', 'no'],
  ['X-Request-Id', 'no'],
];

describe('header names', () => {
  it.each(HEADERS)('%s → %s', (name, verdict) => {
    expect(headerRule(name)).toBe(verdict);
    expect(headerRule(name.toLowerCase())).toBe(verdict);
  });
});

const SECRET = 'Zq9rT4v8Kp2mWx7n';

/** Query or fragment parameters, as written in a URL, and whether their value is a credential. */
const PARAMS: Array<[pair: string, secret: boolean, oauthContext?: boolean]> = [
  ['sig', true],
  ['signature', true],
  ['Signature', true],
  ['X-Amz-Signature', true],
  ['X-Amz-Credential', true],
  ['X-Amz-Security-Token', true],
  ['X-Goog-Signature', true],
  ['token', true],
  ['access_token', true],
  ['id_token', true],
  ['refresh_token', true],
  ['key', true],
  ['api_key', true],
  ['api%5Fkey', true],
  ['api%5fkey', true],
  ['apikey', true],
  ['API-Key', true],
  ['secret', true],
  ['password', true],
  ['client_secret', true],
  ['client%5Fsecret', true],
  ['code', true, true],
  ['state', true, true],
  // Look-alikes.
  ['code', true, false], // generated-looking: SECRET reads as random
  ['token_type', false],
  ['token_type_hint', false],
  ['expires_in', false],
  ['X-Amz-Date', false],
  ['X-Amz-Expires', false],
  ['X-Amz-SignedHeaders', false],
  ['Key-Pair-Id', false],
  ['keyid', false],
  ['page', false],
  ['sv', false],
  ['client_id', false],
  ['redirect_uri', false],
];

describe('query and fragment parameters (names percent-decoded)', () => {
  it.each(PARAMS)('%s → %s', (name, secret, oauth = false) => {
    expect(isCredentialParam(name, SECRET, oauth)).toBe(secret);
  });

  it('code and state count in an OAuth exchange, or when the value looks generated', () => {
    expect(isCredentialParam('code', 'ok', false)).toBe(false);
    expect(isCredentialParam('code', 'ok', true)).toBe(true);
    expect(isCredentialParam('state', 'page2', false)).toBe(false);
  });

  it('placeholders are not secrets (header.placeholder shows them)', () => {
    expect(isCredentialParam('api_key', '${API_KEY}', false)).toBe(false);
    expect(isCredentialParam('token', '<token>', false)).toBe(false);
  });
});

describe('URLs', () => {
  const cases: Array<[url: string, found: string[]]> = [
    [`https://api.example/x?sig=${SECRET}&sv=2020`, [SECRET]],
    // Values are percent-decoded, and the written spelling is kept too.
    ['https://blob.example/c?sv=2020&sig=ab%2Bcd%2F9Zq%3D', ['ab+cd/9Zq=', 'ab%2Bcd%2F9Zq%3D']],
    [
      `https://s3.example/o?X-Amz-Credential=AKIAEXAMPLE%2F20240101%2Fus-east-1&X-Amz-Date=20240101T000000Z&X-Amz-Signature=${SECRET}`,
      ['AKIAEXAMPLE/20240101/us-east-1', SECRET],
    ],
    [`https://api.example/x?api%5Fkey=${SECRET}`, [SECRET]],
    [`https://app.example/cb#access_token=${SECRET}&token_type=bearer`, [SECRET]],
    [`https://app.example/cb#token=${SECRET}`, [SECRET]],
    [`https://app.example/cb?code=${SECRET}&state=abc`, [SECRET, 'abc']],
    [`https://alice:${SECRET}@api.example/x`, [SECRET]],
    ['https://alice:p%40ss%20word@api.example/x', ['p@ss word', 'p%40ss%20word']],
    [
      'https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.example/o/r.git',
      ['ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
    ],
    ['https://alice@github.example/', []],
    ['https://api.example/x?page=2&sort=name#section-3', []],
    ['/relative?token=abc', []],
  ];
  it.each(cases)('%s', (url, found) => {
    const got = urlCredentials(url);
    for (const f of found) expect(got).toContain(f);
    if (found.length === 0) expect(got).toEqual([]);
  });

  it('signed S3 URLs: the signature, the credential and the session token', () => {
    const got = urlCredentials(
      `https://s3.example/o?X-Amz-Credential=AKIAEXAMPLE%2F20240101&X-Amz-Security-Token=${SECRET}x&X-Amz-Signature=${SECRET}`,
    );
    expect(got).toEqual(expect.arrayContaining(['AKIAEXAMPLE/20240101', `${SECRET}x`, SECRET]));
  });

  it('withoutUrlCredentials keeps the rest of the query byte for byte', () => {
    expect(
      withoutUrlCredentials(`https://a.example/x?b=%20c&api%5Fkey=${SECRET}&d=1#token=${SECRET}&e=2`),
    ).toBe('https://a.example/x?b=%20c&d=1#e=2');
  });

  it('credentialPairs judges a form as a whole (OAuth context) and keeps both spellings', () => {
    expect(credentialPairs('grant_type=authorization_code&code=ok&redirect_uri=x')).toEqual([
      { name: 'code', raw: 'ok', value: 'ok' },
    ]);
    expect(credentialPairs('password=a+b%21')).toEqual([{ name: 'password', raw: 'a+b%21', value: 'a b!' }]);
  });
});

describe('the Redactor finds a secret in every spelling', () => {
  const secret = "s3cr3t/with+plus=and space!'()*";
  const r = new Redactor();
  r.add(secret);
  const forms = [
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret)
      .toLowerCase()
      .replace(/%[0-9a-f]{2}/g, (m) => m.toLowerCase()),
    new URLSearchParams({ a: secret }).toString().slice(2),
    new URLSearchParams({ a: secret })
      .toString()
      .slice(2)
      .replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    JSON.stringify(secret).slice(1, -1),
  ];
  it.each(forms)('%s', (form) => {
    const out = r.text(`before ${form} after`);
    expect(out).not.toContain(form);
    expect(out).toMatch(/^before .*sha256:[0-9a-f]{6}\) after$/);
  });

  it('every spelling becomes the one fingerprint of the secret', () => {
    const fps = new Set(spellings(secret).map((s) => r.text(`[${s}]`)));
    expect(fps.size).toBe(1);
  });

  it('the same with many secrets (a HAR session): the indexed search', () => {
    const many = new Redactor();
    for (let i = 0; i < 200; i++) many.add(`other/secret+${i}=x${i * 7919}`);
    many.add(secret);
    for (const form of forms) expect(many.text(`before ${form} after`)).not.toContain(form);
    const text = many.text('a other/secret+7=x55433 b other%2Fsecret%2B7%3Dx55433 c');
    expect(text).not.toMatch(/secret/);
    expect(text.match(/sha256:([0-9a-f]{6})/g)).toHaveLength(2);
  });

  it('a secret learned encoded is found decoded', () => {
    const e = new Redactor();
    e.add('abc%2Fdef%3D123');
    expect(e.text('x abc/def=123 y')).not.toContain('abc/def=123');
  });
});

describe('collectSecrets: every header of every exchange by the rule', () => {
  const cases: Array<[what: string, evidence: Parameters<typeof ev>[0], secret: string]> = [
    ['X-Vault-Token', { headers: { 'X-Vault-Token': `hvs.${SECRET}` } }, `hvs.${SECRET}`],
    ['DD-API-KEY', { headers: { 'DD-API-KEY': SECRET } }, SECRET],
    ['Authentication: Bearer', { headers: { Authentication: `Bearer ${SECRET}` } }, SECRET],
    ['Private-Token', { headers: { 'Private-Token': SECRET } }, SECRET],
    ['X-Hub-Signature-256', { headers: { 'X-Hub-Signature-256': `sha256=${SECRET}` } }, SECRET],
    ['RFC 9421 Signature', { headers: { Signature: `sig1=:${SECRET}=:` } }, `${SECRET}=`],
    [
      'Referer with code and state',
      { headers: { Referer: `https://app.example/cb?code=${SECRET}&state=s1` } },
      SECRET,
    ],
    [
      'a response Location with a code',
      { status: 302, responseHeaders: { Location: `/cb?code=${SECRET}&state=x` } },
      SECRET,
    ],
    [
      'Link',
      { responseHeaders: { Link: `<https://a.example/next?access_token=${SECRET}>; rel="next"` } },
      SECRET,
    ],
    ['a response header', { responseHeaders: { 'X-Session-Token': SECRET } }, SECRET],
    ['a JSON response field', { responseBody: `{"data":{"refresh_token":"${SECRET}"}}` }, SECRET],
    ['a JSON body cut at the cap', { responseBody: `{"access_token":"${SECRET}","x":"` }, SECRET],
    ['a form body', { method: 'POST', body: `grant_type=password&password=${SECRET}` }, SECRET],
    ['a fragment', { url: `https://app.example/cb#id_token=${SECRET}` }, SECRET],
    ['an encoded name', { url: `https://api.example/x?api%5Fkey=${SECRET}` }, SECRET],
    ['userinfo', { url: `https://u:${SECRET}@api.example/x` }, SECRET],
    [
      'AWS SigV4 auth-params',
      {
        headers: {
          Authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${SECRET}`,
        },
      },
      SECRET,
    ],
  ];
  it.each(cases)('%s', (_what, input, secret) => {
    const r = new Redactor();
    collectSecrets(ev(input), r);
    expect(r.has(secret)).toBe(true);
  });

  it('look-alikes are not learned', () => {
    const r = new Redactor();
    collectSecrets(
      ev({
        headers: { 'Idempotency-Key': 'idem-123456789', 'X-Auth-Request-User': 'alice.example' },
        responseHeaders: { 'Signature-Input': 'sig1=("@method");created=1618884473' },
      }),
      r,
    );
    expect(r.learned()).toEqual([]);
  });
});

describe('argument values from credential options', () => {
  const cases: Array<[args: string[], secret: string]> = [
    [['-u', `alice:${SECRET}`], SECRET],
    [['--user', `alice:${SECRET}`], SECRET],
    [['-U', `proxy:${SECRET}`], SECRET],
    [['--proxy-user', `proxy:${SECRET}`], SECRET],
    [[`-U${'proxy'}:${SECRET}`], SECRET],
    [['--oauth2-bearer', SECRET], SECRET],
    [['--pass', SECRET], SECRET],
    [['--proxy-pass', SECRET], SECRET],
    [['--tlspassword', SECRET], SECRET],
    [['--proxy-tlspassword', SECRET], SECRET],
    [['-E', `client.pem:${SECRET}`], SECRET],
    [['--cert', `C:\\certs\\me.pem:${SECRET}`], SECRET],
    [['-H', `X-Vault-Token : ${SECRET}`], SECRET],
    [['-H', `DD-API-KEY:${SECRET}`], SECRET],
    [['-e', `https://app.example/cb?code=${SECRET}&state=x`], SECRET],
    [['-x', `http://p:${SECRET}@proxy.example:3128`], SECRET],
    [['-b', `sid=${SECRET}`], SECRET],
    [['-d', `password=${SECRET}`], SECRET],
    [['--data-urlencode', `client_secret=${SECRET}`], SECRET],
    [['--json', `{"token":"${SECRET}"}`], SECRET],
    [[`https://api.example/x?sig=${SECRET}`], SECRET],
    // What a warning quotes: an unknown flag's value, a value given to a switch.
    [['--unknown-flag=' + SECRET], SECRET],
    [['--compressed=' + SECRET], SECRET],
    [['--proxy-passwd', SECRET], SECRET],
    // why401's own credential options.
    [['--client-secret', SECRET], SECRET],
    [['--refresh-token=' + SECRET], SECRET],
  ];
  it.each(cases)('%j', (args, secret) => {
    expect(argumentSecrets(['https://api.example/', ...args], OWN_FLAGS)).toContain(secret);
  });

  it('a whole pasted command', () => {
    const paste = `curl 'https://api.example/x' \\\n  -H 'X-Vault-Token: ${SECRET}' --proxy-user 'u:${SECRET}2'`;
    expect(argumentSecrets([paste])).toEqual(expect.arrayContaining([SECRET, `${SECRET}2`]));
    expect(commandSecrets(paste)).toEqual(expect.arrayContaining([SECRET, `${SECRET}2`]));
    const cmd = `curl ^"https://api.example/x^" -H ^"DD-API-KEY: ${SECRET}^"`;
    expect(commandSecrets(cmd)).toContain(SECRET);
  });

  it('names, URLs without credentials and plain values are not secrets', () => {
    expect(
      argumentSecrets([
        'https://api.example/x?page=2',
        '-H',
        'Accept: application/json',
        '-u',
        'alice',
        '-X',
        'POST',
      ]),
    ).toEqual([]);
  });
});
