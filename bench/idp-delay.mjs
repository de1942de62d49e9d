// Issue 3's speed goal: a full diagnosis of a rejected JWT (main request, anonymous probe,
// discovery, JWKS, verification) takes at most 2.5x the time curl takes for the single request,
// against a local API, issuer and JWKS that each add 200 ms before answering. Measured side by
// side in one run, interleaved. Runs against the built CLI (dist/): `npm run build` first.
//
//   node bench/idp-delay.mjs            (BENCH_IDP_RUNS=7, BENCH_IDP_DELAY_MS=200 by default)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as jose from 'jose';

const CLI = fileURLToPath(new URL('../dist/bin/main.js', import.meta.url));
const RUNS = Number(process.env.BENCH_IDP_RUNS ?? 7);
const DELAY_MS = Number(process.env.BENCH_IDP_DELAY_MS ?? 200);
const GOAL = 2.5;
// Issue 16: cold (every cache empty) at most 1.15x the floor, warm (caches fresh) at most 1.6x curl.
const FLOOR_GOAL = 1.15;
const WARM_GOAL = 1.6;
const AUDIENCE = 'https://api.bench.why401.test';

if (!existsSync(CLI)) {
  console.error(`idp-delay: ${CLI} not found; run \`npm run build\` first`);
  process.exit(2);
}

// Nothing may hang the bench: the whole run has a hard limit, each child one of its own.
const watchdog = setTimeout(() => {
  console.error('idp-delay: gave up after 5 minutes');
  process.exit(2);
}, 300_000);
watchdog.unref();

// ---- servers: plain node:http on 127.0.0.1, each answering after DELAY_MS ----

