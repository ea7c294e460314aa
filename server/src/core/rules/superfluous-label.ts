/** SuperfluousLabel (hadolint DL3050): with strict labels, a label the label schema does not list. */
import { allLabelEntries, parseLabelSchema } from '../semantic/labels';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'SuperfluousLabel',
    title: 'Label is not in the label schema',
    category: 'image',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3050'],
    fixable: false,
    docs: {
      rationale:
        'With strict labels (hadolint `strict-labels: true`), only the labels of the label schema may be set, which keeps image metadata consistent across a fleet; with strict labels and no schema, no label may be set. Without strict labels this rule checks nothing.',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.title="app" build-host="ci-runner-7"\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.title="app"\n',
    },
  },
  check(ctx) {
    if (ctx.options.strictLabels !== true) return;
    const schema = parseLabelSchema(ctx.options.labelSchema);
    const allowed = new Set<string>(schema ? schema.keys() : []);
    for (const e of allLabelEntries(ctx.model)) {
      if (e.key === undefined || allowed.has(e.key)) continue;
      ctx.report(e.keyRange, schema ? `Label "${e.key}" is not in the label schema.` : `Label "${e.key}" is set, but strict labels without a label schema allow none.`);
    }
  },
});
