/**
 * Dockwright in a real VS Code: code-server 4.100.3 with the PACKAGED dockwright.vsix installed, driven by
 * playwright-core in Debian's Chromium, on a temp copy of test/e2e/fixtures/workspace. One browser session for
 * all steps (starting the workbench costs ~30 s on 2 cores); each step uses its own folder of the workspace, so
 * the steps do not depend on each other's edits.
 *
 * A failing step saves a screenshot, the error, code-server's log and the VS Code logs (extension host logs and
 * the Dockwright output channel) under test-output/<step name>/.
 *
 * Run: `node test/run.mjs e2e` (not part of the default groups). Needs: scripts/env/code-server.sh (installs
 * code-server and Chromium), and for the build steps a Docker engine (started here with scripts/env/docker.sh
 * when none answers).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { INSTRUCTION_BY_NAME, MOUNT_TYPES } from '../../server/src/core/data/instructions';
import { IMAGE_SIZES } from '../../server/src/core/data/image-sizes';
import { DOCKER, dockerEngine, dockwrightLog, dockwrightLogFiles, installedCommands, run, startSession, type Engine, type Session } from './harness';
import {
  TIMEOUT,
  chooseAction,
  activeEditor,
  editorLine,
  gotoPosition,
  hoverAtCursor,
  openFile,
  openWorkbench,
  plain,
  problemsOf,
  quickInputTitle,
  quickPick,
  runCommand,
  showProblems,
  suggestion,
  suggestionLabels,
  suggestWidget,
  until,
} from './workbench';

const FIXTURE = join(__dirname, 'fixtures', 'workspace');
/** Marks the images of this run (LABEL in build/Dockerfile), so the build is found and cleaned up exactly. */
const RUN_ID = `e2e-${process.pid}-${Date.now()}`;
const STEP_TIMEOUT = 10 * 60_000;
const BLOB_BYTES = 300 * 1024;
/** What docker history says created the layer of build/data (BuildKit: "COPY data/ /data/ # buildkit"). */
const DATA_LAYER = 'COPY data/ /data/';

let session: Session;
let engine: Engine | undefined;
let commands: { command: string; title: string; category?: string }[] = [];

