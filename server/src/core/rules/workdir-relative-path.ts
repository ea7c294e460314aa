/** WorkdirRelativePath: BuildKit's warning for a relative WORKDIR before any absolute one in the build. */
import { expand } from '../semantic/expand';
import type { Instruction } from '../syntax/ast';
import { defineRule, type RuleContext } from './types';
import { stageChainHas } from './util';

const ABSOLUTE = /^([A-Za-z]:)?[\\/]/;

export default defineRule({
  meta: {
    id: 'WorkdirRelativePath',
    title: 'Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:WorkdirRelativePath', 'hadolint:DL3000'],
    fixable: false,
    docs: {
      rationale:
        "A relative WORKDIR is resolved against the base image's working directory, which the Dockerfile does not control and which can change with a new base image version. As in BuildKit, only the first WORKDIR of a stage (and of the stages it builds on) is checked: once an absolute WORKDIR is set, relative ones are fine.",
      bad: 'FROM nginx:1.27\nWORKDIR usr/share/nginx/html\nCOPY public .\n',
      good: 'FROM nginx:1.27\nWORKDIR /usr/share/nginx/html\nCOPY public .\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      // BuildKit's workdirSet is inherited from the stage this one is built on.
      if (stage.base.stage !== undefined && stageChainHas(ctx.model, stage.base.stage, 'WORKDIR')) continue;
      const first = stage.instructions.find((i) => i.keyword === 'WORKDIR');
      if (first) checkWorkdir(ctx, first);
    }
  },
});

function checkWorkdir(ctx: RuleContext, ins: Instruction): void {
  const word = ins.args[0];
  if (!word) return;
  const scope = ctx.model.scopeAt(ins);
  let unknown = false;
  const ex = expand(word.value, (name) => {
    const d = scope.get(name);
    if (!d || d.value === undefined) unknown = true;
    return d?.value;
  }, ctx.ast.escape);
  if (ex.error) return;
  const path = ex.words.join(' ');
  if (ABSOLUTE.test(path) || unknown) return;
  const shown = path === word.value ? `"${path}"` : `"${word.value}" (= "${path}")`;
  ctx.report(word.range, `Relative WORKDIR ${shown} is resolved against the base image's working directory, which can change with the base image: use an absolute path.`);
}
