/** AptInstallRecommends: `apt-get install` without `--no-install-recommends` (hadolint DL3015). */
import { hasOption, optionValues } from '../semantic/packages';
import { defineRule } from './types';
import { fix, runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'AptInstallRecommends',
    title: 'apt-get install also installs recommended packages',
    category: 'image',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3015'],
    fixable: true,
    docs: {
      rationale:
        'By default apt installs the packages a package recommends as well as those it needs: often documentation, X11 libraries or compilers the image never uses. `--no-install-recommends` keeps the image to what was asked for.',
      bad: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n',
      good: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if ((pc.manager !== 'apt-get' && pc.manager !== 'apt') || pc.action !== 'install' || !pc.actionWord) continue;
      if (hasOption(pc, 'no-install-recommends')) continue;
      // `-o APT::Install-Recommends=false` says the same.
      if (optionValues(pc, 'o', 'option').some((v) => /^APT::Install-Recommends=["']?(false|0|no|off)["']?$/i.test(v))) continue;
      if (pc.operands.some((w) => /^APT::Install-Recommends=(false|0)$/i.test(w.value))) continue;
      const word = pc.actionWord;
      const at = script.toSource(word.end, word.end).start;
      ctx.report(script.toSource(word.start, word.end), `${pc.manager} install without --no-install-recommends also installs every recommended package.`, {
        fixes: script.exact ? [fix('Add --no-install-recommends', [{ range: { start: at, end: at }, newText: ' --no-install-recommends' }])] : [],
      });
    }
  },
});
