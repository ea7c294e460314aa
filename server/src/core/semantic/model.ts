/**
 * The semantic model of a Dockerfile: stages, ARG/ENV declarations and their scopes, every variable
 * reference resolved to its declaration, base images, `--from` targets and the SHELL in effect.
 * Built once per document version from the syntax tree; rules and editor features only read it.
 */
import type { DockerfileAst, Flag, Instruction, KeyValue, LogicalText, Span } from '../syntax/ast';
import { PLATFORM_ARGS, isPredefinedArg } from './builtins';
import { expand, type Lookup } from './expand';
import { type ImageRef, parseImageRef } from './image-ref';

export interface VarDecl {
  readonly name: string;
  readonly kind: 'ARG' | 'ENV' | 'builtin';
  /** Undefined for builtins. */
  readonly instruction: Instruction | undefined;
  readonly pair: KeyValue | undefined;
  readonly nameRange: Span | undefined;
  /** Expanded value where known; undefined when it is only known at build time. */
  readonly value: string | undefined;
  /** The stage it belongs to; undefined for global ARGs and builtins. */
  readonly stage: Stage | undefined;
  /** For a stage ARG without default that re-declares a global ARG. */
  readonly global: VarDecl | undefined;
}

export interface VarRef {
  readonly name: string;
  /** The whole `$NAME` / `${NAME...}`. */
  readonly range: Span;
  readonly nameRange: Span;
  readonly instruction: Instruction;
  readonly stage: Stage | undefined;
  readonly decl: VarDecl | undefined;
  readonly modifier: string | undefined;
  /** True where the builder expands it (FROM, COPY, ENV...); false inside RUN/CMD text. */
  readonly byBuilder: boolean;
}

export interface BaseImage {
  /** As written, e.g. `python:${PY}`. */
  readonly raw: string;
  readonly range: Span;
  /** After expanding global ARGs. */
  readonly expanded: string;
  /** True when an ARG without known value was used. */
  readonly unresolved: boolean;
  /** The earlier stage this FROM builds on. */
  readonly stage: Stage | undefined;
  readonly image: ImageRef | undefined;
  readonly scratch: boolean;
  readonly error: string | undefined;
}

export interface Stage {
  readonly index: number;
  /** Lower-cased name, as BuildKit keys stages. */
  readonly name: string | undefined;
  readonly nameRaw: string | undefined;
  readonly nameRange: Span | undefined;
  readonly asRange: Span | undefined;
  readonly from: Instruction;
  readonly base: BaseImage;
  readonly platform: { raw: string; expanded: string; range: Span; unresolved: boolean } | undefined;
  /** Instructions after FROM, in order. */
  readonly instructions: Instruction[];
  readonly range: Span;
  /** Whether the base's environment is fully known (scratch or a chain of stages ending in scratch). */
  readonly envKnown: boolean;
}

export type FromTarget =
  | { kind: 'stage'; stage: Stage; later: boolean; self: boolean }
  | { kind: 'image'; ref: ImageRef }
  | { kind: 'invalid'; error: string }
  | { kind: 'unresolved' };

export interface ExpandProblem {
  readonly message: string;
  readonly range: Span;
  readonly instruction: Instruction;
}

export interface SemanticModel {
  readonly ast: DockerfileAst;
  readonly stages: readonly Stage[];
  readonly globalArgs: readonly VarDecl[];
  readonly decls: readonly VarDecl[];
  readonly refs: readonly VarRef[];
  readonly expandProblems: readonly ExpandProblem[];
  /** Instructions before the first FROM (should only be ARGs). */
  readonly preamble: readonly Instruction[];
  stageOf(ins: Instruction): Stage | undefined;
  /** Variables visible to an instruction (before its own effect). */
  scopeAt(ins: Instruction): ReadonlyMap<string, VarDecl>;
  /** The SHELL in effect for an instruction. */
  shellOf(ins: Instruction): readonly string[];
  /** `COPY --from` / `RUN --mount from=` targets. */
  fromTarget(ins: Instruction, value: string, flagRange: Span): FromTarget;
  copyFrom(ins: Instruction): FromTarget | undefined;
  /** Expands a flag's value with the instruction's scope. */
  expandFlag(ins: Instruction, flag: Flag): string;
  stageByName(name: string): Stage | undefined;
}

