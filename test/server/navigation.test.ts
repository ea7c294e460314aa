/**
 * Definition, references, document highlights and rename over real JSON-RPC. Each case is an inline
 * Dockerfile where «declarations» and ‹references› of one symbol are marked and `|` is the cursor; the
 * server must find exactly the marked ranges from the cursor and from every marked occurrence.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { LspClient } from '../support/lsp-client';
import { applyEdits, docUri, type Edit, mark, type Rng, sortRanges, startNav } from '../support/nav-client';

let c: LspClient;
before(async () => {
  c = await startNav();
});
after(async () => {
  await c.stop();
});

interface Location {
  uri: string;
  range: Rng;
}

async function open(src: string) {
  const m = mark(src);
  const uri = docUri();
  await c.open(uri, m.text);
  return { ...m, uri };
}

const SYMBOL_CASES: { name: string; src: string }[] = [
  {
    name: 'global ARG: FROM references and a value-less stage re-declaration are one symbol',
    src: 'ARG «VERSION»=1.0\nFROM alpine:$‹VERSION› AS build\nARG «VER|SION»\nRUN echo "$‹VERSION›"\nFROM alpine:${‹VERSION›}\nRUN echo $VERSION\n',
  },
  {
    name: 'a stage ARG with a value is a different symbol from the global of the same name',
    src: 'ARG VERSION=1\nFROM alpine:$VERSION\nARG «VERSION»=2\nENV V2=${‹VERSION›}\nRUN echo ${‹VERS|ION›:-none}\n',
  },
  {
    name: 'ENV redeclared in a stage, read by RUN, COPY, WORKDIR and an expanded heredoc',
    src: 'FROM alpine\nENV «APP_HOME»=/app\nENV «APP_HOME»=$‹APP_HOME›/v2\nWORKDIR $‹APP_HOME›\nCOPY . ${‹APP_HOME›}/src\nRUN <<EOF\ncd $‹APP_|HOME›\nEOF\nRUN <<\'EOF\'\necho $APP_HOME is not expanded here\nEOF\n',
  },
  {
    name: 'ENV is inherited by a stage built FROM that stage',
    src: 'FROM alpine AS base\nENV «PORT»=80\nFROM base\nENV «PORT»=8080\nEXPOSE $‹PO|RT›\nFROM alpine\nEXPOSE $PORT\n',
  },
  {
    name: 'stage name: AS, FROM, COPY --from and --mount from',
    src: 'FROM golang:1.22 AS «bu|ild»\nRUN go build -o /out/app .\nFROM ‹build› AS test\nFROM alpine\nCOPY --from=‹build› /out/app /app\nRUN --mount=type=bind,from=‹build›,source=/out,target=/mnt true\nCOPY --from=builder /x /y\n',
  },
  {
    name: 'stage name referenced by index is found but is not a name occurrence',
    src: 'FROM alpine AS «fi|rst»\nFROM alpine\nCOPY --from=‹0› /a /b\nCOPY --from=‹first› /c /d\n',
  },
  {
    name: 'an undeclared variable: all reads in the same stage, nothing else',
    src: 'FROM alpine\nRUN echo $‹HO|ME›\nCMD echo ${‹HOME›}\nFROM alpine\nRUN echo $HOME\n',
  },
  {
    name: 'ARG in the global scope declared twice is one symbol',
    src: 'ARG «BASE»=alpine\nARG «BASE»=debian\nFROM $‹BA|SE›\n',
  },
  {
    name: 'references inside a quoted flag value',
    src: 'FROM alpine\nARG «U|ID»=1000\nCOPY --chown="$‹UID›:${‹UID›}" a /b\n',
  },
  {
    name: 'line continuations and multi-pair ENV',
    src: 'FROM alpine\nENV A=1 \\\n    «B|B»=2\nRUN echo $A \\\n    && echo $‹BB›\n',
  },
];

for (const tc of SYMBOL_CASES) {
  test(`highlights and references: ${tc.name}`, async () => {
    const d = await open(tc.src);
    const expectedAll = sortRanges([...d.writes, ...d.reads]);
    const occurrences = [...d.writes, ...d.reads].map((r) => r.start).concat([d.cursor]);
    for (const position of occurrences) {
      const hl = await c.request<{ range: Rng; kind: number }[]>('textDocument/documentHighlight', { textDocument: { uri: d.uri }, position });
      assert.deepEqual(sortRanges(hl.map((h) => h.range)), expectedAll, `highlights from ${JSON.stringify(position)}`);
      const writes = sortRanges(hl.filter((h) => h.kind === 3).map((h) => h.range));
      const reads = sortRanges(hl.filter((h) => h.kind === 2).map((h) => h.range));
      assert.deepEqual(writes, sortRanges(d.writes), 'declarations are writes');
      assert.deepEqual(reads, sortRanges(d.reads), 'references are reads');
    }
    const all = await c.request<Location[]>('textDocument/references', { textDocument: { uri: d.uri }, position: d.cursor, context: { includeDeclaration: true } });
    assert.deepEqual(sortRanges(all.map((l) => l.range)), expectedAll);
    assert.ok(all.every((l) => l.uri === d.uri));
    const readsOnly = await c.request<Location[]>('textDocument/references', { textDocument: { uri: d.uri }, position: d.cursor, context: { includeDeclaration: false } });
    assert.deepEqual(sortRanges(readsOnly.map((l) => l.range)), sortRanges(d.reads));
  });
}

const DEFINITION_CASES: { name: string; src: string }[] = [
  { name: 'ARG read in RUN goes to the stage ARG and the global it imports', src: 'ARG «V»=1\nFROM alpine\nARG «V»\nRUN echo $|V\n' },
  { name: 'ARG read in FROM goes to the global ARG', src: 'ARG «IMAGE»=alpine\nFROM $IMA|GE\n' },
  { name: 'ENV read goes to the ENV that is in effect there', src: 'FROM alpine\nENV X=1\nENV «X»=2\nRUN echo $|X\n' },
  { name: 'stage reference goes to AS name', src: 'FROM alpine AS «base»\nFROM alpine\nCOPY --from=ba|se /a /b\n' },
  { name: 'a stage referenced in FROM', src: 'FROM alpine AS «base»\nFROM b|ase\n' },
  { name: 'an undeclared variable has no definition', src: 'FROM alpine\nRUN echo $HO|ME\n' },
  { name: 'a predefined ARG has none in the file', src: 'FROM --platform=$BUILD|PLATFORM alpine\n' },
  { name: 'a declaration is its own definition', src: 'FROM alpine\nENV «P|ORT»=1\n' },
];

for (const tc of DEFINITION_CASES) {
  test(`definition: ${tc.name}`, async () => {
    const d = await open(tc.src);
    const defs = await c.request<Location[]>('textDocument/definition', { textDocument: { uri: d.uri }, position: d.cursor });
    assert.deepEqual(sortRanges(defs.map((l) => l.range)), sortRanges(d.writes));
  });
}

const RENAME_CASES: { name: string; src: string; newName: string; expected: string }[] = [
  {
    name: 'global ARG with its FROM uses and stage re-declaration',
    src: 'ARG VER|SION=1\nFROM alpine:$VERSION AS build\nARG VERSION\nRUN echo "${VERSION:-x}"\nFROM alpine\nARG VERSION=9\nRUN echo $VERSION\n',
    newName: 'APP_VERSION',
    expected: 'ARG APP_VERSION=1\nFROM alpine:$APP_VERSION AS build\nARG APP_VERSION\nRUN echo "${APP_VERSION:-x}"\nFROM alpine\nARG VERSION=9\nRUN echo $VERSION\n',
  },
  {
    name: 'ENV across a heredoc body and a continuation',
    src: 'FROM alpine\nENV DIR=/srv\nRUN mkdir -p $DIR \\\n    && ls ${DIR}\nRUN <<EOF\ncd $D|IR\nEOF\n',
    newName: 'ROOT',
    expected: 'FROM alpine\nENV ROOT=/srv\nRUN mkdir -p $ROOT \\\n    && ls ${ROOT}\nRUN <<EOF\ncd $ROOT\nEOF\n',
  },
  {
    name: 'stage name everywhere it is used by name, not by index',
    src: 'FROM golang AS bu|ild\nFROM build AS test\nFROM alpine\nCOPY --from=build /a /b\nCOPY --from=0 /c /d\nRUN --mount=from=build,target=/m true\n',
    newName: 'compile',
    expected: 'FROM golang AS compile\nFROM compile AS test\nFROM alpine\nCOPY --from=compile /a /b\nCOPY --from=0 /c /d\nRUN --mount=from=compile,target=/m true\n',
  },
  {
    name: 'a variable inside a quoted flag value',
    src: 'FROM alpine\nARG U|ID=1000\nCOPY --chown="$UID:${UID}" a /b\n',
    newName: 'APP_UID',
    expected: 'FROM alpine\nARG APP_UID=1000\nCOPY --chown="$APP_UID:${APP_UID}" a /b\n',
  },
  {
    name: 'stage name written in upper case',
    src: 'FROM golang AS Build\nFROM alpine\nCOPY --from=BUI|LD /a /b\n',
    newName: 'compile',
    expected: 'FROM golang AS compile\nFROM alpine\nCOPY --from=compile /a /b\n',
  },
];

for (const tc of RENAME_CASES) {
  test(`rename: ${tc.name}`, async () => {
    const d = await open(tc.src);
    const prep = await c.request<{ range: Rng; placeholder: string } | null>('textDocument/prepareRename', { textDocument: { uri: d.uri }, position: d.cursor });
    assert.ok(prep, 'prepareRename accepts');
    const edit = await c.request<{ changes?: Record<string, Edit[]> }>('textDocument/rename', { textDocument: { uri: d.uri }, position: d.cursor, newName: tc.newName });
    assert.equal(applyEdits(d.text, edit.changes![d.uri]), tc.expected);
  });
}

const REFUSED: { name: string; src: string; newName: string; message: RegExp; atPrepare?: boolean }[] = [
  { name: 'invalid variable name', src: 'FROM alpine\nENV A|PP=1\n', newName: '1APP', message: /not a valid variable name/ },
  { name: 'variable name with a dash', src: 'FROM alpine\nENV A|PP=1\n', newName: 'MY-APP', message: /not a valid variable name/ },
  { name: 'invalid stage name', src: 'FROM alpine AS b|uild\n', newName: '9lives', message: /not a valid stage name/ },
  { name: 'stage name with a space', src: 'FROM alpine AS b|uild\n', newName: 'my stage', message: /not a valid stage name/ },
  { name: 'reserved stage name scratch', src: 'FROM alpine AS b|uild\n', newName: 'scratch', message: /reserved/ },
  { name: 'reserved stage name context', src: 'FROM alpine AS b|uild\n', newName: 'Context', message: /reserved/ },
  { name: 'stage name already taken', src: 'FROM alpine AS b|uild\nFROM alpine AS test\n', newName: 'test', message: /already exists/ },
  { name: 'stage name that is an image used in the file', src: 'FROM alpine AS b|uild\nFROM debian\n', newName: 'debian', message: /already used as an image/ },
  { name: 'predefined ARG', src: 'FROM alpine\nARG TARGET|ARCH\nRUN echo $TARGETARCH\n', newName: 'ARCH', message: /predefined build argument/, atPrepare: true },
  { name: 'renaming to a predefined ARG', src: 'FROM alpine\nARG A|RCH\n', newName: 'TARGETARCH', message: /predefined build argument/ },
  { name: 'undeclared variable', src: 'FROM alpine\nRUN echo $HO|ME\n', newName: 'H', message: /not declared in this Dockerfile/, atPrepare: true },
  { name: 'stage by index', src: 'FROM alpine AS a\nFROM alpine\nCOPY --from=|0 /a /b\n', newName: 'x', message: /by its index/, atPrepare: true },
  { name: 'a stage named inside a quoted --mount value', src: 'FROM alpine AS b|uild\nFROM alpine\nRUN --mount="from=build,target=/x" true\n', newName: 'x', message: /cannot be renamed safely: on line 3/, atPrepare: true },
  { name: 'new name already used in the same stage', src: 'FROM alpine\nENV A|=1\nENV B=2\nRUN echo $A $B\n', newName: 'B', message: /already used/ },
  { name: 'new name would be imported from a global ARG', src: 'ARG G=1\nFROM alpine\nARG L|OCAL\n', newName: 'G', message: /global ARG/ },
];

for (const tc of REFUSED) {
  test(`rename refused: ${tc.name}`, async () => {
    const d = await open(tc.src);
    if (tc.atPrepare) {
      await assert.rejects(c.request('textDocument/prepareRename', { textDocument: { uri: d.uri }, position: d.cursor }), (e: Error) => tc.message.test(e.message));
    } else {
      const prep = await c.request<{ placeholder: string } | null>('textDocument/prepareRename', { textDocument: { uri: d.uri }, position: d.cursor });
      assert.ok(prep && prep.placeholder.length > 0);
    }
    await assert.rejects(c.request('textDocument/rename', { textDocument: { uri: d.uri }, position: d.cursor, newName: tc.newName }), (e: Error) => tc.message.test(e.message));
  });
}

test('prepareRename: the range and placeholder are the name under the cursor; nothing off a name', async () => {
  const d = await open('FROM alpine AS «Bu|ild»\nRUN echo hi|\n');
  const prep = await c.request<{ range: Rng; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: d.uri }, position: d.cursor });
  assert.deepEqual(prep.range, d.writes[0]);
  assert.equal(prep.placeholder, 'Build');
  assert.equal(await c.request('textDocument/prepareRename', { textDocument: { uri: d.uri }, position: d.cursors[1] }), null);
});

test('navigation on a document that is not open, and off any name, returns nothing', async () => {
  const position = { line: 0, character: 0 };
  const textDocument = { uri: 'file:///never/opened/Dockerfile' };
  assert.deepEqual(await c.request('textDocument/definition', { textDocument, position }), []);
  assert.deepEqual(await c.request('textDocument/references', { textDocument, position, context: { includeDeclaration: true } }), []);
  assert.deepEqual(await c.request('textDocument/documentHighlight', { textDocument, position }), []);
  const d = await open('FROM al|pine\n');
  assert.deepEqual(await c.request('textDocument/documentHighlight', { textDocument: { uri: d.uri }, position: d.cursor }), []);
});
