/**
 * Package-manager commands in shell scripts: which command runs which package manager, its action
 * (`install`, `add`, `update`, `clean`...), its options, and the packages it names, each with the exact
 * offsets of the package name so findings can underline `curl` in `curl=7.88.1-10`.
 *
 * Covers apt-get, apt, aptitude, apk, pip (and `python -m pip`), npm, gem, yum, dnf, microdnf and zypper.
 * Commands run through `sudo`, `env`, `command`, `exec`, `nice`, `nohup`, `time`, `eatmydata` or `xargs`
 * are recognised too. Words are the shell parser's (`../shell/types.ts`); every offset here is an offset
 * in the script text, which the caller maps to the Dockerfile with the script's `toSource`.
 *
 * `pinned` follows hadolint's version-pin check for each manager (DL3008, DL3013, DL3016, DL3018,
 * DL3028, DL3033/DL3041, DL3037), with the corrections listed at `pinnedFor`.
 *
 * Pure: no I/O. The API (exported names and fields) is shared by several rules: extend it, do not change it.
 */
import { memoOn } from '../memo';
import type { ShCommand, ShellScript, ShWord } from '../shell/types';

export type PackageManager = 'apt-get' | 'apt' | 'aptitude' | 'apk' | 'pip' | 'npm' | 'gem' | 'yum' | 'dnf' | 'microdnf' | 'zypper';

/** One option of a package-manager command. A short cluster (`-yqq`) gives one option per letter. */
export interface PackageOption {
  /** The word the option is written in. */
  readonly word: ShWord;
  /** Name without dashes and without `=value`: `no-install-recommends`, `y`, `t`. */
  readonly name: string;
  readonly long: boolean;
  /** `--name=value`, `-tvalue`, or the following word for options that take a value. */
  readonly value: string | undefined;
  /** The separate word holding the value (`-t bookworm-backports`), when the value is not attached. */
  readonly valueWord: ShWord | undefined;
  /** Written before the action word (a global option such as `zypper -n install`). */
  readonly beforeAction: boolean;
}

export type PackageKind =
  /** A package from a repository, by name (possibly with a version or release). */
  | 'name'
  /** A package file: `.deb`, `.rpm`, `.apk`, `.whl`, `.gem`, an npm or Python source tarball. */
  | 'file'
  /** A local directory or path (`.`, `./pkg`, `/src/app`). */
  | 'path'
  /** A plain URL (`https://...`). */
  | 'url'
  /** A version-control reference (`git+https://...`, `git://...`, `github:user/repo`, `user/repo`). */
  | 'vcs';

export interface PackageSpec {
  readonly word: ShWord;
  /** The word's value (quotes removed; expansions kept as written). */
  readonly value: string;
  /** The package as named, without its version part: `curl` in `curl=7.88.1-10`, `@types/node` in `@types/node@20`. */
  readonly name: string;
  /** Script offsets of `name`; the whole word when the name cannot be located exactly. */
  readonly nameStart: number;
  readonly nameEnd: number;
  /** The version (or release / constraint) part after the separator, when there is one. */
  readonly version: string | undefined;
  readonly kind: PackageKind;
  /** Pinned to a version as hadolint understands pinning for this manager. */
  readonly pinned: boolean;
  /** The word contains a shell expansion: what it names is only known when the build runs. */
  readonly dynamic: boolean;
}

export interface PackageCommand {
  readonly manager: PackageManager;
  readonly command: ShCommand;
  /** The word naming the manager: `apt-get`, `pip3`; for `python -m pip`, the `pip` word. */
  readonly tool: ShWord;
  /** Every word after `tool` (the manager's own arguments). */
  readonly words: readonly ShWord[];
  /**
   * The action, aliases resolved: `install` (also for `npm i`/`add`, `gem i`, `zypper in`, `yum groupinstall`,
   * `yum localinstall`, `dnf module install`), `add`, `update`, `upgrade`, `dist-upgrade` (`zypper dup`),
   * `clean` (`zypper cc`), `remove` (`zypper rm`), `uninstall`, `ci`... Undefined when there is none.
   */
  readonly action: string | undefined;
  /** The word holding the action (`install`, `in`, `groupinstall`; `install` in `module install`). */
  readonly actionWord: ShWord | undefined;
  /** yum/dnf/microdnf: `module` or `group` commands (`groupinstall` included); `local` for `localinstall`. */
  readonly scope: 'module' | 'group' | 'local' | undefined;
  readonly options: readonly PackageOption[];
  /** Positional words after the action (option values excluded; for gem, words after `--` excluded). */
  readonly operands: readonly ShWord[];
  /** The operands read as package specs; meaningful for install-like actions. */
  readonly packages: readonly PackageSpec[];
}

