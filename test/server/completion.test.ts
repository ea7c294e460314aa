/**
 * Completion through the real language server, as an editor asks for it. Each case is a Dockerfile with a
 * `|` cursor marker and the labels that must (and must not) be proposed there.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { LspClient, cursor } from '../support/lsp-client';
import { RULES } from '../../server/src/core/rules/index';

interface Item {
  label: string;
  kind?: number;
  detail?: string;
  sortText?: string;
  insertTextFormat?: number;
  documentation?: { kind: string; value: string };
  textEdit?: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
  command?: { command: string };
  tags?: number[];
}

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

let shared: Promise<LspClient> | undefined;
function client(): Promise<LspClient> {
  shared ??= start();
  return shared;
}

async function start(opts: ConstructorParameters<typeof LspClient>[0] = {}, root?: string): Promise<LspClient> {
  const c = new LspClient(opts);
  clients.push(c);
  await c.initialize(root);
  return c;
}

let docs = 0;

async function completeAt(marked: string, opts: { c?: LspClient; uri?: string; trigger?: string } = {}): Promise<{ items: Item[]; text: string }> {
  const c = opts.c ?? (await client());
  const { text, line, character } = cursor(marked);
  const uri = opts.uri ?? `file:///tmp/dw-completion/${++docs}/Dockerfile`;
  await c.open(uri, text);
  const context = opts.trigger ? { triggerKind: 2, triggerCharacter: opts.trigger } : { triggerKind: 1 };
  const res = await c.request<{ items: Item[] } | null>('textDocument/completion', { textDocument: { uri }, position: { line, character }, context });
  // A fixed uri is reused by the next case: close it, as an editor would, before it is opened again.
  if (opts.uri) await c.close(uri);
  return { items: res?.items ?? [], text };
}

/** Applies a completion item's edit to the text (the way the editor does). */
function apply(text: string, item: Item): string {
  const e = item.textEdit!;
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, off(e.range.start)) + e.newText + text.slice(off(e.range.end));
}

const buildkitNames = RULES.flatMap((r) => r.meta.equivalents.filter((e) => e.startsWith('buildkit:')).map((e) => e.slice('buildkit:'.length)));
const dlIds = RULES.flatMap((r) => r.meta.equivalents.filter((e) => e.startsWith('hadolint:')).map((e) => e.slice('hadolint:'.length)));
const onlyBuildkit = RULES.filter((r) => r.meta.equivalents.some((e) => e.startsWith('buildkit:')) && !r.meta.equivalents.some((e) => e.startsWith('hadolint:')));

interface Case {
  name: string;
  doc: string;
  includes?: string[];
  excludes?: string[];
  trigger?: string;
  /** Every item's label, in any order. */
  exactly?: string[];
}

