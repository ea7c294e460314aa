/**
 * Parser goldens: test/fixtures/parser/ok/*.Dockerfile parse without problems, err/*.Dockerfile with
 * the problems shown; each has a reviewed .ast.txt dump (UPDATE_GOLDEN=1 rewrites). Plus properties:
 * the parser never throws and every range lies inside the text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from '../../server/src/core/syntax/parser';
import type { DockerfileAst, Instruction, Span } from '../../server/src/core/syntax/ast';
import { analyze } from '../../server/src/core/analyze';
import { dumpAst } from '../support/ast-dump';

const dir = join(__dirname, '..', 'fixtures', 'parser');
const update = process.env.UPDATE_GOLDEN === '1';

for (const kind of ['ok', 'err'] as const) {
  for (const name of readdirSync(join(dir, kind)).filter((f) => f.endsWith('.Dockerfile'))) {
    test(`parser ${kind}/${name}`, () => {
      const text = readFileSync(join(dir, kind, name), 'utf8');
      const ast = parse(text);
      if (kind === 'ok') assert.deepEqual(ast.problems, [], 'ok fixtures parse without problems');
      else assert.ok(ast.problems.length > 0, 'err fixtures report problems');
      checkRanges(ast);
      const golden = join(dir, kind, name.replace(/\.Dockerfile$/, '.ast.txt'));
      const dump = dumpAst(ast);
      if (update || (!existsSync(golden) && !process.env.CI)) writeFileSync(golden, dump);
      assert.equal(dump, readFileSync(golden, 'utf8'));
    });
  }
}

function spans(ins: Instruction): Span[] {
  const out: Span[] = [ins.range, ins.fullRange, ins.keywordRange, ...ins.flags.flatMap((f) => [f.range, f.nameRange, ...(f.valueRange ? [f.valueRange] : [])])];
  out.push(...ins.args.map((a) => a.range));
  if (ins.argsRange) out.push(ins.argsRange);
  if (ins.json) out.push(ins.json.range, ...ins.json.items.map((i) => i.range));
  if (ins.shell) out.push(ins.shell.range);
  for (const p of ins.pairs ?? []) out.push(p.range, p.keyRange, ...(p.valueRange ? [p.valueRange] : []));
  for (const h of ins.heredocs) out.push(h.markerRange, h.bodyRange, ...(h.terminatorRange ? [h.terminatorRange] : []));
  out.push(...ins.emptyContinuationLines);
  if (ins.trigger) out.push(...spans(ins.trigger));
  return out;
}

export function checkRanges(ast: DockerfileAst): void {
  const n = ast.text.length;
  const all: Span[] = [...ast.directives.flatMap((d) => [d.range, d.nameRange, d.valueRange]), ...ast.comments.map((c) => c.range), ...ast.problems.map((p) => p.range)];
  for (const ins of ast.instructions) all.push(...spans(ins));
  for (const s of all) {
    assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end), 'integer offsets');
    assert.ok(s.start >= 0 && s.start <= s.end && s.end <= n, `range ${s.start}-${s.end} outside 0-${n}`);
  }
  for (let i = 1; i < ast.instructions.length; i++) {
    assert.ok(ast.instructions[i - 1].fullRange.end <= ast.instructions[i].range.start, 'instructions in order, not overlapping');
  }
}

const pieces = [
  'FROM ', 'RUN ', 'COPY ', 'ADD ', 'ENV ', 'ARG ', 'LABEL ', 'CMD ', 'HEALTHCHECK ', 'ONBUILD ', 'SHELL ', 'EXPOSE ', 'from ',
  '--mount=type=cache,target=/x ', '--from=build ', '--platform=$BUILDPLATFORM ', 'AS ', 'a=b ', '"q u" ', "'s' ", '${V:-d} ', '$V ',
  '["a", "b"]', '[1, 2]', '<<EOF', '<<-"EOF"', 'EOF', '\tEOF', '\\', '`', '\n', '\r\n', '\n\n', '# c\n', '# escape=`\n', '# syntax=x\n',
  '{', '}', '$', '"', "'", '=', ' ', '\t', '\u0000', '\ud800', '\ufeff', 'é', '🐳',
];

test('property: the parser and the whole analysis never throw, and every range is inside the text', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 8 })), { maxLength: 60 }), (parts) => {
      const text = parts.join('');
      const ast = parse(text);
      checkRanges(ast);
      const a = analyze(text, { all: true });
      assert.deepEqual(a.failures, [], `a rule threw on ${JSON.stringify(text)}`);
      for (const f of a.findings) {
        assert.ok(f.range.start >= 0 && f.range.end <= text.length && f.range.start <= f.range.end);
        for (const fix of f.fixes) for (const e of fix.edits) assert.ok(e.range.start >= 0 && e.range.end <= text.length && e.range.start <= e.range.end);
      }
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
  );
});
