// Loads syntaxes/dockerfile.tmLanguage.json with vscode-textmate + vscode-oniguruma and
// tokenizes text. External grammars (source.shell) are not available here: their
// includes simply produce no inner tokens.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

export const ROOT_SCOPE = 'source.dockerfile.dockwright';

const repoRoot = path.resolve(__dirname, '..', '..');
export const GRAMMAR_PATH = path.join(repoRoot, 'syntaxes', 'dockerfile.tmLanguage.json');
const WASM_PATH = path.join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm');

export interface Token {
  text: string;
  /** Scopes from outermost to innermost, without the root scope. */
  scopes: string[];
}

export interface TokenizedLine {
  line: string;
  tokens: Token[];
}

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

async function createGrammar(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(WASM_PATH);
  const wasmBin = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
  await oniguruma.loadWASM(wasmBin);
  const onigLib: vsctm.IOnigLib = {
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  };
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve(onigLib),
    loadGrammar: async (scopeName: string) => {
      if (scopeName !== ROOT_SCOPE) return null; // e.g. source.shell: not available in tests
      const content = readFileSync(GRAMMAR_PATH, 'utf8');
      return vsctm.parseRawGrammar(content, GRAMMAR_PATH);
    },
  });
  const grammar = await registry.loadGrammar(ROOT_SCOPE);
  if (!grammar) throw new Error(`could not load ${GRAMMAR_PATH}`);
  return grammar;
}

export function loadGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= createGrammar();
  return grammarPromise;
}

/** Tokenizes a whole document, line by line, carrying the rule stack across lines. */
export async function tokenize(text: string): Promise<TokenizedLine[]> {
  const grammar = await loadGrammar();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  let stack: vsctm.StateStack = vsctm.INITIAL;
  const out: TokenizedLine[] = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, stack);
    if (r.stoppedEarly) throw new Error(`tokenization stopped early on line: ${line}`);
    const tokens: Token[] = r.tokens.map((t) => ({
      text: line.substring(t.startIndex, Math.min(t.endIndex, line.length)),
      scopes: t.scopes.filter((s) => s !== ROOT_SCOPE),
    }));
    out.push({ line, tokens: tokens.filter((t) => t.text.length > 0) });
    stack = r.ruleStack;
  }
  return out;
}

/**
 * Readable dump: each source line, then one `text => scopes` row per token.
 * Blank-only tokens without any scope are left out to keep the dump short.
 */
export function renderTokens(lines: TokenizedLine[]): string {
  const out: string[] = [];
  lines.forEach((l, i) => {
    out.push(`${String(i + 1).padStart(3, ' ')}: ${l.line}`);
    for (const t of l.tokens) {
      if (t.scopes.length === 0 && /^\s*$/.test(t.text)) continue;
      out.push(`      ${JSON.stringify(t.text)} => ${t.scopes.join(' ') || '(none)'}`);
    }
  });
  return out.join('\n') + '\n';
}

/** The scopes of the first token whose text is exactly `text` on line `lineIndex` (0-based). */
export function scopesOf(lines: TokenizedLine[], lineIndex: number, text: string): string[] {
  const line = lines[lineIndex];
  if (!line) throw new Error(`no line ${lineIndex}`);
  const tok = line.tokens.find((t) => t.text === text);
  if (!tok) {
    const seen = line.tokens.map((t) => JSON.stringify(t.text)).join(', ');
    throw new Error(`no token ${JSON.stringify(text)} on line ${lineIndex}: ${seen}`);
  }
  return tok.scopes;
}
