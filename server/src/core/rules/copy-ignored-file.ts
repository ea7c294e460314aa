/** CopyIgnoredFile: BuildKit's (experimental) check for COPY/ADD sources that .dockerignore excludes. */
import { expand } from '../semantic/expand';
import type { Instruction, Word } from '../syntax/ast';
import { defineRule, type RuleContext } from './types';
import { cleanPath } from './util';

const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i;

export default defineRule({
  meta: {
    id: 'CopyIgnoredFile',
    title: 'Attempting to Copy file that is excluded by .dockerignore',
    category: 'buildkit',
    severity: 'warning',
    // Experimental (off by default) in BuildKit too.
    enabledByDefault: false,
    equivalents: ['buildkit:CopyIgnoredFile'],
    fixable: false,
    docs: {
      rationale:
        'Files excluded by .dockerignore are not sent to the builder, so a COPY or ADD of one fails with "not found" (or, with a wildcard, silently copies nothing). Either the .dockerignore pattern or the source path is wrong. The check needs the build context (it is silent without one); like BuildKit it only looks at sources from the build context, not `COPY --from`, URLs or heredocs.',
      bad: '# .dockerignore: .env\nFROM node:20-alpine\nCOPY .env /app/.env\n',
      good: '# .dockerignore: .env\nFROM node:20-alpine\nCOPY .env.example /app/.env\n',
    },
  },
  check(ctx) {
    const context = ctx.context;
    if (!context?.isIgnored) return;
    for (const stage of ctx.model.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
        if (ins.keyword === 'COPY' && ins.flags.some((f) => f.name === 'from')) continue;
        for (const word of sources(ins)) checkSource(ctx, ins, word, context.isIgnored.bind(context));
      }
    }
  },
});

function sources(ins: Instruction): readonly Word[] {
  const words = ins.json ? ins.json.items : ins.args;
  return words.slice(0, -1).filter((w) => !w.value.startsWith('<<'));
}

function checkSource(ctx: RuleContext, ins: Instruction, word: Word, isIgnored: (path: string) => boolean): void {
  let value = word.value;
  if (!ins.json) {
    const scope = ctx.model.scopeAt(ins);
    let unknown = false;
    const ex = expand(value, (name) => {
      const d = scope.get(name);
      if (!d || d.value === undefined) unknown = true;
      return d?.value;
    }, ctx.ast.escape);
    if (ex.error || unknown) return;
    value = ex.words.join(' ');
  }
  if (REMOTE.test(value)) return;
  const cleaned = cleanPath(value);
  // The context root itself is never excluded as such (BuildKit only warns when every entry is).
  if (cleaned === '.' || cleaned === '/') return;
  const path = cleaned.replace(/^\/+/, '');
  if (path === '' || path.startsWith('../')) return;
  if (!isIgnored(path)) return;
  const verb = ins.keyword === 'COPY' ? 'COPY' : 'ADD';
  const effect = /[*?[]/.test(path) ? 'so nothing is copied for it' : 'so the build cannot find it';
  ctx.report(word.range, `${verb} source "${path}" is excluded by .dockerignore: it is not sent to the builder with the build context, ${effect}.`);
}
