/**
 * Hover: short markdown about what is under an offset: instructions, flags and their values (mount types
 * and options, network modes), parser directives, rule ids in suppression comments, variables (value and
 * declaration), stage references and image references. Pure; reads the cached analysis only.
 */
import type { Analysis } from '../analyze';
import type { Comment, Flag, Instruction, Span } from '../syntax/ast';
import type { BaseImage, FromTarget, SemanticModel, Stage, VarDecl, VarRef } from '../semantic/model';
import type { ImageRef } from '../semantic/image-ref';
import { PLATFORM_ARGS, PROXY_ARGS, isPredefinedArg } from '../semantic/builtins';
import { parseMount } from '../semantic/mount';
import { DIRECTIVES, INSTRUCTION_BY_NAME, MOUNT_TYPES, type InstructionSpec } from '../data/instructions';
import { RULES } from '../rules/index';
import { resolveRuleId } from '../rules/registry';
import { instructionAt } from './selection';
import { NETWORK_DOCS, SECURITY_DOCS, describeValue, directiveUrl, lineIndexOf } from './completion';

export interface HoverResult {
  /** Markdown. */
  readonly contents: string;
  readonly range: Span;
}

function within(span: Span | undefined, offset: number): span is Span {
  return span !== undefined && span.start <= offset && offset <= span.end;
}

/** Inline code that survives backticks in the value. */
export function code(s: string): string {
  if (s === '') return '`""`';
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${s.length > 120 ? s.slice(0, 117) + '...' : s}${fence}`;
}

/** What is under `offset`, as markdown; undefined where there is nothing to say. */
export function hover(analysis: Analysis, offset: number): HoverResult | undefined {
  const ast = analysis.ast;
  for (const d of ast.directives) {
    if (within(d.range, offset)) return directiveHover(d.name, d.known, d.value, d.valueRange, d.range, offset);
  }
  const comment = commentAt(ast.comments, offset);
  if (comment) return pragmaHover(comment, offset);
  const ins = instructionAt(ast, offset);
  if (!ins) return undefined;
  const model = analysis.model;
  const trigger = ins.trigger && offset >= ins.trigger.keywordRange.start ? ins.trigger : undefined;
  const target = trigger ?? ins;
  if (within(ins.keywordRange, offset)) return keywordHover(ins.keyword, ins.keywordRange);
  if (trigger && within(trigger.keywordRange, offset)) return keywordHover(trigger.keyword, trigger.keywordRange);
  for (const ref of model.refs) {
    if (ref.instruction === ins && within(ref.range, offset)) return { contents: variableHover(model, ref), range: ref.range };
  }
  for (const f of target.flags) {
    if (within(f.range, offset)) return flagHover(analysis, ins, target, f, offset);
  }
  if (target.pairs && (target.keyword === 'ARG' || target.keyword === 'ENV')) {
    for (const p of target.pairs) {
      if (!within(p.keyRange, offset)) continue;
      const decl = model.decls.find((d) => d.pair === p);
      if (decl) return { contents: declarationHover(model, decl), range: p.keyRange };
    }
  }
  if (target === ins && ins.keyword === 'FROM') {
    const stage = model.stageOf(ins);
    if (stage && within(stage.base.range, offset) && stage.base.raw !== '') return { contents: baseHover(model, stage.base), range: stage.base.range };
    if (stage && within(stage.nameRange, offset)) {
      return { contents: `**Stage ${stage.index}** ${code(stage.nameRaw!)}: refer to it with \`--from=${stage.nameRaw}\` or \`FROM ${stage.nameRaw}\`.`, range: stage.nameRange };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

function keywordHover(keyword: string, range: Span): HoverResult | undefined {
  const spec = INSTRUCTION_BY_NAME.get(keyword);
  if (!spec) return undefined;
  return { contents: instructionHover(spec), range };
}

function instructionHover(spec: InstructionSpec): string {
  return `**${spec.name}**: ${spec.summary}\n\n\`\`\`dockerfile\n${spec.syntax.join('\n')}\n\`\`\`\n\n[Dockerfile reference](${spec.url})`;
}

function directiveHover(name: string, known: boolean, value: string, valueRange: Span, range: Span, offset: number): HoverResult | undefined {
  if (!known) return { contents: `Unknown parser directive ${code(name)}: BuildKit ignores it.`, range };
  if (name === 'check' && within(valueRange, offset)) {
    const id = idAt(value, offset - valueRange.start);
    const r = id ? ruleHover(id.id) : undefined;
    if (r && id) return { contents: r, range: { start: valueRange.start + id.start, end: valueRange.start + id.end } };
  }
  const d = DIRECTIVES[name];
  return { contents: `**# ${name}=** parser directive\n\n${d.doc}\n\n[Dockerfile reference](${directiveUrl(name)})`, range };
}

function commentAt(comments: readonly Comment[], offset: number): Comment | undefined {
  let lo = 0;
  let hi = comments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = comments[mid];
    if (c.range.end < offset) lo = mid + 1;
    else if (c.range.start > offset) hi = mid - 1;
    else return c;
  }
  return undefined;
}

