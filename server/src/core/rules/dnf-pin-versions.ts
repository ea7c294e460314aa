/** DnfPinVersions (hadolint DL3041): dnf/microdnf install of a package or module without a version. */
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'DnfPinVersions',
    title: 'dnf install without a package version',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3041'],
    fixable: false,
    docs: {
      rationale:
        'Without a version, dnf installs whatever the repositories hold on the day of the build, so two builds of the same Dockerfile can differ. Pin each package as `name-<version>` (`httpd-2.4.62`) and each module stream as `name:<stream>` (`nodejs:20`).',
      bad: 'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n',
      good: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if ((pc.manager !== 'dnf' && pc.manager !== 'microdnf') || pc.action !== 'install' || pc.scope === 'group') continue;
      for (const p of pc.packages) {
        if (p.pinned || p.dynamic || p.kind !== 'name' || p.value.startsWith('@')) continue;
        const message = pc.scope === 'module' ? `Pin the stream of module ${p.name}: ${p.name}:<stream>.` : `Pin the version of ${p.name}: ${pc.tool.value} install ${p.name}-<version>.`;
        ctx.report(script.toSource(p.nameStart, p.nameEnd), message);
      }
    }
  },
});