/** Instructions whose arguments BuildKit expands with ARG/ENV values. */
export const EXPANDED_INSTRUCTIONS = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ARG']);
/** Flags whose values BuildKit expands. */
export const EXPANDED_FLAGS = new Set(['from', 'chown', 'chmod', 'platform', 'mount', 'checksum', 'exclude']);
export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];
export const WINDOWS_SHELL: readonly string[] = ['cmd', '/S', '/C'];

type Scope = ReadonlyMap<string, VarDecl>;

/**
 * The variables of one scope chain (the global ARGs, or one stage) as a timeline of `set`s. An instruction's
 * scope is a view of the timeline at a version, not a copy of the map, so building the model stays linear in
 * the number of ARG/ENV pairs. A stage built on an earlier stage starts with that stage's final scope (`parent`).
 * Views behave as the maps they replace: same lookups, same iteration order (a copy of the parent, then the sets).
 */
class ScopeTimeline {
  /** Per name: the versions at which it was set (ascending) and what it was set to. */
  private readonly history = new Map<string, { versions: number[]; decls: VarDecl[] }>();
  /** Every set, in order; version v is the state after the first v sets. */
  private readonly events: { name: string; decl: VarDecl }[] = [];
  /** Lookups in the (immutable) parent scope. */
  private readonly inherited = new Map<string, VarDecl | null>();
  private view: ScopeView | undefined;

  constructor(private readonly parent: ScopeView | undefined) {}

  get version(): number {
    return this.events.length;
  }

  set(name: string, decl: VarDecl): void {
    this.events.push({ name, decl });
    let h = this.history.get(name);
    if (!h) this.history.set(name, (h = { versions: [], decls: [] }));
    h.versions.push(this.events.length);
    h.decls.push(decl);
    this.view = undefined;
  }

  get(name: string, version: number): VarDecl | undefined {
    const h = this.history.get(name);
    if (h) {
      // The last set at or before `version`.
      let lo = 0;
      let hi = h.versions.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (h.versions[mid] <= version) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found >= 0) return h.decls[found];
    }
    if (!this.parent) return undefined;
    let d = this.inherited.get(name);
    if (d === undefined) {
      d = this.parent.get(name) ?? null;
      this.inherited.set(name, d);
    }
    return d ?? undefined;
  }

  /** The scope as it is now: the same object until the next `set`. */
  current(): ScopeView {
    return (this.view ??= new ScopeView(this, this.version));
  }

  toMap(version: number): Map<string, VarDecl> {
    const m = new Map<string, VarDecl>(this.parent ?? []);
    for (let i = 0; i < version; i++) m.set(this.events[i].name, this.events[i].decl);
    return m;
  }
}

/** A scope timeline at one version, read as a map. */
class ScopeView implements ReadonlyMap<string, VarDecl> {
  private map: Map<string, VarDecl> | undefined;

  constructor(
    private readonly timeline: ScopeTimeline,
    private readonly version: number,
  ) {}

  get(name: string): VarDecl | undefined {
    return this.timeline.get(name, this.version);
  }
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
  get size(): number {
    return this.materialize().size;
  }
  forEach(callback: (value: VarDecl, key: string, map: ReadonlyMap<string, VarDecl>) => void, thisArg?: unknown): void {
    this.materialize().forEach((v, k) => callback.call(thisArg, v, k, this));
  }
  keys(): IterableIterator<string> {
    return this.materialize().keys();
  }
  values(): IterableIterator<VarDecl> {
    return this.materialize().values();
  }
  entries(): IterableIterator<[string, VarDecl]> {
    return this.materialize().entries();
  }
  [Symbol.iterator](): IterableIterator<[string, VarDecl]> {
    return this.materialize().entries();
  }
  private materialize(): Map<string, VarDecl> {
    return (this.map ??= this.timeline.toMap(this.version));
  }
}

/** [A-Za-z0-9_] by character code. */
function isNameCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function buildModel(ast: DockerfileAst): SemanticModel {
  return new ModelBuilder(ast).build();
}

