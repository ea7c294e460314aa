/** ZypperPinVersions (hadolint DL3037): zypper install of a package without a version. */
import { findOption } from '../semantic/packages';
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'ZypperPinVersions',
    title: 'zypper install without a package version',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3037'],
    fixable: false,
    docs: {
      rationale:
        'Without a version, zypper installs whatever the repository holds on the day of the build, so two builds of the same Dockerfile can differ. Pin each package: `curl=8.6.0` (or a range such as `curl>=8.6`).',
      bad: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean -a\n',
      good: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl=8.6.0 && zypper clean -a\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if (pc.manager !== 'zypper' || pc.action !== 'install') continue;
      const type = findOption(pc, 't', 'type')?.value;
      if (type && type !== 'package') continue;
      for (const p of pc.packages) {
        if (p.pinned || p.dynamic || p.kind !== 'name') continue;
        ctx.report(script.toSource(p.nameStart, p.nameEnd), `Pin the version of ${p.name}: zypper install ${p.name}=<version>.`);
      }
    }
  },
});