interface ManagerSpec {
  /** Short option letters that take a value. */
  readonly shortValue: string;
  /** Long options that take a value (as the next word when written without `=`). */
  readonly longValue: ReadonlySet<string>;
  /** Whether words after `--` are operands (true) or belong to something else (gem: build flags). */
  readonly operandsAfterDashes: boolean;
  readonly aliases: Readonly<Record<string, string>>;
}

const APT: ManagerSpec = {
  shortValue: 'otcaP',
  longValue: new Set(['option', 'target-release', 'default-release', 'config-file', 'host-architecture', 'build-profiles', 'solver', 'planner']),
  operandsAfterDashes: true,
  aliases: {},
};

const YUM: ManagerSpec = {
  shortValue: 'cdexR',
  longValue: new Set([
    'config', 'debuglevel', 'errorlevel', 'installroot', 'enablerepo', 'disablerepo', 'exclude', 'releasever', 'setopt', 'downloaddir', 'destdir',
    'color', 'randomwait', 'rpmverbosity', 'disableplugin', 'enableplugin', 'forcearch', 'repo', 'repoid', 'repofrompath', 'comment', 'advisory',
    'advisories', 'bz', 'cve', 'sec-severity', 'secseverity', 'platform-id',
  ]),
  operandsAfterDashes: true,
  aliases: {},
};

const SPECS: Readonly<Record<PackageManager, ManagerSpec>> = {
  'apt-get': APT,
  apt: APT,
  aptitude: { ...APT, shortValue: 'otcaPFwSO', longValue: new Set([...APT.longValue, 'display-format', 'width', 'sort', 'why', 'show-summary']) },
  apk: {
    shortValue: 'tXpQ',
    longValue: new Set(['virtual', 'repository', 'root', 'repositories-file', 'arch', 'cache-dir', 'keys-dir', 'cache-max-age', 'timeout', 'progress-fd']),
    operandsAfterDashes: true,
    aliases: {},
  },
  pip: {
    shortValue: 'bceifrtC',
    longValue: new Set([
      'abi', 'build', 'constraint', 'editable', 'extra-index-url', 'find-links', 'index-url', 'implementation', 'no-binary', 'only-binary',
      'platform', 'prefix', 'progress-bar', 'proxy', 'python-version', 'requirement', 'root', 'src', 'target', 'trusted-host', 'upgrade-strategy',
      'cert', 'client-cert', 'cache-dir', 'log', 'log-file', 'timeout', 'retries', 'exists-action', 'global-option', 'install-option',
      'config-settings', 'report', 'python', 'root-user-action', 'keyring-provider', 'use-feature', 'use-deprecated', 'group',
    ]),
    operandsAfterDashes: true,
    aliases: {},
  },
  npm: {
    shortValue: 'wC',
    longValue: new Set([
      'loglevel', 'registry', 'prefix', 'cache', 'userconfig', 'globalconfig', 'workspace', 'tag', 'omit', 'include', 'install-strategy', 'before',
      'otp', 'scope', 'location', 'save-prefix', 'proxy', 'https-proxy', 'ca', 'cafile', 'fetch-retries', 'fetch-timeout', 'maxsockets',
      'node-options', 'script-shell', 'shell', 'user-agent', 'auth-type', 'cpu', 'os', 'libc',
    ]),
    operandsAfterDashes: true,
    aliases: {
      i: 'install', in: 'install', ins: 'install', inst: 'install', insta: 'install', instal: 'install', isnt: 'install', isnta: 'install',
      isntal: 'install', isntall: 'install', add: 'install',
      'clean-install': 'ci', ic: 'ci', 'install-clean': 'ci', 'isntall-clean': 'ci',
      un: 'uninstall', remove: 'uninstall', rm: 'uninstall', r: 'uninstall', unlink: 'uninstall',
      up: 'update', upgrade: 'update', udpate: 'update',
    },
  },
  gem: {
    shortValue: 'vinspgP',
    longValue: new Set(['version', 'install-dir', 'bindir', 'source', 'http-proxy', 'platform', 'file', 'trust-policy', 'build-root', 'without', 'config-file']),
    operandsAfterDashes: false,
    aliases: { i: 'install' },
  },
  yum: YUM,
  dnf: YUM,
  microdnf: YUM,
  zypper: {
    shortValue: 'RcDCtrp',
    longValue: new Set(['root', 'config', 'reposd-dir', 'cache-dir', 'raw-cache-dir', 'solv-cache-dir', 'pkg-cache-dir', 'type', 'repo', 'from', 'download', 'plus-repo']),
    operandsAfterDashes: true,
    aliases: {
      in: 'install', rm: 'remove', up: 'update', dup: 'dist-upgrade', cc: 'clean', ref: 'refresh', si: 'source-install', ve: 'verify', se: 'search',
      if: 'info', lu: 'list-updates', lp: 'list-patches', pchk: 'patch-check', al: 'addlock', rl: 'removelock', ar: 'addrepo', rr: 'removerepo',
    },
  },
};

