/** A readable dump of the syntax tree: every node with its range as line:col and the text it covers. */
import type { DockerfileAst, Instruction, Span } from '../../server/src/core/syntax/ast';
import { LineIndex } from '../../server/src/core/text';

export function dumpAst(ast: DockerfileAst): string {
  const idx = new LineIndex(ast.text);
  const at = (s: Span | undefined): string => {
    if (!s) return '-';
    const a = idx.positionAt(s.start);
    const b = idx.positionAt(s.end);
    return `${a.line + 1}:${a.character + 1}-${b.line + 1}:${b.character + 1} ${JSON.stringify(ast.text.slice(s.start, s.end))}`;
  };
  const out: string[] = [`escape ${JSON.stringify(ast.escape)}`];
  for (const d of ast.directives) out.push(`directive ${d.name}${d.known ? '' : ' (unknown)'} = ${JSON.stringify(d.value)} value@${at(d.valueRange)}`);
  const dumpIns = (ins: Instruction, indent: string) => {
    out.push(`${indent}${ins.keyword} lines ${ins.startLine + 1}-${ins.endLine + 1} keyword@${at(ins.keywordRange)}`);
    for (const f of ins.flags) out.push(`${indent}  flag ${f.name}=${JSON.stringify(f.value)} @${at(f.range)}`);
    if (ins.json) out.push(`${indent}  json [${ins.json.items.map((w) => JSON.stringify(w.value)).join(', ')}] @${at(ins.json.range)}`);
    if (ins.shell) out.push(`${indent}  shell ${JSON.stringify(ins.shell.text)} @${at(ins.shell.range)}`);
    if (ins.pairs) for (const p of ins.pairs) out.push(`${indent}  pair ${JSON.stringify(p.key)}${p.hasEquals ? '=' : ' '}${JSON.stringify(p.value)} key@${at(p.keyRange)} value@${at(p.valueRange)}`);
    else if (!ins.trigger) for (const w of ins.args) out.push(`${indent}  arg ${JSON.stringify(w.value)} @${at(w.range)}`);
    for (const h of ins.heredocs) {
      out.push(`${indent}  heredoc ${JSON.stringify(h.name)} expand=${h.expand} chomp=${h.chomp} marker@${at(h.markerRange)} body=${JSON.stringify(h.body)} end@${at(h.terminatorRange)}`);
    }
    for (const e of ins.emptyContinuationLines) out.push(`${indent}  empty-continuation-line ${idx.positionAt(e.start).line + 1}`);
    if (ins.trigger) dumpIns(ins.trigger, indent + '  trigger ');
  };
  for (const ins of ast.instructions) dumpIns(ins, '');
  for (const c of ast.comments) out.push(`comment${c.insideInstruction ? ' (inside)' : ''} @${at(c.range)}`);
  for (const p of ast.problems) out.push(`problem ${p.code}: ${p.message} @${at(p.range)}`);
  return out.join('\n') + '\n';
}
