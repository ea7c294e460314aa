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
