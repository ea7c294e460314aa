/**
 * Hover through the real language server. Each case is a Dockerfile with a `|` cursor marker and text the
 * markdown must contain (or `null` where nothing is shown), plus the exact text the hover range covers.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, cursor } from '../support/lsp-client';
import { RULES } from '../../server/src/core/rules/index';

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

let shared: Promise<LspClient> | undefined;
function client(): Promise<LspClient> {
  shared ??= (async () => {
    const c = new LspClient();
    clients.push(c);
    await c.initialize();
    return c;
  })();
  return shared;
}

let docs = 0;

async function hoverAt(marked: string): Promise<{ value: string; covered: string } | null> {
  const c = await client();
  const { text, line, character } = cursor(marked);
  const uri = `file:///tmp/dw-hover/${++docs}/Dockerfile`;
  await c.open(uri, text);
  const h = await c.request<{ contents: { kind: string; value: string }; range: Range } | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  if (!h) return null;
  assert.equal(h.contents.kind, 'markdown');
  const lines = text.split('\n');
  const off = (p: Range['start']) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return { value: h.contents.value, covered: text.slice(off(h.range.start), off(h.range.end)) };
}

const dl = RULES.find((r) => r.meta.equivalents.some((e) => e.startsWith('hadolint:DL')));
const dlId = dl?.meta.equivalents.find((e) => e.startsWith('hadolint:'))!.slice('hadolint:'.length);
const bk = RULES.find((r) => r.meta.equivalents.some((e) => e.startsWith('buildkit:')));
const bkId = bk?.meta.equivalents.find((e) => e.startsWith('buildkit:'))!.slice('buildkit:'.length);

interface Case {
  name: string;
  doc: string;
  /** Substrings of the markdown; null: no hover. */
  contains: string[] | null;
  covers?: string;
}

const DIGEST = 'sha256:' + 'a'.repeat(64);

