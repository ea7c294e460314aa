/** Human output for terminals (with colour when the stream is a TTY) and checkstyle XML. */
import type { PlacedFinding } from './report';

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[90m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

export function formatTty(findings: readonly PlacedFinding[], fileCount: number, color: boolean): string {
  const c = (k: keyof typeof COLORS, s: string) => (color ? COLORS[k] + s + COLORS.reset : s);
  const out: string[] = [];
  let current = '';
  for (const f of findings) {
    if (f.file !== current) {
      if (current) out.push('');
      out.push(c('bold', f.file));
      current = f.file;
    }
    const pos = `${f.line}:${f.column}`.padEnd(8);
    const sev = f.severity.padEnd(8);
    const eq = f.equivalents.length ? c('dim', ` (${f.equivalents.join(', ')})`) : '';
    out.push(`  ${c('dim', pos)}${c(f.severity, sev)}${f.message}  ${c('dim', f.rule)}${eq}`);
  }
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  if (findings.length) out.push('');
  const parts = (['error', 'warning', 'info', 'hint'] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}${counts[k] === 1 ? '' : k === 'info' ? '' : 's'}`);
  const fixable = findings.filter((f) => f.fixable).length;
  out.push(
    findings.length === 0
      ? `No problems in ${fileCount} file${fileCount === 1 ? '' : 's'}.`
      : `${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${fileCount} file${fileCount === 1 ? '' : 's'}${fixable ? `; ${fixable} with a fix in the editor` : ''}.`,
  );
  return out.join('\n') + '\n';
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

export function formatCheckstyle(findings: readonly PlacedFinding[], files: readonly string[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
  for (const file of files) {
    out.push(`  <file name="${xml(file)}">`);
    for (const f of findings.filter((x) => x.file === file)) {
      const sev = f.severity === 'hint' ? 'info' : f.severity;
      out.push(`    <error line="${f.line}" column="${f.column}" severity="${sev}" message="${xml(f.message)}" source="dockwright.${xml(f.rule)}"/>`);
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>');
  return out.join('\n') + '\n';
}
