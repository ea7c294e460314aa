/**
 * Every Dockerfile instruction and flag the current BuildKit frontend accepts, as data: used by the
 * flag checks, completion, hover and signature help. Text is ours, written from the reference.
 */

export type FlagType = 'bool' | 'string' | 'strings';

export interface FlagSpec {
  readonly name: string;
  readonly type: FlagType;
  readonly doc: string;
  /** Example values offered by completion. */
  readonly values?: readonly string[];
  /** Only in the labs channel or a recent frontend. */
  readonly since?: string;
}

export interface InstructionSpec {
  readonly name: string;
  readonly summary: string;
  /** Usage lines as the reference writes them. */
  readonly syntax: readonly string[];
  readonly flags: readonly FlagSpec[];
  /** Whether the instruction writes a filesystem layer. */
  readonly createsLayer: boolean;
  /** Snippet for completion (VS Code snippet syntax). */
  readonly snippet: string;
  readonly url: string;
}

const REF = 'https://docs.docker.com/reference/dockerfile/';

const CHOWN: FlagSpec = { name: 'chown', type: 'string', doc: 'Owner of the copied files, `user:group` by name or ID (Linux only).', values: ['root:root', '1000:1000'] };
const CHMOD: FlagSpec = { name: 'chmod', type: 'string', doc: 'Permissions of the copied files, octal (`755`) or symbolic (`u+x`).', values: ['755', '644', '0755'] };
const LINK: FlagSpec = { name: 'link', type: 'bool', doc: 'Copy into an independent layer, so the layer can be reused when earlier layers change.' };
const EXCLUDE: FlagSpec = { name: 'exclude', type: 'strings', doc: 'Exclude paths matching this pattern from the copy; may be repeated.', since: '1.7-labs' };

