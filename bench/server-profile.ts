/**
 * Where the language server spends its time on an editor's workload: runs the development bundle
 * (server/dist/server.js, not minified: `npm run build` first) under `--cpu-prof`, opens and edits files as
 * the benchmark does, then prints the functions with the most self time and writes the .cpuprofile.
 *
 *   npx tsx bench/server-profile.ts [--typical | --lines=8000] [--rounds=10] [--top=40] [--dir=/tmp/dw-prof]
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LspDriver } from './lsp-driver';
import { generateLargeDockerfile } from '../test/corpus/generate';

const root = join(__dirname, '..');
const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const rounds = Number(arg('rounds', '10'));
const top = Number(arg('top', '40'));
const dir = arg('dir', '/tmp/dw-prof');
const lines = process.argv.some((a) => a.startsWith('--lines=')) ? Number(arg('lines', '8000')) : undefined;

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

async function main(): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const d = new LspDriver('dockwright', process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, join(root, 'server', 'dist', 'server.js'), '--stdio'], {
    lint: { enableAll: true },
  });
  await d.initialize();
  const files =
    lines !== undefined
      ? [{ name: `gen${lines}`, text: generateLargeDockerfile(lines, 5) }]
      : readdirSync(join(root, 'test', 'fixtures', 'real-world'))
          .filter((f) => f.endsWith('.Dockerfile'))
          .map((f) => ({ name: f, text: readFileSync(join(root, 'test', 'fixtures', 'real-world', f), 'utf8') }));
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const f of files) {
      const uri = `file:///prof/${r}/${f.name}/Dockerfile`;
      await d.open(uri, f.text);
      const ls = f.text.split('\n');
      const last = ls.length - 1;
      await d.edit(uri, 2, { range: { start: { line: last, character: 0 }, end: { line: last, character: ls[last].length } }, text: ls[last] + '\n# edited\n' });
      await d.close(uri);
    }
  }
  console.log(`${rounds} rounds x ${files.length} files: ${(performance.now() - t0).toFixed(0)} ms`);
  await d.stop();
  await new Promise((r) => setTimeout(r, 1500));
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const self = new Map<string, number>();
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const n = byId.get(prof.samples[i])!;
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(`total sampled ${(total / 1000).toFixed(0)} ms; profile ${join(dir, file)}`);
  for (const [k, us] of rows) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
