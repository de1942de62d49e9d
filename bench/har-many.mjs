// A HAR with many small entries (issue 13: "`why401 har` memory grows with the number of entries"),
// written as a stream so that neither the writer nor its caller ever holds the file.
//
// One long single-page-app session, Chrome-shaped (`_initiator`, `_resourceType`, `_priority`,
// pseudo-headers, timings), entries 0.5–3 KB each, in time order:
// - pages, scripts, styles and images from https://app.example.com (some with signed CDN URLs);
// - API calls to https://api.example.com with `Authorization: Bearer <JWT>`, a session cookie and
//   CORS preflights for the POSTs; JSON answers of a few hundred bytes to a few KB;
// - a refresh at https://idp.example.com/oauth/token every 2,500 entries (a new JWT), with a
//   few later requests that still send the old token (401 `invalid_token`);
// - 403s with `insufficient_scope` and a JSON message; requests without an answer
//   (`net::ERR_FAILED`); redirects to the sign-in page; Set-Cookie rotations of the session;
// - every 40,000 entries a 20-minute idle gap, after which the same session cookie is refused
//   ({"message":"Session not found"}) until a sign-in sets a new one.
// About 2% of the entries fail. Deterministic: the same count gives the same bytes.
//
// `node bench/har-many.mjs` (also run by `npm run bench`): writes a 200,000-entry file
// (BENCH_HAR_ENTRIES to change it) in a temp dir, runs the built CLI on it in text and --json,
// and reports wall time, CPU time and peak RSS (goal: under 20 s and 300 MB, issue 13).
// `node bench/har-many.mjs --generate FILE [ENTRIES]` only writes FILE and prints its entry count
// and size; test/security/har-memory.test.ts uses it that way.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const b64url = (s) => Buffer.from(s).toString('base64url');

function jwt(n, iat) {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'key-1' }));
  const payload = b64url(
    JSON.stringify({
      iss: 'https://idp.example.com/',
      sub: 'user-1',
      aud: 'https://api.example.com',
      azp: 'spa',
      scope: 'openid profile read:items write:items',
      iat,
      exp: iat + 3600,
      jti: `t${n}`,
    }),
  );
  return `${header}.${payload}.${b64url(`signature-of-token-${n}-`.repeat(3))}`;
}

const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'Zoë', 'naïve', 'café', 'item', 'owner', 'status'];

const h = (name, value) => ({ name, value });

function jsonBody(rnd, n) {
  const items = [];
  for (let k = 0; k < n; k++)
    items.push({
      id: Math.floor(rnd() * 1e6),
      name: `${WORDS[k % WORDS.length]} ${Math.floor(rnd() * 1000)}`,
      updated_at: '2025-01-14T10:00:00.000Z',
      tags: [WORDS[(k + 3) % WORDS.length], WORDS[(k + 5) % WORDS.length]],
    });
  return JSON.stringify({ data: items, page: 1, total: n });
}

/**
 * The session as a sequence of exactly `count` entries; `emitEntry(entry)` gets each in order.
 * State: the current access token (refreshed every REFRESH entries), the session cookie (rotated
 * every ROTATE), the idle gaps (every IDLE_EVERY) after which the session is gone until a sign-in.
 */
