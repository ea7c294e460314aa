/**
 * Memory of the language server under document churn (issue 9): opens and closes N generated Dockerfiles,
 * each in its own folder, and prints the server's resident memory (RSS) after initialize and every `--every`
 * files, plus the time of the churn loop. Target: RSS after 1,000 files below 60 MB.
 *
 *   npx tsx bench/memory-churn.ts [--files=1000] [--every=250] [--server=server/dist/server.js]
 *       [--node-flags="--max-semi-space-size=2" (default: server/src/launch.ts)] [--runs=1] [--reference] [--settle=300] [--no-probe]
 *       [--snapshots=<dir>]
 *
 * Build the production bundle first (`npm run build:production`). Besides RSS it prints, per checkpoint, the
 * V8 heap after a full GC (heapUsed/heapTotal) and the RSS after that GC, so a leak (heapUsed grows) can be
 * told from heap sizing (RSS grows, heapUsed does not). Those come from a probe preloaded into the server
 * process with `--expose-gc -r <probe>` (written to a temporary folder by this script): on SIGUSR2 it runs
 * gc() and writes process.memoryUsage() to a file. The server's own code has no hook for it.
 * `--snapshots=<dir>` also writes a heap snapshot at every checkpoint (churn-<n>.heapsnapshot; use the
 * readable bundle, `npm run build`, to read them). `--reference` runs dockerfile-language-server-nodejs the same way for comparison.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspDriver } from './lsp-driver';
import { SERVER_NODE_FLAGS } from '../server/src/launch';
import { generateCorpus } from '../test/corpus/generate';

const root = join(__dirname, '..');
const arg = (name: string, dflt: string) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const files = Number(arg('files', '1000'));
const every = Number(arg('every', '250'));
const runs = Number(arg('runs', '1'));
const settleMs = Number(arg('settle', '300'));
const serverPath = resolve(root, arg('server', join('server', 'dist', 'server.js')));
// Dockwright runs with the flags the VS Code client starts it with (server/src/launch.ts) unless told otherwise.
const nodeFlags = process.argv.some((a) => a.startsWith('--node-flags='))
  ? arg('node-flags', '')
      .split(/\s+/)
      .filter((f) => f !== '')
  : process.argv.includes('--reference')
    ? []
    : [...SERVER_NODE_FLAGS];
const reference = process.argv.includes('--reference');
const probe = !process.argv.includes('--no-probe');
const snapshots = arg('snapshots', '');

/** Preloaded into the server: SIGUSR2 -> full GC -> memoryUsage() written to $DW_MEMPROBE_OUT. */
const PROBE = `
const { writeFileSync } = require('node:fs');
const v8 = require('node:v8');
let seq = 0;
process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  const spacesBefore = v8.getHeapSpaceStatistics();
  if (typeof global.gc === 'function') { global.gc(); global.gc(); }
  const after = process.memoryUsage();
  if (process.env.DW_MEMPROBE_SNAPSHOTS) v8.writeHeapSnapshot(require('node:path').join(process.env.DW_MEMPROBE_SNAPSHOTS, 'churn-' + (seq + 1) + '.heapsnapshot'));
  const spaces = Object.fromEntries(spacesBefore.map((s) => [s.space_name, s.space_size]));
  writeFileSync(process.env.DW_MEMPROBE_OUT, JSON.stringify({ seq: ++seq, before, after, spaces }));
});
`;

interface ProbeResult {
  seq: number;
  before: NodeJS.MemoryUsage;
  after: NodeJS.MemoryUsage;
  /** Size of each V8 heap space before the GC (new_space, old_space, code_space...). */
  spaces: Record<string, number>;
}

const mb = (n: number | undefined) => (n === undefined ? '   -  ' : (n / 1048576).toFixed(1).padStart(6));

class Probe {
  private seq = 0;
  constructor(
    private readonly d: LspDriver,
    private readonly out: string,
  ) {}

  async read(): Promise<ProbeResult | undefined> {
    const want = ++this.seq;
    this.d.proc.kill('SIGUSR2');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        const r = JSON.parse(readFileSync(this.out, 'utf8')) as ProbeResult;
        if (r.seq === want) return r;
      } catch {
        // not written yet
      }
    }
    return undefined;
  }
}

