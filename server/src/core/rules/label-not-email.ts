/** LabelNotEmail (hadolint DL3058): a label the schema types as `email` holds no e-mail address. */
import { isEmail, literalEntriesOfType } from '../semantic/labels';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'LabelNotEmail',
    title: 'Label is not an e-mail address',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3058'],
    fixable: false,
    docs: {
      rationale:
        'With a label schema (hadolint `label-schema:`), the labels it types as `email` must hold an address people and tools can write to (RFC 5322: name@example.com, or "Name <name@example.com>"). Without a schema this rule checks nothing.',
      bad: 'FROM alpine:3.20\nLABEL maintainer="Platform team"\n',
      good: 'FROM alpine:3.20\nLABEL maintainer="Platform team <platform@example.com>"\n',
    },
  },
  check(ctx) {
    for (const e of literalEntriesOfType(ctx.model, ctx.options.labelSchema, 'email')) {
      const v = e.value.trim();
      const named = /^[^<>]*<([^<>]+)>$/.exec(v);
      if (isEmail(named ? named[1] : v)) continue;
      ctx.report(e.valueRange, `Label "${e.key}" is not an e-mail address such as name@example.com.`);
    }
  },
});