export function generateSession(count, emitEntry, seed = 1) {
  const rnd = rng(seed);
  let emitted = 0;
  const emit = (e) => {
    emitted++;
    emitEntry(e);
  };
  const REFRESH = 2500;
  const ROTATE = 5000;
  const IDLE_EVERY = 40_000;
  let t = Date.UTC(2025, 0, 14, 8, 0, 0);
  let tokenN = 0;
  let token = jwt(tokenN, Math.floor(t / 1000));
  let oldToken = token;
  let sid = `s%3A${b64url(`session-0-${seed}`)}.${b64url('sig-0').slice(0, 12)}`;
  let sidN = 0;
  let sessionGone = false;
  let goneFor = 0;

  for (let i = 0; emitted < count; i++) {
    t += 40 + Math.floor(rnd() * 220);
    if (i > 0 && i % IDLE_EVERY === 0) {
      t += 20 * 60 * 1000;
      sessionGone = true;
      goneFor = 0;
    }
    const started = new Date(t).toISOString();
    const time = 8 + rnd() * 120;
    const base = {
      _initiator: { type: 'script', url: 'https://app.example.com/assets/main.js', lineNumber: 1 },
      _priority: 'High',
      cache: {},
      connection: String(443 + (i % 7)),
      pageref: 'page_1',
      serverIPAddress: '203.0.113.7',
      startedDateTime: started,
      time,
      timings: { blocked: 0.4, dns: -1, ssl: -1, connect: -1, send: 0.1, wait: time - 2, receive: 1.5 },
    };
    const appHeaders = [
      h(':authority', 'app.example.com'),
      h(':method', 'GET'),
      h(':scheme', 'https'),
      h('accept-encoding', 'gzip, deflate, br, zstd'),
      h('accept-language', 'en-GB,en;q=0.9'),
      h('user-agent', UA),
      h('cookie', `_ga=GA1.1.${1000 + (i % 17)}.1736840000; theme=dark`),
    ];
    const r = rnd();

    // Every REFRESH entries: the client refreshes its token (a POST with a refresh token).
    if (i > 0 && i % REFRESH === 0) {
      oldToken = token;
      tokenN++;
      token = jwt(tokenN, Math.floor(t / 1000));
      const body = JSON.stringify({
        access_token: token,
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: `rt-${b64url(`refresh-${tokenN}`)}`,
      });
      emit({
        ...base,
        _resourceType: 'fetch',
        request: {
          method: 'POST',
          url: 'https://idp.example.com/oauth/token',
          httpVersion: 'http/2.0',
          headers: [
            h(':authority', 'idp.example.com'),
            h(':method', 'POST'),
            h('content-type', 'application/x-www-form-urlencoded'),
            h('origin', 'https://app.example.com'),
            h('referer', 'https://app.example.com/'),
            h('user-agent', UA),
          ],
          cookies: [],
          queryString: [],
          postData: {
            mimeType: 'application/x-www-form-urlencoded',
            text: `grant_type=refresh_token&refresh_token=rt-${b64url(`refresh-${tokenN - 1}`)}&client_id=spa`,
          },
          headersSize: -1,
          bodySize: 120,
        },
        response: {
          status: 200,
          statusText: 'OK',
          httpVersion: 'http/2.0',
          headers: [
            h('content-type', 'application/json'),
            h('cache-control', 'no-store'),
            h('access-control-allow-origin', 'https://app.example.com'),
          ],
          cookies: [],
          content: { size: body.length, mimeType: 'application/json', text: body },
          redirectURL: '',
          headersSize: -1,
          bodySize: body.length,
          _transferSize: body.length + 200,
          _error: null,
        },
      });
      continue;
    }

    // After an idle gap: the same cookie is refused for a while, then the user signs in again.
    if (sessionGone && goneFor > 20 && r < 0.05) {
      sidN++;
      sid = `s%3A${b64url(`session-${sidN}-${seed}`)}.${b64url(`sig-${sidN}`).slice(0, 12)}`;
      sessionGone = false;
      emit({
        ...base,
        _resourceType: 'document',
        request: {
          method: 'POST',
          url: 'https://app.example.com/login',
          httpVersion: 'http/2.0',
          headers: [...appHeaders, h('content-type', 'application/x-www-form-urlencoded')],
          cookies: [],
          queryString: [],
          postData: {
            mimeType: 'application/x-www-form-urlencoded',
            text: 'username=me%40example.com&password=correct-horse-battery',
          },
          headersSize: -1,
          bodySize: 60,
        },
        response: {
          status: 302,
          statusText: 'Found',
          httpVersion: 'http/2.0',
          headers: [
            h('location', '/dashboard'),
            h('set-cookie', `sid=${sid}; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Lax`),
          ],
          cookies: [],
          content: { size: 0, mimeType: 'text/html' },
          redirectURL: '/dashboard',
          headersSize: -1,
          bodySize: 0,
          _error: null,
        },
      });
      continue;
    }

    // Static files of the page: about 12%.
    if (r < 0.12) {
      const kind = rnd();
      const image = kind < 0.5;
      const url = image
        ? `https://cdn.example.com/img/${i % 300}.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-Signature=${(i * 2654435761).toString(16).padStart(12, '0')}deadbeef`
        : `https://app.example.com/assets/chunk-${i % 97}.js`;
      emit({
        ...base,
        _resourceType: image ? 'image' : 'script',
        request: {
          method: 'GET',
          url,
          httpVersion: 'http/2.0',
          headers: appHeaders,
          cookies: [],
          queryString: [],
          headersSize: -1,
          bodySize: 0,
        },
        response: {
          status: rnd() < 0.4 ? 304 : 200,
          statusText: '',
          httpVersion: 'http/2.0',
          headers: [
            h('content-type', image ? 'image/png' : 'application/javascript'),
            h('cache-control', 'public, max-age=31536000, immutable'),
            h('etag', `"${(i % 97).toString(16)}-abc"`),
            h('server', 'cloudfront'),
          ],
          cookies: [],
          content: { size: 2048 + (i % 4096), mimeType: image ? 'image/png' : 'application/javascript' },
          redirectURL: '',
          headersSize: -1,
          bodySize: 0,
          _transferSize: 300,
          _error: null,
        },
      });
      continue;
    }

    // An API call: the rest.
    goneFor++;
    const post = rnd() < 0.15;
    const path = `/v1/${['items', 'orders', 'users/me', 'notifications', 'search'][i % 5]}${post ? '' : `?page=${i % 9}`}`;
    const url = `https://api.example.com${path}`;
    const stale = i % REFRESH > 0 && i % REFRESH < 60 && rnd() < 0.1; // the old token, just after a refresh
    const bearer = stale ? oldToken : token;
    let status = 200;
    let body = jsonBody(rnd, 1 + Math.floor(rnd() * 8));
    const extra = [];
    let failure;
    if (sessionGone) {
      status = 401;
      body = '{"message":"Session not found"}';
    } else if (stale) {
      status = 401;
      body = '{"error":"invalid_token","error_description":"The access token was replaced"}';
      extra.push(
        h(
          'www-authenticate',
          'Bearer realm="api", error="invalid_token", error_description="The access token was replaced"',
        ),
      );
    } else if (rnd() < 0.02) {
      status = 403;
      body = '{"error":"forbidden","message":"Missing scope admin:items"}';
      extra.push(
        h('www-authenticate', 'Bearer realm="api", error="insufficient_scope", scope="admin:items"'),
      );
    } else if (rnd() < 0.004) {
      status = 0;
      failure = 'net::ERR_FAILED';
    }
    const reqHeaders = [
      h(':authority', 'api.example.com'),
      h(':method', post ? 'POST' : 'GET'),
      h(':path', path),
      h(':scheme', 'https'),
      h('accept', 'application/json, text/plain, */*'),
      h('accept-language', 'en-GB,en;q=0.9'),
      h('authorization', `Bearer ${bearer}`),
      h('cookie', `sid=${sid}; theme=dark`),
      h('origin', 'https://app.example.com'),
      h('referer', 'https://app.example.com/dashboard'),
      h('sec-fetch-dest', 'empty'),
      h('sec-fetch-mode', 'cors'),
      h('sec-fetch-site', 'same-site'),
      h('user-agent', UA),
      h('x-request-id', `r-${i.toString(16).padStart(8, '0')}`),
    ];
    if (post) reqHeaders.push(h('content-type', 'application/json'));
    if (post && rnd() < 0.5 && emitted < count - 1)
      // The CORS preflight of the POST, as Chrome logs it.
      emit({
        ...base,
        _resourceType: 'preflight',
        request: {
          method: 'OPTIONS',
          url,
          httpVersion: 'http/2.0',
          headers: [
            h('access-control-request-method', 'POST'),
            h('access-control-request-headers', 'authorization,content-type'),
            h('origin', 'https://app.example.com'),
            h('user-agent', UA),
          ],
          cookies: [],
          queryString: [],
          headersSize: -1,
          bodySize: 0,
        },
        response: {
          status: 204,
          statusText: 'No Content',
          httpVersion: 'http/2.0',
          headers: [
            h('access-control-allow-origin', 'https://app.example.com'),
            h('access-control-allow-credentials', 'true'),
            h('access-control-allow-methods', 'GET, POST, PUT, DELETE'),
            h('access-control-allow-headers', 'authorization, content-type'),
            h('access-control-max-age', '600'),
          ],
          cookies: [],
          content: { size: 0, mimeType: 'x-unknown' },
          redirectURL: '',
          headersSize: -1,
          bodySize: 0,
          _error: null,
        },
      });
    const resHeaders = [
      h('content-type', 'application/json; charset=utf-8'),
      h('cache-control', 'no-store'),
      h('access-control-allow-origin', 'https://app.example.com'),
      h('access-control-allow-credentials', 'true'),
      h('vary', 'Origin'),
      h('x-request-id', `r-${i.toString(16).padStart(8, '0')}`),
      h('server', 'nginx'),
      ...extra,
    ];
    if (status === 200 && i % ROTATE === ROTATE - 1) {
      sidN++;
      sid = `s%3A${b64url(`session-${sidN}-${seed}`)}.${b64url(`sig-${sidN}`).slice(0, 12)}`;
      resHeaders.push(
        h('set-cookie', `sid=${sid}; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Lax`),
      );
    }
    emit({
      ...base,
      _resourceType: 'fetch',
      request: {
        method: post ? 'POST' : 'GET',
        url,
        httpVersion: 'http/2.0',
        headers: reqHeaders,
        cookies: [
          { name: 'sid', value: sid, domain: '.example.com', path: '/', httpOnly: true, secure: true },
        ],
        queryString: post ? [] : [{ name: 'page', value: String(i % 9) }],
        ...(post
          ? { postData: { mimeType: 'application/json', text: `{"name":"item ${i}","qty":${i % 5}}` } }
          : {}),
        headersSize: -1,
        bodySize: post ? 30 : 0,
      },
      response: failure
        ? {
            status: 0,
            statusText: '',
            httpVersion: '',
            headers: [],
            cookies: [],
            content: { size: 0, mimeType: 'x-unknown' },
            redirectURL: '',
            headersSize: -1,
            bodySize: -1,
            _error: failure,
            _failureText: failure,
          }
        : {
            status,
            statusText: status === 200 ? 'OK' : status === 401 ? 'Unauthorized' : 'Forbidden',
            httpVersion: 'http/2.0',
            headers: resHeaders,
            cookies: [],
            content: { size: body.length, mimeType: 'application/json', text: body },
            redirectURL: '',
            headersSize: -1,
            bodySize: body.length,
            _transferSize: body.length + 300,
            _error: null,
          },
    });
  }
}