/** Command names of each manager (basename of the command word). */
function managerOf(name: string): PackageManager | undefined {
  switch (name) {
    case 'apt-get':
    case 'apt':
    case 'aptitude':
    case 'apk':
    case 'npm':
    case 'gem':
    case 'yum':
    case 'dnf':
    case 'microdnf':
    case 'zypper':
      return name;
    case 'dnf5':
    case 'dnf-3':
      return 'dnf';
    default:
      return /^pip(\d+(\.\d+)*)?$/.test(name) ? 'pip' : undefined;
  }
}

/** Options (taking a value) of the wrappers we look through. */
const WRAPPERS: Readonly<Record<string, string>> = {
  sudo: 'ughpCDrtUT',
  env: 'uCS',
  command: '',
  exec: 'a',
  nice: 'n',
  nohup: '',
  time: 'fo',
  eatmydata: '',
  xargs: 'adEILnPs',
};

function basename(value: string): string {
  const i = value.lastIndexOf('/');
  return i === -1 ? value : value.slice(i + 1);
}

// Commands are read by many rules: each command is read once per parse of its script (results are immutable),
// and the answers are kept on the command itself (core/memo.ts).
const UNWRAPPED = Symbol('unwrapped');
const PACKAGE_COMMAND = Symbol('packageCommand');
const packageCommandsCache = new WeakMap<ShellScript, readonly PackageCommand[]>();

/** The words of a command (name first), with wrappers such as `sudo -E` removed. */
function unwrap(cmd: ShCommand): readonly ShWord[] | undefined {
  return memoOn(cmd, UNWRAPPED, unwrapUncached);
}

function unwrapUncached(cmd: ShCommand): readonly ShWord[] | undefined {
  if (!cmd.name) return undefined;
  let words: readonly ShWord[] = [cmd.name, ...cmd.args];
  for (let guard = 0; guard < 4 && words.length > 0; guard++) {
    const first = words[0];
    if (first.hasExpansion) return words;
    const name = basename(first.value);
    // Own properties only: a command named `constructor` or `toString` is not a wrapper.
    const valueShorts = Object.hasOwn(WRAPPERS, name) ? WRAPPERS[name] : undefined;
    if (valueShorts === undefined) return words;
    if (name === 'command' && words[1] && /^-[vV]/.test(words[1].value)) return undefined;
    let i = 1;
    while (i < words.length) {
      const v = words[i].value;
      if (v === '--') {
        i++;
        break;
      }
      if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
        i++;
        continue;
      }
      if (!v.startsWith('-') || v === '-') break;
      if (v.startsWith('--')) {
        i++;
        continue;
      }
      // A short cluster: a value letter takes the rest of the word, or the next word.
      let consumedNext = false;
      for (let k = 1; k < v.length; k++) {
        if (valueShorts.includes(v[k])) {
          if (k === v.length - 1) consumedNext = true;
          break;
        }
      }
      i += consumedNext ? 2 : 1;
    }
    // `nice -10 cmd`, `time -p cmd` handled above; `xargs` may have no command (defaults to echo).
    words = words.slice(i);
  }
  return words.length > 0 ? words : undefined;
}

/**
 * Reads a command as a package-manager command, or returns undefined when it runs something else.
 * `python -m pip ...` is read as pip.
 */
