/** MultipleInstructionsDisallowed: BuildKit's check for CMD, ENTRYPOINT or HEALTHCHECK repeated in a stage. */
import type { Instruction } from '../syntax/ast';
import { defineRule } from './types';
import { wholeLines } from './util';

const ONCE = ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'];

export default defineRule({
  meta: {
    id: 'MultipleInstructionsDisallowed',
    title: 'Multiple instructions of the same type should not be used in the same stage',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:MultipleInstructionsDisallowed', 'hadolint:DL4003', 'hadolint:DL4004', 'hadolint:DL3012'],
    fixable: true,
    docs: {
      rationale:
        'A stage keeps only the last CMD, ENTRYPOINT and HEALTHCHECK: earlier ones are overridden without any effect, which usually means a leftover or a misunderstanding (several CMDs do not run several programs). As BuildKit does, the earlier, ignored instructions are reported.',
      bad: 'FROM python:3.12-slim\nCMD ["python", "migrate.py"]\nCMD ["python", "app.py"]\n',
      good: 'FROM python:3.12-slim\nCMD ["python", "app.py"]\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const last = new Map<string, Instruction>();
      for (const ins of stage.instructions) if (ONCE.includes(ins.keyword)) last.set(ins.keyword, ins);
      for (const ins of stage.instructions) {
        const final = last.get(ins.keyword);
        if (!final || final === ins) continue;
        ctx.report(ins.keywordRange, `Multiple ${ins.keyword} instructions in the same stage: this one is overridden by the ${ins.keyword} on line ${final.startLine + 1} and has no effect.`, {
          fixes: [{ title: `Remove the overridden ${ins.keyword}`, edits: [{ range: wholeLines(ctx.text, ins.fullRange), newText: '' }], preferred: false }],
          related: [{ message: `the ${ins.keyword} that takes effect`, range: final.keywordRange }],
          tags: ['unnecessary'],
        });
      }
    }
  },
});
