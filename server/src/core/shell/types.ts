/**
 * The shell syntax model the rules read: every simple command of a RUN body (shell form or heredoc),
 * with its words and their exact offsets in the script text, and how commands are joined
 * (pipelines, `&&`, `||`, `;`, subshells, substitutions). Produced by ./parser.ts.
 */

export interface ShWord {
  /** The word exactly as written. */
  readonly raw: string;
  /**
   * The word with quotes and escapes removed when it is a literal; expansions (`$x`, `$(...)`,
   * backticks) are kept as written.
   */
  readonly value: string;
  /** Offsets in the script text (end exclusive). */
  readonly start: number;
  readonly end: number;
  /** Any part quoted ('...', "...", or \x). */
  readonly quoted: boolean;
  /** Contains `$`-expansion, command substitution or backticks (outside single quotes). */
  readonly hasExpansion: boolean;
  /** Unquoted `$var`/`${var}` expansions in the word (subject to word splitting and globbing). */
  readonly unquotedVars: readonly { name: string; start: number; end: number }[];
}

export interface ShRedirect {
  /** `>`, `>>`, `<`, `2>`, `&>`, `<<`, `<<<`, `>&`... including any fd number. */
  readonly op: string;
  readonly target: ShWord | undefined;
  readonly start: number;
  readonly end: number;
  /** For `<<` / `<<-`: the delimiter (quotes removed) and the body's offsets when the body is in the text. */
  readonly heredoc?: { readonly delimiter: string; readonly expand: boolean; readonly body: { start: number; end: number } | undefined };
}

export type Connector = '&&' | '||' | ';' | '&' | '\n' | undefined;

export interface ShCommand {
  /** `FOO=bar` words before the command name. */
  readonly assignments: readonly ShWord[];
  /** The command name; undefined for a bare assignment or redirect. */
  readonly name: ShWord | undefined;
  readonly args: readonly ShWord[];
  readonly redirects: readonly ShRedirect[];
  readonly start: number;
  readonly end: number;
  /** The pipeline this command is part of (a single command is a pipeline of one). */
  readonly pipeline: ShPipeline;
  /** Position in the pipeline. */
  readonly pipelineIndex: number;
  /** Nesting: 0 at top level; >0 inside a subshell, group, if/for/while/case body, function or substitution. */
  readonly depth: number;
  /** True inside `$(...)` or backticks. */
  readonly inSubstitution: boolean;
  /** True inside the condition part of if/while/until or on the left of `||`/`&&` chains where failure is handled. */
  readonly inCondition: boolean;
}

export interface ShPipeline {
  /**
   * The simple commands that are direct elements of this pipeline. Compound elements (`{ }`, `( )`,
   * if/for/while/case) are not listed (their inner commands have their own pipelines at depth + 1), so
   * this may be EMPTY: e.g. `if ...; fi && x` gives a pipeline with no commands for the `if`.
   */
  readonly commands: readonly ShCommand[];
  readonly negated: boolean;
  readonly start: number;
  readonly end: number;
  /** The operator that follows this pipeline in its list, if any. */
  readonly next: Connector;
  /** The operator that precedes it. */
  readonly prev: Connector;
  /** Offsets of each `|` (or `|&`) operator. */
  readonly pipes: readonly { start: number; end: number }[];
  /** Nesting depth, as for commands. */
  readonly depth: number;
  /** The pipeline before `prev` / after `next` in the same list (undefined at the ends of the list). */
  readonly preceding: ShPipeline | undefined;
  readonly following: ShPipeline | undefined;
}

/** A `$(...)`, backtick, `$((...))` or `<(...)`/`>(...)` in the text. */
export interface ShSubstitution {
  readonly kind: 'command' | 'backtick' | 'arithmetic' | 'process';
  readonly start: number;
  readonly end: number;
  /** Inside double quotes. */
  readonly quoted: boolean;
}

export interface ShParseError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface ShellScript {
  readonly text: string;
  /** Every simple command in source order, nested ones included. */
  readonly commands: readonly ShCommand[];
  /** Every pipeline in source order. */
  readonly pipelines: readonly ShPipeline[];
  /** Constructs found: used by dialect checks (`[[`, arrays, `function`, `<<<`, `$'..'`, `{a,b}`...). */
  readonly bashisms: readonly { feature: string; start: number; end: number }[];
  readonly errors: readonly ShParseError[];
  /** Every substitution, in source order. */
  readonly substitutions: readonly ShSubstitution[];
  /** The dialect the text was parsed for. */
  readonly dialect: 'posix' | 'bash';
}