export function packageCommand(cmd: ShCommand): PackageCommand | undefined {
  // Commands that are no package manager, python or wrapper are answered without a memo lookup.
  const first = cmd.name;
  if (!first || first.hasExpansion) return undefined;
  const base = basename(first.value);
  if (!managerOf(base) && !Object.hasOwn(WRAPPERS, base) && !base.startsWith('python')) return undefined;
  return memoOn(cmd, PACKAGE_COMMAND, readPackageCommand);
}

function readPackageCommand(cmd: ShCommand): PackageCommand | undefined {
  const words = unwrap(cmd);
  if (!words || words.length === 0 || words[0].hasExpansion) return undefined;
  const name = basename(words[0].value);
  let manager = managerOf(name);
  let toolIndex = 0;
  if (!manager && /^python(\d+(\.\d+)*)?$/.test(name)) {
    for (let i = 1; i + 1 < words.length; i++) {
      const v = words[i].value;
      if (v === '-m' && /^pip(\d+(\.\d+)*)?$/.test(words[i + 1].value)) {
        manager = 'pip';
        toolIndex = i + 1;
        break;
      }
      // Options of python itself that take a value; anything else non-option ends python's options.
      if (v === '-W' || v === '-X') {
        i++;
        continue;
      }
      if (!v.startsWith('-')) break;
    }
  }
  if (!manager) return undefined;
  return readCommand(cmd, manager, words[toolIndex], words.slice(toolIndex + 1));
}

/** Every package-manager command of a script, in source order. */
export function packageCommands(script: ShellScript): PackageCommand[] {
  let list = packageCommandsCache.get(script);
  if (!list) {
    const out: PackageCommand[] = [];
    for (const c of script.commands) {
      const p = packageCommand(c);
      if (p) out.push(p);
    }
    packageCommandsCache.set(script, (list = out));
  }
  // A copy: the result is the caller's.
  return [...list];
}

function readCommand(command: ShCommand, manager: PackageManager, tool: ShWord, words: readonly ShWord[]): PackageCommand {
  const spec = SPECS[manager];
  const options: PackageOption[] = [];
  const positional: ShWord[] = [];
  let dashes = false;
  let stopped = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const v = w.value;
    if (dashes) {
      if (spec.operandsAfterDashes) positional.push(w);
      continue;
    }
    if (v === '--') {
      dashes = true;
      if (!spec.operandsAfterDashes) stopped = true;
      if (stopped) break;
      continue;
    }
    const beforeAction = positional.length === 0;
    if (v.startsWith('--') && !w.hasExpansion) {
      const eq = v.indexOf('=');
      const optName = eq === -1 ? v.slice(2) : v.slice(2, eq);
      if (eq !== -1) {
        options.push({ word: w, name: optName, long: true, value: v.slice(eq + 1), valueWord: undefined, beforeAction });
      } else if (spec.longValue.has(optName) && i + 1 < words.length) {
        options.push({ word: w, name: optName, long: true, value: words[i + 1].value, valueWord: words[i + 1], beforeAction });
        i++;
      } else {
        options.push({ word: w, name: optName, long: true, value: undefined, valueWord: undefined, beforeAction });
      }
      continue;
    }
    if (v.startsWith('-') && v.length > 1 && !w.hasExpansion && !/^-\d/.test(v)) {
      let consumedNext = false;
      for (let k = 1; k < v.length; k++) {
        const letter = v[k];
        if (spec.shortValue.includes(letter)) {
          if (k < v.length - 1) {
            const rest = v.slice(k + 1);
            options.push({ word: w, name: letter, long: false, value: rest.startsWith('=') ? rest.slice(1) : rest, valueWord: undefined, beforeAction });
          } else if (i + 1 < words.length) {
            options.push({ word: w, name: letter, long: false, value: words[i + 1].value, valueWord: words[i + 1], beforeAction });
            consumedNext = true;
          } else {
            options.push({ word: w, name: letter, long: false, value: undefined, valueWord: undefined, beforeAction });
          }
          break;
        }
        options.push({ word: w, name: letter, long: false, value: undefined, valueWord: undefined, beforeAction });
      }
      if (consumedNext) i++;
      continue;
    }
    // A dynamic word before the action is most likely options (`apt-get $APT_OPTS install`): skip it.
    if (positional.length === 0 && w.hasExpansion) continue;
    positional.push(w);
  }

  let action: string | undefined;
  let actionWord: ShWord | undefined;
  let scope: PackageCommand['scope'];
  let operands: ShWord[] = [];
  if (positional.length > 0) {
    actionWord = positional[0];
    const first = actionWord.value;
    action = (Object.hasOwn(spec.aliases, first) ? spec.aliases[first] : undefined) ?? first;
    operands = positional.slice(1);
    if (manager === 'yum' || manager === 'dnf' || manager === 'microdnf') {
      if ((first === 'module' || first === 'group' || first === 'groups') && positional.length > 1) {
        scope = first === 'module' ? 'module' : 'group';
        actionWord = positional[1];
        action = actionWord.value;
        operands = positional.slice(2);
      } else if (first === 'groupinstall' || first === 'localinstall') {
        scope = first === 'groupinstall' ? 'group' : 'local';
        action = 'install';
      } else if (first === 'groupremove' || first === 'groupupdate') {
        scope = 'group';
        action = first.slice('group'.length);
      }
    }
  }
  const packages = operands.map((w) => packageSpec(manager, w, scope));
  return { manager, command, tool, words, action, actionWord, scope, options, operands, packages };
}

