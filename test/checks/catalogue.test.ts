import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderCatalogue } from '../../src/core/catalogue.js';
import { checks } from '../../src/checks/index.js';
import { sessionChecks } from '../../src/checks/session/index.js';

const DOC = fileURLToPath(new URL('../../docs/causes.md', import.meta.url));

describe('docs/causes.md', () => {
  it('is what the registry generates (run `npm run docs:causes` after changing a meta)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderCatalogue());
  });

  it('lists every id the checks emit, including those added beside the first catalogue', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const c of [...checks, ...sessionChecks]) expect(doc).toContain(`| \`${c.meta.id}\` |`);
    for (const id of [
      'credentials.not-received',
      'jwt.alg-confusion',
      'cors.origin-not-allowed',
      'cors.method-not-allowed',
      'info.changed-since-success',
      'apikey.wrong-place',
      'authz.request-rule',
      'network.proxy-auth-required',
    ])
      expect(doc).toContain(`\`${id}\``);
  });

  it('every absorbed or confirming id is an id of the registry', () => {
    const known = new Set([...checks, ...sessionChecks].map((c) => c.meta.id as string));
    for (const c of [...checks, ...sessionChecks]) {
      for (const id of c.meta.absorbs ?? []) expect(known, `${c.meta.id} absorbs ${id}`).toContain(id);
      for (const id of c.meta.confirmedBy ?? [])
        expect(known, `${c.meta.id} confirmedBy ${id}`).toContain(id);
    }
  });
});
