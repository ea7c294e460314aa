/** YumPackageNotPinned: `yum install` of a package (or module) without a version (hadolint DL3033). */
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'YumPackageNotPinned',
    title: 'yum package without a version',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3033'],
    fixable: false,
    docs: {
      rationale:
        'Without a version, `yum install` takes whatever the repositories have on the day of the build. Pin packages as `name-<version>` (`httpd-2.4.37`) and modules as `name:<stream>`.',
      bad: 'FROM centos:7\nRUN yum install -y httpd && yum clean all\n',
      good: 'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if (pc.manager !== 'yum' || pc.action !== 'install') continue;
      // Groups have no versions; `localinstall` takes package files.
      if (pc.scope === 'group' || pc.scope === 'local') continue;
      for (const p of pc.packages) {
        if (p.pinned || p.dynamic) continue;
        const how = pc.scope === 'module' ? `yum module install ${p.name}:<stream>` : `yum install ${p.name}-<version>`;
        ctx.report(script.toSource(p.nameStart, p.nameEnd), `Pin the version of "${p.name}": ${how}.`);
      }
    }
  },
});