/** Whether the command has any of the named options (`'y'`, `'assumeyes'`...). */
export function hasOption(pc: PackageCommand, ...names: string[]): boolean {
  return pc.options.some((o) => names.includes(o.name));
}

/** The first option with one of the names. */
export function findOption(pc: PackageCommand, ...names: string[]): PackageOption | undefined {
  return pc.options.find((o) => names.includes(o.name));
}

/** The values of every option with one of the names (`-o A=1 -o B=2` gives both). */
export function optionValues(pc: PackageCommand, ...names: string[]): string[] {
  return pc.options.filter((o) => names.includes(o.name) && o.value !== undefined).map((o) => o.value as string);
}

// ---------------------------------------------------------------------------------------------
// Package specs

const PIP_VCS = /^(git|hg|svn|bzr)\+[a-z+]*:|^git:\/\//i;
const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;
const NPM_GIT = /^(git:\/\/|git\+(ssh|http|https|file):\/\/|github:|gitlab:|bitbucket:|gist:)/;

/** Reads one operand of a manager's command as a package spec. */
export function packageSpec(manager: PackageManager, word: ShWord, scope?: PackageCommand['scope']): PackageSpec {
  const value = word.value;
  const dynamic = word.hasExpansion;
  const r = classify(manager, value, scope);
  const nameEnd = r.nameLength ?? value.length;
  const offsets = valueOffsets(word);
  let nameStart = word.start;
  let nameEndOffset = word.end;
  if (offsets && nameEnd > 0) {
    nameStart = offsets[0];
    nameEndOffset = offsets[nameEnd - 1] + 1;
  }
  return {
    word,
    value,
    name: value.slice(0, nameEnd),
    nameStart,
    nameEnd: nameEndOffset,
    version: r.version,
    kind: r.kind,
    pinned: r.pinned,
    dynamic,
  };
}

interface Classified {
  readonly kind: PackageKind;
  readonly pinned: boolean;
  /** Length of the name part in the value; undefined for the whole value. */
  readonly nameLength: number | undefined;
  readonly version: string | undefined;
}

function splitAt(value: string, re: RegExp, from = 0): { nameLength: number | undefined; version: string | undefined } {
  re.lastIndex = 0;
  const m = re.exec(value.slice(from));
  if (!m || m.index + from === 0) return { nameLength: undefined, version: undefined };
  const at = m.index + from;
  return { nameLength: at, version: value.slice(at + m[0].length) };
}

/**
 * hadolint's pin check per manager, with these corrections:
 * - apt: `pkg/release` counts as pinned as in hadolint (a target release), `.deb` files too.
 * - pip: `.`/`..`/`./x`/`.[extra]` are local paths; `.zip`, `.tgz`, `.tar.bz2` are package files too;
 *   VCS means a `git+`/`hg+`/`svn+`/`bzr+` scheme (hadolint treated any name starting with `git` as VCS).
 * - npm: a git or GitHub `user/repo` reference pinned with `#<commit-ish>` counts as pinned.
 * - gem: `.gem` files count as pinned.
 * - yum/dnf/microdnf: hadolint's DL3041 check (`name-<version>` where the version part looks like a
 *   version), also for yum (DL3033 only looked for a `-`, so `python3-devel` passed); modules need `:stream`.
 */
