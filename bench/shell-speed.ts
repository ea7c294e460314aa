/**
 * Speed and allocation of the shell analysis of RUN instructions (server/src/core/shell): times
 * `parseShell` and `scriptsOf` over three inputs: the RUN bodies of bench/shell-bodies.txt, the scripts of
 * one big generated Dockerfile (/tmp/big8k.Dockerfile, written when missing) and a generated corpus of 300
 * files. Warms up, then reports the minimum of N repetitions (with a GC between them when exposed).
 *
 *   node --expose-gc --import tsx bench/shell-speed.ts [--reps=10] [--warmup=5] [--only=shell-bodies,big8k,corpus300]
 *   node --expose-gc --max-semi-space-size=256 --import tsx bench/shell-speed.ts   (no GC during the runs: exact heap figures)
 *   node --expose-gc --import tsx bench/shell-speed.ts --dump /tmp/shell-baseline.json
 *   node --expose-gc --import tsx bench/shell-speed.ts --compare /tmp/shell-baseline.json
 *
 * `--dump` writes every parse result (the ShellScript objects, cycles turned into indexes, undefined kept
 * visible) plus what the index.ts helpers say about each command and script; `--compare` checks that the
 * current code gives exactly the same and exits with status 1 on the first difference.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseShell, scriptsOf, effectiveCommand, commandName, optionSetAt, type InstructionScript, type ShellScript } from '../server/src/core/shell/index';
import { parse } from '../server/src/core/syntax/parser';
import { buildModel } from '../server/src/core/semantic/model';
import { generateCorpus, generateLargeDockerfile } from '../test/corpus/generate';

const root = join(__dirname, '..');
const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
};
const reps = Number(opt('reps') ?? '10');
const warmups = Number(opt('warmup') ?? '5');
const only = opt('only');
const dumpFile = opt('dump');
const compareFile = opt('compare');
const gc = (globalThis as { gc?: () => void }).gc;

// ------------------------------------------------------------------------------------------ inputs

interface Input {
  readonly name: string;
  /** Dockerfiles whose instructions go through scriptsOf. */
  readonly files: readonly string[];
  /** Shell texts (with their dialect) given to parseShell directly. */
  readonly bodies: { text: string; dialect: 'posix' | 'bash' }[];
}

function loadBodies(): { text: string; dialect: 'posix' | 'bash' }[] {
  const blocks = readFileSync(join(root, 'bench', 'shell-bodies.txt'), 'utf8').split(/^%%\n/m).slice(1);
  const out: { text: string; dialect: 'posix' | 'bash' }[] = [];
  for (const b of blocks) {
    const text = b.replace(/\n$/, '');
    if (!text.trim()) continue;
    out.push({ text, dialect: 'posix' }, { text, dialect: 'bash' });
  }
  return out;
}

/** The script texts scriptsOf parses for these files (dialect 'skip' left out). */
function scriptTexts(files: readonly string[]): { text: string; dialect: 'posix' | 'bash' }[] {
  const out: { text: string; dialect: 'posix' | 'bash' }[] = [];
  for (const f of files) {
    const ast = parse(f);
    const model = buildModel(ast);
    for (const ins of ast.instructions) for (const s of scriptsOf(model, ins)) if (s.dialect !== 'skip') out.push({ text: s.script.text, dialect: s.dialect });
  }
  return out;
}

function inputs(): Input[] {
  const bigPath = '/tmp/big8k.Dockerfile';
  if (!existsSync(bigPath)) writeFileSync(bigPath, generateLargeDockerfile(8000, 5));
  const big = readFileSync(bigPath, 'utf8');
  const corpus = generateCorpus(300, 1).map((f) => f.text);
  return [
    { name: 'shell-bodies', files: [], bodies: loadBodies() },
    { name: 'big8k', files: [big], bodies: scriptTexts([big]) },
    { name: 'corpus300', files: corpus, bodies: scriptTexts(corpus) },
  ];
}

// ------------------------------------------------------------------------------------------ dump

/** A JSON-able copy of a script: the pipeline/command cycles become indexes. */
function plainScript(s: ShellScript): unknown {
  const ci = new Map(s.commands.map((c, i) => [c, i]));
  const pi = new Map(s.pipelines.map((p, i) => [p, i]));
  const idx = (m: Map<unknown, number>, x: unknown) => (x === undefined ? undefined : (m.get(x) ?? 'MISSING'));
  return {
    ...s,
    commands: s.commands.map((c) => ({
      ...c,
      pipeline: idx(pi, c.pipeline),
      effective: (() => {
        const e = effectiveCommand(c);
        return e && { name: e.name, args: e.args, wrappers: e.wrappers };
      })(),
      commandName: commandName(c.name),
    })),
    pipelines: s.pipelines.map((p) => ({ ...p, commands: p.commands.map((c) => idx(ci, c)), preceding: idx(pi, p.preceding), following: idx(pi, p.following) })),
  };
}

function plainEntry(e: InstructionScript): unknown {
  const spans = e.script.commands.map((c) => e.toSource(c.start, c.end));
  const words = e.script.commands.flatMap((c) => c.args.map((a) => e.toSource(a.start, a.end)));
  return {
    dialect: e.dialect,
    shell: e.shell,
    form: e.form,
    exact: e.exact,
    sources: { spans, words, whole: e.toSource(0, e.script.text.length) },
    options: ['e', 'u', 'x'].map((l) => optionSetAt(e, e.script.text.length, l, l === 'e' ? 'errexit' : l === 'u' ? 'nounset' : 'xtrace')).concat(optionSetAt(e, e.script.text.length, undefined, 'pipefail')),
    script: plainScript(e.script),
  };
}

