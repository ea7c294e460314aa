/** EmptyLabel (hadolint DL3051): a label of the label schema set to an empty value. */
import { allLabelEntries, parseLabelSchema } from '../semantic/labels';
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
        'With a label schema (hadolint `label-schema:`), its labels must not be empty: an empty label says nothing, yet tools read it as set. Without a schema this rule checks nothing. Values read from variables are not checked: they are only known when the build runs.',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.description=""\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.description="Web front end of the shop"\n',
    },
  },
  check(ctx) {
    const schema = parseLabelSchema(ctx.options.labelSchema);
    if (!schema) return;
    const keys = new Set(schema.keys());
    for (const e of allLabelEntries(ctx.model)) {
      if (e.key === undefined || !keys.has(e.key) || e.hasVariables || e.value !== '') continue;
      ctx.report(e.pair.range, `Label "${e.key}" is empty.`);
    }
  },
});
