/**
 * The only place where core offsets become LSP positions and core findings become LSP objects.
 */
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  CreateFile,
  TextDocumentEdit,
  type WorkspaceEdit,
  Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  type Position,
  type Range,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { Span } from '../core/syntax/ast';
import { LineIndex } from '../core/text';
import type { Finding, Fix, Rule, Severity } from '../core/rules/types';
import { ruleDocUrl } from '../core/rules/docs-url';

const indexes = new WeakMap<object, LineIndex>();

/** A line index for a text, cached by the owner object (e.g. an analysis). */
export function lineIndexFor(owner: object, text: string, lineStarts?: readonly number[]): LineIndex {
  let idx = indexes.get(owner);
  if (!idx) {
    idx = new LineIndex(text, lineStarts);
    indexes.set(owner, idx);
  }
  return idx;
}

export function toRange(idx: LineIndex, span: Span): Range {
  return { start: idx.positionAt(span.start), end: idx.positionAt(span.end) };
}

export function toOffset(idx: LineIndex, pos: Position): number {
  return idx.offsetAt(pos);
}

export function toSpan(idx: LineIndex, range: Range): Span {
  return { start: idx.offsetAt(range.start), end: idx.offsetAt(range.end) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface FindingData {
  /** Index of the finding in the analysis, to find its fixes again. */
  readonly index: number;
  readonly version: number;
}

export function toDiagnostic(idx: LineIndex, f: Finding, rule: Rule | undefined, index: number, version: number): Diagnostic {
  const d: Diagnostic = {
    range: toRange(idx, f.range),
    severity: SEVERITY[f.severity],
    code: f.rule,
    source: 'dockwright',
    message: f.message,
    data: { index, version } satisfies FindingData,
  };
  const url = rule ? ruleDocUrl(rule) : undefined;
  if (url) d.codeDescription = { href: url };
  if (f.tags?.length) {
    d.tags = f.tags.map((t) => (t === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary));
  }
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ message: r.message, location: { uri: '', range: toRange(idx, r.range) } }));
  }
  return d;
}

export function toTextEdits(idx: LineIndex, fix: Fix): TextEdit[] {
  return fix.edits.map((e) => ({ range: toRange(idx, e.range), newText: e.newText }));
}

export function toCodeAction(idx: LineIndex, uri: string, fix: Fix, diagnostic: Diagnostic | undefined, kind: string = CodeActionKind.QuickFix): CodeAction {
  const action = CodeAction.create(fix.title, fix.fileEdits?.length ? withFileEdits(idx, uri, fix) : { changes: { [uri]: toTextEdits(idx, fix) } }, kind);
  if (diagnostic) action.diagnostics = [diagnostic];
  if (fix.preferred) action.isPreferred = true;
  return action;
}

/**
 * A fix that also edits other files (ContextNotIgnored creates or extends the .dockerignore, issue 6):
 * `documentChanges` with a CreateFile and TextDocumentEdits. Offsets of an existing file are converted with
 * its text as the fix saw it (`FileEdit.text`).
 */
function withFileEdits(idx: LineIndex, uri: string, fix: Fix): WorkspaceEdit {
  const changes: (TextDocumentEdit | CreateFile)[] = [];
  if (fix.edits.length > 0) changes.push(TextDocumentEdit.create({ uri, version: null }, toTextEdits(idx, fix)));
  for (const fe of fix.fileEdits ?? []) {
    const target = pathToFileURL(fe.path).href;
    if (fe.create) {
      changes.push(CreateFile.create(target, { overwrite: false, ignoreIfExists: true }));
      if (fe.text) changes.push(TextDocumentEdit.create({ uri: target, version: null }, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: fe.text }]));
      continue;
    }
    const fileIdx = new LineIndex(fe.text ?? '');
    changes.push(TextDocumentEdit.create({ uri: target, version: null }, (fe.edits ?? []).map((e) => ({ range: toRange(fileIdx, e.range), newText: e.newText }))));
  }
  return { documentChanges: changes };
}
