import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../../../src/audit/audit.js';
import { loadDocument } from '../../../src/audit/document.js';
import { runAudit } from '../../../src/audit/run.js';
import type { AuditReport } from '../../../src/audit/types.js';

export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/audit/${name}`, import.meta.url));

/** The engine end to end, as the CLI runs it, without the process: document → requests → report. */
export async function auditApi(
  base: string,
  document: string,
  tokens: { token?: string; tokenLow?: string } = {},
): Promise<AuditReport> {
  const description = await loadDocument(fixture(document), {
    readFile: (p) => readFileSync(p, 'utf8'),
    userAgent: 'why401-test',
  });
  const run = await runAudit({
    baseUrl: `${base}/v1`,
    description,
    ...tokens,
    headers: [],
    allowUnsafe: false,
    userAgent: 'why401-test',
  });
  return evaluate(run.evidence, {
    version: 'test',
    startedAt: new Date().toISOString(),
    durationMs: 0,
    documentSource: document,
    requests: run.requests,
    maxInFlight: run.maxInFlight,
    notes: [],
  });
}

/** Findings by id, for assertions that read as the words. */
export const ids = (r: AuditReport): string[] => r.findings.map((f) => f.id);
export const above = (r: AuditReport): string[] =>
  r.findings.filter((f) => f.severity !== 'info').map((f) => f.id);
export const category = (r: AuditReport, id: string): number | undefined =>
  r.categories.find((c) => c.id === id)?.score;
