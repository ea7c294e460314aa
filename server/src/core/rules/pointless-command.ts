/** PointlessCommand: commands that make no sense in an image build: ssh, vim, shutdown, service, ps... (hadolint DL3001). */
import { commandName, effectiveCommand, runScripts } from '../shell/index';
import { defineRule } from './types';

const WHY: Readonly<Record<string, string>> = {
  ssh: 'the build has no interactive session; use RUN --mount=type=ssh for git, or COPY what you need',
  vim: 'nobody can type into an editor during a build; write files with COPY or a heredoc',
  vi: 'nobody can type into an editor during a build; write files with COPY or a heredoc',
  nano: 'nobody can type into an editor during a build; write files with COPY or a heredoc',
  emacs: 'nobody can type into an editor during a build; write files with COPY or a heredoc',
  shutdown: 'there is no machine to shut down: the container ends with the RUN',
  reboot: 'there is no machine to reboot: the container ends with the RUN',
  halt: 'there is no machine to halt: the container ends with the RUN',
  poweroff: 'there is no machine to power off: the container ends with the RUN',
  service: 'services started during a build stop when the RUN ends; start them in CMD/ENTRYPOINT',
  systemctl: 'there is no init system in a build container; start services in CMD/ENTRYPOINT',
  ps: 'the build container runs no other processes worth listing',
  free: 'the memory of the build container says nothing about the one that will run',
  top: 'top is interactive and the build container runs nothing else',
  htop: 'htop is interactive and the build container runs nothing else',
  kill: 'no process of an earlier instruction survives into this RUN',
  mount: 'mounts do not persist into the image; use RUN --mount',
  ifconfig: 'the build network is not the one the container will run with',
};

export default defineRule({
  meta: {
    id: 'PointlessCommand',
    title: 'Command that makes no sense in a build',
    category: 'shell',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3001'],
    fixable: false,
    docs: {
      rationale:
        'Each RUN is a fresh, non-interactive container whose processes end with it: starting services, killing processes, editing files interactively, mounting or shutting down do nothing useful for the image.',
      bad: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y nginx && service nginx start\n',
      good: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y nginx\nCMD ["nginx", "-g", "daemon off;"]\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry, run } = rs;
      const sshMount = run.flags.some((f) => f.name === 'mount' && /type=ssh/.test(f.value ?? ''));
      for (const c of entry.script.commands) {
        const eff = effectiveCommand(c);
        if (!eff) continue;
        const name = commandName(eff.name);
        const why = WHY[name];
        if (!why || (name === 'ssh' && sshMount)) continue;
        if (c.inCondition || c.inSubstitution) continue;
        ctx.report(entry.toSource(eff.name.start, eff.name.end), `${name} in RUN makes no sense: ${why}.`);
      }
    }
  },
});