const CASES: Case[] = [
  // Keywords: only what is valid where the cursor is, in the file's casing.
  { name: 'empty file: FROM and ARG only', doc: '|', exactly: ['FROM', 'ARG'] },
  { name: 'before the first FROM', doc: 'ARG V=1\n|\nFROM alpine', exactly: ['FROM', 'ARG'] },
  { name: 'in a stage: every instruction', doc: 'FROM alpine\n|', includes: ['RUN', 'COPY', 'WORKDIR', 'FROM', 'HEALTHCHECK', 'ONBUILD'] },
  { name: 'partial keyword', doc: 'FROM alpine\nRU|', includes: ['RUN'] },
  { name: 'lower-case file gets lower-case keywords', doc: 'from alpine\nrun true\n|', includes: ['run', 'copy'], excludes: ['RUN', 'COPY'] },
  { name: 'ONBUILD trigger', doc: 'FROM alpine\nONBUILD |', includes: ['RUN', 'COPY', 'ENV'], excludes: ['ONBUILD', 'FROM', 'MAINTAINER'] },
  { name: 'a space at a line start proposes nothing', doc: 'FROM alpine\n |', trigger: ' ', exactly: [] },

  // Flags, not the ones already given (except repeatable ones).
  { name: 'RUN flags', doc: 'FROM alpine\nRUN --|', includes: ['--mount', '--network', '--security'], excludes: ['--from', '--chown'] },
  { name: 'given flags are not proposed again, repeatable ones are', doc: 'FROM alpine\nRUN --network=none --mount=type=tmpfs,target=/t --|', includes: ['--mount', '--security'], excludes: ['--network'] },
  { name: 'COPY flags', doc: 'FROM alpine\nCOPY --link --|', includes: ['--from', '--chown', '--chmod', '--parents', '--exclude'], excludes: ['--link', '--checksum'] },
  { name: 'ADD flags', doc: 'FROM alpine\nADD --|', includes: ['--checksum', '--keep-git-dir', '--unpack', '--chmod'], excludes: ['--from'] },
  { name: 'HEALTHCHECK flags', doc: 'FROM alpine\nHEALTHCHECK --|', includes: ['--interval', '--timeout', '--start-period', '--start-interval', '--retries'] },
  { name: 'FROM flags', doc: 'FROM --|', exactly: ['--platform'] },
  { name: 'flag on a continuation line', doc: 'FROM alpine\nRUN --network=none \\\n    --mo|', includes: ['--mount'], excludes: ['--network'] },
  { name: 'no flags once the command started', doc: 'FROM alpine\nRUN apt-get install -|', trigger: '-', exactly: [] },
  { name: 'no proposals inside shell text after a space', doc: 'FROM alpine\nRUN echo |', trigger: ' ', exactly: [] },

  // Flag values.
  { name: 'mount types', doc: 'FROM alpine\nRUN --mount=type=|', exactly: ['bind', 'cache', 'tmpfs', 'secret', 'ssh'] },
  { name: 'mount options without a type', doc: 'FROM alpine\nRUN --mount=|', includes: ['type=', 'target=', 'source=', 'from=', 'readwrite'] },
  { name: 'cache mount options', doc: 'FROM alpine\nRUN --mount=type=cache,|', includes: ['target=', 'id=', 'sharing=', 'mode=', 'readonly'], excludes: ['type=', 'env=', 'size='] },
  { name: 'secret mount options', doc: 'FROM alpine\nRUN --mount=type=secret,|', includes: ['id=', 'env=', 'required'], excludes: ['sharing='] },
  { name: 'given mount options (and aliases) are not repeated', doc: 'FROM alpine\nRUN --mount=type=cache,dst=/x,|', includes: ['sharing='], excludes: ['target='] },
  { name: 'sharing values', doc: 'FROM alpine\nRUN --mount=type=cache,sharing=|', exactly: ['shared', 'private', 'locked'] },
  { name: 'cache targets', doc: 'FROM alpine\nRUN --mount=type=cache,target=|', includes: ['/var/cache/apt', '/root/.cache/pip', '/go/pkg/mod'] },
  { name: 'mount from= offers earlier stages', doc: 'FROM alpine AS deps\nFROM alpine AS build\nRUN --mount=type=bind,from=|', exactly: ['deps'] },
  { name: 'network modes', doc: 'FROM alpine\nRUN --network=|', exactly: ['default', 'none', 'host'] },
  { name: 'security modes', doc: 'FROM alpine\nRUN --security=|', exactly: ['sandbox', 'insecure'] },
  { name: 'platform values', doc: 'FROM --platform=|', includes: ['linux/amd64', 'linux/arm64', '$BUILDPLATFORM'] },
  { name: 'platform ARGs after $', doc: 'FROM --platform=$|', includes: ['BUILDPLATFORM', 'TARGETPLATFORM', 'TARGETARCH'] },
  { name: 'chmod examples', doc: 'FROM alpine\nCOPY --chmod=|', includes: ['755', '644'] },
  { name: 'checksum prefix', doc: 'FROM alpine\nADD --checksum=|', exactly: ['sha256:'] },
  { name: 'durations', doc: 'FROM alpine\nHEALTHCHECK --interval=|', includes: ['30s', '1m'] },
  { name: 'boolean flag value', doc: 'FROM alpine\nADD --unpack=|', exactly: ['true', 'false'] },
  {
    name: 'COPY --from: earlier stages by name and index, not this one or later ones',
    doc: 'FROM alpine AS deps\nFROM alpine\nFROM alpine AS app\nCOPY --from=| /a /b\nFROM alpine AS later',
    exactly: ['deps', '0', '1'],
  },
  { name: 'HEALTHCHECK CMD or NONE', doc: 'FROM alpine\nHEALTHCHECK --interval=30s |', includes: ['CMD', 'NONE'] },
  { name: 'STOPSIGNAL', doc: 'FROM alpine\nSTOPSIGNAL |', includes: ['SIGTERM', 'SIGINT', 'SIGKILL'] },

  // Parser directives and suppression comments.
  { name: 'directives at the top', doc: '# |', includes: ['syntax=', 'escape=', 'check='] },
  { name: 'a directive already given is not offered again', doc: '# syntax=docker/dockerfile:1\n# |', includes: ['escape=', 'check='], excludes: ['syntax='] },
  { name: 'no directives after an instruction', doc: 'FROM alpine\n# |', includes: ['dockwright ignore=', 'hadolint ignore='], excludes: ['syntax=', 'escape='] },
  { name: 'syntax values', doc: '# syntax=|', includes: ['docker/dockerfile:1', 'docker/dockerfile:1-labs'] },
  { name: 'escape values', doc: '# escape=|', includes: ['\\', '`'] },
  { name: 'check keys', doc: '# check=|', includes: ['skip=', 'error='] },
  { name: 'check error values', doc: '# check=skip=all;error=|', exactly: ['true', 'false'] },
  { name: 'check skip: BuildKit names', doc: '# check=skip=|', includes: ['all', ...buildkitNames.slice(0, 5)], excludes: dlIds.slice(0, 3) },
  { name: 'check skip: a listed name is not offered again', doc: `# check=skip=${buildkitNames[0] ?? 'X'},|`, excludes: [buildkitNames[0] ?? 'X', 'all'], includes: buildkitNames.slice(1, 3) },
  { name: 'hadolint ignore: DL ids', doc: 'FROM alpine\n# hadolint ignore=|\nRUN true', includes: dlIds.slice(0, 5), excludes: onlyBuildkit.slice(0, 3).map((r) => r.meta.equivalents[0].slice('buildkit:'.length)) },
  { name: 'dockwright ignore: every rule id', doc: 'FROM alpine\n# dockwright ignore=|\nRUN true', includes: RULES.slice(0, 8).map((r) => r.meta.id) },

  // Variables in scope, with their values.
  { name: 'global ARGs and platform ARGs in FROM', doc: 'ARG BASE=alpine\nFROM ${|', includes: ['BASE', 'TARGETARCH', 'BUILDPLATFORM'] },
  { name: 'stage scope: ARG and ENV declared before, not later ones or undeclared globals', doc: 'ARG G=1\nFROM alpine\nARG A=1\nENV B=2\nRUN echo ${|}\nENV LATER=3', exactly: ['A', 'B'] },
  { name: 'inherited ENV from the base stage', doc: 'FROM alpine AS base\nENV FROM_BASE=1\nFROM base\nRUN echo $|', includes: ['FROM_BASE'] },
  { name: 'variables in a COPY heredoc that expands', doc: 'FROM alpine\nENV NAME=x\nCOPY <<EOF /f\nhello $|\nEOF', includes: ['NAME'] },
  { name: 'no variables after an escaped dollar', doc: 'FROM alpine\nENV A=1\nRUN echo \\$|', trigger: '$', exactly: [] },
  { name: 'ARG in a stage offers global ARG names', doc: 'ARG VERSION=1.2\nARG OTHER\nFROM alpine\nARG |', includes: ['VERSION', 'OTHER', 'TARGETARCH'] },
  { name: 'ENV offers names in scope', doc: 'FROM alpine\nARG APP_HOME=/app\nENV |', includes: ['APP_HOME', 'PATH'] },

  // FROM: stages, images, tags.
  { name: 'FROM offers earlier stages, scratch and images', doc: 'FROM alpine AS base\nFROM |', includes: ['base', 'scratch', 'alpine', 'python', 'node'] },
  { name: 'FROM does not offer its own stage', doc: 'FROM alpine AS base\nFROM | AS next', excludes: ['next'] },
  { name: 'FROM tags', doc: 'FROM python:|', includes: ['3.13-slim', '3.12-slim'], excludes: ['python', 'scratch'] },
  { name: 'FROM tags of a docker.io path', doc: 'FROM docker.io/library/node:|', includes: ['22-alpine'] },
  { name: 'AS after the image', doc: 'FROM alpine |', exactly: ['AS'] },
  { name: 'as in lower case', doc: 'from alpine |', exactly: ['as'] },
];

