/** AptListsNotRemoved: `apt-get update` without removing /var/lib/apt/lists in the same RUN (hadolint DL3009). */
import type { ShCommand } from '../shell/types';
import type { InstructionScript } from '../shell/index';
import { packageCommand, removesDirectory, rmTargets, type PackageCommand } from '../semantic/packages';
import { defineRule } from './types';
import { appendCommandEdit, fix, hasCacheMountOn, imageStages, runScripts } from './util';

const LISTS = '/var/lib/apt/lists';

export default defineRule({
  meta: {
    id: 'AptListsNotRemoved',
    title: 'apt lists left in the image',
    category: 'image',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3009'],
    fixable: true,
    docs: {
      rationale:
        '`apt-get update` downloads package lists (tens of megabytes) into /var/lib/apt/lists. Unless the same RUN deletes them, they stay in the layer and in every image built on it. Remove them at the end of the RUN, or keep them on a cache mount.',
      bad: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n',
      good: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n',
    },
  },
  check(ctx) {
    const images = imageStages(ctx.model);
    for (const { ins, scripts } of runScripts(ctx.model)) {
      // Lists left in a stage that only COPY --from reads never reach an image; ONBUILD runs in other images.
      const stage = ctx.model.stageOf(ins);
      if (!ins.trigger && stage && !images.has(stage)) continue;
      if (hasCacheMountOn(ins, [LISTS])) continue;
      const commands = scripts.flatMap((script) => script.script.commands.map((cmd) => ({ script, cmd })));
      let first: { script: InstructionScript; pc: PackageCommand } | undefined;
      let lastUpdate = -1;
      commands.forEach(({ script, cmd }, i) => {
        const pc = packageCommand(cmd);
        if (!pc || (pc.manager !== 'apt-get' && pc.manager !== 'apt' && pc.manager !== 'aptitude') || pc.action !== 'update') return;
        first ??= { script, pc };
        lastUpdate = i;
      });
      if (!first) continue;
      const removed = commands.some(({ cmd }, i) => i > lastUpdate && removesLists(cmd));
      if (removed) continue;
      const { script, pc } = first;
      const end = pc.actionWord ?? pc.tool;
      const edit = appendCommandEdit(ctx.text, commands[lastUpdate].script, 'rm -rf /var/lib/apt/lists/*');
      ctx.report(script.toSource(pc.tool.start, end.end), `${pc.manager} update leaves its package lists in ${LISTS}: delete them at the end of this RUN (rm -rf ${LISTS}/*).`, {
        fixes: edit ? [fix(`Append rm -rf ${LISTS}/*`, [edit])] : [],
      });
    }
  },
});

/** `rm -rf /var/lib/apt/lists/*`, or the files only (`rm -f /var/lib/apt/lists/*_*`, as Phoenix's Dockerfile does). */
function removesLists(cmd: ShCommand): boolean {
  if (removesDirectory(cmd, LISTS)) return true;
  return rmTargets(cmd)?.paths.some((p) => p.startsWith(LISTS + '/') && p.includes('*')) ?? false;
}