/** A step: on failure, saves the screenshot and logs under test-output/<name>/ before failing. */
function step(name: string, fn: (t: TestContext) => Promise<void>): void {
  it(name, { timeout: STEP_TIMEOUT }, async (t) => {
    const t0 = Date.now();
    try {
      await fn(t);
    } catch (e) {
      const out = await session.saveArtifacts(name, e);
      t.diagnostic(`screenshot and logs: ${out}`);
      throw e;
    } finally {
      t.diagnostic(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  });
}

/** The contributed command whose title matches, with its palette label ("Dockwright: Build Image"). */
function contributed(title: RegExp): string | undefined {
  const c = commands.find((x) => title.test(x.title));
  return c ? (c.category ? `${c.category}: ${c.title}` : c.title) : undefined;
}

function docker(args: string[]): string {
  return run(DOCKER, args, { timeoutMs: 300_000 });
}

/** Images of this run (by label). */
function imagesOfRun(): string[] {
  if (!engine || engine.unavailable) return [];
  return docker(['images', '-q', '--no-trunc', '--filter', `label=dockwright.e2e.run=${RUN_ID}`]).split('\n').filter(Boolean);
}

/** Starts (or finds) the Docker engine once; the reason to skip when there is none. */
function needEngine(): string | undefined {
  engine ??= dockerEngine();
  return engine.unavailable;
}

/** Size strings such as "307 kB", "300 KiB", "0.31 MB" in `text`, in bytes (SI and binary units). */
function sizesIn(text: string): number[] {
  const units: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
  return [...plain(text).matchAll(/(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|KiB|MiB|GiB)\b/g)].map((m) => Number(m[1]) * units[m[2]]);
}

describe('Dockwright in VS Code (code-server + Chromium, packaged .vsix)', { timeout: 60 * 60_000 }, () => {
  before(
    async () => {
      const t0 = Date.now();
      session = await startSession({
        fixture: FIXTURE,
        rewrite: { 'build/Dockerfile': (s) => s.replace('__RUN_ID__', RUN_ID) },
        // The layer of `COPY data/ /data/`: 300 KiB, far from every other layer's size.
        add: { 'build/data/blob.bin': Buffer.alloc(BLOB_BYTES, 'dockwright ') },
      });
      commands = installedCommands(session.extensionsDir);
      const t1 = Date.now();
      await openWorkbench(session.page, session.url);
      session.timings['workbench shown'] = Math.round((Date.now() - t1) / 100) / 10;
      session.timings['setup total'] = Math.round((Date.now() - t0) / 100) / 10;
      console.log(`# e2e setup (s): ${JSON.stringify(session.timings)}`);
    },
    { timeout: 40 * 60_000 },
  );

  after(async () => {
    try {
      for (const id of imagesOfRun()) spawnSync(DOCKER, ['rmi', '-f', id], { stdio: 'ignore', timeout: 60_000 });
    } finally {
      engine?.stop();
      await session?.close();
    }
  });

  step('opening a Dockerfile shows its diagnostics in the Problems panel', async () => {
    const page = session.page;
    await openFile(page, 'diagnostics/Dockerfile');
    await showProblems(page);
    const problems = await until(
      'UnknownInstruction and JSONArgsRecommended under diagnostics/Dockerfile in the Problems panel',
      async () => {
        const p = await problemsOf(page, 'diagnostics');
        return p.some((x) => x.code === 'UnknownInstruction') && p.some((x) => x.code === 'JSONArgsRecommended') ? p : undefined;
      },
      TIMEOUT.server,
    );
    const unknown = problems.find((p) => p.code === 'UnknownInstruction')!;
    assert.equal(unknown.source, 'dockwright');
    assert.match(unknown.message, /Unknown instruction "HEALTHCHEK"/);
    assert.deepEqual([unknown.line, unknown.column], [5, 1]);
    const json = problems.find((p) => p.code === 'JSONArgsRecommended')!;
    assert.match(json.message, /JSON/);
    assert.deepEqual([json.line, json.column], [6, 5]);
    // The error is also drawn in the editor.
    await activeEditor(page).locator('.squiggly-error').first().waitFor({ timeout: TIMEOUT.ui });
    // The extension logs how long loading its code and activating took (measured in the extension host).
    const activation = await until('the activation line in the Dockwright log', async () => /Activated in [\d.]+ ms.*/.exec(dockwrightLog(session.userDataDir))?.[0], TIMEOUT.ui);
    console.log(`# extension ${activation}`);
  });

  step('hover on an instruction shows its documentation (and layer information when available)', async (t) => {
    const page = session.page;
    await openFile(page, 'diagnostics/Dockerfile');
    await gotoPosition(page, 4, 2); // RUN npm install --omit=dev
    const summary = INSTRUCTION_BY_NAME.get('RUN')!.summary;
    const hover = await hoverAtCursor(page, summary);
    const text = plain(await hover.innerText());
    assert.ok(text.includes(`RUN: ${summary}`), `hover text:\n${text}`);
    assert.match(text, /Dockerfile reference/);
    if (/Layer:/.test(text)) {
      // The layer section (layer cache analysis): RUN makes a filesystem layer; what its cache key depends on.
      assert.match(text, /Layer:\s*RUN/, text);
      assert.match(text, /Cache key:/, text);
    } else {
      t.diagnostic('the hover has no "Layer:" section yet (layer hover not wired into textDocument/hover): only the documentation was checked');
    }
    await page.keyboard.press('Escape');
  });

  step('completion after RUN --mount= offers the mount types', async () => {
    const page = session.page;
    await openFile(page, 'completion/Dockerfile');
    await gotoPosition(page, 2, 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('RUN --mount=');
    // `=` re-triggers suggestions by itself; Ctrl+Space only if the widget did not open.
    const typeItem = suggestion(page, 'type=');
    if (!(await typeItem.waitFor({ timeout: 20_000 }).then(() => true, () => false))) {
      await page.keyboard.press('Control+Space');
      await typeItem.waitFor({ timeout: TIMEOUT.server });
    }
    await typeItem.click();
    await editorLine(page, 'RUN --mount=type=').waitFor({ timeout: TIMEOUT.ui });
    const expected = Object.keys(MOUNT_TYPES).sort();
    const labels = await until(
      `the mount types ${expected.join(', ')} in the suggest widget`,
      async () => {
        if (!(await suggestWidget(page).isVisible())) return undefined;
        const l = await suggestionLabels(page);
        return expected.every((m) => l.includes(m)) ? l : undefined;
      },
      TIMEOUT.server,
    );
    assert.ok(labels.includes('cache'));
    await suggestion(page, 'cache').click();
    await editorLine(page, 'RUN --mount=type=cache').waitFor({ timeout: TIMEOUT.ui });
    await page.keyboard.press('Escape');
  });

  step('a quick fix from the light bulb rewrites the text and clears the problem', async () => {
    const page = session.page;
    await openFile(page, 'quickfix/Dockerfile');
    await showProblems(page);
    const problem = await until(
      'JSONArgsRecommended under quickfix/Dockerfile',
      async () => (await problemsOf(page, 'quickfix')).find((p) => p.code === 'JSONArgsRecommended'),
      TIMEOUT.server,
    );
    await gotoPosition(page, problem.line, problem.column);
    const bulb = activeEditor(page).locator('.lightBulbWidget').filter({ visible: true }).first();
    await bulb.waitFor({ timeout: TIMEOUT.server });
    await bulb.click();
    const title = await chooseAction(page, /^Rewrite as CMD \[/);
    const rewritten = title.replace(/^Rewrite as /, '');
    assert.equal(rewritten, 'CMD ["echo", "hello", "from", "the", "quick", "fix"]');
    await editorLine(page, rewritten).waitFor({ timeout: TIMEOUT.ui });
    await until('JSONArgsRecommended to leave the Problems panel', async () => !(await problemsOf(page, 'quickfix')).some((p) => p.code === 'JSONArgsRecommended'), TIMEOUT.server);
  });

  step('FROM shows the image size hint from the offline table', async () => {
    const page = session.page;
    const mb = IMAGE_SIZES.images['node']?.['20-slim']?.[0];
    assert.ok(typeof mb === 'number', 'node:20-slim is in the bundled size table');
    const bytes = Math.round(mb * 1_000_000);
    // "≈70.0 MB" or "≈70 MB": the figure of the table, marked as an estimate; the exact rounding is not the point.
    const estimate = (text: string) => [...plain(text).matchAll(/≈\s*([\d.]+\s*[kMG]?B)/g)].some((m) => sizesIn(m[1]).some((v) => Math.abs(v - bytes) / bytes < 0.02));
    await openFile(page, 'diagnostics/Dockerfile');
    await until(`the inlay hint ≈${mb} MB after FROM node:20-slim`, async () => estimate(await editorLine(page, 'FROM node:20-slim').innerText()), TIMEOUT.server);
    await gotoPosition(page, 1, 8);
    const hover = await hoverAtCursor(page, 'Size');
    const text = plain(await hover.innerText());
    assert.ok(estimate(text), `the hover shows ≈${mb} MB:\n${text}`);
    assert.match(text, /table/i, 'the hover names the bundled table as the source');
    await page.keyboard.press('Escape');
  });

  step('Build Image builds with the real engine and the layer sizes appear', async (t) => {
    const page = session.page;
    const build = contributed(/^Build Image\b/i);
    if (!build) return t.skip('the packaged extension has no "Build Image" command yet (client/src/commands/, issue 7)');
    const noEngine = needEngine();
    if (noEngine) return t.skip(noEngine);
    await openFile(page, 'build/Dockerfile');
    await runCommand(page, build);
    // The command asks for the tag (give one of this run), then target/build args/platform/context as the
    // Dockerfile needs them: accept their defaults until the image of this run exists.
    const tag = `dockwright-e2e-build:${RUN_ID}`;
    await until('the tag input of Build Image', async () => /tag/i.test(await quickInputTitle(page)), TIMEOUT.ui);
    await page.locator('.quick-input-widget .quick-input-box input').filter({ visible: true }).fill(tag);
    await page.keyboard.press('Enter');
    const asked: string[] = [];
    const failure = page.locator('.notification-toast', { hasText: /build failed|failed to build|cannot build/i }).filter({ visible: true }).first();
    const outcome = await until(
      'the image built by Build Image (label dockwright.e2e.run)',
      async () => {
        const title = await quickInputTitle(page);
        if (title && !/tag/i.test(title)) {
          if (asked.at(-1) !== title) asked.push(title);
          await page.keyboard.press('Enter');
        }
        const ids = imagesOfRun();
        if (ids.length > 0) return { image: ids[0] };
        if (await failure.isVisible()) return { failed: plain(await failure.innerText()) };
        return undefined;
      },
      TIMEOUT.build,
    );
    t.diagnostic(`Build Image asked: ${asked.join(' | ') || 'nothing after the tag'}`);
    if ('failed' in outcome) assert.fail(`Build Image reported a failure:\n${outcome.failed}`);
    const image = outcome.image;
    assert.ok(docker(['image', 'inspect', '--format', '{{json .RepoTags}}', image]).includes(tag), `the image is tagged ${tag}`);
    const history = docker(['history', '--no-trunc', '--human=false', '--format', '{{.CreatedBy}}\t{{.Size}}', image]).split('\n');
    const dataLayer = history.find((l) => l.includes(DATA_LAYER));
    assert.ok(dataLayer, `docker history has the layer of ${DATA_LAYER}:\n${history.join('\n')}`);
    const bytes = Number(dataLayer.split('\t').pop());
    assert.ok(bytes >= BLOB_BYTES, `layer size ${bytes}`);
    // The size of that layer shows in the editor: a code lens right above its line (or an inlay hint on it).
    const near = (s: string) => sizesIn(s).some((v) => Math.abs(v - bytes) / bytes < 0.06);
    const line = editorLine(page, DATA_LAYER);
    const where = await until(
      `a layer size of about ${bytes} bytes on the ${DATA_LAYER} line`,
      async () => {
        if (near(await line.innerText())) return 'inlay hint';
        const lenses = activeEditor(page).locator('.codelens-decoration');
        for (let i = 0; i < (await lenses.count()); i++) {
          const lens = lenses.nth(i);
          if (!near(await lens.innerText())) continue;
          const [l, b] = [await lens.boundingBox(), await line.boundingBox()];
          if (!l || !b) continue;
          // The lens belongs to the next line: it sits between the previous line and this one.
          assert.ok(l.y < b.y && b.y - l.y < 2.5 * b.height, `the lens "${plain(await lens.innerText())}" is right above "${DATA_LAYER}" (lens y ${l.y}, line y ${b.y})`);
          return `code lens "${plain(await lens.innerText())}"`;
        }
        return undefined;
      },
      TIMEOUT.build,
    );
    t.diagnostic(`layer size shown as ${where}`);
  });

  step('Inspect Image renders the image', async (t) => {
    const page = session.page;
    const inspect = contributed(/^Inspect Image\b/i);
    if (!inspect) return t.skip('the packaged extension has no "Inspect Image" command yet (client/src/commands/, issue 7)');
    const noEngine = needEngine();
    if (noEngine) return t.skip(noEngine);
    // Independent of the build step: make the image with the CLI (BuildKit).
    const tag = `dockwright-e2e-inspect:${RUN_ID}`;
    run(DOCKER, ['build', '--network=none', '-q', '-t', tag, join(session.workspace, 'build')], { env: { DOCKER_BUILDKIT: '1' }, timeoutMs: 300_000 });
    const dataLayer = docker(['history', '--no-trunc', '--human=false', '--format', '{{.CreatedBy}}\t{{.Size}}', tag]).split('\n').find((l) => l.includes(DATA_LAYER));
    assert.ok(dataLayer, `docker history has the layer of ${DATA_LAYER}`);
    const bytes = Number(dataLayer.split('\t').pop());
    await openFile(page, 'build/Dockerfile');
    await runCommand(page, inspect);
    // The picker lists the last builds and every local image: narrow it to this image's tag.
    await quickPick(page, tag, tag);
    // A webview (nested frames) or a virtual document: the image's tag and the layer's created_by in either
    // (not the Dockerfile itself, which has the instruction but not the tag).
    const shows = (text: string) => text.includes(tag) && text.includes(DATA_LAYER) && /layers/i.test(text);
    const view = await until(
      'the inspect view with the layers of the image',
      async () => {
        for (const frame of page.frames()) {
          if (frame === page.mainFrame()) continue;
          const body = plain(await frame.locator('body').innerText({ timeout: 1000 }).catch(() => ''));
          if (shows(body)) return body;
        }
        const doc = plain(await activeEditor(page).locator('.view-lines').innerText({ timeout: 1000 }).catch(() => ''));
        return shows(doc) ? doc : undefined;
      },
      TIMEOUT.server,
    );
    assert.match(view, /\/app\/hello\.sh/, 'the view shows the CMD');
    const row = view.split('\n').find((l) => l.includes(DATA_LAYER)) ?? '';
    assert.ok(sizesIn(view).some((v) => Math.abs(v - bytes) / bytes < 0.06), `the layers table shows the size of ${DATA_LAYER} (${bytes} bytes); its row: ${row}`);
  });

  step('after a reload the extension loads its code from V8\'s code cache', async () => {
    const page = session.page;
    const first = /Activated in .*/.exec(dockwrightLog(session.userDataDir))?.[0] ?? '';
    assert.match(first, /V8 code cache: (miss|rejected)/, 'the first activation compiled the code and saves the cache');
    const before = new Set(dockwrightLogFiles(session.userDataDir));
    // A reload starts a new extension host (with a log of its own); opening a Dockerfile activates the extension there.
    await openWorkbench(page, session.url);
    await openFile(page, 'diagnostics/Dockerfile');
    const again = await until(
      'the activation line in the new extension host\'s Dockwright log',
      async () => {
        const fresh = dockwrightLogFiles(session.userDataDir).find((f) => !before.has(f));
        return fresh ? /Activated in .*/.exec(readFileSync(fresh, 'utf8'))?.[0] : undefined;
      },
      TIMEOUT.server,
    );
    console.log(`# extension after reload: ${again}`);
    assert.match(again, /V8 code cache: hit/);
  });
});
