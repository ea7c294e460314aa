/** ChmodWorldWritable: `chmod 777` / `o+w` in RUN: files anyone in the container can change. */
import { commandName, effectiveCommand, runScripts } from '../shell/index';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'ChmodWorldWritable',
    title: 'World-writable permissions',
    category: 'security',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: [],
    fixable: false,
    docs: {
      rationale:
        'Mode 777 (or o+w) lets any user of the container rewrite the files, including the code the main process runs; it is usually a shortcut around an ownership problem. Give the files to the user that needs them (COPY --chown, chown) and keep 755/644. Sticky shared directories such as 1777 for /tmp are fine.',
      bad: 'FROM node:20-slim\nCOPY . /app\nRUN chmod -R 777 /app\n',
      good: 'FROM node:20-slim\nCOPY --chown=node:node . /app\nRUN chmod -R 755 /app\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      for (const c of entry.script.commands) {
        const eff = effectiveCommand(c);
        if (!eff || commandName(eff.name) !== 'chmod') continue;
        const mode = eff.args.find((a) => !/^-[a-zA-Z]+$/.test(a.value) && !a.value.startsWith('--'));
        if (!mode || mode.hasExpansion) continue;
        if (!worldWritable(mode.value)) continue;
        ctx.report(entry.toSource(mode.start, mode.end), `chmod ${mode.value} makes the files writable by every user: give them to the user that needs them and use 755/644.`);
      }
    }
  },
});

function worldWritable(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) {
    const digits = mode.padStart(4, '0');
    const sticky = (Number(digits[0]) & 1) === 1;
    return !sticky && (Number(digits[3]) & 2) === 2;
  }
  // Symbolic: o+w, a+w, a=rwx, ugo+rwx; a bare +w follows the umask and is left alone.
  return mode.split(',').some((part) => {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(part);
    if (!m || m[2] === '-' || !m[3].includes('w')) return false;
    return m[1].includes('o') || m[1].includes('a');
  }) && !/t/.test(mode);
}
