/**
 * Edits that suppress a finding: a `# dockwright ignore=<id>` comment above its instruction, or a
 * `# dockwright global ignore=<id>` comment for the whole file (after the parser directives, which must
 * stay first).
 */
import type { DockerfileAst } from '../syntax/ast';
import type { Finding, Fix } from '../rules/types';
import { instructionAt } from './selection';

function lineStartOf(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return nl + 1;
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function suppressFixes(ast: DockerfileAst, finding: Finding): Fix[] {
  const text = ast.text;
  const fixes: Fix[] = [];
  const ins = instructionAt(ast, finding.range.start);
  if (ins) {
    const start = lineStartOf(text, ins.range.start);
    const indent = /^[ \t]*/.exec(text.slice(start))![0];
    fixes.push({
      title: `Suppress ${finding.rule} for this instruction`,
      edits: [{ range: { start, end: start }, newText: `${indent}# dockwright ignore=${finding.rule}${eol(text)}` }],
    });
  }
  let at = 0;
  if (ast.directives.length > 0) {
    const last = ast.directives[ast.directives.length - 1];
    const nl = text.indexOf('\n', last.range.end);
    at = nl === -1 ? text.length : nl + 1;
  } else if (text.charCodeAt(0) === 0xfeff) at = 1;
  const prefix = at === text.length && at > 0 && !text.endsWith('\n') ? eol(text) : '';
  fixes.push({
    title: `Suppress ${finding.rule} in this file`,
    edits: [{ range: { start: at, end: at }, newText: `${prefix}# dockwright global ignore=${finding.rule}${eol(text)}` }],
  });
  return fixes;
}
