/**
 * Where analysis time goes, per phase and per rule, on inputs built to expose super-linear behaviour:
 *
 *   large     generateLargeDockerfile(7000): a realistic 7,000-line multi-stage file
 *   run1mb    one RUN line of 1 MB: `RUN echo x && echo x && ... true`
 *   stages    2,000 small stages (FROM <earlier stage>, COPY --from, RUN, ENV)
 *   vars      5,000 ENV/ARG declarations and many `${}` uses
 *   heredoc   a `RUN <<EOF` heredoc of 50,000 lines
 *
 * For each input: parse, model, the shell scripts (scriptsOf over every instruction: the cost the first rule to
 * read scripts pays), each rule on its own, the sum of the rules and the end-to-end analyze(text, { all: true }).
 *
 * Rules are timed with runRules(base, { rules: [rule], all: true }) on a syntax analysis whose shell scripts are
 * already parsed, so a rule's time is its own. Helpers memoised per model (runScripts, package commands...) are
 * paid by the first rule that asks in the shared mode (default: all rules run in registry order over the same
 * analyses, as in a real analysis); `--isolated` gives every rule a fresh analysis (scripts parsed, untimed) so
 * each rule also pays for the memoised helpers it uses.
 *
 * Scaling: every input at 1x, 2x and 4x (1x is a quarter of the nominal size above, 4x the nominal size); the
 * exponent k in t ~ n^k is printed (1 = linear, 2 = quadratic).
 *
 * Times are wall-clock milliseconds, the minimum over the repetitions (`--stat=median` for the median): on a busy
 * machine the minimum is the best estimate of the code's own cost. A full GC runs before each timed call, so a
 * measurement does not pay for the garbage of the one before. `--cpu` measures the process's CPU time instead (the
 * load average is printed; with it above the number of CPUs, every number is inflated).
 *
 * Usage: npx tsx bench/rules-profile.ts [--input=large,run1mb,...] [--top=10] [--reps=5] [--isolated] [--cpu]
 *                                       [--stat=min|median] [--no-scaling] [--scale-only] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyze, analyzeSyntax, runRules, type Analysis } from '../server/src/core/analyze';
import { RULES } from '../server/src/core/rules/index';
import type { Rule } from '../server/src/core/rules/types';
import { buildModel } from '../server/src/core/semantic/model';
import { scriptsOf } from '../server/src/core/shell/index';
import { parse } from '../server/src/core/syntax/parser';
import { generateCorpus, generateLargeDockerfile } from '../test/corpus/generate';

// ------------------------------------------------------------------------------------------ inputs

interface Input {
  readonly name: string;
  readonly description: string;
  /** The input at `scale` times its nominal size. */
  make(scale: number): string;
}

const INPUTS: readonly Input[] = [
  {
    name: 'large',
    description: 'generateLargeDockerfile(7000)',
    make: (s) => generateLargeDockerfile(Math.round(7000 * s)),
  },
  {
    name: 'run1mb',
    description: "one 1 MB RUN line ('echo x && ' x 100,000)",
    make: (s) => 'FROM alpine:3.20\nRUN ' + 'echo x && '.repeat(Math.round(100_000 * s)) + 'true\n',
  },
  {
    name: 'stages',
    description: '2,000 stages',
    make: (s) => manyStages(Math.round(2000 * s)),
  },
  {
    name: 'vars',
    description: '5,000 ENV/ARG and many ${} uses',
    make: (s) => manyVars(Math.round(5000 * s)),
  },
  {
    name: 'heredoc',
    description: 'RUN heredoc of 50,000 lines',
    make: (s) => bigHeredoc(Math.round(50_000 * s)),
  },
];

function manyStages(n: number): string {
  const out = ['# syntax=docker/dockerfile:1', 'ARG BASE=debian:bookworm-slim', 'ARG VERSION=1.0'];
  for (let i = 0; i < n; i++) {
    const base = i === 0 || i % 3 === 0 ? (i % 2 === 0 ? '${BASE}' : 'alpine:3.20') : `s${i - 1}`;
    out.push(`FROM ${base} AS s${i}`);
    out.push(`ARG VERSION`);
    out.push(`ENV S${i}_HOME=/opt/s${i} PATH=/opt/s${i}/bin:$PATH`);
    out.push(`WORKDIR /work/s${i}`);
    if (i > 0) out.push(`COPY --from=s${Math.floor(i / 2)} /out/ /in/${i}/`);
    if (i > 1 && i % 5 === 0) out.push(`RUN --mount=type=bind,from=s${i - 2},target=/mnt cp -r /mnt/out /out`);
    out.push(i % 2 === 0 ? `RUN apt-get update && apt-get install -y curl=7.88 && rm -rf /var/lib/apt/lists/*` : `RUN apk add --no-cache curl && make -C /src/s${i} VERSION=$VERSION`);
    if (i % 7 === 0) out.push(`LABEL org.opencontainers.image.version="\${VERSION}" com.example.stage="s${i}"`);
    if (i % 11 === 0) out.push(`USER 1000`);
  }
  out.push('FROM scratch AS final', `COPY --from=s${n - 1} /out/ /`, 'ENTRYPOINT ["/app"]');
  return out.join('\n') + '\n';
}

