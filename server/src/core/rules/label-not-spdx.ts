/** LabelNotSpdx (hadolint DL3054): a label the schema types as `spdx` holds no SPDX license expression. */
import { checkSpdxExpression, literalEntriesOfType } from '../semantic/labels';
import { defineRule } from './types';
import { replaceFix } from './util';

export default defineRule({
  meta: {
    id: 'LabelNotSpdx',
    title: 'Label is not an SPDX license expression',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3054'],
    fixable: true,
    docs: {
      rationale:
        'With a label schema (hadolint `label-schema:`), the labels it types as `spdx` must hold SPDX license expressions (MIT, Apache-2.0, GPL-2.0-only OR MIT), which scanners read. Without a schema this rule checks nothing. The common SPDX identifiers are known; write others as LicenseRef-<name>.',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.licenses="Apache 2.0"\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.licenses="Apache-2.0"\n',
    },
  },
  check(ctx) {
    for (const e of literalEntriesOfType(ctx.model, ctx.options.labelSchema, 'spdx')) {
      const r = checkSpdxExpression(e.value);
      if (r.ok) continue;
      const exact = ctx.text.slice(e.valueRange.start, e.valueRange.end) === e.value;
      const fixes = r.suggestion && exact ? [replaceFix(`Change to ${r.suggestion}`, e.valueRange, r.suggestion)] : [];
      ctx.report(e.valueRange, `Label "${e.key}" is not a valid SPDX license expression: ${r.message}${r.suggestion ? ` (did you mean ${r.suggestion}?)` : ''}.`, { fixes });
    }
  },
});
