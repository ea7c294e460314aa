/** A finding placed in a file with 1-based line/column, the shape every CLI format starts from. */
import { LineIndex } from '../core/text';
import type { Analysis } from '../core/analyze';
import type { Finding, Rule, Severity } from '../core/rules/types';
import { bareEquivalents } from '../core/rules/registry';

export interface FileResult {
  readonly file: string;
  readonly analysis: Analysis | undefined;
  /** Set when the file could not be read or was skipped. */
  readonly error: string | undefined;
  readonly extra: readonly Finding[];
}

export interface PlacedFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly rule: string;
  readonly equivalents: string[];
  readonly message: string;
  readonly fixable: boolean;
}

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export function place(results: readonly FileResult[], rules: ReadonlyMap<string, Rule>): PlacedFinding[] {
  const out: PlacedFinding[] = [];
  for (const r of results) {
    if (!r.analysis) continue;
    const idx = new LineIndex(r.analysis.text, r.analysis.ast.lineStarts.length ? undefined : undefined);
    for (const f of [...r.extra, ...r.analysis.findings]) {
      const s = idx.positionAt(f.range.start);
      const e = idx.positionAt(f.range.end);
      const rule = rules.get(f.rule);
      out.push({
        file: r.file,
        line: s.line + 1,
        column: s.character + 1,
        endLine: e.line + 1,
        endColumn: e.character + 1,
        severity: f.severity,
        rule: f.rule,
        equivalents: rule ? bareEquivalents(rule) : [],
        message: f.message,
        fixable: f.fixes.length > 0,
      });
    }
  }
  return out;
}
