/** YumInstallWithoutYes: `yum install` without `-y` waits for a confirmation a build cannot give (hadolint DL3030). */
import { hasOption } from '../semantic/packages';
import { defineRule } from './types';
import { fix, runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'YumInstallWithoutYes',
    title: 'yum install without -y',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3030'],
    fixable: true,
    docs: {
      rationale:
        'Without `-y` (`--assumeyes`), yum asks for confirmation; a build has no terminal to answer, so the command fails. Say yes up front.',
      bad: 'FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all\n',
      good: 'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if (pc.manager !== 'yum' || pc.action !== 'install' || !pc.actionWord) continue;
      if (hasOption(pc, 'y', 'assumeyes')) continue;
      const word = pc.actionWord;
      const at = script.toSource(word.end, word.end).start;
      ctx.report(script.toSource(word.start, word.end), `yum ${word.value} without -y stops at the confirmation prompt.`, {
        fixes: script.exact ? [fix('Add -y', [{ range: { start: at, end: at }, newText: ' -y' }])] : [],
      });
    }
  },
});
