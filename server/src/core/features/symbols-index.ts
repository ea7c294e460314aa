/**
 * The symbol index of one analysis: every occurrence of an ARG, ENV or stage name, grouped into symbols
 * by the scoping rules of the semantic model, and the navigation questions answered from it
 * (definition, references, highlights, rename). Pure: offsets in, plain data out. It must not know LSP.
 *
 * Grouping rules, in the model's terms:
 * - every declaration of a name in one scope (the global scope, or one stage) is one symbol, ARG and ENV
 *   alike, because later references read whichever came last;
 * - a stage ARG without a value that re-declares a global ARG (`VarDecl.global`) joins the global's symbol,
 *   so the FROM lines that read the global and the stage that imports it rename together;
 * - a stage built `FROM` another stage inherits its ENV: a re-declaration of an inherited name joins it;
 * - a reference belongs to the symbol of the declaration the model resolved it to; references to nothing
 *   (`$HOME` from the base image) form a "free" symbol per scope and name, found but never renamed;
 * - a stage name's symbol holds `AS name`, `FROM name`, `COPY --from=name` and `--mount=...,from=name`;
 *   `--from=0` is found as a reference but never rewritten.
 */
import type { Analysis } from '../analyze';
import type { Instruction, Span } from '../syntax/ast';
import type { FromTarget, Stage, VarDecl, VarRef } from '../semantic/model';
import { isPredefinedArg } from '../semantic/builtins';
import { parseMount } from '../semantic/mount';
import { LineIndex } from '../text';

export type SymbolKind = 'variable' | 'stage';

export interface DockerSymbol {
  readonly id: number;
  readonly kind: SymbolKind;
  /** Variables: the name (case-sensitive). Stages: the lower-cased name BuildKit keys stages by. */
  readonly name: string;
  /** Declarations behind a variable symbol; empty for free variables. */
  readonly declKinds: ReadonlySet<'ARG' | 'ENV' | 'builtin'>;
  /** A predefined build argument (TARGETARCH, HTTP_PROXY...). */
  readonly predefined: boolean;
  /** The stage of a stage symbol. */
  readonly stage: Stage | undefined;
  /** Sorted by offset. */
  readonly occurrences: readonly Occurrence[];
}

export interface Occurrence {
  /** The name only (not `${` or `}`, not the `--from=`). */
  readonly span: Span;
  readonly symbol: DockerSymbol;
  /** A declaration (ARG/ENV key, `AS name`) rather than a read. */
  readonly write: boolean;
  /** The source text of `span` is exactly the name, so a rename can replace it. */
  readonly exact: boolean;
  /** `--from=0`: found by references, left alone by rename. */
  readonly byIndex: boolean;
  /** Index of the stage whose scope the occurrence is in; -1 for the global scope (global ARGs, FROM lines). */
  readonly scope: number;
  /** For variable reads: the declaration the model resolved it to. For declarations: themselves. */
  readonly decl: VarDecl | undefined;
}

export interface SymbolIndex {
  readonly symbols: readonly DockerSymbol[];
  /** Every occurrence, sorted by start; they never overlap. */
  readonly occurrences: readonly Occurrence[];
  /** Lower-cased literal values of every FROM image, COPY --from and mount from= (stage or not). */
  readonly fromValues: ReadonlySet<string>;
}

interface MutableSymbol {
  id: number;
  kind: SymbolKind;
  name: string;
  declKinds: Set<'ARG' | 'ENV' | 'builtin'>;
  predefined: boolean;
  stage: Stage | undefined;
  occurrences: Occurrence[];
}

const cache = new WeakMap<Analysis, SymbolIndex>();

/** The symbol index of an analysis, built once and cached with it. */
export function symbolIndex(a: Analysis): SymbolIndex {
  let idx = cache.get(a);
  if (!idx) {
    idx = buildIndex(a);
    cache.set(a, idx);
  }
  return idx;
}

