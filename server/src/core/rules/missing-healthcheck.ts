/** MissingHealthcheck (hadolint DL3057): an image stage has no HEALTHCHECK. */
import { defineRule } from './types';
import { outputStages, stageChainHas } from './util';

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
    for (const stage of outputStages(model)) {
      if (stageChainHas(model, stage, 'HEALTHCHECK')) continue;
      const range = stage.base.raw ? stage.base.range : stage.from.keywordRange;
      ctx.report(range, 'This image has no HEALTHCHECK instruction.');
    }
  },
});
