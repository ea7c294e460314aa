/**
 * ContextNotIgnored: `COPY . .` (or ADD, or a source folder) sends folders the image does not need (.git,
 * node_modules, virtualenvs, build outputs, caches) because there is no .dockerignore, or the .dockerignore
 * does not exclude them. Says how many files and bytes go to the builder; the fix creates or extends the
 * .dockerignore (an edit of another file: `Fix.fileEdits`). Needs the scanned context; quiet without it.
 */
import type { ContextHeavyDir, Fix, RuleContext } from './types';
import { defineRule } from './types';
import { contextSources } from '../features/cache-graph';
import { formatBytes, formatCount, formatFilesBytes, hasWildcard, normalizeSource } from '../features/context-files';
import { contextCopy } from './cache-helpers';

const KIND_TEXT: Record<ContextHeavyDir['kind'], string> = {
  vcs: 'version control data',
  dependencies: 'installed dependencies',
  virtualenv: 'a virtualenv',
  'build-output': 'build output',
  cache: 'tool caches',
};

export default defineRule({
  meta: {
    id: 'ContextNotIgnored',
    title: 'Build context not trimmed by .dockerignore',
    category: 'cache',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'Everything `COPY . .` can see is sent to the builder on every build, and its content is part of that step\'s cache key. Without a .dockerignore (or with one that misses them), .git, node_modules, virtualenvs, build outputs and tool caches travel with every build, and any change inside them (a commit, an `npm install` on the host, a rebuilt dist) re-runs the COPY and everything after it. Host-installed dependencies can also shadow the ones built in the image. Exclude them in .dockerignore; the fix creates or extends it with the folders found in the context. The rule needs the build context on disk and is quiet without it.',
      bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\n',
      good: 'FROM node:20-slim\nWORKDIR /app\nCOPY src/ ./src/\n',
    },
  },
  check(ctx) {
    const context = ctx.context;
    const files = context?.files;
    if (!context || !files) return;
    const model = ctx.model;
    // Folders a COPY names on purpose (`COPY dist/ /usr/share/nginx/html`) must stay in the context.
    const wanted: string[] = [];
    for (const ins of ctx.ast.instructions) for (const s of contextSources(model, ins)) if (s.source !== '.') wanted.push(s.source);
    for (const stage of model.stages) {
      for (const ins of stage.instructions) {
        const cc = contextCopy(model, ins);
        if (!cc) continue;
        for (const src of cc.sources) {
          let source = normalizeSource(src.value);
          if (source === '*') source = '.';
          else if (hasWildcard(source) || (source !== '.' && !(files.hasDir(source) && !files.has(source)))) continue;
          const inside = (p: string) => source === '.' || p === source || p.startsWith(source + '/');
          const heavy = files
            .heavyDirs()
            .filter((h) => !h.excluded && inside(h.path) && !wanted.some((w) => w === h.path || w.startsWith(h.path + '/')))
            .sort((a, b) => b.bytes - a.bytes);
          const noIgnore = context.hasDockerignore === false;
          if (heavy.length === 0 && !noIgnore) continue;
          if (heavy.length === 0 && source !== '.') continue;
          const total = files.match(source);
          const at = files.truncated !== undefined;
          const what = source === '.' ? 'the whole build context' : `the ${source} folder`;
          const sent = formatFilesBytes(total.files, total.bytes, at);
          const list = heavy.slice(0, 4).map((h) => `${h.path} (${KIND_TEXT[h.kind]}: ${formatCount(h.files)} file${h.files === 1 ? '' : 's'}, ${formatBytes(h.bytes)})`);
          if (heavy.length > 4) list.push(`${heavy.length - 4} more`);
          const named = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}` : list[0];
          let message: string;
          if (noIgnore) {
            message = heavy.length > 0
              ? `${ins.keyword} ${src.value} sends ${what}, and there is no .dockerignore: ${sent} go to the builder on every build, including ${named}. A change in them re-runs this step and everything after it.`
              : `${ins.keyword} ${src.value} sends ${what}, and there is no .dockerignore: ${sent} go to the builder on every build. Add a .dockerignore so that files the image does not need stay out.`;
          } else {
            message = `${ins.keyword} ${src.value} sends ${what}, ${sent}, and .dockerignore does not exclude ${named}. They go to the builder on every build, and a change in them re-runs this step and everything after it.`;
          }
          const f = ignoreFix(ctx, heavy, noIgnore);
          ctx.report(src.word.range, message, { fixes: f ? [f] : [], severity: heavy.length === 0 ? 'info' : undefined });
        }
      }
    }
  },
});

/** Creates the .dockerignore, or appends the missing folders to it. */
function ignoreFix(ctx: RuleContext, heavy: readonly ContextHeavyDir[], create: boolean): Fix | undefined {
  const file = ctx.context?.dockerignore;
  if (!file) return undefined;
  const patterns = [...new Set(heavy.map((h) => h.pattern))];
  const bytes = heavy.reduce((n, h) => n + h.bytes, 0);
  if (create) {
    const lines = ['# Not sent to the builder: the image does not need these, and changes in them would bust the cache.'];
    if (!patterns.includes('.git')) lines.push('.git');
    lines.push(...patterns);
    const text = lines.join('\n') + '\n';
    return { title: `Create .dockerignore excluding ${patterns.length > 0 ? patterns.join(', ') : '.git'}`, edits: [], preferred: false, fileEdits: [{ path: file.path, create: true, text }] };
  }
  if (file.text === undefined || patterns.length === 0) return undefined;
  const current = file.text;
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  const added = `${sep}\n# Added by Dockwright: ${formatBytes(bytes)} the image does not need.\n${patterns.join('\n')}\n`;
  return {
    title: `Add ${patterns.join(', ')} to .dockerignore`,
    edits: [],
    preferred: false,
    fileEdits: [{ path: file.path, edits: [{ range: { start: current.length, end: current.length }, newText: added }], text: current }],
  };
}
