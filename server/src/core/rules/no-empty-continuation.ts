/** NoEmptyContinuation: BuildKit's warning for empty lines inside a continued instruction. */
import { INSTRUCTION_BY_NAME } from '../data/instructions';
import type { Instruction, Span } from '../syntax/ast';
import { defineRule, type Fix, type RuleContext } from './types';
import { lineEndAt, lineStartAt, wholeLines } from './util';

export default defineRule({
  meta: {
    id: 'NoEmptyContinuation',
    title: 'Empty continuation lines will become errors in a future release',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:NoEmptyContinuation'],
    fixable: true,
    docs: {
      rationale:
        'The builder skips empty lines after a line continuation, so an instruction goes on past a blank line: a forgotten trailing `\\` silently swallows the next instruction into the previous one. Empty continuation lines are deprecated and will become an error. When the line after the gap starts with an instruction keyword, the quick fix ends the instruction before the gap instead.',
      bad: 'FROM debian:bookworm-slim\nRUN apt-get update && \\\n\n    apt-get install -y curl\n',
      good: 'FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y curl\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      for (const line of ins.emptyContinuationLines) {
        const fixes: Fix[] = [];
        const swallowed = swallowedInstruction(ctx, ins, line);
        if (swallowed) fixes.push({ title: `End ${ins.keyword} before the empty line`, edits: [{ range: swallowed.escape, newText: '' }], preferred: true });
        fixes.push({ title: 'Remove the empty line', edits: [{ range: wholeLines(ctx.text, line), newText: '' }], preferred: !swallowed });
        const message = swallowed
          ? `Empty continuation line: ${ins.keyword} continues past it and swallows the next line, '${swallowed.next}', as part of its arguments. Remove the trailing ${ctx.ast.escape} if ${ins.keyword} should end here.`
          : `Empty continuation line: ${ins.keyword} continues past it, which will be an error in a future release.`;
        ctx.report(line, message, { fixes });
      }
    }
  },
});

/**
 * When the first line after the empty line(s) starts at column 0 with an instruction keyword, the
 * continuation before the gap was most likely left behind: that line and the escape to remove.
 */
function swallowedInstruction(ctx: RuleContext, ins: Instruction, empty: Span): { next: string; escape: Span } | undefined {
  const text = ctx.text;
  // The first non-empty, non-comment line after the gap.
  let pos = lineEndAt(text, empty.start);
  let next: string | undefined;
  while (pos < text.length && pos < ins.range.end) {
    const start = text.indexOf('\n', pos) + 1;
    if (start === 0) break;
    const line = text.slice(start, lineEndAt(text, start));
    pos = lineEndAt(text, start);
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('#')) continue;
    next = line;
    break;
  }
  if (next === undefined || /^\s/.test(next)) return undefined;
  const keyword = next.split(/\s/)[0].toUpperCase();
  if (!INSTRUCTION_BY_NAME.has(keyword)) return undefined;
  // Only the gap right after a continued line (not a later empty line of the same gap).
  const prevEnd = lineStartAt(text, empty.start) - 1;
  if (prevEnd <= 0) return undefined;
  const prevStart = lineStartAt(text, prevEnd);
  const prevLine = text.slice(prevStart, lineEndAt(text, prevStart));
  const m = new RegExp(`${ctx.ast.escape === '`' ? '`' : '\\\\'}[ \\t]*$`).exec(prevLine);
  if (!m || prevLine.trim() === '') return undefined;
  let cut = m.index;
  while (cut > 0 && (prevLine[cut - 1] === ' ' || prevLine[cut - 1] === '\t')) cut--;
  return { next: next.trim(), escape: { start: prevStart + cut, end: prevStart + prevLine.length } };
}
