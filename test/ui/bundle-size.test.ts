import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PAGE_BUILT } from './ui-harness.js';

/**
 * Issue 6's bundle budget, 150 KB gzipped, holds for what the page loads (HTML, script, style).
 * The HAR analyser (the whole platform-neutral core, tough-cookie and its Public Suffix List) is a
 * Web Worker fetched only when a HAR is opened; it is over that budget on its own, so it has a
 * ceiling of its own here to catch growth. Sizes as Vite reports them: gzip at its default level.
 * Issue 11 raised it from 200 to 230 KB: the front-server table and the framework and CSRF
 * messages (about 5 KB gzipped) belong to the same diagnosis in the page as in the CLI. Issue 14
 * raised it to 250 KB: the tolerant entry reader, each producer's no-answer words, the one
 * credential rule and the gather-first sanitizer (237 KB measured, about 7 KB more) are the page's
 * HAR analysis and sanitizing as much as the CLI's. Issues 17–19 raised it to 260 KB (250.0 KB
 * measured): the 403 decision readers (cloud and gateway policy words), the OpenAPI-aware checks and
 * the ASP.NET Core gate on the server-message table run on a HAR's entries as on a request.
 */
const DIST = fileURLToPath(new URL('../../dist/ui/', import.meta.url));
const KB = 1000;
const gz = (path: string) => gzipSync(readFileSync(path)).length;

describe.runIf(PAGE_BUILT)('the page bundle', () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const loaded = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
  const assets = readdirSync(join(DIST, 'assets'));
  const workers = assets.filter((f) => f.startsWith('har-worker-'));

  it('loads one script and one style sheet, nothing else', () => {
    expect(loaded.filter((f) => f.endsWith('.js'))).toHaveLength(1);
    expect(loaded.filter((f) => f.endsWith('.css'))).toHaveLength(1);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('what the page loads is within 150 KB gzipped', () => {
    const total = gz(join(DIST, 'index.html')) + loaded.reduce((s, f) => s + gz(join(DIST, f)), 0);
    expect(total).toBeGreaterThan(5 * KB);
    expect(total).toBeLessThanOrEqual(150 * KB);
  });

  it('the HAR worker, loaded only for a HAR, stays under its ceiling', () => {
    expect(workers).toHaveLength(1);
    expect(gz(join(DIST, 'assets', workers[0]!))).toBeLessThanOrEqual(260 * KB);
  });
});
