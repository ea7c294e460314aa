/**
 * Document symbols (the outline) and workspace symbols over real JSON-RPC: hierarchy, names, kinds, ranges
 * that contain their selection ranges, the flat fallback for older clients, and workspace search across
 * files on disk (lazy, cached by mtime, honouring the query and workspace trust).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LspClient } from '../support/lsp-client';
import { docUri, mark, type Rng, startNav, textAt } from '../support/nav-client';

const clients: LspClient[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(opts: Parameters<typeof startNav>[0] = {}): Promise<LspClient> {
  const c = await startNav(opts);
  clients.push(c);
  return c;
}

interface DocSymbol {
  name: string;
  detail?: string;
  kind: number;
  range: Rng;
  selectionRange: Rng;
  children?: DocSymbol[];
}

const SymbolKind = { File: 1, Module: 2, Package: 4, Field: 8, Function: 12, Variable: 13, Constant: 14, Key: 20, Event: 24 } as const;

const contains = (outer: Rng, inner: Rng) =>
  (outer.start.line < inner.start.line || (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
  (outer.end.line > inner.end.line || (outer.end.line === inner.end.line && outer.end.character >= inner.end.character));

function outline(symbols: DocSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => [`${'  '.repeat(depth)}${s.name} [${s.kind}]`, ...outline(s.children ?? [], depth + 1)]);
}

const SAMPLE = [
  '# syntax=docker/dockerfile:1',
  'ARG «PYTHON»=3.12',
  'ARG «BASE»',
  'FROM python:${PYTHON}-slim AS «build»',
  'ENV «PIP_NO_CACHE_DIR»=1 «PYTHONDONTWRITEBYTECODE»=1',
  'RUN --mount=type=cache,target=/root/.cache \\',
  '    pip install -r requirements.txt',
  'COPY . /src',
  '',
  'FROM python:${PYTHON}-slim',
  'ARG «VERSION»',
  'COPY --from=build /src /app',
  'WORKDIR /app',
  'EXPOSE 8000',
  'LABEL org.opencontainers.image.title=app',
  'ONBUILD RUN echo child',
  'CMD ["python", "-m", "app"]',
  '',
].join('\n');

test('document symbols: global ARGs, then stages with their instructions; ENV/ARG pairs as variables', async () => {
  const c = await start();
  const m = mark(SAMPLE);
  const uri = docUri();
  await c.open(uri, m.text);
  const symbols = await c.request<DocSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(outline(symbols), [
    `PYTHON [${SymbolKind.Variable}]`,
    `BASE [${SymbolKind.Variable}]`,
    `FROM python:\${PYTHON}-slim AS build [${SymbolKind.Module}]`,
    `  PIP_NO_CACHE_DIR [${SymbolKind.Variable}]`,
    `  PYTHONDONTWRITEBYTECODE [${SymbolKind.Variable}]`,
    `  RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt [${SymbolKind.Function}]`,
    `  COPY . /src [${SymbolKind.File}]`,
    `FROM python:\${PYTHON}-slim [${SymbolKind.Module}]`,
    `  VERSION [${SymbolKind.Variable}]`,
    `  COPY --from=build /src /app [${SymbolKind.File}]`,
    `  WORKDIR /app [${SymbolKind.Package}]`,
    `  EXPOSE 8000 [${SymbolKind.Constant}]`,
    `  LABEL org.opencontainers.image.title=app [${SymbolKind.Key}]`,
    `  ONBUILD RUN echo child [${SymbolKind.Event}]`,
    `  CMD ["python", "-m", "app"] [${SymbolKind.Function}]`,
  ]);
  // The names' selection ranges are exactly the marked names.
  const all: DocSymbol[] = [];
  const walk = (ss: DocSymbol[]) => ss.forEach((s) => (all.push(s), walk(s.children ?? [])));
  walk(symbols);
  for (const w of m.writes) {
    const name = textAt(m.text, w);
    const s = all.find((x) => x.name === name || x.name.endsWith(`AS ${name}`));
    assert.ok(s, `symbol for ${name}`);
    assert.deepEqual(s.selectionRange, w, name);
  }
  for (const s of all) {
    assert.ok(s.name.length > 0);
    assert.ok(contains(s.range, s.selectionRange), `${s.name}: selection inside range`);
    for (const ch of s.children ?? []) assert.ok(contains(s.range, ch.range), `${ch.name} inside ${s.name}`);
  }
  const stage = symbols.find((s) => s.name.endsWith('AS build'))!;
  assert.match(stage.detail ?? '', /stage 0/);
  const env = stage.children!.find((s) => s.name === 'PIP_NO_CACHE_DIR')!;
  assert.equal(env.detail, 'ENV = 1');
});

test('document symbols: a flat list with container names for clients without hierarchy support', async () => {
  const c = await start({ without: ['documentSymbol'] });
  const uri = docUri();
  await c.open(uri, 'ARG V=1\nFROM alpine AS base\nENV A=1\nRUN true\n');
  const symbols = await c.request<{ name: string; kind: number; containerName?: string; location: { uri: string } }[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(
    symbols.map((s) => [s.name, s.containerName ?? null]),
    [
      ['V', null],
      ['FROM alpine AS base', null],
      ['A', 'FROM alpine AS base'],
      ['RUN true', 'FROM alpine AS base'],
    ],
  );
  assert.ok(symbols.every((s) => s.location.uri === uri));
});

test('document symbols: broken and empty files still give an outline without empty names', async () => {
  const c = await start();
  for (const text of ['', '\n\n', 'FROM\n', 'RUNN x\nFROM alpine AS\nENV\nARG\nLABEL\nONBUILD\n', '# only a comment\n', 'FROM a\nRUN <<EOF\nunterminated']) {
    const uri = docUri();
    await c.open(uri, text);
    const symbols = await c.request<DocSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const names = outline(symbols);
    assert.ok(names.every((n) => !/^\s*\[/.test(n)), `no empty names in ${JSON.stringify(text)}: ${names.join(' | ')}`);
  }
});

interface WsSymbol {
  name: string;
  kind: number;
  containerName?: string;
  location: { uri: string; range: Rng };
}

const ROOT_DOCKERFILE = mark('ARG NODE_VERSION=20\nFROM node:${NODE_VERSION} AS deps\nARG «NPM_TOKEN»\nFROM deps AS runtime\n');

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dw-ws-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'services', 'api'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), ROOT_DOCKERFILE.text);
  writeFileSync(join(dir, 'services', 'api', 'api.Dockerfile'), 'FROM golang:1.22 AS api-build\nARG GOFLAGS\nFROM scratch\n');
  writeFileSync(join(dir, 'services', 'README.md'), 'FROM nothing AS notadockerfile\n');
  writeFileSync(join(dir, 'node_modules', 'dep', 'Dockerfile'), 'FROM alpine AS ignored-dependency\n');
  return dir;
}

const names = (s: WsSymbol[]) => s.map((x) => x.name).sort();

test('workspace symbols: stages and ARGs of every Dockerfile in the folders, by query', async () => {
  const dir = workspace();
  const c = await start({ folders: [dir] });
  const all = await c.request<WsSymbol[]>('workspace/symbol', { query: '' });
  assert.deepEqual(names(all), ['GOFLAGS', 'NODE_VERSION', 'NPM_TOKEN', 'api-build', 'deps', 'runtime']);
  const token = all.find((s) => s.name === 'NPM_TOKEN')!;
  assert.equal(token.containerName, 'deps');
  assert.equal(token.location.uri, pathToFileURL(join(dir, 'Dockerfile')).href);
  assert.deepEqual(token.location.range, ROOT_DOCKERFILE.writes[0]);
  // Subsequence match, case ignored.
  assert.deepEqual(names(await c.request<WsSymbol[]>('workspace/symbol', { query: 'apb' })), ['api-build']);
  assert.deepEqual(names(await c.request<WsSymbol[]>('workspace/symbol', { query: 'nv' })), ['NODE_VERSION']);
  assert.deepEqual(await c.request<WsSymbol[]>('workspace/symbol', { query: 'zzz' }), []);
});

test('workspace symbols: open documents win over the disk, and changed files are re-read', async () => {
  const dir = workspace();
  const c = await start({ folders: [dir] });
  assert.deepEqual(names(await c.request<WsSymbol[]>('workspace/symbol', { query: 'runtime' })), ['runtime']);
  // An unsaved edit in the editor is what counts.
  const uri = pathToFileURL(join(dir, 'Dockerfile')).href;
  await c.open(uri, 'FROM alpine AS edited-in-editor\n');
  assert.deepEqual(names(await c.request<WsSymbol[]>('workspace/symbol', { query: 'edited' })), ['edited-in-editor']);
  assert.deepEqual(await c.request<WsSymbol[]>('workspace/symbol', { query: 'runtime' }), []);
  await c.close(uri);
  // A file changed on disk is parsed again (its mtime changed).
  const api = join(dir, 'services', 'api', 'api.Dockerfile');
  writeFileSync(api, 'FROM golang:1.22 AS api-compile\n');
  const future = new Date(Date.now() + 5000);
  utimesSync(api, future, future);
  const after2 = names(await c.request<WsSymbol[]>('workspace/symbol', { query: 'api' }));
  assert.deepEqual(after2, ['api-compile']);
});

test('workspace symbols: an untrusted workspace is not read from disk', async () => {
  const dir = workspace();
  const c = await start({ folders: [dir], initializationOptions: { workspaceTrusted: false } });
  assert.deepEqual(await c.request<WsSymbol[]>('workspace/symbol', { query: '' }), []);
  const uri = docUri();
  await c.open(uri, 'FROM alpine AS open-only\n');
  assert.deepEqual(names(await c.request<WsSymbol[]>('workspace/symbol', { query: '' })), ['open-only']);
});