function buildIndex(a: Analysis): SymbolIndex {
  const { model, ast } = a;
  const text = ast.text;
  const symbols: MutableSymbol[] = [];
  const occurrences: Occurrence[] = [];
  const newSymbol = (kind: SymbolKind, name: string, stage?: Stage): MutableSymbol => {
    const s: MutableSymbol = { id: symbols.length, kind, name, declKinds: new Set(), predefined: kind === 'variable' && isPredefinedArg(name), stage, occurrences: [] };
    symbols.push(s);
    return s;
  };
  const add = (o: Omit<Occurrence, 'symbol' | 'exact'> & { symbol: MutableSymbol; exact?: boolean }) => {
    const exact = o.exact ?? (o.symbol.kind === 'stage' ? text.slice(o.span.start, o.span.end).toLowerCase() === o.symbol.name : text.slice(o.span.start, o.span.end) === o.symbol.name);
    occurrences.push({ ...o, exact });
  };

  // ---- variables: union-find over declarations
  const parent = new Map<VarDecl, VarDecl>();
  const find = (d: VarDecl): VarDecl => {
    let r = d;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    // Path compression.
    let c = d;
    while (c !== r) {
      const n = parent.get(c)!;
      parent.set(c, r);
      c = n;
    }
    return r;
  };
  const union = (x: VarDecl, y: VarDecl) => {
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry) parent.set(rx, ry);
  };
  const scopeOf = (stage: Stage | undefined) => (stage ? stage.index : -1);
  const firstInScope = new Map<string, VarDecl>();
  const declsByStage = new Map<Stage, VarDecl[]>();
  for (const d of model.decls) {
    const key = `${scopeOf(d.stage)}\0${d.name}`;
    const first = firstInScope.get(key);
    if (first) union(d, first);
    else firstInScope.set(key, d);
    if (d.global) union(d, d.global);
    if (d.stage) {
      let list = declsByStage.get(d.stage);
      if (!list) declsByStage.set(d.stage, (list = []));
      list.push(d);
    }
  }
  // ENV is inherited by stages built FROM a stage: a re-declaration there is the same variable.
  const envAtEnd = new Map<Stage, Map<string, VarDecl>>();
  for (const s of model.stages) {
    const inherited = s.base.stage ? envAtEnd.get(s.base.stage) : undefined;
    const env = new Map(inherited ?? []);
    for (const d of declsByStage.get(s) ?? []) {
      const inh = inherited?.get(d.name);
      if (inh) union(d, inh);
      if (d.kind === 'ENV') env.set(d.name, d);
    }
    envAtEnd.set(s, env);
  }
  const byRoot = new Map<VarDecl, MutableSymbol>();
  const symbolOfDecl = (d: VarDecl): MutableSymbol => {
    const r = find(d);
    let s = byRoot.get(r);
    if (!s) byRoot.set(r, (s = newSymbol('variable', r.name)));
    s.declKinds.add(d.kind);
    return s;
  };
  for (const d of model.decls) {
    if (!d.nameRange) continue;
    add({ span: d.nameRange, symbol: symbolOfDecl(d), write: true, byIndex: false, scope: scopeOf(d.stage), decl: d });
  }
  const free = new Map<string, MutableSymbol>();
  const seenInFlag = new Map<string, number>();
  for (const r of model.refs) {
    let symbol: MutableSymbol;
    if (r.decl) symbol = symbolOfDecl(r.decl);
    else {
      const key = `${scopeOf(r.stage)}\0${r.name}`;
      let s = free.get(key);
      if (!s) free.set(key, (s = newSymbol('variable', r.name)));
      symbol = s;
    }
    add({ span: exactRefSpan(text, r, seenInFlag), symbol, write: false, byIndex: false, scope: scopeOf(r.stage), decl: r.decl });
  }

  // ---- stages
  const stageSymbols = new Map<Stage, MutableSymbol>();
  const fromValues = new Set<string>();
  const stageSymbol = (st: Stage): MutableSymbol | undefined => {
    if (st.name === undefined) return undefined;
    let s = stageSymbols.get(st);
    if (!s) stageSymbols.set(st, (s = newSymbol('stage', st.name, st)));
    return s;
  };
  for (const st of model.stages) {
    const s = stageSymbol(st);
    if (s && st.nameRange) add({ span: st.nameRange, symbol: s, write: true, byIndex: false, scope: st.index, decl: undefined });
    if (st.base.raw && !st.base.raw.includes('$')) fromValues.add(st.base.raw.toLowerCase());
    const base = st.base.stage;
    if (base && st.base.raw.toLowerCase() === base.name) {
      const bs = stageSymbol(base);
      if (bs) add({ span: st.base.range, symbol: bs, write: false, byIndex: false, scope: -1, decl: undefined });
    }
  }
  const fromRef = (ins: Instruction, target: FromTarget, value: string, span: Span, scope: number) => {
    if (target.kind !== 'stage') return;
    const s = stageSymbol(target.stage);
    if (!s) return;
    const byIndex = /^\d+$/.test(value);
    add({ span, symbol: s, write: false, byIndex, scope, decl: undefined, exact: byIndex ? false : undefined });
  };
  for (const st of model.stages) {
    for (const ins of st.instructions) {
      if (ins.trigger) continue; // ONBUILD triggers name stages of the downstream build.
      for (const f of ins.flags) {
        if (f.value === undefined || !f.valueRange || f.value.includes('$')) continue;
        if (f.name === 'from' && ins.keyword === 'COPY') {
          fromValues.add(f.value.toLowerCase());
          fromRef(ins, model.fromTarget(ins, f.value, f.range), f.value, unquotedSpan(text, f.valueRange, f.value), st.index);
        } else if (f.name === 'mount' && ins.keyword === 'RUN') {
          for (const o of parseMount(ins, f).options) {
            if (o.key !== 'from' || o.value === undefined || !o.valueRange || o.value.length === 0) continue;
            fromValues.add(o.value.toLowerCase());
            fromRef(ins, model.fromTarget(ins, o.value, o.valueRange), o.value, o.valueRange, st.index);
          }
        }
      }
    }
  }

  occurrences.sort((x, y) => x.span.start - y.span.start || x.span.end - y.span.end);
  for (const o of occurrences) (o.symbol as unknown as MutableSymbol).occurrences.push(o);
  return { symbols, occurrences, fromValues };
}

