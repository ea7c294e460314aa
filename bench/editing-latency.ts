/**
 * Latency of the editing features as an editor sees it: the real server over stdio JSON-RPC, one request at
 * a time, at many positions of a typical Dockerfile and of a 7,000-line one. Times are client round trips.
 * Also measured: the first request after opening and the first after an edit (both include the analysis).
 * Usage: npx tsx bench/editing-latency.ts [positions=400] [--json out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspClient } from '../test/support/lsp-client';
import { generateLargeDockerfile, mulberry32 } from '../test/corpus/generate';

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

/** Positions spread over the file: after the keyword, in the middle and at the end of sampled lines. */
function positions(text: string, count: number, seed: number): Pos[] {
  const lines = text.split('\n');
  const rnd = mulberry32(seed);
  const out: Pos[] = [];
  while (out.length < count) {
    const line = Math.floor(rnd() * lines.length);
    const l = lines[line];
    if (l.trim() === '') continue;
    const kw = l.search(/\s/);
    const pick = rnd();
    const character = pick < 0.33 ? (kw === -1 ? l.length : kw + 1) : pick < 0.66 ? Math.floor(l.length / 2) : l.length;
    out.push({ line, character });
  }
  return out;
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const METHODS = ['textDocument/completion', 'textDocument/hover', 'textDocument/signatureHelp'] as const;

async function benchFile(c: LspClient, name: string, text: string, count: number) {
  const uri = `file:///bench/${name}/Dockerfile`;
  await c.open(uri, text);
  const lines = text.split('\n').length;
  const first = await time(() => c.request('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 0 } }));
  const rows: { file: string; lines: number; what: string; s: Stats }[] = [];
  const pos = positions(text, count, 7);
  // Warm the JIT on the same document before measuring.
  for (const p of pos.slice(0, 30)) for (const m of METHODS) await c.request(m, { textDocument: { uri }, position: p });
  for (const m of METHODS) {
    const times: number[] = [];
    for (const p of pos) times.push(await time(() => c.request(m, { textDocument: { uri }, position: p })));
    rows.push({ file: name, lines, what: m.replace('textDocument/', ''), s: stats(times) });
  }
  // An edit invalidates the analysis: the next request pays for one parse + model + rules.
  const edits: number[] = [];
  const lastLine = lines - 1;
  for (let i = 0; i < 15; i++) {
    await c.change(uri, [{ range: { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: 0 } }, text: i % 2 === 0 ? '#' : '' }]);
    edits.push(await time(() => c.request('textDocument/completion', { textDocument: { uri }, position: pos[i] })));
  }
  rows.push({ file: name, lines, what: 'completion after an edit', s: stats(edits) });
  await c.close(uri);
  return { rows, first };
}

async function main() {
  const count = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 400);
  const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : undefined;
  const typical = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'real-world', 'bun-hono-api.Dockerfile'), 'utf8');
  const large = generateLargeDockerfile(7000, 1);
  const c = new LspClient();
  try {
    await c.initialize();
    const a = await benchFile(c, 'typical', typical, count);
    const b = await benchFile(c, 'large', large, count);
    const rows = [...a.rows, ...b.rows];
    const header = ['file', 'lines', 'request', 'n', 'median ms', 'p95 ms', 'max ms'];
    const body = rows.map((r) => [r.file, String(r.lines), r.what, String(r.s.n), r.s.median.toFixed(2), r.s.p95.toFixed(2), r.s.max.toFixed(2)]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
    const fmt = (r: string[]) => r.map((x, i) => (i >= 3 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join('  ');
    console.log(fmt(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of body) console.log(fmt(r));
    console.log(`\nfirst request after open (includes analysis): typical ${a.first.toFixed(1)} ms, large ${b.first.toFixed(1)} ms`);
    if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ rows, first: { typical: a.first, large: b.first } }, null, 2));
  } finally {
    await c.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
