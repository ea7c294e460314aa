/** UndefinedVar: BuildKit's check for variables the builder expands without a definition. */
import { PLATFORM_ARGS } from '../semantic/builtins';
import type { Stage, VarDecl, VarRef } from '../semantic/model';
import { inheritedArgNames } from '../semantic/stage-chain';
import type { Instruction } from '../syntax/ast';
import { defineRule, type Fix, type RuleContext } from './types';
import { inCase, indentationAt, lineBreakOf, lineStartAt, nearMiss } from './util';

/** Instructions whose arguments BuildKit expands with its reporting expander (EXPOSE is expanded apart and not reported). */
const CHECKED_INSTRUCTIONS = new Set(['ADD', 'ARG', 'COPY', 'ENV', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
/** Flags BuildKit expands with the same expander, per instruction. */
const CHECKED_FLAGS: ReadonlyMap<string, readonly string[]> = new Map([
  ['ADD', ['chown', 'checksum']],
  ['COPY', ['chown']],
  ['RUN', ['mount']],
]);
/** BuildKit's nonEnvArgs: never put in the environment, never reported. */
const NON_ENV_ARGS = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);
/**
 * Variables a base image or the builder provides. BuildKit always sets PATH; the others come from the
 * base image in practice, and are never reported.
 */
const WELL_KNOWN = new Set(['PATH', 'HOME', 'HOSTNAME', 'PWD', 'USER', 'SHELL', 'TERM', 'LANG', 'LANGUAGE', 'LC_ALL', 'TZ', 'TMPDIR']);

export default defineRule({
  meta: {
    id: 'UndefinedVar',
    title: 'Variables should be defined before their use',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:UndefinedVar'],
    fixable: true,
    docs: {
      rationale:
        "The builder expands `$VAR` in ADD, COPY, ENV, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL, ARG defaults and `RUN --mount` options (not in the RUN command, where the shell does it); an undefined variable silently becomes an empty string, and like BuildKit this also reports `${VAR:-default}` (the default then always applies). Global ARGs are not visible in a stage until redeclared there. The base image's environment is unknown here, so outside stages built on `scratch` only sure cases are reported: a global or platform ARG not redeclared in the stage, a variable declared later in the stage, and near-misses of defined names. Names a base image normally sets (PATH, HOME, LANG...) are never reported.",
      bad: 'ARG VERSION=1.4.2\nFROM alpine:3.20\nARG APP_HOME=/opt/app\nCOPY dist/app-$VERSION.tar.gz $APP_HOEM/\n',
      good: 'ARG VERSION=1.4.2\nFROM alpine:3.20\nARG VERSION\nARG APP_HOME=/opt/app\nCOPY dist/app-$VERSION.tar.gz $APP_HOME/\n',
    },
  },
  check(ctx) {
    const globalNames = new Set<string>([...Object.keys(PLATFORM_ARGS), ...ctx.model.globalArgs.map((d) => d.name)]);
    const inherited = new Map<Stage, Set<string>>();
    // BuildKit reports each name once per instruction.
    const groups = new Map<string, VarRef[]>();
    for (const ref of ctx.model.refs) {
      if (!ref.byBuilder || !ref.stage || ref.decl || !isChecked(ref)) continue;
      if (NON_ENV_ARGS.has(ref.name) || WELL_KNOWN.has(ref.name)) continue;
      let names = inherited.get(ref.stage);
      if (!names) inherited.set(ref.stage, (names = inheritedArgNames(ctx.model, ref.stage)));
      if (names.has(ref.name)) continue;
      const key = `${ref.instruction.range.start}:${ref.name}`;
      const list = groups.get(key);
      if (list) list.push(ref);
      else groups.set(key, [ref]);
    }
    const index = new LookupIndex(ctx);
    for (const refs of groups.values()) report(ctx, refs, globalNames, inherited.get(refs[0].stage!)!, index);
  },
});

/** The declarations and uses of each name in each stage, gathered once for every finding. */
class LookupIndex {
  private decls: Map<Stage | undefined, Map<string, VarDecl[]>> | undefined;
  private firstUses: Map<Stage | undefined, Map<string, Instruction>> | undefined;

  constructor(private readonly ctx: RuleContext) {}

  /** The stage's declarations of the name, in the order of `model.decls`. */
  declsOf(stage: Stage, name: string): readonly VarDecl[] {
    if (!this.decls) {
      this.decls = new Map();
      for (const d of this.ctx.model.decls) push(this.decls, d.stage, d.name, d);
    }
    return this.decls.get(stage)?.get(name) ?? [];
  }

  /** The first instruction of the stage that uses the name without a declaration (as the builder expands it). */
  firstUse(stage: Stage, name: string): Instruction {
    if (!this.firstUses) {
      const uses = new Map<Stage | undefined, Map<string, Instruction>>();
      for (const r of this.ctx.model.refs) {
        if (!r.byBuilder || r.decl) continue;
        let byName = uses.get(r.stage);
        if (!byName) uses.set(r.stage, (byName = new Map()));
        const first = byName.get(r.name);
        if (!first || r.instruction.range.start < first.range.start) byName.set(r.name, r.instruction);
      }
      this.firstUses = uses;
    }
    return this.firstUses.get(stage)!.get(name)!;
  }
}

function push<T>(map: Map<Stage | undefined, Map<string, T[]>>, stage: Stage | undefined, name: string, value: T): void {
  let byName = map.get(stage);
  if (!byName) map.set(stage, (byName = new Map()));
  const list = byName.get(name);
  if (list) list.push(value);
  else byName.set(name, [value]);
}

function isChecked(ref: VarRef): boolean {
  const ins = ref.instruction;
  if (ins.trigger) return false;
  const flag = ins.flags.find((f) => ref.range.start >= f.range.start && ref.range.start < f.range.end);
  if (flag) return (CHECKED_FLAGS.get(ins.keyword) ?? []).includes(flag.name);
  return CHECKED_INSTRUCTIONS.has(ins.keyword);
}

function report(ctx: RuleContext, refs: VarRef[], globalNames: ReadonlySet<string>, inherited: ReadonlySet<string>, index: LookupIndex): void {
  const first = refs[0];
  const stage = first.stage!;
  const name = first.name;
  const later = laterDeclaration(index, stage, first, name);
  // Only read when a guess is looked for (it lists every variable in scope).
  let inScope: Set<string> | undefined;
  const guess = later || globalNames.has(name) ? undefined : nearMiss(name, (inScope = new Set<string>([...ctx.model.scopeAt(first.instruction).keys(), ...inherited, 'PATH']))) ?? nearMiss(name, globalNames);

  if (later && later.instruction === first.instruction && later.kind === 'ENV') {
    ctx.report(first.range, `Usage of undefined variable '$${name}': it is set by this same ${later.kind} instruction, whose values are all expanded before any of them is set. Set it in an earlier ${later.kind}.`);
    return;
  }
  if (later) {
    const where = later.instruction === first.instruction ? `later in this ${later.kind}` : `by the ${later.kind} on line ${later.instruction!.startLine + 1}`;
    ctx.report(first.range, `Usage of undefined variable '$${name}': it is declared ${where}, after this use, so it expands to an empty string here.`);
    return;
  }
  if (globalNames.has(name)) {
    const platform = name in PLATFORM_ARGS;
    const what = platform ? `the predefined platform ARG ${name}` : `the global ARG ${name}`;
    ctx.report(first.range, `Usage of undefined variable '$${name}': ${what} is not visible inside a stage until it is declared there with \`ARG ${name}\`, so it expands to an empty string here.`, {
      fixes: [declareFix(ctx, index.firstUse(stage, name), name)],
    });
    return;
  }
  if (guess) {
    const hint = inScope?.has(guess) ? '' : ` (a ${guess in PLATFORM_ARGS ? 'predefined platform' : 'global'} ARG, to declare in this stage with \`ARG ${guess}\`)`;
    ctx.report(first.range, `Usage of undefined variable '$${name}': did you mean $${guess}${hint}?`, {
      fixes: [
        hint
          ? // The suggested name still needs declaring in this stage: rename and declare in one fix.
            {
              title: `Change to $${guess} and declare ARG ${guess} in this stage`,
              edits: [...declareFix(ctx, index.firstUse(stage, name), guess).edits, ...refs.map((r) => ({ range: r.nameRange, newText: guess }))],
              preferred: true,
            }
          : { title: `Change to $${guess}`, edits: refs.map((r) => ({ range: r.nameRange, newText: guess })), preferred: true },
      ],
    });
    return;
  }
  // Without a suggestion the name may come from the base image: only sure when the stage is built on scratch.
  if (!stage.envKnown) return;
  const modifier = first.modifier ?? '';
  const effect = /^:?-$/.test(modifier)
    ? 'so the default after the `' + modifier + '` is always used (declare `ARG ' + name + '` to let the build set it)'
    : /^:?\+$/.test(modifier)
      ? 'so the alternative value is never used'
      : /^:?\?$/.test(modifier)
        ? 'so the build fails here'
        : 'so it expands to an empty string';
  ctx.report(first.range, `Usage of undefined variable '$${name}': it is not declared with ARG or ENV, ${effect}.`);
}

/**
 * A declaration of the name after the use in the same stage, or in the same ENV instruction (whose
 * values are all expanded before any is set). A self-reference (`ENV LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/x`)
 * is not one: the value may come from the base image.
 */
function laterDeclaration(index: LookupIndex, stage: Stage, ref: VarRef, name: string): VarDecl | undefined {
  const ins = ref.instruction;
  return index.declsOf(stage, name).find((d) => {
    if (!d.instruction || d.instruction.range.start < ins.range.start) return false;
    if (d.instruction !== ins) return true;
    if (!d.pair || (ref.range.start >= d.pair.range.start && ref.range.start < d.pair.range.end)) return false;
    // ARG pairs are processed in order: only a later pair counts.
    return d.kind === 'ENV' || d.pair.range.start >= ref.range.end;
  });
}

/** Adds `ARG NAME` on its own line before `ins`. */
function declareFix(ctx: RuleContext, ins: Instruction, name: string): Fix {
  const at = lineStartAt(ctx.text, ins.range.start);
  return {
    title: `Declare ARG ${name} in this stage`,
    edits: [{ range: { start: at, end: at }, newText: `${indentationAt(ctx.text, at)}${inCase('ARG', ctx.ast.instructions)} ${name}${lineBreakOf(ctx.text)}` }],
    preferred: true,
  };
}