/** The identifier around `at` in a comma/space/equals-separated list. */
function idAt(s: string, at: number): { id: string; start: number; end: number } | undefined {
  const sep = /[\s,;=]/;
  let start = Math.min(at, s.length);
  let end = start;
  while (start > 0 && !sep.test(s[start - 1])) start--;
  while (end < s.length && !sep.test(s[end])) end++;
  return start < end ? { id: s.slice(start, end), start, end } : undefined;
}

function ruleHover(id: string): string | undefined {
  const resolved = resolveRuleId(id, RULES);
  const rule = resolved ? RULES.find((r) => r.meta.id === resolved) : undefined;
  if (!rule) return undefined;
  const eq = rule.meta.equivalents.length ? ` (${rule.meta.equivalents.map((e) => code(e)).join(', ')})` : '';
  return `**${rule.meta.id}**${eq}: ${rule.meta.title}\n\n${rule.meta.docs.rationale}`;
}

const PRAGMA_RE = /^(\s*(?:hadolint|dockwright)(?:\s+global)?\s+ignore\s*=|\s*check\s*=\s*skip\s*=)(.*)$/i;

function pragmaHover(c: Comment, offset: number): HoverResult | undefined {
  const m = PRAGMA_RE.exec(c.text);
  if (!m) return undefined;
  const listStart = c.range.start + 1 + m[1].length;
  if (offset < listStart) return undefined;
  const id = idAt(m[2], offset - listStart);
  if (!id) return undefined;
  const contents = ruleHover(id.id);
  return contents ? { contents, range: { start: listStart + id.start, end: listStart + id.end } } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Flags

function flagHover(analysis: Analysis, ins: Instruction, target: Instruction, f: Flag, offset: number): HoverResult | undefined {
  const spec = INSTRUCTION_BY_NAME.get(target.keyword);
  const flagSpec = spec?.flags.find((x) => x.name === f.name);
  const model = analysis.model;
  const flagDoc = (): HoverResult | undefined =>
    flagSpec && spec
      ? { contents: `**--${f.name}** (${spec.name})\n\n${flagSpec.doc}${flagSpec.since ? `\n\nNeeds \`# syntax=docker/dockerfile:${flagSpec.since}\` or later.` : ''}`, range: f.range }
      : undefined;
  if (!f.valueRange || offset < f.valueRange.start || !flagSpec) return flagDoc();
  const value = f.value ?? '';
  switch (f.name) {
    case 'mount': {
      const m = parseMount(target, f);
      for (const o of m.options) {
        if (!within(o.range, offset)) continue;
        const type = MOUNT_TYPES[m.type];
        if (o.key === 'type') {
          const t = MOUNT_TYPES[(o.value ?? '').toLowerCase()];
          return { contents: t ? `**${o.value}** mount\n\n${t.doc}\n\nOptions: ${t.options.map((x) => code(x.name)).join(', ')}` : `Unknown mount type ${code(o.value ?? '')}.`, range: o.range };
        }
        const opt = type?.options.find((x) => x.name === o.key || x.aliases?.includes(o.key));
        if (opt?.name === 'from' && o.value !== undefined && o.valueRange && offset >= o.valueRange.start) {
          const r = targetHover(model, model.fromTarget(ins, o.value, o.range), o.value);
          if (r) return { contents: r, range: o.valueRange };
        }
        if (opt) return { contents: `**${opt.name}** (${m.type} mount)${opt.aliases ? `, alias ${opt.aliases.map(code).join(', ')}` : ''}\n\n${opt.doc}${opt.values ? `\n\nValues: ${opt.values.map(code).join(', ')}` : ''}`, range: o.range };
        return { contents: `${code(o.key)} is not an option of ${m.type} mounts.`, range: o.range };
      }
      return flagDoc();
    }
    case 'network':
    case 'security': {
      const docs = f.name === 'network' ? NETWORK_DOCS : SECURITY_DOCS;
      const doc = docs[value];
      return doc ? { contents: `**--${f.name}=${value}**\n\n${doc}`, range: f.valueRange } : flagDoc();
    }
    case 'from': {
      if (target.keyword !== 'COPY') return flagDoc();
      const t = model.copyFrom(ins);
      const r = t ? targetHover(model, t, model.expandFlag(ins, f)) : undefined;
      return r ? { contents: r, range: f.valueRange } : flagDoc();
    }
    case 'platform': {
      if (!value.includes('$')) return flagDoc();
      const expanded = target.keyword === 'FROM' ? model.stageOf(ins)?.platform : undefined;
      const text = expanded && !expanded.unresolved ? `Expands to ${code(expanded.expanded)}.` : 'Set at build time by the builder or a build argument.';
      return { contents: `**--platform** ${code(value)}\n\n${text}`, range: f.valueRange };
    }
    default:
      return flagDoc();
  }
}

// ---------------------------------------------------------------------------------------------
// Stages and images

function lineOf(model: SemanticModel, offset: number): number {
  return lineIndexOf(model.ast).lineAt(offset) + 1;
}

function stageHover(model: SemanticModel, st: Stage): string {
  let from = model.ast.text.slice(st.from.range.start, st.from.range.end).replace(/\\\r?\n\s*/g, ' ');
  if (from.length > 200) from = from.slice(0, 197) + '...';
  const name = st.nameRaw ? ` ${code(st.nameRaw)}` : '';
  return `**Stage ${st.index}**${name}, line ${lineOf(model, st.from.range.start)}:\n\n\`\`\`dockerfile\n${from}\n\`\`\``;
}

/** The parts of an image reference as a short list. */
export function imageRefMarkdown(ref: ImageRef): string {
  const lines = [`- registry: ${code(ref.registry)}`, `- repository: ${code(ref.repository)}`];
  if (ref.tag) lines.push(`- tag: ${code(ref.tag)}`);
  else if (!ref.digest) lines.push('- tag: `latest` (implied)');
  if (ref.digest) lines.push(`- digest: ${code(ref.digest)}`);
  return lines.join('\n');
}

function imageHover(ref: ImageRef, raw: string): string {
  const expands = raw !== ref.raw ? `\n\nExpands to ${code(ref.raw)}.` : '';
  return `**Image** ${code(ref.familiar + (ref.tag ? ':' + ref.tag : '') + (ref.digest ? '@' + ref.digest : ''))}${expands}\n\n${imageRefMarkdown(ref)}`;
}

function baseHover(model: SemanticModel, base: BaseImage): string {
  if (base.stage) return stageHover(model, base.stage);
  if (base.scratch) return '**scratch**: the empty image. The stage starts with no files at all.';
  if (base.image) return imageHover(base.image, base.raw);
  if (base.unresolved) return `${code(base.raw)} depends on a build argument without a known value: it is resolved at build time.`;
  return `Invalid image reference ${code(base.expanded)}${base.error ? `: ${base.error}` : ''}.`;
}

function targetHover(model: SemanticModel, t: FromTarget, raw: string): string | undefined {
  switch (t.kind) {
    case 'stage':
      return stageHover(model, t.stage) + (t.self ? '\n\nThis is the current stage.' : t.later ? '\n\nThis stage comes later in the file.' : '');
    case 'image':
      return imageHover(t.ref, raw);
    case 'unresolved':
      return `${code(raw)} depends on a build argument: it is resolved at build time.`;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Variables

function declaredWhere(model: SemanticModel, d: VarDecl): string {
  if (!d.instruction) return 'defined by the builder';
  const scope = d.stage ? `stage ${d.stage.index}${d.stage.nameRaw ? ` (${d.stage.nameRaw})` : ''}` : 'global scope';
  return `declared by \`${d.kind}\` on line ${lineOf(model, d.instruction.range.start)}, ${scope}`;
}

function valueLine(d: VarDecl): string {
  if (d.kind === 'builtin') return `defined by the builder: ${PLATFORM_ARGS[d.name] ?? 'a predefined build argument'}`;
  if (d.value !== undefined) return `= ${code(d.value)}`;
  if (d.kind === 'ARG') return d.global?.kind === 'builtin' ? 'defined by the builder' : 'no default value: set with `--build-arg`';
  return 'value known only at build time';
}

function variableHover(model: SemanticModel, ref: VarRef): string {
  const d = ref.decl;
  const head = `**${ref.name}**`;
  if (!d) {
    if (PROXY_ARGS.includes(ref.name)) return `${head}: predefined proxy build argument, passed to \`RUN\` when set with \`--build-arg\`.`;
    if (isPredefinedArg(ref.name)) return `${head}: defined by the builder, but not declared here: add \`ARG ${ref.name}\` to this stage to use it.`;
    if (!ref.byBuilder) return `${head}: not defined by \`ARG\` or \`ENV\` here; only the shell can set it when the command runs.`;
    return `${head}: not defined here, so it expands to an empty string.`;
  }
  const lines = [`${head} ${valueLine(d)}`];
  if (d.kind !== 'builtin') lines.push(`${capitalize(declaredWhere(model, d))}.`);
  if (d.global && d.global.kind === 'ARG' && d.global.instruction) lines.push(`Default from the global \`ARG\` on line ${lineOf(model, d.global.instruction.range.start)}.`);
  if (ref.modifier) lines.push(`Used with the modifier ${code(ref.modifier)}.`);
  return lines.join('\n\n');
}

function declarationHover(model: SemanticModel, d: VarDecl): string {
  const lines = [`**${d.name}** ${valueLine(d)}`, `${capitalize(declaredWhere(model, d))}.`];
  if (d.global && d.global.instruction) {
    const def = d.global.value !== undefined ? `default ${code(d.global.value)}` : 'no default';
    lines.push(`Re-declares the global \`ARG\` on line ${lineOf(model, d.global.instruction.range.start)} (${def}).`);
  }
  else if (d.global?.kind === 'builtin') lines.push(`Makes the builder's value available in this stage: ${describeValue(d.global)}.`);
  return lines.join('\n\n');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
