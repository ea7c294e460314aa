/** LabelNotRfc3339 (hadolint DL3053): a label the schema types as `rfc3339` holds no RFC 3339 date-time. */
import { isRfc3339, literalEntriesOfType } from '../semantic/labels';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'LabelNotRfc3339',
    title: 'Label is not an RFC 3339 date-time',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3053'],
    fixable: false,
    docs: {
      rationale:
        'With a label schema (hadolint `label-schema:`), the labels it types as `rfc3339` must hold RFC 3339 date-times (2024-05-01T12:30:00Z), the format tools read in creation dates such as org.opencontainers.image.created. Without a schema this rule checks nothing. Values read from variables are not checked.',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.created="May 1st, 2024"\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.created="2024-05-01T12:30:00Z"\n',
    },
  },
  check(ctx) {
    for (const e of literalEntriesOfType(ctx.model, ctx.options.labelSchema, 'rfc3339')) {
      if (isRfc3339(e.value)) continue;
      const v = e.value;
      const hint = /^\d{4}-\d{2}-\d{2}$/.test(v)
        ? ': a time and a time zone are required'
        : /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v)
          ? ': a time zone is required (Z or +hh:mm)'
          : /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v)
            ? ': that date or time does not exist'
            : '';
      ctx.report(e.valueRange, `Label "${e.key}" is not an RFC 3339 date-time such as 2024-05-01T12:30:00Z${hint}.`);
    }
  },
});