/** Starts a server that records each request's path and answers through `answer` after the delay. */
async function startDelayed(name, answer) {
  const hits = [];
  const timers = new Set();
  const server = createServer((req, res) => {
    hits.push(req.url ?? '/');
    req.resume(); // the body, if any, is not needed
    const t = setTimeout(() => {
      timers.delete(t);
      if (!res.destroyed) answer(req, res);
    }, DELAY_MS);
    timers.add(t);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const KID = 'bench-key-1';
const published = await jose.generateKeyPair('RS256', { extractable: true });
const publicJwk = { ...(await jose.exportJWK(published.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };

const issuer = await startDelayed('issuer', (req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/.well-known/openid-configuration' || path === '/.well-known/oauth-authorization-server') {
    return json(res, 200, {
      issuer: issuer.url,
      authorization_endpoint: `${issuer.url}/authorize`,
      token_endpoint: `${issuer.url}/token`,
      jwks_uri: `${issuer.url}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  }
  if (path === '/jwks') return json(res, 200, { keys: [publicJwk] });
  json(res, 404, { error: 'not_found' });
});

const api = await startDelayed('api', (req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/api/me') return json(res, 404, { error: 'not_found' });
  if (!/^Bearer\s/i.test(req.headers.authorization ?? '')) {
    return json(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer realm="api"' });
  }
  json(
    res,
    401,
    { error: 'invalid_token', error_description: 'signature verification failed' },
    {
      'WWW-Authenticate':
        'Bearer realm="api", error="invalid_token", error_description="signature verification failed"',
    },
  );
});

// The token names the published kid and the right issuer and audience, but is signed with another
// key: only a real signature check against the JWKS finds out.
const foreign = await jose.generateKeyPair('RS256');
const now = Math.floor(Date.now() / 1000);
const token = await new jose.SignJWT({ sub: 'bench-user', scope: 'read', client_id: 'bench' })
  .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: KID })
  .setIssuer(issuer.url)
  .setAudience(AUDIENCE)
  .setIssuedAt(now)
  .setExpirationTime(now + 3600)
  .setJti('bench-jti')
  .sign(foreign.privateKey);

const URL_ME = `${api.url}/api/me`;
const AUTH = `Authorization: Bearer ${token}`;

// ---- the two sides ----

// A clean environment for both: no proxy variables (curl and undici would both honour them).
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' };

const hasCurl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
const single = hasCurl
  ? { label: 'curl (the single request)', cmd: 'curl', args: ['-s', '-o', '/dev/null', URL_ME, '-H', AUTH] }
  : {
      label: 'node fetch (single request; curl not installed)',
      cmd: process.execPath,
      args: [
        '--input-type=module',
        '-e',
        'const r = await fetch(process.argv[1], { headers: { authorization: process.argv[2] } }); await r.arrayBuffer();',
        URL_ME,
        `Bearer ${token}`,
      ],
    };
// The floor for any Node.js program: start node, then discovery and JWKS one after the other (the
// JWKS address is only known from discovery's answer), with node:http and nothing else: no parsing,
// no checks, no report. why401 cannot beat this; it shows how much of the goal is left to spend.
const floor = {
  label: 'floor: node + discovery -> JWKS',
  cmd: process.execPath,
  args: [
    '-e',
    `const http = require('node:http');
const get = (u) => new Promise((ok, no) => http.get(u, (r) => { r.resume(); r.on('end', ok); }).on('error', no));
get(process.argv[1] + '/.well-known/openid-configuration').then(() => get(process.argv[1] + '/jwks'));`,
    issuer.url,
  ],
};
// Cold: a cache folder of its own, empty, for every run (XDG_CACHE_HOME). Warm: one folder kept
// across runs, filled by an untimed run first: discovery, the JWKS (no cache headers: fresh for
// the heuristic hour) and the API's RFC 9728 404 (five minutes) come from the disk.
const coldCache = () => mkdtempSync(join(tmpdir(), 'why401-bench-cold-'));
const warmDir = mkdtempSync(join(tmpdir(), 'why401-bench-warm-'));
const full = {
  label: 'why401 --json, cold (every cache empty)',
  cmd: process.execPath,
  args: [CLI, URL_ME, '-H', AUTH, '--json'],
  cache: coldCache,
};
const warm = {
  label: 'why401 --json, warm (second run, caches fresh)',
  cmd: process.execPath,
  args: [CLI, URL_ME, '-H', AUTH, '--json'],
  cache: () => warmDir,
};

/** Runs one command (asynchronously: the servers live in this process), timed from spawn to exit. */
function timeOnce(side) {
  return new Promise((resolve, reject) => {
    api.hits.length = 0;
    issuer.hits.length = 0;
    const out = [];
    const err = [];
    const cache = side.cache?.();
    const t0 = process.hrtime.bigint();
    const child = spawn(side.cmd, side.args, {
      env: cache ? { ...ENV, XDG_CACHE_HOME: cache } : ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (cache && cache !== warmDir) rmSync(cache, { recursive: true, force: true });
      resolve({
        ms,
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        apiHits: [...api.hits],
        issuerHits: [...issuer.hits],
      });
    });
  });
}

function check(side, r) {
  if (r.signal) throw new Error(`${side.label}: killed by ${r.signal}\n${r.stderr}`);
  if (side === full || side === warm) {
    // why401 exits 1 when it names a cause; what matters is a complete JSON report.
    let report;
    try {
      report = JSON.parse(r.stdout);
    } catch {
      throw new Error(`${side.label}: no JSON report (exit ${r.code})\n${r.stderr}`);
    }
    r.causes = (report.findings ?? []).filter((f) => f.kind === 'cause').map((f) => f.id);
    r.outcome = report.outcome;
  } else if (r.code !== 0) {
    throw new Error(`${side.label}: exit ${r.code}\n${r.stderr}`);
  }
  return r;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const range = (xs) => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? String(lo) : `${lo}-${hi}`;
};

const results = { single: [], floor: [], full: [], warm: [] };
let failure;
try {
  // One untimed run of each warms the disk cache; then interleaved, so a busy moment hits both alike.
  check(single, await timeOnce(single));
  check(full, await timeOnce(full));
  check(warm, await timeOnce(warm));
  for (let i = 0; i < RUNS; i++) {
    results.single.push(check(single, await timeOnce(single)));
    results.floor.push(check(floor, await timeOnce(floor)));
    results.full.push(check(full, await timeOnce(full)));
    results.warm.push(check(warm, await timeOnce(warm)));
  }
} catch (e) {
  failure = e;
} finally {
  await Promise.all([api.close(), issuer.close()]);
  rmSync(warmDir, { recursive: true, force: true });
}
clearTimeout(watchdog);
if (failure) {
  console.error(`idp-delay: ${failure.message}`);
  process.exit(1);
}

// ---- report ----

const rows = [
  [single.label, results.single],
  [floor.label, results.floor],
  [full.label, results.full],
  [warm.label, results.warm],
].map(([label, rs]) => {
  const ms = rs.map((r) => r.ms);
  return {
    label,
    median: median(ms),
    min: Math.min(...ms),
    max: Math.max(...ms),
    api: range(rs.map((r) => r.apiHits.length)),
    issuer: range(rs.map((r) => r.issuerHits.length)),
  };
});
const ratio = rows[2].median / rows[0].median;
const floorRatio = rows[1].median / rows[0].median;
const coldOverFloor = rows[2].median / rows[1].median;
const warmRatio = rows[3].median / rows[0].median;

const cols = [
  ['', (r) => r.label, 'l'],
  ['median', (r) => `${r.median.toFixed(1)} ms`, 'r'],
  ['min', (r) => `${r.min.toFixed(1)} ms`, 'r'],
  ['max', (r) => `${r.max.toFixed(1)} ms`, 'r'],
  ['API requests', (r) => r.api, 'r'],
  ['issuer requests', (r) => r.issuer, 'r'],
];
const cells = [cols.map(([h]) => h), ...rows.map((r) => cols.map(([, f]) => f(r)))];
const widths = cols.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
const line = (row) =>
  row.map((c, i) => (cols[i][2] === 'l' ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

console.log(
  `idp-delay: API, issuer and JWKS on 127.0.0.1, each answering after ${DELAY_MS} ms; median of ${RUNS}, interleaved`,
);
console.log(
  `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(line(cells[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of cells.slice(1)) console.log(line(row));

const last = results.full.at(-1);
console.log(`why401 outcome: ${last.outcome}; causes, first first: ${last.causes.join(', ') || '(none)'}`);
const issuerPaths = [...new Set(results.full.flatMap((r) => r.issuerHits))];
const apiPaths = [...new Set(results.full.flatMap((r) => r.apiHits))];
console.log(`why401 asked the API for: ${apiPaths.join(', ') || '(nothing)'}`);
console.log(`why401 asked the issuer for: ${issuerPaths.join(', ') || '(nothing)'}`);
if (issuerPaths.length === 0) {
  console.log(
    'note: the CLI did not contact the issuer (discovery/JWKS not wired in yet), so this measures the main request and the anonymous probe only',
  );
}
if (!hasCurl)
  console.log(
    'note: curl is not installed; the single request is timed as a child node process doing one fetch',
  );
console.log(
  `floor / single request: ${floorRatio.toFixed(2)} (what a Node.js program that does nothing but the two IdP round trips needs; why401 spends ${(rows[2].median - rows[1].median).toFixed(0)} ms more)`,
);
console.log(
  `ratio why401 cold / single request: ${ratio.toFixed(2)} (goal <= ${GOAL}) ${ratio <= GOAL ? 'OK' : 'OVER BUDGET'}`,
);
console.log(
  `ratio why401 cold / floor: ${coldOverFloor.toFixed(2)} (goal <= ${FLOOR_GOAL}) ${coldOverFloor <= FLOOR_GOAL ? 'OK' : 'OVER BUDGET'}`,
);
console.log(
  `ratio why401 warm / single request: ${warmRatio.toFixed(2)} (goal <= ${WARM_GOAL}) ${warmRatio <= WARM_GOAL ? 'OK' : 'OVER BUDGET'}`,
);
