/** SuperfluousLabel (hadolint DL3050): with strict labels, a label the label schema does not list. */
import { WELL_KNOWN_LABELS, allLabelEntries, parseLabelSchema } from '../semantic/labels';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'SuperfluousLabel',
    title: 'Label is not in the label schema',
    category: 'image',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: false,
    equivalents: ['hadolint:DL3050'],
    fixable: false,
    docs: {
      rationale:
        'With strict labels (hadolint `strict-labels: true`), only the labels of the label schema may be set, which keeps image metadata consistent across a fleet. A configuration with strict labels and no schema allows no label at all; without any configuration, the labels of the OCI and Label Schema specifications are allowed.',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.title="app" build-host="ci-runner-7"\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.title="app"\n',
    },
  },
  check(ctx) {
    const strict = ctx.options.strictLabels;
    if (strict === false) return;
    const schema = parseLabelSchema(ctx.options.labelSchema);
    const allowed = new Set<string>(schema ? schema.keys() : strict === true ? [] : WELL_KNOWN_LABELS);
    for (const e of allLabelEntries(ctx.model)) {
      if (e.key === undefined || allowed.has(e.key)) continue;
      ctx.report(e.keyRange, schema || strict === true ? `Label "${e.key}" is not in the label schema.` : `Label "${e.key}" is not an OCI or Label Schema label.`);
    }
  },
});
