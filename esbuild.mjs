// Bundles the VS Code client, the language server and the CLI into dist/ folders.
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  // The entry point (loader.ts) loads main.js with V8's code cache. Its banner marks when the extension's code
  // starts running: the client logs its load and activation times.
  { ...common, entryPoints: ['client/src/loader.ts'], outfile: 'client/dist/extension.js', external: ['vscode'], banner: { js: '"use strict";\nvar __dwBundleStart = performance.now();' } },
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/dist/main.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'server/dist/server.js' },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'server/dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The layer explorer reads `docker save` in a child process, off the extension host's main path.
  { ...common, entryPoints: ['server/src/host/docker/layer-worker.ts'], outfile: 'server/dist/layer-worker.js' },
];

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
