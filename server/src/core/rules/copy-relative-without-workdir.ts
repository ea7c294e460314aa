/** CopyRelativeWithoutWorkdir (hadolint DL3045): COPY to a relative destination before any WORKDIR. */
import { defineRule } from './types';
import { stageChainHas } from './util';

export default defineRule({
  meta: {
    id: 'CopyRelativeWithoutWorkdir',
    title: 'COPY to a relative destination without WORKDIR',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3045'],
    fixable: false,
    docs: {
      rationale:
        'A relative COPY destination is resolved against the working directory, which is whatever the base image set when this Dockerfile sets none: the files land somewhere that can change with the base image. Set WORKDIR first (in this stage or a stage it is built on), or copy to an absolute path.',
      bad: 'FROM node:20-alpine\nCOPY package.json ./\n',
      good: 'FROM node:20-alpine\nWORKDIR /app\nCOPY package.json ./\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      let workdir = stage.base.stage !== undefined && stageChainHas(ctx.model, stage.base.stage, 'WORKDIR');
      for (const ins of stage.instructions) {
        if (ins.keyword === 'WORKDIR') workdir = true;
        if (workdir || ins.keyword !== 'COPY') continue;
        const words = ins.json ? ins.json.items : ins.args;
        if (words.length < 2) continue;
        const dest = words[words.length - 1];
        const v = dest.value.replace(/^["']+|["']+$/g, '');
        if (v.startsWith('/') || v.startsWith('\\') || v.startsWith('$') || /^[A-Za-z]:[\\/]/.test(v)) continue;
        ctx.report(dest.range, `COPY to the relative destination "${v}" without a WORKDIR: it lands in the base image's working directory. Set WORKDIR before it or use an absolute path.`);
      }
    }
  },
});
