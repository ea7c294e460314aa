/**
 * The rule of thumb: a Dockerfile that BuildKit builds gets no error-severity finding. Every real-world
 * fixture and a slice of the generated corpus (all accepted by BuildKit) are analysed with every rule on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { generateCorpus } from '../corpus/generate';
import { renderFindings } from '../support/findings';

const realWorld = join(__dirname, '..', 'fixtures', 'real-world');

function errorsIn(name: string, text: string): string[] {
  const a = analyze(text, { all: true });
  const errors = a.findings.filter((f) => f.severity === 'error');
  const out = errors.length ? [`${name}:\n${renderFindings(text, errors)}`] : [];
  if (a.failures.length) out.push(`${name}: rules threw: ${a.failures.map((f) => `${f.rule}: ${f.message}`).join('; ')}`);
  return out;
}

test('no error-severity finding on the real-world fixtures', () => {
  const problems = readdirSync(realWorld)
    .filter((f) => f.endsWith('.Dockerfile'))
    .flatMap((f) => errorsIn(f, readFileSync(join(realWorld, f), 'utf8')));
  assert.deepEqual(problems, []);
});

test('no error-severity finding on 400 generated real-world-style files', () => {
  const problems = generateCorpus(Number(process.env.CORPUS_SIZE ?? 400), 7).flatMap((f) => errorsIn(f.name, f.text));
  assert.deepEqual(problems, []);
});
