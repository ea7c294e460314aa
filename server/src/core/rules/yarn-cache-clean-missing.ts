/** YarnCacheCleanMissing (hadolint DL3060): yarn install without `yarn cache clean` in the same RUN. */
import { commandName } from '../semantic/packages';
import type { ShCommand } from '../shell/types';
import { defineRule } from './types';
import { appendCommandEdit, cacheMountTargets, runScripts } from './util';

const args = (cmd: ShCommand): string[] => cmd.args.map((a) => a.value);

export default defineRule({
  meta: {
    id: 'YarnCacheCleanMissing',
    title: 'yarn cache clean missing after yarn install',
    category: 'image',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3060'],
    fixable: true,
    docs: {
      rationale:
        'Yarn keeps a copy of every package in its cache; unless the same RUN cleans it (`yarn cache clean`), the cache stays in the layer next to node_modules. A cache mount on the yarn cache keeps it out of the layer too. (With Yarn Plug\'n\'Play the cache is where packages live: disable this rule there.)',
      bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n',
      good: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile && yarn cache clean\n',
    },
  },
  check(ctx) {
    for (const { ins, scripts } of runScripts(ctx.model)) {
      if (cacheMountTargets(ins).some((t) => /yarn/i.test(t))) continue;
      const commands: { cmd: ShCommand; scriptIndex: number }[] = [];
      scripts.forEach((s, i) => s.script.commands.forEach((cmd) => commands.push({ cmd, scriptIndex: i })));
      let lastInstall = -1;
      commands.forEach(({ cmd }, i) => {
        if (commandName(cmd) === 'yarn' && args(cmd).includes('install')) lastInstall = i;
      });
      if (lastInstall === -1) continue;
      const cleaned = commands.slice(lastInstall + 1).some(({ cmd }) => {
        const a = args(cmd);
        return commandName(cmd) === 'yarn' && a.includes('cache') && a.includes('clean');
      });
      if (cleaned) continue;
      const { cmd, scriptIndex } = commands[lastInstall];
      const script = scripts[scriptIndex];
      const install = cmd.args.find((a) => a.value === 'install')!;
      const yarn = [cmd.name!, ...cmd.args].find((w) => w.value.replace(/^.*\//, '') === 'yarn') ?? cmd.name!;
      const edit = scriptIndex === scripts.length - 1 ? appendCommandEdit(ctx.text, script, 'yarn cache clean') : undefined;
      ctx.report(script.toSource(yarn.start, install.end), 'yarn install without yarn cache clean in the same RUN: the package cache stays in the layer. Add && yarn cache clean.', {
        fixes: edit ? [{ title: 'Add yarn cache clean', edits: [edit], preferred: true }] : [],
      });
    }
  },
});
