/** MaintainerDeprecated: BuildKit's warning for the deprecated MAINTAINER instruction. */
import { defineRule } from './types';
import { inCase, quoteDockerfileValue, replaceFix } from './util';

export default defineRule({
  meta: {
    id: 'MaintainerDeprecated',
    title: 'The MAINTAINER instruction is deprecated, use a label instead to define an image author',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:MaintainerDeprecated', 'hadolint:DL4000'],
    fixable: true,
    docs: {
      rationale:
        '`MAINTAINER` only sets the deprecated `author` field of the image config. The OCI label `org.opencontainers.image.authors` is where tools look for the authors today.',
      bad: 'FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword !== 'MAINTAINER') continue;
      const author = ins.args[0]?.value;
      const fixes = [];
      if (author !== undefined && ins.startLine === ins.endLine) {
        const label = `${inCase('LABEL', ctx.ast.instructions)} org.opencontainers.image.authors=${quoteDockerfileValue(author, ctx.ast.escape)}`;
        fixes.push(replaceFix('Replace with LABEL org.opencontainers.image.authors', ins.range, label));
      }
      ctx.report(ins.keywordRange, 'MAINTAINER is deprecated: set the image authors with LABEL org.opencontainers.image.authors instead.', {
        fixes,
        tags: ['deprecated'],
      });
    }
  },
});
