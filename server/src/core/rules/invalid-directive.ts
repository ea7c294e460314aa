/**
 * InvalidDirective: parser directives the builder rejects (an `escape` that is not `\` or `` ` ``, a
 * directive given twice, a `check` value BuildKit cannot parse), and `check=skip=` names BuildKit does
 * not know (it ignores them silently: a warning).
 * BuildKit: frontend/dockerfile/parser/directives.go and linter.ParseLintOptions.
 */
import type { Directive } from '../syntax/ast';
import { RULES } from './index';
import { resolveRuleId } from './registry';
import { defineRule, type Fix, type RuleContext } from './types';
import { fullLineSpan, replaceFix, suggest } from './util';

/** BuildKit's build checks, the names `# check=skip=` takes (case-sensitive). */
const BUILDKIT_CHECKS: readonly string[] = [
  'ConsistentInstructionCasing',
  'CopyIgnoredFile',
  'DuplicateStageName',
  'ExposeInvalidFormat',
  'ExposeProtoCasing',
  'FromAsCasing',
  'FromPlatformFlagConstDisallowed',
  'InvalidBaseImagePlatform',
  'InvalidDefaultArgInFrom',
  'InvalidDefinitionDescription',
  'JSONArgsRecommended',
  'LegacyKeyValueFormat',
  'MaintainerDeprecated',
  'MultipleInstructionsDisallowed',
  'NoEmptyContinuation',
  'RedundantTargetPlatform',
  'ReservedStageName',
  'SecretsUsedInArgOrEnv',
  'StageNameCasing',
  'UndefinedArgInFrom',
  'UndefinedVar',
  'WorkdirRelativePath',
];

/** strconv.ParseBool. */
const GO_BOOL = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

export default defineRule({
  meta: {
    id: 'InvalidDirective',
    title: 'Invalid parser directive',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'Parser directives are read before anything else: an escape character other than `\\` or `` ` ``, the same directive twice, or a `check` value with an unknown option stops the build before the first instruction.',
      bad: '# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended;error=yes\n# syntax=docker/dockerfile:1\nFROM alpine:3.20\n',
      good: '# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended;error=true\nFROM alpine:3.20\n',
    },
  },
  check(ctx) {
    for (const p of ctx.ast.problems) {
      if (p.code === 'InvalidEscape') {
        const value = ctx.text.slice(p.range.start, p.range.end);
        const fixes: Fix[] = [];
        if (/^\\+$/.test(value)) fixes.push(replaceFix('Change to \\', p.range, '\\'));
        else if (/^`+$/.test(value)) fixes.push(replaceFix('Change to `', p.range, '`'));
        ctx.report(p.range, `Invalid escape token '${value}' does not match \` or \\.`, { fixes });
      } else if (p.code === 'DuplicateDirective') {
        const d = ctx.ast.directives.find((x) => x.range.start === p.range.start);
        const name = d?.name ?? 'parser';
        const first = d && ctx.ast.directives.find((x) => x.name === d.name);
        const same = first !== undefined && d !== undefined && first.value === d.value;
        ctx.report(p.range, `Only one ${name} parser directive can be used${first && !same ? ` (the first one says "${first.value}")` : ''}.`, {
          fixes: [{ title: `Remove the repeated ${name} directive`, edits: [{ range: fullLineSpan(ctx.text, p.range.start), newText: '' }], preferred: same }],
        });
      }
    }
    const check = ctx.ast.directives.find((d) => d.name === 'check');
    if (check) checkCheck(ctx, check);
  },
});

