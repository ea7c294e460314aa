/**
 * AptDistUpgrade: `apt-get dist-upgrade` in a build (hadolint DL3005, since removed from hadolint: off by
 * default here).
 */
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'AptDistUpgrade',
    title: 'apt-get dist-upgrade in a build',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'error',
    enabledByDefault: false,
    equivalents: ['hadolint:DL3005'],
    fixable: false,
    docs: {
      rationale:
        '`dist-upgrade` (`full-upgrade`) may install and remove packages to upgrade the whole distribution, which belongs in a new base image rather than in a build step. A plain `apt-get upgrade` to pick up security fixes is fine. hadolint dropped this check; enable it if you want it.',
      bad: 'FROM debian:12-slim\nRUN apt-get update && apt-get dist-upgrade -y && rm -rf /var/lib/apt/lists/*\n',
      good: 'FROM debian:12-slim\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if ((pc.manager !== 'apt-get' && pc.manager !== 'apt') || !pc.actionWord) continue;
      if (pc.action !== 'dist-upgrade' && pc.action !== 'full-upgrade') continue;
      ctx.report(script.toSource(pc.actionWord.start, pc.actionWord.end), `${pc.manager} ${pc.action} upgrades the distribution inside the build: use a newer base image instead.`);
    }
  },
});
