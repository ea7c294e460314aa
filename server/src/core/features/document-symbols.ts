/**
 * The outline of a Dockerfile (global ARGs, then stages with their instructions, ENV/ARG pairs as
 * variables) and the flat list of names a workspace search offers (stages and ARGs). Pure: it reads the
 * semantic model and returns offset spans; it must not know LSP or the file system.
 */
import type { Instruction, Span } from '../syntax/ast';
import type { SemanticModel, Stage } from '../semantic/model';

/** What an outline entry is; the LSP layer maps it to a SymbolKind. */
export type OutlineKind = 'stage' | 'variable' | 'command' | 'file' | 'folder' | 'constant' | 'label' | 'event' | 'instruction';

export interface OutlineSymbol {
  /** Never empty. */
  readonly name: string;
  readonly detail: string;
  readonly kind: OutlineKind;
  /** The whole element; contains `selection`. */
  readonly span: Span;
  /** The part to reveal and highlight: the stage name, the variable name, the keyword. */
  readonly selection: Span;
  readonly children: readonly OutlineSymbol[];
}

const KIND_BY_KEYWORD: Readonly<Record<string, OutlineKind>> = {
  RUN: 'command',
  CMD: 'command',
  ENTRYPOINT: 'command',
  SHELL: 'command',
  HEALTHCHECK: 'command',
  COPY: 'file',
  ADD: 'file',
  WORKDIR: 'folder',
  VOLUME: 'folder',
  EXPOSE: 'constant',
  USER: 'constant',
  STOPSIGNAL: 'constant',
  LABEL: 'label',
  MAINTAINER: 'label',
  ONBUILD: 'event',
};

const MAX_NAME = 80;

/** Collapses whitespace (continuations included) and shortens to a readable one-line name. */
export function oneLine(s: string, max = MAX_NAME): string {
  const t = s.replace(/\\?\s*\r?\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A stage's display name, e.g. `FROM python:3.12 AS build`. */
export function stageTitle(st: Stage): string {
  const base = st.base.raw || '(no image)';
  return st.nameRaw ? `FROM ${base} AS ${st.nameRaw}` : `FROM ${base}`;
}

function stageDetail(st: Stage): string {
  const parts = [`stage ${st.index}`];
  if (st.platform) parts.push(`--platform=${st.platform.raw}`);
  if (st.base.stage) parts.push(`builds on ${st.base.stage.nameRaw ?? `stage ${st.base.stage.index}`}`);
  return parts.join(', ');
}

function variables(ins: Instruction): OutlineSymbol[] {
  const target = ins.trigger ?? ins;
  const out: OutlineSymbol[] = [];
  for (const p of target.pairs ?? []) {
    if (p.key.length === 0) continue;
    const detail = p.value === undefined ? target.keyword : `${target.keyword} = ${oneLine(p.value, 60)}`;
    out.push({ name: p.key, detail, kind: 'variable', span: p.range, selection: p.keyRange, children: [] });
  }
  return out;
}

function instructionSymbols(text: string, ins: Instruction): OutlineSymbol[] {
  if (ins.keyword === 'ENV' || ins.keyword === 'ARG') {
    const vars = variables(ins);
    if (vars.length > 0) return vars;
  }
  const flags = ins.flags.map((f) => text.slice(f.range.start, f.range.end));
  const args = oneLine([...flags, ins.argsText].join(' '));
  return [
    {
      name: (args ? `${ins.keywordRaw} ${args}` : ins.keywordRaw) || '?',
      detail: '',
      kind: KIND_BY_KEYWORD[ins.keyword] ?? 'instruction',
      span: ins.fullRange,
      selection: ins.keywordRange,
      children: [],
    },
  ];
}

/** The hierarchical outline: global ARGs (and stray instructions before the first FROM), then stages. */
export function documentSymbols(model: SemanticModel): OutlineSymbol[] {
  const text = model.ast.text;
  const out: OutlineSymbol[] = [];
  for (const ins of model.preamble) out.push(...instructionSymbols(text, ins));
  for (const st of model.stages) {
    const children: OutlineSymbol[] = [];
    for (const ins of st.instructions) children.push(...instructionSymbols(text, ins));
    out.push({
      name: oneLine(stageTitle(st)),
      detail: stageDetail(st),
      kind: 'stage',
      span: st.range,
      selection: st.nameRange ?? st.from.keywordRange,
      children,
    });
  }
  return out;
}

export interface WorkspaceSymbolEntry {
  readonly name: string;
  readonly kind: 'stage' | 'variable';
  readonly span: Span;
  /** The stage an ARG belongs to (its name or `stage N`); undefined for stages and global ARGs. */
  readonly container: string | undefined;
  readonly detail: string;
}

/** Named stages and every ARG of a file, for workspace-wide search. */
export function workspaceSymbols(model: SemanticModel): WorkspaceSymbolEntry[] {
  const out: WorkspaceSymbolEntry[] = [];
  for (const d of model.globalArgs) {
    if (d.nameRange) out.push({ name: d.name, kind: 'variable', span: d.nameRange, container: undefined, detail: 'global ARG' });
  }
  for (const st of model.stages) {
    if (st.nameRaw && st.nameRange) out.push({ name: st.nameRaw, kind: 'stage', span: st.nameRange, container: undefined, detail: oneLine(stageTitle(st)) });
  }
  for (const d of model.decls) {
    if (d.kind !== 'ARG' || !d.stage || !d.nameRange) continue;
    out.push({ name: d.name, kind: 'variable', span: d.nameRange, container: d.stage.nameRaw ?? `stage ${d.stage.index}`, detail: 'ARG' });
  }
  out.sort((x, y) => x.span.start - y.span.start);
  return out;
}

/**
 * Fuzzy-ish match used by workspace search: the query's characters appear in the name in order, case
 * ignored. An empty query matches everything.
 */
export function matchesQuery(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let j = 0;
  for (let i = 0; i < n.length && j < q.length; i++) if (n[i] === q[j]) j++;
  return j === q.length;
}
