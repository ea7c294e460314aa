/**
 * A deterministic generator of realistic Dockerfiles for tests and benchmarks.
 *
 * Every file is meant to be one that BuildKit (docker/dockerfile:1) parses and accepts: ARGs used in
 * FROM are declared before the first FROM, stage names are lower-case and unique, `COPY --from`
 * names an earlier stage (or an image), JSON forms are arrays of strings, heredocs are terminated,
 * ports and durations are well-formed and each stage has at most one CMD/ENTRYPOINT/HEALTHCHECK.
 * Style warnings (unpinned packages, legacy `ENV key value`, mixed keyword casing...) do occur,
 * as they do in real repositories.
 *
 * Randomness comes from a seeded mulberry32 PRNG only; file i depends on (seed, i) alone, so
 * `generateCorpus(n)` is a prefix of `generateCorpus(m)` for n < m.
 */

export interface CorpusFile {
  readonly name: string;
  readonly text: string;
}

// ---------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: a small, fast 32-bit seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed and an index into a new 32-bit seed (splitmix-like). */
function mixSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

class Rng {
  private readonly f: () => number;
  constructor(seed: number) {
    this.f = mulberry32(seed);
  }
  next(): number {
    return this.f();
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.f() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.f() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.f() * xs.length)];
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.f() * total;
    for (const [v, w] of entries) {
      r -= w;
      if (r < 0) return v;
    }
    return entries[entries.length - 1][0];
  }
  /** Between min and max distinct elements, in random order. */
  some<T>(xs: readonly T[], min: number, max: number): T[] {
    const copy = [...xs];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.f() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.min(copy.length, this.int(min, max)));
  }
}

// ---------------------------------------------------------------------------------------------
// Writer: keeps track of stages and style, and formats instructions.

type Casing = 'upper' | 'lower' | 'mixed';
type ChainStyle = 'trailing' | 'leading';
type Family = 'debian' | 'alpine' | 'rhel' | 'distroless' | 'scratch' | 'windows';

interface Style {
  casing: Casing;
  chain: ChainStyle;
  indent: string;
  /** `# syntax=docker/dockerfile:1...` present: heredocs and mounts are used freely. */
  modern: boolean;
  /** Allow the occasional empty line inside a continuation (a BuildKit warning). */
  emptyContinuation: boolean;
  /** Comment lines inside RUN continuations. */
  innerComments: boolean;
  /** Comments before instructions. */
  chatty: boolean;
  /** Chance of an empty line before an instruction. */
  airy: number;
}

/** One command of a RUN chain: a single line, or a head followed by one argument per line. */
type Cmd = string | readonly string[];

interface RunOptions {
  readonly flags?: readonly string[];
  readonly comments?: readonly (string | undefined)[];
}

const ONE_PER_STAGE = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

class Writer {
  readonly directives: string[] = [];
  readonly header: string[] = [];
  readonly globals: string[] = [];
  readonly body: string[] = [];
  readonly globalArgs = new Set<string>();
  readonly stageNames: string[] = [];
  /** Some instruction has a heredoc. */
  heredocs = false;
  private stageOnce = new Set<string>();
  private stageIndex = -1;
  /** Variables (ARG/ENV) visible in the current stage. */
  vars = new Set<string>();
  private readonly stageVars: Set<string>[] = [];

  constructor(
    readonly rng: Rng,
    readonly style: Style,
  ) {}

  kw(keyword: string): string {
    switch (this.style.casing) {
      case 'upper':
        return keyword;
      case 'lower':
        return keyword.toLowerCase();
      default:
        return this.rng.pick([keyword, keyword, keyword.toLowerCase(), keyword[0] + keyword.slice(1).toLowerCase()]);
    }
  }

  line(s: string): void {
    this.body.push(s);
  }
  private maybeBlank(): void {
    if (this.style.airy > 0 && this.rng.chance(this.style.airy)) this.blank();
  }
  blank(): void {
    if (this.body.length > 0 && this.body[this.body.length - 1] !== '') this.body.push('');
  }
  comment(text: string, p = 1): void {
    if (this.style.chatty && this.rng.chance(p)) this.body.push(`# ${text}`);
  }

  /** An instruction; `more` are continuation lines (the previous line gets " \\"). */
  ins(keyword: string, rest: string, more: readonly string[] = []): void {
    if (ONE_PER_STAGE.has(keyword)) {
      if (this.stageOnce.has(keyword)) throw new Error(`generator bug: second ${keyword} in a stage`);
      this.stageOnce.add(keyword);
    }
    if (keyword !== 'FROM') this.maybeBlank();
    const all = [`${this.kw(keyword)} ${rest}`, ...more.map((m) => `${this.style.indent}${m}`)];
    all.forEach((l, i) => this.body.push(i < all.length - 1 ? `${l} \\` : l));
  }
  has(keyword: string): boolean {
    return this.stageOnce.has(keyword);
  }

  /** Declares a global ARG (before the first FROM). */
  globalArg(name: string, value?: string): string {
    if (!this.globalArgs.has(name)) {
      this.globalArgs.add(name);
      this.globals.push(`${this.kw('ARG')} ${value === undefined ? name : `${name}=${value}`}`);
    }
    return name;
  }

  arg(name: string, value?: string): void {
    this.ins('ARG', value === undefined ? name : `${name}=${value}`);
    this.vars.add(name);
  }

  /** ENV with one or more pairs; `legacy` writes `ENV KEY value` (single pair only). */
  env(pairs: readonly (readonly [string, string])[], opts: { legacy?: boolean; split?: boolean } = {}): void {
    if (opts.legacy && pairs.length === 1) {
      this.ins('ENV', `${pairs[0][0]} ${pairs[0][1]}`);
    } else if (opts.split || pairs.length > 2) {
      const ind = this.style.indent;
      const first = `${this.kw('ENV')} ${pairs[0][0]}=${pairs[0][1]}`;
      this.body.push(pairs.length === 1 ? first : `${first} \\`);
      pairs.slice(1).forEach(([k, v], i) => this.body.push(`${ind}${k}=${v}${i === pairs.length - 2 ? '' : ' \\'}`));
    } else {
      this.ins('ENV', pairs.map(([k, v]) => `${k}=${v}`).join(' '));
    }
    for (const [k] of pairs) this.vars.add(k);
  }

  label(pairs: readonly (readonly [string, string])[]): void {
    const ind = this.style.indent;
    if (pairs.length <= 2 && this.rng.chance(0.5)) {
      this.ins('LABEL', pairs.map(([k, v]) => `${k}=${v}`).join(' '));
      return;
    }
    const first = `${this.kw('LABEL')} ${pairs[0][0]}=${pairs[0][1]}`;
    this.body.push(pairs.length === 1 ? first : `${first} \\`);
    pairs.slice(1).forEach(([k, v], i) => this.body.push(`${ind}${k}=${v}${i === pairs.length - 2 ? '' : ' \\'}`));
  }

  /** FROM; returns the stage name (or undefined for an unnamed stage). */
  from(image: string, name?: string, platform?: string): string | undefined {
    let stage = name;
    if (stage !== undefined) {
      let n = stage;
      for (let k = 2; this.stageNames.includes(n); k++) n = `${stage}-${k}`;
      stage = n;
    }
    const parentIdx = this.stageNames.indexOf(image);
    const plat = platform ? `--platform=${platform} ` : '';
    const keyword = this.kw('FROM');
    // BuildKit's FromAsCasing wants AS to match the FROM keyword's casing.
    const asWord = keyword === keyword.toLowerCase() ? 'as' : 'AS';
    const as = stage !== undefined ? ` ${asWord} ${stage}` : '';
    this.body.push(`${keyword} ${plat}${image}${as}`);
    this.stageIndex++;
    this.stageNames.push(stage ?? `#${this.stageIndex}`);
    this.stageOnce = new Set();
    this.vars = new Set(parentIdx >= 0 ? this.stageVars[parentIdx] : []);
    this.stageVars.push(this.vars);
    return stage;
  }

  /** Names of the stages before the current one. */
  earlierStages(): string[] {
    return this.stageNames.slice(0, this.stageIndex).filter((s) => !s.startsWith('#'));
  }
  get stageCount(): number {
    return this.stageIndex + 1;
  }

  /** RUN with a chain of commands, formatted in the file's chain style. */
  run(cmds: readonly Cmd[], opts: RunOptions = {}): void {
    const flags = opts.flags ?? [];
    const ind = this.style.indent;
    this.maybeBlank();
    const k = this.kw('RUN');
    const simple = cmds.length === 1 && typeof cmds[0] === 'string' && flags.length <= 1;
    if (simple && [k, ...flags, cmds[0]].join(' ').length < 110) {
      this.body.push([k, ...flags, cmds[0] as string].join(' '));
      return;
    }
    // Physical segments; every one but the last gets " \".
    const segs: string[] = [];
    const inner: (string | undefined)[] = [];
    let head = k;
    let flagRest = flags;
    if (flags.length > 0) {
      const together = flags.length === 1 || this.rng.chance(0.25);
      head = together ? `${k} ${flags.join(' ')}` : `${k} ${flags[0]}`;
      flagRest = together ? [] : flags.slice(1);
    }
    const firstOnHead = flagRest.length === 0 && this.rng.chance(flags.length > 0 ? 0.1 : 0.8);
    if (!firstOnHead) segs.push(head);
    for (const f of flagRest) segs.push(`${ind}${f}`);
    const leading = this.style.chain === 'leading';
    cmds.forEach((cmd, ci) => {
      const isFirst = ci === 0;
      const isLast = ci === cmds.length - 1;
      const lines = typeof cmd === 'string' ? [cmd] : [...cmd];
      const comment = opts.comments?.[ci];
      if (comment && this.style.innerComments && segs.length > 0) inner[segs.length] = comment;
      lines.forEach((l, li) => {
        let text = l;
        if (li === 0 && leading && !isFirst) text = `&& ${text}`;
        if (li === lines.length - 1 && !leading && !isLast) text = `${text} &&`;
        const pad = li === 0 ? ind : ind + ind;
        if (isFirst && li === 0 && firstOnHead && segs.length === 0) segs.push(`${head} ${text}`);
        else segs.push(`${pad}${text}`);
      });
    });
    segs.forEach((s, i) => {
      const c = inner[i];
      if (c !== undefined) this.body.push(`${ind}# ${c}`);
      if (i > 0 && this.style.emptyContinuation && this.rng.chance(0.05)) this.body.push('');
      this.body.push(i === segs.length - 1 ? s : `${s} \\`);
    });
  }

