/**
 * Inlay hints and document links through the real language server. Hint cases mark every expected hint
 * position with `|`; link cases name the linked text and its target.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from '../support/lsp-client';

type Pos = { line: number; character: number };
type Range = { start: Pos; end: Pos };

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

let shared: Promise<LspClient> | undefined;
function client(): Promise<LspClient> {
  shared ??= (async () => {
    const c = new LspClient();
    clients.push(c);
    const init = await c.initialize();
    assert.ok(init.capabilities.inlayHintProvider, 'inlay hints announced');
    assert.ok(init.capabilities.documentLinkProvider, 'document links announced');
    return c;
  })();
  return shared;
}

/** Every `|` marker: the text without them and their positions. */
function markers(marked: string): { text: string; positions: Pos[] } {
  const positions: Pos[] = [];
  let text = '';
  let line = 0;
  let character = 0;
  for (const ch of marked) {
    if (ch === '|') {
      positions.push({ line, character });
      continue;
    }
    text += ch;
    if (ch === '\n') {
      line++;
      character = 0;
    } else character++;
  }
  return { text, positions };
}

let docs = 0;
async function open(text: string): Promise<{ c: LspClient; uri: string }> {
  const c = await client();
  const uri = `file:///tmp/dw-inlay/${++docs}/Dockerfile`;
  await c.open(uri, text);
  return { c, uri };
}

const WHOLE: Range = { start: { line: 0, character: 0 }, end: { line: 9999, character: 0 } };

const HINTS: { name: string; doc: string; labels: string[] }[] = [
  { name: 'global ARG used in FROM', doc: 'ARG BASE=alpine:3.20\nFROM ${BASE}| AS app', labels: [': alpine:3.20'] },
  { name: 'bare $VAR inside an image word', doc: 'ARG PY=3.12\nFROM python:$PY|-slim', labels: [': 3.12'] },
  { name: 'several variables and the platform flag', doc: 'ARG P=linux/arm64\nARG IMG=node\nARG TAG=22\nFROM --platform=$P| ${IMG}|:${TAG}|', labels: [': linux/arm64', ': node', ': 22'] },
  { name: 'default modifier shows the value when set', doc: 'ARG IMG=debian\nFROM ${IMG:-alpine}|', labels: [': debian'] },
  { name: 'global ARG re-declared in a stage', doc: 'ARG VERSION=1.2.3\nFROM alpine\nARG VERSION|\nRUN echo $VERSION', labels: ['= 1.2.3'] },
  { name: 'empty default', doc: 'ARG EMPTY=\nFROM alpine\nARG EMPTY|', labels: ['= ""'] },
  { name: 'no hint for an ARG without a default', doc: 'ARG IMG\nFROM ${IMG}\nARG IMG', labels: [] },
  { name: 'no hint for a builder ARG', doc: 'FROM --platform=$BUILDPLATFORM alpine\nARG TARGETARCH', labels: [] },
  { name: 'no hint for :+ (the word is not the value)', doc: 'ARG V=1\nFROM alpine${V:+-x}', labels: [] },
  { name: 'no hint for a stage ARG with its own value', doc: 'ARG V=1\nFROM alpine\nARG V=2', labels: [] },
  { name: 'variables outside FROM get none', doc: 'FROM alpine\nENV A=1\nRUN echo $A', labels: [] },
];

for (const h of HINTS) {
  test(`inlay hints: ${h.name}`, async () => {
    const { text, positions } = markers(h.doc);
    const { c, uri } = await open(text);
    // Image size hints (data.image) are tested in test/images.
    const hints = (await c.request<{ position: Pos; label: string; tooltip?: { value: string }; data?: { image?: boolean } }[]>('textDocument/inlayHint', { textDocument: { uri }, range: WHOLE })).filter((x) => !x.data?.image);
    assert.deepEqual(hints.map((x) => x.label), h.labels);
    assert.deepEqual(hints.map((x) => x.position), positions);
    for (const x of hints) assert.match(x.tooltip!.value, /line \d+/);
  });
}

