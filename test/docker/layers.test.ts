/**
 * Layer sizes mapped back to the Dockerfile, against real images: both builders' history formats, a
 * multi-stage build with a target (only the target's chain maps), sizes and digests equal to what
 * `docker history` / `docker image inspect` say, and the same through the real language server (code lenses
 * after `dockwright/builtImage`, following edits; `dockwright/stages`; the layer hover's input).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeSyntax } from '../../server/src/core/analyze';
import { formatBytes } from '../../server/src/core/features/context-files';
import { matchKnownLayers } from '../../server/src/core/features/known-layers';
import { instructionLayers, mapLayers, toKnownImageLayers } from '../../server/src/core/features/layer-map';
import { runBuild } from '../../server/src/host/docker/build';
import { imageLayers } from '../../server/src/host/docker/images';
import { LspClient } from '../support/lsp-client';
import { BASE_IMAGE, cleanup, DOCKER, dockerReady, dockerSync, makeContext, startDocker, uniqueTag } from './support';

before(async () => {
  await startDocker();
});
const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  cleanup();
});

const MULTI = `ARG BASE=${BASE_IMAGE}
FROM \${BASE} AS deps
ARG GREETING=hello
WORKDIR /src
RUN printf '%s' "$GREETING" > /src/greeting && dd if=/dev/zero of=/src/blob bs=1000 count=40
COPY app.txt /src/

FROM deps AS app
ARG MODE
ENV MODE=$MODE
RUN cp /src/greeting /greeting.txt && dd if=/dev/zero of=/big bs=1000 count=120
COPY --from=deps /src/blob /blob
LABEL stage=app
CMD ["cat", "/greeting.txt"]

FROM ${BASE_IMAGE} AS unused
RUN echo never-built
COPY app.txt /unused.txt
`;
/** 0-based lines of the instructions that make layers in the `app` image. */
const LAYER_LINES = [3, 4, 5, 10, 11];

/** `docker history` read independently of the code under test: created_by -> size in bytes. */
function historySizes(image: string): { createdBy: string; size: number }[] {
  return dockerSync(['history', '--no-trunc', '--human=false', '--format', '{{.CreatedBy}}\t{{.Size}}', image])
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const tab = l.lastIndexOf('\t');
      return { createdBy: l.slice(0, tab), size: Number(l.slice(tab + 1)) };
    });
}

const built = new Map<string, Promise<{ tag: string; ctx: string; imageId: string }>>();
function buildMulti(builder: 'buildkit' | 'classic') {
  let p = built.get(builder);
  if (!p) {
    p = (async () => {
      const ctx = makeContext({ Dockerfile: MULTI, 'app.txt': 'app\n' });
      const tag = uniqueTag(`layers-${builder}`);
      const r = await runBuild({ dockerPath: DOCKER, builder, dockerfile: join(ctx, 'Dockerfile'), context: ctx, tag, target: 'app', buildArgs: [['MODE', 'm o d e']], network: 'none' });
      if (!r.ok) throw new Error(`build failed: ${JSON.stringify(r)}`);
      return { tag, ctx, imageId: r.imageId };
    })();
    built.set(builder, p);
  }
  return p;
}

for (const builder of ['buildkit', 'classic'] as const) {
  test(`${builder}: history entries map to the target stage's instructions; sizes and digests match docker`, async (t) => {
    if (!(await dockerReady(t))) return;
    const { tag } = await buildMulti(builder);
    const layers = await imageLayers(tag, { dockerPath: DOCKER });
    const analysis = analyzeSyntax(MULTI);
    for (const target of ['app', undefined]) {
      const mapping = mapLayers(analysis, layers.history, { target, diffIds: layers.diffIds });
      assert.equal(mapping.target?.name, 'app', `target ${target}`);
      const made = instructionLayers(mapping);
      assert.deepEqual(made.map((e) => e.line), LAYER_LINES, `${builder} target=${target}: ${JSON.stringify(mapping.entries.map((e) => [e.line, e.entry.createdBy]))}`);
      // The base image's entry is recognised as such, and nothing maps to the unused stage.
      assert.equal(mapping.entries.filter((e) => e.base).length, 1);
      assert.ok(mapping.entries.every((e) => e.line === undefined || e.line < 15));
      // Sizes equal `docker history`.
      const sizes = historySizes(tag);
      for (const e of made) {
        const h = sizes.find((s) => s.createdBy === e.entry.createdBy);
        assert.ok(h, `no history entry for ${e.entry.createdBy}`);
        assert.equal(e.entry.size, h.size, e.entry.createdBy);
      }
      assert.ok(made.find((e) => e.line === 10)!.entry.size >= 120_000);
      assert.ok(made.find((e) => e.line === 4)!.entry.size >= 40_000);
      // Digests in RootFS order, one per layer.
      const digests = mapping.entries.filter((e) => e.layer).map((e) => e.digest);
      assert.deepEqual(digests, layers.diffIds);
      // Config-only entries are known as such.
      assert.ok(mapping.entries.filter((e) => e.line === 12 || e.line === 13).every((e) => !e.layer));
    }
  });
}

