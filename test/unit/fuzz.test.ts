/**
 * Mutation fuzzing of real-world-style Dockerfiles: random deletions and insertions of the characters
 * that stress a Dockerfile parser (`\`, `$`, `{`, quotes, `<<`, NUL, lone surrogates, very long lines).
 * Every input: no exception from any rule, every finding and fix inside the text. FUZZ_RUNS sets the
 * count (CI runs a few hundred; `FUZZ_RUNS=100000 node test/run.mjs unit` is the nightly-style run and
 * prints the slowest input's time).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { analyze } from '../../server/src/core/analyze';
import { generateCorpus } from '../corpus/generate';

const dir = join(__dirname, '..', 'fixtures', 'real-world');
const seeds = [
  ...readdirSync(dir).filter((f) => f.endsWith('.Dockerfile')).map((f) => readFileSync(join(dir, f), 'utf8')),
  ...generateCorpus(30, 11).map((f) => f.text),
];
const INSERTS = ['\\', '\\\n', '$', '${', '{', '}', '"', "'", '<<', '<<EOF\n', '\nEOF\n', '\u0000', '\ud800', '\udc00', '`', '#', '\n', '\r\n', '--', '=', '[', ']', ',', ' ', '\t', 'x'.repeat(5000)];

const mutation = fc.record({
  seed: fc.nat(seeds.length - 1),
  ops: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.nat(40) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.constantFrom(...INSERTS) }),
    ),
    { minLength: 1, maxLength: 12 },
  ),
});

function apply(text: string, ops: { kind: 'delete' | 'insert'; at: number; len?: number; text?: string }[]): string {
  let t = text;
  for (const op of ops) {
    const at = Math.floor(op.at * t.length);
    t = op.kind === 'delete' ? t.slice(0, at) + t.slice(at + (op.len ?? 0)) : t.slice(0, at) + op.text + t.slice(at);
  }
  return t;
}

test('fuzz: mutated real-world files never break the analysis', () => {
  let slowest = 0;
  fc.assert(
    fc.property(mutation, ({ seed, ops }) => {
      const text = apply(seeds[seed], ops);
      const t0 = performance.now();
      const a = analyze(text, { all: true });
      slowest = Math.max(slowest, performance.now() - t0);
      assert.deepEqual(a.failures, [], `a rule threw on ${JSON.stringify(text.slice(0, 300))}`);
      for (const f of a.findings) {
        assert.ok(f.range.start >= 0 && f.range.start <= f.range.end && f.range.end <= text.length, `${f.rule} range`);
        for (const fix of f.fixes) for (const e of fix.edits) assert.ok(e.range.start >= 0 && e.range.start <= e.range.end && e.range.end <= text.length, `${f.rule} fix range`);
      }
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
  );
  if (process.env.FUZZ_RUNS) console.log(`slowest analysis: ${slowest.toFixed(1)} ms`);
});