class ModelBuilder {
  readonly stages: Stage[] = [];
  readonly globalArgs: VarDecl[] = [];
  readonly decls: VarDecl[] = [];
  readonly refs: VarRef[] = [];
  readonly expandProblems: ExpandProblem[] = [];
  readonly preamble: Instruction[] = [];
  readonly stageByIns = new Map<Instruction, Stage>();
  readonly scopes = new Map<Instruction, Scope>();
  readonly shells = new Map<Instruction, readonly string[]>();
  readonly finalEnv = new Map<Stage, ScopeView>();
  /** The latest stage of each name so far (BuildKit: the most recent stage of a name wins). */
  readonly latestByName = new Map<string, Stage>();
  readonly finalShell = new Map<Stage, readonly string[]>();
  readonly copyFromCache = new Map<Instruction, FromTarget | undefined>();
  readonly escape: string;

  constructor(readonly ast: DockerfileAst) {
    this.escape = ast.escape;
  }

  build(): SemanticModel {
    const globalScope = new ScopeTimeline(undefined);
    for (const [name] of Object.entries(PLATFORM_ARGS)) {
      globalScope.set(name, builtin(name));
    }
    let current: Stage | undefined;
    let scope: ScopeTimeline = globalScope;
    let shell: readonly string[] = DEFAULT_SHELL;
    const instructions = this.ast.instructions;
    for (let i = 0; i < instructions.length; i++) {
      const ins = instructions[i];
      if (ins.keyword === 'FROM') {
        if (current) this.closeStage(current, scope, shell);
        current = this.stage(ins, globalScope, instructions, i);
        this.stageByIns.set(ins, current);
        this.scopes.set(ins, globalScope.current());
        this.shells.set(ins, shell);
        const baseStage = current.base.stage;
        // A stage built on an earlier stage starts with that stage's ENV and ARG values, as in BuildKit.
        scope = new ScopeTimeline(baseStage ? this.finalEnv.get(baseStage) : undefined);
        shell = baseStage ? (this.finalShell.get(baseStage) ?? DEFAULT_SHELL) : guessShell(current.base);
        continue;
      }
      if (!current) {
        this.preamble.push(ins);
        this.scopes.set(ins, globalScope.current());
        this.shells.set(ins, shell);
        if (ins.keyword === 'ARG') this.args(ins, globalScope, globalScope, undefined, true);
        else this.collectRefs(ins, globalScope.current(), undefined);
        continue;
      }
      current.instructions.push(ins);
      this.stageByIns.set(ins, current);
      const before = scope.current();
      this.scopes.set(ins, before);
      this.shells.set(ins, shell);
      const target = ins.trigger ? undefined : ins;
      if (!target) {
        this.collectRefs(ins, before, current);
        continue;
      }
      switch (ins.keyword) {
        case 'ARG': {
          this.args(ins, scope, globalScope, current, false);
          break;
        }
        case 'ENV': {
          // Every value is expanded with the scope from before the instruction.
          for (const pair of ins.pairs ?? []) {
            const value = this.expandValue(ins, pair, before, current);
            const decl: VarDecl = { name: pair.key, kind: 'ENV', instruction: ins, pair, nameRange: pair.keyRange, value, stage: current, global: undefined };
            this.decls.push(decl);
            scope.set(pair.key, decl);
          }
          break;
        }
        case 'SHELL':
          if (ins.json && ins.json.items.length > 0) shell = ins.json.items.map((w) => w.value);
          break;
        default:
          this.collectRefs(ins, before, current);
      }
    }
    if (current) this.closeStage(current, scope, shell);
    return this.result();
  }

  private closeStage(stage: Stage, scope: ScopeTimeline, shell: readonly string[]): void {
    this.finalEnv.set(stage, scope.current());
    this.finalShell.set(stage, shell);
    const last = stage.instructions.length > 0 ? stage.instructions[stage.instructions.length - 1] : stage.from;
    (stage as { range: Span }).range = { start: stage.from.fullRange.start, end: last.fullRange.end };
  }

