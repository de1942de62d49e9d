// Issue 5, "Speed and memory": why401's HAR reader over a generated 1 GiB HAR with large response
// bodies (goal: at least 200 MB/s, peak RSS at most 256 MB), beside JSON.parse(readFileSync) of a
// 400 MiB file for the ratio (a 1 GiB file cannot be one V8 string at all). Issue 13: the whole
// `why401 har --json` on the same 1 GiB file stays under 256 MB too.
// Runs against the BUILT reader (npm run build first). The files are written in a temp dir by a
// streamed generator (Chrome-shaped entries, bodies of four kinds, see KINDS) and read while still
// in the page cache. Each measurement is a child process of its own, so its peak RSS is its own,
// and the best of BENCH_HAR_RUNS (default 2) runs. The files are deleted at the end.
// `node bench/har.mjs --generate FILE MIB [KIND]` only writes a file, to profile by hand.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const READER = fileURLToPath(new URL('../dist/har/reader.js', import.meta.url));
const MiB = 1024 * 1024;
const GOAL_MBS = 200;
const GOAL_RSS_MB = 256;

// ---- children ----

if (process.argv[2] === '--child') {
  const [mode, file] = process.argv.slice(3);
  const bytes = statSync(file).size;
  const out = { bytes, entries: 0, s401: 0, wwwAuthenticate: 0, truncated: 0 };
  const count = (e) => {
    out.entries++;
    if (e.response.status === 401) out.s401++;
    for (const h of e.response.headers)
      if (h.name.toLowerCase() === 'www-authenticate') out.wwwAuthenticate++;
    if (e.response.content?._why401TruncatedFrom !== undefined) out.truncated++;
  };
  const { readHarFile } = mode === 'parse' ? {} : await import(READER);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (mode === 'parse') {
    const har = JSON.parse(readFileSync(file, 'utf8'));
    for (const e of har.log.entries) count(e);
  } else {
    let chars = 0;
    const r = await readHarFile(file, {
      onEntry:
        mode === 'read-bodies'
          ? (e) => {
              count(e);
              chars += e.response.content?.text?.length ?? 0;
            }
          : count,
    });
    if (r.error) out.error = r.error.message;
    if (mode === 'read-bodies') out.bodyChars = chars;
  }
  out.ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  out.cpuMs = (cpu.user + cpu.system) / 1000;
  out.maxRssKB = process.resourceUsage().maxRSS;
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

// ---- generation ----

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

/**
 * The kinds of response body in the file, with the share of entries of each. The text kinds are
 * fragments of real-looking text, JSON-escaped as a HAR holds them: per KB of the file, the "json"
 * kind (an API answer) has about 117 quotes and 140 backslashes, "html" 12 and 24, "js" (minified,
 * single quotes and template literals as bundlers write it) 7 and 13, with accented letters, a
 * snowman and an emoji (2 to 5% of the bytes non-ASCII); "image" is base64 (images, fonts).
 * For comparison, escaped as in a HAR: package-lock.json has 72 quotes per KB, ajv.min.js 50,
 * an HTML page 15, a vite bundle 1.
 */
const KINDS = [
  {
    name: 'json',
    share: 0.3,
    mime: 'application/json',
    words: [
      '{"id":42,"name":"Zoë","tags":["a","b"],"owner":{"login":"me"}}',
      '"description":"A longer text of the item, with several sentences. It goes on.\\nSecond line.",',
      '"url":"https://api.example.com/v1/items/42?include=owner&page=2",',
      '{"path":"C:\\\\Users\\\\me","ok":true}',
      '"created_at":"2025-01-14T10:00:00.000Z","amount":12.5,"currency":"€",',
      '"emoji":"😀","snow":"☃",',
      '[1,2,3,null,false],',
    ],
  },
  {
    name: 'html',
    share: 0.2,
    mime: 'text/html; charset=utf-8',
    words: [
      '<div class="card">',
      '</div>\n',
      '<a href="/login?next=%2F">sign in</a>',
      'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ',
      'Café naïve élève ☃ 😀 ',
      '<p>Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo.</p>\n',
      '\t<li><span>item</span></li>\n',
    ],
  },
  {
    name: 'js',
    share: 0.25,
    mime: 'application/javascript',
    words: [
      "function n(e,t){return e.replace(/\\s+/g,'')+t}",
      'var r=Object.assign({},e,{key:t,value:i});',
      'if(!a)throw new Error(`failed: ${a}`);',
      'const o=new Map;for(const[s,c]of Object.entries(u))o.set(s,c);',
      'e.exports={render:f,hydrate:p,version:"18.3.1"};',
      "label:'Déjà vu ☃',",
      'return l&&l.length>0?l.map(x=>x*2):[];',
    ],
  },
  { name: 'image', share: 0.25, mime: 'image/png', base64: true },
];

/** One long JSON-escaped text of a kind, and the byte offsets where it may be cut. */
function bodySource(kind, size) {
  const rnd = rng(7);
  const parts = [];
  const cuts = [];
  let len = 0;
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  while (len < size) {
    let w;
    if (kind.base64) {
      w = '';
      for (let k = 0; k < 64; k++) w += B64[Math.floor(rnd() * 64)];
    } else {
      w = JSON.stringify(kind.words[Math.floor(rnd() * kind.words.length)]).slice(1, -1);
    }
    const b = Buffer.from(w);
    parts.push(b);
    cuts.push(len);
    len += b.length;
  }
  cuts.push(len);
  return { kind, bytes: Buffer.concat(parts), cuts: Int32Array.from(cuts) };
}

/** The body sources, one per kind. */
function bodySources() {
  return KINDS.map((k) => bodySource(k, 8 * MiB));
}

/** The first cut at or after `offset`. */
function cutAt(cuts, offset) {
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return cuts[lo];
}

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS0xIn0.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLmNvbSIsInN1YiI6InUxIiwiYXVkIjoiYXBpIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtc2lnbmF0dXJl';

function entrySkeleton(i, status, mime) {
  const h = (name, value) => ({ name, value });
  const responseHeaders = [
    h('date', 'Tue, 14 Jan 2025 10:00:00 GMT'),
    h('content-type', mime),
    h('cache-control', 'no-store'),
    h('server', 'nginx/1.27.3'),
    h('x-request-id', `req-${i.toString(16).padStart(8, '0')}`),
    h('strict-transport-security', 'max-age=31536000; includeSubDomains'),
    h('vary', 'Origin, Accept-Encoding'),
    h('access-control-allow-origin', 'https://app.example.com'),
  ];
  if (status === 401) {
    responseHeaders.push(
      h(
        'www-authenticate',
        'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
      ),
      h('www-authenticate', 'Basic realm="api", charset="UTF-8"'),
    );
  }
  if (i % 7 === 0) responseHeaders.push(h('set-cookie', `sid=s${i}; Path=/; Secure; HttpOnly; SameSite=Lax`));
  return {
    _initiator: {
      type: 'script',
      stack: {
        callFrames: [
          { functionName: 'load', url: 'https://app.example.com/main.js', lineNumber: 10, columnNumber: 4 },
        ],
      },
    },
    _priority: 'High',
    _resourceType: mime.includes('html') ? 'document' : 'fetch',
    cache: {},
    connection: '443',
    pageref: 'page_1',
    request: {
      method: i % 5 === 0 ? 'POST' : 'GET',
      url: `https://api.example.com/v1/items/${i}?include=owner&page=${i % 13}`,
      httpVersion: 'http/2.0',
      headers: [
        h(':authority', 'api.example.com'),
        h(':method', 'GET'),
        h(':path', `/v1/items/${i}`),
        h(':scheme', 'https'),
        h('accept', 'application/json, text/plain, */*'),
        h('accept-language', 'en-GB,en;q=0.9,fr;q=0.8'),
        h('authorization', `Bearer ${JWT}`),
        h('cookie', `sid=s${i - (i % 7)}; theme=dark; consent=yes`),
        h('origin', 'https://app.example.com'),
        h('referer', 'https://app.example.com/dashboard'),
        h('sec-fetch-dest', 'empty'),
        h('sec-fetch-mode', 'cors'),
        h('sec-fetch-site', 'same-site'),
        h(
          'user-agent',
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
        ),
      ],
      queryString: [
        { name: 'include', value: 'owner' },
        { name: 'page', value: String(i % 13) },
      ],
      cookies: [
        {
          name: 'sid',
          value: `s${i - (i % 7)}`,
          path: '/',
          domain: 'api.example.com',
          expires: null,
          httpOnly: true,
          secure: true,
        },
      ],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status,
      statusText: status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'OK',
      httpVersion: 'http/2.0',
      headers: responseHeaders,
      cookies: [],
      content: { size: 0, mimeType: mime, text: '\u0000BODY\u0000' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      _transferSize: 1234,
      _error: null,
    },
    serverIPAddress: '203.0.113.7',
    startedDateTime: new Date(Date.UTC(2025, 0, 14, 10, 0, 0, i * 37)).toISOString(),
    time: 12.5 + (i % 100),
    timings: {
      blocked: 0.5,
      dns: -1,
      ssl: -1,
      connect: -1,
      send: 0.1,
      wait: 10.2,
      receive: 1.7,
      _blocked_queueing: 0.3,
    },
  };
}

/** Writes a Chrome-shaped HAR of at least `target` bytes; returns its entry count. */
function generate(file, target, sources, only) {
  const fd = openSync(file, 'w');
  const rnd = rng(12345);
  const pick = (r) => {
    if (only) return sources.find((x) => x.kind.name === only);
    let acc = 0;
    for (const x of sources) if (r < (acc += x.kind.share)) return x;
    return sources.at(-1);
  };
  let pending = [];
  let pendingBytes = 0;
  let written = 0;
  const put = (b) => {
    const buf = typeof b === 'string' ? Buffer.from(b) : b;
    pending.push(buf);
    pendingBytes += buf.length;
    if (pendingBytes >= 16 * MiB) drain();
  };
  const drain = () => {
    const all = Buffer.concat(pending, pendingBytes);
    let off = 0;
    while (off < all.length) off += writeSync(fd, all, off);
    written += all.length;
    pending = [];
    pendingBytes = 0;
  };
  put(
    '{\n  "log": {\n    "version": "1.2",\n    "creator": { "name": "WebInspector", "version": "537.36" },\n' +
      '    "pages": [ { "startedDateTime": "2025-01-14T10:00:00.000Z", "id": "page_1", "title": "https://app.example.com/", "pageTimings": {} } ],\n' +
      '    "entries": [\n',
  );
  let i = 0;
  while (written + pendingBytes < target) {
    const status = i % 10 === 3 ? 401 : i % 10 === 7 ? 403 : 200;
    // Body sizes: log-uniform between 16 KiB and 1.6 MiB, and every 250th a 6 MiB bundle.
    const size = i % 250 === 249 ? 6 * MiB : Math.round(16384 * Math.exp(rnd() * Math.log(100)));
    const src = pick(rnd());
    const start = cutAt(src.cuts, Math.floor(rnd() * (src.bytes.length - 7 * MiB)));
    const stop = cutAt(src.cuts, start + size);
    const skeleton = entrySkeleton(i, status, src.kind.mime);
    if (src.kind.base64) skeleton.response.content.encoding = 'base64';
    const json = JSON.stringify(skeleton, null, 2).replace(/\n/g, '\n      ');
    const [before, after] = json.split('"\\u0000BODY\\u0000"');
    put(`${i ? ',\n' : ''}      ${before}"`);
    put(src.bytes.subarray(start, stop));
    put(`"${after}`);
    i++;
  }
  put('\n    ]\n  }\n}\n');
  drain();
  closeSync(fd);
  return i;
}

// `node bench/har.mjs --generate FILE MIB [KIND]`: just the file, to profile by hand.
if (process.argv[2] === '--generate') {
  const n = generate(process.argv[3], Number(process.argv[4] ?? 1024) * MiB, bodySources(), process.argv[5]);
  console.log(`${process.argv[3]}: ${n} entries`);
  process.exit(0);
}

// ---- measurement ----

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs over a busy machine are noisy: each measurement is the best of this many child runs. */
const RUNS = Math.max(1, Number(process.env.BENCH_HAR_RUNS ?? 2));

function measureOnce(mode, file) {
  const args = [SELF, '--child', mode, file];
  const r = TIME
    ? spawnSync(TIME, ['-v', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 16 * MiB })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * MiB });
  if (r.status !== 0) {
    const own = r.stderr.split(/\n\s*Command being timed:/)[0].trim();
    throw new Error(`${mode} child failed (exit ${r.status}): ${own.split('\n').slice(-8).join(' | ')}`);
  }
  const out = JSON.parse(r.stdout);
  const m = TIME ? /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr) : null;
  out.rssMB = (m ? Number(m[1]) : out.maxRssKB) / 1024;
  out.mbs = out.bytes / 1e6 / (out.ms / 1000);
  out.cpuMbs = out.bytes / 1e6 / (out.cpuMs / 1000);
  return out;
}

