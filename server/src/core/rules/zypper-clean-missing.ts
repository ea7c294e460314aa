/** ZypperCleanMissing (hadolint DL3036): zypper install without `zypper clean` after it in the same RUN. */
import { commandName, packageCommand, removesDirectory } from '../semantic/packages';
import type { ShCommand } from '../shell/types';
import { defineRule } from './types';
import { appendCommandEdit, hasCacheMountOn, runScripts } from './util';

const CACHE = '/var/cache/zypp';

export default defineRule({
  meta: {
    id: 'ZypperCleanMissing',
    title: 'zypper clean missing after zypper install',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3036'],
    fixable: true,
    docs: {
      rationale:
        'zypper keeps repository metadata and downloaded packages under /var/cache/zypp; unless the same RUN removes them (`zypper clean -a`), they stay in the layer and bloat the image. A cache mount on /var/cache/zypp keeps them out of the layer too.',
      bad: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl\n',
      good: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean -a\n',
    },
  },
  check(ctx) {
    for (const { ins, scripts } of runScripts(ctx.model)) {
      if (hasCacheMountOn(ins, [CACHE])) continue;
      const commands: { cmd: ShCommand; scriptIndex: number }[] = [];
      scripts.forEach((s, i) => s.script.commands.forEach((cmd) => commands.push({ cmd, scriptIndex: i })));
      let lastInstall = -1;
      commands.forEach(({ cmd }, i) => {
        const pc = packageCommand(cmd);
        if (pc?.manager === 'zypper' && pc.action === 'install') lastInstall = i;
      });
      if (lastInstall === -1) continue;
      const cleaned = commands.slice(lastInstall + 1).some(({ cmd }) => {
        const pc = packageCommand(cmd);
        return (pc?.manager === 'zypper' && pc.action === 'clean') || (commandName(cmd) === 'rm' && removesDirectory(cmd, CACHE));
      });
      if (cleaned) continue;
      const { cmd, scriptIndex } = commands[lastInstall];
      const script = scripts[scriptIndex];
      const pc = packageCommand(cmd)!;
      const edit = scriptIndex === scripts.length - 1 ? appendCommandEdit(ctx.text, script, 'zypper clean -a') : undefined;
      ctx.report(script.toSource(pc.tool.start, (pc.actionWord ?? pc.tool).end), 'zypper install without zypper clean in the same RUN: its cache stays in the layer. Add && zypper clean -a.', {
        fixes: edit ? [{ title: 'Add zypper clean -a', edits: [edit], preferred: true }] : [],
      });
    }
  },
});
