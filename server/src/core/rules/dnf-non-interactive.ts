/** DnfNonInteractive (hadolint DL3038): dnf/microdnf install without `-y`. */
import { hasOption } from '../semantic/packages';
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'DnfNonInteractive',
    title: 'dnf install without -y',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3038'],
    fixable: true,
    docs: {
      rationale:
        'dnf asks for confirmation before it installs packages; a build has nobody to answer, so the command fails. Pass `-y` (`--assumeyes`).',
      bad: 'FROM fedora:40\nRUN dnf install httpd-2.4.62 && dnf clean all\n',
      good: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if ((pc.manager !== 'dnf' && pc.manager !== 'microdnf') || pc.action !== 'install' || !pc.actionWord) continue;
      if (hasOption(pc, 'y', 'assumeyes')) continue;
      const w = pc.actionWord;
      const at = script.toSource(w.end, w.end).start;
      ctx.report(script.toSource(pc.tool.start, w.end), `${pc.tool.value} ${w.value} without -y: it waits for a confirmation nobody gives during a build. Use ${pc.tool.value} ${w.value} -y.`, {
        fixes: script.exact ? [{ title: 'Add -y', edits: [{ range: { start: at, end: at }, newText: ' -y' }], preferred: true }] : [],
      });
    }
  },
});
