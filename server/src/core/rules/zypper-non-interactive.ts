/** ZypperNonInteractive (hadolint DL3034): zypper install/remove/patch without `-y`/`--non-interactive`. */
import { hasOption } from '../semantic/packages';
import { defineRule } from './types';
import { runPackageCommands } from './util';

const PROMPTING = new Set(['install', 'remove', 'source-install', 'patch']);

export default defineRule({
  meta: {
    id: 'ZypperNonInteractive',
    title: 'zypper without the non-interactive switch',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3034'],
    fixable: true,
    docs: {
      rationale:
        'zypper asks for confirmation before it installs or removes packages; a build has nobody to answer, so the command fails or hangs. Pass `-y` (`--no-confirm`) to the command, or `-n` (`--non-interactive`) before it.',
      bad: 'FROM opensuse/leap:15.6\nRUN zypper install curl && zypper clean -a\n',
      good: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean -a\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if (pc.manager !== 'zypper' || !pc.action || !PROMPTING.has(pc.action) || !pc.actionWord) continue;
      if (hasOption(pc, 'y', 'no-confirm') || pc.options.some((o) => o.beforeAction && (o.name === 'n' || o.name === 'non-interactive'))) continue;
      const w = pc.actionWord;
      const at = script.toSource(w.end, w.end);
      ctx.report(script.toSource(pc.tool.start, w.end), `zypper ${w.value} without -y: it waits for a confirmation nobody gives during a build. Use zypper ${w.value} -y (or zypper -n ${w.value}).`, {
        fixes: script.exact ? [{ title: 'Add -y', edits: [{ range: { start: at.start, end: at.start }, newText: ' -y' }], preferred: true }] : [],
      });
    }
  },
});
