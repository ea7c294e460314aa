/** ZypperDistUpgrade (hadolint DL3035): `zypper dist-upgrade` in a Dockerfile. */
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'ZypperDistUpgrade',
    title: 'zypper dist-upgrade',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3035'],
    fixable: false,
    docs: {
      rationale:
        'A distribution upgrade inside an image replaces the base image\'s packages with whatever the repositories hold on the day of the build: the result differs from build to build and may cross a release. Use a newer base image, and install or update the packages you need.',
      bad: 'FROM opensuse/leap:15.6\nRUN zypper -n dist-upgrade && zypper clean -a\n',
      good: 'FROM opensuse/leap:15.6\nRUN zypper -n update && zypper clean -a\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if (pc.manager !== 'zypper' || pc.action !== 'dist-upgrade' || !pc.actionWord) continue;
      ctx.report(script.toSource(pc.actionWord.start, pc.actionWord.end), `Do not use zypper ${pc.actionWord.value} in an image: use a newer base image, or update the packages you need.`);
    }
  },
});
