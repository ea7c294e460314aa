/** RedundantTargetPlatform: BuildKit's check for `FROM --platform=$TARGETPLATFORM`, which is the default. */
import { expand } from '../semantic/expand';
import { defineRule } from './types';
import { withTrailingSpace } from './util';

const SENTINEL = '\u0000target-platform\u0000';

export default defineRule({
  meta: {
    id: 'RedundantTargetPlatform',
    title: 'Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:RedundantTargetPlatform', 'hadolint:DL3065'],
    fixable: true,
    docs: {
      rationale:
        'A stage is built for the target platform unless `--platform` says otherwise, so `--platform=$TARGETPLATFORM` changes nothing and only adds noise (it is often confused with `$BUILDPLATFORM`, which does change the platform).',
      bad: 'FROM --platform=$TARGETPLATFORM alpine:3.20\nRUN uname -m\n',
      good: 'FROM alpine:3.20\nRUN uname -m\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const flag = stage.from.flags.find((f) => f.name === 'platform');
      if (!flag || flag.value === undefined || !flag.value.includes('$')) continue;
      // As BuildKit: TARGETPLATFORM is the only variable used, and the value is exactly its value.
      const ex = expand(flag.value, (name) => (name === 'TARGETPLATFORM' ? SENTINEL : undefined), ctx.ast.escape);
      if (ex.error || ex.words.join(' ') !== SENTINEL) continue;
      if (ex.uses.length === 0 || ex.uses.some((u) => u.name !== 'TARGETPLATFORM')) continue;
      ctx.report(flag.range, `Setting platform to the predefined ${flag.value} in FROM is redundant: a stage is built for the target platform by default.`, {
        fixes: [{ title: 'Remove the --platform flag', edits: [{ range: withTrailingSpace(ctx.text, flag.range), newText: '' }], preferred: true }],
        tags: ['unnecessary'],
      });
    }
  },
});
