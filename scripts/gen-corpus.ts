/**
 * Writes a corpus of Dockerfiles for tests and benchmarks:
 *
 *   npx tsx scripts/gen-corpus.ts <outDir> [count=1200] [seed=1]
 *
 * The generated files (0001-node-npm-multistage.Dockerfile, ...) come from test/corpus/generate.ts;
 * the hand-written test/fixtures/real-world/*.Dockerfile are copied next to them.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateCorpus } from '../test/corpus/generate';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: npx tsx scripts/gen-corpus.ts <outDir> [count=1200] [seed=1]');
  process.exit(2);
}

function intArg(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) usage(`${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

const [outArg, countArg, seedArg, ...rest] = process.argv.slice(2);
if (!outArg || outArg === '-h' || outArg === '--help' || rest.length > 0) usage();
const outDir = resolve(outArg);
const count = intArg(countArg, 'count', 1200);
const seed = intArg(seedArg, 'seed', 1);

const root = resolve(__dirname, '..');
const fixtures = join(root, 'test', 'fixtures', 'real-world');

mkdirSync(outDir, { recursive: true });
const files = generateCorpus(count, seed);
for (const f of files) writeFileSync(join(outDir, f.name), f.text);

let copied = 0;
for (const name of readdirSync(fixtures).sort()) {
  if (!name.endsWith('.Dockerfile')) continue;
  copyFileSync(join(fixtures, name), join(outDir, name));
  copied++;
}
console.log(`wrote ${files.length} generated and ${copied} real-world Dockerfiles to ${outDir}`);