export const INSTRUCTIONS: readonly InstructionSpec[] = [
  {
    name: 'ADD',
    summary: 'Add local or remote files, directories, archives or Git repositories to the image.',
    syntax: ['ADD [OPTIONS] <src> ... <dest>', 'ADD [OPTIONS] ["<src>", ... "<dest>"]'],
    flags: [
      CHOWN,
      CHMOD,
      LINK,
      { name: 'checksum', type: 'string', doc: 'Verify a remote resource: `sha256:<hex>` for HTTP sources, a commit for Git.', values: ['sha256:'] },
      { name: 'keep-git-dir', type: 'bool', doc: 'Keep the `.git` directory when adding a Git repository.' },
      { name: 'unpack', type: 'bool', doc: 'Whether to extract a local or remote archive (`--unpack=false` keeps it as a file).', since: '1.17' },
      EXCLUDE,
    ],
    createsLayer: true,
    snippet: 'ADD ${1:src} ${2:dest}',
    url: REF + '#add',
  },
  {
    name: 'ARG',
    summary: 'Declare a build argument that users can set with `--build-arg`, with an optional default.',
    syntax: ['ARG <name>[=<default value>] [<name>[=<default value>]...]'],
    flags: [],
    createsLayer: false,
    snippet: 'ARG ${1:name}=${2:value}',
    url: REF + '#arg',
  },
  {
    name: 'CMD',
    summary: 'The default command (or default arguments to ENTRYPOINT) of a container. Only the last CMD of a stage counts.',
    syntax: ['CMD ["executable","param1","param2"]', 'CMD ["param1","param2"]', 'CMD command param1 param2'],
    flags: [],
    createsLayer: false,
    snippet: 'CMD ["${1:executable}"]',
    url: REF + '#cmd',
  },
  {
    name: 'COPY',
    summary: 'Copy files and directories from the build context, a stage or an image into the image.',
    syntax: ['COPY [OPTIONS] <src> ... <dest>', 'COPY [OPTIONS] ["<src>", ... "<dest>"]'],
    flags: [
      { name: 'from', type: 'string', doc: 'Copy from a build stage (name or index), an image, or a named context instead of the build context.' },
      CHOWN,
      CHMOD,
      LINK,
      { name: 'parents', type: 'bool', doc: 'Keep the parent directories of the sources under the destination.', since: '1.7-labs' },
      EXCLUDE,
    ],
    createsLayer: true,
    snippet: 'COPY ${1:src} ${2:dest}',
    url: REF + '#copy',
  },
  {
    name: 'ENTRYPOINT',
    summary: 'The executable a container runs. Use the exec (JSON) form so that signals reach it.',
    syntax: ['ENTRYPOINT ["executable", "param1", "param2"]', 'ENTRYPOINT command param1 param2'],
    flags: [],
    createsLayer: false,
    snippet: 'ENTRYPOINT ["${1:executable}"]',
    url: REF + '#entrypoint',
  },
  {
    name: 'ENV',
    summary: 'Set environment variables for the rest of the stage and for containers run from the image.',
    syntax: ['ENV <key>=<value> [<key>=<value>...]'],
    flags: [],
    createsLayer: false,
    snippet: 'ENV ${1:key}=${2:value}',
    url: REF + '#env',
  },
  {
    name: 'EXPOSE',
    summary: 'Document the ports the container listens on (it does not publish them).',
    syntax: ['EXPOSE <port>[/<protocol>] [<port>[/<protocol>]...]'],
    flags: [],
    createsLayer: false,
    snippet: 'EXPOSE ${1:80}',
    url: REF + '#expose',
  },
  {
    name: 'FROM',
    summary: 'Start a build stage from a base image (or `scratch`, or an earlier stage), optionally naming it.',
    syntax: ['FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]'],
    flags: [
      {
        name: 'platform',
        type: 'string',
        doc: 'Platform of the base image, e.g. `linux/amd64` or `$BUILDPLATFORM` for cross-compilation stages.',
        values: ['$BUILDPLATFORM', '$TARGETPLATFORM', 'linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/386', 'linux/ppc64le', 'linux/s390x', 'linux/riscv64', 'windows/amd64'],
      },
    ],
    createsLayer: false,
    snippet: 'FROM ${1:image}:${2:tag} AS ${3:name}',
    url: REF + '#from',
  },
  {
    name: 'HEALTHCHECK',
    summary: 'Tell the engine how to test that the container still works (`CMD`), or disable an inherited check (`NONE`).',
    syntax: ['HEALTHCHECK [OPTIONS] CMD command', 'HEALTHCHECK NONE'],
    flags: [
      { name: 'interval', type: 'string', doc: 'Time between checks (default 30s).', values: ['30s', '1m', '10s'] },
      { name: 'timeout', type: 'string', doc: 'Time after which a check is considered failed (default 30s).', values: ['30s', '5s', '10s'] },
      { name: 'start-period', type: 'string', doc: 'Grace period after start during which failures do not count (default 0s).', values: ['0s', '10s', '1m'] },
      { name: 'start-interval', type: 'string', doc: 'Time between checks during the start period (default 5s).', values: ['5s', '1s', '2s'] },
      { name: 'retries', type: 'string', doc: 'Consecutive failures before the container is unhealthy (default 3).', values: ['3', '5'] },
    ],
    createsLayer: false,
    snippet: 'HEALTHCHECK --interval=${1:30s} --timeout=${2:5s} CMD ${3:curl -f http://localhost/ || exit 1}',
    url: REF + '#healthcheck',
  },
  {
    name: 'LABEL',
    summary: 'Add metadata to the image as key-value pairs.',
    syntax: ['LABEL <key>=<value> [<key>=<value>...]'],
    flags: [],
    createsLayer: false,
    snippet: 'LABEL ${1:org.opencontainers.image.source}="${2:value}"',
    url: REF + '#label',
  },
  {
    name: 'MAINTAINER',
    summary: 'Deprecated: set the author field. Use `LABEL org.opencontainers.image.authors=...` instead.',
    syntax: ['MAINTAINER <name>'],
    flags: [],
    createsLayer: false,
    snippet: 'MAINTAINER ${1:name}',
    url: REF + '#maintainer-deprecated',
  },
  {
    name: 'ONBUILD',
    summary: 'Register an instruction to run when another build uses this image as its base.',
    syntax: ['ONBUILD <INSTRUCTION>'],
    flags: [],
    createsLayer: false,
    snippet: 'ONBUILD ${1:RUN} ${2:command}',
    url: REF + '#onbuild',
  },
  {
    name: 'RUN',
    summary: 'Execute a command in a new layer on top of the current image.',
    syntax: ['RUN [OPTIONS] <command> ...', 'RUN [OPTIONS] ["<command>", ...]'],
    flags: [
      {
        name: 'mount',
        type: 'strings',
        doc: 'Mount a filesystem for this command only: `type=bind|cache|tmpfs|secret|ssh` with its options; may be repeated.',
        values: ['type=cache,target=', 'type=bind,source=,target=', 'type=secret,id=', 'type=ssh', 'type=tmpfs,target='],
      },
      { name: 'network', type: 'string', doc: 'Network for the command: `default`, `none` or `host` (needs the network.host entitlement).', values: ['default', 'none', 'host'] },
      { name: 'security', type: 'string', doc: 'Run with `insecure` privileges (needs the security.insecure entitlement) or `sandbox` (default).', values: ['sandbox', 'insecure'] },
      { name: 'device', type: 'strings', doc: 'Expose a CDI device to the command.', since: '1.14-labs' },
    ],
    createsLayer: true,
    snippet: 'RUN ${1:command}',
    url: REF + '#run',
  },
  {
    name: 'SHELL',
    summary: 'Change the shell used by the shell form of RUN, CMD and ENTRYPOINT for the rest of the stage.',
    syntax: ['SHELL ["executable", "parameters"]'],
    flags: [],
    createsLayer: false,
    snippet: 'SHELL ["${1:/bin/bash}", "${2:-o}", "${3:pipefail}", "${4:-c}"]',
    url: REF + '#shell',
  },
  {
    name: 'STOPSIGNAL',
    summary: 'The signal sent to the container to stop it (default SIGTERM).',
    syntax: ['STOPSIGNAL signal'],
    flags: [],
    createsLayer: false,
    snippet: 'STOPSIGNAL ${1:SIGTERM}',
    url: REF + '#stopsignal',
  },
  {
    name: 'USER',
    summary: 'Set the user (and optionally group) for the rest of the stage and for the container.',
    syntax: ['USER <user>[:<group>]', 'USER <UID>[:<GID>]'],
    flags: [],
    createsLayer: false,
    snippet: 'USER ${1:app}',
    url: REF + '#user',
  },
  {
    name: 'VOLUME',
    summary: 'Declare mount points for externally mounted volumes. Changes to them after this line are discarded during the build.',
    syntax: ['VOLUME ["/data"]', 'VOLUME /var/log /var/db'],
    flags: [],
    createsLayer: false,
    snippet: 'VOLUME ["${1:/data}"]',
    url: REF + '#volume',
  },
  {
    name: 'WORKDIR',
    summary: 'Set the working directory for the rest of the stage, creating it if needed.',
    syntax: ['WORKDIR /path/to/workdir'],
    flags: [],
    createsLayer: true,
    snippet: 'WORKDIR ${1:/app}',
    url: REF + '#workdir',
  },
];

