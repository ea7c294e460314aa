/** ReplaceBinSh (hadolint DL4005): `ln -sf /bin/bash /bin/sh` instead of the SHELL instruction. */
import { commandName } from '../semantic/packages';
import { defineRule } from './types';
import { runScripts } from './util';

export default defineRule({
  meta: {
    id: 'ReplaceBinSh',
    title: 'Use SHELL to change the default shell',
    category: 'shell',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL4005'],
    fixable: false,
    docs: {
      rationale:
        'Replacing /bin/sh with a link to another shell changes the shell of every script in the image, including the system\'s own, and hides from readers which shell RUN uses. The SHELL instruction changes the shell of the RUN instructions that follow, and nothing else.',
      bad: 'FROM debian:12-slim\nRUN ln -sf /bin/bash /bin/sh\nRUN echo "${BASH_VERSION}"\n',
      good: 'FROM debian:12-slim\nSHELL ["/bin/bash", "-c"]\nRUN echo "${BASH_VERSION}"\n',
    },
  },
  check(ctx) {
    for (const { scripts } of runScripts(ctx.model)) {
      for (const script of scripts) {
        for (const cmd of script.script.commands) {
          if (commandName(cmd) !== 'ln' || !cmd.name) continue;
          const words = [cmd.name, ...cmd.args];
          const at = words.findIndex((w) => w.value.replace(/^.*\//, '') === 'ln');
          const operands = words.slice(at + 1).filter((w) => !w.value.startsWith('-'));
          const dest = operands[operands.length - 1];
          if (operands.length < 2 || dest.value.replace(/\/+$/, '') !== '/bin/sh') continue;
          ctx.report(script.toSource(dest.start, dest.end), 'Do not replace /bin/sh: use the SHELL instruction to change the shell RUN uses.');
        }
      }
    }
  },
});