const CASES: Case[] = [
  // Instructions, flags and flag values.
  { name: 'instruction keyword', doc: 'FR|OM alpine', contains: ['Start a build stage', '```dockerfile', 'docs.docker.com/reference/dockerfile/#from'], covers: 'FROM' },
  { name: 'lower-case keyword', doc: 'from alpine\nr|un true', contains: ['**RUN**'], covers: 'run' },
  { name: 'ONBUILD trigger keyword', doc: 'FROM alpine\nONBUILD CO|PY . /app', contains: ['**COPY**'], covers: 'COPY' },
  { name: 'flag', doc: 'FROM alpine\nRUN --net|work=none true', contains: ['**--network**', 'Network for the command'], covers: '--network=none' },
  { name: 'network mode', doc: 'FROM alpine\nRUN --network=ho|st true', contains: ['network.host'], covers: 'host' },
  { name: 'security mode', doc: 'FROM alpine\nRUN --security=inse|cure true', contains: ['security.insecure'], covers: 'insecure' },
  { name: 'labs flag says what it needs', doc: 'FROM alpine\nCOPY --par|ents a/ /b/', contains: ['dockerfile:1.7-labs'] },
  { name: 'mount type', doc: 'FROM alpine\nRUN --mount=type=ca|che,target=/c true', contains: ['**cache** mount', 'persistent cache', '`sharing`'], covers: 'type=cache' },
  { name: 'mount option', doc: 'FROM alpine\nRUN --mount=type=cache,target=/c,shar|ing=locked true', contains: ['**sharing**', 'concurrent builds', '`locked`'], covers: 'sharing=locked' },
  { name: 'mount option alias', doc: 'FROM alpine\nRUN --mount=type=cache,ds|t=/c true', contains: ['**target**'], covers: 'dst=/c' },
  { name: 'option of another mount type', doc: 'FROM alpine\nRUN --mount=type=cache,en|v=X true', contains: ['not an option of cache mounts'] },

  // Directives and suppression comments.
  { name: 'syntax directive', doc: '# sy|ntax=docker/dockerfile:1\nFROM alpine', contains: ['parser directive', 'frontend', 'docs.docker.com/reference/dockerfile/#syntax'] },
  { name: 'escape directive', doc: '# escape=|`\nFROM alpine', contains: ['escape character', '#escape'] },
  { name: 'check directive', doc: '# ch|eck=skip=all\nFROM alpine', contains: ['build checks', '#check'] },
  ...(bkId ? [{ name: 'rule in a check directive', doc: `# check=skip=${bkId.slice(0, 2)}|${bkId.slice(2)}\nFROM alpine`, contains: [bk!.meta.id, bk!.meta.title], covers: bkId }] : []),
  ...(dlId ? [{ name: 'rule in a hadolint comment', doc: `FROM alpine\n# hadolint ignore=${dlId.slice(0, 3)}|${dlId.slice(3)}\nRUN true`, contains: [dl!.meta.id, dl!.meta.title], covers: dlId }] : []),
  { name: 'an ordinary comment', doc: 'FROM alpine\n# just| words\nRUN true', contains: null },

  // Variables.
  { name: 'global ARG in FROM: value and line', doc: 'ARG BASE=alpine:3.20\nFROM ${BA|SE}', contains: ['**BASE**', '`alpine:3.20`', 'line 1', 'global'], covers: '${BASE}' },
  { name: 'predefined platform ARG', doc: 'FROM --platform=$BUILD|PLATFORM alpine', contains: ['defined by the builder'], covers: '$BUILDPLATFORM' },
  { name: 'undefined variable', doc: 'FROM alpine\nCOPY $NO|PE /x', contains: ['not defined'] },
  { name: 'stage ARG takes the global default', doc: 'ARG V=1\nFROM alpine\nARG V\nRUN echo $|V', contains: ['`1`', 'line 3', 'global `ARG` on line 1'] },
  { name: 'ENV value after expansion', doc: 'FROM alpine\nENV A=/opt\nENV B=$A/bin\nWORKDIR $|B', contains: ['`/opt/bin`', 'line 3'] },
  { name: 'ARG without default', doc: 'FROM alpine\nARG TOKEN\nRUN echo $TO|KEN', contains: ['no default value', '--build-arg'] },
  { name: 'shell variable in RUN', doc: 'FROM alpine\nRUN echo $HO|ME', contains: ['only the shell'] },
  { name: 'declaration of a re-declared global ARG', doc: 'ARG V=1\nFROM alpine\nARG |V', contains: ['Re-declares the global `ARG` on line 1', '`1`'], covers: 'V' },
  { name: 'platform ARG declared in a stage', doc: 'FROM alpine\nARG TARGET|ARCH\nRUN echo $TARGETARCH', contains: ['defined by the builder'] },

  // Stages and images.
  { name: 'FROM a stage', doc: 'FROM alpine:3.20 AS base\nFROM ba|se', contains: ['**Stage 0**', '`base`', 'line 1', 'FROM alpine:3.20 AS base'], covers: 'base' },
  { name: 'COPY --from a stage', doc: 'FROM alpine AS build\nFROM alpine\nCOPY --from=bu|ild /a /b', contains: ['**Stage 0**', 'FROM alpine AS build'], covers: 'build' },
  { name: 'COPY --from an index', doc: 'FROM alpine AS build\nFROM alpine\nCOPY --from=|0 /a /b', contains: ['**Stage 0**'] },
  { name: 'mount from= a stage', doc: 'FROM alpine AS deps\nFROM alpine\nRUN --mount=from=de|ps,target=/d true', contains: ['**Stage 0**', 'FROM alpine AS deps'], covers: 'deps' },
  { name: 'official image', doc: 'FROM pyt|hon:3.12-slim', contains: ['registry: `docker.io`', 'repository: `library/python`', 'tag: `3.12-slim`'], covers: 'python:3.12-slim' },
  { name: 'image with registry and digest', doc: `FROM ghcr.io/org/app:1.|2@${DIGEST}`, contains: ['registry: `ghcr.io`', 'repository: `org/app`', 'tag: `1.2`', `digest: \`${DIGEST}\``] },
  { name: 'untagged image', doc: 'FROM ubu|ntu', contains: ['`latest` (implied)'] },
  { name: 'image from a global ARG', doc: 'ARG IMG=node:22\nFROM $IMG AS app\nFROM app\nFROM alpine\nCOPY --from=node:2|2 /a /b', contains: ['repository: `library/node`', 'tag: `22`'] },
  { name: 'COPY --from an image', doc: 'FROM alpine\nCOPY --from=nginx:1.2|7 /etc/nginx /etc/nginx', contains: ['**Image**', 'library/nginx'], covers: 'nginx:1.27' },
  { name: 'scratch', doc: 'FROM scra|tch', contains: ['empty image'] },
  { name: 'unresolved base', doc: 'ARG IMG\nFROM $IMG|', contains: ['**IMG**'] },
  { name: 'stage name', doc: 'FROM alpine AS bu|ild', contains: ['**Stage 0**', '`--from=build`'], covers: 'build' },

  // Nothing to say.
  { name: 'empty line', doc: 'FROM alpine\n|\nRUN true', contains: null },
  { name: 'shell command text', doc: 'FROM alpine\nRUN ec|ho hi', contains: null },
];

for (const c of CASES) {
  test(`hover: ${c.name}`, async () => {
    const h = await hoverAt(c.doc);
    if (c.contains === null) {
      assert.equal(h, null, JSON.stringify(h));
      return;
    }
    assert.ok(h, `no hover for ${JSON.stringify(c.doc)}`);
    for (const s of c.contains) assert.ok(h.value.includes(s), `expected ${JSON.stringify(s)} in:\n${h.value}`);
    if (c.covers !== undefined) assert.equal(h.covered, c.covers);
    assert.ok(h.value.length < 700, 'hovers stay short');
  });
}

test('hover: unknown documents give null', async () => {
  const c = await client();
  assert.equal(await c.request('textDocument/hover', { textDocument: { uri: 'file:///nope/Dockerfile' }, position: { line: 0, character: 0 } }), null);
});
