/**
 * InvalidArguments: an instruction with the wrong number or form of arguments, as BuildKit's
 * instructions.Parse rejects it (frontend/dockerfile/instructions/parse.go), with BuildKit's messages.
 */
import { INSTRUCTION_BY_NAME } from '../data/instructions';
import type { Stage } from '../semantic/model';
import { reachableStages } from '../semantic/stage-graph';
import type { Instruction, Span } from '../syntax/ast';
import { unquoteWord } from '../syntax/words';
import { defineRule, type RuleContext } from './types';
import { jsonArray, replaceFix } from './util';

/** Instructions whose whole rest is one argument (parseString): only a missing one is possible. */
const EXACTLY_ONE = new Set(['USER', 'WORKDIR', 'STOPSIGNAL', 'MAINTAINER']);
const AT_LEAST_ONE = new Set(['EXPOSE', 'VOLUME', 'ARG', 'ENV', 'LABEL', 'HEALTHCHECK']);
const HEREDOC_WORD = /^(\d*)<<(-?)([^<]*)$/;

export default defineRule({
  meta: {
    id: 'InvalidArguments',
    title: 'Wrong arguments for the instruction',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'The builder stops when an instruction has too few or too many arguments: `COPY` without a destination, `FROM` with a stray word, `ENV` or `WORKDIR` with nothing after it, `SHELL` not in JSON form.',
      bad: 'FROM node:20-alpine AS build extra\nWORKDIR\nCOPY package.json\nSHELL /bin/sh -eu -c\n',
      good: 'FROM node:20-alpine AS build\nWORKDIR /app\nCOPY package.json ./\nSHELL ["/bin/sh", "-eu", "-c"]\n',
    },
  },
  check(ctx) {
    const starts = ctx.ast.problems
      .filter((p) => p.code === 'JsonNotStringArray' || p.code === 'KeyValueSyntax')
      .map((p) => p.range.start)
      .sort((a, b) => a - b);
    // Whether a problem starts within the instruction's range: the first start at or after its start decides.
    const hasProblem = (ins: Instruction) => {
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] < ins.range.start) lo = mid + 1;
        else hi = mid;
      }
      return lo < starts.length && starts[lo] <= ins.range.end;
    };
    const reachable = reachableStages(ctx.model);
    for (const ins of ctx.ast.instructions) {
      if (hasProblem(ins)) continue;
      checkInstruction(ctx, ins, false, reachable);
      const t = ins.trigger;
      // A trigger is only parsed when another build uses this image: it does not fail this build.
      if (t && !['ONBUILD', 'FROM', 'MAINTAINER'].includes(t.keyword)) checkInstruction(ctx, t, true, reachable);
    }
  },
});

function checkInstruction(ctx: RuleContext, ins: Instruction, trigger: boolean, reachable: ReadonlySet<Stage>): void {
  if (!INSTRUCTION_BY_NAME.has(ins.keyword)) return;
  const kw = ins.keyword;
  const suffix = trigger ? ' This ONBUILD trigger fails every build that uses this image as its base.' : '';
  const report = (range: Span, message: string, fixes: ReturnType<typeof replaceFix>[] = [], severity?: 'warning') =>
    ctx.report(range, message + suffix, { fixes, severity: trigger ? 'warning' : severity });

  if (EXACTLY_ONE.has(kw) && ins.args.length === 0) {
    report(ins.keywordRange, `${kw} requires exactly one argument.`);
    return;
  }
  if (AT_LEAST_ONE.has(kw)) {
    const count = kw === 'VOLUME' ? (ins.json ? ins.json.items.length : ins.args.length) : kw === 'ENV' || kw === 'LABEL' || kw === 'ARG' ? (ins.pairs?.length ?? 0) : ins.args.length;
    if (count === 0) {
      report(ins.json?.range ?? ins.keywordRange, `${kw} requires at least one argument.`);
      return;
    }
  }
  switch (kw) {
    case 'FROM':
      checkFrom(ins, report);
      break;
    case 'COPY':
    case 'ADD': {
      const words = ins.json ? ins.json.items : ins.args;
      if (words.length < 2) {
        report(ins.keywordRange, `${kw} requires at least two arguments, but only one was provided. Destination could not be determined.`);
        break;
      }
      const dest = words[words.length - 1];
      if (isHeredocWord(dest.value)) report(dest.range, `${kw} cannot accept a heredoc as a destination.`);
      break;
    }
    case 'VOLUME':
      for (const item of ins.json?.items ?? []) {
        if (item.value.trim() === '') report(item.range, 'VOLUME specified can not be an empty string.');
      }
      break;
    case 'ENV':
    case 'LABEL':
    case 'ARG':
      for (const p of ins.pairs ?? []) if (p.key === '') report(p.range, `${kw} names can not be blank.`);
      break;
    case 'SHELL':
      checkShell(ins, report);
      break;
    case 'RUN':
      if (ins.json && ins.json.items.length === 0) {
        const stage = ctx.model.stageOf(ins);
        const inBuild = trigger || (stage !== undefined && reachable.has(stage));
        report(
          ins.json.range,
          inBuild
            ? 'RUN [] has no command: the build fails with "arguments are required".'
            : 'RUN [] has no command: building a target that includes this stage fails with "arguments are required".',
          [],
          inBuild ? undefined : 'warning',
        );
      } else if (!ins.json && !ins.shell && ins.heredocs.length === 0) {
        report(
          ins.keywordRange,
          'RUN without a command: BuildKit runs an empty shell command, and the classic builder fails with "/bin/sh: -c requires an argument".',
          [],
          'warning',
        );
      }
      break;
    default:
      break;
  }
}

