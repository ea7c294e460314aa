/**
 * The layer-cache module through the real server over JSON-RPC: the build context is scanned in the
 * background and the cache rules see it (diagnostics refreshed when the scan lands), the layer hover at
 * cursor markers, the ContextNotIgnored code action (a WorkspaceEdit creating .dockerignore) applied on disk
 * and picked up by the watcher, the `dockwright/cacheMap` request (a `# dockwright context=` comment included),
 * and the known image layers in the hover.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, cursor, type Diag } from '../support/lsp-client';
import { writeContext } from '../support/context-fixture';

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function start(root: string): Promise<LspClient> {
  const c = new LspClient();
  clients.push(c);
  await c.initialize(root);
  return c;
}

const DOCKERFILE = `FROM node:20-slim AS build
WORKDIR /app
CO|1|PY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
LA|2|BEL org.opencontainers.image.title="shop"
`;

/** The text without markers, and the position of marker `n`. */
function marked(n: number): { text: string; line: number; character: number } {
  const withOne = DOCKERFILE.replace(`|${n}|`, '§').replace(/\|\d\|/g, '');
  const c = cursor(withOne, '§');
  return { text: c.text, line: c.line, character: c.character };
}

async function hover(c: LspClient, uri: string, pos: { line: number; character: number }): Promise<string> {
  const h = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: pos });
  return h?.contents.value ?? '';
}

const codes = (d: Diag[]) => d.map((x) => x.code);

test('scan, rules, layer hover, .dockerignore code action applied and watched, cache map, known layers', async () => {
  const root = writeContext({
    'package.json': 'p'.repeat(900),
    'package-lock.json': 'l'.repeat(2100),
    'src/index.js': 'i'.repeat(300),
    'nginx.conf': 'server {}\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.git/objects/pack/p.pack': 'g'.repeat(40_000),
    'node_modules/react/index.js': 'r'.repeat(12_000),
  });
  mkdirSync(join(root, 'docker'));
  writeFileSync(join(root, 'docker', 'web.Dockerfile'), '# dockwright context=..\nFROM nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\nCOPY src/ /srv/\n');
  const c = await start(root);
  const uri = pathToFileURL(join(root, 'Dockerfile')).href;
  const { text } = marked(1);
  writeFileSync(join(root, 'Dockerfile'), text);
  await c.open(uri, text);

  // The scan finishes in the background and the diagnostics are published again with what it found.
  const diags = await c.waitForDiagnostics(uri, (d) => codes(d).includes('ContextNotIgnored'));
  const notIgnored = diags.find((d) => d.code === 'ContextNotIgnored')!;
  assert.match(notIgnored.message, /no \.dockerignore: 9 files \(55\.7 kB\)/);
  assert.match(notIgnored.message, /\.git \(version control data: 2 files, 40\.0 kB\)/);

  // Layer hover on a COPY: a layer, the files it copies, what re-runs.
  const copy = await hover(c, uri, marked(1));
  assert.match(copy, /`COPY` creates a filesystem layer/);
  assert.match(copy, /the content of 2 files \(3\.0 kB\) from the build context/);
  assert.match(copy, /Largest: `package-lock\.json` 2\.1 kB, `package\.json` 900 B/);
  assert.match(copy, /4 later steps re-run: line 4 `RUN npm ci`, line 5 `COPY \. \.`, line 6 `RUN npm run build`, and 1 more/);
  const label = await hover(c, uri, marked(2));
  assert.match(label, /changes the image configuration only/);

  // The fix creates .dockerignore (a WorkspaceEdit with CreateFile); apply it as an editor would.
  const actions = await c.request<{ title: string; edit: { documentChanges: { kind?: string; uri?: string; textDocument?: { uri: string }; edits?: { newText: string }[] }[] } }[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: notIgnored.range,
    context: { diagnostics: [notIgnored], only: ['quickfix'] },
  });
  const create = actions.find((a) => a.title.startsWith('Create .dockerignore'));
  assert.ok(create, JSON.stringify(actions.map((a) => a.title)));
  const changes = create.edit.documentChanges;
  const ignoreUri = pathToFileURL(join(root, '.dockerignore')).href;
  assert.equal(changes[0].kind, 'create');
  assert.equal(changes[0].uri, ignoreUri);
  assert.equal(changes[1].textDocument?.uri, ignoreUri);
  const content = changes[1].edits![0].newText;
  assert.match(content, /^\.git$/m);
  assert.match(content, /^node_modules$/m);
  writeFileSync(join(root, '.dockerignore'), content);
  // The editor's file watcher reports the new file (VS Code does; the server's own fs.watch is the fallback),
  // the context is scanned again with the new rules, and the warning goes away.
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ignoreUri, type: 1 }] });
  await c.waitForDiagnostics(uri, (d) => !codes(d).includes('ContextNotIgnored'), 20_000);

  // Cache map: the lockfile busts the install's COPY; src/ files are read by both Dockerfiles.
  const lock = await c.request<{ results: { dockerfile: string; ignored: boolean; first?: { line: number; text: string; via: string }; busts: { line: number }[]; rebuilt: number; next: { line: number }[] }[] }>('dockwright/cacheMap', { path: join(root, 'package-lock.json') });
  const main = lock.results.find((r) => r.dockerfile === uri)!;
  assert.equal(main.first?.line, 2);
  assert.equal(main.first?.text, 'COPY package.json package-lock.json ./');
  assert.equal(main.rebuilt, 5, 'the COPY, npm ci, COPY . ., the build, and the nginx stage COPY --from');
  // `COPY . .` reads it too (a bust of its own); the others re-run because of them.
  assert.deepEqual(main.busts.map((s) => s.line), [2, 4]);
  assert.deepEqual(main.next.map((s) => s.line), [3, 5, 8]);
  const src = await c.request<{ results: { dockerfile: string; first?: { line: number } }[] }>('dockwright/cacheMap', { uri: pathToFileURL(join(root, 'src', 'index.js')).href });
  const byFile = new Map(src.results.map((r) => [r.dockerfile.replace(/^.*\//, ''), r.first?.line]));
  assert.equal(byFile.get('Dockerfile'), 4);
  assert.equal(byFile.get('web.Dockerfile'), 3, 'found through its context comment');
  const ignored = await c.request<{ results: { dockerfile: string; ignored: boolean }[] }>('dockwright/cacheMap', { path: join(root, 'node_modules', 'react', 'index.js') });
  assert.ok(ignored.results.find((r) => r.dockerfile === uri)?.ignored);

  // An image built from this Dockerfile: the hover shows the real layer.
  const build = marked(1);
  await c.conn.sendNotification('dockwright/knownLayers', {
    uri,
    image: { image: 'shop:dev', layers: [{ line: 2, createdBy: 'COPY package.json package-lock.json ./ # buildkit', size: 3000, digest: 'sha256:' + 'e'.repeat(64) }] },
  });
  const withLayer = await hover(c, uri, build);
  assert.match(withLayer, /\*\*Last build\*\* \(`shop:dev`\): 3\.0 kB, `sha256:eeeeeeeeeeee…`/);
});
