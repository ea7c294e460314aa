/**
 * InvalidStopSignal: a STOPSIGNAL the builder rejects when it dispatches the stage. BuildKit calls
 * moby/sys/signal.ParseSignal: a non-zero integer (any: even 99 or -1), or a name from the Linux
 * signal map, upper-cased, with one optional "SIG" prefix (SIGTERM, term, RTMIN+3, SIGRTMAX-1).
 * A number outside 1-64 builds but is no Linux signal: a warning.
 */
import type { Stage } from '../semantic/model';
import { resolveWords } from '../semantic/resolve';
import { reachableStages } from '../semantic/stage-graph';
import type { Instruction } from '../syntax/ast';
import { defineRule, type RuleContext } from './types';
import { replaceFix, suggest } from './util';

/** signal_linux.go's SignalMap keys. */
const NAMES: readonly string[] = [
  'ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL', 'PROF', 'PWR',
  'QUIT', 'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'USR1', 'USR2', 'VTALRM', 'WINCH',
  'XCPU', 'XFSZ', 'RTMIN', 'RTMAX',
  ...Array.from({ length: 15 }, (_, i) => `RTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `RTMAX-${i + 1}`),
];
/** The names people write, for suggestions. */
const COMMON = NAMES.filter((n) => !/^RTM/.test(n) || n === 'RTMIN' || n === 'RTMAX');

export default defineRule({
  meta: {
    id: 'InvalidStopSignal',
    title: 'Invalid STOPSIGNAL',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'STOPSIGNAL takes a signal name (SIGTERM, SIGQUIT, SIGINT... with or without SIG, any case) or a signal number. Anything else stops the build with "invalid signal".',
      bad: 'FROM nginx:1.27\nSTOPSIGNAL SIGQUITE\n',
      good: 'FROM nginx:1.27\nSTOPSIGNAL SIGQUIT\n',
    },
  },
  check(ctx) {
    const reachable = reachableStages(ctx.model);
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword === 'STOPSIGNAL') {
        const stage = ctx.model.stageOf(ins);
        if (stage) checkSignal(ctx, ins, ins, stage, reachable.has(stage), false);
      } else if (ins.trigger?.keyword === 'STOPSIGNAL') {
        checkSignal(ctx, ins, ins.trigger, undefined, true, true);
      }
    }
  },
});

function checkSignal(ctx: RuleContext, outer: Instruction, ins: Instruction, stage: Stage | undefined, inBuild: boolean, trigger: boolean): void {
  const arg = ins.args[0];
  if (!arg) return;
  if (trigger && arg.value.includes('$')) return;
  const r = resolveWords(ctx.model, outer, arg.value);
  if (r.unresolved || r.error) return;
  const value = r.words[0] ?? '';
  const shown = value === arg.value ? `"${value}"` : `"${arg.value}" (= "${value}")`;
  const where = trigger
    ? ' This ONBUILD trigger fails every build that uses this image as its base.'
    : inBuild
      ? ''
      : ` Building a target that includes stage ${stage?.nameRaw ?? stage?.index} fails; the default target does not.`;
  const severity = trigger || !inBuild ? 'warning' : undefined;

  if (/^[+-]?\d+$/.test(value) && value.replace(/^[+-]/, '').length <= 18) {
    const n = Number(value);
    if (n === 0) {
      ctx.report(arg.range, `Invalid signal ${shown}: 0 is not a signal.${where}`, { severity });
    } else if (n < 1 || n > 64) {
      ctx.report(arg.range, `STOPSIGNAL ${shown} builds, but it is not a Linux signal number (1-64).`, { severity: 'warning' });
    }
    return;
  }
  const upper = value.toUpperCase();
  const bare = upper.startsWith('SIG') ? upper.slice(3) : upper;
  if (NAMES.includes(bare)) return;
  const guess = bare.startsWith('SIG') && NAMES.includes(bare.slice(3)) ? bare.slice(3) : suggest(bare, COMMON);
  const replacement = guess && (upper.startsWith('SIG') || bare.length === 0 ? `SIG${guess}` : guess);
  const cased = replacement && (value === value.toLowerCase() ? replacement.toLowerCase() : replacement);
  const canFix = cased !== undefined && value === arg.value;
  ctx.report(arg.range, `Invalid signal ${shown}${cased ? `; did you mean ${cased}?` : ': use a name such as SIGTERM, SIGINT or SIGQUIT, or a number.'}${where}`, {
    severity,
    fixes: canFix ? [replaceFix(`Change to ${cased}`, arg.range, cased)] : [],
  });
}
