import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * why401/server and its adapters run on any runtime (workers, Deno, Bun): follow every import from
 * the four entry points and refuse Node built-ins and any package at all (the frameworks are typed
 * structurally, never imported).
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const ENTRIES = ['server/index.ts', 'server/express.ts', 'server/fastify.ts', 'server/hono.ts'];

describe('why401/server is platform-neutral', () => {
  it('reaches no node: module and no package', () => {
    const seen = new Set<string>();
    const external: string[] = [];
    const todo = ENTRIES.map((e) => resolve(SRC, e));
    while (todo.length) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) todo.push(resolve(dirname(f), spec.replace(/\.js$/, '.ts')));
        else external.push(`${f.slice(SRC.length + 1)} → ${spec}`);
      }
    }
    expect(seen.size).toBeGreaterThan(8);
    expect(external).toEqual([]);
  });
});