/** Writes the session as a HAR file, 1 MiB at a time; returns { entries, bytes }. */
export function writeManyEntriesHar(file, count, seed = 1) {
  const fd = openSync(file, 'w');
  let parts = [];
  let size = 0;
  let bytes = 0;
  let n = 0;
  const put = (s) => {
    parts.push(s);
    size += s.length;
    if (size >= 1 << 20) flush();
  };
  const flush = () => {
    const b = Buffer.from(parts.join(''));
    let off = 0;
    while (off < b.length) off += writeSync(fd, b, off);
    bytes += b.length;
    parts = [];
    size = 0;
  };
  try {
    put(
      '{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},' +
        '"pages":[{"startedDateTime":"2025-01-14T08:00:00.000Z","id":"page_1","title":"https://app.example.com/dashboard","pageTimings":{}}],' +
        '"entries":[\n',
    );
    generateSession(
      count,
      (e) => {
        put(`${n ? ',\n' : ''}${JSON.stringify(e)}`);
        n++;
      },
      seed,
    );
    put('\n]}}\n');
    flush();
  } finally {
    closeSync(fd);
  }
  return { entries: n, bytes };
}

// ---- measurement (npm run bench) ----

const CLI = fileURLToPath(new URL('../dist/bin/main.js', import.meta.url));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const GOAL_S = 20;
const GOAL_RSS_MB = 300;

