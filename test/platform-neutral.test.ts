import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The checks, parsers, ranking, redaction and renderers run in the browser too (the web page uses
 * the very same code): follow every import from the platform-neutral entry points and refuse any
 * Node built-in or any package that is not itself platform-neutral.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const ENTRY_POINTS = [
  // why401/core, the package's platform-neutral entry point (package.json exports).
  'core.ts',
  // why401/client and why401/server: fetch and web Request/Response only.
  'client/index.ts',
  'server/index.ts',
  // The library's HAR operations over bytes and streams: no file reader of their own.
  'diagnose/capture.ts',
  'core/analyze.ts',
  'render/text.ts',
  'render/json.ts',
  'render/markdown.ts',
  'parse/curl/index.ts',
  'parse/cookie-jar.ts',
  'diagnose/har-report.ts',
  'har/scanner.ts',
  'render/har-text.ts',
  'render/har-markdown.ts',
  'render/html.ts',
  'guide/index.ts',
];
/** Packages that run unchanged in a browser. */
const NEUTRAL_PACKAGES = new Set(['shell-quote', 'tough-cookie']);

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

function closure(): { files: Set<string>; external: Map<string, string> } {
  const files = new Set<string>();
  const external = new Map<string, string>();
  const todo = ENTRY_POINTS.map((e) => join(SRC, e));
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    for (const spec of importsOf(f)) {
      if (spec.startsWith('.')) todo.push(resolve(dirname(f), spec.replace(/\.js$/, '.ts')));
      else external.set(spec, f.slice(SRC.length + 1));
    }
  }
  return { files, external };
}

describe('platform-neutral core', () => {
  const { files, external } = closure();
  it('reaches the checks, parsers, ranking, redaction and renderers', () => {
    const rel = [...files].map((f) => f.slice(SRC.length + 1));
    expect(rel).toEqual(
      expect.arrayContaining([
        'checks/index.ts',
        'core/rank.ts',
        'core/redact.ts',
        'parse/challenge.ts',
        'parse/jwt.ts',
      ]),
    );
    expect(rel.length).toBeGreaterThan(40);
  });
  it('imports no Node built-in and no Node-only package', () => {
    const bad = [...external].filter(([spec]) => !NEUTRAL_PACKAGES.has(spec));
    expect(bad).toEqual([]);
  });
  it('uses no Node globals (Buffer, process, require)', () => {
    for (const f of files) {
      // Code only: comments and string literals may well mention process.env in advice to the user.
      const code = readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
        .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, "''");
      expect(code, f).not.toMatch(/\b(Buffer|process|require|__dirname)\b/);
    }
  });
});