export const INSTRUCTION_BY_NAME: ReadonlyMap<string, InstructionSpec> = new Map(INSTRUCTIONS.map((i) => [i.name, i]));

/** The mount types of `RUN --mount` and the options each accepts. */
export interface MountOption {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly type: 'string' | 'bool' | 'int' | 'octal' | 'enum';
  readonly values?: readonly string[];
  readonly doc: string;
}

const TARGET: MountOption = { name: 'target', aliases: ['dst', 'destination'], type: 'string', doc: 'Where the mount appears in the container.' };
const SOURCE: MountOption = { name: 'source', aliases: ['src'], type: 'string', doc: 'Path in the `from` source (default its root).' };
const FROM: MountOption = { name: 'from', type: 'string', doc: 'Stage, image or named context to mount from (default the build context).' };
const READONLY: MountOption = { name: 'readonly', aliases: ['ro'], type: 'bool', doc: 'Mount read-only.' };
const RW: MountOption = { name: 'readwrite', aliases: ['rw'], type: 'bool', doc: 'Allow writes (they are discarded after the command).' };
const ID: MountOption = { name: 'id', type: 'string', doc: 'Identifier of the cache, secret or SSH agent socket.' };
const MODE: MountOption = { name: 'mode', type: 'octal', doc: 'File mode, octal.' };
const UID: MountOption = { name: 'uid', type: 'int', doc: 'User ID of the mounted files.' };
const GID: MountOption = { name: 'gid', type: 'int', doc: 'Group ID of the mounted files.' };
const REQUIRED: MountOption = { name: 'required', type: 'bool', doc: 'Fail the build if the secret or SSH socket is not provided.' };

export const MOUNT_TYPES: Readonly<Record<string, { doc: string; options: readonly MountOption[] }>> = {
  bind: { doc: 'Bind-mount files from the build context, a stage or an image (read-only by default).', options: [TARGET, SOURCE, FROM, RW] },
  cache: {
    doc: 'A persistent cache directory shared between builds, e.g. for package managers.',
    options: [
      ID,
      TARGET,
      READONLY,
      { name: 'sharing', type: 'enum', values: ['shared', 'private', 'locked'], doc: 'How concurrent builds share the cache: `shared` (default), `private` or `locked`.' },
      FROM,
      SOURCE,
      MODE,
      UID,
      GID,
    ],
  },
  tmpfs: {
    doc: 'A temporary in-memory filesystem.',
    options: [TARGET, { name: 'size', type: 'int', doc: 'Size limit in bytes.' }],
  },
  secret: {
    doc: 'Mount a secret passed with `--secret` without writing it into a layer.',
    options: [ID, TARGET, { name: 'env', type: 'string', doc: 'Expose the secret as this environment variable instead of a file.' }, REQUIRED, MODE, UID, GID],
  },
  ssh: { doc: 'Give the command access to the SSH agent forwarded with `--ssh`.', options: [ID, TARGET, REQUIRED, MODE, UID, GID] },
};

export const NETWORK_MODES: readonly string[] = ['default', 'none', 'host'];
export const SECURITY_MODES: readonly string[] = ['sandbox', 'insecure'];

/** Parser directives. */
export const DIRECTIVES: Readonly<Record<string, { doc: string; values: readonly string[] }>> = {
  syntax: { doc: 'The Dockerfile frontend image to build with, e.g. `docker/dockerfile:1`.', values: ['docker/dockerfile:1', 'docker/dockerfile:1-labs'] },
  escape: { doc: 'The escape character for line continuations and escaping: `\\` (default) or `` ` `` (handy on Windows).', values: ['\\', '`'] },
  check: { doc: 'Configure build checks: `skip=<rule>,<rule>|all` and `error=true|false`, separated by `;`.', values: ['skip=', 'error=true', 'skip=all'] },
};

/** Signals STOPSIGNAL accepts by name (without SIG). */
export const SIGNALS: readonly string[] = [
  'ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL', 'PROF', 'PWR',
  'QUIT', 'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'USR1', 'USR2', 'VTALRM', 'WINCH',
  'XCPU', 'XFSZ', 'RTMIN', 'RTMAX',
];