  /** RUN with a heredoc script. */
  runHeredoc(script: readonly string[], opts: { flags?: readonly string[]; interpreter?: string } = {}): void {
    const rng = this.rng;
    const delim = rng.pick(['EOF', 'EOF', 'EOT', 'SCRIPT', 'END']);
    const chomp = rng.chance(0.15);
    const quoted = rng.chance(0.2);
    const marker = `<<${chomp ? '-' : ''}${quoted ? `'${delim}'` : delim}`;
    const flags = opts.flags ?? [];
    this.maybeBlank();
    this.heredocs = true;
    const tail = opts.interpreter ? `${marker} ${opts.interpreter}` : marker;
    if (flags.length > 1 && rng.chance(0.8)) {
      // docker-init style: one mount per line, the heredoc marker on its own line or after the last flag
      const own = rng.chance(0.5);
      this.body.push(`${this.kw('RUN')} ${flags[0]} \\`);
      flags.slice(1).forEach((f, i) => this.body.push(`${this.style.indent}${f}${own || i < flags.length - 2 ? ' \\' : ` ${tail}`}`));
      if (own) this.body.push(tail);
    } else {
      this.body.push([this.kw('RUN'), ...flags, tail].join(' '));
    }
    const pad = chomp ? '\t' : rng.chance(0.2) ? '  ' : '';
    for (const l of script) this.body.push(l === '' ? '' : `${pad}${l}`);
    this.body.push(`${chomp ? '\t' : ''}${delim}`);
  }

  /** COPY of a heredoc to a file. The delimiter is quoted when the body has `$`, unless `expand`. */
  copyHeredoc(dest: string, content: readonly string[], opts: { chmod?: string; chown?: string; expand?: boolean } = {}): void {
    const delim = this.rng.pick(['EOF', 'EOF', 'CONF', 'EOT']);
    this.maybeBlank();
    this.heredocs = true;
    const needsQuote = content.some((l) => l.includes('$') || l.includes('\\')) && !opts.expand;
    const flags: string[] = [];
    if (opts.chown) flags.push(`--chown=${opts.chown}`);
    if (opts.chmod) flags.push(`--chmod=${opts.chmod}`);
    if (this.rng.chance(0.15)) flags.push('--link');
    const marker = needsQuote ? (this.rng.chance(0.5) ? `<<'${delim}'` : `<<"${delim}"`) : `<<${delim}`;
    this.body.push([this.kw('COPY'), ...flags, marker, dest].join(' '));
    for (const l of content) this.body.push(l);
    this.body.push(delim);
  }