function classify(manager: PackageManager, value: string, scope: PackageCommand['scope']): Classified {
  switch (manager) {
    case 'apt-get':
    case 'apt':
    case 'aptitude': {
      if (value.endsWith('.deb')) return { kind: 'file', pinned: true, nameLength: undefined, version: undefined };
      if (value.startsWith('/') || value.startsWith('./') || value.startsWith('../')) return { kind: 'path', pinned: true, nameLength: undefined, version: undefined };
      const s = splitAt(value, /[=/]/);
      return { kind: 'name', pinned: value.includes('=') || value.includes('/'), ...s };
    }
    case 'apk': {
      if (value.endsWith('.apk')) return { kind: 'file', pinned: true, nameLength: undefined, version: undefined };
      const s = splitAt(value, /[=~<>]+/);
      const at = value.indexOf('@');
      const nameLength = at > 0 && (s.nameLength === undefined || at < s.nameLength) ? at : s.nameLength;
      return { kind: 'name', pinned: value.includes('=') || value.includes('~'), nameLength, version: s.version };
    }
    case 'pip': {
      if (PIP_VCS.test(value)) {
        const rest = value.replace(/^[^:]+:\/\/[^/]*/, '');
        return { kind: 'vcs', pinned: rest.includes('@') || /@[^/]+$/.test(value), nameLength: undefined, version: undefined };
      }
      if (/\.(whl|tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/i.test(value)) return { kind: 'file', pinned: true, nameLength: undefined, version: undefined };
      if (URL_RE.test(value)) return { kind: 'url', pinned: true, nameLength: undefined, version: undefined };
      if (value === '.' || value === '..' || value.startsWith('./') || value.startsWith('../') || value.startsWith('/') || value.startsWith('.[') || value.startsWith('~/')) {
        return { kind: 'path', pinned: true, nameLength: undefined, version: undefined };
      }
      if (value.includes('/')) return { kind: 'path', pinned: true, nameLength: undefined, version: undefined };
      const s = splitAt(value, /\s*(===|==|~=|!=|>=|<=|>|<|@|;)/);
      const pinned = ['==', '>=', '<=', '>', '<', '!=', '~=', '==='].some((op) => value.includes(op));
      return { kind: 'name', pinned, ...s };
    }
    case 'npm': {
      if (NPM_GIT.test(value)) return { kind: 'vcs', pinned: value.includes('#'), nameLength: undefined, version: undefined };
      if (/\.(tar|tar\.gz|tgz)$/.test(value)) return { kind: 'file', pinned: true, nameLength: undefined, version: undefined };
      if (value.startsWith('/') || value.startsWith('./') || value.startsWith('../') || value.startsWith('~/') || value.startsWith('file:') || value === '.' || value === '..') {
        return { kind: 'path', pinned: true, nameLength: undefined, version: undefined };
      }
      if (URL_RE.test(value)) return { kind: 'url', pinned: false, nameLength: undefined, version: undefined };
      const scoped = value.startsWith('@');
      const slash = value.indexOf('/');
      const afterScope = scoped ? (slash === -1 ? value.length : slash) : 0;
      if (!scoped && slash > 0 && !value.slice(0, slash).includes('@')) {
        // GitHub shorthand `user/repo[#ref]`.
        return { kind: 'vcs', pinned: value.includes('#'), nameLength: undefined, version: undefined };
      }
      const at = value.indexOf('@', afterScope);
      if (at === -1) return { kind: 'name', pinned: false, nameLength: undefined, version: undefined };
      return { kind: 'name', pinned: true, nameLength: at, version: value.slice(at + 1) };
    }
    case 'gem': {
      if (value.endsWith('.gem')) return { kind: 'file', pinned: true, nameLength: undefined, version: undefined };
      const s = splitAt(value, /:/);
      return { kind: 'name', pinned: value.includes(':'), ...s };
    }
    case 'yum':
    case 'dnf':
    case 'microdnf': {
      if (value.endsWith('.rpm')) return { kind: 'file', pinned: true, nameLength: undefined, version: undefined };
      if (value.startsWith('/') || value.startsWith('./') || URL_RE.test(value)) return { kind: value.startsWith('/') || value.startsWith('.') ? 'path' : 'url', pinned: true, nameLength: undefined, version: undefined };
      if (scope === 'module') {
        const s = splitAt(value, /:/);
        return { kind: 'name', pinned: value.includes(':'), ...s };
      }
      return rpmVersion(value);
    }
    case 'zypper': {
      if (value.endsWith('.rpm')) return { kind: 'file', pinned: true, nameLength: undefined, version: undefined };
      const s = splitAt(value, /(>=|<=|=|>|<)/);
      return { kind: 'name', pinned: /[=<>]/.test(value), ...s };
    }
  }
}

/** `name-<version>` for rpm-based managers, as hadolint's DL3041 reads it. Expansions count as version text. */
function rpmVersion(value: string): Classified {
  const text = value.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\([^)]*\)|`[^`]*`/g, '0');
  const parts = text.split('-');
  const versionChar = /^[A-Za-z0-9.~^_:+]*$/;
  const pinned = parts.length > 1 && parts.slice(1).every((p) => versionChar.test(p)) && parts.slice(1).some((p) => /^[0-9]/.test(p));
  if (!pinned) return { kind: 'name', pinned: false, nameLength: undefined, version: undefined };
  // The name ends before the first `-` followed by a digit (`rpm-sign-4.16` is `rpm-sign`).
  const m = /-(?=[0-9$`])/.exec(value);
  if (!m) return { kind: 'name', pinned, nameLength: undefined, version: undefined };
  return { kind: 'name', pinned, nameLength: m.index, version: value.slice(m.index + 1) };
}

