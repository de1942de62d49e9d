import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeHar } from '../../src/har/sanitize.js';
import type { HarEntry, HarNameValue } from '../../src/model/har.js';
import { entry, makeJwt } from './sanitize-fixture.js';

/**
 * Random secrets in random places never survive: whatever the secret's characters (base64,
 * base64url, URL-unsafe `+/=~.`), wherever it is put, however the place encodes it.
 */

/** A secret: random token characters between fixed ends (so no placeholder rule can claim it). */
const secretArb = fc
  .stringMatching(/^[A-Za-z0-9_~+/=-]{8,40}$/)
  .map((s) => `k${s}9Q`)
  .filter((s) => !/why401/i.test(s));

const PLACES = [
  'authorization',
  'basic',
  'proxy-basic',
  'api-key-header',
  'csrf-header',
  'cookie',
  'set-cookie',
  'query',
  'query-code',
  'fragment',
  'form',
  'form-params',
  'json-body',
  'json-nested',
  'token-response',
  'location-code',
  'url-password',
  'websocket',
  'html-hidden',
  'multipart',
  'jwt-signature',
  'echo',
] as const;
type Place = (typeof PLACES)[number];

const enc = encodeURIComponent;
const h = (name: string, value: string): HarNameValue => ({ name, value });

/** One entry holding `s` at `place`, and the texts that must not appear afterwards. */
function put(place: Place, s: string): { entries: HarEntry[]; forbidden: string[] } {
  const api = 'https://api.example.com/v1/items';
  const forbidden = [s, enc(s), JSON.stringify(s).slice(1, -1)];
  switch (place) {
    case 'authorization':
      return { entries: [entry({ url: api, reqHeaders: [h('authorization', `Bearer ${s}`)] })], forbidden };
    case 'basic':
    case 'proxy-basic': {
      const b = btoa(`alice:${s}`);
      const name = place === 'basic' ? 'authorization' : 'proxy-authorization';
      return {
        entries: [entry({ url: api, reqHeaders: [h(name, `Basic ${b}`)] })],
        forbidden: [...forbidden, b],
      };
    }
    case 'api-key-header':
      return { entries: [entry({ url: api, reqHeaders: [h('X-Api-Key', s)] })], forbidden };
    case 'csrf-header':
      return { entries: [entry({ url: api, reqHeaders: [h('X-XSRF-TOKEN', s)] })], forbidden };
    case 'cookie':
      return {
        entries: [
          entry({ url: api, reqHeaders: [h('cookie', `sid=${s}`)], cookies: [{ name: 'sid', value: s }] }),
        ],
        forbidden,
      };
    case 'set-cookie':
      return {
        entries: [
          entry({
            url: api,
            resHeaders: [h('set-cookie', `sid=${s}; Path=/; Secure`)],
            resCookies: [{ name: 'sid', value: s, path: '/', secure: true }],
          }),
        ],
        forbidden,
      };
    case 'query':
      return { entries: [entry({ url: `${api}?page=1&access_token=${enc(s)}` })], forbidden };
    case 'query-code':
      return { entries: [entry({ url: `https://app.example.com/cb?code=${enc(s)}&state=xyz` })], forbidden };
    case 'fragment':
      return {
        entries: [
          entry({
            url: 'https://login.example.com/a',
            status: 302,
            redirectURL: `https://app.example.com/cb#id_token=${enc(s)}&state=1`,
          }),
        ],
        forbidden,
      };
    case 'form':
    case 'form-params': {
      const text = `username=alice&password=${enc(s)}&remember=1`;
      const params = [
        { name: 'username', value: 'alice' },
        { name: 'password', value: place === 'form' ? enc(s) : s },
      ];
      return {
        entries: [
          entry({
            method: 'POST',
            url: api,
            postData: { mimeType: 'application/x-www-form-urlencoded', text, params },
          }),
        ],
        forbidden,
      };
    }
    case 'json-body':
      return {
        entries: [
          entry({
            method: 'POST',
            url: api,
            postData: { mimeType: 'application/json', text: JSON.stringify({ user: 'a', client_secret: s }) },
          }),
        ],
        forbidden,
      };
    case 'json-nested':
      return {
        entries: [
          entry({
            url: api,
            body: JSON.stringify({ data: { session: { refreshToken: s, list: [1, 2] } } }, null, 2),
          }),
        ],
        forbidden,
      };
    case 'token-response':
      return {
        entries: [
          entry({
            method: 'POST',
            url: 'https://login.example.com/oauth/token',
            body: `{"access_token":${JSON.stringify(s)},"token_type":"Bearer"}`,
          }),
        ],
        forbidden,
      };
    case 'location-code':
      return {
        entries: [
          entry({
            url: 'https://login.example.com/authorize',
            status: 302,
            resHeaders: [h('location', `https://app.example.com/cb?code=${enc(s)}&state=abc`)],
          }),
        ],
        forbidden,
      };
    case 'url-password':
      return { entries: [entry({ url: `https://deploy:${enc(s)}@git.example.com/info/refs` })], forbidden };
    case 'websocket':
      return {
        entries: [
          entry({
            url: api,
            extra: {
              _webSocketMessages: [
                { type: 'send', time: 1, opcode: 1, data: JSON.stringify({ op: 'auth', token: s }) },
              ],
            },
          }),
        ],
        forbidden,
      };
    case 'html-hidden':
      return {
        entries: [
          entry({
            url: 'https://login.example.com/authorize',
            mimeType: 'text/html',
            body: `<form><input type="hidden" name="id_token" value="${s}"></form>`,
          }),
        ],
        forbidden,
      };
    case 'multipart': {
      const b = '----WebKitFormBoundaryQ';
      const text = `--${b}\r\nContent-Disposition: form-data; name="api_key"\r\n\r\n${s}\r\n--${b}--\r\n`;
      return {
        entries: [
          entry({
            method: 'POST',
            url: api,
            postData: { mimeType: `multipart/form-data; boundary=${b}`, text },
          }),
        ],
        forbidden,
      };
    }
    case 'jwt-signature': {
      const sig = s.replace(/[+/=~]/g, '_');
      const jwt = makeJwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'u', exp: 1714557600 }, sig);
      return {
        entries: [entry({ url: api, reqHeaders: [h('authorization', `Bearer ${jwt}`)] })],
        forbidden: [sig],
      };
    }
    case 'echo':
      // Used once in a header, echoed in an HTML page of another entry (before or after).
      return {
        entries: [
          entry({
            url: 'https://app.example.com/debug',
            mimeType: 'text/html',
            body: `<pre>token in use: ${s}</pre>`,
          }),
          entry({ url: api, reqHeaders: [h('authorization', `Bearer ${s}`)] }),
        ],
        forbidden,
      };
  }
}

