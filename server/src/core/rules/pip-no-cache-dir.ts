/** PipNoCacheDir (hadolint DL3042): pip install without `--no-cache-dir`. */
import { hasOption } from '../semantic/packages';
import type { Instruction } from '../syntax/ast';
import type { SemanticModel } from '../semantic/model';
import type { ShellScript } from '../shell/types';
import { defineRule } from './types';
import { cacheMountTargets, runPackageCommands } from './util';

const TRUTHY = ['1', 'true', 'on', 'yes'];

const isTruthy = (v: string | undefined): boolean => v !== undefined && TRUTHY.includes(v.trim().replace(/^["']|["']$/g, '').toLowerCase());

/** PIP_NO_CACHE_DIR set to a true value by ENV/ARG (this stage or the stages it builds on). */
const scriptDisablesCache = new WeakMap<ShellScript, boolean>();

/** A `PIP_NO_CACHE_DIR=<true>` anywhere in the script (its first occurrence decides): read once per script. */
function scriptDisables(script: ShellScript): boolean {
  let off = scriptDisablesCache.get(script);
  if (off === undefined) {
    const m = /PIP_NO_CACHE_DIR=(\S*)/.exec(script.text);
    scriptDisablesCache.set(script, (off = m !== null && isTruthy(m[1])));
  }
  return off;
}

function disabledByEnv(model: SemanticModel, ins: Instruction): boolean {
  return isTruthy(model.scopeAt(ins).get('PIP_NO_CACHE_DIR')?.value);
}

export default defineRule({
  meta: {
    id: 'PipNoCacheDir',
    title: 'pip install without --no-cache-dir',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3042'],
    fixable: true,
    docs: {
      rationale:
        'pip keeps every downloaded wheel in ~/.cache/pip; in an image that cache is never reused and only makes the layer bigger. Pass `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or mount a cache on ~/.cache/pip (`RUN --mount=type=cache,target=/root/.cache/pip`), which also speeds up rebuilds.',
      bad: 'FROM python:3.12-slim\nRUN pip install flask==3.0.3\n',
      good: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n',
    },
  },
  check(ctx) {
    for (const { ins, script, pc } of runPackageCommands(ctx.model)) {
      if (pc.manager !== 'pip' || pc.action !== 'install' || !pc.actionWord) continue;
      if (hasOption(pc, 'no-cache-dir')) continue;
      if (disabledByEnv(ctx.model, ins)) continue;
      if (cacheMountTargets(ins).some((t) => /(^|\/)\.cache(\/pip)?\/?$|pip/.test(t))) continue;
      if (pc.command.assignments.some((a) => a.value.startsWith('PIP_NO_CACHE_DIR=') && isTruthy(a.value.slice('PIP_NO_CACHE_DIR='.length)))) continue;
      if (scriptDisables(script.script)) continue;
      const w = pc.actionWord;
      const at = script.toSource(w.end, w.end).start;
      // `python -m pip install`: underline from `python`.
      const words = pc.command.name ? [pc.command.name, ...pc.command.args] : [];
      const ti = words.indexOf(pc.tool);
      const start = ti >= 2 && words[ti - 1].value === '-m' ? words[ti - 2].start : pc.tool.start;
      ctx.report(script.toSource(start, w.end), 'pip install without --no-cache-dir: the download cache stays in the layer. Add --no-cache-dir.', {
        fixes: script.exact ? [{ title: 'Add --no-cache-dir', edits: [{ range: { start: at, end: at }, newText: ' --no-cache-dir' }], preferred: true }] : [],
      });
    }
  },
});
