/** textDocument/diagnostic (pull) and publishDiagnostics (push) from the cached analysis. */
import type { Diagnostic } from 'vscode-languageserver/node';
import { RULES } from '../../core/rules/index';
import type { Rule } from '../../core/rules/types';
import { allFindings, type DocumentAnalysis } from '../documents';
import { lineIndexFor, toDiagnostic } from '../convert';

const byId = new Map<string, Rule>(RULES.map((r) => [r.meta.id, r]));

export function diagnosticsOf(da: DocumentAnalysis): Diagnostic[] {
  const idx = lineIndexFor(da.analysis, da.analysis.text, da.analysis.ast.lineStarts);
  return allFindings(da).map((f, i) => toDiagnostic(idx, f, byId.get(f.rule), i, da.version));
}
