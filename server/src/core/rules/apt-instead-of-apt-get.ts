/** AptInsteadOfAptGet: `apt` in RUN, whose interface is for people and not stable for scripts (hadolint DL3027). */
import { commandName, effectiveCommand, runScripts } from '../shell/index';
import { defineRule } from './types';
import { replaceFix } from './util';

/** apt subcommands and the script-stable tool that has them. */
const REPLACEMENT: Readonly<Record<string, string>> = {
  install: 'apt-get',
  update: 'apt-get',
  upgrade: 'apt-get',
  'dist-upgrade': 'apt-get',
  remove: 'apt-get',
  purge: 'apt-get',
  autoremove: 'apt-get',
  autoclean: 'apt-get',
  clean: 'apt-get',
  source: 'apt-get',
  'build-dep': 'apt-get',
  download: 'apt-get',
  changelog: 'apt-get',
  search: 'apt-cache',
  show: 'apt-cache',
  policy: 'apt-cache',
  depends: 'apt-cache',
  rdepends: 'apt-cache',
  showsrc: 'apt-cache',
};

export default defineRule({
  meta: {
    id: 'AptInsteadOfAptGet',
    title: 'apt instead of apt-get',
    category: 'shell',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3027'],
    fixable: true,
    docs: {
      rationale:
        'apt is the interactive front end: its output and behaviour may change between releases and it warns "apt does not have a stable CLI interface. Use with caution in scripts". apt-get and apt-cache are the stable tools for scripts.',
      bad: 'FROM ubuntu:24.04\nRUN apt update && apt install -y curl\n',
      good: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      for (const c of entry.script.commands) {
        const eff = effectiveCommand(c);
        if (!eff || commandName(eff.name) !== 'apt' || eff.name.quoted) continue;
        const sub = eff.args.find((a) => !a.value.startsWith('-'));
        const tool = sub ? REPLACEMENT[sub.value] : undefined;
        const range = entry.toSource(eff.name.start, eff.name.end);
        const newName = tool ? eff.name.value.replace(/apt$/, tool) : undefined;
        ctx.report(range, `Use ${tool ?? 'apt-get or apt-cache'} instead of apt in scripts: apt's command line is not stable.`, {
          fixes: tool && newName && entry.exact ? [replaceFix(`Use ${tool}`, range, newName)] : [],
        });
      }
    }
  },
});
