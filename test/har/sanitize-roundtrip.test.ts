import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeHar } from '../../src/diagnose/har-report.js';
import { sanitizeHar } from '../../src/har/sanitize.js';
import type { HarEntry, HarMeta } from '../../src/model/har.js';
import { parseAuthorization } from '../../src/parse/authorization.js';
import { parseBasic } from '../../src/parse/basic.js';

/**
 * The issue's round trip on real captures (Chromium driven by playwright-core's recordHar, in
 * test/fixtures/har): after `--sanitize`, `why401 har` gives the same diagnosis, and none of the
 * credentials the capture held is left in it.
 */

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/har');
const files = readdirSync(DIR).filter((f) => f.endsWith('.har'));

type Har = { log: { entries: HarEntry[] } & HarMeta };

/** What the diagnosis is: finding ids, confidences, and the entries each is about. */
function diagnosis(har: Har) {
  const r = analyzeHar(har.log.entries, har.log);
  return {
    session: r.findings.map((f) => `${f.id}:${f.confidence}:${f.entries.join(',')}`),
    entries: r.entries.map(
      (e) => `${e.index}:${e.status}:${e.findings.map((f) => `${f.id}:${f.confidence}`).join(' ')}`,
    ),
    sanitizedByBrowser: r.source.sanitizedByBrowser,
  };
}

/** Every credential a capture holds, by structure: Authorization, cookies, Set-Cookie values, token responses. */
function credentials(har: Har): string[] {
  const out = new Set<string>();
  const add = (v: string | undefined) => {
    const s = (v ?? '').trim().replace(/^"|"$/g, '');
    if (s.length >= 6) out.add(s);
  };
  for (const e of har.log.entries) {
    for (const h of e.request.headers) {
      const n = h.name.toLowerCase();
      if (n === 'authorization') {
        const p = parseAuthorization(h.value);
        add(p.credentials);
        const b = p.scheme?.toLowerCase() === 'basic' ? parseBasic(p.credentials) : undefined;
        if (b?.ok) add(b.password);
      }
      if (n === 'cookie') for (const part of h.value.split(';')) add(part.split('=').slice(1).join('='));
    }
    for (const h of e.response.headers)
      if (h.name.toLowerCase() === 'set-cookie') add(h.value.split(';')[0]!.split('=').slice(1).join('='));
    for (const c of [...(e.request.cookies ?? []), ...(e.response.cookies ?? [])]) add(c.value);
    const body = e.response.content?.text;
    if (body?.trimStart().startsWith('{')) {
      try {
        const j = JSON.parse(body) as Record<string, unknown>;
        for (const k of ['access_token', 'refresh_token', 'id_token'])
          if (typeof j[k] === 'string') add(j[k].split('.').length === 3 ? j[k].split('.')[2] : j[k]);
      } catch {
        // not JSON after all
      }
    }
  }
  return [...out]
    .map((s) => (s.split('.').length === 3 && s.startsWith('eyJ') ? s.split('.')[2]! : s))
    .filter((s) => s.length >= 6);
}

describe('sanitize round trip on real Chromium captures', () => {
  it('has captures to test', () => expect(files.length).toBeGreaterThanOrEqual(5));

  it.each(files)('%s: the same diagnosis, no credential left', (file) => {
    const original = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Har;
    const { har } = sanitizeHar(JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Har);
    expect(diagnosis(har)).toEqual(diagnosis(original));
    const text = JSON.stringify(har);
    const secrets = credentials(original);
    for (const s of secrets) expect(text, `${file}: ${s}`).not.toContain(s);
    // Idempotent on real files too.
    expect(JSON.stringify(sanitizeHar(har).har)).toBe(text);
  });
});
