/** UseraddHighUid (hadolint DL3046): `useradd -u <large UID>` without `-l` (`--no-log-init`). */
import { commandName } from '../semantic/packages';
import type { ShCommand, ShWord } from '../shell/types';
import type { Instruction } from '../syntax/ast';
import type { SemanticModel } from '../semantic/model';
import { defineRule } from './types';
import { runScripts } from './util';

/** useradd's short options that take a value. */
const VALUE_SHORTS = 'bcdefgGkKpPRsuZ';
const VALUE_LONGS = new Set(['base-dir', 'comment', 'home-dir', 'expiredate', 'inactive', 'gid', 'groups', 'skel', 'key', 'password', 'root', 'prefix', 'shell', 'uid', 'selinux-user', 'btrfs-subvolume-home']);

interface UseraddRead {
  readonly nameWord: ShWord;
  readonly noLogInit: boolean;
  /** The UID value and the word holding it. */
  readonly uid: { value: string; word: ShWord } | undefined;
}

function readUseradd(cmd: ShCommand): UseraddRead | undefined {
  if (commandName(cmd) !== 'useradd' || !cmd.name) return undefined;
  const words = [cmd.name, ...cmd.args];
  const at = words.findIndex((w) => w.value.replace(/^.*\//, '') === 'useradd');
  if (at === -1) return undefined;
  let noLogInit = false;
  let uid: UseraddRead['uid'];
  for (let i = at + 1; i < words.length; i++) {
    const v = words[i].value;
    if (v === '--') break;
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = v.slice(2, eq === -1 ? undefined : eq);
      if (name === 'no-log-init') noLogInit = true;
      let value: string | undefined;
      let word = words[i];
      if (eq !== -1) value = v.slice(eq + 1);
      else if (VALUE_LONGS.has(name) && i + 1 < words.length) {
        word = words[++i];
        value = word.value;
      }
      if (name === 'uid' && value !== undefined) uid = { value, word };
      continue;
    }
    if (!v.startsWith('-') || v.length < 2) continue;
    for (let k = 1; k < v.length; k++) {
      const letter = v[k];
      if (letter === 'l') noLogInit = true;
      if (!VALUE_SHORTS.includes(letter)) continue;
      let value: string;
      let word = words[i];
      if (k < v.length - 1) value = v.slice(k + 1);
      else if (i + 1 < words.length) {
        word = words[++i];
        value = word.value;
      } else break;
      if (letter === 'u') uid = { value, word };
      break;
    }
  }
  return { nameWord: words[at], noLogInit, uid };
}

/** A `$NAME`/`${NAME}` UID read from the ARG/ENV default visible to the RUN. */
function resolveUid(model: SemanticModel, ins: Instruction, value: string): string | undefined {
  if (/^\d+$/.test(value)) return value;
  const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(value);
  if (!m) return undefined;
  const v = model.scopeAt(ins).get(m[1] ?? m[2])?.value;
  return v !== undefined && /^\d+$/.test(v) ? v : undefined;
}

export default defineRule({
  meta: {
    id: 'UseraddHighUid',
    title: 'useradd with a high UID without -l',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3046'],
    fixable: true,
    docs: {
      rationale:
        'useradd records every user in /var/log/lastlog and faillog, sparse files indexed by UID; image layers do not keep files sparse, so a UID of 100000 or more adds tens of megabytes to the image (and a very large one can exhaust the disk). `-l` (`--no-log-init`) skips those records.',
      bad: 'FROM debian:12-slim\nRUN useradd -u 1000001 -m app\n',
      good: 'FROM debian:12-slim\nRUN useradd -l -u 1000001 -m app\n',
    },
  },
  check(ctx) {
    for (const { ins, scripts } of runScripts(ctx.model)) {
      for (const script of scripts) {
        for (const cmd of script.script.commands) {
          const u = readUseradd(cmd);
          if (!u || u.noLogInit || !u.uid) continue;
          const uid = resolveUid(ctx.model, ins, u.uid.value);
          if (uid === undefined || uid.replace(/^0+(?=\d)/, '').length <= 5) continue;
          const at = script.toSource(u.nameWord.end, u.nameWord.end).start;
          ctx.report(script.toSource(u.uid.word.start, u.uid.word.end), `useradd with UID ${uid} and without -l: the lastlog and faillog files grow with the UID and bloat the image. Add -l (--no-log-init).`, {
            fixes: script.exact ? [{ title: 'Add -l', edits: [{ range: { start: at, end: at }, newText: ' -l' }], preferred: true }] : [],
          });
        }
      }
    }
  },
});
