/** EmptyLabel (hadolint DL3051): a schema label (or a well-known one) set to an empty value. */
import { WELL_KNOWN_LABELS, allLabelEntries, parseLabelSchema } from '../semantic/labels';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'EmptyLabel',
    title: 'Label is empty',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3051'],
    fixable: false,
    docs: {
      rationale:
        'An empty label says nothing, yet tools read it as set: fill it in or leave it out. The labels checked are those of the configured label schema, or without a schema the labels the OCI and Label Schema specifications define. Values read from variables are not checked: they are only known when the build runs.',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.description=""\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.description="Web front end of the shop"\n',
    },
  },
  check(ctx) {
    const schema = parseLabelSchema(ctx.options.labelSchema);
    const keys = new Set(schema ? schema.keys() : WELL_KNOWN_LABELS);
    for (const e of allLabelEntries(ctx.model)) {
      if (e.key === undefined || !keys.has(e.key) || e.hasVariables || e.value !== '') continue;
      ctx.report(e.pair.range, `Label "${e.key}" is empty.`);
    }
  },
});
