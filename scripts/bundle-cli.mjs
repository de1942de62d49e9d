// Bundles the CLI (dist/cli/main.js, as tsc emitted it) into dist/bin/: one file for the entry and
// one per command loaded on demand, with the dependencies inside. Node 20's ES module loader
// resolves and reads every file on its own (~300 of ours, jose's, oauth4webapi's …); a diagnosis
// used to spend ~40–70 ms of its start on that before the user's request could leave
// (bench/timeline.mjs, issue 16). The library (dist/index.js, dist/core.js …) stays unbundled.
//
// dist/bin/ sits at the same depth as dist/cli/, so paths made from import.meta.url
// (ui-server/static.ts's ../../dist/ui/, demo.ts's ./main.js) hold in the bundle too; undici is
// loaded part by part with createRequire (probe/undici.ts), which resolves from node_modules at
// run time and is left as it is.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/bin`;
await rm(out, { recursive: true, force: true });
await build({
  input: `${root}dist/cli/main.js`,
  platform: 'node',
  external: [/^node:/],
  logLevel: 'warn',
  output: { dir: out, entryFileNames: 'main.js', chunkFileNames: '[name]-[hash].js', format: 'esm' },
});
