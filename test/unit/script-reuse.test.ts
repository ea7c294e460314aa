/**
 * Reusing the previous version's shell scripts (analyzeSyntax(text, previous)): unchanged RUN instructions get
 * the very same parsed script, changed ones a new parse, and the findings are exactly those of a fresh analysis.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, analyzeSyntax, runRules } from '../../server/src/core/analyze';
import { scriptsOf } from '../../server/src/core/shell/index';
import type { ShellScript } from '../../server/src/core/shell/types';

const V1 = 'FROM debian:12\nRUN apt-get update && apt-get install curl\nRUN echo $HOME\nRUN echo $HOME\nRUN cd /tmp && make\n';

function scripts(a: ReturnType<typeof analyzeSyntax>): ShellScript[] {
  return a.ast.instructions.filter((i) => i.keyword === 'RUN').map((i) => scriptsOf(a.model, i)[0].script);
}

test('unchanged RUNs keep their parsed script, edited ones are parsed again', () => {
  const v1 = runRules(analyzeSyntax(V1), { all: true });
  const before = scripts(v1);
  assert.notEqual(before[1], before[2], 'two identical RUNs of one version have their own script');
  const v2Text = V1.replace('cd /tmp && make', 'cd /tmp && make install');
  const v2 = analyzeSyntax(v2Text, v1);
  const after = scripts(v2);
  assert.equal(after[0], before[0]);
  assert.notEqual(after[1], after[2]);
  assert.ok(after[1] === before[1] || after[1] === before[2]);
  assert.notEqual(after[3], before[3], 'the edited RUN is parsed again');
  assert.equal(after[3].text, 'cd /tmp && make install');
  assert.deepEqual(runRules(v2, { all: true }).findings, analyze(v2Text, { all: true }).findings);
});

test('findings with reuse equal a fresh analysis after any edit', () => {
  const pieces = ['RUN ', '\n', '\\\n', '$', '${X', '}', '"', 'apt-get install -y curl', ' && cd /x', '<<EOF\n', 'EOF\n', 'FROM alpine AS b\n', '# comment\n', ''];
  fc.assert(
    fc.property(fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 8 }), ins: fc.constantFrom(...pieces) }), { maxLength: 6 }), (edits) => {
      let text = V1;
      let prev = runRules(analyzeSyntax(text), { all: true });
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.ins + text.slice(Math.min(text.length, at + e.del));
        const next = runRules(analyzeSyntax(text, prev), { all: true });
        assert.deepEqual(next.findings, analyze(text, { all: true }).findings);
        prev = next;
      }
    }),
    { numRuns: 300 },
  );
});
