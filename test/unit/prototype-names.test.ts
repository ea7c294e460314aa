/**
 * Words that are names of Object.prototype members (`constructor`, `toString`, `__proto__`...) and the word
 * `EOF` are ordinary words everywhere: as instructions, flags, commands, options, package names and variables.
 * No rule may fail on them, and the shell parser reads them as commands.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analyze';
import { parseShell } from '../../server/src/core/shell/parser';

const NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'EOF', 'prototype', 'then'];

test('Object.prototype member names never make a rule fail', () => {
  for (const n of NAMES) {
    const text = [
      `ARG ${n}=1`,
      `FROM alpine:3.20 AS ${n.toLowerCase().replace(/[^a-z0-9]/g, '') || 'x'}`,
      `${n} something`,
      `RUN --${n}=x ${n} -x y && ${n} --${n} && apt-get ${n} ${n} && npm ${n} ${n} && pip ${n} -r ${n} && sudo -u ${n} ${n} -v`,
      `RUN echo $${n} \${${n}} && export ${n}=2`,
      `COPY --${n}=1 ${n} /${n}`,
      `LABEL ${n}=${n}`,
      `EXPOSE ${n}`,
      `HEALTHCHECK --${n}=1 CMD ${n}`,
      `# hadolint ignore=${n}`,
      `USER ${n}`,
      '',
    ].join('\n');
    const a = analyze(text, { all: true });
    assert.deepEqual(a.failures, [], `${n}: ${JSON.stringify(a.failures)}`);
  }
});

test('the shell parser reads EOF and prototype names as commands', () => {
  // (`then` is a reserved word of the shell: not a command name there.)
  for (const n of NAMES.filter((x) => x !== 'then')) {
    const s = parseShell(`${n} -x; echo ${n} && ${n}`, 'bash');
    assert.deepEqual(
      s.commands.map((c) => c.name?.value),
      [n, 'echo', n],
      n,
    );
  }
});
