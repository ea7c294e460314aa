/** LabelNotGitHash (hadolint DL3055): a label the schema types as `hash` holds no Git commit id. */
import { isGitHash, literalEntriesOfType } from '../semantic/labels';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'LabelNotGitHash',
    title: 'Label is not a Git commit hash',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3055'],
    fixable: false,
    docs: {
      rationale:
        'With a label schema (hadolint `label-schema:`), the labels it types as `hash` must name a Git commit: 7 to 40 lower-case hex digits (abbreviated or full SHA-1) or 64 (SHA-256). A branch name does not say which commit was built. Without a schema this rule checks nothing.',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.revision="main"\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.revision="4f9c2a1e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39"\n',
    },
  },
  check(ctx) {
    for (const e of literalEntriesOfType(ctx.model, ctx.options.labelSchema, 'hash')) {
      if (isGitHash(e.value)) continue;
      const why = /^[0-9a-fA-F]+$/.test(e.value) ? (/[A-F]/.test(e.value) ? ': write it in lower case' : ': a commit id has 7 to 40 hex digits') : '';
      ctx.report(e.valueRange, `Label "${e.key}" is not a Git commit hash${why}.`);
    }
  },
});