const CLI = fileURLToPath(new URL('../dist/bin/main.js', import.meta.url));

/** The whole `why401 har FILE --json` (read, session, diagnoses, report), as a user runs it. */
function measureCliOnce(file) {
  const args = [CLI, 'har', file, '--json'];
  const t0 = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-v', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 256 * MiB })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * MiB });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`why401 har exited ${r.status}`);
  const report = JSON.parse(r.stdout);
  const m = TIME ? /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr) : null;
  const user = TIME ? /User time \(seconds\): ([\d.]+)/.exec(r.stderr) : null;
  const sys = TIME ? /System time \(seconds\): ([\d.]+)/.exec(r.stderr) : null;
  const bytes = statSync(file).size;
  const cpuMs = user && sys ? (Number(user[1]) + Number(sys[1])) * 1000 : NaN;
  return {
    bytes,
    ms,
    cpuMs,
    rssMB: m ? Number(m[1]) / 1024 : NaN,
    mbs: bytes / 1e6 / (ms / 1000),
    cpuMbs: bytes / 1e6 / (cpuMs / 1000),
    entries: report.source.entries,
    s401: report.entries.filter((e) => e.status === 401).length,
    wwwAuthenticate: NaN,
    truncated: NaN,
  };
}

/** The fastest of RUNS runs; the peak RSS is the largest seen. */
function measure(mode, file) {
  const runs = Array.from({ length: RUNS }, () => measureOnce(mode, file));
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...best, rssMB: Math.max(...runs.map((r) => r.rssMB)) };
}

