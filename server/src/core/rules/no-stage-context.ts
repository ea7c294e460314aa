/**
 * NoStageContext: an instruction other than ARG before the first FROM ("no build stage in current
 * context"), or a file whose instructions are all global ARGs ("dockerfile contains no stages to
 * build"). BuildKit: instructions.Parse (CurrentStage) and dockerfile2llb.toDispatchState.
 */
import { INSTRUCTION_BY_NAME } from '../data/instructions';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'NoStageContext',
    title: 'Instruction before the first FROM',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3061'],
    upstreamSeverity: 'error',
    fixable: false,
    docs: {
      rationale:
        'Only ARG may come before the first FROM: every other instruction needs a build stage, and the builder stops with "no build stage in current context". A Dockerfile without any FROM has nothing to build.',
      bad: 'LABEL org.opencontainers.image.source=https://example.com/app\nFROM alpine:3.20\n',
      good: 'ARG ALPINE=3.20\nFROM alpine:${ALPINE}\nLABEL org.opencontainers.image.source=https://example.com/app\n',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const hasFrom = model.stages.length > 0;
    let reported = false;
    for (const ins of model.preamble) {
      if (ins.keyword === 'ARG' || !INSTRUCTION_BY_NAME.has(ins.keyword)) continue;
      reported = true;
      ctx.report(
        ins.keywordRange,
        hasFrom
          ? `${ins.keyword} before the first FROM: no build stage in current context. Only ARG may come before FROM.`
          : `${ins.keyword} without a FROM: no build stage in current context. Start the file with FROM <image>.`,
      );
    }
    if (!hasFrom && !reported) {
      const first = ctx.ast.instructions.find((i) => i.keyword === 'ARG');
      if (first) ctx.report(first.keywordRange, 'The Dockerfile contains no stages to build: add a FROM after the global ARGs.');
    }
  },
});