/**
 * The model maps references inside quoted flag values (`--chown="$USER"`) to the whole value, not the
 * name. Find the name in the flag's source text instead: the n-th `$NAME`/`${NAME` of that flag for the
 * n-th reference to NAME in it. Other references keep their span.
 */
function exactRefSpan(text: string, r: VarRef, seen: Map<string, number>): Span {
  const span = r.nameRange;
  if (text.slice(span.start, span.end) === r.name) return span;
  const flag = (r.instruction.trigger ?? r.instruction).flags.find((f) => f.range.start <= r.range.start && r.range.start <= f.range.end);
  if (!flag) return span;
  const key = `${flag.range.start}\0${r.name}`;
  const nth = seen.get(key) ?? 0;
  seen.set(key, nth + 1);
  const raw = text.slice(flag.range.start, flag.range.end);
  const re = new RegExp(`\\$\\{?(${r.name})(?![A-Za-z0-9_])`, 'g');
  let m: RegExpExecArray | null;
  let k = 0;
  while ((m = re.exec(raw))) {
    if (k++ === nth) {
      const start = flag.range.start + m.index + m[0].length - r.name.length;
      return { start, end: start + r.name.length };
    }
  }
  return span;
}

/** The span of `value` inside a raw value that may be wrapped in one pair of quotes. */
function unquotedSpan(text: string, raw: Span, value: string): Span {
  const s = text.slice(raw.start, raw.end);
  if (s.length === value.length + 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) return { start: raw.start + 1, end: raw.end - 1 };
  return raw;
}

/** The occurrence under the cursor: one containing `offset`, or ending exactly at it. */
export function occurrenceAt(a: Analysis, offset: number): Occurrence | undefined {
  const list = symbolIndex(a).occurrences;
  let lo = 0;
  let hi = list.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.start <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best === -1) return undefined;
  const o = list[best];
  return offset <= o.span.end ? o : undefined;
}

/**
 * Where the name under the cursor is declared. A variable read goes to the declaration the model resolved
 * it to, plus the global ARG that a value-less stage ARG imports; a stage reference goes to `AS name`.
 */
export function findDefinition(a: Analysis, offset: number): Span[] {
  const o = occurrenceAt(a, offset);
  if (!o) return [];
  if (o.symbol.kind === 'stage') return o.symbol.occurrences.filter((x) => x.write).map((x) => x.span);
  const d = o.decl;
  if (!d) return [];
  const out: Span[] = [];
  if (d.nameRange) out.push(d.nameRange);
  if (d.global?.nameRange) out.push(d.global.nameRange);
  return out;
}

/** Every occurrence of the symbol under the cursor, declarations only when asked for. */
export function findReferences(a: Analysis, offset: number, includeDeclaration: boolean): Span[] {
  const o = occurrenceAt(a, offset);
  if (!o) return [];
  return o.symbol.occurrences.filter((x) => includeDeclaration || !x.write).map((x) => x.span);
}

export interface Highlight {
  readonly span: Span;
  readonly write: boolean;
}

/** The occurrences of the symbol under the cursor, declarations marked as writes. */
export function documentHighlights(a: Analysis, offset: number): Highlight[] {
  const o = occurrenceAt(a, offset);
  if (!o) return [];
  return o.symbol.occurrences.map((x) => ({ span: x.span, write: x.write }));
}

export type PrepareRenameResult = { readonly ok: true; readonly span: Span; readonly placeholder: string; readonly symbol: DockerSymbol } | { readonly ok: false; readonly message: string };

export interface RenameEdit {
  readonly span: Span;
  readonly newText: string;
}

export type RenameResult = { readonly ok: true; readonly edits: readonly RenameEdit[] } | { readonly ok: false; readonly message: string };

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
const RESERVED_STAGE_NAMES = new Set(['scratch', 'context']);

/**
 * Whether the name under the cursor can be renamed. Undefined when the cursor is not on a name at all;
 * `ok: false` with a message a person can act on when it is a name that must not be renamed.
 */
