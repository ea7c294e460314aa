/**
 * CopyDestinationNotDirectory: COPY (or ADD) of several sources to a destination that does not end in `/`
 * (hadolint DL3021).
 */
import type { Instruction, Word } from '../syntax/ast';
import { defineRule, type RuleContext } from './types';
import { expandInScope, fix } from './util';

export default defineRule({
  meta: {
    id: 'CopyDestinationNotDirectory',
    title: 'Several sources copied to a destination without a trailing slash',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'error',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3021'],
    fixable: true,
    docs: {
      rationale:
        'With more than one source the destination has to be a directory, and only a trailing `/` says so. The classic builder refuses the instruction; BuildKit copies every source to the same path when that directory does not exist yet, so the last file wins.',
      bad: 'FROM node:22-slim\nCOPY package.json package-lock.json /app\n',
      good: 'FROM node:22-slim\nCOPY package.json package-lock.json /app/\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      const target = ins.trigger ?? ins;
      if (target.keyword === 'COPY' || target.keyword === 'ADD') checkCopy(ctx, ins, target);
    }
  },
});

function checkCopy(ctx: RuleContext, outer: Instruction, ins: Instruction): void {
  const words: readonly Word[] = ins.json ? ins.json.items : ins.args;
  if (words.length < 3) return;
  const dest = words[words.length - 1];
  const value = ins.json ? dest.value : expandInScope(ctx.model, outer, dest.value);
  if (value === undefined || value === '') return;
  // `.` is the working directory: BuildKit treats it as a directory.
  if (value.endsWith('/') || value.endsWith('\\') || value === '.' || value === '..') return;
  const sources = words.length - 1;
  // Insert the slash inside the closing quote of a quoted or JSON word.
  const last = ctx.text[dest.range.end - 1];
  const at = last === '"' || last === "'" ? dest.range.end - 1 : dest.range.end;
  ctx.report(
    dest.range,
    `${ins.keyword} has ${sources} sources, so its destination "${value}" must be a directory: end it with "/".`,
    { fixes: [fix(`Add a trailing slash to ${dest.value}`, [{ range: { start: at, end: at }, newText: '/' }])] },
  );
}