type Report = (range: Span, message: string, fixes?: ReturnType<typeof replaceFix>[], severity?: 'warning') => void;

function checkFrom(ins: Instruction, report: Report): void {
  const a = ins.args;
  const isAs = (i: number) => a[i] !== undefined && a[i].value.toLowerCase() === 'as';
  if (a.length === 1 || (a.length === 3 && isAs(1))) return;
  const msg = 'FROM requires either one or three arguments';
  if (a.length === 0) {
    report(ins.keywordRange, `${msg}: the image to build on is missing.`);
  } else if (a.length === 2 && isAs(1)) {
    report(a[1].range, `${msg}: the stage name after "${a[1].value}" is missing.`);
  } else if (isAs(1)) {
    report({ start: a[3].range.start, end: a[a.length - 1].range.end }, `${msg}: unexpected words after the stage name "${a[2].value}".`);
  } else if (a.length === 2 && /^[a-z][a-z0-9-_.]*$/i.test(a[1].value)) {
    const as = ins.keywordRaw === ins.keywordRaw.toLowerCase() ? 'as' : 'AS';
    report(a[1].range, `${msg}: write "${as} ${a[1].value}" to name the stage.`, [
      replaceFix(`Insert ${as} before ${a[1].value}`, { start: a[1].range.start, end: a[1].range.start }, `${as} `),
    ]);
  } else if (a.length === 3) {
    report(a[1].range, `${msg}: expected AS before the stage name, found "${a[1].value}".`);
  } else {
    report({ start: a[1].range.start, end: a[a.length - 1].range.end }, `${msg}: unexpected words after the image "${a[0].value}".`);
  }
}

function checkShell(ins: Instruction, report: Report): void {
  if (ins.json) {
    if (ins.json.items.length === 0) report(ins.json.range, 'SHELL requires at least one argument.');
    return;
  }
  if (!ins.shell) {
    report(ins.keywordRange, 'SHELL requires at least one argument.');
    return;
  }
  // Offer the JSON form when the words are plain (no quoting, escapes or variables to interpret).
  const words = ins.shell.text.split(/[ \t]+/).filter((w) => w.length > 0);
  const plain = words.every((w) => !/["'`\\$[\]]/.test(w)) && !ins.shell.text.includes('\n');
  report(
    ins.shell.range,
    'SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/bash", "-c"].',
    plain && words.length > 0 ? [replaceFix(`Change to ${jsonArray(words)}`, ins.shell.range, jsonArray(words))] : [],
  );
}

/** BuildKit's MustParseHeredoc: `<<EOF`, `<<-EOF`, `3<<"EOF"`, with a one-word name. */
function isHeredocWord(word: string): boolean {
  const m = HEREDOC_WORD.exec(word);
  if (!m || m[3].length === 0) return false;
  const name = unquoteWord(m[3]).value;
  return name.length > 0 && !/\s/.test(name);
}