  private stage(ins: Instruction, globalTimeline: ScopeTimeline, _all: readonly Instruction[], _i: number): Stage {
    const globalScope = globalTimeline.current();
    const args = ins.args;
    const index = this.stages.length;
    let name: string | undefined;
    let nameRaw: string | undefined;
    let nameRange: Span | undefined;
    let asRange: Span | undefined;
    if (args.length === 3 && args[1].value.toLowerCase() === 'as') {
      nameRaw = args[2].value;
      name = nameRaw.toLowerCase();
      nameRange = args[2].range;
      asRange = args[1].range;
    }
    const lookup = this.lookupIn(globalScope);
    let base: BaseImage;
    if (args.length === 0) {
      base = { raw: '', range: ins.keywordRange, expanded: '', unresolved: true, stage: undefined, image: undefined, scratch: false, error: 'FROM requires an image' };
    } else {
      const w = args[0];
      const ex = this.expandWord(ins, w.value, w.logicalStart, lookup, globalScope, undefined);
      const expanded = ex.value;
      const unresolved = ex.unresolved;
      const lower = expanded.toLowerCase();
      // BuildKit matches the base against earlier stage names exactly (names are stored lower-cased),
      // and the most recent stage of that name wins.
      const baseStage = this.latestByName.get(expanded);
      let image: ImageRef | undefined;
      let error: string | undefined;
      const scratch = lower === 'scratch';
      if (!baseStage && !scratch && !unresolved) {
        const r = parseImageRef(expanded);
        if (r.ok) image = r.ref;
        else error = r.error;
      }
      base = { raw: w.value, range: w.range, expanded, unresolved, stage: baseStage, image, scratch, error };
    }
    const pf = ins.flags.find((f) => f.name === 'platform');
    let platform: Stage['platform'];
    if (pf && pf.value !== undefined && pf.valueRange) {
      const ex = this.expandWord(ins, pf.value, pf.valueLogicalStart ?? 0, lookup, globalScope, undefined, pf.rawValue === pf.value);
      platform = { raw: pf.value, expanded: ex.value, range: pf.valueRange, unresolved: ex.unresolved };
    }
    const envKnown = base.scratch || (base.stage !== undefined && base.stage.envKnown);
    const stage: Stage = {
      index,
      name,
      nameRaw,
      nameRange,
      asRange,
      from: ins,
      base,
      platform,
      instructions: [],
      range: ins.fullRange,
      envKnown,
    };
    this.stages.push(stage);
    if (name !== undefined) this.latestByName.set(name, stage);
    return stage;
  }

  private args(ins: Instruction, scope: ScopeTimeline, globalScope: ScopeTimeline, stage: Stage | undefined, isGlobal: boolean): void {
    // Each ARG pair sees the ones before it in the same instruction.
    for (const pair of ins.pairs ?? []) {
      let value: string | undefined;
      let globalDecl: VarDecl | undefined;
      if (pair.value !== undefined) value = this.expandValue(ins, pair, scope.current(), stage);
      else if (!isGlobal) {
        const g = globalScope.current().get(pair.key);
        if (g) {
          globalDecl = g;
          value = g.value;
        }
      }
      const decl: VarDecl = {
        name: pair.key,
        kind: 'ARG',
        instruction: ins,
        pair,
        nameRange: pair.keyRange,
        value,
        stage,
        global: globalDecl,
      };
      this.decls.push(decl);
      if (isGlobal) this.globalArgs.push(decl);
      scope.set(pair.key, decl);
    }
  }

  private lookupIn(scope: Scope): Lookup {
    return (name) => {
      const d = scope.get(name);
      if (!d) return undefined;
      return d.value ?? '';
    };
  }

  /** Expands a pair's value, recording its references. */
  private expandValue(ins: Instruction, pair: KeyValue, scope: Scope, stage: Stage | undefined): string | undefined {
    if (pair.value === undefined || pair.valueLogicalStart === undefined) return undefined;
    const ex = this.expandWord(ins, pair.value, pair.valueLogicalStart, this.lookupIn(scope), scope, stage);
    return ex.unresolved ? undefined : ex.value;
  }

