/**
 * Analysis time per file over a large folder of real-world-style Dockerfiles, with every rule on, and for
 * one 7,000-line file; also counts error-severity findings (there must be none: BuildKit accepts them all).
 * Usage: npx tsx bench/lint-corpus.ts [count=1200] [--json out.json]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../server/src/core/analyze';
import { RULES } from '../server/src/core/rules/index';
import { generateCorpus, generateLargeDockerfile } from '../test/corpus/generate';

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1], total: s.reduce((a, b) => a + b, 0) };
}

const count = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1200);
const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : undefined;
const realDir = join(__dirname, '..', 'test', 'fixtures', 'real-world');
const files = [
  ...readdirSync(realDir).filter((f) => f.endsWith('.Dockerfile')).map((f) => ({ name: f, text: readFileSync(join(realDir, f), 'utf8') })),
  ...generateCorpus(count, 1),
];

// Warm up the JIT as an editor session would be.
for (const f of files.slice(0, 50)) analyze(f.text, { all: true });

const times: number[] = [];
let findings = 0;
const errors: string[] = [];
let failures = 0;
for (const f of files) {
  const t0 = performance.now();
  const a = analyze(f.text, { all: true });
  times.push(performance.now() - t0);
  findings += a.findings.length;
  failures += a.failures.length;
  for (const e of a.findings.filter((x) => x.severity === 'error')) errors.push(`${f.name}: ${e.rule}: ${e.message}`);
}
const big = generateLargeDockerfile(7000, 1);
const bigTimes: number[] = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  analyze(big, { all: true });
  bigTimes.push(performance.now() - t0);
}
const per = stats(times);
const bigS = stats(bigTimes);
const lines = big.split('\n').length;
console.log(`rules: ${RULES.length}`);
console.log(`files: ${files.length}, findings: ${findings}, error-severity findings: ${errors.length}, rule failures: ${failures}`);
console.log(`per file (ms): median ${per.median.toFixed(3)}  p95 ${per.p95.toFixed(3)}  max ${per.max.toFixed(3)}  total ${per.total.toFixed(0)}`);
console.log(`${lines}-line file (ms, 10 runs): median ${bigS.median.toFixed(2)}  p95 ${bigS.p95.toFixed(2)}  max ${bigS.max.toFixed(2)}`);
if (errors.length) console.log('errors:\n' + errors.slice(0, 30).join('\n'));
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ rules: RULES.length, files: files.length, perFile: per, large: { lines, ...bigS }, errors }, null, 2));
