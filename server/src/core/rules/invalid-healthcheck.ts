/**
 * InvalidHealthcheck: what BuildKit's parseHealthcheck (instructions/parse.go) rejects: a type other
 * than CMD or NONE, NONE with arguments, CMD without a command, a duration flag Go's
 * time.ParseDuration rejects or that lies between 0 and 1ms, a --retries that is not a 32-bit integer
 * or is negative. Flags are not expanded: `--interval=$X` is read literally.
 * (A HEALTHCHECK with no argument at all is InvalidArguments.)
 */
import type { Flag, Instruction } from '../syntax/ast';
import { defineRule, type Fix, type RuleContext } from './types';
import { inCase, replaceFix, suggest } from './util';

const DURATION_FLAGS = ['interval', 'timeout', 'start-period', 'start-interval'];
const NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
/** The largest time.Duration, 2^63-1 ns (as a float: the limit only needs to be approximate). */
const MAX_NS = 2 ** 63;

export default defineRule({
  meta: {
    id: 'InvalidHealthcheck',
    title: 'Invalid HEALTHCHECK',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'HEALTHCHECK takes CMD <command> or NONE. Its durations need a unit (30s, 1m30s, 500ms) and --retries a non-negative integer; otherwise the builder stops.',
      bad: 'FROM nginx:1.27\nHEALTHCHECK --interval=30 --retries=-1 curl -f http://localhost/ || exit 1\n',
      good: 'FROM nginx:1.27\nHEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost/ || exit 1\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword === 'HEALTHCHECK') checkHealthcheck(ctx, ins, false);
      else if (ins.trigger?.keyword === 'HEALTHCHECK') checkHealthcheck(ctx, ins.trigger, true);
    }
  },
});

function checkHealthcheck(ctx: RuleContext, ins: Instruction, trigger: boolean): void {
  const typeWord = ins.args[0];
  if (!typeWord) return;
  const suffix = trigger ? ' This ONBUILD trigger fails every build that uses this image as its base.' : '';
  const severity = trigger ? 'warning' : undefined;
  const report = (range: { start: number; end: number }, message: string, fixes: Fix[] = []) => ctx.report(range, message + suffix, { severity, fixes });
  const type = typeWord.value.toUpperCase();
  const hasCommand = ins.shell !== undefined || (ins.json !== undefined && ins.json.items.length > 0);

  if (type === 'NONE') {
    // BuildKit does not look at the flags of HEALTHCHECK NONE.
    if (hasCommand) {
      const r = ins.shell?.range ?? ins.json!.range;
      report(r, 'HEALTHCHECK NONE takes no arguments.');
    }
    return;
  }
  if (type !== 'CMD') {
    const guess = suggest(type, ['CMD', 'NONE']);
    const cased = (g: string) => (typeWord.value === typeWord.value.toLowerCase() ? g.toLowerCase() : g);
    const fixes: Fix[] = guess
      ? [replaceFix(`Change to ${cased(guess)}`, typeWord.range, cased(guess))]
      : [replaceFix('Insert CMD before the command', { start: typeWord.range.start, end: typeWord.range.start }, inCase('CMD', ctx.ast.instructions) + ' ')];
    report(typeWord.range, `Unknown type "${type}" in HEALTHCHECK (try CMD).`, fixes);
  } else if (!hasCommand) {
    report(typeWord.range, 'Missing command after HEALTHCHECK CMD.');
  }
  const seen = new Set<string>();
  for (const flag of ins.flags) {
    if (seen.has(flag.name)) continue;
    seen.add(flag.name);
    if (flag.value === undefined || flag.value === '') continue;
    if (DURATION_FLAGS.includes(flag.name)) checkDuration(flag, report);
    else if (flag.name === 'retries') checkRetries(flag, report);
  }
}

type Report = (range: { start: number; end: number }, message: string, fixes?: Fix[]) => void;

