/** LatestTag: a FROM image pinned to the moving `latest` tag (hadolint DL3007). */
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'LatestTag',
    title: 'Base image uses the latest tag',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3007'],
    fixable: false,
    docs: {
      rationale:
        '`latest` points at whatever was pushed last: the same Dockerfile builds a different image from one day to the next, and a new major version can break the build. Use a release tag (or a digest).',
      bad: 'FROM node:latest\nRUN node --version\n',
      good: 'FROM node:22-bookworm-slim\nRUN node --version\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const base = stage.base;
      const image = base.image;
      if (base.stage || base.unresolved || !image || image.tag !== 'latest') continue;
      // With a digest the tag is ignored: `node:latest@sha256:...` is pinned.
      if (image.digest !== undefined) continue;
      // Underline the tag itself when it is written literally in the word.
      let range = base.range;
      if (base.raw === base.expanded && image.tagStart !== undefined && base.range.end - base.range.start === base.raw.length) {
        range = { start: base.range.start + image.tagStart, end: base.range.start + image.tagStart + image.tag.length };
      }
      const subject = base.raw === base.expanded ? `${image.familiar}:latest` : `"${base.raw}" is ${image.familiar}:latest, which`;
      ctx.report(range, `${subject} changes whenever a new version is pushed: pin a release tag or a digest.`);
    }
  },
});
