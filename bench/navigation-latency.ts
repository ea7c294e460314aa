/**
 * Latency of the navigation and structure features as an editor sees it: the real server over stdio
 * JSON-RPC, one request at a time, on a typical Dockerfile and on a 7,000-line one.
 *
 * Each round edits the document (so no per-version cache can answer), waits until the new version is
 * analysed (its diagnostics are published), then times each request: the numbers are the feature's own
 * cost plus the round trip, not the analysis. The analysis itself (edit -> diagnostics) is reported too.
 * Usage: npx tsx bench/navigation-latency.ts [rounds=25]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateLargeDockerfile } from '../test/corpus/generate';
import { startNav } from '../test/support/nav-client';

interface Stats {
  n: number;
  median: number;
  p95: number;
  max: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

type Pos = { line: number; character: number };

/** The position of the first occurrence of `needle` (plus `delta` characters). */
function find(text: string, needle: string, delta = 0): Pos {
  const i = text.indexOf(needle);
  if (i === -1) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, i + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

interface Subject {
  name: string;
  text: string;
  /** A variable to find references of and rename: the position of its declaration. */
  symbol: Pos;
}

async function run(subject: Subject, rounds: number): Promise<Map<string, number[]>> {
  const c = await startNav();
  const times = new Map<string, number[]>();
  const time = async (name: string, f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    const dt = performance.now() - t0;
    if (!times.has(name)) times.set(name, []);
    times.get(name)!.push(dt);
  };
  try {
    const uri = `file:///tmp/dockwright-bench/${subject.name}/Dockerfile`;
    const textDocument = { uri };
    await c.open(uri, subject.text);
    await c.waitForDiagnostics(uri, () => true, 120_000);
    const lines = subject.text.split('\n');
    const lastLine = lines.length - 1;
    let resultId: string | undefined;
    for (let round = 0; round <= rounds; round++) {
      // Append (or change) a trailing comment: a new version, nothing else moves.
      const t0 = performance.now();
      const version = await c.change(uri, [{ range: { start: { line: lastLine, character: 0 }, end: { line: lastLine + 1, character: 0 } }, text: `# round ${round}\n` }]);
      await c.waitForDiagnostics(uri, (_d, v) => v === version, 120_000);
      const analysed = performance.now() - t0;
      if (round === 0) continue; // warm-up
      times.set('analysis (edit -> diagnostics)', [...(times.get('analysis (edit -> diagnostics)') ?? []), analysed]);
      await time('semanticTokens/full', async () => {
        resultId = (await c.request<{ resultId?: string }>('textDocument/semanticTokens/full', { textDocument })).resultId;
      });
      await time('semanticTokens/range (100 lines)', () =>
        c.request('textDocument/semanticTokens/range', { textDocument, range: { start: { line: Math.floor(lastLine / 2), character: 0 }, end: { line: Math.floor(lastLine / 2) + 100, character: 0 } } }),
      );
      await time('documentSymbol', () => c.request('textDocument/documentSymbol', { textDocument }));
      await time('foldingRange', () => c.request('textDocument/foldingRange', { textDocument }));
      await time('formatting', () => c.request('textDocument/formatting', { textDocument, options: { tabSize: 4, insertSpaces: true } }));
      await time('references', () => c.request('textDocument/references', { textDocument, position: subject.symbol, context: { includeDeclaration: true } }));
      await time('documentHighlight', () => c.request('textDocument/documentHighlight', { textDocument, position: subject.symbol }));
      await time('prepareRename + rename', async () => {
        await c.request('textDocument/prepareRename', { textDocument, position: subject.symbol });
        await c.request('textDocument/rename', { textDocument, position: subject.symbol, newName: 'RENAMED_BY_BENCH' });
      });
      await time('selectionRange', () => c.request('textDocument/selectionRange', { textDocument, positions: [subject.symbol] }));
      // A delta against the previous round's tokens after one more edit.
      const v2 = await c.change(uri, [{ range: { start: { line: lastLine, character: 0 }, end: { line: lastLine + 1, character: 0 } }, text: `# round ${round}b\n` }]);
      await c.waitForDiagnostics(uri, (_d, v) => v === v2, 120_000);
      await time('semanticTokens/full/delta', () => c.request('textDocument/semanticTokens/full/delta', { textDocument, previousResultId: resultId }));
    }
  } finally {
    await c.stop();
  }
  return times;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 25);
  const typicalText = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'real-world', 'go-distroless-crossbuild.Dockerfile'), 'utf8');
  const largeText = generateLargeDockerfile(7000);
  const subjects: Subject[] = [
    { name: 'typical', text: typicalText, symbol: find(typicalText, 'ARG GO_VERSION', 4) },
    { name: 'large-7000', text: largeText, symbol: find(largeText, 'ARG DEBIAN_IMAGE', 4) },
  ];
  for (const s of subjects) {
    const lines = s.text.split('\n').length;
    const times = await run(s, s.name === 'typical' ? rounds : Math.max(5, Math.floor(rounds / 2)));
    console.log(`\n${s.name}: ${lines} lines, ${(s.text.length / 1024).toFixed(0)} KB`);
    console.log(`${'request'.padEnd(36)} ${'n'.padStart(4)} ${'median'.padStart(9)} ${'p95'.padStart(9)} ${'max'.padStart(9)}`);
    for (const [name, xs] of times) {
      const st = stats(xs);
      console.log(`${name.padEnd(36)} ${String(st.n).padStart(4)} ${st.median.toFixed(1).padStart(7)}ms ${st.p95.toFixed(1).padStart(7)}ms ${st.max.toFixed(1).padStart(7)}ms`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