  render(crlf: boolean, bom: boolean): string {
    const out: string[] = [...this.directives];
    if (this.header.length > 0) out.push(...this.header);
    if (out.length > 0) out.push('');
    if (this.globals.length > 0) out.push(...this.globals, '');
    out.push(...this.body);
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    const text = out.join('\n') + '\n';
    return (bom ? '\ufeff' : '') + (crlf ? text.replace(/\n/g, '\r\n') : text);
  }
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const APT_EXTRA = ['curl', 'ca-certificates', 'git', 'tini', 'gnupg', 'unzip', 'jq', 'procps', 'netcat-openbsd', 'tzdata', 'wget', 'dumb-init', 'openssh-client', 'locales', 'xz-utils', 'less', 'iproute2', 'file'];
const APK_EXTRA = ['curl', 'ca-certificates', 'git', 'tini', 'bash', 'jq', 'tzdata', 'openssl', 'su-exec', 'dumb-init', 'wget', 'unzip', 'libstdc++', 'iproute2'];
const DNF_EXTRA = ['tar', 'gzip', 'findutils', 'which', 'shadow-utils', 'procps-ng', 'jq', 'unzip'];

/** Package installation as RUN chain commands (and mount flags when cache mounts are used). */
function installPackages(w: Writer, family: Family, pkgs: readonly string[], opts: { cache?: boolean; cleanComment?: boolean } = {}): void {
  const rng = w.rng;
  const onePerLine = pkgs.length > 3 && rng.chance(0.6);
  const list = (head: string): Cmd => (onePerLine ? [head, ...pkgs] : `${head} ${pkgs.join(' ')}`);
  const withLines = (head: string): Cmd => {
    const c = list(head);
    if (typeof c === 'string') return c;
    return [c[0], ...c.slice(1)];
  };
  if (family === 'debian') {
    const noRec = rng.chance(0.7) ? ' --no-install-recommends' : '';
    const quiet = rng.chance(0.3) ? ' -qq' : '';
    if (opts.cache && w.style.modern) {
      w.run([`apt-get update${quiet}`, withLines(`apt-get install -y${noRec}`)], {
        flags: ['--mount=type=cache,target=/var/cache/apt,sharing=locked', '--mount=type=cache,target=/var/lib/apt,sharing=locked'],
      });
      return;
    }
    const cmds: Cmd[] = [`apt-get update${quiet}`, withLines(`apt-get install -y${noRec}`)];
    if (rng.chance(0.8)) cmds.push(rng.pick(['rm -rf /var/lib/apt/lists/*', 'apt-get clean && rm -rf /var/lib/apt/lists/*']));
    w.run(cmds, { comments: [undefined, 'runtime and build tools', opts.cleanComment ? 'keep the layer small' : undefined] });
  } else if (family === 'alpine') {
    if (opts.cache && w.style.modern && rng.chance(0.5)) {
      w.run([withLines('apk add')], { flags: ['--mount=type=cache,target=/var/cache/apk'] });
      return;
    }
    const flag = rng.pick(['--no-cache', '--no-cache', '--update --no-cache', '--update']);
    w.run([withLines(`apk add ${flag}`)]);
  } else if (family === 'rhel') {
    const tool = rng.pick(['microdnf', 'dnf']);
    w.run([withLines(`${tool} install -y`), `${tool} clean all`]);
  }
}

function userSetup(w: Writer, family: Family, user: string, uid: number): void {
  const rng = w.rng;
  if (family === 'alpine') {
    w.run([`addgroup -S -g ${uid} ${user}`, `adduser -S -D -u ${uid} -G ${user} -h /home/${user} ${user}`]);
  } else if (family === 'debian') {
    if (rng.chance(0.5)) w.run([`groupadd --system --gid ${uid} ${user}`, `useradd --system --uid ${uid} --gid ${user} --create-home --shell /usr/sbin/nologin ${user}`]);
    else w.run([`useradd -r -u ${uid} -m -s /bin/false ${user}`]);
  } else if (family === 'rhel') {
    w.run([`useradd -r -u ${uid} -g 0 ${user}`]);
  }
}

const DURATIONS = ['5s', '10s', '15s', '20s', '30s', '45s', '1m', '1m30s', '2m'];

function healthcheck(w: Writer, family: Family, port: number, path: string): void {
  const rng = w.rng;
  if (w.has('HEALTHCHECK')) return;
  const flags: string[] = [];
  if (rng.chance(0.8)) flags.push(`--interval=${rng.pick(DURATIONS)}`);
  if (rng.chance(0.7)) flags.push(`--timeout=${rng.pick(['2s', '3s', '5s', '10s'])}`);
  if (rng.chance(0.4)) flags.push(`--start-period=${rng.pick(['5s', '10s', '30s', '1m'])}`);
  if (rng.chance(0.5)) flags.push(`--retries=${rng.int(2, 5)}`);
  let cmd: string;
  if (family === 'distroless' || family === 'scratch') cmd = `CMD ["/healthcheck", "--url=http://127.0.0.1:${port}${path}"]`;
  else if (family === 'alpine') cmd = rng.pick([`CMD wget -qO- http://127.0.0.1:${port}${path} || exit 1`, `CMD ["wget", "-q", "--spider", "http://127.0.0.1:${port}${path}"]`]);
  else cmd = rng.pick([`CMD curl -fsS http://localhost:${port}${path} || exit 1`, `CMD ["curl", "-f", "http://localhost:${port}${path}"]`]);
  const split = flags.length > 2 && rng.chance(0.5);
  if (split) w.ins('HEALTHCHECK', flags.join(' '), [cmd]);
  else w.ins('HEALTHCHECK', [...flags, cmd].join(' '));
}

function json(args: readonly string[], spaced = false): string {
  const items = args.map((a) => JSON.stringify(a));
  return spaced ? `[ ${items.join(', ')} ]` : `[${items.join(', ')}]`;
}

/** ENTRYPOINT and/or CMD in exec or shell form. */
function startCommand(w: Writer, family: Family, cmd: readonly string[], opts: { entrypoint?: readonly string[] } = {}): void {
  const rng = w.rng;
  const shellOk = family !== 'distroless' && family !== 'scratch';
  const spaced = rng.chance(0.2);
  if (opts.entrypoint) w.ins('ENTRYPOINT', json(opts.entrypoint, spaced));
  if (cmd.length === 0) return;
  if (shellOk && !opts.entrypoint && rng.chance(0.15)) w.ins('CMD', cmd.join(' '));
  else if (shellOk && !opts.entrypoint && rng.chance(0.08)) w.ins('ENTRYPOINT', `exec ${cmd.join(' ')}`);
  else w.ins(rng.chance(0.25) && !opts.entrypoint ? 'ENTRYPOINT' : 'CMD', json(cmd, spaced));
}

function expose(w: Writer, ports: readonly number[], portVar?: string): void {
  const rng = w.rng;
  const words = ports.map((p, i) => (i === 0 && portVar ? `\${${portVar}}` : rng.chance(0.2) ? `${p}/tcp` : String(p)));
  if (words.length > 1 && rng.chance(0.3)) for (const x of words) w.ins('EXPOSE', x);
  else w.ins('EXPOSE', words.join(' '));
}

const OCI_LABELS: readonly (readonly [string, (w: Writer) => string])[] = [
  ['org.opencontainers.image.title', (w) => JSON.stringify(w.rng.pick(['api', 'worker', 'gateway', 'billing', 'search', 'web', 'scheduler', 'ingest']))],
  ['org.opencontainers.image.source', (w) => `"https://github.com/${w.rng.pick(['acme', 'example', 'contoso', 'initech'])}/${w.rng.pick(['platform', 'services', 'app', 'backend'])}"`],
  ['org.opencontainers.image.licenses', (w) => w.rng.pick(['"MIT"', '"Apache-2.0"', 'MIT', '"BSD-3-Clause"'])],
  ['org.opencontainers.image.vendor', (w) => w.rng.pick(['"Acme Corp"', '"Example Inc."', 'Contoso'])],
  ['maintainer', (w) => `"${w.rng.pick(['ops', 'platform', 'devs', 'sre'])}@${w.rng.pick(['example.com', 'acme.io'])}"`],
  ['com.example.team', (w) => w.rng.pick(['payments', 'core', '"data platform"', 'edge'])],
];

/** Labels, sometimes with a VERSION build arg. */
function labels(w: Writer): void {
  const rng = w.rng;
  const chosen = rng.some(OCI_LABELS, 1, 4).map(([k, f]) => [k, f(w)] as const);
  const pairs: (readonly [string, string])[] = [...chosen];
  if (rng.chance(0.4)) {
    if (!w.vars.has('VERSION')) w.arg('VERSION', rng.pick(['0.0.0-dev', '1.0.0', 'dev', undefined] as const));
    pairs.push(['org.opencontainers.image.version', rng.chance(0.5) ? '"${VERSION}"' : '$VERSION']);
  }
  if (rng.chance(0.2)) {
    if (!w.vars.has('BUILD_DATE')) w.arg('BUILD_DATE');
    pairs.push(['org.opencontainers.image.created', '"${BUILD_DATE:-unknown}"']);
  }
  w.label(pairs);
}

/** Random extra instructions inside a stage that has a shell. */
function extras(w: Writer, family: Family, p = 0.5): void {
  const rng = w.rng;
  const shell = family !== 'distroless' && family !== 'scratch';
  if (rng.chance(p * 0.5)) {
    w.comment('timezone and locale', 0.5);
    w.env([['TZ', rng.pick(['UTC', 'Etc/UTC', 'Europe/Berlin', 'America/New_York'])], ['LANG', 'C.UTF-8']], { split: rng.chance(0.3) });
  }
  if (rng.chance(p * 0.4)) {
    w.arg('LOG_LEVEL', rng.pick(['info', 'warn', undefined] as const));
    w.env([['APP_LOG_LEVEL', rng.pick(['${LOG_LEVEL:-info}', '"${LOG_LEVEL:-debug}"'])]]);
  }
  if (rng.chance(p * 0.3)) {
    w.arg('DEBUG');
    w.env([['EXTRA_FLAGS', '${DEBUG:+--verbose}']]);
  }
  if (shell && rng.chance(p * 0.3)) {
    w.run([rng.pick(['mkdir -p /var/log/app /var/run/app', 'mkdir -p /data && chmod 0775 /data', 'echo "built on $(date -u +%Y-%m-%dT%H:%M:%SZ)" > /etc/build-info', 'ln -sf /dev/stdout /var/log/app.log'])]);
  }
  if (rng.chance(p * 0.2)) w.ins('VOLUME', rng.chance(0.5) ? json(['/data']) : rng.pick(['/data', '/var/lib/app', '/tmp /var/cache/app']));
}

// ---------------------------------------------------------------------------------------------
// Ecosystem templates

interface Template {
  readonly name: string;
  readonly weight: number;
  build(w: Writer): string;
}

/** An image reference `repo:version[-suffix]`, written literally or through a global ARG. */
function versionedBase(w: Writer, repo: string, version: string, suffix: string, argName: string): string {
  const rng = w.rng;
  const tag = suffix ? `${version}-${suffix}` : version;
  const mode = rng.weighted([
    ['literal', 5],
    ['arg', 3],
    ['argDefault', 1],
    ['argImage', 1],
  ] as const);
  if (mode === 'literal') return `${repo}:${tag}`;
  if (mode === 'arg') {
    w.globalArg(argName, version);
    return `${repo}:\${${argName}}${suffix ? `-${suffix}` : ''}`;
  }
  if (mode === 'argDefault') {
    w.globalArg(argName);
    return `${repo}:\${${argName}:-${version}}${suffix ? `-${suffix}` : ''}`;
  }
  const img = argName.replace(/_VERSION$/, '') + '_IMAGE';
  w.globalArg(img, `${repo}:${tag}`);
  return `\${${img}}`;
}

const familyOfSuffix = (s: string): Family => (s.includes('alpine') ? 'alpine' : 'debian');

const nodeTemplate: Template = {
  name: 'node',
  weight: 14,
  build(w) {
    const rng = w.rng;
    const version = rng.pick(['18', '20', '20', '22', '22', '21']);
    const suffix = rng.pick(['alpine', 'alpine', 'slim', 'bookworm-slim', 'bookworm', '', 'alpine3.20']);
    const family = familyOfSuffix(suffix);
    const pm = rng.weighted([['npm', 5], ['yarn', 2], ['pnpm', 2]] as const);
    const multi = rng.chance(0.65);
    const target = multi ? rng.weighted([['server', 5], ['distroless', 1]] as const) : 'server';
    const image = versionedBase(w, 'node', version, suffix, 'NODE_VERSION');
    const lock = pm === 'npm' ? 'package-lock.json' : pm === 'yarn' ? 'yarn.lock' : 'pnpm-lock.yaml';
    const cacheTarget = pm === 'npm' ? '/root/.npm' : pm === 'yarn' ? '/usr/local/share/.cache/yarn' : '/pnpm/store';
    const cacheFlag = pm === 'pnpm' ? `--mount=type=cache,id=pnpm,target=${cacheTarget}` : `--mount=type=cache,target=${cacheTarget}`;
    const install = (prod: boolean): string =>
      pm === 'npm' ? (prod ? rng.pick(['npm ci --omit=dev', 'npm ci --only=production']) : 'npm ci') : pm === 'yarn' ? `yarn install --frozen-lockfile${prod ? ' --production' : ''}` : `pnpm install --frozen-lockfile${prod ? ' --prod' : ''}`;
    const port = rng.pick([3000, 3000, 8080, 4000, 5000, 8000]);
    const workdir = rng.pick(['/app', '/usr/src/app', '/home/node/app', '/srv/app']);
    const pnpmEnv = (): void => {
      if (pm === 'pnpm') {
        // Two instructions: a value cannot see a variable set by the same ENV.
        w.env([['PNPM_HOME', '"/pnpm"']]);
        w.env([['PATH', rng.pick(['"$PNPM_HOME:$PATH"', '"${PNPM_HOME}:${PATH}"'])]]);
        w.run(['corepack enable']);
      } else if (pm === 'yarn' && rng.chance(0.3)) w.run(['corepack enable']);
    };
    const mounts = w.style.modern && rng.chance(0.7);
    if (!multi) {
      w.from(image);
      if (family === 'alpine' && rng.chance(0.4)) installPackages(w, family, rng.some(['libc6-compat', 'tini', 'curl', 'git'], 1, 3));
      extras(w, family, 0.4);
      w.comment('Create app directory');
      w.ins('WORKDIR', workdir);
      pnpmEnv();
      w.comment('Install app dependencies first to leverage the layer cache');
      w.ins('COPY', rng.chance(0.5) ? `package*.json ${pm !== 'npm' ? lock + ' ' : ''}./` : `package.json ${lock} ./`);
      w.run([install(true)], { flags: mounts ? [cacheFlag] : [] });
      w.ins('COPY', rng.chance(0.3) ? '--chown=node:node . .' : '. .');
      if (rng.chance(0.4)) w.env([['NODE_ENV', 'production']], { legacy: rng.chance(0.3) });
      if (rng.chance(0.5)) w.ins('USER', 'node');
      expose(w, [port]);
      if (rng.chance(0.3)) healthcheck(w, family, port, '/health');
      startCommand(w, family, rng.pick([['node', 'server.js'], ['npm', 'start'], ['node', 'index.js'], ['node', 'src/main.js']]));
      return `${pm}-single`;
    }
    const base = rng.chance(0.5) ? w.from(image, 'base') : undefined;
    const from = base ?? image;
    if (base) {
      w.ins('WORKDIR', workdir);
      pnpmEnv();
      w.blank();
    }
    const deps = w.from(from, rng.pick(['deps', 'dependencies', 'install']));
    if (!base) {
      w.ins('WORKDIR', workdir);
      pnpmEnv();
    }
    w.ins('COPY', `package.json ${lock} ./`);
    w.run([install(false)], { flags: mounts ? [cacheFlag] : [] });
    w.blank();
    const build = w.from(from, rng.pick(['build', 'builder', 'compile']));
    if (!base) {
      w.ins('WORKDIR', workdir);
      if (pm === 'pnpm') pnpmEnv();
    }
    w.ins('COPY', `--from=${deps} ${workdir}/node_modules ./node_modules`);
    w.ins('COPY', '. .');
    if (rng.chance(0.4)) {
      w.arg('NODE_ENV', 'production');
      w.env([['NODE_ENV', '${NODE_ENV}']]);
    }
    const runBuild = pm === 'npm' ? 'npm run build' : `${pm} run build`;
    const prune = pm === 'npm' ? 'npm prune --omit=dev' : pm === 'yarn' ? 'yarn install --production --ignore-scripts --prefer-offline' : 'pnpm prune --prod';
    w.run(rng.chance(0.6) ? [runBuild, prune] : [runBuild]);
    w.blank();
    if (target === 'distroless') {
      w.from(`gcr.io/distroless/nodejs${version === '21' ? '20' : version}-debian12${rng.chance(0.5) ? ':nonroot' : ''}`, rng.pick(['runtime', 'final', undefined]));
      w.ins('WORKDIR', workdir);
      w.ins('COPY', `--from=${build} ${workdir}/node_modules ./node_modules`);
      w.ins('COPY', `--from=${build} ${workdir}/dist ./dist`);
      w.env([['NODE_ENV', 'production']]);
      expose(w, [port]);
      w.ins('CMD', json(['dist/main.js']));
      return `${pm}-distroless`;
    }
    const runtimeImage = rng.chance(0.7) ? image : `node:${version}-${rng.pick(['alpine', 'slim'])}`;
    w.from(runtimeImage, rng.pick(['runtime', 'release', 'production', 'runner', undefined]));
    const fam2 = runtimeImage === image ? family : familyOfSuffix(runtimeImage);
    if (rng.chance(0.5)) labels(w);
    w.ins('WORKDIR', workdir);
    w.arg('PORT', rng.chance(0.5) ? String(port) : undefined);
    w.env([['NODE_ENV', 'production'], ['PORT', `\${PORT:-${port}}`]], { split: rng.chance(0.5) });
    const chown = rng.chance(0.6) ? '--chown=node:node ' : '';
    const link = w.style.modern && rng.chance(0.3) ? '--link ' : '';
    w.ins('COPY', `--from=${build} ${chown}${link}${workdir}/node_modules ./node_modules`);
    w.ins('COPY', `--from=${build} ${chown}${link}${workdir}/${rng.pick(['dist', 'build', '.next'])} ./${rng.pick(['dist', 'build'])}`);
    w.ins('COPY', `${chown}package.json ./`);
    extras(w, fam2, 0.3);
    w.ins('USER', rng.pick(['node', 'node', '1000', 'node:node']));
    expose(w, [port], rng.chance(0.4) ? 'PORT' : undefined);
    if (rng.chance(0.5)) healthcheck(w, fam2, port, rng.pick(['/health', '/healthz', '/api/health', '/']));
    if (rng.chance(0.2)) w.ins('STOPSIGNAL', rng.pick(['SIGTERM', 'SIGINT']));
    if (fam2 === 'alpine' && rng.chance(0.3)) startCommand(w, fam2, ['node', 'dist/main.js'], { entrypoint: ['/sbin/tini', '--'] });
    else startCommand(w, fam2, rng.pick([['node', 'dist/main.js'], ['node', 'dist/server.js'], ['npm', 'run', 'start:prod']]));
    return `${pm}-multistage`;
  },
};

const pythonTemplate: Template = {
  name: 'python',
  weight: 14,
  build(w) {
    const rng = w.rng;
    const version = rng.pick(['3.9', '3.10', '3.11', '3.12', '3.12', '3.13']);
    const suffix = rng.pick(['slim', 'slim', 'slim-bookworm', 'alpine', 'bookworm', '']);
    const family = familyOfSuffix(suffix);
    const tool = rng.weighted([['pip', 5], ['poetry', 2], ['uv', 2], ['pipenv', 1]] as const);
    const app = rng.pick(['flask', 'django', 'fastapi', 'worker'] as const);
    const multi = rng.chance(0.5);
    const image = versionedBase(w, 'python', version, suffix, 'PYTHON_VERSION');
    const port = app === 'fastapi' ? 8000 : app === 'flask' ? rng.pick([5000, 8000, 8080]) : 8000;
    const workdir = rng.pick(['/app', '/code', '/srv', '/opt/app', '/usr/src/app']);
    const pyEnv = (): void => {
      const pairs: [string, string][] = [['PYTHONDONTWRITEBYTECODE', '1'], ['PYTHONUNBUFFERED', '1']];
      if (rng.chance(0.4)) pairs.push(['PIP_NO_CACHE_DIR', rng.pick(['1', 'off'])], ['PIP_DISABLE_PIP_VERSION_CHECK', 'on']);
      if (rng.chance(0.25)) for (const [k, v] of pairs) w.env([[k, v]], { legacy: rng.chance(0.4) });
      else w.env(pairs, { split: true });
    };
    const buildDeps = family === 'alpine' ? rng.some(['gcc', 'musl-dev', 'libffi-dev', 'postgresql-dev', 'linux-headers'], 2, 4) : rng.some(['build-essential', 'libpq-dev', 'gcc', 'libffi-dev', 'pkg-config'], 1, 3);
    const installDeps = (venv: boolean): void => {
      const pipCache = w.style.modern && rng.chance(0.5) ? ['--mount=type=cache,target=/root/.cache/pip'] : [];
      if (tool === 'pip') {
        w.ins('COPY', rng.pick(['requirements.txt .', 'requirements.txt ./', `requirements*.txt ${workdir}/`]));
        const nc = pipCache.length ? '' : ' --no-cache-dir';
        w.run(rng.chance(0.5) ? [`pip install${nc} --upgrade pip`, `pip install${nc} -r requirements.txt`] : [`pip install${nc} -r requirements.txt`], { flags: pipCache });
      } else if (tool === 'poetry') {
        w.env([['POETRY_VERSION', rng.pick(['1.8.3', '1.7.1', '1.8.2'])], ['POETRY_NO_INTERACTION', '1'], ['POETRY_VIRTUALENVS_CREATE', venv ? 'false' : 'true'], ['POETRY_CACHE_DIR', '/tmp/poetry_cache']]);
        w.run([`pip install "poetry==\${POETRY_VERSION}"`]);
        w.ins('COPY', 'pyproject.toml poetry.lock ./');
        const flags = w.style.modern && rng.chance(0.6) ? ['--mount=type=cache,target=$POETRY_CACHE_DIR'] : [];
        w.run([rng.pick(['poetry install --without dev --no-root', 'poetry install --only main --no-root --no-ansi'])], { flags });
      } else if (tool === 'uv') {
        w.ins('COPY', `--from=ghcr.io/astral-sh/uv:${rng.pick(['0.4.20', '0.5.4', '0.4.18', 'latest'])} /uv ${rng.chance(0.5) ? '/uvx ' : ''}/bin/`);
        w.env(venv ? [['UV_COMPILE_BYTECODE', '1'], ['UV_LINK_MODE', 'copy'], ['UV_PROJECT_ENVIRONMENT', '/opt/venv']] : [['UV_COMPILE_BYTECODE', '1'], ['UV_LINK_MODE', 'copy']]);
        if (w.style.modern) {
          w.run(['uv sync --frozen --no-install-project --no-dev'], {
            flags: ['--mount=type=cache,target=/root/.cache/uv', '--mount=type=bind,source=uv.lock,target=uv.lock', '--mount=type=bind,source=pyproject.toml,target=pyproject.toml'],
          });
        } else {
          w.ins('COPY', 'pyproject.toml uv.lock ./');
          w.run(['uv sync --frozen --no-install-project --no-dev']);
        }
      } else {
        w.run(['pip install --no-cache-dir pipenv']);
        w.ins('COPY', 'Pipfile Pipfile.lock ./');
        w.run(['pipenv install --system --deploy --ignore-pipfile']);
      }
    };
    const cmd = (): string[] =>
      app === 'flask'
        ? ['gunicorn', '--bind', `0.0.0.0:${port}`, '--workers', String(rng.int(2, 8)), 'app:app']
        : app === 'django'
          ? ['gunicorn', 'config.wsgi:application', '--bind', `0.0.0.0:${port}`]
          : app === 'fastapi'
            ? ['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', String(port)]
            : rng.pick([['celery', '-A', 'tasks', 'worker', '--loglevel=info'], ['python', '-m', 'worker'], ['python', 'main.py']]);
    if (!multi) {
      w.from(image);
      if (rng.chance(0.5)) labels(w);
      pyEnv();
      if (rng.chance(0.5)) installPackages(w, family, [...buildDeps, ...rng.some(family === 'alpine' ? APK_EXTRA : APT_EXTRA, 0, 3)], { cache: rng.chance(0.3) });
      w.ins('WORKDIR', workdir);
      installDeps(false);
      w.ins('COPY', rng.pick(['. .', `. ${workdir}`, `. ${workdir}/`]));
      if (app === 'django' && rng.chance(0.6)) w.run(['python manage.py collectstatic --noinput']);
      extras(w, family, 0.4);
      if (rng.chance(0.6)) {
        userSetup(w, family, 'appuser', rng.pick([1000, 1001, 10001]));
        w.ins('USER', 'appuser');
      }
      if (app !== 'worker') expose(w, [port]);
      if (app !== 'worker' && rng.chance(0.3)) healthcheck(w, family, port, '/health');
      startCommand(w, family, cmd());
      return `${tool}-${app}`;
    }
    const builder = w.from(image, rng.pick(['builder', 'build', 'deps', 'compile-image']));
    pyEnv();
    installPackages(w, family, buildDeps, { cache: rng.chance(0.4) });
    w.run([`python -m venv /opt/venv`]);
    if (rng.chance(0.5)) w.env([['VIRTUAL_ENV', '/opt/venv'], ['PATH', rng.pick(['"/opt/venv/bin:$PATH"', '/opt/venv/bin:$PATH'])]]);
    else {
      w.env([['VIRTUAL_ENV', '/opt/venv']]);
      w.env([['PATH', rng.pick(['"$VIRTUAL_ENV/bin:$PATH"', '"${VIRTUAL_ENV}/bin:${PATH}"'])]]);
    }
    w.ins('WORKDIR', workdir);
    installDeps(true);
    w.blank();
    const runtimeImage = rng.chance(0.8) ? image : `python:${version}-slim`;
    const rfam = runtimeImage === image ? family : 'debian';
    w.from(runtimeImage, rng.pick(['runtime', 'final', 'app', undefined]));
    if (rng.chance(0.5)) labels(w);
    pyEnv();
    if (rng.chance(0.4)) installPackages(w, rfam, rfam === 'alpine' ? rng.some(['libpq', 'libffi', 'tini', 'curl'], 1, 3) : rng.some(['libpq5', 'tini', 'curl', 'ca-certificates'], 1, 3));
    const user = rng.pick(['app', 'appuser', 'python']);
    userSetup(w, rfam, user, rng.pick([1000, 1001, 999]));
    w.ins('COPY', `--from=${builder} /opt/venv /opt/venv`);
    w.env([['PATH', '"/opt/venv/bin:$PATH"']]);
    w.ins('WORKDIR', workdir);
    w.ins('COPY', `--chown=${user}:${user} . .`);
    extras(w, rfam, 0.4);
    w.ins('USER', user);
    if (app !== 'worker') {
      w.arg('PORT', String(port));
      w.env([['PORT', '${PORT}']]);
      expose(w, [port], rng.chance(0.5) ? 'PORT' : undefined);
      if (rng.chance(0.4)) healthcheck(w, rfam, port, rng.pick(['/health', '/healthz', '/ping']));
    }
    if (rfam === 'debian' && rng.chance(0.2)) w.ins('STOPSIGNAL', 'SIGINT');
    startCommand(w, rfam, cmd());
    return `${tool}-${app}-multistage`;
  },
};

const goTemplate: Template = {
  name: 'go',
  weight: 12,
  build(w) {
    const rng = w.rng;
    const version = rng.pick(['1.21', '1.22', '1.22', '1.23']);
    const suffix = rng.pick(['alpine', 'alpine', 'bookworm', 'bullseye', '']);
    const family = familyOfSuffix(suffix);
    const image = versionedBase(w, 'golang', version, suffix, 'GO_VERSION');
    const final = rng.weighted([
      ['distroless-static', 4],
      ['distroless-base', 1],
      ['scratch', 3],
      ['alpine', 2],
      ['debian', 1],
    ] as const);
    const cross = w.style.modern && rng.chance(0.5);
    const bin = rng.pick(['server', 'app', 'api', 'gateway', 'controller', 'exporter']);
    const port = rng.pick([8080, 8080, 9090, 8000, 3000, 50051]);
    const build = w.from(image, rng.pick(['build', 'builder', 'golang', 'compile']), cross ? '$BUILDPLATFORM' : undefined);
    if (family === 'alpine' && rng.chance(0.6)) installPackages(w, family, rng.some(['git', 'ca-certificates', 'tzdata', 'make', 'build-base'], 1, 3));
    w.ins('WORKDIR', rng.pick(['/src', '/app', '/go/src/app', '/workspace']));
    const modCache = w.style.modern && rng.chance(0.7);
    if (modCache && rng.chance(0.5)) {
      w.run(['go mod download'], {
        flags: ['--mount=type=cache,target=/go/pkg/mod', '--mount=type=bind,source=go.sum,target=go.sum', '--mount=type=bind,source=go.mod,target=go.mod'],
      });
    } else {
      w.ins('COPY', 'go.mod go.sum ./');
      w.run([rng.pick(['go mod download', 'go mod download && go mod verify', 'go mod download -x'])], { flags: modCache ? ['--mount=type=cache,target=/go/pkg/mod'] : [] });
    }
    w.ins('COPY', '. .');
    if (cross) {
      w.arg('TARGETOS');
      w.arg('TARGETARCH');
    }
    const versioned = rng.chance(0.5);
    if (versioned) w.arg('VERSION', rng.pick(['dev', '0.0.0', undefined] as const));
    const ld = `-ldflags="-s -w${versioned ? ' -X main.version=${VERSION}' : ''}"`;
    const goos = cross ? 'GOOS=$TARGETOS GOARCH=$TARGETARCH' : rng.pick(['GOOS=linux', 'GOOS=linux GOARCH=amd64']);
    const out = `/out/${bin}`;
    const cmdLine = `CGO_ENABLED=0 ${goos} go build -trimpath ${ld} -o ${out} ./cmd/${bin}`;
    if (w.style.modern && rng.chance(0.2)) {
      w.runHeredoc(['set -eux', 'go vet ./...', `${cmdLine.replace('${VERSION}', '$VERSION')}`], {
        flags: modCache ? ['--mount=type=cache,target=/go/pkg/mod', '--mount=type=cache,target=/root/.cache/go-build'] : [],
      });
    } else {
      const cmds: Cmd[] = rng.chance(0.3) ? ['go test ./...', cmdLine] : [cmdLine];
      w.run(cmds, { flags: modCache ? ['--mount=type=cache,target=/go/pkg/mod', '--mount=type=cache,target=/root/.cache/go-build'] : [] });
    }
    w.blank();
    let ffam: Family;
    if (final === 'scratch') {
      w.comment('final image: just the binary', 0.6);
      w.from('scratch', rng.pick(['final', undefined]));
      ffam = 'scratch';
      if (rng.chance(0.7)) w.ins('COPY', `--from=${build} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`);
      if (rng.chance(0.3) && family === 'alpine') w.ins('COPY', `--from=${build} /usr/share/zoneinfo /usr/share/zoneinfo`);
    } else if (final.startsWith('distroless')) {
      const nonroot = rng.chance(0.5);
      w.from(`gcr.io/distroless/${final === 'distroless-static' ? 'static' : 'base'}-debian12${nonroot ? ':nonroot' : ''}`, rng.pick(['final', 'runtime', undefined]));
      ffam = 'distroless';
    } else if (final === 'alpine') {
      w.from(`alpine:${rng.pick(['3.18', '3.19', '3.20', 'latest'])}`, rng.pick(['final', 'runtime', undefined]));
      ffam = 'alpine';
      installPackages(w, 'alpine', rng.some(['ca-certificates', 'tzdata', 'curl'], 1, 3));
    } else {
      w.from(`debian:${rng.pick(['bookworm-slim', 'bullseye-slim', '12-slim'])}`, rng.pick(['final', 'runtime', undefined]));
      ffam = 'debian';
      installPackages(w, 'debian', ['ca-certificates'], { cleanComment: true });
    }
    if (rng.chance(0.5)) labels(w);
    const link = w.style.modern && rng.chance(0.3) ? '--link ' : '';
    w.ins('COPY', `--from=${build} ${link}${out} /usr/local/bin/${bin}`);
    if (ffam === 'alpine' || ffam === 'debian') {
      if (rng.chance(0.5)) {
        userSetup(w, ffam, 'app', 10001);
        w.ins('USER', 'app');
      } else w.ins('USER', rng.pick(['nobody', '65534', '10001:10001']));
    } else w.ins('USER', rng.pick(ffam === 'scratch' ? ['65532:65532', '65534'] : ['65532:65532', 'nonroot:nonroot', '65534']));
    expose(w, rng.chance(0.3) ? [port, 9100] : [port]);
    if (rng.chance(0.15)) w.ins('STOPSIGNAL', 'SIGTERM');
    startCommand(w, ffam, rng.chance(0.3) ? ['--config', `/etc/${bin}/config.yaml`] : [], { entrypoint: [`/usr/local/bin/${bin}`] });
    return `${final}`;
  },
};

const rustTemplate: Template = {
  name: 'rust',
  weight: 6,
  build(w) {
    const rng = w.rng;
    const version = rng.pick(['1.75', '1.78', '1.79', '1.80', '1.81']);
    const suffix = rng.pick(['slim-bookworm', 'bookworm', 'alpine', 'slim']);
    const family = familyOfSuffix(suffix);
    const image = versionedBase(w, 'rust', version, suffix, 'RUST_VERSION');
    const bin = rng.pick(['api', 'worker', 'proxy', 'indexer', 'cli']);
    const build = w.from(image, rng.pick(['build', 'builder', 'chef']));
    if (family === 'alpine') installPackages(w, 'alpine', ['musl-dev', ...rng.some(['pkgconfig', 'openssl-dev', 'openssl-libs-static'], 0, 2)]);
    else if (rng.chance(0.6)) installPackages(w, 'debian', rng.some(['pkg-config', 'libssl-dev', 'protobuf-compiler', 'clang'], 1, 3));
    w.ins('WORKDIR', rng.pick(['/app', '/usr/src/app', '/build']));
    if (w.style.modern && rng.chance(0.6)) {
      w.arg('APP_NAME', bin);
      const flags = [
        '--mount=type=bind,source=src,target=src',
        '--mount=type=bind,source=Cargo.toml,target=Cargo.toml',
        '--mount=type=bind,source=Cargo.lock,target=Cargo.lock',
        '--mount=type=cache,target=/app/target/',
        '--mount=type=cache,target=/usr/local/cargo/registry/',
      ];
      if (rng.chance(0.5)) w.runHeredoc(['set -e', 'cargo build --locked --release', 'cp ./target/release/$APP_NAME /bin/app'], { flags });
      else w.run(['cargo build --locked --release', 'cp ./target/release/$APP_NAME /bin/app'], { flags });
    } else {
      w.ins('COPY', 'Cargo.toml Cargo.lock ./');
      w.run(['mkdir src', 'echo "fn main() {}" > src/main.rs', 'cargo build --release', 'rm -rf src'], { comments: ['cache dependencies with a dummy main'] });
      w.ins('COPY', 'src ./src');
      w.run([`touch src/main.rs`, `cargo build --release`, `cp target/release/${bin} /bin/app`]);
    }
    w.blank();
    const final = family === 'alpine' ? rng.pick(['alpine', 'scratch'] as const) : rng.pick(['debian', 'distroless'] as const);
    let ffam: Family;
    if (final === 'alpine') {
      w.from(`alpine:${rng.pick(['3.19', '3.20'])}`);
      ffam = 'alpine';
    } else if (final === 'scratch') {
      w.from('scratch');
      ffam = 'scratch';
    } else if (final === 'debian') {
      w.from(`debian:${rng.pick(['bookworm-slim', 'stable-slim'])}`, rng.pick(['runtime', undefined]));
      ffam = 'debian';
      installPackages(w, 'debian', rng.some(['ca-certificates', 'libssl3', 'tini'], 1, 3));
    } else {
      w.from('gcr.io/distroless/cc-debian12', rng.pick(['runtime', undefined]));
      ffam = 'distroless';
    }
    w.ins('COPY', `--from=${build} /bin/app /usr/local/bin/${bin}`);
    if (rng.chance(0.5)) w.env([['RUST_LOG', rng.pick(['info', 'warn', `${bin}=debug`])]]);
    w.ins('USER', rng.pick(ffam === 'scratch' || ffam === 'distroless' ? ['65534', '10001'] : ['65534', '10001', 'nobody']));
    if (bin !== 'cli') expose(w, [rng.pick([8080, 3000, 8443])]);
    startCommand(w, ffam, [`/usr/local/bin/${bin}`]);
    return final;
  },
};

const javaTemplate: Template = {
  name: 'java',
  weight: 8,
  build(w) {
    const rng = w.rng;
    const jdk = rng.pick(['17', '21', '21']);
    const tool = rng.pick(['maven', 'gradle'] as const);
    const buildImage = tool === 'maven' ? `maven:${rng.pick(['3.9', '3.9.6', '3.8'])}-eclipse-temurin-${jdk}` : `gradle:${rng.pick(['8.7', '8.5', '8.10'])}-jdk${jdk}`;
    const runtime = rng.pick([
      [`eclipse-temurin:${jdk}-jre-alpine`, 'alpine'],
      [`eclipse-temurin:${jdk}-jre`, 'debian'],
      [`eclipse-temurin:${jdk}-jre-jammy`, 'debian'],
      [`amazoncorretto:${jdk}-alpine`, 'alpine'],
      [`gcr.io/distroless/java${jdk}-debian12`, 'distroless'],
    ] as const);
    const build = w.from(buildImage, rng.pick(['build', 'builder', 'package']));
    w.ins('WORKDIR', rng.pick(['/build', '/workspace/app', '/home/app']));
    const cache = w.style.modern && rng.chance(0.6);
    if (tool === 'maven') {
      w.ins('COPY', 'pom.xml .');
      w.run(['mvn -B -q dependency:go-offline'], { flags: cache ? ['--mount=type=cache,target=/root/.m2'] : [] });
      w.ins('COPY', 'src ./src');
      w.run(['mvn -B package -DskipTests', 'cp target/*.jar /app.jar'], { flags: cache ? ['--mount=type=cache,target=/root/.m2'] : [] });
    } else {
      w.ins('COPY', 'build.gradle settings.gradle gradlew ./');
      w.ins('COPY', 'gradle ./gradle');
      w.ins('COPY', 'src ./src');
      w.run(['gradle bootJar --no-daemon', 'cp build/libs/*.jar /app.jar'], { flags: cache ? ['--mount=type=cache,target=/home/gradle/.gradle/caches'] : [] });
    }
    w.blank();
    const [rimg, rfam] = runtime;
    w.from(rimg, rng.pick(['runtime', undefined]));
    if (rng.chance(0.5)) labels(w);
    w.ins('WORKDIR', '/opt/app');
    w.ins('COPY', `--from=${build} /app.jar app.jar`);
    const port = rng.pick([8080, 8080, 8081, 9000]);
    if (rfam !== 'distroless') {
      w.env([['JAVA_OPTS', JSON.stringify(rng.pick(['-XX:MaxRAMPercentage=75.0', '-Xms256m -Xmx512m', '-XX:+UseContainerSupport -XX:MaxRAMPercentage=80']))]]);
      if (rng.chance(0.6)) {
        userSetup(w, rfam, 'spring', 1000);
        w.ins('USER', 'spring');
      }
      expose(w, [port]);
      if (rng.chance(0.5)) healthcheck(w, rfam, port, '/actuator/health');
      if (rng.chance(0.5)) startCommand(w, rfam, [], { entrypoint: ['sh', '-c', 'exec java $JAVA_OPTS -jar /opt/app/app.jar'] });
      else startCommand(w, rfam, ['java', '-jar', '/opt/app/app.jar']);
    } else {
      expose(w, [port]);
      w.ins('CMD', json(['app.jar']));
    }
    return tool;
  },
};

const dotnetTemplate: Template = {
  name: 'dotnet',
  weight: 6,
  build(w) {
    const rng = w.rng;
    const ver = rng.pick(['6.0', '7.0', '8.0', '8.0']);
    const suffix = rng.pick(['', 'alpine', 'jammy', 'bookworm-slim']);
    const tag = suffix ? `${ver}-${suffix}` : ver;
    const proj = rng.pick(['Api', 'Web', 'Orders.Api', 'Worker', 'Gateway']);
    const useArg = rng.chance(0.4);
    if (useArg) w.globalArg('DOTNET_VERSION', ver);
    const v = useArg ? '${DOTNET_VERSION}' + (suffix ? `-${suffix}` : '') : tag;
    const cross = w.style.modern && rng.chance(0.3);
    const base = rng.chance(0.5) ? w.from(`mcr.microsoft.com/dotnet/aspnet:${v}`, 'base') : undefined;
    if (base) {
      w.ins('WORKDIR', '/app');
      expose(w, [8080]);
      w.blank();
    }
    const build = w.from(`mcr.microsoft.com/dotnet/sdk:${v}`, 'build', cross ? '$BUILDPLATFORM' : undefined);
    w.arg('BUILD_CONFIGURATION', 'Release');
    if (cross) w.arg('TARGETARCH');
    w.ins('WORKDIR', '/src');
    w.ins('COPY', rng.chance(0.5) ? json([`${proj}/${proj}.csproj`, `${proj}/`]) : `${proj}/${proj}.csproj ${proj}/`);
    const cache = w.style.modern && rng.chance(0.5) ? ['--mount=type=cache,id=nuget,target=/root/.nuget/packages'] : [];
    w.run([`dotnet restore "${proj}/${proj}.csproj"${cross ? ' -a $TARGETARCH' : ''}`], { flags: cache });
    w.ins('COPY', '. .');
    w.ins('WORKDIR', `"/src/${proj}"`);
    w.run([`dotnet publish "${proj}.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false${cross ? ' -a $TARGETARCH' : ''}`], { flags: cache });
    w.blank();
    w.from(base ?? `mcr.microsoft.com/dotnet/aspnet:${v}`, 'final');
    w.ins('WORKDIR', '/app');
    w.ins('COPY', `--from=${build} /app/publish .`);
    if (!base) expose(w, [rng.pick([8080, 80, 5000])]);
    if (rng.chance(0.4)) w.env([['ASPNETCORE_URLS', 'http://+:8080'], ['DOTNET_RUNNING_IN_CONTAINER', 'true']]);
    if (ver === '8.0' && rng.chance(0.5)) w.ins('USER', '$APP_UID');
    w.ins('ENTRYPOINT', json(['dotnet', `${proj}.dll`], rng.chance(0.3)));
    return `${ver.replace('.', '')}${base ? '-base' : ''}`;
  },
};

const rubyTemplate: Template = {
  name: 'ruby',
  weight: 5,
  build(w) {
    const rng = w.rng;
    const version = rng.pick(['3.1', '3.2', '3.3', '3.3.4']);
    const suffix = rng.pick(['slim', 'alpine', 'bookworm', 'slim-bookworm']);
    const family = familyOfSuffix(suffix);
    const image = versionedBase(w, 'ruby', version, suffix, 'RUBY_VERSION');
    const rails = rng.chance(0.6);
    const multi = rng.chance(0.5);
    const base = w.from(image, multi ? 'base' : undefined);
    w.ins('WORKDIR', rails ? '/rails' : '/app');
    w.env([['BUNDLE_PATH', '/usr/local/bundle'], ['BUNDLE_WITHOUT', '"development:test"'], ...(rails ? [['RAILS_ENV', '"production"'] as const] : [['RACK_ENV', 'production'] as const])], { split: true });
    if (multi && base) {
      w.blank();
      const build = w.from(base, 'build');
      installPackages(w, family, family === 'alpine' ? ['build-base', 'git', 'tzdata'] : ['build-essential', 'git', 'libpq-dev', 'pkg-config']);
      w.ins('COPY', 'Gemfile Gemfile.lock ./');
      w.run(['bundle install', 'rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache']);
      w.ins('COPY', '. .');
      if (rails) w.run(['SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile']);
      w.blank();
      w.from(base);
      w.ins('COPY', `--from=${build} "\${BUNDLE_PATH}" "\${BUNDLE_PATH}"`);
      w.ins('COPY', `--from=${build} ${rails ? '/rails /rails' : '/app /app'}`);
    } else {
      installPackages(w, family, family === 'alpine' ? ['build-base', 'tzdata'] : ['build-essential', 'libpq-dev']);
      w.ins('COPY', 'Gemfile Gemfile.lock ./');
      w.run(rng.chance(0.5) ? ['bundle config set --local without "development test"', 'bundle install --jobs 4'] : ['bundle install']);
      w.ins('COPY', '. .');
    }
    userSetup(w, family, 'rails', 1000);
    w.ins('USER', rng.pick(['rails', '1000:1000']));
    const port = rails ? 3000 : rng.pick([4567, 9292]);
    expose(w, [port]);
    if (rails && rng.chance(0.5)) startCommand(w, family, ['./bin/rails', 'server'], { entrypoint: ['/rails/bin/docker-entrypoint'] });
    else startCommand(w, family, rails ? ['bundle', 'exec', 'rails', 'server', '-b', '0.0.0.0'] : ['bundle', 'exec', 'rackup', '--host', '0.0.0.0', '-p', String(port)]);
    return rails ? 'rails' : 'rack';
  },
};

const phpTemplate: Template = {
  name: 'php',
  weight: 5,
  build(w) {
    const rng = w.rng;
    const version = rng.pick(['8.1', '8.2', '8.3']);
    const variant = rng.pick(['fpm-alpine', 'fpm', 'apache', 'cli-alpine', 'fpm-bookworm']);
    const family = familyOfSuffix(variant);
    const vendor = rng.chance(0.5) ? w.from(`composer:${rng.pick(['2', '2.7', 'latest'])}`, 'vendor') : undefined;
    if (vendor) {
      w.ins('WORKDIR', '/app');
      w.ins('COPY', 'composer.json composer.lock ./');
      w.run([['composer install', '--no-dev', '--no-interaction', '--prefer-dist', '--no-scripts', '--ignore-platform-reqs']], {
        flags: w.style.modern && rng.chance(0.5) ? ['--mount=type=cache,target=/tmp/cache'] : [],
      });
      w.blank();
    }
    w.from(`php:${version}-${variant}`, rng.pick(['app', undefined]));
    const exts = rng.some(['pdo_mysql', 'pdo_pgsql', 'opcache', 'intl', 'zip', 'bcmath', 'gd'], 2, 4);
    const devPkgs = family === 'alpine' ? ['icu-dev', 'libzip-dev', 'postgresql-dev'] : ['libicu-dev', 'libzip-dev', 'libpq-dev'];
    const install: Cmd[] = family === 'alpine' ? [`apk add --no-cache ${devPkgs.join(' ')}`] : ['apt-get update', ['apt-get install -y', ...devPkgs]];
    install.push(`docker-php-ext-install ${exts.join(' ')}`);
    if (family === 'debian') install.push('rm -rf /var/lib/apt/lists/*');
    if (variant === 'apache') install.push('a2enmod rewrite');
    w.run(install);
    if (!vendor) w.ins('COPY', `--from=composer:2 /usr/bin/composer /usr/bin/composer`);
    if (w.style.modern && rng.chance(0.5)) w.copyHeredoc('/usr/local/etc/php/conf.d/zz-app.ini', ['memory_limit=256M', 'upload_max_filesize=32M', 'opcache.enable=1', `opcache.validate_timestamps=${rng.int(0, 1)}`]);
    const root = variant === 'apache' ? '/var/www/html' : rng.pick(['/var/www/html', '/var/www', '/app']);
    w.ins('WORKDIR', root);
    w.ins('COPY', `--chown=www-data:www-data . ${root === '/var/www/html' ? '.' : root}`);
    if (vendor) w.ins('COPY', `--from=${vendor} --chown=www-data:www-data /app/vendor ./vendor`);
    else w.run(['composer install --no-dev --optimize-autoloader --no-interaction']);
    if (variant === 'apache') {
      w.env([['APACHE_DOCUMENT_ROOT', `${root}/public`]], { legacy: rng.chance(0.5) });
      w.run([`sed -ri -e 's!/var/www/html!\${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf`]);
      expose(w, [80]);
    } else if (variant.startsWith('fpm')) {
      w.ins('USER', 'www-data');
      expose(w, [9000]);
      w.ins('CMD', json(['php-fpm']));
    } else {
      w.ins('USER', 'www-data');
      startCommand(w, family, ['php', 'artisan', 'queue:work', '--sleep=3', '--tries=3']);
    }
    return variant;
  },
};

const staticTemplate: Template = {
  name: 'static',
  weight: 7,
  build(w) {
    const rng = w.rng;
    const gen = rng.pick(['vite', 'hugo', 'plain'] as const);
    const server = rng.pick(['nginx', 'nginx', 'caddy', 'httpd'] as const);
    let built: string | undefined;
    if (gen === 'vite') {
      built = w.from(`node:${rng.pick(['18', '20', '22'])}-alpine`, rng.pick(['build', 'builder', 'assets']));
      w.ins('WORKDIR', '/app');
      w.ins('COPY', 'package.json package-lock.json ./');
      w.run(['npm ci --no-audit --no-fund'], { flags: w.style.modern && rng.chance(0.5) ? ['--mount=type=cache,target=/root/.npm'] : [] });
      w.ins('COPY', '. .');
      if (rng.chance(0.5)) {
        w.arg('VITE_API_URL', '/api');
        w.env([['VITE_API_URL', '${VITE_API_URL}']]);
      }
      w.run(['npm run build']);
    } else if (gen === 'hugo') {
      built = w.from(`alpine:${rng.pick(['3.19', '3.20'])}`, 'hugo');
      w.arg('HUGO_ENV', 'production');
      installPackages(w, 'alpine', ['hugo', 'git']);
      w.ins('WORKDIR', '/site');
      w.ins('COPY', '. .');
      w.run(['hugo --minify --environment "${HUGO_ENV}" --destination /app/dist']);
    }
    if (built) w.blank();
    const img = server === 'nginx' ? `nginx:${rng.pick(['1.25-alpine', '1.26-alpine', '1.27-alpine', 'stable-alpine', 'alpine', '1.27'])}` : server === 'caddy' ? `caddy:${rng.pick(['2', '2-alpine', '2.8-alpine'])}` : `httpd:${rng.pick(['2.4', '2.4-alpine'])}`;
    w.from(img);
    const docroot = server === 'nginx' ? '/usr/share/nginx/html' : server === 'caddy' ? '/srv' : '/usr/local/apache2/htdocs';
    const port = server === 'caddy' ? 80 : rng.pick([80, 8080]);
    if (server === 'nginx') {
      if (w.style.modern && rng.chance(0.7)) {
        w.copyHeredoc('/etc/nginx/conf.d/default.conf', [
          'server {',
          `    listen ${port};`,
          '    server_name _;',
          `    root ${docroot};`,
          '    index index.html;',
          '    location / {',
          '        try_files $uri $uri/ /index.html;',
          '    }',
          '}',
        ]);
      } else w.ins('COPY', 'nginx.conf /etc/nginx/conf.d/default.conf');
    } else if (server === 'caddy') {
      if (w.style.modern && rng.chance(0.7)) w.copyHeredoc('/etc/caddy/Caddyfile', [':80 {', '\troot * /srv', '\tencode zstd gzip', '\tfile_server', '}']);
      else w.ins('COPY', 'Caddyfile /etc/caddy/Caddyfile');
    }
    if (built) w.ins('COPY', `--from=${built} /app/dist ${docroot}`);
    else w.ins('COPY', `${rng.pick(['public', 'site', 'dist'])}/ ${docroot}/`);
    if (w.style.modern && rng.chance(0.3)) {
      w.heredocs = true;
      w.body.push(`${w.kw('COPY')} <<robots.txt <<humans.txt ${docroot}/`);
      w.body.push('User-agent: *', 'Disallow: /admin/', 'robots.txt', `/* TEAM */ Built by the ${rng.pick(['web', 'docs', 'growth'])} team.`, 'humans.txt');
    }
    expose(w, server === 'caddy' && rng.chance(0.5) ? [80, 443] : [port]);
    if (server === 'nginx' && rng.chance(0.3)) w.ins('STOPSIGNAL', 'SIGQUIT');
    if (rng.chance(0.4)) healthcheck(w, 'alpine', port, '/');
    if (server === 'nginx' && rng.chance(0.5)) w.ins('CMD', json(['nginx', '-g', 'daemon off;']));
    return `${gen}-${server}`;
  },
};

interface OsBase {
  readonly image: string;
  readonly family: Family;
}

const OS_BASES: readonly OsBase[] = [
  { image: 'alpine:3.18', family: 'alpine' },
  { image: 'alpine:3.19', family: 'alpine' },
  { image: 'alpine:3.20', family: 'alpine' },
  { image: 'alpine:latest', family: 'alpine' },
  { image: 'debian:bookworm-slim', family: 'debian' },
  { image: 'debian:bullseye', family: 'debian' },
  { image: 'debian:12', family: 'debian' },
  { image: 'ubuntu:20.04', family: 'debian' },
  { image: 'ubuntu:22.04', family: 'debian' },
  { image: 'ubuntu:24.04', family: 'debian' },
  { image: 'ubuntu:jammy', family: 'debian' },
  { image: 'registry.access.redhat.com/ubi9/ubi-minimal:9.4', family: 'rhel' },
  { image: 'registry.access.redhat.com/ubi8/ubi:8.10', family: 'rhel' },
  { image: 'fedora:40', family: 'rhel' },
  { image: 'rockylinux:9', family: 'rhel' },
  { image: 'amazonlinux:2023', family: 'rhel' },
];

const osTemplate: Template = {
  name: 'os',
  weight: 9,
  build(w) {
    const rng = w.rng;
    const base = rng.pick(OS_BASES);
    const fam = base.family;
    const [repo, tag] = splitRef(base.image);
    let image = base.image;
    if (rng.chance(0.3)) {
      w.globalArg('BASE_TAG', tag);
      image = `${repo}:\${BASE_TAG}`;
    }
    const purpose = rng.pick(['cron', 'toolbox', 'backup', 'agent'] as const);
    w.from(image);
    if (rng.chance(0.5)) labels(w);
    if (fam === 'debian' && rng.chance(0.6)) w.arg('DEBIAN_FRONTEND', 'noninteractive');
    if (fam === 'debian' && rng.chance(0.3)) w.ins('SHELL', json(['/bin/bash', '-o', 'pipefail', '-c']));
    const pkgs = rng.some(fam === 'alpine' ? APK_EXTRA : fam === 'debian' ? APT_EXTRA : DNF_EXTRA, 3, 8);
    if (fam !== 'rhel') for (const need of ['curl', 'ca-certificates']) if (!pkgs.includes(need)) pkgs.unshift(need);
    installPackages(w, fam, pkgs, { cache: rng.chance(0.3), cleanComment: true });
    if (fam !== 'rhel' || base.image.includes('ubi')) {
      // tool download with a version ARG
      w.arg('TOOL_VERSION', rng.pick(['1.6.2', '2.3.0', '0.9.1']));
      const arch = w.style.modern && rng.chance(0.5);
      if (arch) w.arg('TARGETARCH');
      w.run([`curl -fsSL "https://downloads.example.com/tool/v\${TOOL_VERSION}/tool-linux-${arch ? '${TARGETARCH:-amd64}' : 'amd64'}.tar.gz" -o /tmp/tool.tgz`, 'tar -xzf /tmp/tool.tgz -C /usr/local/bin', 'rm -f /tmp/tool.tgz', 'tool --version'], {
        comments: [undefined, 'unpack straight into PATH', undefined, 'smoke test'],
      });
    }
    const script = [
      '#!/bin/sh',
      'set -eu',
      purpose === 'cron' ? 'echo "running scheduled job at $(date)"' : purpose === 'backup' ? 'tar -czf "/backup/data-$(date +%F).tgz" /data' : 'echo "ready"',
      'exec "$@"',
    ];
    if (w.style.modern && rng.chance(0.6)) {
      w.copyHeredoc('/usr/local/bin/entrypoint.sh', script, { chmod: rng.pick(['755', '0755', '0555']) });
    } else {
      w.ins('COPY', `${rng.pick(['--chmod=755 ', ''])}docker-entrypoint.sh /usr/local/bin/entrypoint.sh`);
    }
    if (w.style.modern && rng.chance(0.5)) {
      w.runHeredoc(['set -eux', fam === 'alpine' ? 'addgroup -S worker && adduser -S -G worker worker' : 'useradd --system --create-home worker', 'mkdir -p /data /backup', 'chown -R worker /data /backup'], {
        interpreter: rng.chance(0.3) && fam !== 'alpine' ? 'bash' : undefined,
      });
    } else {
      userSetup(w, fam, 'worker', 1500);
      w.run(['mkdir -p /data /backup', 'chown -R worker /data /backup']);
    }
    extras(w, fam, 0.5);
    w.ins('VOLUME', rng.chance(0.5) ? json(['/data', '/backup']) : '/data /backup');
    w.ins('WORKDIR', '/data');
    w.ins('USER', 'worker');
    if (purpose === 'agent') expose(w, [rng.pick([9100, 8125, 4317])]);
    if (rng.chance(0.3)) w.ins('STOPSIGNAL', rng.pick(['SIGTERM', 'SIGINT', 'SIGQUIT', '15']));
    startCommand(w, fam, purpose === 'cron' ? ['crond', '-f'] : purpose === 'toolbox' ? ['sh'] : [purpose, '--serve'], { entrypoint: ['/usr/local/bin/entrypoint.sh'] });
    return `${repo.split('/').pop()}-${purpose}`;
  },
};

function splitRef(image: string): [string, string] {
  const i = image.lastIndexOf(':');
  return i > image.lastIndexOf('/') ? [image.slice(0, i), image.slice(i + 1)] : [image, 'latest'];
}

const serviceTemplate: Template = {
  name: 'service',
  weight: 5,
  build(w) {
    const rng = w.rng;
    const svc = rng.pick([
      { image: `postgres:${rng.pick(['15', '16', '16-alpine', '16-bookworm'])}`, port: 5432, data: '/var/lib/postgresql/data', init: '/docker-entrypoint-initdb.d/', signal: 'SIGINT', check: 'pg_isready -U "${POSTGRES_USER:-postgres}"' },
      { image: `redis:${rng.pick(['7', '7.2-alpine', '7.4-bookworm'])}`, port: 6379, data: '/data', init: '/usr/local/etc/redis/', signal: 'SIGTERM', check: 'redis-cli ping' },
      { image: `mariadb:${rng.pick(['10.11', '11', '11.4'])}`, port: 3306, data: '/var/lib/mysql', init: '/docker-entrypoint-initdb.d/', signal: 'SIGTERM', check: 'healthcheck.sh --connect --innodb_initialized' },
      { image: `mongo:${rng.pick(['6', '7', '7.0'])}`, port: 27017, data: '/data/db', init: '/docker-entrypoint-initdb.d/', signal: 'SIGINT', check: 'mongosh --quiet --eval "db.adminCommand(\'ping\')"' },
      { image: `rabbitmq:${rng.pick(['3.13-management-alpine', '3.13-management', '3.12'])}`, port: 5672, data: '/var/lib/rabbitmq', init: '/etc/rabbitmq/conf.d/', signal: 'SIGTERM', check: 'rabbitmq-diagnostics -q ping' },
    ]);
    w.from(svc.image);
    if (rng.chance(0.5)) labels(w);
    if (svc.image.startsWith('postgres')) w.env([['POSTGRES_DB', rng.pick(['app', 'orders', 'analytics'])], ['PGDATA', `${svc.data}/pgdata`]]);
    if (w.style.modern && rng.chance(0.5) && svc.image.startsWith('redis')) {
      w.copyHeredoc('/usr/local/etc/redis/redis.conf', ['maxmemory 256mb', 'maxmemory-policy allkeys-lru', 'appendonly yes']);
    } else {
      w.ins('COPY', `${rng.pick(['--chmod=0644 ', ''])}${rng.pick(['init', 'config', 'conf'])}/ ${svc.init}`);
    }
    w.ins('VOLUME', rng.chance(0.5) ? svc.data : json([svc.data]));
    expose(w, rng.chance(0.3) && svc.image.startsWith('rabbitmq') ? [svc.port, 15672] : [svc.port]);
    const flags = [`--interval=${rng.pick(DURATIONS)}`, `--timeout=${rng.pick(['3s', '5s'])}`, `--retries=${rng.int(3, 10)}`];
    w.ins('HEALTHCHECK', `${flags.join(' ')} CMD ${svc.check} || exit 1`);
    w.ins('STOPSIGNAL', svc.signal);
    return svc.image.split(':')[0];
  },
};

const dnsTemplate: Template = {
  name: 'dns',
  weight: 2,
  build(w) {
    const rng = w.rng;
    const build = w.from('golang:1.22', 'build');
    w.arg('COREDNS_VERSION', rng.pick(['v1.11.1', 'v1.11.3']));
    w.run(['git clone --depth 1 --branch ${COREDNS_VERSION} https://github.com/coredns/coredns.git /coredns', 'cd /coredns', 'make CGO_ENABLED=0']);
    w.blank();
    w.from(rng.pick(['scratch', 'gcr.io/distroless/static-debian12']));
    w.ins('COPY', `--from=${build} /etc/ssl/certs /etc/ssl/certs`);
    w.ins('COPY', `--from=${build} /coredns/coredns /coredns`);
    w.ins('COPY', 'Corefile /etc/coredns/Corefile');
    w.ins('EXPOSE', rng.pick(['53/udp 53/tcp', '53 53/udp', '53/tcp 53/udp 9153/tcp']));
    w.ins('USER', '65532:65532');
    w.ins('ENTRYPOINT', json(['/coredns']));
    w.ins('CMD', json(['-conf', '/etc/coredns/Corefile']));
    return 'coredns';
  },
};

const onbuildTemplate: Template = {
  name: 'onbuild',
  weight: 2,
  build(w) {
    const rng = w.rng;
    const lang = rng.pick(['node', 'python'] as const);
    const image = lang === 'node' ? `node:${rng.pick(['18', '20'])}-alpine` : `python:${rng.pick(['3.11', '3.12'])}-slim`;
    w.from(image);
    w.comment('Base image for child images: they only need a FROM line.');
    w.ins('WORKDIR', '/app');
    w.ins('ONBUILD', `${w.kw('ARG')} BUILD_ENV=production`);
    if (lang === 'node') {
      w.ins('ONBUILD', `${w.kw('COPY')} package*.json ./`);
      w.ins('ONBUILD', `${w.kw('RUN')} npm ci --omit=dev`);
    } else {
      w.ins('ONBUILD', `${w.kw('COPY')} requirements.txt ./`);
      w.ins('ONBUILD', `${w.kw('RUN')} pip install --no-cache-dir -r requirements.txt`);
    }
    w.ins('ONBUILD', `${w.kw('COPY')} . .`);
    if (rng.chance(0.5)) w.ins('ONBUILD', `${w.kw('LABEL')} com.example.built-from="onbuild-base"`);
    w.ins('CMD', json(lang === 'node' ? ['npm', 'start'] : ['python', '-m', 'app']));
    return lang;
  },
};

const windowsTemplate: Template = {
  name: 'windows',
  weight: 2,
  build(w) {
    const rng = w.rng;
    w.directives.unshift('# escape=`');
    const img = rng.pick(['mcr.microsoft.com/windows/servercore:ltsc2022', 'mcr.microsoft.com/windows/servercore:ltsc2019', 'mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2022']);
    w.from(img);
    w.ins('SHELL', json(['powershell', '-Command', "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]));
    w.env([['APP_HOME', 'C:\\app'], ['TOOL_VERSION', rng.pick(['1.2.0', '2.0.1'])]]);
    w.body.push(`${w.kw('RUN')} Invoke-WebRequest -UseBasicParsing -OutFile tool.zip "https://downloads.example.com/tool/$env:TOOL_VERSION/tool.zip"; \``);
    w.body.push(`${w.style.indent}Expand-Archive tool.zip -DestinationPath C:\\tool; \``);
    w.body.push(`${w.style.indent}Remove-Item -Force tool.zip`);
    w.ins('WORKDIR', 'C:\\app');
    w.ins('COPY', '. .');
    expose(w, [rng.pick([80, 8080, 5000])]);
    w.ins('CMD', json(['C:\\tool\\tool.exe', '--serve']));
    return rng.pick(['servercore', 'powershell']);
  },
};

const TEMPLATES: readonly Template[] = [nodeTemplate, pythonTemplate, goTemplate, rustTemplate, javaTemplate, dotnetTemplate, rubyTemplate, phpTemplate, staticTemplate, osTemplate, serviceTemplate, dnsTemplate, onbuildTemplate, windowsTemplate];

// ---------------------------------------------------------------------------------------------
// Corpus

const HEADERS = [
  'Build with: docker build -t app .',
  'Production image',
  'Multi-arch build: docker buildx build --platform linux/amd64,linux/arm64 .',
  'Keep this file in sync with the CI pipeline',
  'Generated by the platform team template, then edited by hand',
  'See README.md for the local development setup',
];

function makeStyle(rng: Rng, windows: boolean): Style {
  return {
    casing: windows ? 'upper' : rng.weighted([['upper', 85], ['lower', 8], ['mixed', 7]] as const),
    chain: rng.chance(0.6) ? 'leading' : 'trailing',
    indent: rng.weighted([['    ', 6], ['  ', 3], ['\t', 1], ['      ', 1]] as const),
    modern: rng.chance(0.7),
    emptyContinuation: rng.chance(0.015),
    innerComments: rng.chance(0.3),
    chatty: rng.chance(0.5),
    airy: rng.pick([0, 0, 0.1, 0.25, 0.4]),
  };
}

function generateOne(seed: number, index: number, width: number): CorpusFile {
  const rng = new Rng(mixSeed(seed, index));
  const template = rng.weighted(TEMPLATES.map((t) => [t, t.weight] as const));
  const windows = template === windowsTemplate;
  const style = makeStyle(rng, windows);
  const w = new Writer(rng, style);
  if (style.modern) w.directives.push(`${rng.pick(['# syntax=docker/dockerfile:1', '# syntax=docker/dockerfile:1', '#syntax=docker/dockerfile:1', '# syntax=docker/dockerfile:1.7', '# syntax=docker/dockerfile:1.4', '# syntax = docker/dockerfile:1'])}`);
  if (style.modern && rng.chance(0.05)) w.directives.push(rng.pick(['# check=skip=JSONArgsRecommended', '# check=skip=SecretsUsedInArgOrEnv,LegacyKeyValueFormat']));
  if (style.chatty && rng.chance(0.5)) w.header.push(`# ${rng.pick(HEADERS)}`);
  const variant = template.build(w);
  const crlf = !w.heredocs && !windows && rng.chance(0.04);
  const bom = rng.chance(0.01);
  const name = `${String(index + 1).padStart(width, '0')}-${template.name}-${variant.replace(/[^a-z0-9.-]+/gi, '-').toLowerCase()}.Dockerfile`;
  return { name, text: w.render(crlf, bom) };
}

/** `count` realistic Dockerfiles; the same (count, seed) always gives the same files. */
export function generateCorpus(count: number, seed = 1): CorpusFile[] {
  const width = Math.max(4, String(count).length);
  const out: CorpusFile[] = [];
  for (let i = 0; i < count; i++) out.push(generateOne(seed, i, width));
  return out;
}

// ---------------------------------------------------------------------------------------------
// One large file for scaling benchmarks

/** One big multi-stage Dockerfile of approximately `lines` lines. */
export function generateLargeDockerfile(lines: number, seed = 1): string {
  const rng = new Rng(mixSeed(seed, 0x7fffffff));
  const style: Style = { casing: 'upper', chain: 'leading', indent: '    ', modern: true, emptyContinuation: false, innerComments: true, chatty: true, airy: 0.1 };
  const w = new Writer(rng, style);
  w.directives.push('# syntax=docker/dockerfile:1');
  w.header.push('# Monorepo build: every service and tool in one file.');
  const bases: [string, string, Family][] = [
    ['NODE_IMAGE', 'node:20-bookworm-slim', 'debian'],
    ['PYTHON_IMAGE', 'python:3.12-slim', 'debian'],
    ['GO_IMAGE', 'golang:1.22-bookworm', 'debian'],
    ['ALPINE_IMAGE', 'alpine:3.20', 'alpine'],
    ['DEBIAN_IMAGE', 'debian:bookworm-slim', 'debian'],
    ['UBUNTU_IMAGE', 'ubuntu:24.04', 'debian'],
    ['RUST_IMAGE', 'rust:1.79-slim-bookworm', 'debian'],
    ['JAVA_IMAGE', 'eclipse-temurin:21-jdk', 'debian'],
  ];
  for (const [name, img] of bases) w.globalArg(name, img);
  const globalVars = ['APP_VERSION', 'REGISTRY', 'BUILD_NUMBER', 'GIT_SHA', 'CI_PIPELINE_ID', 'RELEASE_CHANNEL'];
  for (const v of globalVars) w.globalArg(v, rng.pick(['0.0.0', 'dev', 'local', 'stable', '1']));
  const fixed = () => w.directives.length + w.header.length + 1 + w.globals.length + 1;
  const total = () => fixed() + w.body.length;
  const target = Math.max(lines, 40);
  const stageNames: string[] = [];
  let varCounter = 0;
  const stageVars: string[] = [];
  const newVar = (): string => {
    const name = `${rng.pick(['APP', 'SVC', 'LIB', 'CFG', 'OPT', 'PKG'])}_${rng.pick(['HOME', 'DIR', 'MODE', 'LEVEL', 'PREFIX', 'FLAGS', 'NAME'])}_${++varCounter}`;
    stageVars.push(name);
    return name;
  };
  const useVar = (): string => {
    if (stageVars.length === 0) return '/opt';
    const v = rng.pick(stageVars);
    return rng.pick([`\${${v}}`, `$${v}`, `\${${v}:-/opt/default}`, `\${${v}:+/opt/set}`]);
  };
  while (total() < target - 12) {
    const [argName, , fam] = rng.pick(bases);
    const parent = stageNames.length > 0 && rng.chance(0.3) ? rng.pick(stageNames) : `\${${argName}}`;
    const stageName = `stage-${stageNames.length + 1}-${rng.pick(['deps', 'build', 'test', 'lint', 'assets', 'tools', 'gen'])}`;
    w.comment(`---- ${stageName} ----`);
    w.from(parent, stageName);
    const family = parent.startsWith('${') ? fam : 'debian';
    stageVars.length = 0;
    w.arg(rng.pick(globalVars));
    const stageLen = rng.int(50, 220);
    const stageStart = w.body.length;
    while (w.body.length - stageStart < stageLen && total() < target - 12) {
      const kind = rng.weighted([
        ['env', 3],
        ['arg', 2],
        ['run', 5],
        ['heredoc', 2],
        ['copy', 3],
        ['copyFrom', 2],
        ['label', 1],
        ['workdir', 1],
        ['comment', 2],
        ['copyHeredoc', 1],
      ] as const);
      switch (kind) {
        case 'env': {
          const pairs: [string, string][] = [];
          for (let i = rng.int(1, 5); i > 0; i--) pairs.push(['', rng.pick([`/opt/${rng.pick(['svc', 'lib', 'tools'])}`, `"${useVar()}/sub"`, `${useVar()}`, rng.pick(['on', 'off', '1', '"a b c"'])])]);
          // Values are expanded before the instruction: name the new variables afterwards.
          for (const p of pairs) p[0] = newVar();
          w.env(pairs, { split: pairs.length > 1 });
          break;
        }
        case 'arg': {
          const v = newVar();
          w.arg(v, rng.chance(0.7) ? rng.pick(['1', 'release', '/usr/local', 'x86_64']) : undefined);
          break;
        }
        case 'run': {
          const n = rng.int(3, 25);
          const cmds: Cmd[] = [];
          const comments: (string | undefined)[] = [];
          for (let i = 0; i < n; i++) {
            cmds.push(
              rng.pick([
                `mkdir -p "${useVar()}/out-${i}"`,
                `echo "step ${i} of ${n}" >> /tmp/build.log`,
                `cp -r /src/module-${i} "${useVar()}"`,
                `test -d /tmp || exit 1`,
                `make -C /src/module-${i % 7} -j"$(nproc)" all`,
                `find /tmp -name '*.tmp' -delete`,
                `sed -i 's/@VERSION@/'"$BUILD_NUMBER"'/' /src/version-${i}.txt`,
              ]),
            );
            comments.push(rng.chance(0.1) ? `part ${i}` : undefined);
          }
          const flags = rng.chance(0.4) ? [rng.pick(['--mount=type=cache,target=/root/.cache', '--mount=type=tmpfs,target=/tmp/scratch', '--mount=type=secret,id=token', '--network=none'])] : [];
          w.run(cmds, { flags, comments });
          break;
        }
        case 'heredoc': {
          const body = ['set -eux'];
          for (let i = rng.int(2, 18); i > 0; i--) body.push(rng.pick(['echo "configuring"', 'ls -la /', 'if [ -f /etc/os-release ]; then cat /etc/os-release; fi', 'for f in /src/*.conf; do cp "$f" /etc/; done', 'export PATH="/opt/bin:$PATH"', 'true']));
          w.runHeredoc(body, { interpreter: family !== 'alpine' && rng.chance(0.3) ? 'bash' : undefined });
          break;
        }
        case 'copy':
          w.ins('COPY', `${rng.pick(['', '--chown=1000:1000 ', '--chmod=644 ', '--link '])}src/part-${rng.int(1, 500)}/ ${useVar()}/part/`);
          break;
        case 'copyFrom': {
          const earlier = w.earlierStages();
          if (earlier.length === 0) break;
          w.ins('COPY', `--from=${rng.pick(earlier)} /out/ /deps/${rng.int(1, 999)}/`);
          break;
        }
        case 'label':
          w.label([
            ['com.example.stage', `"${stageName}"`],
            ['com.example.part', String(rng.int(1, 99))],
            ['com.example.owner', rng.pick(['"team a"', 'team-b', '"platform"'])],
          ]);
          break;
        case 'workdir':
          w.ins('WORKDIR', `${useVar()}/work`);
          break;
        case 'comment':
          w.line(`# ${rng.pick(['TODO: split this stage', 'keep in sync with ci.yml', 'the order here matters for the cache', 'see docs/build.md'])}`);
          break;
        case 'copyHeredoc':
          w.copyHeredoc(`/etc/app/conf-${rng.int(1, 9999)}.ini`, ['[main]', `stage=${stageName}`, 'level=info', 'path=$HOME/data']);
          break;
      }
    }
    stageNames.push(stageName);
    w.blank();
  }
  w.from(`\${${bases[4][0]}}`, 'final');
  for (const s of rng.some(stageNames, 1, 3)) w.ins('COPY', `--from=${s} /out/ /app/`);
  w.ins('WORKDIR', '/app');
  expose(w, [8080, 9090]);
  w.ins('HEALTHCHECK', '--interval=30s --timeout=5s CMD ["/app/bin/health"]');
  w.ins('USER', '65532');
  w.ins('ENTRYPOINT', json(['/app/bin/server']));
  return w.render(false, false);
}
