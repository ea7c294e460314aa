/** UndefinedArgInFrom: BuildKit's check that FROM only uses ARGs declared before the first FROM. */
import { PLATFORM_ARGS } from '../semantic/builtins';
import type { VarDecl, VarRef } from '../semantic/model';
import { defineRule } from './types';
import { nearMiss } from './util';

export default defineRule({
  meta: {
    id: 'UndefinedArgInFrom',
    title: 'FROM command must use declared ARGs',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:UndefinedArgInFrom'],
    fixable: true,
    docs: {
      rationale:
        'A FROM line (its image and its `--platform`) can only use the build arguments declared with ARG before the first FROM, plus the predefined platform arguments. Anything else expands to an empty string, which usually means a typo or an ARG declared in the wrong place, and an image reference such as `node:` that fails to pull.',
      bad: 'ARG NODE_VERSION=20\nFROM node:${NODE_VERION}-alpine\n',
      good: 'ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine\n',
    },
  },
  check(ctx) {
    const declared = new Set<string>([...Object.keys(PLATFORM_ARGS), ...ctx.model.globalArgs.map((d) => d.name)]);
    // BuildKit reports each undeclared name once per FROM.
    const byFrom = new Map<string, VarRef[]>();
    for (const ref of ctx.model.refs) {
      if (ref.instruction.keyword !== 'FROM' || declared.has(ref.name)) continue;
      const key = `${ref.instruction.range.start}:${ref.name}`;
      const list = byFrom.get(key);
      if (list) list.push(ref);
      else byFrom.set(key, [ref]);
    }
    // The first stage ARG of each name (for the message), looked up once.
    let stageArgs: Map<string, VarDecl> | undefined;
    for (const refs of byFrom.values()) {
      const first = refs[0];
      const guess = nearMiss(first.name, declared);
      const where = isPlatformRef(first) ? '--platform' : 'FROM';
      if (!stageArgs) {
        stageArgs = new Map();
        for (const d of ctx.model.decls) if (d.kind === 'ARG' && d.stage !== undefined && d.instruction && !stageArgs.has(d.name)) stageArgs.set(d.name, d);
      }
      const inStage = stageArgs.get(first.name);
      const message = guess
        ? `${where} uses ARG '${first.name}', which is not declared before the first FROM: did you mean ${guess}?`
        : inStage
          ? `${where} uses ARG '${first.name}', which is declared inside a stage (line ${inStage.instruction!.startLine + 1}): FROM only sees the ARGs declared before the first FROM, so it expands to an empty string.`
          : `${where} uses ARG '${first.name}', which is not declared before the first FROM, so it expands to an empty string.`;
      ctx.report(first.range, message, {
        fixes: guess
          ? [{ title: `Change to ${guess}`, edits: refs.map((r) => ({ range: r.nameRange, newText: guess })), preferred: true }]
          : [],
      });
    }
  },
});

function isPlatformRef(ref: VarRef): boolean {
  return ref.instruction.flags.some((f) => f.name === 'platform' && ref.range.start >= f.range.start && ref.range.start < f.range.end);
}