function manyVars(n: number): string {
  const out = ['ARG BASE=debian:bookworm-slim', 'FROM ${BASE} AS build'];
  for (let i = 0; i < n; i++) {
    const prev = i > 0 ? `V${i - 1}` : 'HOME';
    const far = `V${Math.floor(i / 2)}`;
    if (i % 2 === 0) out.push(`ENV V${i}="\${${prev}}/x" W${i}=\${${far}:-/opt}`);
    else out.push(`ARG V${i}=\${${prev}}/y`);
    if (i % 5 === 0) out.push(`RUN echo "\${V${i}}" "$${prev}" > /tmp/v${i} && test -n "\${${far}:+set}"`);
    if (i % 10 === 0) out.push(`WORKDIR \${V${i}}/w`, `COPY src/\${${prev}} \${V${i}}/dst/`);
  }
  out.push('CMD ["/bin/sh"]');
  return out.join('\n') + '\n';
}

function bigHeredoc(n: number): string {
  const body: string[] = ['set -eux'];
  const cmds = ['echo "line $i"', 'apt-get install -y curl', 'if [ -f /etc/os-release ]; then cat /etc/os-release; fi', 'export PATH="/opt/bin:$PATH"', 'cp -r /src/a /dst/b', 'curl -fsSL https://example.com/x | tar -xz -C /opt'];
  for (let i = 1; i < n - 1; i++) body.push(cmds[i % cmds.length]);
  return 'FROM debian:bookworm-slim\nRUN <<EOF\n' + body.join('\n') + '\nEOF\n';
}

// ------------------------------------------------------------------------------------------ timing

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const flag = (name: string): boolean => args.includes(`--${name}`);
const wantedInputs = opt('input')?.split(',');
const TOP = Number(opt('top') ?? 10);
const REPS = Number(opt('reps') ?? 5);
const isolated = flag('isolated');
const scaling = !flag('no-scaling');
const detail = !flag('scale-only');
const jsonIdx = args.indexOf('--json');
const jsonOut = jsonIdx >= 0 ? args[jsonIdx + 1] : opt('json');

// A full GC between measurements keeps one input's garbage from being collected during the next measurement.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const cpuClock = flag('cpu');

function now(): number {
  if (cpuClock) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  return performance.now();
}

const useMedian = opt('stat') === 'median';

