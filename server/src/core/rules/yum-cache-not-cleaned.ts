/** YumCacheNotCleaned: `yum install` without `yum clean all` in the same RUN (hadolint DL3032). */
import { packageCommand, removesDirectory, type PackageCommand } from '../semantic/packages';
import type { InstructionScript } from '../shell/index';
import { defineRule } from './types';
import { appendCommandEdit, fix, hasCacheMountOn, imageStages, runScripts } from './util';

const CACHE = '/var/cache/yum';

export default defineRule({
  meta: {
    id: 'YumCacheNotCleaned',
    title: 'yum cache left in the image',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3032'],
    fixable: true,
    docs: {
      rationale:
        'yum keeps repository metadata and downloaded packages in /var/cache/yum. Unless the same RUN cleans it (`yum clean all`), the cache stays in the layer and makes the image larger.',
      bad: 'FROM centos:7\nRUN yum install -y httpd-2.4.6\n',
      good: 'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n',
    },
  },
  check(ctx) {
    const images = imageStages(ctx.model);
    for (const { ins, scripts } of runScripts(ctx.model)) {
      const stage = ctx.model.stageOf(ins);
      if (!ins.trigger && stage && !images.has(stage)) continue;
      if (hasCacheMountOn(ins, [CACHE])) continue;
      const commands = scripts.flatMap((script) => script.script.commands.map((cmd) => ({ script, cmd, pc: packageCommand(cmd) })));
      let first: { script: InstructionScript; pc: PackageCommand } | undefined;
      let lastInstall = -1;
      commands.forEach(({ script, pc }, i) => {
        if (pc?.manager !== 'yum' || pc.action !== 'install') return;
        first ??= { script, pc };
        lastInstall = i;
      });
      if (!first) continue;
      const cleaned = commands.some(({ cmd, pc }, i) => i > lastInstall && ((pc?.manager === 'yum' && pc.action === 'clean') || removesDirectory(cmd, CACHE)));
      if (cleaned) continue;
      const { script, pc } = first;
      const edit = appendCommandEdit(ctx.text, commands[lastInstall].script, 'yum clean all');
      ctx.report(script.toSource(pc.tool.start, (pc.actionWord ?? pc.tool).end), `yum ${pc.actionWord?.value ?? 'install'} without a later yum clean all leaves its cache in ${CACHE}.`, {
        fixes: edit ? [fix('Append yum clean all', [edit])] : [],
      });
    }
  },
});
