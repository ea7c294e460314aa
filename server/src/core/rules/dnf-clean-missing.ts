/** DnfCleanMissing (hadolint DL3040): dnf/microdnf install without `dnf clean all` after it in the same RUN. */
import { commandName, packageCommand, removesDirectory, type PackageManager } from '../semantic/packages';
import type { ShCommand } from '../shell/types';
import { defineRule } from './types';
import { appendCommandEdit, hasCacheMountOn, runScripts } from './util';

const CACHES = ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5'];

export default defineRule({
  meta: {
    id: 'DnfCleanMissing',
    title: 'dnf clean all missing after dnf install',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3040'],
    fixable: true,
    docs: {
      rationale:
        'dnf keeps repository metadata and downloaded packages under /var/cache/dnf; unless the same RUN removes them (`dnf clean all`), they stay in the layer and bloat the image. A cache mount on the cache directory keeps them out of the layer too.',
      bad: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62\n',
      good: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n',
    },
  },
  check(ctx) {
    for (const { ins, scripts } of runScripts(ctx.model)) {
      if (hasCacheMountOn(ins, CACHES)) continue;
      const commands: { cmd: ShCommand; scriptIndex: number }[] = [];
      scripts.forEach((s, i) => s.script.commands.forEach((cmd) => commands.push({ cmd, scriptIndex: i })));
      for (const manager of ['dnf', 'microdnf'] as PackageManager[]) {
        let lastInstall = -1;
        commands.forEach(({ cmd }, i) => {
          const pc = packageCommand(cmd);
          if (pc?.manager === manager && pc.action === 'install') lastInstall = i;
        });
        if (lastInstall === -1) continue;
        const cleaned = commands.slice(lastInstall + 1).some(({ cmd }) => {
          const pc = packageCommand(cmd);
          return (pc?.manager === manager && pc.action === 'clean') || (commandName(cmd) === 'rm' && CACHES.some((d) => removesDirectory(cmd, d)));
        });
        if (cleaned) continue;
        const { cmd, scriptIndex } = commands[lastInstall];
        const script = scripts[scriptIndex];
        const pc = packageCommand(cmd)!;
        const tool = pc.tool.value.replace(/^.*\//, '');
        const edit = scriptIndex === scripts.length - 1 ? appendCommandEdit(ctx.text, script, `${tool} clean all`) : undefined;
        ctx.report(script.toSource(pc.tool.start, (pc.actionWord ?? pc.tool).end), `${tool} install without ${tool} clean all in the same RUN: its cache stays in the layer. Add && ${tool} clean all.`, {
          fixes: edit ? [{ title: `Add ${tool} clean all`, edits: [edit], preferred: true }] : [],
        });
      }
    }
  },
});
