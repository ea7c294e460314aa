/**
 * What a rule is: its metadata (id, title, severity, equivalents in other tools, documentation with
 * good and bad examples) and its check, which reports findings with their fixes. The fix travels
 * with the finding; editors and the CLI only convert it.
 */
import type { DockerfileAst, Span } from '../syntax/ast';
import type { SemanticModel } from '../semantic/model';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type Level = Severity | 'off';

export type Category = 'build-error' | 'buildkit' | 'best-practice' | 'shell' | 'security' | 'cache' | 'image' | 'style';

export interface TextEdit {
  readonly range: Span;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix an editor may apply with "fix all" / auto-fix. */
  readonly preferred?: boolean;
  /**
   * Edits of other files (added for ContextNotIgnored: create or extend the .dockerignore). `path` is a file
   * path as the host gave it (e.g. `ContextInfo.dockerignore.path`). With `create`, the file is created with
   * `text` as its content; otherwise `edits` are offsets into `text`, the file's current content.
   */
  readonly fileEdits?: readonly FileEdit[];
}

/** An edit of a file other than the Dockerfile (see `Fix.fileEdits`). */
export interface FileEdit {
  readonly path: string;
  readonly create?: boolean;
  readonly edits?: readonly TextEdit[];
  readonly text?: string;
}

export interface RelatedInfo {
  readonly message: string;
  readonly range: Span;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Span;
  readonly fixes: readonly Fix[];
  readonly related?: readonly RelatedInfo[];
  readonly tags?: readonly ('unnecessary' | 'deprecated')[];
}

export interface RuleDocs {
  /** One or two sentences: why this matters. */
  readonly rationale: string;
  /** A Dockerfile snippet that triggers the rule. */
  readonly bad: string;
  /** The same snippet, corrected: triggers nothing from this rule. */
  readonly good: string;
}

export interface RuleMeta {
  /** PascalCase; BuildKit's name where BuildKit has the check. */
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  readonly severity: Severity;
  /** Rules off by default run with `--all` or when configured. */
  readonly enabledByDefault: boolean;
  /** Ids of the same check in other tools, tool-prefixed: `hadolint:DL3025`, `buildkit:JSONArgsRecommended`. */
  readonly equivalents: readonly string[];
  readonly fixable: boolean;
  readonly docs: RuleDocs;
  /**
   * hadolint's default severity, where the rule is a hadolint rule. Our `severity` follows it, except that
   * `error` is kept only for what really fails a build (otherwise `warning`), and `style` maps to `info`.
   */
  readonly upstreamSeverity?: 'error' | 'warning' | 'info' | 'style';
}

export interface ReportOptions {
  readonly fixes?: readonly Fix[];
  readonly severity?: Severity;
  readonly related?: readonly RelatedInfo[];
  readonly tags?: readonly ('unnecessary' | 'deprecated')[];
}

/** Information about the build context on disk, provided by the host (server or CLI). */
export interface ContextInfo {
  /** True when the path (relative to the context root, `/`-separated) is excluded by .dockerignore. */
  isIgnored?(path: string): boolean;
  /** Whether a .dockerignore exists for this context. */
  readonly hasDockerignore?: boolean;
  // ---- Added for the layer-cache analysis (issue 6); all optional, filled by host/context-scan.ts. ----
  /** The files of the context (after .dockerignore), when the host has scanned it. */
  readonly files?: ContextFiles;
  /**
   * The .dockerignore in effect (`path`, `text`), or where one would be created (`path` only, `text`
   * undefined). Paths are the host's; the core only passes them back in `Fix.fileEdits`.
   */
  readonly dockerignore?: { readonly path: string; readonly text?: string };
  /** How the context folder was chosen, for messages: the Dockerfile's folder, a setting or a `# dockwright context=` comment. */
  readonly origin?: 'dockerfile' | 'setting' | 'comment';
}

/** A file sent with the build context: its path (relative to the context root, `/`-separated) and size in bytes. */
export interface ContextFileEntry {
  readonly path: string;
  readonly size: number;
}

/** What a COPY/ADD source matches in the context. */
export interface ContextMatch {
  readonly files: number;
  readonly bytes: number;
  /** The largest matched files, largest first (at most the number asked for). */
  largest(count: number): readonly ContextFileEntry[];
}

/** A well-known heavy or generated folder found in the context (.git, node_modules, a virtualenv, build output). */
export interface ContextHeavyDir {
  /** Relative path of the folder. */
  readonly path: string;
  readonly kind: 'vcs' | 'dependencies' | 'virtualenv' | 'build-output' | 'cache';
  /** Excluded by .dockerignore (then `files`/`bytes` are 0: it is not sent). */
  readonly excluded: boolean;
  readonly files: number;
  readonly bytes: number;
  /** The .dockerignore line that excludes it (and its kind elsewhere in the tree). */
  readonly pattern: string;
}

/**
 * The files of a build context as a pure, read-only index (built by the host, queried by the core).
 * Paths are relative to the context root, `/`-separated, without a leading `./`.
 */
export interface ContextFiles {
  /** Files and bytes sent to the builder (what .dockerignore keeps). */
  readonly totalFiles: number;
  readonly totalBytes: number;
  /** Set when the scan stopped early: the totals are then lower bounds. */
  readonly truncated: { readonly reason: 'files' | 'time'; readonly limit: number } | undefined;
  /** Whether a file is in the context (sent). */
  has(path: string): boolean;
  /** Whether a folder holds at least one sent file. */
  hasDir(path: string): boolean;
  /** Sent files under `dir` ('' or '.' for the root) whose name matches `name` (a file name or a `*`/`?` pattern), not descending into `skip` folder names. */
  find(dir: string, name: string, skip?: readonly string[]): readonly string[];
  /** What a COPY/ADD source (Go `filepath.Match` wildcards; a folder means everything under it) matches. */
  match(source: string): ContextMatch;
  /** Well-known heavy or generated folders present in the context, outermost only. */
  heavyDirs(): readonly ContextHeavyDir[];
}

export interface RuleContext {
  readonly text: string;
  readonly ast: DockerfileAst;
  readonly model: SemanticModel;
  readonly context: ContextInfo | undefined;
  /** Options for this rule from configuration (e.g. trusted registries). */
  readonly options: RuleOptions;
  report(range: Span, message: string, options?: ReportOptions): void;
}

export interface RuleOptions {
  /** Platforms each base image offers (`os/arch[/variant]`), when the host knows them (InvalidBaseImagePlatform). */
  readonly imagePlatforms?: Readonly<Record<string, readonly string[]>>;
  /** The target and build platforms of the build, when known. */
  readonly targetPlatform?: string;
  readonly buildPlatform?: string;
  readonly trustedRegistries?: readonly string[];
  readonly labelSchema?: Readonly<Record<string, string>>;
  readonly strictLabels?: boolean;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** Helper for rule files: gives a rule its type without repeating it. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
