/** AptGetMissingYes: `apt-get install` without `-y`, which stops at the confirmation prompt (hadolint DL3014). */
import { effectiveCommand, commandName, runScripts } from '../shell/index';
import type { ShWord } from '../shell/types';
import { defineRule } from './types';
import { fix } from './util';

const PROMPTING = new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'build-dep', 'reinstall', 'autopurge']);
/** apt-get/apt options that take a separate value. */
const WITH_VALUE = new Set(['-o', '-t', '-c', '--option', '--target-release', '--default-release', '--config-file', '-a', '--host-architecture']);

export default defineRule({
  meta: {
    id: 'AptGetMissingYes',
    title: 'apt-get install without -y',
    category: 'shell',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3014'],
    fixable: true,
    docs: {
      rationale:
        'A build has no one to answer "Do you want to continue? [Y/n]": without `-y` apt-get reads no answer, aborts, and the RUN fails as soon as the install needs more than the named packages.',
      bad: 'FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl\n',
      good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n',
    },
  },
  check(ctx) {
    let assumeYesAt: number[] | undefined;
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      // An apt configuration that says yes (APT::Get::Assume-Yes) written earlier in the stage.
      const stage = ctx.model.stageOf(rs.ins);
      assumeYesAt ??= occurrences(ctx.text, /Assume-Yes/gi);
      if (occursIn(assumeYesAt, ASSUME_YES_LENGTH, stage ? stage.range.start : 0, rs.ins.range.start)) continue;
      for (const c of entry.script.commands) {
        const eff = effectiveCommand(c);
        if (!eff) continue;
        const tool = commandName(eff.name);
        if (tool !== 'apt-get' && tool !== 'apt' && tool !== 'aptitude') continue;
        if (c.pipelineIndex > 0 && commandName(c.pipeline.commands[c.pipelineIndex - 1].name) === 'yes') continue;
        const sub = subcommand(eff.args);
        if (!sub || !PROMPTING.has(sub.value)) continue;
        if (saysYes(eff.args)) continue;
        const at = entry.toSource(sub.end, sub.end).start;
        ctx.report(entry.toSource(sub.start, sub.end), `${tool} ${sub.value} without -y: the build cannot answer the confirmation prompt and ${tool} aborts.`, {
          fixes: entry.exact ? [fix('Add -y', [{ range: { start: at, end: at }, newText: ' -y' }])] : [],
        });
      }
    }
  },
});

const ASSUME_YES_LENGTH = 'Assume-Yes'.length;

/** Start offsets of the matches of a fixed-length pattern (which cannot overlap itself) in `text`. */
function occurrences(text: string, re: RegExp): number[] {
  const out: number[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index);
  return out;
}

/** Whether one of the matches (`starts`, ascending, each `length` long) lies within text.slice(start, end). */
function occursIn(starts: readonly number[], length: number, start: number, end: number): boolean {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < starts.length && starts[lo] + length <= end;
}

function subcommand(args: readonly ShWord[]): ShWord | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (WITH_VALUE.has(v)) {
      i++;
      continue;
    }
    if (v.startsWith('-')) continue;
    return args[i];
  }
  return undefined;
}

function saysYes(args: readonly ShWord[]): boolean {
  let quiet = 0;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === '--yes' || v === '--assume-yes' || v === '--force-yes' || v === '-q=2' || v === '--quiet=2') return true;
    if (/^-[A-Za-z]+$/.test(v)) {
      if (v.includes('y')) return true;
      quiet += (v.match(/q/g) ?? []).length;
    }
    if (v === '--quiet') quiet++;
    if ((v === '-o' || v === '--option') && /Assume-Yes\s*=\s*(1|true|yes)/i.test(args[i + 1]?.value ?? '')) return true;
    if (/^(-o|--option=)APT::Get::Assume-Yes=(1|true|yes)$/i.test(v.replace(/^-o/, '-o'))) return true;
  }
  return quiet >= 2;
}
