/**
 * Folding ranges and selection ranges over real JSON-RPC. Folds are written as tables of (first line
 * text, last line text) pairs, so no line number is counted by hand; selection chains are checked as the
 * text each level selects, from the cursor outwards.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { LspClient } from '../support/lsp-client';
import { docUri, mark, type Rng, startNav, textAt } from '../support/nav-client';

let c: LspClient;
before(async () => {
  c = await startNav();
});
after(async () => {
  await c.stop();
});

interface Fold {
  startLine: number;
  endLine: number;
  kind?: string;
}

const FOLD_SRC = [
  '# syntax=docker/dockerfile:1',
  '# Build with:',
  '#   docker build .',
  'ARG BASE=alpine',
  'FROM golang:1.22 AS build',
  'RUN apt-get update \\',
  '    && apt-get install -y git \\',
  '    && rm -rf /var/lib/apt/lists/*',
  'COPY <<EOF /etc/app.conf',
  'level=info',
  'port=80',
  'EOF',
  '# a single comment line',
  'CMD ["app"]',
  '',
  'FROM ${BASE}',
  'RUN <<EOF bash',
  'set -e',
  'echo hi',
  'EOF',
  'ENV A=1 \\',
  '    B=2',
  '',
].join('\n');

test('folding: stages, multi-line instructions, heredocs and comment blocks', async () => {
  const uri = docUri();
  await c.open(uri, FOLD_SRC);
  const lines = FOLD_SRC.split('\n');
  const folds = await c.request<Fold[]>('textDocument/foldingRange', { textDocument: { uri } });
  const shown = folds.map((f) => [lines[f.startLine], lines[f.endLine], f.kind ?? 'region']);
  assert.deepEqual(shown, [
    ['# syntax=docker/dockerfile:1', '#   docker build .', 'comment'],
    ['FROM golang:1.22 AS build', 'CMD ["app"]', 'region'],
    ['RUN apt-get update \\', '    && rm -rf /var/lib/apt/lists/*', 'region'],
    ['COPY <<EOF /etc/app.conf', 'EOF', 'region'],
    ['FROM ${BASE}', '    B=2', 'region'],
    ['RUN <<EOF bash', 'EOF', 'region'],
    ['ENV A=1 \\', '    B=2', 'region'],
  ]);
  // At most one fold starts on a line.
  assert.equal(new Set(folds.map((f) => f.startLine)).size, folds.length);
});

test('folding: CRLF files and files without folds', async () => {
  const uri = docUri();
  const text = 'FROM alpine\r\nRUN a \\\r\n  b\r\n';
  await c.open(uri, text);
  const folds = await c.request<Fold[]>('textDocument/foldingRange', { textDocument: { uri } });
  const lines = text.split('\r\n');
  assert.deepEqual(
    folds.map((f) => [lines[f.startLine], lines[f.endLine]]),
    [
      ['FROM alpine', '  b'],
      ['RUN a \\', '  b'],
    ],
  );
  const single = docUri();
  await c.open(single, 'FROM alpine\n');
  assert.deepEqual(await c.request('textDocument/foldingRange', { textDocument: { uri: single } }), []);
});

interface Sel {
  range: Rng;
  parent?: Sel;
}

function chain(text: string, s: Sel): string[] {
  const out: string[] = [];
  for (let cur: Sel | undefined = s; cur; cur = cur.parent) out.push(textAt(text, cur.range));
  return out;
}

const STAGE1 = 'FROM alpine AS base\nRUN --mount=type=cache,target=/root/.cache apk add git \\\n    && echo "${HOME}"\n';
const SELECTION_CASES: { name: string; src: string; expected: (text: string) => string[] }[] = [
  {
    name: 'a mount option value -> option -> flag -> instruction -> stage -> file',
    src: `FROM alpine AS base\nRUN --mount=type=cache,target=/root/.ca|che apk add git \\\n    && echo "\${HOME}"\n`,
    expected: (text) => [
      '/root/.cache',
      'target=/root/.cache',
      'type=cache,target=/root/.cache',
      '--mount=type=cache,target=/root/.cache',
      text.slice(text.indexOf('RUN'), text.indexOf('}"') + 2),
      text.trimEnd(),
      text,
    ],
  },
  {
    name: 'a variable in shell text -> ${...} -> shell word -> shell text -> instruction',
    src: STAGE1.replace('${HOME}', '${HO|ME}'),
    expected: (text) => {
      const run = text.slice(text.indexOf('RUN'), text.indexOf('}"') + 2);
      const shell = run.slice(run.indexOf('apk'));
      return ['HOME', '${HOME}', '"${HOME}"', shell, run, text.trimEnd(), text];
    },
  },
  {
    name: 'an ENV value -> pair -> arguments -> instruction -> stage',
    src: 'FROM alpine\nENV A=1 PATH=/opt/b|in:$PATH\nRUN true\n',
    expected: (text) => ['/opt/bin:$PATH', 'PATH=/opt/bin:$PATH', 'A=1 PATH=/opt/bin:$PATH', 'ENV A=1 PATH=/opt/bin:$PATH', text.trimEnd(), text],
  },
  {
    name: 'a JSON item -> its text -> the array -> instruction',
    src: 'FROM alpine\nCMD ["python", "-m", "ap|p"]\n',
    expected: (text) => ['app', '"app"', '["python", "-m", "app"]', 'CMD ["python", "-m", "app"]', text.trimEnd(), text],
  },
  {
    name: 'a word in a heredoc body -> line -> body -> heredoc -> instruction',
    src: 'FROM alpine\nRUN <<EOF\nset -e\necho hel|lo world\nEOF\n',
    expected: (text) => ['hello', 'echo hello world', 'set -e\necho hello world\n', '<<EOF\nset -e\necho hello world\nEOF', 'RUN <<EOF\nset -e\necho hello world\nEOF', text.trimEnd(), text],
  },
  {
    name: 'the stage name in FROM',
    src: 'FROM alpine AS bu|ild\nRUN true\n',
    expected: (text) => ['build', 'alpine AS build', 'FROM alpine AS build', text.trimEnd(), text],
  },
  {
    name: 'a comment between stages',
    src: 'FROM alpine\n# a com|ment\nFROM scratch\n',
    expected: (text) => ['# a comment', text],
  },
];

for (const tc of SELECTION_CASES) {
  test(`selection: ${tc.name}`, async () => {
    const m = mark(tc.src);
    const uri = docUri();
    await c.open(uri, m.text);
    const [sel] = await c.request<Sel[]>('textDocument/selectionRange', { textDocument: { uri }, positions: [m.cursor] });
    assert.deepEqual(chain(m.text, sel), tc.expected(m.text));
  });
}

test('selection: one answer per position, each chain strictly growing', async () => {
  const m = mark('FROM a|lpine AS base\nRUN ech|o hi\n|');
  const uri = docUri();
  await c.open(uri, m.text);
  const sels = await c.request<Sel[]>('textDocument/selectionRange', { textDocument: { uri }, positions: m.cursors });
  assert.equal(sels.length, m.cursors.length);
  for (const s of sels) {
    const texts = chain(m.text, s);
    for (let i = 1; i < texts.length; i++) assert.ok(texts[i].length > texts[i - 1].length && texts[i].includes(texts[i - 1]), texts.join(' < '));
    assert.equal(texts[texts.length - 1], m.text);
  }
});