export function prepareRename(a: Analysis, offset: number): PrepareRenameResult | undefined {
  const o = occurrenceAt(a, offset);
  if (!o) return undefined;
  const s = o.symbol;
  if (o.byIndex) return { ok: false, message: `--from=${a.ast.text.slice(o.span.start, o.span.end)} refers to a stage by its index; rename the stage at its "AS" name instead.` };
  if (s.kind === 'variable') {
    if (s.predefined) return { ok: false, message: `${s.name} is a predefined build argument: the builder sets it, so it cannot be renamed.` };
    if (s.declKinds.size === 0) return { ok: false, message: `${s.name} is not declared in this Dockerfile (it comes from the base image or the build environment), so it cannot be renamed here.` };
    if (s.declKinds.has('builtin')) return { ok: false, message: `${s.name} is a predefined build argument: the builder sets it, so it cannot be renamed.` };
  }
  const inexact = s.occurrences.find((x) => !x.exact && !x.byIndex);
  if (inexact) {
    const line = new LineIndex(a.ast.text, a.ast.lineStarts).lineAt(inexact.span.start) + 1;
    return { ok: false, message: `${s.name} cannot be renamed safely: on line ${line} it is written in a form Dockwright cannot rewrite (quoted, or split by a line continuation).` };
  }
  return { ok: true, span: o.span, placeholder: a.ast.text.slice(o.span.start, o.span.end), symbol: s };
}

/** Renames the symbol under the cursor everywhere it occurs, or explains why it cannot. */
export function renameSymbol(a: Analysis, offset: number, newName: string): RenameResult | undefined {
  const p = prepareRename(a, offset);
  if (!p) return undefined;
  if (!p.ok) return p;
  const s = p.symbol;
  const index = symbolIndex(a);
  if (s.kind === 'variable') {
    if (!VAR_NAME.test(newName)) return { ok: false, message: `"${newName}" is not a valid variable name: use letters, digits and underscores, not starting with a digit.` };
    if (isPredefinedArg(newName)) return { ok: false, message: `"${newName}" is a predefined build argument; choose another name.` };
    if (newName === s.name) return { ok: true, edits: [] };
    const clash = variableClash(a, index, s, newName);
    if (clash) return { ok: false, message: clash };
  } else {
    const lower = newName.toLowerCase();
    if (!STAGE_NAME.test(lower)) return { ok: false, message: `"${newName}" is not a valid stage name: it must start with a letter and contain only letters, digits, "-", "_" and ".".` };
    if (RESERVED_STAGE_NAMES.has(lower)) return { ok: false, message: `"${newName}" is a reserved name and cannot name a stage.` };
    if (lower !== s.name) {
      if (a.model.stages.some((st) => st !== s.stage && st.name === lower)) return { ok: false, message: `A stage named "${lower}" already exists.` };
      if (index.fromValues.has(lower)) return { ok: false, message: `"${newName}" is already used as an image or --from value: renaming the stage to it would change what that line refers to.` };
    }
  }
  const edits = s.occurrences.filter((x) => !x.byIndex).map((x) => ({ span: x.span, newText: newName }));
  return { ok: true, edits };
}

/** Why renaming a variable to `newName` would change which declaration some reference reads, if it would. */
function variableClash(a: Analysis, index: SymbolIndex, s: DockerSymbol, newName: string): string | undefined {
  const scopes = new Set(s.occurrences.map((o) => o.scope));
  // ENV flows into stages built FROM a touched stage: their references could be captured too.
  for (const st of a.model.stages) {
    if (st.base.stage && scopes.has(st.base.stage.index)) scopes.add(st.index);
  }
  for (const other of index.symbols) {
    if (other === s || other.kind !== 'variable' || other.name !== newName) continue;
    const hit = other.occurrences.find((o) => scopes.has(o.scope));
    if (hit) {
      const where = hit.scope === -1 ? 'the global scope' : stageLabel(a, hit.scope);
      return `"${newName}" is already used in ${where}: renaming ${s.name} to it would change which variable some references read.`;
    }
  }
  // A value-less stage ARG imports the global ARG of the same name: renaming across that link changes values.
  const globalNew = a.model.globalArgs.some((g) => g.name === newName);
  if (globalNew && s.occurrences.some((o) => o.write && o.decl?.kind === 'ARG' && o.decl.pair?.value === undefined && o.scope !== -1)) {
    return `"${newName}" is a global ARG: a stage "ARG ${newName}" would import its value.`;
  }
  if (scopes.has(-1)) {
    const importer = a.model.decls.find((d) => d.name === newName && d.kind === 'ARG' && d.stage && d.pair?.value === undefined);
    if (importer) return `A stage declares "ARG ${newName}" without a value: it would import the renamed global ARG.`;
  }
  return undefined;
}

function stageLabel(a: Analysis, index: number): string {
  const st = a.model.stages[index];
  return st?.name ? `stage "${st.name}"` : `stage ${index}`;
}
