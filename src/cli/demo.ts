import { realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCodeOf } from '../core/exit-code.js';
import { startDemoServer, type DemoEndpoint } from '../demo/server.js';
import { diagnoseSpec } from '../diagnose/evidence.js';
import type { Report } from '../model/report.js';
import type { RequestSpec } from '../model/evidence.js';
import { renderHtmlMany } from '../render/html.js';
import { style } from '../render/style.js';
import { writeHtmlReport } from './io.js';
import { parseOwn, requestOnly, useColor } from './options.js';

/**
 * `why401 demo`: a local server with deliberately broken endpoints, each diagnosed live, for a
 * newcomer with no API at hand. `--serve` keeps the server up for trying by hand.
 */

function specOf(e: DemoEndpoint): RequestSpec {
  return {
    method: e.request.method,
    url: e.request.url,
    headers: e.request.headers,
    followRedirects: e.request.follow === true,
    insecure: false,
    compressed: false,
  };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function commandFor(e: DemoEndpoint, self = 'why401'): string {
  const headers = e.request.headers.map(([n, v]) => ` -H ${shellQuote(`${n}: ${v}`)}`).join('');
  return `${self} ${e.request.method === 'GET' ? '' : `-X ${e.request.method} `}${e.request.url}${e.request.follow ? ' -L' : ''}${headers}`;
}

/**
 * How to run this very why401 from the shell the person is in, so the printed commands run as
 * printed: `why401` when that name on the PATH is this file (npm link, a global install), else
 * `node dist/bin/main.js` from the clone (after `npm ci && npm run demo` nothing is on the PATH),
 * else node with the full path. Never `npx why401`: outside the clone that asks the registry.
 */
export function selfCommand(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const self = real(main) ?? main;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && real(join(dir, 'why401')) === self) return 'why401';
  }
  const rel = relative(cwd, main);
  const path = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : main;
  return `node ${/^[\w./-]+$/.test(path) ? path : shellQuote(path)}`;
}

async function serve(): Promise<number> {
  const server = await startDemoServer();
  const self = selfCommand();
  process.stdout.write(`why401 demo server on ${server.origin} (Ctrl-C to stop). Try:\n\n`);
  for (const e of server.endpoints) process.stdout.write(`# ${e.title}\n${commandFor(e, self)}\n\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

export async function runDemo(args: string[]): Promise<number> {
  const o = parseOwn(args, { serve: true });
  requestOnly(o, 'demo');
  if (o.serve) return serve();
  const server = await startDemoServer();
  let results: Array<{ endpoint: DemoEndpoint; report: Report }>;
  try {
    results = await Promise.all(
      server.endpoints.map(async (endpoint) => {
        const { report } = await diagnoseSpec(specOf(endpoint), {
          source: 'flags',
          env: {},
          probes: o.probes,
          showSecrets: o.showSecrets ?? false,
        });
        return { endpoint, report };
      }),
    );
  } finally {
    await server.close();
  }
  const firstCause = (r: Report) => r.findings.find((f) => f.kind === 'cause');
  const asExpected = results.filter(
    ({ endpoint, report }) => (firstCause(report)?.id ?? '') === endpoint.expect,
  ).length;

  if (o.json) {
    const out = results.map(({ endpoint, report }) => ({
      path: endpoint.path,
      broken: endpoint.title,
      expect: endpoint.expect,
      exitCode: exitCodeOf(report),
      report,
    }));
    process.stdout.write(
      JSON.stringify({ origin: server.origin, asExpected, total: results.length, results: out }, null, 2) +
        '\n',
    );
  } else {
    const s = style(useColor(o, process.stdout));
    const lines = [
      `${s.bold('why401 demo')}: a local server with deliberately broken endpoints, each diagnosed live (${server.origin})`,
      '',
    ];
    const w = Math.max(...results.map((r) => r.endpoint.path.length));
    for (const { endpoint, report } of results) {
      const c = firstCause(report);
      const ok = (c?.id ?? '') === endpoint.expect;
      const mark = ok ? s.green('✔') : s.red('✖');
      lines.push(`${mark} ${endpoint.path.padEnd(w)}  ${s.dim(endpoint.title)}`);
      lines.push(
        `  ${' '.repeat(w)}  → ${c ? `${s.bold(c.id)}: ${c.title}` : s.green(`no auth problem (${report.status})`)}`,
      );
      if (c) lines.push(`  ${' '.repeat(w)}    ${s.green('fix:')} ${c.fix}`);
      if (!ok) lines.push(`  ${' '.repeat(w)}    ${s.red(`expected ${endpoint.expect || 'no cause'}`)}`);
    }
    lines.push('', `${asExpected}/${results.length} endpoints diagnosed as expected.`);
    lines.push(
      `See one in full: run ${s.bold(`${selfCommand()} demo --serve`)} and paste a command it prints.`,
      '',
    );
    process.stdout.write(lines.join('\n'));
  }
  if (o.html !== undefined)
    writeHtmlReport(
      o.html,
      renderHtmlMany(
        'why401 demo',
        `A local server with deliberately broken endpoints, each diagnosed live: ${asExpected}/${results.length} diagnosed as expected.`,
        results.map(({ endpoint, report }) => ({
          heading: `${endpoint.path}: ${endpoint.title}`,
          note: `Expected diagnosis: ${endpoint.expect || 'no cause'}.`,
          report,
        })),
      ),
    );
  return asExpected === results.length ? 0 : 1;
}
