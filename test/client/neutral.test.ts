import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * why401/client runs in browsers, Deno, Bun and workers from the same files: no Node built-in,
 * no package, no Node global, and nothing of why401 beyond the challenge parser (rank 1, itself
 * import-free), so the subpath stays small and free of the diagnosis machinery.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const CLIENT = join(SRC, 'client');

function importsOf(file: string): string[] {
  // Comments out first: the TSDoc examples show `import ky from 'ky'`, which is the reader's import, not ours.
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('why401/client is platform-neutral and stands alone', () => {
  const files = readdirSync(CLIENT).filter((f) => f.endsWith('.ts'));
  it('imports only its own files and parse/challenge.ts, which imports nothing', () => {
    const outside = new Set<string>();
    for (const f of files) {
      for (const spec of importsOf(join(CLIENT, f))) {
        if (!spec.startsWith('.')) outside.add(`${f}: ${spec}`);
        else {
          const target = relative(SRC, resolve(CLIENT, spec.replace(/\.js$/, '.ts')));
          if (!target.startsWith('client/')) outside.add(target);
        }
      }
    }
    expect([...outside]).toEqual(['parse/challenge.ts']);
    expect(importsOf(join(SRC, 'parse/challenge.ts'))).toEqual([]);
  });
  it('uses no Node global', () => {
    for (const f of files) {
      const code = readFileSync(join(CLIENT, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, f).not.toMatch(/\b(?:Buffer|process|require)\b/);
    }
  });
});