for (const c of CASES) {
  test(`completion: ${c.name}`, async () => {
    const { items } = await completeAt(c.doc, { trigger: c.trigger });
    const labels = items.map((i) => i.label);
    if (c.exactly) assert.deepEqual([...labels].sort(), [...c.exactly].sort(), c.doc);
    for (const l of c.includes ?? []) assert.ok(labels.includes(l), `${JSON.stringify(c.doc)}: expected ${l} in ${labels.join(' ')}`);
    for (const l of c.excludes ?? []) assert.ok(!labels.includes(l), `${JSON.stringify(c.doc)}: did not expect ${l}`);
  });
}

/** Accepting a proposal gives the text an editor would show. */
const EDITS: { name: string; doc: string; pick: string; result: string }[] = [
  { name: 'mount type replaces the word typed', doc: 'FROM alpine\nRUN --mount=type=ca| true', pick: 'cache', result: 'FROM alpine\nRUN --mount=type=cache true' },
  { name: 'flag name gets its = sign', doc: 'FROM alpine\nCOPY --ch| a b', pick: '--chmod', result: 'FROM alpine\nCOPY --chmod= a b' },
  { name: 'bool flag has no = sign', doc: 'FROM alpine\nCOPY --li| a b', pick: '--link', result: 'FROM alpine\nCOPY --link a b' },
  { name: 'braced variable gets its closing brace', doc: 'ARG BASE=alpine\nFROM ${BA|', pick: 'BASE', result: 'ARG BASE=alpine\nFROM ${BASE}' },
  { name: 'braced variable keeps an existing brace', doc: 'ARG BASE=alpine\nFROM ${BA|}', pick: 'BASE', result: 'ARG BASE=alpine\nFROM ${BASE}' },
  { name: 'bare variable', doc: 'FROM alpine\nENV HOME_DIR=/h\nWORKDIR $HO|', pick: 'HOME_DIR', result: 'FROM alpine\nENV HOME_DIR=/h\nWORKDIR $HOME_DIR' },
  { name: 'flag on a continuation line', doc: 'FROM alpine\nRUN --network=none \\\n    --mo|', pick: '--mount', result: 'FROM alpine\nRUN --network=none \\\n    --mount=' },
  { name: 'tag after the colon', doc: 'FROM python:3.1|', pick: '3.13-slim', result: 'FROM python:3.13-slim' },
  { name: 'mount option after a comma', doc: 'FROM alpine\nRUN --mount=type=cache,sha| true', pick: 'sharing=', result: 'FROM alpine\nRUN --mount=type=cache,sharing= true' },
  { name: 'pragma id after a comma', doc: 'FROM alpine\n# dockwright ignore=X, Unk|\nRUN true', pick: 'UnknownInstruction', result: 'FROM alpine\n# dockwright ignore=X, UnknownInstruction\nRUN true' },
];

