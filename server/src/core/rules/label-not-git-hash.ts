/** LabelNotGitHash (hadolint DL3055): a label the schema types as `hash` holds no Git commit id. */
import { CONVENTIONAL_LABEL_TYPES, SPEC_LABEL_TYPES, isGitHash, literalEntriesOfType } from '../semantic/labels';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'LabelNotGitHash',
    title: 'Label is not a Git commit hash',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: false,
    equivalents: ['hadolint:DL3055'],
    fixable: false,
    docs: {
      rationale:
        'A revision label names the exact commit the image was built from: a branch name or a truncated id does not. The labels checked are those the configured label schema types as `hash`; without a schema, org.opencontainers.image.revision and org.label-schema.vcs-ref. Accepted: 7 to 40 lower-case hex digits (abbreviated or full SHA-1) or 64 (SHA-256).',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.revision="main"\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.revision="4f9c2a1e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39"\n',
    },
  },
  check(ctx) {
    for (const e of literalEntriesOfType(ctx.model, ctx.options.labelSchema, 'hash', [SPEC_LABEL_TYPES, CONVENTIONAL_LABEL_TYPES])) {
      if (isGitHash(e.value)) continue;
      const why = /^[0-9a-fA-F]+$/.test(e.value) ? (/[A-F]/.test(e.value) ? ': write it in lower case' : ': a commit id has 7 to 40 hex digits') : '';
      ctx.report(e.valueRange, `Label "${e.key}" is not a Git commit hash${why}.`);
    }
  },
});
