/**
 * Semantic tokens over real JSON-RPC: the legend, what each construct is coloured as (tables of token
 * text -> type.modifiers, decoded from the relative encoding), the invariants editors rely on (sorted,
 * non-overlapping, one line each) over fixtures, a generated corpus and a 7,000-line file, range requests
 * and full/delta.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES_OFF, docUri, type NavClient, startNav } from '../support/nav-client';
import { generateCorpus, generateLargeDockerfile } from '../corpus/generate';

let c: NavClient;
let legend: { tokenTypes: string[]; tokenModifiers: string[] };
before(async () => {
  c = await startNav({ settings: { rules: ALL_RULES_OFF } });
  legend = (c.capabilities.semanticTokensProvider as { legend: typeof legend }).legend;
});
after(async () => {
  await c.stop();
});

interface Decoded {
  line: number;
  char: number;
  length: number;
  type: string;
  mods: string[];
}

function decode(data: number[]): Decoded[] {
  const out: Decoded[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    out.push({
      line,
      char,
      length: data[i + 2],
      type: legend.tokenTypes[data[i + 3]],
      mods: legend.tokenModifiers.filter((_, k) => (data[i + 4] & (1 << k)) !== 0),
    });
  }
  return out;
}

function show(text: string, tokens: Decoded[]): string[] {
  const lines = text.split(/\r?\n/);
  return tokens.map((t) => `${lines[t.line].slice(t.char, t.char + t.length)} ${[t.type, ...t.mods].join('.')}`);
}

async function tokensOf(text: string): Promise<{ uri: string; data: number[]; resultId?: string }> {
  const uri = docUri();
  await c.open(uri, text);
  const r = await c.request<{ data: number[]; resultId?: string }>('textDocument/semanticTokens/full', { textDocument: { uri } });
  return { uri, ...r };
}

test('the legend is announced with full/delta and range support', () => {
  const provider = c.capabilities.semanticTokensProvider as { legend: typeof legend; full: { delta: boolean }; range: boolean };
  assert.deepEqual(provider.full, { delta: true });
  assert.equal(provider.range, true);
  for (const t of ['keyword', 'property', 'parameter', 'variable', 'class', 'type', 'string', 'comment', 'macro', 'operator', 'number']) assert.ok(legend.tokenTypes.includes(t), t);
  for (const m of ['declaration', 'readonly', 'defaultLibrary', 'deprecated']) assert.ok(legend.tokenModifiers.includes(m), m);
});

const CASES: { name: string; text: string; expected: string[] }[] = [
  {
    name: 'directive, comment, FROM with platform, image and stage name',
    text: '# syntax=docker/dockerfile:1\n# hello\nFROM --platform=$BUILDPLATFORM golang:1.22 AS build\n',
    expected: [
      '# comment',
      'syntax macro',
      'docker/dockerfile:1 string',
      '# hello comment',
      'FROM keyword',
      '--platform property',
      '$ parameter',
      'BUILDPLATFORM variable.readonly.defaultLibrary',
      'golang:1.22 type',
      'AS keyword',
      'build class.declaration',
    ],
  },
  {
    name: 'ARG vs ENV declarations and their references',
    text: 'ARG BASE=alpine\nFROM $BASE\nARG TARGETARCH\nENV ARCH=$TARGETARCH HOME_DIR="/home/app"\nRUN echo $ARCH $UNDECLARED\n',
    expected: [
      'ARG keyword',
      'BASE variable.declaration.readonly',
      'alpine string',
      'FROM keyword',
      '$ type',
      'BASE variable.readonly',
      'ARG keyword',
      'TARGETARCH variable.declaration.readonly.defaultLibrary',
      'ENV keyword',
      'ARCH variable.declaration',
      '$ string',
      'TARGETARCH variable.readonly.defaultLibrary',
      'HOME_DIR variable.declaration',
      '"/home/app" string',
      'RUN keyword',
      'ARCH variable',
      'UNDECLARED variable',
    ],
  },
  {
    name: 'stage references in FROM, COPY --from and mount from, JSON punctuation',
    text: 'FROM alpine AS base\nFROM base\nCOPY --from=base --chown=1:1 /a /b\nRUN --mount=type=cache,from=base,target=/c true\nCMD ["a", "b"]\n',
    expected: [
      'FROM keyword',
      'alpine type',
      'AS keyword',
      'base class.declaration',
      'FROM keyword',
      'base class',
      'COPY keyword',
      '--from property',
      'base class',
      '--chown property',
      '1:1 parameter',
      'RUN keyword',
      '--mount property',
      'type property',
      'cache parameter',
      'from property',
      'base class',
      'target property',
      '/c parameter',
      'CMD keyword',
      '[ operator',
      '"a" string',
      ', operator',
      '"b" string',
      '] operator',
    ],
  },
  {
    name: 'heredocs: markers, COPY body as string, RUN body left to the grammar except variables',
    text: 'FROM alpine\nENV N=1\nCOPY <<EOF /etc/x\nn=$N\nEOF\nRUN <<-END\n\techo $N\n\tEND\n',
    expected: [
      'FROM keyword',
      'alpine type',
      'ENV keyword',
      'N variable.declaration',
      '1 string',
      'COPY keyword',
      '<<EOF macro',
      'n=$ string',
      'N variable',
      'EOF macro',
      'RUN keyword',
      '<<-END macro',
      'N variable',
      'END macro',
    ],
  },
  {
    name: 'multi-line values are split per line without the escape; comments inside instructions stay comments',
    text: 'FROM alpine\nLABEL a="x \\\n  y" \\\n  # inside\n  b=2\nEXPOSE 80 \\\n  443/tcp\nMAINTAINER me\nHEALTHCHECK --interval=5s CMD true\nONBUILD RUN make\n',
    expected: [
      'FROM keyword',
      'alpine type',
      'LABEL keyword',
      'a property',
      '"x string',
      'y" string',
      '# inside comment',
      'b property',
      '2 string',
      'EXPOSE keyword',
      '80 number',
      '443/tcp number',
      'MAINTAINER keyword.deprecated',
      'HEALTHCHECK keyword',
      '--interval property',
      '5s parameter',
      'CMD keyword',
      'ONBUILD keyword',
      'RUN keyword',
    ],
  },
];

for (const tc of CASES) {
  test(`tokens: ${tc.name}`, async () => {
    const { data } = await tokensOf(tc.text);
    assert.deepEqual(show(tc.text, decode(data)), tc.expected);
  });
}

function checkInvariants(name: string, text: string, data: number[]): void {
  assert.equal(data.length % 5, 0);
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let prevLine = -1;
  let prevEnd = 0;
  for (const t of decode(data)) {
    assert.ok(t.length > 0, `${name}: empty token at ${t.line}:${t.char}`);
    assert.ok(t.type !== undefined, `${name}: type in legend`);
    assert.ok(t.line < lines.length && t.char + t.length <= lines[t.line].length, `${name}: token ${t.line}:${t.char}+${t.length} inside its line`);
    if (t.line === prevLine) assert.ok(t.char >= prevEnd, `${name}: sorted, non-overlapping at ${t.line}:${t.char}`);
    else assert.ok(t.line > prevLine, `${name}: sorted lines`);
    prevLine = t.line;
    prevEnd = t.char + t.length;
  }
}

function fixtureFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) fixtureFiles(p, out);
    else if (n.endsWith('.Dockerfile')) out.push(p);
  }
  return out;
}

test('invariants: sorted, non-overlapping, single-line tokens for every fixture and a generated corpus', async () => {
  const inputs: [string, string][] = fixtureFiles(join(__dirname, '..', 'fixtures')).map((f) => [f, readFileSync(f, 'utf8')]);
  for (const f of generateCorpus(120)) inputs.push([f.name, f.text]);
  for (const [name, text] of inputs) {
    const { uri, data } = await tokensOf(text);
    checkInvariants(name, text, data);
    await c.close(uri);
  }
});

test('a 7,000-line file: invariants hold, and a range request returns the tokens of that range', async () => {
  const text = generateLargeDockerfile(7000);
  const { uri, data } = await tokensOf(text);
  checkInvariants('large', text, data);
  const all = decode(data);
  assert.ok(all.length > 5000, `tokens: ${all.length}`);
  const range = { start: { line: 3000, character: 0 }, end: { line: 3100, character: 0 } };
  const r = await c.request<{ data: number[] }>('textDocument/semanticTokens/range', { textDocument: { uri }, range });
  const part = decode(r.data);
  const expected = all.filter((t) => t.line >= 3000 && t.line < 3100);
  assert.deepEqual(part, expected);
});

test('full/delta: applying the delta to the previous tokens gives the new full tokens', async () => {
  const text = 'ARG V=1\nFROM alpine:$V AS base\nENV A=1\nRUN echo $A\n';
  const first = await tokensOf(text);
  assert.ok(first.resultId);
  // Insert a line in the middle.
  await c.change(first.uri, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'LABEL x=y\n' }]);
  const delta = await c.request<{ resultId: string; edits?: { start: number; deleteCount: number; data?: number[] }[]; data?: number[] }>('textDocument/semanticTokens/full/delta', {
    textDocument: { uri: first.uri },
    previousResultId: first.resultId,
  });
  assert.ok(delta.edits, 'an edit list, not full data');
  const data = [...first.data];
  for (const e of [...delta.edits].sort((a, b) => b.start - a.start)) data.splice(e.start, e.deleteCount, ...(e.data ?? []));
  const full = await c.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: first.uri } });
  assert.deepEqual(data, full.data);
  assert.ok(delta.edits.reduce((n, e) => n + (e.data?.length ?? 0), 0) < full.data.length, 'the delta is smaller than the full result');
  // An unknown previous result gets full data.
  const stale = await c.request<{ data?: number[] }>('textDocument/semanticTokens/full/delta', { textDocument: { uri: first.uri }, previousResultId: 'nope' });
  assert.deepEqual(stale.data, full.data);
});
