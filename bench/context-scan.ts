/**
 * Build-context scanning on a large tree: a generated context of N files (default 100,000) is
 * 1. scanned in-process, synchronously (the CLI's way) and asynchronously (the server's way) while a 1 ms
 *    timer measures how long the event loop is held (the idle noise of the machine is measured first);
 * 2. scanned by the real language server over stdio JSON-RPC after the Dockerfile is opened, while hover
 *    requests are sent back to back: their latency during the scan is compared with the latency after it.
 *    The scan is over when the diagnostics that need the scanned context (ContextNotIgnored) arrive.
 * Usage: npx tsx bench/context-scan.ts [files=100000] [--keep]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { filesOf, ignoreRules, scanContext, scanContextSync } from '../server/src/host/context-scan';
import { LspClient } from '../test/support/lsp-client';

const count = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
const keep = process.argv.includes('--keep');

interface Stats {
  n: number;
  median: number;
  p95: number;
  max: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] ?? 0 };
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const fmt = (s: Stats) => `n=${s.n} median ${ms(s.median)} p95 ${ms(s.p95)} max ${ms(s.max)}`;

/** A source tree: 10 packages x 10 modules x (count/100) files, plus a .git and a node_modules folder. */
function generate(root: string, files: number): void {
  let made = 0;
  const write = (rel: string, size: number) => {
    writeFileSync(join(root, rel), 'x'.repeat(size));
    made++;
  };
  const perDir = 100;
  const dirs = Math.ceil((files * 0.9) / perDir);
  for (let d = 0; d < dirs && made < files * 0.9; d++) {
    const dir = join('src', `pkg${d % 10}`, `mod${Math.floor(d / 10)}`);
    mkdirSync(join(root, dir), { recursive: true });
    for (let f = 0; f < perDir && made < files * 0.9; f++) write(join(dir, `file${f}.ts`), 40 + ((d * 7 + f * 13) % 400));
  }
  for (let d = 0; made < files * 0.95; d++) {
    const dir = join('node_modules', `dep${d}`, 'lib');
    mkdirSync(join(root, dir), { recursive: true });
    for (let f = 0; f < 50 && made < files * 0.95; f++) write(join(dir, `m${f}.js`), 200);
  }
  for (let d = 0; made < files - 2; d++) {
    const dir = join('.git', 'objects', (d % 256).toString(16).padStart(2, '0'));
    mkdirSync(join(root, dir), { recursive: true });
    for (let f = 0; f < 50 && made < files - 2; f++) write(join(dir, `o${d}_${f}`), 120);
  }
  write('package.json', 60);
  writeFileSync(join(root, 'Dockerfile'), 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n');
}

/** Runs `fn` while a 1 ms timer records the longest gap between its ticks. */
async function withLoopMonitor<T>(fn: () => Promise<T>): Promise<{ result: T; maxGap: number; elapsed: number }> {
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  const result = await fn();
  const elapsed = performance.now() - t0;
  clearInterval(timer);
  return { result, maxGap, elapsed };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'dockwright-bench-ctx-'));
  try {
    let t = performance.now();
    generate(root, count);
    console.log(`generated ${count.toLocaleString('en-US')} files in ${root} (${ms(performance.now() - t)})`);

    const idle = await withLoopMonitor(() => new Promise((r) => setTimeout(r, 2000)));
    console.log(`\nevent loop, idle 2 s: longest gap ${ms(idle.maxGap)} (machine noise)`);

    const rules = ignoreRules(undefined);
    t = performance.now();
    const sync = scanContextSync(root, rules);
    const syncMs = performance.now() - t;
    const files = filesOf(sync);
    console.log(`\nsync scan (CLI):   ${sync.paths.length.toLocaleString('en-US')} files, ${(files.totalBytes / 1e6).toFixed(1)} MB in ${ms(syncMs)}${sync.truncated ? ` (truncated: ${sync.truncated.reason})` : ''}`);
    for (const fsMode of ['adaptive', 'async'] as const) {
      const run = await withLoopMonitor(() => scanContext(root, rules, { fsMode }));
      console.log(`${fsMode} scan (server${fsMode === 'adaptive' ? ', default' : ''}): ${run.result?.paths.length.toLocaleString('en-US')} files in ${ms(run.elapsed)}; longest event-loop gap during it ${ms(run.maxGap)}`);
    }
    t = performance.now();
    const heavy = files.heavyDirs();
    const all = files.match('.');
    console.log(`index queries: heavy folders ${heavy.map((h) => `${h.path} (${h.files})`).join(', ')}; match('.') ${all.files} files, largest ${all.largest(3).length} in ${ms(performance.now() - t)}`);

    // Through the language server.
    const c = new LspClient();
    await c.initialize(root);
    const uri = pathToFileURL(join(root, 'Dockerfile')).href;
    const pos = { line: 2, character: 1 };
    // Warm up the hover path on a document outside the tree.
    const warm = pathToFileURL(join(tmpdir(), 'dockwright-bench-warm', 'Dockerfile')).href;
    await c.open(warm, 'FROM alpine\nCOPY a b\n');
    for (let i = 0; i < 50; i++) await c.request('textDocument/hover', { textDocument: { uri: warm }, position: pos });

    const during: number[] = [];
    const when: number[] = [];
    let scanned = false;
    const opened = performance.now();
    await c.open(uri, 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n');
    const done = c.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'ContextNotIgnored'), 120_000).then((d) => {
      scanned = true;
      return { at: performance.now() - opened, d };
    });
    while (!scanned) {
      const h0 = performance.now();
      await c.request('textDocument/hover', { textDocument: { uri }, position: pos });
      if (!scanned) {
        during.push(performance.now() - h0);
        when.push(h0 - opened);
      }
    }
    const { at, d } = await done;
    const after: number[] = [];
    for (let i = 0; i < 200; i++) {
      const h0 = performance.now();
      const h = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: pos });
      after.push(performance.now() - h0);
      if (i === 0) console.log(`\nhover after the scan says: ${/the content of ([^;]+) from the build context/.exec(h?.contents.value ?? '')?.[1] ?? '(no file count)'}`);
    }
    console.log(`server: open -> diagnostics with the scanned context: ${ms(at)}`);
    console.log(`  ${d.find((x) => x.code === 'ContextNotIgnored')?.message.slice(0, 160)}…`);
    console.log(`hover while scanning: ${fmt(stats(during))}`);
    const worst = during.map((v, i) => [v, when[i]] as const).sort((a, b) => b[0] - a[0]).slice(0, 5);
    console.log(`  slowest: ${worst.map(([v, w]) => `${ms(v)} at +${ms(w)}`).join(', ')}`);
    console.log(`hover after the scan: ${fmt(stats(after))}`);
    await c.stop();
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
