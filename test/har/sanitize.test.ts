import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { entryEvidence, startedAtOf } from '../../src/facts/har-entry.js';
import {
  SanitizeContext,
  learnEntry,
  sanitizeEntry,
  sanitizeHar,
  sanitizeMeta,
} from '../../src/har/sanitize.js';
import type { HarEntry } from '../../src/model/har.js';
import { parseBasic } from '../../src/parse/basic.js';
import { decodeJwt } from '../../src/parse/jwt.js';
import {
  ACCESS_JWT,
  COOKIE_JWT,
  DPOP_JWT,
  ID_JWT,
  NONE_JWT,
  S,
  SIG,
  entry,
  makeJwt,
  rawSecrets,
  sessionHar,
} from './sanitize-fixture.js';

type Har = ReturnType<typeof sessionHar>;

function run(har: Har = sessionHar()) {
  const out = sanitizeHar(har);
  return { ...out, text: JSON.stringify(out.har), entries: out.har.log.entries };
}

const header = (e: HarEntry, name: string, which: 'request' | 'response' = 'request') =>
  e[which].headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);

const bearerOf = (e: HarEntry) => header(e, 'authorization')[0]!.replace(/^Bearer\s+/, '');

/** Every leaf of `a` and `b` in the same place, as [path, a, b]. */
function leaves(a: unknown, b: unknown, path = '$', out: Array<[string, unknown, unknown]> = []) {
  if (a && typeof a === 'object') {
    expect(b && typeof b === 'object', path).toBe(true);
    const ka = Object.keys(a);
    expect(Object.keys(b as object), path).toEqual(ka);
    for (const k of ka)
      leaves((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  } else out.push([path, a, b]);
  return out;
}

describe('sanitizeHar: every place a HAR holds a secret (har-notes.md)', () => {
  it('leaves no raw secret and no JWT signature anywhere in the file', () => {
    const { text } = run();
    const left = rawSecrets().filter((s) => text.includes(s));
    expect(left).toEqual([]);
    for (const sig of Object.values(SIG)) expect(text).not.toContain(sig);
  });

  it('keeps the shape of the file, and every string it changed now says why401-redacted', () => {
    const original = sessionHar();
    const { har } = run(original);
    const changed = leaves(original, har).filter(([, a, b]) => a !== b);
    expect(changed.length).toBeGreaterThan(40);
    for (const [path, a, b] of changed) {
      expect(typeof a, path).toBe('string');
      // Basic credentials are base64 of "user:why401-redacted-…".
      const decodedBasic = /Basic ([A-Za-z0-9+/=]+)/.exec(String(b))?.[1];
      const hasMark =
        String(b).includes('why401-redacted') ||
        (decodedBasic !== undefined && atob(decodedBasic).includes('why401-redacted'));
      expect(hasMark, `${path}: ${String(b)}`).toBe(true);
    }
  });

  it('leaves what is not a secret byte for byte', () => {
    const original = sessionHar();
    const { entries } = run(original);
    const o = original.log.entries;
    expect(entries[4]!.response.content).toEqual(o[4]!.response.content);
    expect(entries[6]!.response.content).toEqual(o[6]!.response.content);
    expect(entries[2]!.response.content).toEqual(o[2]!.response.content);
    expect(entries[9]!.response.content).toEqual(o[9]!.response.content);
    expect(header(entries[4]!, 'www-authenticate', 'response')).toEqual(
      header(o[4]!, 'www-authenticate', 'response'),
    );
    expect(header(entries[4]!, 'user-agent')).toEqual(header(o[4]!, 'user-agent'));
    expect(header(entries[4]!, 'x-api-token')).toEqual(['${API_TOKEN}']);
    for (let i = 0; i < o.length; i++) {
      expect(entries[i]!.timings).toEqual(o[i]!.timings);
      expect(entries[i]!.startedDateTime).toBe(o[i]!.startedDateTime);
      expect(entries[i]!.response.status).toBe(o[i]!.response.status);
      expect(entries[i]!._initiator).toEqual(o[i]!._initiator);
    }
    const token = entries[3]!.request.postData!;
    expect(token.text).toMatch(
      /^grant_type=authorization_code&code=why401-redacted-[0-9a-f]+&redirect_uri=https%3A%2F%2Fapp\.example\.com%2Fcb&client_id=spa-client&client_secret=why401-redacted-[0-9a-f]+&code_verifier=why401-redacted-[0-9a-f]+$/,
    );
    expect(token.params!.find((p) => p.name === 'client_id')!.value).toBe('spa-client');
    expect(entries[0]!.request.url).toContain('scope=openid%20orders%3Aread');
    expect(entries[0]!.request.url).toContain('code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(entries[1]!.request.postData!.text).toContain('username=alice%40example.com');
    const multipart = entries[11]!.request.postData!.text!;
    expect(multipart).toContain('name="label"\r\n\r\nmonthly report\r\n');
    expect(multipart).toMatch(/name="upload_secret"\r\n\r\nwhy401-redacted-[0-9a-z-]+\r\n/);
    // Cookie names and attributes stay: the session analysis replays Set-Cookie rules.
    expect(header(entries[1]!, 'set-cookie', 'response')[0]).toMatch(
      /^sid=why401-redacted-[0-9a-f]+; Path=\/; Expires=Wed, 01 May 2024 12:00:00 GMT; Secure; HttpOnly; SameSite=Strict$/,
    );
    const { value: _v, ...attrs } = entries[1]!.response.cookies![0]!;
    const { value: _w, ...orig } = o[1]!.response.cookies![0]!;
    expect(attrs).toEqual(orig);
  });

  it('gives the same secret the same stand-in everywhere', () => {
    const { entries: e } = run();
    // The session cookie: Set-Cookie, response.cookies, later Cookie headers and request.cookies.
    const sid = /^sid=([^;]+)/.exec(header(e[1]!, 'set-cookie', 'response')[0]!)![1]!;
    expect(e[1]!.response.cookies![0]!.value).toBe(sid);
    expect(header(e[2]!, 'cookie')[0]).toBe(`sid=${sid}; theme=${e[1]!.response.cookies![1]!.value}`);
    expect(e[2]!.request.cookies![0]!.value).toBe(sid);
    expect(header(e[6]!, 'cookie')[0]).toContain(`sid=${sid};`);
    // The authorization code: Location, redirectURL, the callback URL and queryString, the token request.
    const code = /code=([^&]+)/.exec(header(e[1]!, 'location', 'response')[0]!)![1]!;
    expect(code).toMatch(/^why401-redacted-/);
    expect(e[1]!.response.redirectURL).toContain(`code=${code}&`);
    expect(e[2]!.request.url).toContain(`code=${code}&`);
    expect(e[2]!.request.queryString!.find((q) => q.name === 'code')!.value).toBe(code);
    expect(e[3]!.request.postData!.text).toContain(`&code=${code}&`);
    expect(e[3]!.request.postData!.params!.find((p) => p.name === 'code')!.value).toBe(code);
    // state: the authorize URL, the callback, the Referer, an implicit-flow fragment, SAML RelayState.
    const state = e[2]!.request.queryString!.find((q) => q.name === 'state')!.value;
    expect(e[0]!.request.url).toContain(`state=${state}&`);
    expect(header(e[2]!, 'referer')[0]).toContain(`state=${state}&`);
    expect(e[10]!.response.redirectURL).toContain(`state=${state}`);
    expect(e[10]!.response.content!.text).toContain(`name="RelayState" value="${state}"`);
    // The JWT access token: the token response and the API call.
    const tokenResponse = JSON.parse(e[3]!.response.content!.text!) as Record<string, string>;
    expect(bearerOf(e[4]!)).toBe(tokenResponse['access_token']);
    // The refresh token: issued in one response, sent in the refresh's text and params.
    expect(e[5]!.request.postData!.text).toContain(`refresh_token=${tokenResponse['refresh_token']}&`);
    expect(e[5]!.request.postData!.params!.find((p) => p.name === 'refresh_token')!.value).toBe(
      tokenResponse['refresh_token'],
    );
    // The opaque access token: its token response, the quoted Authorization, an HTML page echoing it.
    const opaque = (JSON.parse(e[5]!.response.content!.text!) as Record<string, string>)['access_token']!;
    expect(header(e[6]!, 'authorization')[0]).toBe(`Bearer  "${opaque}" `);
    expect(e[7]!.response.content!.text).toBe(
      `<script>window.__BOOT__ = {"user":"alice","token":"${opaque}"}; var x = "${opaque}";</script>`,
    );
    // The CSRF token: meta tag, hidden input, Set-Cookie, Cookie, X-CSRF-Token.
    const csrf = e[0]!.response.cookies![0]!.value;
    expect(e[0]!.response.content!.text).toContain(`<meta name="csrf-token" content="${csrf}">`);
    expect(e[0]!.response.content!.text).toContain(`name="authenticity_token" value="${csrf}">`);
    expect(header(e[1]!, 'x-csrf-token')).toEqual([csrf]);
    expect(header(e[1]!, 'cookie')).toEqual([`csrf=${csrf}`]);
    // The password of the form post: text and params.
    const pw = e[1]!.request.postData!.params!.find((p) => p.name === 'password')!.value;
    expect(e[1]!.request.postData!.text).toContain(`&password=${pw}&`);
  });

  it('keeps JWT headers and claims, replaces only the signature, same length, and leaves alg none unsigned', () => {
    const { entries: e } = run();
    const pairs: Array<[string, string]> = [
      [ACCESS_JWT, bearerOf(e[4]!)],
      [ID_JWT, (JSON.parse(e[3]!.response.content!.text!) as Record<string, string>)['id_token']!],
      [DPOP_JWT, header(e[4]!, 'dpop')[0]!],
      [COOKIE_JWT, e[6]!.request.cookies![1]!.value],
    ];
    for (const [orig, out] of pairs) {
      const a = decodeJwt(orig);
      const b = decodeJwt(out);
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) continue;
      expect(b.jwt.header).toEqual(a.jwt.header);
      expect(b.jwt.payload).toEqual(a.jwt.payload);
      expect(b.jwt.signature).not.toBe(a.jwt.signature);
      expect(b.jwt.signature.length).toBe(a.jwt.signature.length);
      expect(b.jwt.signature).toMatch(/^why401-redacted-[0-9a-f]+$/);
      expect(out.split('.').slice(0, 2)).toEqual(orig.split('.').slice(0, 2));
    }
    expect(header(e[8]!, 'x-debug-token')).toEqual([NONE_JWT]);
  });

  it('keeps Basic valid base64 of user:stand-in, the user name kept', () => {
    const { entries: e } = run();
    for (const [name, user, pw] of [
      ['authorization', 'alice', S.basicPassword],
      ['proxy-authorization', 'proxyuser', S.proxyPassword],
    ] as const) {
      const value = header(e[8]!, name)[0]!;
      expect(value).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
      const b = parseBasic(value.slice(6));
      expect(b.ok).toBe(true);
      if (!b.ok) continue;
      expect(b.user).toBe(user);
      expect(b.password).not.toBe(pw);
      expect(b.password).toMatch(/^why401-redacted-password-\d+$/);
    }
    // The password in the Referer's userinfo; the user name stays there too.
    expect(header(e[8]!, 'referer')[0]).toMatch(
      /^https:\/\/alice:why401-redacted-password-\d+@reports\.example\.com\/$/,
    );
  });

  it('keeps the Digest fields and the AWS credential scope that carry the diagnosis', () => {
    const { entries: e } = run();
    const digest = header(e[9]!, 'authorization')[0]!;
    expect(digest).toMatch(
      /^Digest username="alice", realm="reports", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="\/report\.pdf", qop=auth, nc=00000001, cnonce="0a4f113b", response="why401-redacted-[0-9a-f]+", opaque="5ccc069c403ebaf9f0171e9517f40e41"$/,
    );
    expect(e[9]!.request.url).toMatch(
      /X-Amz-Credential=AKIAwhy401-redacted-[0-9a-f]+%2F20240501%2Feu-west-1%2Fs3%2Faws4_request&/,
    );
    expect(e[9]!.request.queryString!.find((q) => q.name === 'X-Amz-Credential')!.value).toMatch(
      /^AKIAwhy401-redacted-[0-9a-f]+\/20240501\/eu-west-1\/s3\/aws4_request$/,
    );
  });

  it('makes the opaque stand-in the sha256 fingerprint why401 reports show, as long as the secret', async () => {
    const { fingerprint } = await import('../../src/core/fingerprint.js');
    const { entries: e } = run();
    const refresh = (JSON.parse(e[3]!.response.content!.text!) as Record<string, string>)['refresh_token']!;
    expect(refresh.length).toBe(S.refresh.length);
    const hex6 = /sha256:([0-9a-f]{6})/.exec(fingerprint(S.refresh))![1]!;
    expect(refresh.startsWith(`why401-redacted-${hex6}`)).toBe(true);
    // Vendor prefixes say which kind of key it was (live or test) and stay.
    expect(header(e[4]!, 'x-api-key')[0]).toMatch(/^sk_live_why401-redacted-[0-9a-f]+$/);
  });

  it('is idempotent: sanitizing the sanitized file changes nothing', () => {
    const once = run();
    const twice = sanitizeHar(once.har);
    expect(JSON.stringify(twice.har)).toBe(once.text);
    expect(twice.summary.total).toBe(0);
  });

  it('counts what it replaced by kind', () => {
    const { summary } = run();
    expect(summary.byKind.jwt).toBe(4);
    expect(summary.total).toBeGreaterThanOrEqual(25);
    expect(summary.occurrences).toBeGreaterThan(summary.total);
  });

  it('does not modify its input', () => {
    const original = sessionHar();
    const before = JSON.stringify(original);
    sanitizeHar(original);
    expect(JSON.stringify(original)).toBe(before);
  });
});

describe('less common places', () => {
  const secret = 'Zx9Lm2Qp7Rt4Vw8Yb3Nc6Hd1Jf5Kg0Ls';
  const one = (e: HarEntry) => JSON.stringify(sanitizeHar({ log: { entries: [e] } }).har);

  it('scrubs page titles (Chrome uses the page URL) through sanitizeMeta', () => {
    const ctx = new SanitizeContext();
    const meta = sanitizeMeta(
      {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        pages: [{ id: 'page_1', title: `https://app.example.com/cb?code=${secret}&state=abc` }],
      },
      ctx,
    );
    expect(JSON.stringify(meta)).not.toContain(secret);
    expect(meta.creator).toEqual({ name: 'WebInspector', version: '537.36' });
  });

  it('follows a URL inside a parameter (continue=, redirect_uri=)', () => {
    const inner = encodeURIComponent(`https://app.example.com/cb?access_token=${secret}&x=1`);
    const text = one(entry({ url: `https://login.example.com/continue?next=${inner}&lang=en` }));
    expect(text).not.toContain(secret);
    expect(text).toContain('lang=en');
  });

  it('replaces lists under plural secret names, and PINs written as numbers', () => {
    const text = one(
      entry({
        method: 'POST',
        url: 'https://api.example.com/v1/keys',
        postData: { mimeType: 'application/json', text: `{"apiKeys":["${secret}"],"pin":482913,"count":1}` },
      }),
    );
    expect(text).not.toContain(secret);
    expect(text).not.toContain('482913');
    expect(text).toContain('\\"count\\":1'.replace(/\\\\/g, '\\'));
  });

  it('keeps a JSON body byte for byte apart from the secret strings', () => {
    const body = `{\n  "access_token" : "${secret}",\n  "expires_in": 3600,\n  "note": "caf\\u00e9 \\/ ok"\n}`;
    const out = sanitizeHar({
      log: { entries: [entry({ url: 'https://login.example.com/token', body })] },
    }).har;
    const text = out.log.entries[0]!.response.content!.text!;
    expect(text.replace(/"why401-redacted-[0-9a-f]+"/, '"X"')).toBe(body.replace(`"${secret}"`, '"X"'));
  });

  it('leaves code alone: a scheme word in a script, fetch options, the server challenge', () => {
    const script = `fetch(api + '/me', { credentials: 'include', headers: { Authorization: 'Bearer ' + token } });`;
    const e = entry({
      url: 'https://app.example.com/app.js',
      mimeType: 'application/javascript',
      body: script,
      status: 401,
      resHeaders: [{ name: 'WWW-Authenticate', value: 'Bearer realm="api", error="invalid_token"' }],
    });
    const out = sanitizeHar({ log: { entries: [e] } }).har.log.entries[0]!;
    expect(out.response.content!.text).toBe(script);
    expect(header(out, 'www-authenticate', 'response')).toEqual([
      'Bearer realm="api", error="invalid_token"',
    ]);
  });

  it('replaces the key id of an AWS SigV4 Authorization header and its signature, not its scope', () => {
    const value = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240501/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'ab12'.repeat(16)}`;
    const text = one(
      entry({
        url: 'https://x.execute-api.eu-west-1.amazonaws.com/',
        reqHeaders: [{ name: 'Authorization', value }],
      }),
    );
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('ab12'.repeat(16));
    expect(text).toContain(
      '/20240501/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=why401-redacted-',
    );
  });
});

describe('streaming: one entry at a time with a shared context', () => {
  it('gives the same stand-ins as the whole-file function', () => {
    const har = sessionHar();
    const ctx = new SanitizeContext();
    const streamed = har.log.entries.map((e) => sanitizeEntry(e, ctx));
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(sanitizeHar(sessionHar()).har.log.entries));
  });

  it('catches an echo that comes before the secret is used, with a learning pass first', () => {
    const token = 'opq_Lm8Np2Qr7St4Uv9Wx1Yz6Ab5Cd0Ef3Gh';
    const entries = [
      entry({ url: 'https://app.example.com/', mimeType: 'text/html', body: `<pre>debug: ${token}</pre>` }),
      entry({
        url: 'https://api.example.com/v1/me',
        reqHeaders: [{ name: 'authorization', value: `Bearer ${token}` }],
      }),
    ];
    const single = new SanitizeContext();
    const oneRead = entries.map((e) => sanitizeEntry(e, single));
    expect(JSON.stringify(oneRead)).toContain(token); // documented: one read cannot know the future
    const ctx = new SanitizeContext();
    for (const e of entries) learnEntry(e, ctx);
    const twoReads = entries.map((e) => sanitizeEntry(e, ctx));
    expect(JSON.stringify(twoReads)).not.toContain(token);
    expect(ctx.summary().occurrences).toBe(2);
  });
});

describe('where Cloudflare har-sanitizer falls short (its word list and regexes), why401 does not', () => {
  const secret = 'Zx9Lm2Qp7Rt4Vw8Yb3Nc6Hd1Jf5Kg0Ls';
  const cases: Array<[string, () => HarEntry]> = [
    // Its regexes match the header name "Authorization" only; HTTP/2 HARs write it lower-case.
    [
      'a lower-case HTTP/2 authorization header',
      () =>
        entry({
          url: 'https://api.example.com/',
          reqHeaders: [{ name: 'authorization', value: `Bearer ${secret}` }],
        }),
    ],
    // "cookie" and "set-cookie" are not in its default list.
    [
      'a Cookie header and request.cookies',
      () =>
        entry({
          url: 'https://api.example.com/',
          reqHeaders: [{ name: 'cookie', value: `session=${secret}` }],
          cookies: [{ name: 'session', value: secret }],
        }),
    ],
    [
      'Set-Cookie and response.cookies',
      () =>
        entry({
          url: 'https://api.example.com/',
          resHeaders: [{ name: 'set-cookie', value: `connect.sid=${secret}; Path=/; HttpOnly` }],
          resCookies: [{ name: 'connect.sid', value: secret }],
        }),
    ],
    // API-key headers are not in its list.
    [
      'an X-API-Key header',
      () => entry({ url: 'https://api.example.com/', reqHeaders: [{ name: 'X-API-Key', value: secret }] }),
    ],
    [
      'an Ocp-Apim-Subscription-Key header',
      () =>
        entry({
          url: 'https://api.example.com/',
          reqHeaders: [{ name: 'Ocp-Apim-Subscription-Key', value: secret }],
        }),
    ],
    // It looks for `word=value`; a JSON token response has `"refresh_token": "…"`.
    [
      'an opaque refresh token in a JSON token response',
      () =>
        entry({
          method: 'POST',
          url: 'https://login.example.com/oauth/token',
          body: `{"access_token":"at-${secret}","refresh_token":"${secret}","token_type":"Bearer"}`,
        }),
    ],
    [
      'a password in a JSON login body',
      () =>
        entry({
          method: 'POST',
          url: 'https://app.example.com/api/login',
          postData: {
            mimeType: 'application/json',
            text: `{"email":"a@example.com","password":"${secret}"}`,
          },
        }),
    ],
    // Its `word=` regex needs one of [\s";,&?] before the word: not `#`.
    [
      'an implicit-flow token in a redirect fragment',
      () =>
        entry({
          url: 'https://login.example.com/authorize',
          status: 302,
          resHeaders: [
            {
              name: 'location',
              value: `https://app.example.com/cb#access_token=${secret}&token_type=Bearer`,
            },
          ],
          redirectURL: `https://app.example.com/cb#access_token=${secret}&token_type=Bearer`,
        }),
    ],
    [
      'a password in a URL',
      () => entry({ url: `https://deploy:${secret}@git.example.com/repo.git/info/refs` }),
    ],
    [
      'a token in a WebSocket frame',
      () =>
        entry({
          url: 'https://api.example.com/ws',
          extra: {
            _webSocketMessages: [
              { type: 'send', time: 1, opcode: 1, data: `{"op":"auth","accessToken":"${secret}"}` },
            ],
          },
        }),
    ],
    [
      'an OAuth form_post page',
      () =>
        entry({
          method: 'POST',
          url: 'https://login.example.com/authorize',
          mimeType: 'text/html',
          body: `<form method="post" action="https://app.example.com/cb"><input type="hidden" name="code" value="${secret}"/><input type="hidden" name="state" value="abc"/></form>`,
        }),
    ],
    [
      'an access token in a JSON body served as text/plain',
      () =>
        entry({
          url: 'https://api.example.com/',
          mimeType: 'text/plain',
          body: `{"data":{"accessToken":"${secret}"}}`,
        }),
    ],
    [
      'a base64-encoded JSON response',
      () =>
        entry({
          url: 'https://login.example.com/token',
          body: btoa(`{"access_token":"${secret}"}`),
          encoding: 'base64',
        }),
    ],
  ];
  it.each(cases)('%s', (_name, make) => {
    const out = sanitizeHar({ log: { entries: [make()] } }).har;
    const content = out.log.entries[0]!.response.content!;
    const text = JSON.stringify(out) + (content.encoding === 'base64' ? atob(content.text!) : '');
    expect(text).not.toContain(secret);
    expect(text).toContain('why401-redacted-');
  });

  it('keeps the token claims Cloudflare would also keep, but keeps the Authorization scheme it loses', () => {
    const out = sanitizeHar({
      log: {
        entries: [
          entry({
            url: 'https://api.example.com/',
            reqHeaders: [{ name: 'Authorization', value: `Bearer ${ACCESS_JWT}` }],
          }),
        ],
      },
    }).har.log.entries[0]!;
    expect(header(out, 'authorization')[0]).toMatch(/^Bearer eyJ/);
  });
});

/** Diagnosis of one 401/403 entry, as finding ids and confidences (titles may quote fingerprints). */
function diagnose(entries: HarEntry[], i: number): string[] {
  const ev = entryEvidence(entries, i, { now: startedAtOf(entries[i]!) });
  return analyze(ev)
    .findings.map((f) => `${f.id}:${f.confidence}`)
    .sort();
}

describe('the diagnosis survives sanitizing', () => {
  it('gives the same findings for every refused entry of the session', () => {
    const original = sessionHar().log.entries;
    const sanitized = sanitizeHar(sessionHar()).har.log.entries;
    const refused = original
      .map((e, i) => [e, i] as const)
      .filter(([e]) => [401, 403].includes(e.response.status));
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const [, i] of refused) expect(diagnose(sanitized, i), `entry ${i}`).toEqual(diagnose(original, i));
    expect(diagnose(original, 4)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^token\.expired:/)]),
    );
  });

  const now = Date.parse('2024-05-01T10:00:00.000Z') / 1000;
  const fresh = makeJwt(
    { alg: 'RS256', typ: 'JWT' },
    { iss: 'https://login.example.com/', aud: 'https://api.example.com', exp: now + 3600, scope: 'read' },
    'aGVsbG8td29ybGQtc2lnbmF0dXJlLWJ5dGVzLTEyMzQ1Njc4OTA',
  );
  const basic = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
  const latin1 = (s: string) => btoa(s);
  const table: Array<[string, string, string]> = [
    ['quoted token', `Bearer "${S.opaqueAccess}"`, 'Bearer realm="api"'],
    ['double space and trailing space', `Bearer  ${S.opaqueAccess} `, 'Bearer realm="api"'],
    ['repeated scheme', `Bearer Bearer ${S.opaqueAccess}`, 'Bearer realm="api"'],
    ['lower-case scheme', `bearer ${S.opaqueAccess}`, 'Bearer realm="api"'],
    ['placeholder', 'Bearer ${TOKEN}', 'Bearer realm="api"'],
    ['Postman variable', 'Bearer {{access_token}}', 'Bearer realm="api"'],
    ['the text undefined', 'Bearer undefined', 'Bearer realm="api"'],
    [
      'a zero-width space in the token',
      `Bearer ${S.opaqueAccess.slice(0, 10)}\u200b${S.opaqueAccess.slice(10)}`,
      'Bearer realm="api"',
    ],
    ['curly quotes', `Bearer “${S.opaqueAccess}”`, 'Bearer realm="api"'],
    ['no scheme', fresh, 'Bearer realm="api"'],
    ['wrong scheme', `Token ${S.opaqueAccess}`, 'Bearer realm="api"'],
    ['an expired JWT', `Bearer ${ACCESS_JWT}`, 'Bearer error="invalid_token"'],
    ['alg none', `Bearer ${NONE_JWT}`, 'Bearer error="invalid_token"'],
    [
      'a JWT with its signature cut off',
      `Bearer ${fresh.split('.').slice(0, 2).join('.')}.`,
      'Bearer error="invalid_token"',
    ],
    ['a JWT with base64 padding', `Bearer ${fresh}==`, 'Bearer error="invalid_token"'],
    ['Basic, UTF-8 password', `Basic ${basic('alice:pässwörd-123')}`, 'Basic realm="r"'],
    ['Basic, Latin-1 password', `Basic ${latin1('alice:p\xe4sswort-123')}`, 'Basic realm="r"'],
    ['Basic, no colon', `Basic ${basic('alice-and-a-long-token-1234')}`, 'Basic realm="r"'],
    [
      'Basic, base64url',
      `Basic ${basic('al?ce:s3cr3t>>pw??').replace(/\+/g, '-').replace(/\//g, '_')}`,
      'Basic realm="r"',
    ],
    ['Basic, not base64', `Basic alice:s3cr3t-pw`, 'Basic realm="r"'],
    ['Basic, bad padding', `Basic ${basic('alice:s3cr3t-pw1').replace(/=+$/, '')}`, 'Basic realm="r"'],
    ['Basic, empty password', `Basic ${basic('alice:')}`, 'Basic realm="r"'],
    [
      'Basic with an API key as user',
      `Basic ${basic('sk_live_51Hx8Kp2Lq9Zr4Tt7Vb1Nc6Hy3Jd0Fg5:')}`,
      'Basic realm="r"',
    ],
  ];
  it.each(table)('%s', (_name, authorization, challenge) => {
    const e = entry({
      url: 'https://api.example.com/v1/me',
      reqHeaders: [{ name: 'Authorization', value: authorization }],
      status: 401,
      resHeaders: [{ name: 'WWW-Authenticate', value: challenge }],
      body: '{"error":"unauthorized"}',
    });
    const out = sanitizeHar({ log: { entries: [e] } }).har.log.entries;
    expect(diagnose(out, 0)).toEqual(diagnose([e], 0));
    const sanitizedValue = header(out[0]!, 'authorization')[0]!;
    // Idempotent here too.
    expect(sanitizeHar({ log: { entries: out } }).har.log.entries[0]).toEqual(out[0]);
    if (/\$\{|\{\{|undefined/.test(authorization)) expect(sanitizedValue).toBe(authorization);
  });
});

describe('platform-neutral (the web page runs the sanitizer and the diff)', () => {
  it('imports no Node built-in and uses no Node global, all the way down', async () => {
    const { readFileSync } = await import('node:fs');
    const { dirname, resolve } = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
    const todo = ['har/sanitize.ts', 'har/diff.ts', 'render/diff-text.ts'].map((f) => resolve(src, f));
    const seen = new Set<string>();
    const external = new Set<string>();
    while (todo.length) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) todo.push(resolve(dirname(f), spec.replace(/\.js$/, '.ts')));
        else external.add(spec);
      }
      const code = text
        .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
        .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, "''");
      expect(code, f).not.toMatch(/\b(Buffer|process|require|__dirname)\b/);
    }
    expect([...external].filter((x) => x !== 'shell-quote')).toEqual([]);
    expect(seen.size).toBeGreaterThan(8);
  });
});
