import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The HAR analysis runs in the web page on a dropped file: follow every import from its entry
 * points and refuse Node built-ins and Node globals, as test/platform-neutral.test.ts does for the
 * core. Its one new package, tough-cookie (with tldts, its only dependency), is checked too.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const ENTRY_POINTS = [
  'diagnose/har-report.ts',
  'facts/har-entry.ts',
  'facts/session.ts',
  'render/har-text.ts',
  'render/har-markdown.ts',
];
const NEUTRAL_PACKAGES = new Set(['shell-quote', 'tough-cookie']);
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm;

function closure(): { files: Set<string>; external: Map<string, string> } {
  const files = new Set<string>();
  const external = new Map<string, string>();
  const todo = ENTRY_POINTS.map((e) => join(SRC, e));
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) todo.push(resolve(dirname(f), spec.replace(/\.js$/, '.ts')));
      else external.set(spec, f.slice(SRC.length + 1));
    }
    for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g))
      external.set(m[1]!, f.slice(SRC.length + 1));
  }
  return { files, external };
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : [];
  });
}

describe('platform-neutral HAR analysis', () => {
  const { files, external } = closure();

  it('reaches the session checks, the cookie replay and the per-request core', () => {
    const rel = [...files].map((f) => f.slice(SRC.length + 1));
    expect(rel).toEqual(
      expect.arrayContaining([
        'facts/cookies.ts',
        'checks/session/index.ts',
        'core/analyze.ts',
        'checks/index.ts',
      ]),
    );
  });

  it('imports no Node built-in and no Node-only package', () => {
    expect([...external].filter(([spec]) => !NEUTRAL_PACKAGES.has(spec))).toEqual([]);
  });

  it('uses no Node globals (Buffer, process, require)', () => {
    for (const f of files) {
      const code = readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
        .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, "''");
      expect(code, f).not.toMatch(/\b(Buffer|process|require|__dirname)\b/);
    }
  });

  it('tough-cookie (ESM build) and tldts import nothing from Node', () => {
    const mods = join(ROOT, 'node_modules');
    const pkg = JSON.parse(readFileSync(join(mods, 'tough-cookie/package.json'), 'utf8')) as {
      exports: { import: { import: string } };
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies)).toEqual(['tldts']);
    const code = [
      join(mods, 'tough-cookie', pkg.exports.import.import),
      ...jsFiles(join(mods, 'tldts/dist/es6')),
      ...jsFiles(join(mods, 'tldts-core/dist/es6')),
    ];
    for (const f of code) {
      const text = readFileSync(f, 'utf8');
      const specs = [...text.matchAll(IMPORT)].map((m) => m[1]!);
      expect(
        specs.filter((s) => !s.startsWith('.') && s !== 'tldts' && s !== 'tldts-core'),
        f,
      ).toEqual([]);
      expect(text, f).not.toMatch(/\bprocess\.|\bBuffer\.|\brequire\(/);
    }
  });
});
