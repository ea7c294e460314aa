/** InvalidFlag: flags the builder rejects: unknown, repeated, missing or malformed values. */
import { INSTRUCTION_BY_NAME, NETWORK_MODES, SECURITY_MODES, type FlagSpec } from '../data/instructions';
import type { Flag, Instruction } from '../syntax/ast';
import { defineRule, type RuleContext } from './types';
import { replaceFix, suggest } from './util';

const KNOWN_OS = ['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'solaris', 'illumos', 'aix', 'android', 'ios', 'js', 'wasip1', 'plan9', 'dragonfly'];
const KNOWN_ARCH = ['amd64', 'arm64', 'arm', '386', 'ppc64le', 'ppc64', 's390x', 'riscv64', 'mips64le', 'mips64', 'mipsle', 'mips', 'loong64', 'wasm', 'x86_64', 'aarch64', 'armhf', 'armel', 'i386', 'x86-64'];

export default defineRule({
  meta: {
    id: 'InvalidFlag',
    title: 'Invalid instruction flag',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale: 'The builder stops on a flag the instruction does not take, a flag given twice, a flag without its value, or a value it cannot parse.',
      bad: 'FROM alpine:3.20\nCOPY --chmown=1000:1000 app /app\nRUN --network=offline make\n',
      good: 'FROM alpine:3.20\nCOPY --chown=1000:1000 app /app\nRUN --network=none make\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      checkInstruction(ctx, ins);
      if (ins.trigger) checkInstruction(ctx, ins.trigger);
    }
  },
});

function checkInstruction(ctx: RuleContext, ins: Instruction): void {
  const spec = INSTRUCTION_BY_NAME.get(ins.keyword);
  if (!spec || ins.flags.length === 0) return;
  // BuildKit never parses the flags of HEALTHCHECK NONE or STOPSIGNAL.
  if (ins.keyword === 'STOPSIGNAL') return;
  if (ins.keyword === 'HEALTHCHECK' && ins.args[0]?.value.toUpperCase() === 'NONE') return;
  const seen = new Set<string>();
  for (const flag of ins.flags) {
    const fs = spec.flags.find((f) => f.name === flag.name);
    if (!fs) {
      const guess = suggest(flag.name, spec.flags.map((f) => f.name));
      const known = spec.flags.length ? ` ${ins.keyword} takes ${spec.flags.map((f) => '--' + f.name).join(', ')}.` : ` ${ins.keyword} takes no flags.`;
      ctx.report(flag.nameRange, `Unknown flag --${flag.name} for ${ins.keyword}.${guess ? ` Did you mean --${guess}?` : known}`, {
        fixes: guess ? [replaceFix(`Change to --${guess}`, flag.nameRange, guess)] : [],
      });
      continue;
    }
    if (seen.has(flag.name) && fs.type !== 'strings') {
      ctx.report(flag.range, `Duplicate flag --${flag.name}: ${ins.keyword} takes it once.`, {
        fixes: [{ title: `Remove the repeated --${flag.name}`, edits: [{ range: withSpace(ctx.text, flag.range), newText: '' }], preferred: true }],
      });
      continue;
    }
    seen.add(flag.name);
    checkValue(ctx, ins, flag, fs);
  }
}

/**
 * Whether `value` is a symbolic mode: clauses separated by `,`, each one or more actions `[ugoa]*[-+=]` followed
 * by `[rwxXst]*` or one of `[ugo]`; i.e. /^([ugoa]*[-+=]([rwxXst]*|[ugo]))+(,([ugoa]*[-+=]([rwxXst]*|[ugo]))+)*$/.
 * That regex backtracks exponentially on values such as `u+u+u+...u+!`; this automaton reads each character once.
 */
