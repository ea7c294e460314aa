/** InvalidDefinitionDescription: BuildKit's (experimental) check of the description comments above ARG and FROM. */
import type { Comment, Instruction } from '../syntax/ast';
import { defineRule } from './types';
import { lineBreakOf, lineStartAt } from './util';

/** Our own and hadolint's suppression comments, and `# check=`: tool pragmas, not descriptions. */
const PRAGMA = /^(?:(?:hadolint|dockwright)\s+(?:global\s+)?ignore\s*=|check\s*=)/i;

export default defineRule({
  meta: {
    id: 'InvalidDefinitionDescription',
    title: 'Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`',
    category: 'buildkit',
    severity: 'warning',
    // Experimental (off by default) in BuildKit too.
    enabledByDefault: false,
    equivalents: ['buildkit:InvalidDefinitionDescription'],
    fixable: true,
    docs: {
      rationale:
        '`docker buildx build --call=outline` and `--call=targets` show the comment right above a FROM or ARG as its description when it starts with the stage or argument name. A comment there that does not start with the name is probably not meant as one. BuildKit keeps collecting comment lines across blank lines; only an instruction or a bare `#` line ends the block, so separate a comment that is not a description with a `#` line.',
      bad: '# a non-descriptive comment\nFROM alpine:3.20 AS base\n# another non-descriptive comment\nARG VERSION=1\n',
      good: '# base is a stage for compiling source\nFROM alpine:3.20 AS base\n# VERSION This is the version number.\nARG VERSION=1\n',
    },
  },
  check(ctx) {
    const directiveStarts = new Set(ctx.ast.directives.filter((d) => d.known).map((d) => d.range.start));
    const comments = ctx.ast.comments.filter((c) => !c.insideInstruction);
    let ci = 0;
    let prevEnd = 0;
    for (const ins of ctx.ast.instructions) {
      // BuildKit's PrevComment: the comment lines since the previous instruction, reset by a bare `#`.
      let block: { text: string; comment: Comment }[] = [];
      while (ci < comments.length && comments[ci].range.start < ins.range.start) {
        const c = comments[ci++];
        if (c.range.start < prevEnd || directiveStarts.has(c.range.start)) continue;
        const text = c.text.trim();
        if (text === '') block = [];
        else block.push({ text, comment: c });
      }
      prevEnd = ins.fullRange.end;
      const keys = definedNames(ins);
      const last = block[block.length - 1];
      if (!last || keys.length === 0 || PRAGMA.test(last.text)) continue;
      if (keys.includes(last.text.split(' ')[0])) continue;
      const example = keys.length > 1 ? '<arg_key>' : keys[0];
      const at = lineStartAt(ctx.text, ins.range.start);
      ctx.report(
        last.comment.range,
        `Comment for ${ins.keyword} should follow the format: \`# ${example} <description>\`. If it is not a description, put a bare \`#\` line between it and the ${ins.keyword} (a blank line is not enough).`,
        { fixes: [{ title: 'Separate the comment with a bare # line', edits: [{ range: { start: at, end: at }, newText: '#' + lineBreakOf(ctx.text) }], preferred: true }] },
      );
    }
  },
});

/** Names an instruction defines for `--call=outline`: the stage name of a FROM, the keys of an ARG. */
function definedNames(ins: Instruction): string[] {
  if (ins.keyword === 'FROM') return ins.args.length === 3 && ins.args[1].value.toLowerCase() === 'as' ? [ins.args[2].value.toLowerCase()] : [];
  if (ins.keyword === 'ARG') return (ins.pairs ?? []).map((p) => p.key);
  return [];
}
