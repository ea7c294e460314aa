/** LabelNotUrl (hadolint DL3052): a label the schema types as `url` holds no absolute URL. */
import { isValidUrl, literalEntriesOfType, urlSuggestion } from '../semantic/labels';
import { defineRule } from './types';
import { replaceFix } from './util';

export default defineRule({
  meta: {
    id: 'LabelNotUrl',
    title: 'Label is not a valid URL',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3052'],
    fixable: true,
    docs: {
      rationale:
        'With a label schema (hadolint `label-schema:`), the labels it types as `url` must hold absolute URLs (RFC 3986): registries and tools link to them, and a value without a scheme links nowhere. Without a schema this rule checks nothing. Values read from variables are not checked.',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.source="github.com/example/app"\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://github.com/example/app"\n',
    },
  },
  check(ctx) {
    for (const e of literalEntriesOfType(ctx.model, ctx.options.labelSchema, 'url')) {
      if (isValidUrl(e.value)) continue;
      const s = urlSuggestion(e.value);
      const exact = ctx.text.slice(e.valueRange.start, e.valueRange.end) === e.value;
      ctx.report(e.valueRange, `Label "${e.key}" is not a valid URL: "${e.value}"${s ? ` (did you mean ${s}?)` : ''}.`, {
        fixes: s && exact ? [replaceFix(`Change to ${s}`, e.valueRange, s, false)] : [],
      });
    }
  },
});