export function isSymbolicMode(value: string): boolean {
  // 0: in the who letters of an action (or at the start of a clause); 1: right after an operator;
  // 2: in a [rwxXst] permission list; 3: after one of [ugo] that follows an operator (a permission, or the
  // who of the next action). 1, 2 and 3 end a valid clause.
  let state = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const who = c === 'u' || c === 'g' || c === 'o' || c === 'a';
    const op = c === '-' || c === '+' || c === '=';
    const perm = c === 'r' || c === 'w' || c === 'x' || c === 'X' || c === 's' || c === 't';
    if (op) {
      state = 1;
      continue;
    }
    if (c === ',') {
      if (state === 0) return false;
      state = 0;
      continue;
    }
    switch (state) {
      case 0:
        if (!who) return false;
        break;
      case 1:
        if (perm) state = 2;
        else if (who) state = c === 'a' ? 0 : 3;
        else return false;
        break;
      case 2:
        if (perm) break;
        if (who) state = 0;
        else return false;
        break;
      default:
        if (who) state = 0;
        else return false;
    }
  }
  return state !== 0;
}

/** The flag's range plus the whitespace after it, for removal. */
function withSpace(text: string, r: { start: number; end: number }): { start: number; end: number } {
  let end = r.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return { start: r.start, end };
}

function checkValue(ctx: RuleContext, ins: Instruction, flag: Flag, fs: FlagSpec): void {
  if (fs.type === 'bool') {
    if (flag.value === undefined) return;
    if (flag.value === '') ctx.report(flag.range, `Missing a value on flag --${flag.name}.`);
    else if (!/^(true|false)$/i.test(flag.value) && !flag.value.includes('$')) {
      ctx.report(flag.valueRange ?? flag.range, `--${flag.name} expects true or false, not "${flag.value}".`);
    }
    return;
  }
  if (flag.value === undefined) {
    ctx.report(flag.range, `Missing a value on flag --${flag.name}: write --${flag.name}=<value>.`);
    return;
  }
  const value = flag.value;
  const range = flag.valueRange ?? flag.range;
  if (value.includes('$')) return;
  switch (`${ins.keyword} ${flag.name}`) {
    case 'RUN network':
      if (!NETWORK_MODES.includes(value)) {
        const guess = suggest(value, NETWORK_MODES);
        ctx.report(range, `Unsupported network mode "${value}": use ${NETWORK_MODES.join(', ')}.`, {
          fixes: guess ? [replaceFix(`Change to ${guess}`, range, guess)] : [],
        });
      }
      break;
    case 'RUN security':
      if (!SECURITY_MODES.includes(value)) ctx.report(range, `Unsupported security mode "${value}": use sandbox or insecure.`);
      break;
    case 'COPY chmod':
    case 'ADD chmod':
      if (!/^[0-7]{3,4}$/.test(value) && !isSymbolicMode(value)) {
        ctx.report(range, `Invalid --chmod value "${value}": use octal permissions such as 755, or symbolic ones such as u+x.`);
      }
      break;
    case 'ADD checksum':
      if (!/^(sha256|sha384|sha512):[0-9a-fA-F]+$/.test(value) && !/^[0-9a-fA-F]{7,64}$/.test(value)) {
        ctx.report(range, `Invalid --checksum value "${value}": use sha256:<hex digest> (or a commit for Git sources).`);
      }
      break;
    case 'COPY from':
      // BuildKit treats an empty --from as no --from at all: it copies from the build context.
      if (value === '') ctx.report(flag.range, 'Empty --from value: the files come from the build context. Name a stage or an image, or remove the flag.', { severity: 'warning' });
      break;
    case 'FROM platform':
      checkPlatform(ctx, value, range);
      break;
    default:
      break;
  }
}

function checkPlatform(ctx: RuleContext, value: string, range: { start: number; end: number }): void {
  for (const p of value.split(',')) {
    const parts = p.trim().toLowerCase().split('/');
    const ok =
      parts.length >= 1 &&
      parts.length <= 3 &&
      parts.every((x) => x.length > 0) &&
      (KNOWN_OS.includes(parts[0]) || (parts.length <= 2 && KNOWN_ARCH.includes(parts[0])));
    const archOk = parts.length < 2 || !KNOWN_OS.includes(parts[0]) || KNOWN_ARCH.includes(parts[1]);
    if (!ok || !archOk) {
      ctx.report(range, `Invalid platform "${value}": expected os[/arch[/variant]], e.g. linux/amd64.`);
      return;
    }
  }
}