test('the layer hover input (KnownImageLayers) resolves to the same instructions', async (t) => {
  if (!(await dockerReady(t))) return;
  const { tag } = await buildMulti('buildkit');
  const layers = await imageLayers(tag, { dockerPath: DOCKER });
  const analysis = analyzeSyntax(MULTI);
  const known = toKnownImageLayers(mapLayers(analysis, layers.history, { target: 'app', diffIds: layers.diffIds }), tag);
  const matched = matchKnownLayers(analysis, known);
  const lines = [...matched.entries()].filter(([, l]) => !l.empty).map(([ins]) => ins.startLine).sort((a, b) => a - b);
  // RUN lines whose build args hold spaces may not pass the hover's own text check; the others must.
  for (const line of [3, 5, 11]) assert.ok(lines.includes(line), `line ${line} in ${JSON.stringify(lines)}`);
  for (const [ins, l] of matched) if (!l.empty) assert.ok(l.digest?.startsWith('sha256:'), `${ins.startLine}`);
});

test('through the language server: code lenses show each layer size on its instruction and follow edits', async (t) => {
  if (!(await dockerReady(t))) return;
  const { tag, ctx, imageId } = await buildMulti('buildkit');
  const layers = await imageLayers(tag, { dockerPath: DOCKER });
  const c = new LspClient();
  clients.push(c);
  const init = await c.initialize();
  assert.ok(init.capabilities.codeLensProvider, 'code lens capability');
  const uri = pathToFileURL(join(ctx, 'Dockerfile')).href;
  await c.open(uri, MULTI);

  const stages = await c.request<{ stages: { name?: string; line: number }[]; args: { name: string; defaultValue?: string }[]; defaultTarget?: string }>('dockwright/stages', { uri });
  assert.deepEqual(stages.stages.map((s) => [s.name, s.line]), [['deps', 1], ['app', 7], ['unused', 15]]);
  assert.deepEqual(stages.args.map((a) => [a.name, a.defaultValue]), [['BASE', BASE_IMAGE], ['GREETING', 'hello'], ['MODE', undefined]]);
  assert.equal(stages.defaultTarget, 'unused');
  // A document the server does not have: analysed from the text sent along.
  const other = await c.request<{ stages: unknown[] }>('dockwright/stages', { uri: 'file:///not/open/Dockerfile', text: 'FROM a AS one\nFROM b AS two\n' });
  assert.equal(other.stages.length, 2);

  assert.deepEqual(await c.request('textDocument/codeLens', { textDocument: { uri } }), []);
  await c.conn.sendNotification('dockwright/builtImage', { uri, image: { id: imageId, tag, target: 'app' }, history: layers.history, diffIds: layers.diffIds });
  type Lens = { range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } };
  const lenses = await c.request<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.deepEqual(lenses.map((l) => l.range.start.line), LAYER_LINES);
  const sizes = historySizes(tag);
  // Which `docker history` entry each line made, told by hand.
  const made: Record<number, (createdBy: string) => boolean> = {
    3: (c) => c === 'WORKDIR /src',
    4: (c) => c.includes("printf '%s'"),
    5: (c) => c.startsWith('COPY app.txt /src/'),
    10: (c) => c.includes('cp /src/greeting /greeting.txt'),
    11: (c) => c.startsWith('COPY /src/blob /blob'),
  };
  for (const l of lenses) {
    const h = sizes.find((s) => made[l.range.start.line](s.createdBy));
    assert.ok(h, `history entry for line ${l.range.start.line}`);
    assert.ok(l.command.title.startsWith(`${formatBytes(h.size)} layer`), `${l.command.title} vs ${h.size}`);
    assert.equal(l.command.command, 'dockwright.inspectImage');
    assert.deepEqual(l.command.arguments, [{ image: imageId, dockerfile: uri, label: tag }]);
  }
  // An edit above moves the lenses with their instructions.
  await c.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# a comment\n' }]);
  const moved = await c.request<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.deepEqual(moved.map((l) => l.range.start.line), LAYER_LINES.map((n) => n + 1));
  // Forgetting the image removes them.
  await c.conn.sendNotification('dockwright/builtImage', { uri, image: { id: imageId }, history: null });
  assert.deepEqual(await c.request('textDocument/codeLens', { textDocument: { uri } }), []);
});
