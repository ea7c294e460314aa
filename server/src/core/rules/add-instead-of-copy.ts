/** AddInsteadOfCopy: ADD used for plain local files and folders, where COPY says what happens (hadolint DL3020). */
import type { Instruction, Word } from '../syntax/ast';
import { defineRule, type RuleContext } from './types';
import { expandInScope, replaceFix } from './util';

/** hadolint's archive extensions: files ADD may unpack. */
export const ARCHIVE_EXTENSIONS = ['.tar', '.Z', '.bz2', '.gz', '.lz', '.lzma', '.tZ', '.tb2', '.tbz', '.tbz2', '.tgz', '.tlz', '.tpz', '.txz', '.xz'];

/** Flags only ADD has: their presence means ADD is wanted. */
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);

export default defineRule({
  meta: {
    id: 'AddInsteadOfCopy',
    title: 'ADD used for local files',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'error',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3020'],
    fixable: true,
    docs: {
      rationale:
        'ADD also downloads URLs and unpacks local tar archives, so a reader cannot tell what an ADD of local files does without knowing the files. COPY only copies: use it for files and folders, and keep ADD for URLs, Git sources and archives to extract.',
      bad: 'FROM python:3.12-slim\nADD requirements.txt /app/\n',
      good: 'FROM python:3.12-slim\nCOPY requirements.txt /app/\nADD https://example.com/data.tar.gz /data/\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword === 'ADD') checkAdd(ctx, ins, ins);
      else if (ins.trigger?.keyword === 'ADD') checkAdd(ctx, ins, ins.trigger);
    }
  },
});

type SourceKind = 'local' | 'archive' | 'remote' | 'unknown';

function checkAdd(ctx: RuleContext, outer: Instruction, ins: Instruction): void {
  const words: readonly Word[] = ins.json ? ins.json.items : ins.args;
  if (words.length < 2) return;
  if (ins.flags.some((f) => ADD_ONLY_FLAGS.has(f.name))) return;
  const sources = words.slice(0, -1);
  const kinds = sources.map((w) => {
    if (!ins.json && /^<<-?/.test(w.value)) return { word: w, kind: 'local' as SourceKind, value: w.value };
    const value = ins.json ? w.value : expandInScope(ctx.model, outer, w.value);
    return { word: w, kind: value === undefined ? 'unknown' : sourceKind(value), value: value ?? w.value };
  });
  const local = kinds.filter((k) => k.kind === 'local');
  if (local.length === 0) return;
  const names = local.map((k) => `"${k.value}"`).join(', ');
  const allLocal = local.length === kinds.length;
  const keyword = ins.keywordRaw === ins.keywordRaw.toLowerCase() ? 'copy' : 'COPY';
  const message = allLocal
    ? `ADD of local ${local.length === 1 ? 'path' : 'paths'} ${names}: use COPY, which only copies. Keep ADD for URLs and archives to extract.`
    : `ADD mixes local ${local.length === 1 ? 'path' : 'paths'} ${names} with URLs or archives: copy the local ones with a separate COPY.`;
  ctx.report(ins.keywordRange, message, {
    fixes: allLocal ? [replaceFix('Change ADD to COPY', ins.keywordRange, keyword)] : [],
  });
}

/** What ADD does with a source: download it, unpack it, or copy it. */
export function sourceKind(value: string): SourceKind {
  const v = value.replace(/^["']|["']$/g, '');
  if (/^https?:\/\//i.test(v)) return 'remote';
  // Git sources (BuildKit): git@host:repo, git://, ssh://.
  if (/^(git|ssh):\/\//i.test(v) || /^[\w.-]+@[\w.-]+:/.test(v)) return 'remote';
  if (ARCHIVE_EXTENSIONS.some((ext) => v.endsWith(ext))) return 'archive';
  return 'local';
}
