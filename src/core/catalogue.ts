import { checks, type Check, type CheckMeta } from '../checks/index.js';
import { sessionChecks } from '../checks/session/index.js';

/**
 * docs/causes.md, generated from the cause registry: every id why401 can report, with what its
 * check declares about itself. `npm run docs:causes` writes it; test/checks/catalogue.test.ts
 * fails when the file and the metas differ.
 */

const STEPS: Record<number, string> = {
  1: 'Step 1: the URL and the login state',
  2: 'Step 2: refresh the authentication',
  3: 'Step 3: credentials, tokens and the Authorization header',
  4: 'Step 4: server and identity settings',
  5: 'Step 5: network, cache and device',
  0: 'The developer checklist and context',
};

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function ids(list: readonly string[] | undefined): string {
  return list?.length ? list.map((i) => `\`${i}\``).join(', ') : '';
}

function row(m: CheckMeta, scope: string, repairs: boolean): string {
  const ranking = [
    m.directness !== undefined ? `directness ${m.directness}` : '',
    m.absorbs?.length ? `absorbs ${ids(m.absorbs)}` : '',
    m.confirmedBy?.length ? `confirmed by the server's words for ${ids(m.confirmedBy)}` : '',
    m.freshConfirms ? 'confirmed by a fresh token that works' : '',
    m.contradictedBy ? 'dropped when the evidence contradicts it' : '',
    repairs ? `repair probe${m.repairDecides ? ' (decides)' : ''}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `| \`${m.id}\` | ${m.kind} | ${scope} | ${cell(m.title)}. ${cell(m.plain)}. | ${cell(ranking)} | ${cell(m.ref ?? '')} |`;
}

export function renderCatalogue(): string {
  const all: Array<{ meta: CheckMeta; scope: string; repairs: boolean }> = [
    ...(checks as readonly Check[]).map((c) => ({ meta: c.meta, scope: 'request', repairs: !!c.repair })),
    ...sessionChecks.map((c) => ({ meta: c.meta as CheckMeta, scope: 'HAR session', repairs: false })),
  ];
  const out = [
    '# Cause catalogue',
    '',
    '<!-- Generated from the cause registry (src/core/catalogue.ts): `npm run docs:causes`. Do not edit by hand. -->',
    '',
    'Every finding why401 reports has one of these ids; ids are never renamed. Each comes from one',
    'check module whose `meta` declares the facts below; the ranking reads them (docs/ARCHITECTURE.md).',
    '`kind`: `cause` (why the request fails, or may), `warning`, `info`. Scope: a request, or a whole',
    'HAR session (`why401 har`). An id may have both.',
    '',
  ];
  for (const step of [1, 2, 3, 4, 5, 0]) {
    const rows = all.filter((c) => c.meta.step === step);
    if (!rows.length) continue;
    out.push(
      `## ${STEPS[step]}`,
      '',
      '| id | kind | scope | what it means | ranking | reference |',
      '|---|---|---|---|---|---|',
    );
    for (const r of rows) out.push(row(r.meta, r.scope, r.repairs));
    out.push('');
  }
  return out.join('\n');
}