  /**
   * Expands one word found at `logicalStart` of the instruction's logical text, records every
   * variable it reads as a reference, and records syntax errors.
   */
  private expandWord(
    ins: Instruction,
    text: string,
    logicalStart: number,
    lookup: Lookup,
    scope: Scope,
    stage: Stage | undefined,
    exactPositions = true,
  ): { value: string; unresolved: boolean } {
    if (!text.includes('$') && !text.includes('"') && !text.includes("'") && !text.includes(this.escape)) {
      return { value: text, unresolved: false };
    }
    const ex = expand(text, lookup, this.escape);
    const logical = ins.logical;
    const map = (a: number, b: number): Span =>
      exactPositions ? logical.spanOf(logicalStart + a, logicalStart + b) : logical.spanOf(logicalStart, logicalStart + text.length);
    let unresolved = false;
    for (const u of ex.uses) {
      const decl = scope.get(u.name);
      if (!decl || decl.value === undefined) {
        if (!(u.modifier && (u.modifier.includes('-') || u.modifier.includes('+')))) unresolved = unresolved || !decl || decl.value === undefined;
      }
      this.refs.push({
        name: u.name,
        range: map(u.start, u.end),
        nameRange: map(u.nameStart, u.nameEnd),
        instruction: ins,
        stage,
        decl,
        modifier: u.modifier,
        byBuilder: true,
      });
    }
    if (ex.error) {
      this.expandProblems.push({ message: ex.error.message, range: map(ex.error.start, ex.error.end), instruction: ins });
      return { value: text, unresolved: true };
    }
    return { value: ex.words.join(' '), unresolved };
  }

  /** Records references in an instruction's arguments and flags. */
  private collectRefs(ins: Instruction, scope: Scope, stage: Stage | undefined): void {
    const target = ins.trigger ?? ins;
    const lookup = this.lookupIn(scope);
    const expandedByBuilder = !ins.trigger && EXPANDED_INSTRUCTIONS.has(target.keyword);
    for (const f of target.flags) {
      if (f.value === undefined || f.valueLogicalStart === undefined) continue;
      if (ins.trigger || !EXPANDED_FLAGS.has(f.name)) continue;
      this.expandWord(ins, f.value, f.valueLogicalStart, lookup, scope, stage, f.rawValue === f.value);
    }
    if (expandedByBuilder) {
      if (target.pairs) {
        for (const p of target.pairs) if (p.value !== undefined && p.valueLogicalStart !== undefined) this.expandWord(ins, p.value, p.valueLogicalStart, lookup, scope, stage);
        for (const p of target.pairs) if (p.key.includes('$')) this.expandWord(ins, p.key, target.logical.text.indexOf(p.key), lookup, scope, stage);
      } else {
        const words = target.json ? target.json.items : target.args;
        for (const w of words) this.expandWord(ins, w.value, w.logicalStart, lookup, scope, stage, !target.json);
      }
      if (target.keyword === 'COPY' || target.keyword === 'ADD') {
        for (const h of target.heredocs) if (h.expand) this.shellRefs(ins, h.body, h.bodyRange.start, undefined, scope, stage, true);
      }
      return;
    }
    // Not expanded by the builder: the shell sees these at run time.
    if (target.shell) this.shellRefs(ins, target.shell.text, 0, target.logical, scope, stage, false, target.shell.logicalStart);
    if (target.json) for (const w of target.json.items) this.shellRefs(ins, w.value, 0, target.logical, scope, stage, false, w.logicalStart + 1);
    for (const h of target.heredocs) if (h.expand) this.shellRefs(ins, h.body, h.bodyRange.start, undefined, scope, stage, false);
  }

