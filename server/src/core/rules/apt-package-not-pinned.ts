/** AptPackageNotPinned: `apt-get install` of a package without a version (hadolint DL3008). */
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'AptPackageNotPinned',
    title: 'apt package without a version',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3008'],
    fixable: false,
    docs: {
      rationale:
        'Without a version, `apt-get install` takes whatever the archive has on the day of the build: a rebuild can bring a new major version or a changed dependency. Pin the versions (`curl=7.88.1-10+deb12u8`) so that rebuilds are repeatable and updates are deliberate.',
      bad: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      good: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if ((pc.manager !== 'apt-get' && pc.manager !== 'apt') || pc.action !== 'install') continue;
      for (const p of pc.packages) {
        // A word with an expansion names its package at build time only: it may well be pinned.
        if (p.pinned || p.dynamic) continue;
        ctx.report(script.toSource(p.nameStart, p.nameEnd), `Pin the version of "${p.name}": ${pc.manager} install ${p.name}=<version>.`);
      }
    }
  },
});
