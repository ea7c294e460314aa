/** UntaggedImage: a FROM image without a tag or digest gets whatever `latest` is (hadolint DL3006). */
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'UntaggedImage',
    title: 'Base image without a tag',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3006'],
    fixable: false,
    docs: {
      rationale:
        'An image without a tag means `latest`, which changes whenever the publisher pushes: builds stop being reproducible and can break without any change to the Dockerfile. Name the version you build on (or pin a digest).',
      bad: 'FROM debian\nRUN echo hello\n',
      good: 'FROM debian:12-slim\nRUN echo hello\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const base = stage.base;
      // Stage names, scratch, and references whose value is only known at build time are not images we can judge.
      if (base.stage || base.scratch || base.unresolved || !base.image) continue;
      const image = base.image;
      if (image.tag !== undefined || image.digest !== undefined) continue;
      const subject = base.raw === base.expanded ? `Image "${base.raw}"` : `"${base.raw}" is "${base.expanded}", which`;
      ctx.report(base.range, `${subject} has no tag, so it means ${image.familiar}:latest and changes over time: pin a version (${image.familiar}:<version>) or a digest.`);
    }
  },
});