if (!existsSync(READER)) {
  console.error(`bench/har.mjs: ${READER} is missing: run npm run build first`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'why401-har-bench-'));
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}
let failed = false;
try {
  console.log(
    `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; peak RSS from ${TIME ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS'}`,
  );
  const t0 = performance.now();
  const sources = bodySources();
  const big = join(dir, 'big.har');
  const mid = join(dir, 'mid.har');
  const dense = join(dir, 'dense.har');
  const nBig = generate(big, 1024 * MiB, sources);
  const nMid = generate(mid, 400 * MiB, sources);
  const nDense = generate(dense, 256 * MiB, sources, 'json');
  const gen = (performance.now() - t0) / 1000;
  const mib = (f) => (statSync(f).size / MiB).toFixed(0);
  console.log(
    `generated ${mib(big)} MiB (${nBig} entries), ${mib(mid)} MiB (${nMid}) and ${mib(dense)} MiB of JSON bodies only (${nDense}) in ${gen.toFixed(1)} s`,
  );

  const rows = [];
  const a = measure('read', big);
  rows.push(['readHarFile, 1 GiB', a]);
  const b = measure('read-bodies', big);
  rows.push(['readHarFile, 1 GiB, every kept body read', b]);
  const c = measure('read', mid);
  rows.push(['readHarFile, 400 MiB', c]);
  const d = measure('parse', mid);
  rows.push(['JSON.parse(readFileSync), 400 MiB', d]);
  const e = measure('read', dense);
  rows.push(['readHarFile, 256 MiB of JSON bodies only', e]);
  const cliRuns = Array.from({ length: RUNS }, () => measureCliOnce(big));
  const f = {
    ...cliRuns.reduce((x, y) => (y.ms < x.ms ? y : x)),
    rssMB: Math.max(...cliRuns.map((r) => r.rssMB)),
  };
  rows.push(['why401 har --json, 1 GiB (the whole CLI)', f]);

  const pad = (s, n) => String(s).padEnd(n);
  const padl = (s, n) => String(s).padStart(n);
  console.log('');
  console.log(
    `${pad('measurement', 42)}${padl('MB/s', 7)}${padl('CPU MB/s', 10)}${padl('peak RSS', 10)}${padl('seconds', 9)}  entries / 401s / WWW-Auth / cut`,
  );
  for (const [name, r] of rows) {
    console.log(
      `${pad(name, 42)}${padl(r.mbs.toFixed(0), 7)}${padl(r.cpuMbs.toFixed(0), 10)}${padl(`${r.rssMB.toFixed(0)} MB`, 10)}${padl((r.ms / 1000).toFixed(2), 9)}  ${r.entries} / ${r.s401} / ${Number.isNaN(r.wwwAuthenticate) ? '-' : r.wwwAuthenticate} / ${Number.isNaN(r.truncated) ? '-' : r.truncated}${r.error ? `  ERROR ${r.error}` : ''}`,
    );
  }
  console.log(
    `(best of ${RUNS} runs each; MB/s: file bytes over wall time; CPU MB/s: over the process CPU time, which a busy machine disturbs less)`,
  );
  console.log('');
  const okSpeed = a.mbs >= GOAL_MBS;
  const okRss = a.rssMB <= GOAL_RSS_MB;
  const okCount =
    a.entries === nBig && a.s401 * 2 === a.wwwAuthenticate && !a.error && c.entries === d.entries;
  console.log(`goal: >= ${GOAL_MBS} MB/s over 1 GiB: ${a.mbs.toFixed(0)} MB/s ${okSpeed ? 'OK' : 'MISSED'}`);
  console.log(`goal: <= ${GOAL_RSS_MB} MB peak RSS: ${a.rssMB.toFixed(0)} MB ${okRss ? 'OK' : 'MISSED'}`);
  const okCli = f.rssMB <= GOAL_RSS_MB && f.entries === nBig;
  console.log(
    `goal: why401 har --json on 1 GiB <= ${GOAL_RSS_MB} MB peak RSS (issue 13): ${f.rssMB.toFixed(0)} MB ${okCli ? 'OK' : 'MISSED'}`,
  );
  console.log(
    `ratio to JSON.parse(readFileSync) on 400 MiB: ${(c.mbs / d.mbs).toFixed(1)}x faster, ${(d.rssMB / c.rssMB).toFixed(1)}x less memory`,
  );
  console.log(
    `every entry read (${a.entries}), 401s with their two WWW-Authenticate headers: ${okCount ? 'OK' : 'MISMATCH'}`,
  );
  failed = !okSpeed || !okRss || !okCount || !okCli;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