test('inlay hints: only those in the requested range', async () => {
  const { text } = markers('ARG A=1\nARG B=2\nFROM x$A\nFROM y$B\n');
  const { c, uri } = await open(text);
  const hints = (await c.request<{ label: string; data?: { image?: boolean } }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } } })).filter((x) => !x.data?.image);
  assert.deepEqual(hints.map((x) => x.label), [': 2']);
});

const DIGEST = 'sha256:' + 'b'.repeat(64);

/** `[linked text, target]` for each link of the document, in order. */
const LINKS: { name: string; doc: string; links: [string, string][] }[] = [
  { name: 'official Docker Hub image', doc: 'FROM alpine:3.20', links: [['alpine:3.20', 'https://hub.docker.com/_/alpine']] },
  { name: 'explicit docker.io library path', doc: 'FROM docker.io/library/node:22', links: [['docker.io/library/node:22', 'https://hub.docker.com/_/node']] },
  { name: 'user image on Docker Hub', doc: 'FROM bitnami/redis:7.2', links: [['bitnami/redis:7.2', 'https://hub.docker.com/r/bitnami/redis']] },
  { name: 'GHCR', doc: 'FROM ghcr.io/org/app:1.0', links: [['ghcr.io/org/app:1.0', 'https://ghcr.io/org/app']] },
  { name: 'Quay', doc: 'FROM quay.io/keycloak/keycloak:26.0', links: [['quay.io/keycloak/keycloak:26.0', 'https://quay.io/repository/keycloak/keycloak']] },
  { name: 'MCR', doc: 'FROM mcr.microsoft.com/dotnet/sdk:8.0', links: [['mcr.microsoft.com/dotnet/sdk:8.0', 'https://mcr.microsoft.com/artifact/mar/dotnet/sdk']] },
  { name: 'GCR', doc: 'FROM gcr.io/distroless/static-debian12', links: [['gcr.io/distroless/static-debian12', 'https://gcr.io/distroless/static-debian12']] },
  { name: 'ECR Public', doc: `FROM public.ecr.aws/docker/library/node@${DIGEST}`, links: [[`public.ecr.aws/docker/library/node@${DIGEST}`, 'https://gallery.ecr.aws/docker/library/node']] },
  { name: 'a private registry has no page', doc: 'FROM registry.example.com/team/app:1', links: [] },
  { name: 'stage names and scratch are not linked', doc: 'FROM alpine AS base\nFROM base\nFROM scratch', links: [['alpine', 'https://hub.docker.com/_/alpine']] },
  { name: 'resolved global ARG is linked, unresolved is not', doc: 'ARG A=python:3.12\nARG B\nFROM $A\nFROM $B', links: [['$A', 'https://hub.docker.com/_/python']] },
  {
    name: 'COPY --from and mount from= images',
    doc: 'FROM alpine AS s\nFROM alpine\nCOPY --from=nginx:1.27 /etc/nginx /n\nCOPY --from=s /a /b\nRUN --mount=type=bind,from=ghcr.io/o/tools:1,target=/t true\nONBUILD COPY --from=busybox /bin/sh /sh',
    links: [
      ['alpine', 'https://hub.docker.com/_/alpine'],
      ['alpine', 'https://hub.docker.com/_/alpine'],
      ['nginx:1.27', 'https://hub.docker.com/_/nginx'],
      ['ghcr.io/o/tools:1', 'https://ghcr.io/o/tools'],
      ['busybox', 'https://hub.docker.com/_/busybox'],
    ],
  },
];

for (const l of LINKS) {
  test(`document links: ${l.name}`, async () => {
    const { c, uri } = await open(l.doc);
    const links = await c.request<{ range: Range; target: string; tooltip?: string }[]>('textDocument/documentLink', { textDocument: { uri } });
    const lines = l.doc.split('\n');
    const off = (p: Pos) => lines.slice(0, p.line).reduce((n, x) => n + x.length + 1, 0) + p.character;
    assert.deepEqual(
      links.map((x) => [l.doc.slice(off(x.range.start), off(x.range.end)), x.target]),
      l.links,
    );
    for (const x of links) assert.match(x.tooltip ?? '', /^Open /);
  });
}