describe('sanitize property: random secrets in random places never survive', () => {
  it('leaves none of them, and a second pass changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(secretArb, fc.constantFrom(...PLACES)), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (placed, reverse) => {
          const built = placed.map(([s, p]) => put(p, s));
          const entries = built.flatMap((b) => b.entries);
          if (reverse) entries.reverse();
          const out = sanitizeHar({ log: { entries } });
          const text = JSON.stringify(out.har);
          for (const b of built)
            for (const f of b.forbidden) if (f.length >= 6) expect(text, `"${f}" survived`).not.toContain(f);
          expect(JSON.stringify(sanitizeHar(out.har).har)).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives one secret one stand-in, whatever place and encoding it comes in', () => {
    fc.assert(
      fc.property(
        secretArb,
        fc.subarray(
          [...PLACES].filter((p) => p !== 'jwt-signature' && p !== 'basic' && p !== 'proxy-basic'),
          { minLength: 2 },
        ),
        (s, places) => {
          const entries = places.flatMap((p) => put(p, s).entries);
          const text = JSON.stringify(sanitizeHar({ log: { entries } }).har);
          // The fixed `state` values beside a code are secrets of their own.
          const standIns = new Set(
            (text.match(/why401-redacted-[0-9a-z-]+/g) ?? []).filter((x) => !/-state-\d+$/.test(x)),
          );
          expect(standIns.size, [...standIns].join(' ')).toBe(1);
        },
      ),
      { numRuns: 150 },
    );
  });
});
