import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import layers from './layers.json' with { type: 'json' };

/**
 * Layers that only look down (issue 15, docs/ARCHITECTURE.md "Layers"): every relative import in
 * src/, static or dynamic, goes to the importer's own folder or to a folder of a lower rank; from
 * outside checks/ only its two doors are imported; no folder-level cycle; the page's server never
 * imports the CLI. eslint.config.js reads the same table (layers.json) for the editor; this test is the one that
 * also sees dynamic `import()` and cycles.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Bottom to top (layers.json, which eslint.config.js reads too). A folder may import only folders of a lower rank (and itself); the root entry points are `top`. */
const RANKS: Record<string, number> = { ...layers.ranks, top: 9 };

/** Root files: the public entry points. */
const ROOT_FILES: Record<string, string> = { 'index.ts': 'top', 'core.ts': 'top' };

/** The only files of checks/ the layers above may import: the registries and the types they re-export. */
const CHECKS_DOORS = new Set(['checks/index.ts', 'checks/session/index.ts']);

/**
 * Edges between two folders of the same rank that the design allows: `why401 ui` (cli) starts the
 * page's server. The reverse is never allowed.
 */
const ALLOWED_SAME_RANK = new Set(
  Object.entries(layers.allowedSameRank).flatMap(([from, tos]) => tos.map((to) => `${from} -> ${to}`)),
);

/**
 * Imports that break the rule today and that a later change removes. Each entry must still be
 * needed: once the import is gone, the entry goes too. (Issue 15's were ui-server's imports of
 * cli/; the public API removed them.)
 */
const PENDING = new Set<string>([]);

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier a file names: `import … from`, `export … from`, `import '…'`, `import('…')`. */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(/^\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

/** Relative imports between files of src/, as paths relative to src/ (`checks/index.ts`). */
function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split('\\').join('/');
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const to = relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
        .split('\\')
        .join('/');
      out.push({ from, to });
    }
  }
  return out;
}

function folderOf(path: string): string {
  const slash = path.indexOf('/');
  if (slash < 0) return ROOT_FILES[path] ?? `(root file ${path})`;
  return path.slice(0, slash);
}

/** Why an import breaks the layering, or undefined when it keeps it. */
function breach({ from, to }: Edge): string | undefined {
  const a = folderOf(from);
  const b = folderOf(to);
  if (a === b) return undefined;
  const ra = RANKS[a];
  const rb = RANKS[b];
  if (ra === undefined) return `${a}/ has no rank: add it to the layer table`;
  if (rb === undefined) return `${b}/ has no rank: add it to the layer table`;
  if (a === 'ui-server' && b === 'cli')
    return 'the page server never imports the CLI (both are adapters over the library)';
  if (a === 'top' && (b === 'cli' || b === 'ui-server'))
    return 'the public entry points never import an adapter';
  if (b === 'checks' && !CHECKS_DOORS.has(to))
    return 'outside checks/, import only checks/index.ts or checks/session/index.ts';
  if (rb < ra) return undefined;
  if (rb === ra && ALLOWED_SAME_RANK.has(`${a} -> ${b}`)) return undefined;
  return rb === ra
    ? `${a}/ and ${b}/ are siblings (rank ${ra}): neither imports the other`
    : `${a}/ (rank ${ra}) may not import ${b}/ (rank ${rb}): layers only look down`;
}

/** Folder-level cycles (each as `a -> b -> a`), by depth-first search over the folder graph. */
function folderCycles(all: Edge[]): string[] {
  const graph = new Map<string, Set<string>>();
  for (const e of all) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  }
  const cycles = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of [...(graph.get(n) ?? [])].sort()) {
      if (state.get(m) === 'open') cycles.add([...stack.slice(stack.indexOf(m)), m].join(' -> '));
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return [...cycles];
}

describe('layers that only look down', () => {
  const all = edges();

  it('reads the imports of every source file, dynamic ones included', () => {
    expect(all.length).toBeGreaterThan(500);
    expect(all).toContainEqual({ from: 'probe/gatherers/repairs.ts', to: 'checks/index.ts' });
  });

  it('has no import that runs up a layer, across siblings, or into checks/ past its doors', () => {
    const bad = all
      .filter((e) => !PENDING.has(`${e.from} -> ${e.to}`))
      .map((e) => ({ e, why: breach(e) }))
      .filter((x) => x.why !== undefined)
      .map(({ e, why }) => `src/${e.from} → src/${e.to}: ${why}`);
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('keeps no exception that is no longer needed', () => {
    const seen = new Set(all.map((e) => `${e.from} -> ${e.to}`));
    const stale = [...PENDING].filter((p) => !seen.has(p) || breach(parseEdge(p)) === undefined);
    expect(stale, `remove from PENDING in test/architecture/layers.test.ts: ${stale.join(', ')}`).toEqual([]);
  });

  it('has no folder-level cycle', () => {
    const pendingFree = all.filter((e) => !PENDING.has(`${e.from} -> ${e.to}`));
    const cycles = folderCycles(pendingFree);
    expect(cycles, cycles.join('\n')).toEqual([]);
  });

  it('gives every folder of src/ a rank', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => RANKS[f] === undefined)).toEqual([]);
  });
});

function parseEdge(p: string): Edge {
  const [from, to] = p.split(' -> ') as [string, string];
  return { from, to };
}
