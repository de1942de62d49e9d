import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The page of `why401 ui` (docs/UI.md): Preact, JSX transformed by oxc, built to dist/ui/ as plain
 * files the local server sends under `script-src 'self'; style-src 'self'`: no inline script or
 * style, no source maps, nothing fetched from anywhere else. The page imports the platform-neutral
 * core straight from src/.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));
/**
 * tough-cookie's Public Suffix List comes from tldts. Its ES module sources hold the list as an
 * object trie that bundles to over 100 KB gzipped; the package's own prebuilt minified module holds
 * the same list (same version) in half that.
 */
const tldtsMin = join(
  dirname(createRequire(import.meta.url).resolve('tldts/package.json')),
  'dist/index.esm.min.js',
);

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  resolve: { alias: [{ find: /^tldts$/, replacement: tldtsMin }] },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // Everything as files: a data: URL or an inline module would need a looser CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
  server: { host: '127.0.0.1', fs: { allow: [repo] } },
});
