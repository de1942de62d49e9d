import type { HarEntry, HarNameValue } from '../../src/model/har.js';

/**
 * A Chrome-shaped HAR (HTTP/2 pseudo-headers, lower-case names, `_initiator`, `_resourceType`,
 * cookies listed twice: in the header and in `cookies`) of one sign-in session that puts a
 * secret in every place a HAR can hold one. Each secret is distinct, so a test can search the
 * sanitized JSON for each.
 */

export function b64url(s: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function makeJwt(header: object, payload: object, signature: string): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${signature}`;
}

const NOW = Date.parse('2024-05-01T10:00:00.000Z') / 1000;

export const SIG = {
  access: 'Xq3vN8pLr2TbW9yKc4HdFj6MsA1eZoUg7RiPwEnBtYx5Qa0VmClGkSuJhOfDzI-_y8b2',
  id: 'Kd8sLq0PzXv3NwT7bRy2Mc5Hj9FgAe1UoIiEk4Wl6SnQrVtYp-ZxCa_Bm0OuGhDfJsL',
  dpop: 'Rt5Yw8Ek2Lp9Zq4Xs7Vb1Nm6Hc3Jd0Fg-Aa_Bb9Cc8Dd7Ee6Ff5Gg4Hh3Ii2Jj1Kk0Ll',
  cookieJwt: 'Pp0Oo9Ii8Uu7Yy6Tt5Rr4Ee3Ww2Qq1Aa0Ss9Dd8Ff7Gg6Hh5Jj4Kk3Ll2Zz1Xx0Cc9Vv',
};

export const ACCESS_JWT = makeJwt(
  { alg: 'RS256', typ: 'at+jwt', kid: 'key-2024-04' },
  {
    iss: 'https://login.example.com/',
    aud: 'https://api.example.com',
    sub: 'user-42',
    scope: 'orders:read profile',
    exp: NOW - 7200,
    iat: NOW - 10800,
  },
  SIG.access,
);
export const ID_JWT = makeJwt(
  { alg: 'RS256', typ: 'JWT', kid: 'key-2024-04' },
  {
    iss: 'https://login.example.com/',
    aud: 'spa-client',
    sub: 'user-42',
    nonce: 'n-0S6_WzA2Mj',
    exp: NOW + 3600,
  },
  SIG.id,
);
export const DPOP_JWT = makeJwt(
  { alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: 'EC', crv: 'P-256', x: 'abc', y: 'def' } },
  { htm: 'GET', htu: 'https://api.example.com/v1/me', iat: NOW },
  SIG.dpop,
);
export const COOKIE_JWT = makeJwt({ alg: 'HS256' }, { sid: 's-1', exp: NOW + 600 }, SIG.cookieJwt);
export const NONE_JWT = makeJwt({ alg: 'none' }, { sub: 'user-42', exp: NOW + 600 }, '');

export const S = {
  refresh: 'rt_8fK2mQ9xLp4vN7wB3cZ6yT1sR5gH0jDe',
  opaqueAccess: 'oat_Zk3Lm8Np2Qr7St4Uv9Wx1Yz6Ab5Cd0Ef',
  clientSecret: 'cs-9hGf3Kd8Lw2Qp7Zx4Vb1Nm6Rt5Yj0Ue',
  code: 'SplxlOBeZQQYbYS6WxSbIA3kq9Lm2Np7',
  state: 'af0ifjsldkj8H2mQ7xLp4v',
  codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  password: 'Tr0ub4dor&3-horse',
  jsonPassword: 'c0rrect-Horse-battery',
  session: 's%3AQm9vN2Lk8Xp4Zr7Tt1Vb6Nc3Hy0Jd5.Fg9Ah2',
  sessionDecoded: 's:Qm9vN2Lk8Xp4Zr7Tt1Vb6Nc3Hy0Jd5.Fg9Ah2',
  csrf: 'csrf-Lp4vN7wB3cZ6yT1sR5gH0jDe8fK2mQ9x',
  apiKey: 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
  apiKeyHeader: 'sk_live_51Hx8Kp2Lq9Zr4Tt7Vb1Nc6Hy3Jd0Fg5',
  basicPassword: 'B4sic-Pa55word!x',
  proxyPassword: 'Pr0xy-Secr3t-99',
  urlPassword: 'urlP4ss-w0rd-7',
  amzSignature: 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
  amzKeyId: 'AKIAIOSFODNN7EXAMPLE',
  wsToken: 'ws-Tk8Lp2Qr7St4Uv9Wx1Yz6Ab5Cd0Ef3Gh',
  samlResponse: 'PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPSJ1cm46b2FzaXM6bmFtZXM6dGM6U0FNTDoyLjA6cHJvdG9jb2wi',
  implicitToken: 'imp-Ab5Cd0Ef3Gh8Lp2Qr7St4Uv9Wx1Yz6',
  digestResponse: '6629fae49393a05397450978507c4ef1',
  xAuthToken: 'xat-Nc6Hy3Jd0Fg5Hx8Kp2Lq9Zr4Tt7Vb1',
  multipartSecret: 'mp-S3cr3t-Zr4Tt7Vb1Nc6Hy3',
};

/** Every raw secret that must not survive, with its URL-encoded form. */
export function rawSecrets(): string[] {
  const out = new Set<string>();
  for (const v of Object.values(S)) {
    out.add(v);
    out.add(encodeURIComponent(v));
  }
  for (const v of Object.values(SIG)) out.add(v);
  out.add(btoa(`alice:${S.basicPassword}`));
  out.add(btoa(`proxyuser:${S.proxyPassword}`));
  return [...out];
}

function h(name: string, value: string): HarNameValue {
  return { name, value };
}

function chromeRequestHeaders(method: string, url: string, extra: HarNameValue[]): HarNameValue[] {
  const u = new URL(url);
  return [
    h(':authority', u.host),
    h(':method', method),
    h(':path', u.pathname + u.search),
    h(':scheme', u.protocol.slice(0, -1)),
    h('accept', 'application/json, text/plain, */*'),
    h('accept-encoding', 'gzip, deflate, br, zstd'),
    h('accept-language', 'en-GB,en;q=0.9'),
    ...extra,
    h('sec-ch-ua', '"Chromium";v="156", "Not.A/Brand";v="99"'),
    h('sec-fetch-mode', 'cors'),
    h(
      'user-agent',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    ),
  ];
}

interface EntryInit {
  method?: string;
  url: string;
  reqHeaders?: HarNameValue[];
  cookies?: HarEntry['request']['cookies'];
  postData?: HarEntry['request']['postData'];
  status?: number;
  resHeaders?: HarNameValue[];
  resCookies?: HarEntry['response']['cookies'];
  mimeType?: string;
  body?: string;
  encoding?: string;
  redirectURL?: string;
  at?: string;
  extra?: Record<`_${string}`, unknown>;
}

export function entry(init: EntryInit): HarEntry {
  const method = init.method ?? 'GET';
  const u = new URL(init.url);
  const e = {
    _initiator: {
      type: 'script',
      stack: { callFrames: [{ functionName: 'load', url: 'https://app.example.com/main.js' }] },
    },
    _priority: 'High',
    _resourceType: 'fetch',
    cache: {},
    connection: '443',
    pageref: 'page_1',
    request: {
      method,
      url: init.url,
      httpVersion: 'http/2.0',
      headers: chromeRequestHeaders(method, init.url, init.reqHeaders ?? []),
      queryString: [...u.searchParams].map(([name, value]) => ({ name, value })),
      cookies: init.cookies ?? [],
      headersSize: -1,
      bodySize: init.postData?.text?.length ?? 0,
      ...(init.postData ? { postData: init.postData } : {}),
    },
    response: {
      status: init.status ?? 200,
      statusText: '',
      httpVersion: 'http/2.0',
      headers: [
        h('content-type', init.mimeType ?? 'application/json'),
        h('date', 'Wed, 01 May 2024 10:00:00 GMT'),
        h('server', 'envoy'),
        ...(init.resHeaders ?? []),
      ],
      cookies: init.resCookies ?? [],
      content: {
        size: init.body?.length ?? 0,
        mimeType: init.mimeType ?? 'application/json',
        ...(init.body !== undefined ? { text: init.body } : {}),
        ...(init.encoding ? { encoding: init.encoding } : {}),
      },
      redirectURL: init.redirectURL ?? '',
      headersSize: -1,
      bodySize: -1,
      _transferSize: 512,
    } as HarEntry['response'],
    serverIPAddress: '203.0.113.7',
    startedDateTime: init.at ?? '2024-05-01T10:00:00.000Z',
    time: 84.2,
    timings: {
      blocked: 1.2,
      dns: -1,
      ssl: -1,
      connect: -1,
      send: 0.1,
      wait: 80.3,
      receive: 2.6,
      _blocked_queueing: 0.9,
    },
    ...(init.extra ?? {}),
  } as HarEntry;
  return e;
}

const form = (pairs: Array<[string, string]>) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

export function sessionHar(): {
  log: { version: string; creator: { name: string; version: string }; pages: unknown[]; entries: HarEntry[] };
} {
  const authorizeUrl = `https://login.example.com/authorize?response_type=code&client_id=spa-client&redirect_uri=${encodeURIComponent('https://app.example.com/cb')}&scope=openid%20orders%3Aread&state=${S.state}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`;
  const callback = `https://app.example.com/cb?code=${S.code}&state=${S.state}`;
  const loginForm: Array<[string, string]> = [
    ['username', 'alice@example.com'],
    ['password', S.password],
    ['remember', 'on'],
  ];
  const tokenForm: Array<[string, string]> = [
    ['grant_type', 'authorization_code'],
    ['code', S.code],
    ['redirect_uri', 'https://app.example.com/cb'],
    ['client_id', 'spa-client'],
    ['client_secret', S.clientSecret],
    ['code_verifier', S.codeVerifier],
  ];
  const refreshForm: Array<[string, string]> = [
    ['grant_type', 'refresh_token'],
    ['refresh_token', S.refresh],
    ['client_id', 'spa-client'],
  ];
  const boundary = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
  const multipart = [
    `--${boundary}`,
    'Content-Disposition: form-data; name="label"',
    '',
    'monthly report',
    `--${boundary}`,
    'Content-Disposition: form-data; name="upload_secret"',
    '',
    S.multipartSecret,
    `--${boundary}--`,
    '',
  ].join('\r\n');

  const entries: HarEntry[] = [
    // 0: the authorize request, answered by the login page with a CSRF meta tag.
    entry({
      url: authorizeUrl,
      mimeType: 'text/html',
      body: `<html><head><meta name="csrf-token" content="${S.csrf}"></head><body><form method="post"><input type="hidden" name="authenticity_token" value="${S.csrf}"><input name="username"><input type="password" name="password"></form></body></html>`,
      resHeaders: [h('set-cookie', `csrf=${S.csrf}; Path=/; Secure; HttpOnly; SameSite=Lax`)],
      resCookies: [{ name: 'csrf', value: S.csrf, path: '/', secure: true, httpOnly: true, sameSite: 'Lax' }],
      extra: { _resourceType: 'document' },
    }),
    // 1: the login form post (text and params), answered by a redirect with a session cookie.
    entry({
      method: 'POST',
      url: 'https://login.example.com/login',
      reqHeaders: [
        h('content-type', 'application/x-www-form-urlencoded'),
        h('cookie', `csrf=${S.csrf}`),
        h('x-csrf-token', S.csrf),
      ],
      cookies: [{ name: 'csrf', value: S.csrf }],
      postData: {
        mimeType: 'application/x-www-form-urlencoded',
        text: form(loginForm),
        params: loginForm.map(([name, value]) => ({ name, value: encodeURIComponent(value) })),
      },
      status: 302,
      mimeType: 'text/html',
      body: '',
      resHeaders: [
        h('location', callback),
        h(
          'set-cookie',
          `sid=${S.session}; Path=/; Expires=Wed, 01 May 2024 12:00:00 GMT; Secure; HttpOnly; SameSite=Strict`,
        ),
        h('set-cookie', `theme=dark; Path=/`),
      ],
      resCookies: [
        {
          name: 'sid',
          value: S.session,
          path: '/',
          expires: '2024-05-01T12:00:00.000Z',
          httpOnly: true,
          secure: true,
          sameSite: 'Strict',
        },
        { name: 'theme', value: 'dark', path: '/' },
      ],
      redirectURL: callback,
    }),
    // 2: the callback with code and state in the URL, queryString and Referer.
    entry({
      url: callback,
      reqHeaders: [h('referer', authorizeUrl), h('cookie', `sid=${S.session}; theme=dark`)],
      cookies: [
        { name: 'sid', value: S.session },
        { name: 'theme', value: 'dark' },
      ],
      mimeType: 'text/html',
      body: '<html><body>Signing you in…</body></html>',
    }),
    // 3: the token request (form) and the token response (JSON).
    entry({
      method: 'POST',
      url: 'https://login.example.com/oauth/token',
      reqHeaders: [h('content-type', 'application/x-www-form-urlencoded')],
      postData: {
        mimeType: 'application/x-www-form-urlencoded',
        text: form(tokenForm),
        params: tokenForm.map(([name, value]) => ({ name, value })),
      },
      body: `{\n  "access_token": "${ACCESS_JWT}",\n  "token_type": "Bearer",\n  "expires_in": 3600,\n  "refresh_token": "${S.refresh}",\n  "id_token": "${ID_JWT}",\n  "scope": "openid orders:read"\n}`,
    }),
    // 4: an API call with the (expired) JWT, a DPoP proof, an API key header and query key.
    entry({
      url: `https://api.example.com/v1/orders?page=2&api_key=${S.apiKey}`,
      reqHeaders: [
        h('authorization', `Bearer ${ACCESS_JWT}`),
        h('dpop', DPOP_JWT),
        h('x-api-key', S.apiKeyHeader),
        h('x-api-token', '${API_TOKEN}'),
        h('origin', 'https://app.example.com'),
        h('referer', 'https://app.example.com/'),
      ],
      status: 401,
      resHeaders: [
        h(
          'www-authenticate',
          'Bearer realm="api", error="invalid_token", error_description="The token expired"',
        ),
      ],
      body: '{"error":"invalid_token","error_description":"The token expired","code":"token_expired"}',
    }),
    // 5: the refresh (form text and params) answered with an opaque access token.
    entry({
      method: 'POST',
      url: 'https://login.example.com/oauth/token',
      reqHeaders: [h('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')],
      postData: {
        mimeType: 'application/x-www-form-urlencoded;charset=UTF-8',
        text: form(refreshForm),
        params: refreshForm.map(([name, value]) => ({ name, value })),
      },
      body: `{"access_token":"${S.opaqueAccess}","token_type":"Bearer","expires_in":3600}`,
    }),
    // 6: the retried call with the opaque token (quoted, with a stray space) and a cookie JWT.
    entry({
      url: 'https://api.example.com/v1/orders?page=2',
      reqHeaders: [
        h('authorization', `Bearer  "${S.opaqueAccess}" `),
        h('cookie', `sid=${S.session}; at=${COOKIE_JWT}`),
      ],
      cookies: [
        { name: 'sid', value: S.session },
        { name: 'at', value: COOKIE_JWT },
      ],
      body: '{"orders":[{"id":1,"total":"12.50"}],"next":"/v1/orders?page=3"}',
    }),
    // 7: a JSON login to another service, answered by an HTML page that echoes the opaque token.
    entry({
      method: 'POST',
      url: 'https://legacy.example.com/api/session',
      reqHeaders: [h('content-type', 'application/json'), h('x-auth-token', S.xAuthToken)],
      postData: {
        mimeType: 'application/json',
        text: `{"user":"alice","password":"${S.jsonPassword}","remember":true}`,
      },
      mimeType: 'text/html; charset=utf-8',
      body: `<script>window.__BOOT__ = {"user":"alice","token":"${S.opaqueAccess}"}; var x = "${S.opaqueAccess}";</script>`,
    }),
    // 8: Basic and Proxy-Authorization, a URL with a password, an alg-none JWT.
    entry({
      url: 'https://reports.example.com/export.csv',
      reqHeaders: [
        h('authorization', `Basic ${btoa(`alice:${S.basicPassword}`)}`),
        h('proxy-authorization', `Basic ${btoa(`proxyuser:${S.proxyPassword}`)}`),
        h('referer', `https://alice:${S.urlPassword}@reports.example.com/`),
        h('x-debug-token', NONE_JWT),
      ],
      status: 403,
      mimeType: 'text/plain',
      body: 'Forbidden',
    }),
    // 9: a presigned S3 download and a Digest retry.
    entry({
      url: `https://bucket.s3.eu-west-1.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${S.amzKeyId}%2F20240501%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20240501T100000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=${S.amzSignature}`,
      reqHeaders: [
        h(
          'authorization',
          `Digest username="alice", realm="reports", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/report.pdf", qop=auth, nc=00000001, cnonce="0a4f113b", response="${S.digestResponse}", opaque="5ccc069c403ebaf9f0171e9517f40e41"`,
        ),
      ],
      mimeType: 'application/pdf',
      body: 'JVBERi0xLjQK',
      encoding: 'base64',
    }),
    // 10: an implicit-flow redirect with the token in the fragment; a SAML POST page.
    entry({
      url: 'https://login.example.com/authorize?response_type=token&client_id=legacy',
      status: 302,
      mimeType: 'text/html',
      body: `<form method="post" action="https://sp.example.com/acs"><input type="hidden" name="SAMLResponse" value="${S.samlResponse}"/><input type="hidden" name="RelayState" value="${S.state}"/></form>`,
      resHeaders: [
        h(
          'location',
          `https://legacy.example.com/cb#access_token=${S.implicitToken}&token_type=Bearer&expires_in=3600&state=${S.state}`,
        ),
      ],
      redirectURL: `https://legacy.example.com/cb#access_token=${S.implicitToken}&token_type=Bearer&expires_in=3600&state=${S.state}`,
    }),
    // 11: a WebSocket with an auth frame, and a multipart upload with a secret field.
    entry({
      method: 'POST',
      url: 'https://api.example.com/v1/uploads',
      reqHeaders: [h('content-type', `multipart/form-data; boundary=${boundary}`)],
      postData: { mimeType: `multipart/form-data; boundary=${boundary}`, text: multipart },
      status: 201,
      body: '{"ok":true}',
      extra: {
        _webSocketMessages: [
          { type: 'send', time: 1714557600.1, opcode: 1, data: `{"type":"auth","token":"${S.wsToken}"}` },
          { type: 'receive', time: 1714557600.2, opcode: 1, data: '{"type":"ready"}' },
        ],
      },
    }),
  ];
  return {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [
        {
          startedDateTime: '2024-05-01T09:59:59.000Z',
          id: 'page_1',
          title: 'https://app.example.com/',
          pageTimings: {},
        },
      ],
      entries,
    },
  };
}
