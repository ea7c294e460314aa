/**
 * Semantic tokens of a Dockerfile: keywords, flags and their values, variables (declared by ARG, by ENV,
 * or predefined), stage names, image references, strings, comments, directives, JSON punctuation and
 * heredoc markers. The TextMate grammar colours everything else (shell text in particular), so only
 * what the semantic model knows better is emitted.
 *
 * Pure and linear: one pass over the syntax tree, one over the references, one sort. The result is
 * sorted, never overlapping, and every token lies on one line (multi-line elements are split per line,
 * without the line-continuation escape). Offsets, not positions: the LSP layer encodes them.
 */
import type { Analysis } from '../analyze';
import type { Instruction, Span } from '../syntax/ast';
import type { SemanticModel } from '../semantic/model';
import { isPredefinedArg } from '../semantic/builtins';
import { parseMount } from '../semantic/mount';
import { LineIndex } from '../text';

/** The legend, in the order the type and modifier numbers refer to. */
export const TOKEN_TYPES = ['keyword', 'property', 'parameter', 'variable', 'class', 'type', 'string', 'comment', 'macro', 'operator', 'number'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary', 'deprecated'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

const T = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;
const M = Object.fromEntries(TOKEN_MODIFIERS.map((m, i) => [m, 1 << i])) as Record<TokenModifier, number>;

/** One token on one line: `start` is an offset, `type` an index into TOKEN_TYPES, `modifiers` a bit set over TOKEN_MODIFIERS. */
export interface SemanticToken {
  readonly start: number;
  readonly length: number;
  readonly type: number;
  readonly modifiers: number;
}

interface Raw {
  start: number;
  end: number;
  type: number;
  mods: number;
}

const cache = new WeakMap<Analysis, readonly SemanticToken[]>();

/** Every token of the document (cached per analysis). */
export function semanticTokens(a: Analysis): readonly SemanticToken[] {
  let t = cache.get(a);
  if (!t) {
    t = build(a.model);
    cache.set(a, t);
  }
  return t;
}

/** The tokens that overlap `span`. */
export function semanticTokensIn(a: Analysis, span: Span): SemanticToken[] {
  const all = semanticTokens(a);
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid].start + all[mid].length <= span.start) lo = mid + 1;
    else hi = mid;
  }
  const out: SemanticToken[] = [];
  for (let i = lo; i < all.length && all[i].start < span.end; i++) out.push(all[i]);
  return out;
}

/** Names of a token's type and modifiers, for tests and debugging. */
export function describeToken(t: SemanticToken): { type: TokenType; modifiers: TokenModifier[] } {
  return { type: TOKEN_TYPES[t.type], modifiers: TOKEN_MODIFIERS.filter((_, i) => (t.modifiers & (1 << i)) !== 0) };
}

