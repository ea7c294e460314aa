/** textDocument/codeAction: the fixes that travel with each finding, suppressions, and fix-all. */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import { suppressFixes } from '../../core/features/suppress';
import type { Fix, TextEdit } from '../../core/rules/types';
import { allFindings, type DocumentStore } from '../documents';
import { type FindingData, lineIndexFor, toCodeAction, toDiagnostic, toSpan } from '../convert';
import { imageHooks } from '../image-hooks';

export const FIX_ALL_KIND = CodeActionKind.SourceFixAll + '.dockwright';

export async function codeAction(store: DocumentStore, params: CodeActionParams): Promise<CodeAction[]> {
  const pending = store.analysis(params.textDocument.uri);
  if (!pending) return [];
  const da = await pending;
  const idx = lineIndexFor(da.analysis, da.analysis.text, da.analysis.ast.lineStarts);
  const findings = allFindings(da);
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const d of params.context.diagnostics) {
      if (d.source !== 'dockwright') continue;
      const data = d.data as FindingData | undefined;
      let finding = data && data.version === da.version ? findings[data.index] : undefined;
      if (!finding || finding.rule !== d.code) {
        // The diagnostic came from an older version: find the same finding by rule and position.
        const start = idx.offsetAt(d.range.start);
        finding = findings.find((f) => f.rule === d.code && f.range.start === start);
      }
      if (!finding) continue;
      for (const fix of finding.fixes) actions.push(toCodeAction(idx, params.textDocument.uri, fix, d));
      if (/^(AnalysisSkipped|ConfigError|InternalError)$/.test(finding.rule)) continue;
      for (const fix of suppressFixes(da.analysis.ast, finding)) {
        actions.push(toCodeAction(idx, params.textDocument.uri, { ...fix, preferred: false }, d));
      }
    }
  }
  if (wants(FIX_ALL_KIND) && (only?.some((k) => k.startsWith(CodeActionKind.SourceFixAll)) ?? false)) {
    const fix = fixAll(findings.map((f) => f.fixes.find((x) => x.preferred)).filter((f): f is Fix => f !== undefined));
    if (fix.edits.length > 0) actions.push(toCodeAction(idx, params.textDocument.uri, fix, undefined, FIX_ALL_KIND));
  } else if (!only && findings.some((f) => f.fixes.some((x) => x.preferred))) {
    const fix = fixAll(findings.map((f) => f.fixes.find((x) => x.preferred)).filter((f): f is Fix => f !== undefined));
    if (fix.edits.length > 1) actions.push(toCodeAction(idx, params.textDocument.uri, { ...fix, preferred: false }, undefined, FIX_ALL_KIND));
  }
  // Pinning image references to their digest, from the image module (handlers/images.ts) when registered.
  if (wants(CodeActionKind.RefactorRewrite)) {
    for (const fix of imageHooks(store)?.codeActions(da, toSpan(idx, params.range)) ?? []) {
      actions.push(toCodeAction(idx, params.textDocument.uri, fix, undefined, CodeActionKind.RefactorRewrite));
    }
  }
  void toDiagnostic;
  return actions;
}

/** Combines fixes whose edits do not overlap into one "fix all" action. */
export function fixAll(fixes: readonly Fix[]): Fix {
  const edits: TextEdit[] = [];
  for (const f of fixes) {
    if (f.edits.some((e) => edits.some((c) => e.range.start < c.range.end && c.range.start < e.range.end || (e.range.start === c.range.start && e.range.end === c.range.end)))) continue;
    edits.push(...f.edits);
  }
  return { title: 'Fix all auto-fixable Dockwright problems', edits, preferred: false };
}
