/**
 * Benchmark: Dockwright against the reference Dockerfile language server (dockerfile-language-server-nodejs),
 * same files, same requests, one run. Prints tables and writes JSON (bench/results/<date>.json or --out).
 *   npx tsx bench/lsp-bench.ts [--quick] [--out file.json] [--sections=typical,scaling,memory,cli] [--servers=dockwright,reference]
 * Dockwright runs the production bundle (npm run build:production first) with every rule on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { LspDriver, stats } from './lsp-driver';
import { SERVER_NODE_FLAGS } from '../server/src/launch';
import { generateCorpus, generateLargeDockerfile } from '../test/corpus/generate';

const root = join(__dirname, '..');
const quick = process.argv.includes('--quick');
const sectionsArg = process.argv.find((a) => a.startsWith('--sections='))?.slice('--sections='.length);
const sections = new Set((sectionsArg ?? 'typical,scaling,memory,cli').split(','));
const servers = new Set((process.argv.find((a) => a.startsWith('--servers='))?.slice('--servers='.length) ?? 'dockwright,reference').split(','));
const outArg = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;

const SERVERS = [
  // Started as the VS Code client starts it (server/src/launch.ts), with every rule on.
  { name: 'dockwright', cmd: process.execPath, args: [...SERVER_NODE_FLAGS, join(root, 'server', 'dist', 'server.js'), '--stdio'], settings: { lint: { enableAll: true } } },
  {
    name: 'reference',
    cmd: process.execPath,
    args: [join(root, 'node_modules', 'dockerfile-language-server-nodejs', 'bin', 'docker-langserver'), '--stdio'],
    settings: {},
  },
];

interface FileCase {
  name: string;
  text: string;
}

function typicalFiles(): FileCase[] {
  const dir = join(root, 'test', 'fixtures', 'real-world');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.Dockerfile'))
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
  return quick ? files.slice(0, 8) : files;
}

/** Positions worth asking about: instruction keywords, flag starts, variables, line ends. */
function positions(text: string, max: number): { line: number; character: number }[] {
  const out: { line: number; character: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < max; i++) {
    const l = lines[i].replace(/\r$/, '');
    if (/^\s*[A-Za-z]+\s/.test(l)) out.push({ line: i, character: l.search(/\S/) + 1 });
    const dollar = l.indexOf('$');
    if (dollar >= 0) out.push({ line: i, character: dollar + 2 });
    const flag = l.indexOf(' --');
    if (flag >= 0) out.push({ line: i, character: flag + 3 });
  }
  return out.slice(0, max);
}

type Kind = 'open→diagnostics' | 'edit→diagnostics' | 'completion' | 'hover' | 'semanticTokens' | 'documentSymbol' | 'formatting';
const KINDS: Kind[] = ['open→diagnostics', 'edit→diagnostics', 'completion', 'hover', 'semanticTokens', 'documentSymbol', 'formatting'];

async function exercise(d: LspDriver, uri: string, text: string, samples: Map<Kind, number[]>, posCount: number): Promise<void> {
  const push = (k: Kind, v: number | undefined) => {
    if (v !== undefined) samples.get(k)!.push(v);
  };
  push('open→diagnostics', await d.open(uri, text));
  const lines = text.split('\n');
  const last = lines.length - 1;
  push('edit→diagnostics', await d.edit(uri, 2, { range: { start: { line: last, character: 0 }, end: { line: last, character: lines[last].length } }, text: lines[last] + '\n# edited\n' }));
  const doc = { textDocument: { uri } };
  for (const p of positions(text, posCount)) {
    push('completion', await d.time('textDocument/completion', { ...doc, position: p }));
    push('hover', await d.time('textDocument/hover', { ...doc, position: p }));
  }
  push('semanticTokens', await d.time('textDocument/semanticTokens/full', doc));
  push('documentSymbol', await d.time('textDocument/documentSymbol', doc));
  push('formatting', await d.time('textDocument/formatting', { ...doc, options: { tabSize: 4, insertSpaces: true } }));
  await d.close(uri);
}

