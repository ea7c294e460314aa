/** LabelNotSemver (hadolint DL3056): a label the schema types as `semver` holds no semantic version. */
import { isSemver, literalEntriesOfType } from '../semantic/labels';
import { defineRule } from './types';
import { replaceFix } from './util';

export default defineRule({
  meta: {
    id: 'LabelNotSemver',
    title: 'Label is not a semantic version',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3056'],
    fixable: true,
    docs: {
      rationale:
        'With a label schema (hadolint `label-schema:`), the labels it types as `semver` must hold semantic versions (MAJOR.MINOR.PATCH, with optional -prerelease and +build), which tools can compare and sort. Without a schema this rule checks nothing. Values read from variables are not checked.',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.version="v2.1.0"\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.version="2.1.0"\n',
    },
  },
  check(ctx) {
    for (const e of literalEntriesOfType(ctx.model, ctx.options.labelSchema, 'semver')) {
      if (isSemver(e.value)) continue;
      const stripped = e.value.replace(/^[vV]/, '');
      const exact = ctx.text.slice(e.valueRange.start, e.valueRange.end) === e.value;
      const fixes = stripped !== e.value && isSemver(stripped) && exact ? [replaceFix(`Change to ${stripped}`, e.valueRange, stripped)] : [];
      const hint = fixes.length ? ` (without the "${e.value[0]}": ${stripped})` : ': expected MAJOR.MINOR.PATCH such as 1.4.2';
      ctx.report(e.valueRange, `Label "${e.key}" is not a semantic version${hint}.`, { fixes });
    }
  },
});
