/** CurlPipeToShell: a script downloaded with curl/wget and run at once (`curl | sh`, `sh -c "$(curl ...)"`, `eval "$(wget ...)"`). */
import { commandName, effectiveCommand, isShellCommand, runScripts } from '../shell/index';
import type { ShCommand, ShellScript } from '../shell/types';
import { defineRule } from './types';

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c']);
const INTERPRETERS = new Set(['python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php']);

export default defineRule({
  meta: {
    id: 'CurlPipeToShell',
    title: 'Downloaded script run without verification',
    category: 'security',
    severity: 'info',
    enabledByDefault: true,
    equivalents: [],
    fixable: false,
    docs: {
      rationale:
        'Piping a download into a shell runs whatever the server (or anyone in between) returns at build time, unpinned and unverified, and a truncated download runs half a script. Download to a file, check its sha256, then run it; or install a pinned package.',
      bad: 'FROM debian:12\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -\n',
      good:
        'FROM debian:12\nRUN curl -fsSLo /tmp/setup.sh https://deb.nodesource.com/setup_20.x \\\n && echo "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  /tmp/setup.sh" | sha256sum -c - \\\n && bash /tmp/setup.sh && rm /tmp/setup.sh\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      const s = entry.script;
      for (const c of s.commands) {
        const eff = effectiveCommand(c);
        if (!eff) continue;
        const name = commandName(eff.name);
        const runner = isShellCommand(name) || INTERPRETERS.has(name) || name === 'eval' || name === 'source' || name === '.';
        if (!runner) continue;
        let how: string | undefined;
        // curl ... | sh
        if (c.pipelineIndex > 0 && (isShellCommand(name) || INTERPRETERS.has(name)) && !eff.args.some((a) => /^-[a-z]*c$/.test(a.value) || a.value === '-e')) {
          const up = c.pipeline.commands.slice(0, c.pipelineIndex).find((u) => DOWNLOADERS.has(commandName(effectiveCommand(u)?.name)));
          if (up) how = `piped from ${commandName(effectiveCommand(up)?.name)}`;
        }
        // sh -c "$(curl ...)", eval "$(curl ...)", bash <(curl ...), source <(curl ...)
        if (!how) {
          for (const a of eff.args) {
            if (!a.hasExpansion) continue;
            const d = downloaderIn(s, c, a.start, a.end);
            if (d) {
              how = `from ${d} in a substitution`;
              break;
            }
          }
        }
        if (!how) continue;
        ctx.report(entry.toSource(eff.name.start, eff.name.end), `${name} runs a script ${how} without verifying it: download it to a file, check its checksum, then run it.`);
      }
    }
  },
});

function downloaderIn(s: ShellScript, outer: ShCommand, start: number, end: number): string | undefined {
  const cmds = s.commands;
  // Commands are in source order: start at the first one that starts in the range instead of at the first one.
  let i = 0;
  if (sortedByStart(s)) {
    for (let hi = cmds.length; i < hi; ) {
      const mid = (i + hi) >> 1;
      if (cmds[mid].start < start) i = mid + 1;
      else hi = mid;
    }
  }
  for (; i < cmds.length; i++) {
    const c = cmds[i];
    // Sorted: nothing after this one lies in the range (a command ending by `end` starts by `end`).
    if (c.start > end && sortedByStart(s)) break;
    if (c === outer || !c.inSubstitution || c.start < start || c.end > end) continue;
    const n = commandName(effectiveCommand(c)?.name);
    if (DOWNLOADERS.has(n)) return n;
  }
  return undefined;
}

const sortedCache = new WeakMap<ShellScript, boolean>();

/** Whether the script's commands are ordered by start offset (checked once per script). */
function sortedByStart(s: ShellScript): boolean {
  let sorted = sortedCache.get(s);
  if (sorted === undefined) {
    sorted = s.commands.every((c, i) => i === 0 || s.commands[i - 1].start <= c.start);
    sortedCache.set(s, sorted);
  }
  return sorted;
}
