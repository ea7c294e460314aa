/**
 * Builds against a real dockerd (BuildKit through DOCKER_BUILDKIT=1 and the classic builder): a multi-stage
 * build with a target and build args, progress parsing, a failing step reported on its line, arguments passed
 * literally (nothing runs), cancellation of a long build with nothing left behind, a flooding build, and the
 * faults (docker missing, daemon down, image not found, socket permission, deadline).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSyntax } from '../../server/src/core/analyze';
import { instructionForStep } from '../../server/src/core/features/build-steps';
import { runBuild, buildCommand, DOCKERFILE_LABEL, dockerfileLabelValue, TARGET_LABEL, type BuildRequest } from '../../server/src/host/docker/build';
import { classifyFailure, DockerError, probeEngine, runDocker } from '../../server/src/host/docker/cli';
import { inspectImage } from '../../server/src/host/docker/images';
import { exploreImage } from '../../server/src/host/docker/layer-worker';
import type { BuildProgress } from '../../server/src/host/docker/progress';
import { CappedOutput } from '../../server/src/host/docker/output-cap';
import { BASE_IMAGE, cleanup, DOCKER, dockerReady, dockerSync, makeContext, processesMatching, startDocker, uniqueTag, waitFor } from './support';

before(async () => {
  await startDocker();
});
after(() => cleanup());

const BUILDERS = [
  ['buildkit', 'BuildKit'],
  ['classic', 'classic builder'],
] as const;

const MULTI = `ARG BASE=${BASE_IMAGE}
FROM \${BASE} AS deps
ARG GREETING=hello
WORKDIR /src
RUN printf '%s' "$GREETING" > /src/greeting && dd if=/dev/zero of=/src/blob bs=1000 count=40
COPY app.txt /src/

FROM deps AS app
ARG MODE
ENV MODE=$MODE
RUN cp /src/greeting /greeting.txt
COPY --from=deps /src/blob /blob
LABEL stage=app
CMD ["cat", "/greeting.txt"]

FROM ${BASE_IMAGE} AS unused
RUN echo never-built
`;

function request(ctx: string, builder: 'buildkit' | 'classic', extra: Partial<BuildRequest> = {}): BuildRequest {
  return { dockerPath: DOCKER, builder, dockerfile: join(ctx, 'Dockerfile'), context: ctx, network: 'none', ...extra };
}

for (const [builder, label] of BUILDERS) {
  test(`${label}: a multi-stage build with a target and build args produces the image`, async (t) => {
    if (!(await dockerReady(t))) return;
    const ctx = makeContext({ Dockerfile: MULTI, 'app.txt': 'app\n' });
    const tag = uniqueTag(`multi-${builder}`);
    const seen: BuildProgress[] = [];
    let output = '';
    const r = await runBuild(request(ctx, builder, { tag, target: 'app', buildArgs: [['GREETING', 'bonjour'], ['MODE', 'prod']] }), {
      onProgress: (p) => seen.push(p),
      onOutput: (s) => (output += s),
    });
    assert.ok(r.ok, `build failed: ${JSON.stringify(r)}\n${output}`);
    assert.match(r.imageId, /^sha256:[0-9a-f]{64}$/);
    const img = await inspectImage(tag, { dockerPath: DOCKER });
    assert.equal(img.Id, r.imageId);
    assert.ok(img.Config?.Env?.includes('MODE=prod'), `env: ${img.Config?.Env}`);
    assert.equal(img.Config?.Labels?.stage, 'app');
    assert.equal(img.Config?.Labels?.[DOCKERFILE_LABEL], dockerfileLabelValue(join(ctx, 'Dockerfile')));
    assert.equal(img.Config?.Labels?.[TARGET_LABEL], 'app');
    assert.deepEqual(img.Config?.Cmd, ['cat', '/greeting.txt']);
    assert.equal(dockerSync(['run', '--rm', '--network=none', tag]), 'bonjour');
    // The stage after the target was not built.
    assert.doesNotMatch(output, /never-built/);
    // Progress: the steps were seen, with the current instruction, and the last report says all are done.
    assert.ok(seen.some((p) => p.current?.includes('RUN cp /src/greeting /greeting.txt')), `progress: ${JSON.stringify(seen.map((p) => p.current))}`);
    assert.equal(seen[0].builder, builder === 'classic' ? 'classic' : 'buildkit');
    const lastP = r.progress;
    assert.ok(lastP.total >= 4, JSON.stringify(lastP));
    if (builder === 'buildkit') assert.equal(lastP.done, lastP.total, JSON.stringify(lastP));
    else assert.equal(lastP.total, 15, JSON.stringify(lastP)); // every instruction up to the target, and the 2 labels
  });

  test(`${label}: a failing RUN is reported on its line with the builder's message`, async (t) => {
    if (!(await dockerReady(t))) return;
    const text = `FROM ${BASE_IMAGE} AS base\nRUN echo fine\n\nFROM base AS final\nENV A=b\n# the next step fails\nRUN echo "about to fail" && \\\n    echo "last words" && exit 3\nCMD ["sh"]\n`;
    const ctx = makeContext({ Dockerfile: text });
    const r = await runBuild(request(ctx, builder, { tag: uniqueTag(`fail-${builder}`), noCache: true }));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.cancelled, false);
    assert.ok(r.failure, `no failure parsed: ${JSON.stringify(r)}`);
    assert.match(r.failure.message, /3/);
    assert.ok(r.failure.output.some((l) => l.includes('last words')), JSON.stringify(r.failure.output));
    const ins = instructionForStep(analyzeSyntax(text), r.failure.ref!);
    assert.equal(ins?.startLine, 6, `mapped to ${ins?.startLine} from ${JSON.stringify(r.failure.ref)}`);
  });

  test(`${label}: a COPY of a missing file and a parse error are reported on their lines`, async (t) => {
    if (!(await dockerReady(t))) return;
    const copy = `FROM ${BASE_IMAGE}\nRUN echo one\nCOPY missing.txt /x\n`;
    const ctx = makeContext({ Dockerfile: copy });
    const r = await runBuild(request(ctx, builder, { tag: uniqueTag(`copy-${builder}`) }));
    assert.ok(!r.ok && r.failure?.ref, JSON.stringify(r));
    if (r.ok) return;
    assert.equal(instructionForStep(analyzeSyntax(copy), r.failure!.ref!)?.startLine, 2);
    assert.match(r.failure!.message, /missing\.txt|not found|no such file/i);

    const bad = `FROM ${BASE_IMAGE}\nRUN echo one\n\nRUNN echo two\n`;
    const ctx2 = makeContext({ Dockerfile: bad });
    const r2 = await runBuild(request(ctx2, builder, { tag: uniqueTag(`parse-${builder}`) }));
    assert.ok(!r2.ok && r2.failure?.ref, JSON.stringify(r2));
    if (r2.ok) return;
    assert.equal(instructionForStep(analyzeSyntax(bad), r2.failure!.ref!)?.startLine, 3);
  });
}

const EVIL = `$(touch pwned); touch pwned2 ; echo "a b" 'c d' \`touch pwned3\` && rm -rf /nothing`;

function noPwned(dirs: string[]): string[] {
  const found: string[] = [];
  for (const d of dirs) for (const f of readdirSync(d)) if (f.startsWith('pwned')) found.push(join(d, f));
  return found;
}

test('a tag or build arg holding $(...), ;, quotes and spaces is passed literally and nothing runs', async (t) => {
  if (!(await dockerReady(t))) return;
  const text = `FROM ${BASE_IMAGE}\nARG V\nENV V=$V\nLABEL v=$V\nRUN printf '%s' "$V" > /v.txt\n`;
  const ctx = makeContext({ Dockerfile: text });
  const watch = [ctx, process.cwd(), tmpdir()];
  assert.deepEqual(noPwned(watch), []);

  // The command line holds each value as one argument.
  const { args } = buildCommand(request(ctx, 'buildkit', { tag: `x:${EVIL}`, buildArgs: [['V', EVIL]], labels: [['note', EVIL]] }), '/tmp/iid');
  assert.ok(args.includes(`x:${EVIL}`));
  assert.ok(args.includes(`V=${EVIL}`));
  assert.ok(args.includes(`note=${EVIL}`));

  // An evil tag: docker rejects it as a reference; nothing runs.
  const r1 = await runBuild(request(ctx, 'buildkit', { tag: `dockwright-test/evil:${EVIL}` }));
  assert.equal(r1.ok, false);
  if (!r1.ok) assert.match(`${r1.fault?.message} ${r1.failure?.message}`, /invalid (reference|tag|argument)/i);

  // An evil build arg and label: stored literally.
  for (const builder of ['buildkit', 'classic'] as const) {
    const tag = uniqueTag(`literal-${builder}`);
    const r = await runBuild(request(ctx, builder, { tag, buildArgs: [['V', EVIL]], labels: [['note', EVIL]] }));
    assert.ok(r.ok, JSON.stringify(r));
    const img = await inspectImage(tag, { dockerPath: DOCKER });
    assert.ok(img.Config?.Env?.includes(`V=${EVIL}`), `${builder} env: ${JSON.stringify(img.Config?.Env)}`);
    assert.equal(img.Config?.Labels?.v, EVIL);
    assert.equal(img.Config?.Labels?.note, EVIL);
    assert.equal(dockerSync(['run', '--rm', '--network=none', tag, 'cat', '/v.txt']), EVIL);
    const rootFiles = dockerSync(['run', '--rm', '--network=none', tag, 'ls', '-a', '/']).split('\n');
    assert.deepEqual(rootFiles.filter((f) => f.startsWith('pwned')), [], `${builder}: files in the image's /`);
  }
  assert.deepEqual(noPwned(watch), []);
});

test('cancel stops a long build within seconds and leaves no process behind', async (t) => {
  if (!(await dockerReady(t))) return;
  for (const builder of ['buildkit', 'classic'] as const) {
    const marker = `${process.pid}${Date.now() % 100000}`;
    // A long step (60 s and a bit) whose process is recognisable among everything else on this machine.
    const sleep = `sleep ${60 + (Number(marker) % 9000)}`;
    const ctx = makeContext({ Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo start-${marker} && ${sleep} && echo ${marker}\n` });
    const controller = new AbortController();
    let pid: number | undefined;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let seen = '';
    // The step's own output (not its name in the progress, which is followed by the rest of the command).
    const echoed = new RegExp(`start-${marker}\\r?\\n`);
    const build = runBuild(request(ctx, builder, { tag: uniqueTag(`cancel-${builder}`), noCache: true }), {
      signal: controller.signal,
      onStart: (_args, p) => (pid = p),
      onOutput: (s) => {
        seen = (seen + s).slice(-4096);
        if (echoed.test(seen)) started();
      },
    });
    try {
      await Promise.race([running, build]);
      assert.ok(pid, 'docker started');
      // The step's output can arrive a moment before its `sleep` is exec'd.
      assert.ok(await waitFor(() => processesMatching(sleep).length > 0, 5000), 'the RUN step is running');
    } catch (e) {
      controller.abort();
      await build;
      throw e;
    }
    const t0 = Date.now();
    controller.abort();
    const r = await build;
    const took = Date.now() - t0;
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.cancelled, true);
    assert.ok(took < 5000, `${builder}: cancel took ${took} ms`);
    // The CLI and the step's process are gone.
    const left = await waitFor(() => processesMatching(marker).length === 0 && processesMatching(sleep).length === 0 && processesMatching(`${pid} `).every((l) => !l.trim().startsWith(`${pid} `)), 5000);
    assert.ok(left, `${builder}: left behind: ${JSON.stringify([...processesMatching(marker), ...processesMatching(sleep)])}`);
  }
});

test('a build that floods its output completes; the view gets a capped part, the parser stays bounded', async (t) => {
  if (!(await dockerReady(t))) return;
  // The classic builder streams every byte (BuildKit clips step logs at 2 MiB itself).
  const ctx = makeContext({ Dockerfile: `FROM ${BASE_IMAGE}\nRUN yes 0123456789abcdef0123456789abcdef0123456789 | head -c 40000000; echo\n` });
  let shown = 0;
  const cap = new CappedOutput(2_000_000, (s) => (shown += s.length), '/tmp/full.log');
  let total = 0;
  const r = await runBuild(request(ctx, 'classic', { tag: uniqueTag('flood'), noCache: true }), {
    onOutput: (s) => {
      total += s.length;
      cap.write(s);
    },
  });
  assert.ok(r.ok, JSON.stringify(r));
  assert.ok(total > 40_000_000, `total ${total}`);
  assert.ok(shown < 2_100_000, `shown ${shown}`);
  assert.match(cap.summary() ?? '', /MB more output not shown/);
});

test('faults: docker missing, daemon down, image not found, socket permission, deadline', async (t) => {
  if (!(await dockerReady(t))) return;
  // Not installed.
  await assert.rejects(probeEngine({ dockerPath: '/nonexistent/docker' }), (e: unknown) => e instanceof DockerError && e.fault.kind === 'not-installed' && /dockwright\.docker\.path/.test(e.fault.nextStep));
  const ctx = makeContext({ Dockerfile: `FROM ${BASE_IMAGE}\n` });
  const missing = await runBuild(request(ctx, 'buildkit', { dockerPath: '/nonexistent/docker' }));
  assert.ok(!missing.ok && missing.fault?.kind === 'not-installed', JSON.stringify(missing));

  // Daemon down (DOCKER_HOST to a socket nobody listens on).
  const env = { ...process.env, DOCKER_HOST: 'unix:///tmp/dockwright-no-daemon.sock' };
  await assert.rejects(probeEngine({ dockerPath: DOCKER, env }), (e: unknown) => e instanceof DockerError && e.fault.kind === 'daemon-down');
  const down = await runBuild(request(ctx, 'buildkit', { env }));
  assert.ok(!down.ok && down.fault?.kind === 'daemon-down', JSON.stringify(down));

  // Image not found.
  await assert.rejects(inspectImage('dockwright-test/does-not-exist:nope', { dockerPath: DOCKER }), (e: unknown) => e instanceof DockerError && e.fault.kind === 'not-found');
  await assert.rejects(exploreImage({ dockerPath: DOCKER, image: 'dockwright-test/does-not-exist:nope' }), (e: unknown) => e instanceof DockerError && e.fault.kind === 'not-found');

  // Permission denied on the socket: the real message, from the CLI run as an unprivileged user.
  const who = spawnSync('runuser', ['-u', 'nobody', '--', DOCKER, 'image', 'ls'], { encoding: 'utf8', timeout: 30_000 });
  if (who.error || !/permission denied/i.test(who.stderr)) t.diagnostic(`socket permission case not reproducible here: ${who.error?.message ?? who.stderr}`);
  else assert.equal(classifyFailure(who.stderr).kind, 'permission');

  // A command that does not answer is stopped at its deadline.
  const t0 = Date.now();
  await assert.rejects(runDocker(['30'], { dockerPath: '/bin/sleep', timeoutMs: 300 }), (e: unknown) => e instanceof DockerError && e.fault.kind === 'timeout');
  assert.ok(Date.now() - t0 < 3000);

  // The engine is probed and the builder chosen.
  const info = await probeEngine({ dockerPath: DOCKER });
  assert.match(info.serverVersion, /^\d+\./);
  assert.ok(['buildx', 'buildkit'].includes(info.builder), info.builder);
  assert.equal((await probeEngine({ dockerPath: DOCKER }, 'classic')).builder, 'classic');
  assert.ok(existsSync(DOCKER));
});
