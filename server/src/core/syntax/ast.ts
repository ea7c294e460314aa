/**
 * The syntax tree of a Dockerfile, as BuildKit's frontend reads it.
 * Every position is a UTF-16 offset into the original text (end exclusive), so the tree is
 * independent of line endings and of any editor protocol. Nothing here knows about LSP or files.
 */

/** A half-open range of offsets into the source text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A word of an instruction's arguments, split the way BuildKit splits that instruction. */
export interface Word {
  /** The word as BuildKit sees it before variable expansion (continuations removed). */
  readonly value: string;
  readonly range: Span;
  /** Offset of the word in the instruction's logical text (see `Instruction.logical`). */
  readonly logicalStart: number;
}

export type DirectiveName = 'syntax' | 'escape' | 'check';

/** A parser directive (`# name=value`) at the top of the file. */
export interface Directive {
  /** Lower-case name. Unknown names are kept (BuildKit ignores them) with `known: false`. */
  readonly name: string;
  readonly known: boolean;
  readonly value: string;
  readonly range: Span;
  readonly nameRange: Span;
  readonly valueRange: Span;
}

export interface Comment {
  /** The text after `#`, untrimmed. */
  readonly text: string;
  readonly range: Span;
  /** True when the comment sits inside a continued instruction (BuildKit drops such lines). */
  readonly insideInstruction: boolean;
}

/** A `--name[=value]` flag between the keyword and the arguments. */
export interface Flag {
  /** Name without the leading dashes, before any `=`. */
  readonly name: string;
  /** The value after `=` with quotes removed as BuildKit removes them; undefined when there is no `=`. */
  readonly value: string | undefined;
  readonly range: Span;
  readonly nameRange: Span;
  /** Range of the value text (may be empty). Undefined when there is no `=`. */
  readonly valueRange: Span | undefined;
  /** The value text as written (quotes kept) and its offset in the logical text. */
  readonly rawValue: string | undefined;
  readonly valueLogicalStart: number | undefined;
}

/** A JSON array of strings (exec form). */
export interface JsonArray {
  readonly items: readonly Word[];
  readonly range: Span;
}

/** The command text of a shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD. */
export interface ShellText {
  /** The logical text (continuations joined) as the shell will receive it. */
  readonly text: string;
  readonly range: Span;
  /** Offset of `text[0]` in the instruction's logical line; map with `Instruction.logical`. */
  readonly logicalStart: number;
}

/** A `KEY=value` or legacy `KEY value` pair of ENV, LABEL or ARG. */
export interface KeyValue {
  readonly key: string;
  readonly keyRange: Span;
  /** Raw, unexpanded value (quotes kept); undefined for `ARG NAME` without a default. */
  readonly value: string | undefined;
  readonly valueRange: Span | undefined;
  /** Offset of the value in the instruction's logical text. */
  readonly valueLogicalStart: number | undefined;
  /** False for the legacy `ENV KEY value` form. */
  readonly hasEquals: boolean;
  readonly range: Span;
}

export interface Heredoc {
  /** The delimiter word with quotes removed. */
  readonly name: string;
  /** False when any part of the delimiter is quoted: the body is then not expanded. */
  readonly expand: boolean;
  /** `<<-`: leading tabs are stripped from the body and the terminator. */
  readonly chomp: boolean;
  readonly fd: number | undefined;
  /** The `<<EOF` word in the instruction line. */
  readonly markerRange: Span;
  /** Body text exactly as in the file, each line ending in "\n". */
  readonly body: string;
  /** Range of the body lines in the source (may be empty). */
  readonly bodyRange: Span;
  /** The terminator line; undefined when the heredoc is not terminated. */
  readonly terminatorRange: Span | undefined;
}

/** Maps offsets of an instruction's logical (continuation-joined) text back to the source. */
export interface LogicalText {
  readonly text: string;
  /** Source offset of a logical offset. `atEnd` picks the end of a segment at a segment boundary. */
  toSource(offset: number, atEnd?: boolean): number;
  /** Source range of a logical range. */
  spanOf(start: number, end: number): Span;
}

export interface Instruction {
  /** Upper-case keyword (whatever the file's casing). */
  readonly keyword: string;
  /** Keyword exactly as written. */
  readonly keywordRaw: string;
  readonly keywordRange: Span;
  /** From the keyword to the end of the instruction's last line, heredoc bodies excluded. */
  readonly range: Span;
  /** Like `range`, but including heredoc bodies and terminators. */
  readonly fullRange: Span;
  /** 0-based line numbers of the first and last physical line (heredocs included). */
  readonly startLine: number;
  readonly endLine: number;
  readonly flags: readonly Flag[];
  /** The argument text after the flags, trimmed, continuations joined. */
  readonly argsText: string;
  readonly argsRange: Span | undefined;
  /** The arguments, split as BuildKit splits them for this instruction. */
  readonly args: readonly Word[];
  /** Exec form (RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK CMD/COPY/ADD/VOLUME). */
  readonly json: JsonArray | undefined;
  /** Shell form command text (RUN/CMD/ENTRYPOINT/SHELL and HEALTHCHECK CMD). */
  readonly shell: ShellText | undefined;
  /** ENV, LABEL and ARG pairs. */
  readonly pairs: readonly KeyValue[] | undefined;
  readonly heredocs: readonly Heredoc[];
  /** The trigger of an ONBUILD. */
  readonly trigger: Instruction | undefined;
  /** Lines inside the instruction that were empty (BuildKit's NoEmptyContinuation). */
  readonly emptyContinuationLines: readonly Span[];
  readonly logical: LogicalText;
}

export type ProblemCode =
  | 'DuplicateDirective'
  | 'InvalidEscape'
  | 'JsonNotStringArray'
  | 'KeyValueSyntax'
  | 'UnterminatedHeredoc'
  | 'InvalidHeredoc';

/** A syntax problem found while parsing. The parser reports it and goes on. */
export interface ParseProblem {
  readonly code: ProblemCode;
  readonly message: string;
  readonly range: Span;
}

export interface DockerfileAst {
  readonly text: string;
  /** The active escape character. */
  readonly escape: '\\' | '`';
  readonly directives: readonly Directive[];
  readonly comments: readonly Comment[];
  readonly instructions: readonly Instruction[];
  readonly problems: readonly ParseProblem[];
  /** Start offset of each line (line 0 starts at 0). */
  readonly lineStarts: readonly number[];
}