function checkDuration(flag: Flag, report: Report): void {
  const value = flag.value!;
  const range = flag.valueRange ?? flag.range;
  const d = parseGoDuration(value);
  const literal = flag.rawValue === value;
  if (!d.ok) {
    const fixes: Fix[] = [];
    const repaired = d.missingUnit && /^\d+$/.test(value) ? `${value}s` : repairUnits(value);
    if (literal && repaired !== undefined && parseGoDuration(repaired).ok) fixes.push(replaceFix(`Change to ${repaired}`, range, repaired));
    const hint = value.includes('$') ? ' HEALTHCHECK flags are not expanded: variables cannot be used here.' : ' Write a number with a unit: 30s, 1m30s, 500ms.';
    report(range, `Invalid --${flag.name} "${value}": ${d.error}.${hint}`, fixes);
    return;
  }
  if (d.ns !== 0 && d.ns < 1e6) {
    report(range, `Interval "${flag.name}" cannot be less than 1ms ("${value}"${d.ns < 0 ? ' is negative' : ''}); use 0 for the default.`);
  }
}

function checkRetries(flag: Flag, report: Report): void {
  const value = flag.value!;
  const range = flag.valueRange ?? flag.range;
  if (!/^[+-]?\d+$/.test(value)) {
    report(range, `Invalid --retries "${value}": expected a whole number (strconv.ParseInt: invalid syntax).`);
    return;
  }
  const n = Number(value);
  if (n > 2147483647 || n < -2147483648) report(range, `Invalid --retries "${value}": value out of range.`);
  else if (n < 0) report(range, `--retries cannot be negative (${n}).`);
}

const UNIT_ALIASES: Readonly<Record<string, string>> = {
  sec: 's', secs: 's', second: 's', seconds: 's', S: 's',
  min: 'm', mins: 'm', minute: 'm', minutes: 'm', M: 'm',
  hr: 'h', hrs: 'h', hour: 'h', hours: 'h', H: 'h',
  msec: 'ms', msecs: 'ms', millis: 'ms', MS: 'ms', Ms: 'ms',
};

/** `5sec` -> `5s`, `2Min` -> `2m`: the unit spellings people try. Undefined when nothing changes. */
function repairUnits(value: string): string | undefined {
  const out = value.replace(/(\d+(?:\.\d*)?|\.\d+)([A-Za-z]+)/g, (m, n: string, u: string) => {
    const to = UNIT_ALIASES[u] ?? UNIT_ALIASES[u.toLowerCase()];
    return to !== undefined ? n + to : m;
  });
  return out !== value ? out : undefined;
}

type Duration = { ok: true; ns: number } | { ok: false; error: string; missingUnit?: boolean };

/** Go's time.ParseDuration: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or "0". */
function parseGoDuration(orig: string): Duration {
  let s = orig;
  let neg = false;
  const invalid: Duration = { ok: false, error: `time: invalid duration "${orig}"` };
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, ns: 0 };
  if (s === '') return invalid;
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  let total = 0;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid;
    let i = 0;
    while (isDigit(s[i])) i++;
    const pre = i > 0;
    const whole = pre ? Number(s.slice(0, i)) : 0;
    s = s.slice(i);
    let frac = 0;
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      while (isDigit(s[j])) j++;
      post = j > 0;
      if (post) frac = Number('0.' + s.slice(0, j));
      s = s.slice(j);
    }
    if (!pre && !post) return invalid;
    let k = 0;
    while (k < s.length && s[k] !== '.' && !isDigit(s[k])) k++;
    if (k === 0) return { ok: false, error: `time: missing unit in duration "${orig}"`, missingUnit: true };
    const unit = s.slice(0, k);
    s = s.slice(k);
    const scale = NS[unit];
    if (scale === undefined) return { ok: false, error: `time: unknown unit "${unit}" in duration "${orig}"` };
    total += whole * scale + frac * scale;
    if (total > MAX_NS) return invalid;
  }
  return { ok: true, ns: neg ? -total : total };
}