/** Reproduces linter.ParseLintOptions, which fails the build on any value it cannot read. */
function checkCheck(ctx: RuleContext, d: Directive): void {
  const value = d.value;
  const base = d.valueRange.start;
  const lead = value.length - value.trimStart().length;
  const trimmed = value.trim();
  if (trimmed === '') return;
  // strings.SplitN(checkStr, ";", 2): a third option is read as part of the second one's value.
  const semi = trimmed.indexOf(';');
  const parts = semi === -1 ? [{ text: trimmed, start: 0 }] : [{ text: trimmed.slice(0, semi), start: 0 }, { text: trimmed.slice(semi + 1), start: semi + 1 }];
  const at = (start: number, end: number) => ({ start: base + lead + start, end: base + lead + end });
  for (const part of parts) {
    const eq = part.text.indexOf('=');
    const partRange = part.text.length > 0 ? at(part.start, part.start + part.text.length) : at(Math.max(0, part.start - 1), part.start);
    if (eq === -1) {
      const msg =
        part.text.trim() === ''
          ? 'Invalid check option "": remove the trailing ";" (BuildKit fails to parse check options).'
          : `Invalid check option "${part.text}": write skip=<checks> or error=true|false (BuildKit fails to parse check options).`;
      const fixes = part.text.trim() === '' && semi !== -1 ? [replaceFix('Remove the trailing ";"', at(semi, trimmed.length), '')] : [];
      ctx.report(partRange, msg, { fixes });
      continue;
    }
    const key = part.text.slice(0, eq).trim();
    const v = part.text.slice(eq + 1);
    const vStart = part.start + eq + 1;
    if (key === 'skip') {
      if (v.trim() === 'all') continue;
      let offset = 0;
      for (const raw of v.split(',')) {
        const name = raw.trim();
        const s = vStart + offset + (raw.length - raw.trimStart().length);
        offset += raw.length + 1;
        if (name === '' || BUILDKIT_CHECKS.includes(name)) continue;
        const r = at(s, s + name.length);
        const exact = BUILDKIT_CHECKS.find((c) => c.toLowerCase() === name.toLowerCase());
        if (name === 'all') {
          ctx.report(r, 'skip=all must stand alone: in a list, "all" is read as a check name and skips nothing.', { severity: 'warning' });
          continue;
        }
        // Dockwright's own rule ids and their hadolint/shellcheck equivalents: Dockwright honours them.
        // (RULES is read here, at check time, so the import cycle with the registry is harmless.)
        if (!exact && resolveRuleId(name, RULES)) continue;
        const lower = name.toLowerCase();
        const guess =
          exact ??
          suggest(name, BUILDKIT_CHECKS) ??
          (name.length >= 6 ? BUILDKIT_CHECKS.find((c) => c.toLowerCase().startsWith(lower) || lower.startsWith(c.toLowerCase())) : undefined);
        if (name.includes(';')) {
          ctx.report(r, `"${name}" is read as one check name: BuildKit splits the check directive at the first ";" only.`, { severity: 'warning' });
          continue;
        }
        ctx.report(
          r,
          exact
            ? `BuildKit check names are case-sensitive: "${name}" skips nothing; write ${exact}.`
            : `BuildKit has no check named "${name}"; it is ignored.${guess ? ` Did you mean ${guess}?` : ''}`,
          { severity: 'warning', fixes: guess ? [replaceFix(`Change to ${guess}`, r, guess)] : [] },
        );
      }
    } else if (key === 'error') {
      const val = v.trim();
      if (!GO_BOOL.has(val)) {
        const s = vStart + (v.length - v.trimStart().length);
        const r = val.length > 0 ? at(s, s + val.length) : partRange;
        const fix = /^(yes|on|y|enable|enabled)$/i.test(val) ? 'true' : /^(no|off|n|disable|disabled)$/i.test(val) ? 'false' : undefined;
        ctx.report(
          r,
          val.includes(';')
            ? `Invalid check option error=${val}: BuildKit reads at most two options ("skip" then "error"), so everything after the second ";" becomes part of this value.`
            : `Invalid check option error=${val}: expected true or false (BuildKit fails to parse check options).`,
          { fixes: fix ? [replaceFix(`Change to ${fix}`, r, fix)] : [] },
        );
      }
    } else {
      const kr = at(part.start + (part.text.length - part.text.trimStart().length), part.start + (part.text.length - part.text.trimStart().length) + key.length);
      const guess = suggest(key, ['skip', 'error']);
      ctx.report(kr, `Invalid check option "${key}": the check directive takes skip= and error= (BuildKit fails to parse check options).`, {
        fixes: guess ? [replaceFix(`Change to ${guess}`, kr, guess)] : [],
      });
    }
  }
}