/**
 * For each character of `word.value`, its offset in the script, when the value is the raw text with
 * quotes and backslash escapes removed (expansions kept). Undefined when the mapping is not exact.
 */
export function valueOffsets(word: ShWord): number[] | undefined {
  const raw = word.raw;
  const out: number[] = [];
  let value = '';
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quote === "'") {
      if (ch === "'") quote = '';
      else {
        value += ch;
        out.push(word.start + i);
      }
      continue;
    }
    if (ch === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1];
      if (quote === '"' && !'$`"\\\n'.includes(n)) {
        value += ch;
        out.push(word.start + i);
        continue;
      }
      i++;
      if (n === '\n') continue;
      value += n;
      out.push(word.start + i);
      continue;
    }
    if (ch === quote) {
      quote = '';
      continue;
    }
    if (!quote && (ch === '"' || ch === "'")) {
      quote = ch;
      continue;
    }
    value += ch;
    out.push(word.start + i);
  }
  return value === word.value && out.length === value.length ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// Cleanup commands

/** What an `rm` command removes: its path operands, and whether it removes recursively. Undefined for other commands. */
export function rmTargets(cmd: ShCommand): { paths: string[]; recursive: boolean } | undefined {
  const words = unwrap(cmd);
  if (!words || words.length === 0 || basename(words[0].value) !== 'rm') return undefined;
  let recursive = false;
  let dashes = false;
  const paths: string[] = [];
  for (const w of words.slice(1)) {
    const v = w.value;
    if (!dashes && v === '--') {
      dashes = true;
      continue;
    }
    if (!dashes && v.startsWith('--')) {
      if (v === '--recursive') recursive = true;
      continue;
    }
    if (!dashes && v.startsWith('-') && v.length > 1) {
      if (/[rR]/.test(v)) recursive = true;
      continue;
    }
    paths.push(v);
  }
  return { paths, recursive };
}

/**
 * Whether `cmd` is an `rm` that recursively removes `dir` or its contents (`rm -rf /var/lib/apt/lists/*`,
 * `rm -r /var/lib/apt/lists`). `dir` is given without a trailing slash.
 */
export function removesDirectory(cmd: ShCommand, dir: string): boolean {
  const rm = rmTargets(cmd);
  if (!rm || !rm.recursive) return false;
  return rm.paths.some((v) => {
    const p = v.replace(/\/+$/, '');
    return p === dir || p.startsWith(dir + '/');
  });
}

/** The words of a command (name first) with wrappers (`sudo -E`, `env X=1`...) looked through. */
export function commandWords(cmd: ShCommand): readonly ShWord[] {
  return unwrap(cmd) ?? [];
}

/** The command's name with wrappers (`sudo`...) looked through, as a basename; undefined when dynamic. */
export function commandName(cmd: ShCommand): string | undefined {
  // Most commands run no wrapper: their name is their first word's (no memo lookup, no word list).
  const first = cmd.name;
  if (!first) return undefined;
  if (first.hasExpansion) return undefined;
  const base = basename(first.value);
  if (!Object.hasOwn(WRAPPERS, base)) return base;
  const words = unwrap(cmd);
  if (!words || words.length === 0 || words[0].hasExpansion) return undefined;
  return basename(words[0].value);
}
