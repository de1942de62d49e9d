import tseslint from 'typescript-eslint';
import layers from './test/architecture/layers.json' with { type: 'json' };

/**
 * Layers that only look down (docs/ARCHITECTURE.md "Layers"). Bottom to top: a folder of src/
 * imports only folders of a lower rank, and checks/ only through its two index files. The table is
 * test/architecture/layers.json, which the layer test reads too (it also follows dynamic import()
 * and folder cycles, which this rule cannot see). Same-rank edges the design allows: `why401 ui`
 * (cli) starts the page's server.
 */
const { ranks: RANKS, allowedSameRank: ALLOWED } = layers;
/** Runs in the browser too (the web page uses the very same code): no Node built-ins. */
const NEUTRAL = new Set([
  'model',
  'parse',
  'knowledge',
  'spec',
  'facts',
  'checks',
  'core',
  'render',
  'guide',
  'har',
  // why401/server: refusal builders any framework or runtime uses (imports model and parse only).
  'server',
  // why401/client: fetch only, for browsers, Node, Deno, Bun and workers.
  'client',
]);
/** Node-only files inside otherwise platform-neutral folders. */
const NODE_FILES = ['src/har/reader.ts'];
/** Platform-neutral files inside otherwise Node-side folders (the page analyses a HAR in the browser). */
const NEUTRAL_FILES = ['src/diagnose/har-report.ts'];

const NODE_PATTERN = { group: ['node:*'], message: 'platform-neutral code: no node: imports' };

function layerPatterns(folder) {
  const rank = RANKS[folder];
  const above = Object.keys(RANKS).filter(
    (f) => f !== folder && RANKS[f] >= rank && !(ALLOWED[folder] ?? []).includes(f),
  );
  const below = Object.keys(RANKS).filter((f) => RANKS[f] < rank);
  const patterns = [];
  if (above.length)
    patterns.push({
      // `../core/x.js`, `../../har/x.js`, and the root files `../diagnose.js`, `../index.js`.
      regex: `^(?:\\.\\./)+(?:${above.join('|')})(?:/|\\.js$)`,
      message: `layers only look down: src/${folder}/ imports only ${below.length ? below.join(', ') : 'nothing outside itself'} (docs/ARCHITECTURE.md)`,
    });
  if (folder !== 'checks' && rank > RANKS.checks)
    patterns.push({
      regex: '^(?:\\.\\./)+checks/(?!index\\.js$|session/index\\.js$)',
      message:
        'outside checks/, import only checks/index.js (the registry and its types) or checks/session/index.js',
    });
  return patterns;
}

function layerBlocks() {
  const rule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
  const blocks = Object.keys(RANKS).map((folder) => ({
    files: [`src/${folder}/**/*.ts`],
    ignores: [...NODE_FILES, ...NEUTRAL_FILES],
    rules: rule([...(NEUTRAL.has(folder) ? [NODE_PATTERN] : []), ...layerPatterns(folder)]),
  }));
  blocks.push(
    { files: NODE_FILES, rules: rule(layerPatterns('har')) },
    { files: NEUTRAL_FILES, rules: rule([NODE_PATTERN, ...layerPatterns('diagnose')]) },
    {
      // The public entry points (src/index.ts, src/core.ts).
      files: ['src/*.ts'],
      rules: rule([
        {
          regex: '^\\./(?:cli|ui-server)/',
          message: 'the library never imports an adapter (cli/, ui-server/)',
        },
      ]),
    },
  );
  return blocks;
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerBlocks(),
  {
    // The web page (docs/UI.md) runs in the browser: the platform-neutral core only, never the Node side.
    files: ['ui/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'the page runs in a browser: no node: imports' },
            {
              group: [
                '**/src/probe/**',
                '**/src/cli/**',
                '**/src/ui-server/**',
                '**/src/demo/**',
                '**/src/echo/**',
                '**/src/diagnose.js',
                '**/src/diagnose/har-file.js',
                '**/src/har/reader.js',
              ],
              message: 'Node-only code: the page uses the platform-neutral core and the local server API',
            },
          ],
        },
      ],
    },
  },
);