function build(model: SemanticModel): SemanticToken[] {
  const ast = model.ast;
  const text = ast.text;
  const base: Raw[] = [];
  const push = (span: Span | undefined, type: number, mods = 0) => {
    if (span && span.end > span.start) base.push({ start: span.start, end: span.end, type, mods });
  };

  const directiveStarts = new Set<number>();
  for (const d of ast.directives) {
    directiveStarts.add(d.range.start);
    if (d.known) {
      push({ start: d.range.start, end: d.range.start + 1 }, T.comment);
      push(d.nameRange, T.macro);
      push(d.valueRange, T.string);
    } else push(d.range, T.comment);
  }
  for (const c of ast.comments) if (!directiveStarts.has(c.range.start)) push(c.range, T.comment);

  const stageValue = (value: string): boolean => (/^\d+$/.test(value) ? Number(value) < model.stages.length : model.stageByName(value) !== undefined);

  const body = (ins: Instruction, t: Instruction) => {
    push(t.keywordRange, T.keyword, t.keyword === 'MAINTAINER' ? M.deprecated : 0);
    for (const f of t.flags) {
      push({ start: f.range.start, end: f.nameRange.end }, T.property);
      if (!f.valueRange || f.value === undefined) continue;
      if (f.name === 'mount' && f.rawValue === f.value) {
        for (const o of parseMount(t, f).options) {
          push(o.keyRange, T.property);
          if (o.valueRange && o.value !== undefined) push(o.valueRange, o.key === 'from' && !o.value.includes('$') && stageValue(o.value) ? T.class : T.parameter);
        }
      } else if (f.name === 'from' && t.keyword === 'COPY' && !f.value.includes('$') && stageValue(f.value)) push(f.valueRange, T.class);
      else push(f.valueRange, T.parameter);
    }
    switch (t.keyword) {
      case 'FROM': {
        const st = model.stageOf(ins);
        const [image, as, name] = t.args;
        if (image) push(image.range, st?.base.stage && image.value.toLowerCase() === st.base.stage.name ? T.class : T.type);
        if (as && name && as.value.toLowerCase() === 'as' && t.args.length === 3) {
          push(as.range, T.keyword);
          push(name.range, T.class, M.declaration);
        }
        break;
      }
      case 'EXPOSE':
        for (const w of t.args) push(w.range, T.number);
        break;
      case 'HEALTHCHECK':
        if (t.args[0]) push(t.args[0].range, T.keyword);
        break;
      case 'ENV':
      case 'ARG':
      case 'LABEL':
        for (const p of t.pairs ?? []) {
          if (t.keyword === 'LABEL') push(p.keyRange, T.property);
          else push(p.keyRange, T.variable, M.declaration | (t.keyword === 'ARG' ? M.readonly | (isPredefinedArg(p.key) ? M.defaultLibrary : 0) : 0));
          push(p.valueRange, T.string);
        }
        break;
      default:
        break;
    }
    if (t.json) {
      let prev = t.json.range.start;
      const punct = (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const ch = text[i];
          if (ch === '[' || ch === ']' || ch === ',') push({ start: i, end: i + 1 }, T.operator);
        }
      };
      for (const w of t.json.items) {
        punct(prev, w.range.start);
        push(w.range, T.string);
        prev = w.range.end;
      }
      punct(prev, t.json.range.end);
    }
    for (const h of t.heredocs) {
      push(h.markerRange, T.macro);
      if (h.terminatorRange) {
        let s = h.terminatorRange.start;
        if (h.chomp) while (s < h.terminatorRange.end && text[s] === '\t') s++;
        push({ start: s, end: h.terminatorRange.end }, T.macro);
      }
      if (t.keyword !== 'RUN') push(h.bodyRange, T.string);
    }
  };
  for (const ins of ast.instructions) {
    if (ins.trigger) {
      push(ins.keywordRange, T.keyword);
      body(ins, ins.trigger);
    } else body(ins, ins);
  }

  // Variable references: on top of whatever they sit in.
  const refs: Raw[] = [];
  for (const r of model.refs) {
    if (r.nameRange.end <= r.nameRange.start) continue;
    const d = r.decl;
    let mods = 0;
    if (d?.kind === 'ARG') mods = M.readonly;
    else if (d?.kind === 'builtin') mods = M.readonly | M.defaultLibrary;
    if (isPredefinedArg(r.name)) mods |= M.defaultLibrary;
    refs.push({ start: r.nameRange.start, end: r.nameRange.end, type: T.variable, mods });
  }
  const byStart = (x: Raw, y: Raw) => x.start - y.start || y.end - x.end;
  base.sort(byStart);
  refs.sort(byStart);

  // Punch the references out of the tokens they sit in.
  const merged: Raw[] = [];
  let r0 = 0;
  for (const b of base) {
    while (r0 < refs.length && refs[r0].end <= b.start) r0++;
    let cur = b.start;
    for (let k = r0; k < refs.length && refs[k].start < b.end; k++) {
      const r = refs[k];
      if (r.start < b.start || r.end > b.end) continue;
      if (r.start > cur) merged.push({ start: cur, end: r.start, type: b.type, mods: b.mods });
      cur = Math.max(cur, r.end);
    }
    if (cur < b.end) merged.push({ start: cur, end: b.end, type: b.type, mods: b.mods });
  }
  for (const r of refs) merged.push(r);
  merged.sort(byStart);

  // One line per token, without continuation escapes, and nothing on comment lines inside instructions.
  const lines = new LineIndex(text, ast.lineStarts);
  const commentLines = new Set<number>();
  for (const c of ast.comments) if (c.insideInstruction) commentLines.add(lines.lineAt(c.range.start));
  const escape = ast.escape;
  const out: SemanticToken[] = [];
  let lastEnd = 0;
  const emit = (s: number, e: number, type: number, mods: number) => {
    if (s < lastEnd) s = lastEnd;
    if (e <= s) return;
    out.push({ start: s, length: e - s, type, modifiers: mods });
    lastEnd = e;
  };
  for (const t of merged) {
    let line = lines.lineAt(t.start);
    const lineEnd0 = lines.lineEnd(line);
    if (t.end <= lineEnd0) {
      emit(t.start, t.end, t.type, t.mods);
      continue;
    }
    let s = t.start;
    while (s < t.end && line < lines.lineCount) {
      const le = lines.lineEnd(line);
      let e = Math.min(t.end, le);
      if (t.end > le) {
        // Not the last piece: drop the escape that continues the line and the blanks around it.
        while (e > s && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
        if (e > s && text[e - 1] === escape && t.type !== T.comment) e--;
        while (e > s && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
      }
      let ps = s;
      if (line !== lines.lineAt(t.start)) while (ps < e && (text[ps] === ' ' || text[ps] === '\t')) ps++;
      if (!commentLines.has(line) || t.type === T.comment) emit(ps, e, t.type, t.mods);
      line++;
      if (line >= lines.lineCount) break;
      s = lines.lineStarts[line];
    }
  }
  return out;
}