/** The statistic reported for repeated measurements: the minimum (default) or the median. */
function stat(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  if (!useMedian) return Math.min(...xs);
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/** Median time of `fn` (with `setup` run untimed before each call); fewer repetitions for slow calls. */
function timeIt<T>(setup: () => T, fn: (x: T) => void, reps = REPS): number {
  const times: number[] = [];
  let spent = 0;
  for (let r = 0; r < reps; r++) {
    const x = setup();
    gc();
    const t0 = now();
    fn(x);
    const t = now() - t0;
    times.push(t);
    spent += t;
    if (spent > 3000 && times.length >= 1) break;
  }
  return stat(times);
}

function primeScripts(a: Analysis): void {
  for (const ins of a.ast.instructions) scriptsOf(a.model, ins);
}

function freshBase(text: string): Analysis {
  const a = analyzeSyntax(text);
  primeScripts(a);
  return a;
}

function runOne(base: Analysis, rule: Rule): void {
  runRules(base, { rules: [rule], all: true });
}

interface PhaseTimes {
  parse: number;
  model: number;
  scripts: number;
  rulesSum: number;
  analyze: number;
  rules: Map<string, number>;
}

/** Every phase and rule on one text. */
function profile(text: string, perRule: boolean, reps = REPS): PhaseTimes {
  // Warm the JIT on this input too: the first analyses of a large input also compile and re-optimise code.
  analyze(text, { all: true });
  const parseT = timeIt(() => undefined, () => void parse(text), reps);
  const ast = parse(text);
  const modelT = timeIt(() => undefined, () => void buildModel(ast), reps);
  const scriptsT = timeIt(
    () => analyzeSyntax(text),
    (a) => primeScripts(a),
    reps,
  );
  const rules = new Map<string, number>();
  if (perRule) {
    if (isolated) {
      for (const rule of RULES) rules.set(rule.meta.id, timeIt(() => freshBase(text), (b) => runOne(b, rule), reps));
    } else {
      // Shared: `reps` analyses, one at a time (a real analysis holds one); each rule runs once on each, in registry order.
      const times = new Map<string, number[]>(RULES.map((r) => [r.meta.id, []]));
      for (let r = 0; r < reps; r++) {
        let base: Analysis | undefined = freshBase(text);
        gc();
        for (const rule of RULES) {
          gc();
          const t0 = now();
          runOne(base, rule);
          times.get(rule.meta.id)!.push(now() - t0);
        }
        base = undefined;
        gc();
        // One pass is enough for very slow inputs.
        if ([...times.values()].reduce((s, ts) => s + ts[ts.length - 1], 0) > 5000) break;
      }
      for (const [id, ts] of times) rules.set(id, stat(ts));
    }
  }
  gc();
  const analyzeT = timeIt(() => undefined, () => void analyze(text, { all: true }), reps);
  let rulesSum = 0;
  for (const t of rules.values()) rulesSum += t;
  return { parse: parseT, model: modelT, scripts: scriptsT, rulesSum, analyze: analyzeT, rules };
}

function ms(t: number): string {
  if (!Number.isFinite(t)) return '-';
  return t >= 100 ? t.toFixed(0) : t >= 10 ? t.toFixed(1) : t.toFixed(2);
}

function table(header: string[], rows: string[][], rightFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((x, i) => (i >= rightFrom ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

function exponent(t1: number, t4: number): string {
  // Below ~0.2 ms the ratio is mostly timer noise.
  if (!(t1 > 0) || !(t4 > 0) || t4 < 0.2) return '-';
  return (Math.log(t4 / t1) / Math.log(4)).toFixed(2);
}

// ------------------------------------------------------------------------------------------ main

function warmUp(): void {
  // JIT warm-up on ordinary files and on small versions of every input, every rule included.
  for (const f of generateCorpus(60, 7)) analyze(f.text, { all: true });
  for (const input of INPUTS) {
    const small = input.make(0.02);
    for (let i = 0; i < 3; i++) {
      const b = freshBase(small);
      for (const rule of RULES) runOne(b, rule);
      analyze(small, { all: true });
    }
  }
}

function main(): void {
  const inputs = INPUTS.filter((i) => !wantedInputs || wantedInputs.includes(i.name));
  console.log(`rules: ${RULES.length}, reps: ${REPS}, mode: ${isolated ? 'isolated (fresh analysis per rule)' : 'shared (registry order, memoised helpers paid by the first user)'}`);
  console.log(`clock: ${cpuClock ? 'process CPU time' : 'wall'}, ${useMedian ? 'median' : 'minimum'} of the repetitions; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs`);
  const t0 = now();
  warmUp();
  console.log(`warm-up: ${ms(now() - t0)} ms\n`);
  const json: Record<string, unknown> = {};

  if (detail) {
    for (const input of inputs) {
      gc();
      const text = input.make(1);
      const lines = text.split('\n').length - 1;
      const p = profile(text, true);
      const sorted = [...p.rules].sort((a, b) => b[1] - a[1]);
      console.log(`== ${input.name}: ${input.description} (${lines} lines, ${(text.length / 1024).toFixed(0)} KB)`);
      console.log(
        `parse ${ms(p.parse)} ms | model ${ms(p.model)} ms | shell scripts ${ms(p.scripts)} ms | rules (sum) ${ms(p.rulesSum)} ms | analyze(all) ${ms(p.analyze)} ms`,
      );
      console.log(table(['rule', 'ms', '% of rules'], sorted.slice(0, TOP).map(([id, t]) => [id, ms(t), p.rulesSum > 0 ? ((100 * t) / p.rulesSum).toFixed(1) : '-'])));
      console.log('');
      json[input.name] = { lines, bytes: text.length, parse: p.parse, model: p.model, scripts: p.scripts, rulesSum: p.rulesSum, analyze: p.analyze, rules: Object.fromEntries(sorted) };
    }
  }

  if (scaling) {
    const factors = [0.25, 0.5, 1];
    console.log('== scaling: 1x, 2x, 4x (4x = the nominal size); k = exponent of t ~ n^k between 1x and 4x');
    const scaleJson: Record<string, unknown> = {};
    for (const input of inputs) {
      gc();
      const runs = factors.map((f) => profile(input.make(f), true, 3));
      const phases: [string, (p: PhaseTimes) => number][] = [
        ['parse', (p) => p.parse],
        ['model', (p) => p.model],
        ['shell scripts', (p) => p.scripts],
        ['rules (sum)', (p) => p.rulesSum],
        ['analyze(all)', (p) => p.analyze],
      ];
      const rows = phases.map(([name, get]) => [name, ...runs.map((r) => ms(get(r))), exponent(get(runs[0]), get(runs[2]))]);
      // The rules that grow fastest (among those that take measurable time at 4x).
      const byGrowth = [...runs[2].rules]
        .filter(([, t]) => t >= 0.5)
        .map(([id, t]) => ({ id, t1: runs[0].rules.get(id) ?? NaN, t2: runs[1].rules.get(id) ?? NaN, t4: t }))
        .sort((a, b) => b.t4 - a.t4)
        .slice(0, TOP);
      for (const r of byGrowth) rows.push([`  ${r.id}`, ms(r.t1), ms(r.t2), ms(r.t4), exponent(r.t1, r.t4)]);
      console.log(`-- ${input.name}`);
      console.log(table(['phase / rule', '1x ms', '2x ms', '4x ms', 'k'], rows));
      console.log('');
      scaleJson[input.name] = Object.fromEntries(rows.map((r) => [r[0].trim(), r.slice(1)]));
    }
    json.scaling = scaleJson;
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(json, null, 2));
}

main();