const keepUndefined = (_k: string, v: unknown) => (v === undefined ? '__undefined__' : typeof v === 'function' ? undefined : v);

function dumpAll(ins: Input[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of ins) {
    const lines: string[] = [];
    for (const b of i.bodies) lines.push(JSON.stringify(plainScript(parseShell(b.text, b.dialect)), keepUndefined));
    i.files.forEach((f, fi) => {
      const ast = parse(f);
      const model = buildModel(ast);
      for (const ins of ast.instructions) lines.push(`${fi}:${ins.startLine} ` + JSON.stringify(scriptsOf(model, ins).map(plainEntry), keepUndefined));
    });
    out[i.name] = lines;
  }
  return out;
}

// ------------------------------------------------------------------------------------------ timing

/**
 * Minimum wall time and minimum CPU time (user + system of the process, GC threads included) of n runs,
 * in ms. On a loaded machine the CPU time is the steadier of the two. `setup` runs untimed before each.
 */
function minOf<T>(n: number, f: (x: T) => void, setup: () => T): { wall: number; cpu: number } {
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < n; r++) {
    const x = setup();
    gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f(x);
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    wall = Math.min(wall, t1 - t0);
    cpu = Math.min(cpu, (c1.user + c1.system) / 1000);
  }
  return { wall, cpu };
}

const fmt = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(2).padStart(7)} ms (cpu ${t.cpu.toFixed(1).padStart(5)})`;

function heapDuring(f: () => void): number {
  // Bytes allocated by one run, as far as the heap shows without a GC in between: exact with
  // --max-semi-space-size=256 (no young generation collection then), a lower bound without.
  gc?.();
  const before = process.memoryUsage().heapUsed;
  f();
  return process.memoryUsage().heapUsed - before;
}

function main(): void {
  const ins = inputs();
  if (dumpFile || compareFile) {
    const now = dumpAll(ins);
    if (dumpFile) {
      writeFileSync(dumpFile, JSON.stringify(now));
      const n = Object.values(now).reduce((a, l) => a + l.length, 0);
      console.log(`wrote ${n} results to ${dumpFile}`);
      return;
    }
    const base = JSON.parse(readFileSync(compareFile!, 'utf8')) as Record<string, string[]>;
    let bad = 0;
    for (const [name, lines] of Object.entries(base)) {
      const cur = now[name] ?? [];
      if (cur.length !== lines.length) {
        console.error(`${name}: ${lines.length} results in the baseline, ${cur.length} now`);
        bad++;
      }
      for (let k = 0; k < Math.min(cur.length, lines.length); k++) {
        if (cur[k] === lines[k]) continue;
        let d = 0;
        while (d < lines[k].length && lines[k][d] === cur[k][d]) d++;
        console.error(`${name} #${k} differs at char ${d}:\n  baseline: …${lines[k].slice(Math.max(0, d - 150), d + 150)}\n  now:      …${cur[k].slice(Math.max(0, d - 150), d + 150)}`);
        if (++bad > 5) break;
      }
      if (bad > 5) break;
    }
    if (bad) {
      console.error('FAIL: results differ from the baseline');
      process.exit(1);
    }
    console.log(`OK: ${Object.values(base).reduce((a, l) => a + l.length, 0)} results identical to ${compareFile}`);
    return;
  }
  if (!gc) console.log('(no global.gc: run with node --expose-gc --import tsx for steadier numbers)');
  console.log(`node ${process.version}, reps=${reps}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${availableParallelism()} CPUs)`);
  for (const i of ins) {
    if (only && !only.split(',').includes(i.name)) continue;
    const bytes = i.bodies.reduce((a, b) => a + b.text.length, 0);
    const parseAll = () => {
      for (const b of i.bodies) parseShell(b.text, b.dialect);
    };
    for (let w = 0; w < warmups; w++) parseAll();
    const t = minOf(reps, parseAll, () => undefined);
    const alloc = heapDuring(parseAll);
    let line = `${i.name.padEnd(12)} ${String(i.bodies.length).padStart(4)} scripts ${(bytes / 1024).toFixed(0).padStart(4)} KB | parseShell ${fmt(t)} ${(bytes / 1e6 / (t.wall / 1000)).toFixed(1).padStart(5)} MB/s, ~${(alloc / 1e6).toFixed(1)} MB heap`;
    if (i.files.length) {
      // scriptsOf memoizes per model: each repetition gets fresh models, built outside the timing.
      const fresh = () =>
        i.files.map((f) => {
          const ast = parse(f);
          return { model: buildModel(ast), ast };
        });
      const runScripts = (models: ReturnType<typeof fresh>) => {
        for (const { model, ast } of models) for (const x of ast.instructions) scriptsOf(model, x);
      };
      for (let w = 0; w < 3; w++) runScripts(fresh());
      line += ` | scriptsOf ${fmt(minOf(reps, runScripts, fresh))}`;
    }
    console.log(line);
  }
}

main();