/** The built CLI on the file, its wall time, CPU time and peak RSS (as /usr/bin/time -v sees them). */
function measureCli(args) {
  const t0 = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-v', process.execPath, CLI, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 })
    : spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = performance.now() - t0;
  const field = (re) => Number(re.exec(r.stderr)?.[1] ?? NaN);
  const rssKB = field(/Maximum resident set size \(kbytes\): (\d+)/);
  const cpu = field(/User time \(seconds\): ([\d.]+)/) + field(/System time \(seconds\): ([\d.]+)/);
  return {
    code: r.status,
    ms,
    cpuS: cpu,
    rssMB: rssKB / 1024,
    first: r.stdout.split('\n')[0],
    stack: /\n\s+at /.test(r.stderr.split(/\n\s*Command being timed:/)[0]),
  };
}

function main() {
  if (!existsSync(CLI)) {
    console.error(`bench/har-many.mjs: ${CLI} is missing: run npm run build first`);
    process.exit(2);
  }
  const n = Number(process.env.BENCH_HAR_ENTRIES ?? 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'why401-har-many-'));
  try {
    const file = join(dir, 'many.har');
    const t0 = performance.now();
    const g = writeManyEntriesHar(file, n);
    console.log(
      `\nnode ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; generated ${g.entries} entries, ${(g.bytes / 1048576).toFixed(0)} MiB, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const rows = [
      ['why401 har FILE', measureCli(['har', file])],
      ['why401 har FILE --json', measureCli(['har', file, '--json'])],
    ];
    let failed = false;
    for (const [name, r] of rows) {
      const ok = r.code === 1 && !r.stack && r.ms / 1000 < GOAL_S && !(r.rssMB >= GOAL_RSS_MB);
      failed ||= !ok;
      console.log(
        `${name.padEnd(24)} ${(r.ms / 1000).toFixed(1).padStart(6)} s wall ${r.cpuS.toFixed(1).padStart(6)} s CPU ${`${r.rssMB.toFixed(0)} MB`.padStart(8)} peak RSS  exit ${r.code}  ${ok ? 'OK' : 'MISSED'}`,
      );
    }
    console.log(`  first line: ${rows[0][1].first}`);
    console.log(
      `goal: ${n} entries in under ${GOAL_S} s and ${GOAL_RSS_MB} MB peak RSS, exit 1, no stack trace`,
    );
    process.exitCode = failed ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--generate') {
  const file = process.argv[3];
  if (!file) {
    console.error('usage: node bench/har-many.mjs --generate FILE [ENTRIES]');
    process.exit(2);
  }
  const r = writeManyEntriesHar(file, Number(process.argv[4] ?? 200_000));
  console.log(JSON.stringify(r));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main();
}
