/** WgetProgress (hadolint DL3047): wget without `--progress` (or `-q`/`-nv`) fills build logs. */
import { commandName } from '../semantic/packages';
import type { ShCommand, ShWord } from '../shell/types';
import type { Stage } from '../semantic/model';
import { defineRule, type Fix } from './types';
import { baseChain, runScripts } from './util';

/** GNU wget short options that take a value. */
const VALUE_SHORTS = 'oaeOPtTwQUiBDIXYl';

/** Whether wget is told how to report progress, or to be quiet: --progress, -q, -nv, -o/-a (log file). */
function quietEnough(words: readonly ShWord[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    if (v === '--') break;
    if (v.startsWith('--')) {
      const name = v.slice(2).split('=')[0];
      if (['progress', 'quiet', 'no-verbose', 'output-file', 'append-output'].includes(name)) return true;
      continue;
    }
    if (!v.startsWith('-') || v.length < 2) continue;
    if (v === '-nv') return true;
    if (v.startsWith('-n')) continue;
    for (let k = 1; k < v.length; k++) {
      const letter = v[k];
      if (letter === 'q' || letter === 'o' || letter === 'a') return true;
      if (VALUE_SHORTS.includes(letter)) {
        if (k === v.length - 1) i++;
        break;
      }
    }
  }
  return false;
}

function wgetWord(cmd: ShCommand): ShWord | undefined {
  if (commandName(cmd) !== 'wget' || !cmd.name) return undefined;
  return [cmd.name, ...cmd.args].find((w) => w.value.replace(/^.*\//, '') === 'wget');
}

/** Busybox wget (Alpine, BusyBox images) has no --progress: suggest -q there. */
function busyboxLikely(stage: Stage | undefined): boolean {
  if (!stage) return false;
  const chain = baseChain(stage);
  const root = chain[chain.length - 1];
  const name = root.base.expanded.toLowerCase();
  return /(^|\/)(alpine|busybox)(:|@|$)/.test(name) || /:[^/]*alpine/.test(name);
}

export default defineRule({
  meta: {
    id: 'WgetProgress',
    title: 'wget without --progress',
    category: 'best-practice',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3047'],
    fixable: true,
    docs: {
      rationale:
        'Without a terminal, wget prints a progress dot line for every few kilobytes: downloading a large file writes thousands of lines into the build log. Use `--progress=dot:giga`, or `-q`/`-nv` (Busybox wget, as in Alpine, only knows `-q`).',
      bad: 'FROM debian:12-slim\nRUN wget https://example.com/tool.tar.gz\n',
      good: 'FROM debian:12-slim\nRUN wget --progress=dot:giga https://example.com/tool.tar.gz\n',
    },
  },
  check(ctx) {
    const busyboxByStage = new Map<Stage | undefined, boolean>();
    for (const { ins, scripts } of runScripts(ctx.model)) {
      const stage = ctx.model.stageOf(ins);
      let busybox = busyboxByStage.get(stage);
      for (const script of scripts) {
        for (const cmd of script.script.commands) {
          const w = wgetWord(cmd);
          if (!w) continue;
          if (busybox === undefined) busyboxByStage.set(stage, (busybox = busyboxLikely(stage)));
          const words = [cmd.name!, ...cmd.args];
          if (quietEnough(words.slice(words.indexOf(w) + 1))) continue;
          const at = script.toSource(w.end, w.end).start;
          const insert = (title: string, text: string, preferred: boolean): Fix => ({ title, edits: [{ range: { start: at, end: at }, newText: text }], preferred });
          const progress = insert('Add --progress=dot:giga', ' --progress=dot:giga', !busybox);
          const quiet = insert('Add -q', ' -q', busybox);
          ctx.report(script.toSource(w.start, w.end), `wget without --progress writes a line per few kilobytes to the build log. Use wget ${busybox ? '-q' : '--progress=dot:giga'}${busybox ? ' (Busybox wget has no --progress)' : ', -q or -nv'}.`, {
            fixes: script.exact ? (busybox ? [quiet, progress] : [progress, quiet]) : [],
          });
        }
      }
    }
  },
});
