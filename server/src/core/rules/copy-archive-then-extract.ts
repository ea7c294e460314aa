/**
 * CopyArchiveThenExtract: a tar archive COPY'd into the image and extracted by a later RUN of the same
 * stage, where ADD would extract it in one step (hadolint DL3010).
 */
import type { Instruction, Word } from '../syntax/ast';
import type { ShWord } from '../shell/types';
import type { SemanticModel } from '../semantic/model';
import { commandWords } from '../semantic/packages';
import { ARCHIVE_EXTENSIONS } from './add-instead-of-copy';
import { defineRule } from './types';
import { expandInScope, runScripts } from './util';

/** Decompressors hadolint counts as extracting. */
const DECOMPRESSORS = new Set(['unzip', 'gunzip', 'bunzip2', 'unlzma', 'unxz', 'zgz', 'uncompress', 'zcat', 'gzcat']);
/** Names that are tarballs (what ADD extracts), for decompressors that do not read tar themselves. */
const TARBALL = /\.(tar(\.[A-Za-z0-9]+)?|tgz|tbz2?|tb2|txz|tlz|tZ|tpz)$/;

interface Archive {
  readonly ins: Instruction;
  readonly word: Word;
  readonly value: string;
}

export default defineRule({
  meta: {
    id: 'CopyArchiveThenExtract',
    title: 'Archive copied, then extracted',
    category: 'image',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3010'],
    fixable: false,
    docs: {
      rationale:
        'A tar archive that is COPY\'d and then extracted by a RUN stays in the COPY layer for good, next to its extracted files. ADD extracts a local tar archive (plain, gzip, bzip2 or xz) into the destination directory in one step, without keeping the archive.',
      bad: 'FROM debian:12-slim\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n',
      good: 'FROM debian:12-slim\nADD app.tar.gz /opt/\n',
    },
  },
  check(ctx) {
    const runs = new Map(runScripts(ctx.model).map((r) => [r.ins, r.scripts]));
    for (const stage of ctx.model.stages) {
      const archives = new Map<string, Archive>();
      const reported = new Set<Archive>();
      for (const ins of stage.instructions) {
        if (ins.keyword === 'COPY' && !ins.flags.some((f) => f.name === 'from')) {
          for (const a of copiedArchives(ctx.model, ins)) archives.set(basename(a.value), a);
          continue;
        }
        const scripts = runs.get(ins);
        if (!scripts || ins.trigger || archives.size === 0) continue;
        for (const script of scripts) {
          for (const cmd of script.script.commands) {
            const words = commandWords(cmd);
            if (words.length === 0 || words[0].hasExpansion) continue;
            const name = basename(words[0].value);
            const args = words.slice(1);
            const tar = name === 'tar' && isTarExtract(args);
            if (!tar && !DECOMPRESSORS.has(name)) continue;
            for (const w of args) {
              if (w.value.startsWith('-')) continue;
              const a = archives.get(basename(w.value));
              if (!a || reported.has(a)) continue;
              if (!tar && !TARBALL.test(a.value)) continue;
              reported.add(a);
              ctx.report(
                a.word.range,
                `"${basename(a.value)}" is copied here, then extracted by ${name} in a later RUN: ADD extracts a local tar archive in one step, without keeping the archive in a layer.`,
                { related: [{ message: 'Extracted here', range: script.toSource(cmd.start, cmd.end) }] },
              );
            }
          }
        }
      }
    }
  },
});

/** The archives a COPY puts in the image: archive sources, or an archive-named destination file. */
function copiedArchives(model: SemanticModel, ins: Instruction): Archive[] {
  const words: readonly Word[] = ins.json ? ins.json.items : ins.args;
  if (words.length < 2) return [];
  const value = (w: Word): string | undefined => (ins.json ? w.value : expandInScope(model, ins, w.value));
  const dest = words[words.length - 1];
  const destValue = value(dest);
  if (destValue !== undefined && isArchive(destValue)) return [{ ins, word: dest, value: destValue }];
  const out: Archive[] = [];
  for (const w of words.slice(0, -1)) {
    if (!ins.json && w.value.startsWith('<<')) continue;
    const v = value(w);
    if (v !== undefined && isArchive(v)) out.push({ ins, word: w, value: v });
  }
  return out;
}

function isArchive(path: string): boolean {
  const p = path.replace(/^["']|["']$/g, '');
  return ARCHIVE_EXTENSIONS.some((ext) => p.endsWith(ext));
}

function basename(path: string): string {
  const p = path.replace(/^["']|["']$/g, '');
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

/** `tar -x...`, `tar --extract`/`--get`, or the old style `tar xzf file`. */
function isTarExtract(args: readonly ShWord[]): boolean {
  if (args.some((w) => w.value === '--extract' || w.value === '--get')) return true;
  if (args.some((w) => /^-[A-Za-z]*x/.test(w.value))) return true;
  const first = args[0]?.value ?? '';
  return /^[A-Za-z]*x[A-Za-z]*$/.test(first) && !first.startsWith('-');
}
