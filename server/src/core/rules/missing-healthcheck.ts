/** MissingHealthcheck (hadolint DL3057): an image stage has no HEALTHCHECK. */
import { ancestorStages } from '../semantic/stage-chain';
import { baseStageOf, stageSources } from '../semantic/stage-graph';
import type { Stage } from '../semantic/model';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'MissingHealthcheck',
    title: 'HEALTHCHECK instruction missing',
    category: 'best-practice',
    severity: 'info',
    enabledByDefault: false,
    equivalents: ['hadolint:DL3057'],
    fixable: false,
    docs: {
      rationale:
        'A HEALTHCHECK lets Docker and orchestrators tell a running container from a working one. Opinionated (off by default, as in hadolint): many images are run by orchestrators with their own probes. Stages that only feed other stages are not checked; a stage inherits the HEALTHCHECK of the stage it is built on.',
      bad: 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n',
      good: 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1\n',
    },
  },
  check(ctx) {
    const model = ctx.model;
    const feeders = new Set<Stage>();
    for (const s of model.stages) {
      const base = baseStageOf(model, s) ?? s.base.stage;
      if (base) feeders.add(base);
      for (const src of stageSources(model, s)) if (src.target.kind === 'stage' && src.target.stage !== s) feeders.add(src.target.stage);
    }
    for (const stage of model.stages) {
      if (feeders.has(stage)) continue;
      if ([stage, ...ancestorStages(stage)].some((s) => s.instructions.some((i) => i.keyword === 'HEALTHCHECK'))) continue;
      const range = stage.base.raw ? stage.base.range : stage.from.keywordRange;
      ctx.report(range, 'This image has no HEALTHCHECK instruction.');
    }
  },
});
