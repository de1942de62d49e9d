import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { schemaErrors } from '../support/schema.js';

/** Every demo endpoint, diagnosed by the built CLI as a child process, as a user would run it. */
let server: DemoServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(async () => {
  await server.close();
});

function argsFor(req: DemoServer['endpoints'][number]['request']): string[] {
  return [
    req.url,
    ...(req.follow ? ['-L'] : []),
    '-X',
    req.method,
    ...req.headers.flatMap(([n, v]) => ['-H', `${n}: ${v}`]),
  ];
}

/** The secret parts of a request: credentials after the scheme, long enough to be unmistakable. */
function secretsOf(req: DemoServer['endpoints'][number]['request']): string[] {
  return req.headers
    .filter(([n]) => /^(authorization|cookie|dpop)$/i.test(n))
    .map(([, v]) => v.replace(/^\s*\S+\s+/, '').replace(/^"|"$/g, ''))
    .filter((s) => s.length >= 16 && !s.startsWith('$'));
}

describe('why401 on the demo endpoints', () => {
  it('has at least eight broken endpoints and a healthy one', () => {
    expect(server.endpoints.filter((e) => e.expect).length).toBeGreaterThanOrEqual(8);
    expect(server.endpoints.some((e) => e.expect === '')).toBe(true);
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])(
    'endpoint #%i: first cause, exit code, schema, no secret',
    async (i) => {
      const e = server.endpoints[i];
      if (!e) return;
      const res = await runCli([...argsFor(e.request), '--json']);
      expect(res.stderr).toBe('');
      const report = JSON.parse(res.stdout) as Report;
      expect(schemaErrors(report)).toBe('');
      const first = report.findings.find((f) => f.kind === 'cause');
      expect(first?.id ?? '', `${e.path}: ${e.title}`).toBe(e.expect);
      expect(res.code).toBe(e.expect ? 1 : 0);
      for (const secret of secretsOf(e.request)) {
        expect(res.stdout).not.toContain(secret);
        const text = await runCli(argsFor(e.request));
        expect(text.stdout).not.toContain(secret);
        const md = await runCli([...argsFor(e.request), '--markdown']);
        expect(md.stdout).not.toContain(secret);
      }
    },
  );
});
