/**
 * Progress and failure parsing for output this machine's engine (docker 20.10) does not write: newer BuildKit
 * (buildx 0.10+, with the `Dockerfile:N` excerpt and `ERROR: failed to solve`), parse errors, output split at
 * any byte, carriage-return redraws, and a flood of log lines (memory stays bounded). The 20.10 formats are
 * covered against the real engine in build.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSyntax } from '../../server/src/core/analyze';
import { instructionForStep } from '../../server/src/core/features/build-steps';
import { BuildOutputParser, parseBuildkitStepName, type BuildProgress } from '../../server/src/host/docker/progress';

const DOCKERFILE = `FROM busybox AS base
RUN echo fine

FROM base AS final
ENV A=b
# the next step fails
RUN echo "about to fail" && \\
    exit 3
CMD ["sh"]
`;

const BUILDX = `#0 building with "default" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 197B done
#1 DONE 0.0s

#2 [internal] load metadata for docker.io/library/busybox:latest
#2 DONE 0.6s

#3 [internal] load .dockerignore
#3 transferring context: 2B done
#3 DONE 0.0s

#4 [base 1/2] FROM docker.io/library/busybox:latest@sha256:0123
#4 CACHED

#5 [base 2/2] RUN echo fine
#5 0.190 fine
#5 DONE 0.2s

#6 [final 1/1] RUN echo "about to fail" &&     exit 3
#6 0.215 about to fail
#6 ERROR: process "/bin/sh -c echo \\"about to fail\\" &&     exit 3" did not complete successfully: exit code: 3
------
 > [final 1/1] RUN echo "about to fail" &&     exit 3:
0.215 about to fail
------
Dockerfile:7
--------------------
   6 |     # the next step fails
   7 | >>> RUN echo "about to fail" && \\
   8 | >>>     exit 3
   9 |     CMD ["sh"]
--------------------
ERROR: failed to solve: process "/bin/sh -c echo \\"about to fail\\" &&     exit 3" did not complete successfully: exit code: 3
`;

function feed(text: string, seed: number, onProgress?: (p: BuildProgress) => void): BuildOutputParser {
  const p = new BuildOutputParser(onProgress);
  let i = 0;
  let x = seed;
  while (i < text.length) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const n = 1 + (x % 97);
    p.write(text.slice(i, i + n));
    i += n;
  }
  p.end();
  return p;
}

test('newer BuildKit: steps, progress and the failing step on its line, whatever the chunking', () => {
  for (const seed of [1, 7, 42, 1234]) {
    const seen: BuildProgress[] = [];
    const p = feed(BUILDX, seed, (x) => seen.push(x));
    const f = p.failure();
    assert.ok(f, 'failure');
    assert.match(f.message, /did not complete successfully: exit code: 3/);
    assert.deepEqual(f.output, ['about to fail']);
    assert.deepEqual(f.ref, { kind: 'buildkit', stage: 'final', step: 1, total: 1, text: 'RUN echo "about to fail" &&     exit 3' });
    assert.equal(instructionForStep(analyzeSyntax(DOCKERFILE), f.ref!)?.startLine, 6);
    const last = p.progress();
    assert.equal(last.builder, 'buildkit');
    assert.deepEqual([last.done, last.total], [3, 3]);
    assert.ok(seen.some((s) => s.current === '[base 2/2] RUN echo fine'));
  }
});

test('parse errors point at their line (BuildKit excerpt, BuildKit 20.10 message, classic builder)', () => {
  const text = 'FROM busybox\nRUN echo one\n\nRUNN echo two\n';
  const outputs = [
    'Dockerfile:4\n--------------------\n   2 |     RUN echo one\n   3 |\n   4 | >>> RUNN echo two\n--------------------\nERROR: failed to solve: dockerfile parse error on line 4: unknown instruction: RUNN\n',
    '#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\nfailed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 4: unknown instruction: RUNN\n',
    'Sending build context to Docker daemon  2.048kB\nError response from daemon: dockerfile parse error line 4: unknown instruction: RUNN\n',
  ];
  for (const out of outputs) {
    const f = feed(out, 3).failure();
    assert.ok(f?.ref, out);
    assert.equal(instructionForStep(analyzeSyntax(text), f.ref)?.startLine, 3, out);
  }
});

test('step names: padding, platforms, unnamed stages', () => {
  assert.deepEqual(parseBuildkitStepName('[ 3/12] RUN make'), { kind: 'buildkit', stage: undefined, step: 3, total: 12, text: 'RUN make' });
  assert.deepEqual(parseBuildkitStepName('[linux/arm64 build 2/4] COPY . .'), { kind: 'buildkit', stage: 'build', step: 2, total: 4, text: 'COPY . .' });
  assert.deepEqual(parseBuildkitStepName('[stage-1 1/1] RUN x'), { kind: 'buildkit', stage: 'stage-1', step: 1, total: 1, text: 'RUN x' });
  assert.equal(parseBuildkitStepName('[internal] load metadata'), undefined);
  const text = 'FROM busybox\nRUN a\nFROM busybox\nWORKDIR /w\nRUN b\n';
  assert.equal(instructionForStep(analyzeSyntax(text), parseBuildkitStepName('[stage-1 3/3] RUN b')!)?.startLine, 4);
});

test('a flood of output keeps the parser bounded; carriage-return redraws keep their last state', () => {
  const p = new BuildOutputParser();
  p.write('#5 [2/2] RUN yes\n');
  const line = '#5 1.000 y\n'.repeat(10_000);
  for (let i = 0; i < 100; i++) p.write(line);
  p.write(`#5 ${'x'.repeat(200_000)}`);
  p.write('\n#5 ERROR: process did not complete successfully: exit code: 1\n');
  p.end();
  const f = p.failure()!;
  assert.ok(f.output.length <= 20);
  assert.ok(f.output.every((l) => l.length <= 2001));
  const c = new BuildOutputParser();
  c.write('Step 1/2 : FROM busybox\n ---> abc\nStep 2/2 : RUN wget x\n ---> Running in 1\nprogress 10%\rprogress 50%\rprogress 100%\n');
  c.write("The command '/bin/sh -c wget x' returned a non-zero code: 4\n");
  c.end();
  assert.deepEqual(c.failure(), { message: "The command '/bin/sh -c wget x' returned a non-zero code: 4", ref: { kind: 'classic', step: 2, total: 2, text: 'RUN wget x' }, output: ['progress 100%'] });
  assert.deepEqual(c.progress(), { builder: 'classic', done: 1, total: 2, current: 'Step 2/2 : RUN wget x' });
});
