// Where the time of one diagnosis goes, seen from the servers: when each request of why401 arrives
// (ms after the child was spawned), when its answer was sent, and when the process exited.
// The servers answer after BENCH_IDP_DELAY_MS (200 by default), as in idp-delay.mjs.
//
//   node bench/timeline.mjs [runs] [--warm] [--no-probes]     (after `npm run build`)
// BENCH_NODE=path: another node; TRACE=file: a module the child imports first (--import);
// SHOW_OUT=1: the child's report on stdout.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as jose from 'jose';

const CLI = fileURLToPath(new URL('../dist/bin/main.js', import.meta.url));
const DELAY_MS = Number(process.env.BENCH_IDP_DELAY_MS ?? 200);
const args = process.argv.slice(2);
const RUNS = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const WARM = args.includes('--warm');
const NO_PROBES = args.includes('--no-probes');
const NODE = process.env.BENCH_NODE ?? process.execPath;

let t0 = 0n;
const since = () => Number(process.hrtime.bigint() - t0) / 1e6;
const events = [];

async function start(name, answer) {
  const server = createServer((req, res) => {
    const at = since();
    req.resume();
    setTimeout(() => {
      events.push({ what: `${name} ${(req.url ?? '/').split('?')[0]}`, at, answered: since() });
      answer(req, res);
    }, DELAY_MS);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}
const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const KID = 'k1';
const kp = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(kp.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
const issuer = await start('issuer', (req, res) => {
  const p = (req.url ?? '/').split('?')[0];
  if (p === '/.well-known/openid-configuration')
    return json(res, 200, {
      issuer: issuer.url,
      jwks_uri: `${issuer.url}/jwks`,
      token_endpoint: `${issuer.url}/token`,
    });
  if (p === '/jwks') return json(res, 200, { keys: [jwk] });
  json(res, 404, { error: 'not_found' });
});
const api = await start('api', (req, res) => {
  const p = (req.url ?? '/').split('?')[0];
  if (p !== '/api/me') return json(res, 404, { error: 'not_found' });
  const auth = req.headers.authorization ? ', error="invalid_token"' : '';
  json(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': `Bearer realm="api"${auth}` });
});
const other = await jose.generateKeyPair('RS256');
const now = Math.floor(Date.now() / 1000);
const token = await new jose.SignJWT({ sub: 'u', scope: 'read' })
  .setProtectedHeader({ alg: 'RS256', kid: KID })
  .setIssuer(issuer.url)
  .setAudience('https://api')
  .setIssuedAt(now)
  .setExpirationTime(now + 3600)
  .sign(other.privateKey);

const cache = mkdtempSync(join(tmpdir(), 'why401-timeline-'));
function once() {
  return new Promise((resolve) => {
    events.length = 0;
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', XDG_CACHE_HOME: cache };
    const cliArgs = [
      ...(process.env.TRACE ? ['--import', process.env.TRACE] : []),
      CLI,
      `${api.url}/api/me`,
      '-H',
      `Authorization: Bearer ${token}`,
      '--json',
    ];
    if (NO_PROBES) cliArgs.push('--no-probes');
    t0 = process.hrtime.bigint();
    const child = spawn(NODE, cliArgs, {
      env,
      stdio: ['ignore', process.env.SHOW_OUT ? 'inherit' : 'ignore', 'inherit'],
    });
    child.on('close', (code) => resolve({ code, exit: since(), events: [...events] }));
  });
}
for (let i = 0; i < RUNS; i++) {
  if (!WARM) rmSync(join(cache, 'why401'), { recursive: true, force: true });
  const r = await once();
  const line = r.events
    .sort((a, b) => a.at - b.at)
    .map((e) => `${e.what} in@${e.at.toFixed(0)} out@${e.answered.toFixed(0)}`)
    .join(' | ');
  console.log(`run ${i + 1}: exit ${r.code} @${r.exit.toFixed(0)} ms :: ${line}`);
}
rmSync(cache, { recursive: true, force: true });
api.server.close();
issuer.server.close();
process.exit(0);