async function main(): Promise<void> {
  if (!existsSync(SERVERS[0].args[SERVERS[0].args.length - 2])) {
    console.error('Build first: npm run build:production');
    process.exit(2);
  }
  const results: Record<string, unknown> = { date: new Date().toISOString(), quick, node: process.version, sections: [...sections] };
  const typical = typicalFiles();
  const table: Record<string, Record<Kind, ReturnType<typeof stats>>> = {};
  const memory: Record<string, { afterInit?: number; afterTypical?: number; after1000?: number }> = {};
  const scaling: Record<string, Record<number, Record<string, number | undefined>>> = {};
  const sizes = quick ? [250, 1000] : [250, 500, 1000, 2000, 4000, 8000];
  const churn = sections.has('memory') ? generateCorpus(quick ? 50 : 1000, 3) : [];
  for (const s of SERVERS.filter((x) => servers.has(x.name))) {
    const d = new LspDriver(s.name, s.cmd, s.args, s.settings);
    await d.initialize();
    memory[s.name] = { afterInit: d.rssMb() };
    if (sections.has('typical')) {
      const samples = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
      // Warm-up pass (JIT), not recorded.
      for (const f of typical.slice(0, 3)) await exercise(d, `file:///warm/${f.name}`, f.text, new Map(KINDS.map((k) => [k, []])), 5);
      for (const f of typical) await exercise(d, `file:///bench/${f.name}/Dockerfile`, f.text, samples, 12);
      table[s.name] = Object.fromEntries(KINDS.map((k) => [k, stats(samples.get(k)!)])) as Record<Kind, ReturnType<typeof stats>>;
      memory[s.name].afterTypical = d.rssMb();
    }
    if (sections.has('scaling')) {
      scaling[s.name] = {};
      for (const size of sizes) {
        const sm = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
        // Three rounds per size, each a different file of that size (another seed): the median of three
        // samples, and nothing a server cached from one round helps the next.
        // (One round for the reference server above 2,000 lines: its semantic tokens take minutes there.)
        const rounds = quick || (s.name === 'reference' && size > 2000) ? 1 : 3;
        for (let r = 0; r < rounds; r++) await exercise(d, `file:///scale/${size}/${r}/Dockerfile`, generateLargeDockerfile(size, 5 + r), sm, 6);
        scaling[s.name][size] = Object.fromEntries(KINDS.map((k) => [k, stats(sm.get(k)!).median]));
      }
    }
    if (sections.has('memory')) {
      for (let i = 0; i < churn.length; i++) {
        const uri = `file:///churn/${i}/Dockerfile`;
        await d.open(uri, churn[i].text);
        await d.close(uri);
      }
      memory[s.name].after1000 = d.rssMb();
    }
    await d.stop();
  }
  let cliResult: { files: number; filesPerSecond: number; coldStartMs: number; vsixBytes: number | undefined } | undefined;
  if (sections.has('cli')) {
    // CLI throughput and cold start.
    const dir = mkdtempSync(join(tmpdir(), 'dw-bench-'));
    const cliFiles = generateCorpus(quick ? 100 : 1200, 9);
    for (const f of cliFiles) writeFileSync(join(dir, f.name), f.text);
    const cli = join(root, 'server', 'dist', 'cli.js');
    let t0 = performance.now();
    spawnSync(process.execPath, [cli, 'lint', '--all', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const throughputMs = performance.now() - t0;
    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      spawnSync(process.execPath, [cli, 'lint', join(dir, cliFiles[0].name)], { encoding: 'utf8' });
      cold.push(performance.now() - t0);
    }
    rmSync(dir, { recursive: true, force: true });
    const vsix = join(root, 'dockwright.vsix');
    cliResult = { files: cliFiles.length, filesPerSecond: cliFiles.length / (throughputMs / 1000), coldStartMs: stats(cold).median, vsixBytes: existsSync(vsix) ? statSync(vsix).size : undefined };
  }

  const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '   n/a' : n.toFixed(2).padStart(7));
  if (sections.has('typical')) {
    console.log(`\nPer request on ${typical.length} typical files (ms): median / p95 / max`);
    const ran = SERVERS.filter((x) => servers.has(x.name));
    console.log('request'.padEnd(18) + ran.map((s) => s.name.padStart(27)).join('') + '   p95 ratio (dw/ref)');
    for (const k of KINDS) {
      const cells = ran.map((s) => {
        const st = table[s.name][k];
        return `${fmt(st.median)} ${fmt(st.p95)} ${fmt(st.max)}`.padStart(27);
      });
      const ratio = table.dockwright && table.reference ? table.dockwright[k].p95 / table.reference[k].p95 : NaN;
      console.log(k.padEnd(18) + cells.join('') + '   ' + (Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'));
    }
  }
  if (sections.has('scaling')) {
    console.log('\nScaling: median ms per request against file size (lines)');
    for (const s of SERVERS.filter((x) => servers.has(x.name))) {
      console.log(`${s.name}`);
      console.log('  lines'.padEnd(10) + KINDS.map((k) => k.slice(0, 14).padStart(16)).join(''));
      for (const size of sizes) console.log(`  ${String(size).padEnd(8)}` + KINDS.map((k) => fmt(scaling[s.name][size][k]).padStart(16)).join(''));
    }
  }
  console.log('\nMemory (resident MB): after initialize / after typical files / after opening and closing ' + churn.length + ' files');
  for (const s of SERVERS.filter((x) => servers.has(x.name))) console.log(`  ${s.name.padEnd(12)} ${fmt(memory[s.name].afterInit)} / ${fmt(memory[s.name].afterTypical)} / ${fmt(memory[s.name].after1000)}`);
  if (cliResult) {
    console.log(`\nCLI: ${cliResult.files} files, ${cliResult.filesPerSecond.toFixed(0)} files/s with every rule; cold start for one file ${cliResult.coldStartMs.toFixed(0)} ms`);
    if (cliResult.vsixBytes) console.log(`.vsix size: ${(cliResult.vsixBytes / 1024).toFixed(0)} KB`);
  }
  Object.assign(results, { typical: table, scaling, memory, cli: cliResult });
  const out = outArg ?? join(root, 'bench', 'results', `${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`\nwrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
