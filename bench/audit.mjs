// Issue 17's speed goal: `why401 audit` of a 200-operation document against a local server
// finishes in under 10 s, with at most 8 requests in flight to one host. The server answers every
// request after BENCH_AUDIT_DELAY_MS (20 ms by default: a local API that does a little work);
// it refuses what has no good token with 401 and a challenge, lets preflights through, and counts
// the requests it holds at once. Median of BENCH_AUDIT_RUNS (3). `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/bin/main.js', import.meta.url));
const RUNS = Number(process.env.BENCH_AUDIT_RUNS ?? 3);
const DELAY_MS = Number(process.env.BENCH_AUDIT_DELAY_MS ?? 20);
const OPERATIONS = 200;
const GOAL_MS = 10_000;
if (!existsSync(CLI)) {
  console.error(`audit: ${CLI} not found; run \`npm run build\` first`);
  process.exit(2);
}

const TOKEN = 'bench-opaque-token-0123456789abcdef';
let inFlight = 0;
let peak = 0;
let served = 0;
const server = createServer((req, res) => {
  inFlight++;
  served++;
  peak = Math.max(peak, inFlight);
  req.resume();
  setTimeout(() => {
    inFlight--;
    const common = { 'X-Request-Id': String(served), 'Cache-Control': 'no-store' };
    if (req.method === 'OPTIONS')
      return void res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end();
    if (req.url?.startsWith('/.well-known/')) return void res.writeHead(404, common).end();
    if (req.headers.authorization === `Bearer ${TOKEN}` && !req.url?.includes('access_token'))
      return void res.writeHead(200, { ...common, 'Content-Type': 'application/json' }).end('{"ok":true}');
    const error = req.headers.authorization ? ', error="invalid_token"' : '';
    res.writeHead(401, {
      ...common,
      'WWW-Authenticate': `Bearer realm="api"${error}`,
      'Content-Type': 'application/problem+json',
    });
    res.end('{"title":"Unauthorized","status":401}');
  }, DELAY_MS);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const dir = mkdtempSync(join(tmpdir(), 'why401-bench-audit-'));
const doc = join(dir, 'openapi.json');
const paths = {};
for (let i = 0; i < OPERATIONS; i++)
  paths[`/resource${i}/{id}`] = {
    get: {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' }, example: i }],
      responses: { 200: { description: 'ok' } },
    },
  };
writeFileSync(
  doc,
  JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'bench', version: '1' },
    security: [{ bearer: [] }],
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  }),
);

const times = [];
let report;
for (let i = 0; i < RUNS; i++) {
  peak = 0;
  const t0 = process.hrtime.bigint();
  // Not spawnSync: the server answers from this very process, whose event loop must keep turning.
  const r = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [CLI, 'audit', base, '--openapi', doc, '--token', TOKEN, '--format', 'json'],
      {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (r.status !== 0 && r.status !== 1) {
    console.error(`audit: exited ${r.status}: ${r.stderr}`);
    process.exitCode = 1;
    break;
  }
  report = JSON.parse(r.stdout);
}
server.close();
rmSync(dir, { recursive: true, force: true });
if (report) {
  const ms = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  console.log(
    `why401 audit, ${OPERATIONS} operations, ${report.requests} requests, server delay ${DELAY_MS} ms: ${(ms / 1000).toFixed(2)} s (median of ${times.length}); at most ${peak} in flight at the server (the audit counted ${report.maxInFlight}); load average ${loadavg()[0].toFixed(1)}`,
  );
  console.log(ms < GOAL_MS && peak <= 8 ? 'OK: under 10 s, at most 8 in flight' : 'OVER BUDGET');
  if (!(ms < GOAL_MS && peak <= 8)) process.exitCode = 1;
}