for (const e of EDITS) {
  test(`completion edit: ${e.name}`, async () => {
    const { items, text } = await completeAt(e.doc);
    const item = items.find((i) => i.label === e.pick);
    assert.ok(item, `${e.pick} not in ${items.map((i) => i.label).join(' ')}`);
    assert.equal(apply(text, item), e.result);
  });
}

test('completion: keyword items carry snippets, docs and a retrigger where a value follows', async () => {
  const { items, text } = await completeAt('FROM alpine\nCO|');
  const copy = items.find((i) => i.label === 'COPY')!;
  assert.equal(copy.insertTextFormat, 2, 'snippet');
  assert.match(copy.textEdit!.newText, /^COPY \$\{1:src\} \$\{2:dest\}$/);
  assert.equal(apply(text, { ...copy, textEdit: { ...copy.textEdit!, newText: 'COPY' } }), 'FROM alpine\nCOPY');
  assert.match(copy.documentation!.value, /docs\.docker\.com\/reference\/dockerfile\/#copy/);
  assert.equal(copy.kind, 14, 'Keyword');
  const maint = items.find((i) => i.label === 'MAINTAINER')!;
  assert.deepEqual(maint.tags, [1], 'deprecated');
  const { items: flags } = await completeAt('FROM alpine\nRUN --|');
  assert.equal(flags.find((i) => i.label === '--mount')!.command?.command, 'editor.action.triggerSuggest');
  assert.match(flags.find((i) => i.label === '--mount')!.documentation!.value, /type=bind\|cache/);
});

test('completion: variables show their value at that point in detail', async () => {
  const { items } = await completeAt('ARG V=1\nFROM alpine\nARG V\nENV P=/opt/$V\nRUN echo $|');
  assert.equal(items.find((i) => i.label === 'V')!.detail, '1');
  assert.equal(items.find((i) => i.label === 'P')!.detail, '/opt/1');
  const { items: g } = await completeAt('FROM --platform=$|');
  assert.match(g.find((i) => i.label === 'TARGETARCH')!.detail!, /set by the builder/);
});

test('completion: stage names are sorted before images in FROM', async () => {
  const { items } = await completeAt('FROM alpine AS base\nFROM b|');
  const byLabel = new Map(items.map((i) => [i.label, i]));
  assert.ok(byLabel.get('base')!.sortText! < byLabel.get('busybox')!.sortText!);
  assert.equal(byLabel.get('base')!.kind, 18, 'Reference');
});

test('completion: COPY/ADD sources come from the build context, with .dockerignore applied and symlinks kept inside', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dw-ctx-'));
  const outside = mkdtempSync(join(tmpdir(), 'dw-outside-'));
  try {
    const ctx = join(root, 'app');
    mkdirSync(join(ctx, 'src', 'lib'), { recursive: true });
    mkdirSync(join(ctx, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(ctx, 'package.json'), '{}');
    writeFileSync(join(ctx, 'secret.env'), 'X=1');
    writeFileSync(join(ctx, 'src', 'index.ts'), '');
    writeFileSync(join(ctx, '.dockerignore'), 'node_modules\n*.env\n');
    writeFileSync(join(outside, 'leak.txt'), '');
    symlinkSync(outside, join(ctx, 'outside-link'));
    symlinkSync(join(ctx, 'src'), join(ctx, 'inside-link'));
    const uri = pathToFileURL(join(ctx, 'Dockerfile')).href;
    const c = await start({}, ctx);
    const labels = async (marked: string, cl = c) => (await completeAt(marked, { c: cl, uri })).items.map((i) => i.label);
    const top = await labels('FROM alpine\nCOPY |');
    for (const l of ['src/', 'package.json', 'inside-link/', '.dockerignore']) assert.ok(top.includes(l), `${l} in ${top.join(' ')}`);
    for (const l of ['node_modules/', 'secret.env', 'outside-link/', 'outside-link']) assert.ok(!top.includes(l), `${l} must be hidden`);
    assert.deepEqual((await labels('FROM alpine\nCOPY src/|')).sort(), ['index.ts', 'lib/']);
    assert.deepEqual((await labels('FROM alpine\nCOPY ./src/l|')).sort(), ['index.ts', 'lib/']);
    assert.ok((await labels('FROM alpine\nADD ["src/|')).includes('index.ts'), 'exec form');
    assert.deepEqual(await labels('FROM alpine\nCOPY ../|'), [], 'never outside the context');
    assert.deepEqual(await labels('FROM alpine\nCOPY outside-link/|'), [], 'no listing through a symlink out of the context');
    assert.deepEqual((await labels('FROM alpine AS a\nFROM alpine\nCOPY --from=a |')).filter((l) => !l.startsWith('--')), [], 'no context files with --from');
    const { items } = await completeAt('FROM alpine\nCOPY s|', { c, uri });
    const src = items.find((i) => i.label === 'src/')!;
    assert.equal(src.kind, 19, 'Folder');
    assert.equal(src.command?.command, 'editor.action.triggerSuggest');
    // Untrusted workspace: no file system access.
    const untrusted = await start({ initializationOptions: { workspaceTrusted: false } }, ctx);
    assert.deepEqual((await labels('FROM alpine\nCOPY |', untrusted)).filter((l) => !l.startsWith('--')), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('completion: unknown documents and odd positions never fail', async () => {
  const c = await client();
  const none = await c.request('textDocument/completion', { textDocument: { uri: 'file:///nope/Dockerfile' }, position: { line: 0, character: 0 } });
  assert.equal(none, null);
  const { items } = await completeAt('FROM alpine\nRUN echo hi|');
  assert.deepEqual(items, []);
  const uri = `file:///tmp/dw-completion/${++docs}/Dockerfile`;
  await c.open(uri, 'FROM alpine\n');
  const far = await c.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 99, character: 99 } });
  assert.ok(Array.isArray(far.items));
});
