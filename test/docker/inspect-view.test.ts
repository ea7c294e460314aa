/**
 * The Inspect Image view's HTML from a real image whose metadata tries to break out of it: every value is
 * escaped, the content security policy allows nothing but the nonce'd style and script, and the layers
 * table links the lines of the Dockerfile that made them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeSyntax } from '../../server/src/core/analyze';
import { mapLayers } from '../../server/src/core/features/layer-map';
import { runBuild } from '../../server/src/host/docker/build';
import { imageLayers } from '../../server/src/host/docker/images';
import { escapeHtml, renderInspectHtml } from '../../server/src/host/docker/inspect-view';
import { BASE_IMAGE, cleanup, DOCKER, dockerReady, makeContext, startDocker, uniqueTag } from './support';

before(async () => {
  await startDocker();
});
after(() => cleanup());

const EVIL = `</td></table><script>alert(1)</script><img src=x onerror="alert(2)">'\`&amp;`;

test('the Inspect view escapes image metadata and allows only its own nonce', async (t) => {
  if (!(await dockerReady(t))) return;
  const text = `FROM ${BASE_IMAGE}\nARG V\nLABEL evil=$V\nENV EVIL=$V\nWORKDIR /app\nRUN echo hi > /app/x\nEXPOSE 8080/tcp\nVOLUME /data\nHEALTHCHECK --interval=5s CMD echo ok\nUSER 1000\nENTRYPOINT ["/bin/sh", "-c"]\nCMD ["echo \\"$EVIL\\""]\n`;
  const ctx = makeContext({ Dockerfile: text });
  const tag = uniqueTag('inspect');
  const r = await runBuild({ dockerPath: DOCKER, builder: 'buildkit', dockerfile: join(ctx, 'Dockerfile'), context: ctx, tag, buildArgs: [['V', EVIL]], labels: [['k<svg/onload=alert(3)>', EVIL]], network: 'none' });
  assert.ok(r.ok, JSON.stringify(r));
  const layers = await imageLayers(tag, { dockerPath: DOCKER });
  assert.equal(layers.inspect.Config?.Labels?.evil, EVIL);
  const mapping = mapLayers(analyzeSyntax(text), layers.history, { diffIds: layers.diffIds });
  const rows = mapping.entries.map((e) => ({ createdBy: e.entry.createdBy, size: e.entry.size, cumulativeSize: e.cumulativeSize, line: e.line, base: e.base, empty: !e.layer, digest: e.digest }));
  const html = renderInspectHtml({ image: layers.inspect, title: `${tag} ${EVIL}`, layers: rows, dockerfile: 'Dockerfile' }, { cspSource: 'vscode-webview://x', nonce: 'N0nce' });
  // Nothing of the payload survives as markup.
  assert.ok(!html.includes('<script>alert'), 'raw script');
  assert.ok(!html.includes('<img'), 'raw img');
  assert.ok(!html.includes('<svg'), 'raw svg');
  assert.ok(!html.includes('onerror="'), 'raw handler');
  assert.ok(html.includes(escapeHtml(EVIL)));
  // One script, one style, both with the nonce; the policy forbids everything else.
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.match(html, /<script nonce="N0nce">/);
  assert.match(html, /<style nonce="N0nce">/);
  assert.match(html, /default-src 'none'; img-src vscode-webview:\/\/x; style-src vscode-webview:\/\/x 'nonce-N0nce'; script-src 'nonce-N0nce';/);
  // The fields are there.
  for (const s of ['linux/amd64', '8080/tcp', '/data', '/app', '1000', 'interval 5s', 'CMD-SHELL'.slice(0, 0) + 'echo ok', '[&quot;/bin/sh&quot;,&quot;-c&quot;]']) assert.ok(html.includes(s), s);
  // Layers made by the Dockerfile link to their lines: WORKDIR (line 5) and RUN (line 6).
  assert.match(html, /data-line="4"/);
  assert.match(html, /data-line="5"/);
  assert.match(html, /base image/);
});