/** RssAnon and RssFile of a process (Linux): the heap and malloc'ed memory vs. pages of the node binary. */
function rssParts(pid: number | undefined): { anon?: number; file?: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => {
      const m = new RegExp(`${name}:\\s+(\\d+) kB`).exec(status);
      return m ? Number(m[1]) * 1024 : undefined;
    };
    return { anon: kb('RssAnon'), file: kb('RssFile') };
  } catch {
    return {};
  }
}

/** CPU time (user + system) a process has used, in ms (Linux): steadier than wall time on a busy machine. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

interface Row {
  label: string;
  rss: number | undefined;
  anon?: number;
  file?: number;
  heapUsedGc?: number;
  heapTotalGc?: number;
  rssGc?: number;
  newSpace?: number;
  oldSpace?: number;
}

async function once(): Promise<{ rows: Row[]; loopMs: number; cpu: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'dw-memchurn-'));
  const probeFile = join(dir, 'probe.cjs');
  const outFile = join(dir, 'probe.json');
  writeFileSync(probeFile, PROBE);
  process.env.DW_MEMPROBE_OUT = outFile;
  if (snapshots) process.env.DW_MEMPROBE_SNAPSHOTS = resolve(snapshots);
  const probeFlags = probe ? ['--expose-gc', '-r', probeFile] : [];
  const target = reference ? join(root, 'node_modules', 'dockerfile-language-server-nodejs', 'bin', 'docker-langserver') : serverPath;
  if (!existsSync(target)) throw new Error(`${target} is missing: run npm run build:production`);
  const settings = reference ? {} : { lint: { enableAll: true } };
  const d = new LspDriver(reference ? 'reference' : 'dockwright', process.execPath, [...nodeFlags, ...probeFlags, target, '--stdio'], settings);
  const p = new Probe(d, outFile);
  const rows: Row[] = [];
  // RSS is read first (as an editor's process monitor sees it), then the probe forces a GC.
  const checkpoint = async (label: string) => {
    const parts = rssParts(d.proc.pid);
    const row: Row = { label, rss: (d.rssMb() ?? NaN) * 1048576, anon: parts.anon, file: parts.file };
    if (probe) {
      const r = await p.read();
      if (r) Object.assign(row, {
          heapUsedGc: r.after.heapUsed,
          heapTotalGc: r.after.heapTotal,
          rssGc: r.after.rss,
          newSpace: r.spaces.new_space,
          oldSpace: r.spaces.old_space,
        });
    }
    rows.push(row);
  };
  try {
    await d.initialize();
    await new Promise((r) => setTimeout(r, settleMs));
    await checkpoint('after init');
    const churn = generateCorpus(files, 3);
    let loopMs = 0;
    const cpu0 = cpuMs(d.proc.pid);
    for (let i = 0; i < churn.length; i++) {
      const u = `file:///churn/${i}/Dockerfile`;
      const t0 = performance.now();
      await d.open(u, churn[i].text);
      await d.close(u);
      loopMs += performance.now() - t0;
      if (i % every === every - 1 || i === churn.length - 1) await checkpoint(String(i + 1));
    }
    const cpu = cpuMs(d.proc.pid) - cpu0;
    await new Promise((r) => setTimeout(r, settleMs));
    await checkpoint('settled');
    return { rows, loopMs, cpu };
  } finally {
    await d.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const name = reference ? 'reference server' : serverPath;
  console.log(`${name} ${nodeFlags.join(' ')}  (${files} files, ${runs} run${runs > 1 ? 's' : ''})`);
  for (let run = 0; run < runs; run++) {
    const { rows, loopMs, cpu } = await once();
    console.log(`run ${run + 1}: churn loop ${loopMs.toFixed(0)} ms (${(loopMs / files).toFixed(2)} ms/file), server CPU ${cpu.toFixed(0)} ms`);
    console.log('  checkpoint     RSS MB (anon   file) new space old space | after full GC: heapUsed heapTotal    RSS');
    for (const r of rows) {
      const cols = [mb(r.rss), ` (${mb(r.anon)} ${mb(r.file)})`, `    ${mb(r.newSpace)}`, `   ${mb(r.oldSpace)}`, ` |                ${mb(r.heapUsedGc)}`, `    ${mb(r.heapTotalGc)}`, ` ${mb(r.rssGc)}`];
      console.log(`  ${r.label.padEnd(12)} ${cols.join('')}`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
