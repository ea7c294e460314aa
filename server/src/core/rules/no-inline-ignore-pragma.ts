/** NoInlineIgnorePragma (hadolint DL1001): `# hadolint ignore=...` comments in the Dockerfile. */
import { defineRule } from './types';
import { fullLineSpan } from './util';

const INLINE = /^[ \t]*(hadolint|dockwright)[ \t]+ignore[ \t]*=/i;

export default defineRule({
  meta: {
    id: 'NoInlineIgnorePragma',
    title: 'Inline ignore pragma',
    category: 'style',
    severity: 'info',
    enabledByDefault: false,
    equivalents: ['hadolint:DL1001'],
    fixable: true,
    docs: {
      rationale:
        'For teams that keep exceptions in the linter configuration rather than scattered through Dockerfiles: flags the `# hadolint ignore=...` and `# dockwright ignore=...` comments placed before an instruction (file-wide `global ignore` comments are not flagged). Off by default, as in hadolint.',
      bad: 'FROM alpine:3.20\n# hadolint ignore=DL3018\nRUN apk add --no-cache curl\n',
      good: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
    },
  },
  check(ctx) {
    for (const c of ctx.ast.comments) {
      if (c.insideInstruction || !INLINE.test(c.text)) continue;
      const tool = INLINE.exec(c.text)![1].toLowerCase();
      ctx.report(c.range, `Inline \`# ${tool} ignore\` pragma: keep exceptions in the configuration instead.`, {
        fixes: [{ title: 'Remove the ignore comment', edits: [{ range: fullLineSpan(ctx.text, c.range.start), newText: '' }], preferred: false }],
      });
    }
  },
});
