/**
 * Signature help: the syntax lines of the instruction at the cursor (from data/instructions.ts) with the
 * parameter being typed highlighted. Pure; reads the cached analysis through the shared cursor analysis.
 */
import type { Analysis } from '../analyze';
import { INSTRUCTION_BY_NAME, type InstructionSpec } from '../data/instructions';
import { cursorAt, type InstructionCursor } from './completion';

export interface ParameterInfo {
  /** Start and end offsets of the parameter in the signature label. */
  readonly label: readonly [number, number];
  /** Markdown. */
  readonly documentation?: string;
}

export interface SignatureInfo {
  readonly label: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly parameters: readonly ParameterInfo[];
}

export interface SignatureHelpResult {
  readonly signatures: readonly SignatureInfo[];
  readonly activeSignature: number;
  /** Index into the active signature's parameters. */
  readonly activeParameter: number;
}

type ParamKind = 'option' | 'positional';

interface Param {
  readonly start: number;
  readonly end: number;
  readonly kind: ParamKind;
  /** Words it takes (`[AS <name>]` takes two). */
  readonly words: number;
  /** The parameter may repeat (followed by `...`, or `[...]` ending in `...]`). */
  repeat: boolean;
}

interface ParsedSyntax {
  readonly label: string;
  readonly params: Param[];
  /** The exec (JSON array) form. */
  readonly json: boolean;
}

const cache = new Map<string, ParsedSyntax>();

/** Splits a usage line such as `COPY [OPTIONS] ["<src>", ... "<dest>"]` into parameters. */
function parseSyntax(label: string): ParsedSyntax {
  const hit = cache.get(label);
  if (hit) return hit;
  const params: Param[] = [];
  let i = label.indexOf(' ');
  let json = false;
  const push = (start: number, end: number, kind: ParamKind, words = 1) => params.push({ start, end, kind, words, repeat: false });
  while (i !== -1 && i < label.length) {
    while (label[i] === ' ') i++;
    if (i >= label.length) break;
    const start = i;
    let depth = 0;
    while (i < label.length && (depth > 0 || label[i] !== ' ')) {
      const ch = label[i];
      if (ch === '[' || ch === '<') depth++;
      else if (ch === ']' || ch === '>') depth--;
      i++;
    }
    const tok = label.slice(start, i);
    if (tok === '...') {
      if (params.length) params[params.length - 1].repeat = true;
    } else if (tok === '[OPTIONS]' || tok.startsWith('[--')) {
      push(start, i, 'option');
    } else if (tok.startsWith('[') && tok.includes('"')) {
      json = true;
      // Each quoted string of the array is a parameter; `...` between them repeats the previous one.
      const re = /"[^"]*"|\.\.\./g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(tok)) !== null) {
        if (m[0] === '...') {
          if (params.length) params[params.length - 1].repeat = true;
        } else push(start + m.index, start + m.index + m[0].length, 'positional');
      }
    } else {
      const words = tok.startsWith('[') ? tok.split(' ').length : 1;
      push(start, i, 'positional', words);
      if (tok.endsWith('...]')) params[params.length - 1].repeat = true;
    }
  }
  const parsed = { label, params, json };
  cache.set(label, parsed);
  return parsed;
}

/** Instructions whose arguments after the first word are free shell text. */
const SHELL_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

/** Signature help at `offset`, or undefined where the cursor is not in an instruction's arguments. */
export function signatureHelp(analysis: Analysis, offset: number): SignatureHelpResult | undefined {
  const c = cursorAt(analysis, offset);
  if (c.kind === 'keyword') {
    if (!c.onbuild) return undefined;
    return build(INSTRUCTION_BY_NAME.get('ONBUILD')!, 0, 0);
  }
  if (c.kind !== 'instruction') return undefined;
  const spec = INSTRUCTION_BY_NAME.get(c.keyword);
  if (!spec) return undefined;
  const argTokens = c.tokens.slice(c.flagCount);
  const first = argTokens[0]?.text ?? '';
  const jsonForm = c.tokens.length > c.flagCount && first.startsWith('[');
  const parsed = spec.syntax.map(parseSyntax);
  let active = parsed.findIndex((p) => p.json === jsonForm);
  if (c.keyword === 'HEALTHCHECK' && first.toUpperCase() === 'NONE' && c.argIndex > 0) active = parsed.findIndex((p) => p.label.includes('NONE'));
  if (active === -1) active = 0;
  const sig = parsed[active];

  // Which parameter: an option while typing a flag, else the positional slot of the current argument.
  if (c.inFlags && c.current.text.startsWith('-')) {
    const opt = sig.params.findIndex((p) => p.kind === 'option');
    return build(spec, active, opt === -1 ? 0 : opt);
  }
  let k: number;
  let total: number;
  if (jsonForm) {
    const args = c.prefix.slice(c.tokens[c.flagCount].start);
    let quotes = 0;
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '\\') i++;
      else if (args[i] === '"') quotes++;
    }
    k = Math.floor(quotes / 2);
    const target = c.ins.trigger ?? c.ins;
    total = Math.max(k + 1, target.json?.items.length ?? 0);
  } else {
    k = c.argIndex;
    if (SHELL_FORM.has(c.keyword) && k > 0) return undefined;
    if (c.keyword === 'HEALTHCHECK' && k > 1) return undefined;
    total = Math.max(k + 1, argCount(c));
  }
  return build(spec, active, slotOf(sig.params, k, total));
}

/** Arguments of the whole instruction (beyond the cursor too), for the "last argument" slots such as `<dest>`. */
function argCount(c: InstructionCursor): number {
  const target = c.ins.trigger ?? c.ins;
  if (c.keyword === 'ENV' || c.keyword === 'LABEL' || c.keyword === 'ARG') return target.pairs?.length ?? 0;
  return target.args.length;
}

function slotOf(params: readonly Param[], k: number, total: number): number {
  const positional = params.map((p, i) => ({ p, i })).filter((x) => x.p.kind === 'positional');
  if (positional.length === 0) return 0;
  const rep = positional.findIndex((x) => x.p.repeat);
  if (rep === -1 || rep === positional.length - 1) {
    // Expand multi-word parameters into slots; the last (or repeating) one takes any extra words.
    const slots: number[] = [];
    for (const x of positional) for (let w = 0; w < x.p.words; w++) slots.push(x.i);
    return slots[Math.min(k, slots.length - 1)];
  }
  // The repeating parameter takes at least one word; the parameters after it take the last words.
  const tail = positional.length - rep - 1;
  if (k <= rep) return positional[k].i;
  if (k >= total - tail && k - (total - tail) < tail) return positional[rep + 1 + (k - (total - tail))].i;
  return positional[rep].i;
}

function build(spec: InstructionSpec, activeSignature: number, activeParameter: number): SignatureHelpResult {
  const optionsDoc = spec.flags.length ? `Flags: ${spec.flags.map((f) => `\`--${f.name}\``).join(', ')}` : undefined;
  const signatures = spec.syntax.map((line) => {
    const p = parseSyntax(line);
    return {
      label: line,
      documentation: `${spec.summary}\n\n[Reference](${spec.url})`,
      parameters: p.params.map((x) => ({ label: [x.start, x.end] as const, documentation: x.kind === 'option' ? optionsDoc : undefined })),
    };
  });
  return { signatures, activeSignature, activeParameter };
}