  /** Finds `$NAME` and `${NAME...}` in shell text (outside single quotes). */
  private shellRefs(
    ins: Instruction,
    text: string,
    sourceStart: number,
    logical: LogicalText | undefined,
    scope: Scope,
    stage: Stage | undefined,
    byBuilder: boolean,
    logicalStart = 0,
  ): void {
    const map = (a: number, b: number): Span => (logical ? logical.spanOf(logicalStart + a, logicalStart + b) : { start: sourceStart + a, end: sourceStart + b });
    let inSingle = false;
    let inDouble = false;
    // The first `}` at or after `closeFrom` (-1: none): searched once per stretch of text, not once per `${`.
    let closeFrom = -1;
    let closeAt = -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 92 /* \\ */ && !inSingle) {
        i++;
        continue;
      }
      if (ch === 39 /* ' */ && !inDouble) {
        inSingle = !inSingle;
        continue;
      }
      if (ch === 34 /* " */ && !inSingle) {
        inDouble = !inDouble;
        continue;
      }
      if (ch !== 36 /* $ */ || inSingle) continue;
      let j = i + 1;
      let braced = false;
      if (text.charCodeAt(j) === 123 /* { */) {
        braced = true;
        j++;
      }
      const nameStart = j;
      while (j < text.length && isNameCode(text.charCodeAt(j))) j++;
      if (j === nameStart || isDigitCode(text.charCodeAt(nameStart))) continue;
      const name = text.slice(nameStart, j);
      let end = j;
      let modifier: string | undefined;
      if (braced) {
        if (closeFrom === -1 || j < closeFrom || (closeAt !== -1 && closeAt < j)) {
          closeFrom = j;
          closeAt = text.indexOf('}', j);
        }
        const close = closeAt;
        if (close === -1) continue;
        // No modifier character is a `}`: matching at j in the whole text is matching in text.slice(j, close).
        MODIFIER_RE.lastIndex = j;
        const mod = MODIFIER_RE.exec(text);
        modifier = mod ? mod[1] : undefined;
        end = close + 1;
      }
      const decl = scope.get(name);
      this.refs.push({ name, range: map(i, end), nameRange: map(nameStart, j), instruction: ins, stage, decl, modifier, byBuilder });
      i = j - 1;
    }
  }

  private result(): SemanticModel {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the model's closures read the builder's tables
    const b = this;
    const stageByName = (name: string) => b.latestByName.get(name.toLowerCase());
    const model: SemanticModel = {
      ast: b.ast,
      stages: b.stages,
      globalArgs: b.globalArgs,
      decls: b.decls,
      refs: b.refs,
      expandProblems: b.expandProblems,
      preamble: b.preamble,
      stageOf: (ins) => b.stageByIns.get(ins),
      scopeAt: (ins) => b.scopes.get(ins) ?? new Map(),
      shellOf: (ins) => b.shells.get(ins) ?? DEFAULT_SHELL,
      stageByName,
      expandFlag: (ins, flag) => {
        if (flag.value === undefined) return '';
        if (!flag.value.includes('$')) return flag.value;
        const scope = b.scopes.get(ins) ?? new Map();
        const ex = expand(flag.value, b.lookupIn(scope), b.escape);
        return ex.error ? flag.value : ex.words.join(' ');
      },
      fromTarget: (ins, value) => {
        if (value.length === 0) return { kind: 'invalid', error: 'empty --from value' };
        if (value.includes('$')) return { kind: 'unresolved' };
        const current = b.stageByIns.get(ins);
        if (/^\d+$/.test(value)) {
          const idx = Number(value);
          const st = b.stages[idx];
          if (!st) return { kind: 'invalid', error: `invalid stage index ${value}: there are ${b.stages.length} stages` };
          return { kind: 'stage', stage: st, later: current !== undefined && idx > current.index, self: st === current };
        }
        const st = stageByName(value);
        if (st) return { kind: 'stage', stage: st, later: current !== undefined && st.index > current.index, self: st === current };
        const r = parseImageRef(value);
        return r.ok ? { kind: 'image', ref: r.ref } : { kind: 'invalid', error: r.error };
      },
      copyFrom: (ins) => {
        if (b.copyFromCache.has(ins)) return b.copyFromCache.get(ins);
        const target = ins.trigger ?? ins;
        const flag = target.keyword === 'COPY' ? target.flags.find((f) => f.name === 'from') : undefined;
        // BuildKit never expands --from: a `$` in it stays unresolved.
        const res = flag && flag.value !== undefined ? model.fromTarget(ins, flag.value, flag.range) : undefined;
        b.copyFromCache.set(ins, res);
        return res;
      },
    };
    return model;
  }
}

/** A `${name...}` modifier right after the name (sticky: set lastIndex). */
const MODIFIER_RE = /(:?[-+?=]|##?|%%?|\/\/?)/y;

function builtin(name: string): VarDecl {
  return { name, kind: 'builtin', instruction: undefined, pair: undefined, nameRange: undefined, value: undefined, stage: undefined, global: undefined };
}

/** Windows base images run `cmd /S /C` unless SHELL says otherwise. */
function guessShell(base: BaseImage): readonly string[] {
  const n = base.expanded.toLowerCase();
  if (/(^|\/)(windows|nanoserver|servercore|windowsservercore)([:/-]|$)/.test(n) || /\bwindows\/(servercore|nanoserver)/.test(n)) return WINDOWS_SHELL;
  return DEFAULT_SHELL;
}

export { isPredefinedArg };
