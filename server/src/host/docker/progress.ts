/**
 * Reads a build's output as it streams, for the progress notification (step N of M, current instruction) and
 * for the failure (which step failed, with the builder's message and the step's last output lines):
 * - BuildKit `--progress=plain`: `#5 [builder 2/4] RUN make`, `#5 0.271 output`, `#5 DONE 0.3s`, `#5 CACHED`,
 *   `#5 ERROR: executor failed running [...]: exit code: 3`, then a summary (`Dockerfile:7` and an excerpt
 *   in newer versions; `error: failed to solve: ...` / `ERROR: failed to solve: ...`);
 * - the classic builder: `Step 6/7 : RUN make`, ` ---> Running in ...`, output, then
 *   `The command '/bin/sh -c make' returned a non-zero code: 3` (or `COPY failed: ...`).
 *
 * Memory is bounded whatever the build prints: a partial line is capped, each step keeps its last lines only.
 * Pure string processing (no I/O); instruction lookup is core/features/build-steps.ts.
 */
import type { StepRef } from '../../core/features/build-steps';

export interface BuildProgress {
  readonly builder: 'buildkit' | 'classic' | undefined;
  /** Steps finished (done, cached or failed). */
  readonly done: number;
  /** Steps known so far (BuildKit learns each stage's count as it starts; 0 when unknown). */
  readonly total: number;
  /** The step being run, as the builder names it (`[final 1/2] RUN make`, `Step 6/7 : RUN make`). */
  readonly current: string | undefined;
}

export interface BuildFailure {
  /** The builder's message for the failure (`exit code: 3`, `"/nope": not found`...). */
  readonly message: string;
  /** The step that failed, when the output says. */
  readonly ref: StepRef | undefined;
  /** The failed step's last output lines. */
  readonly output: readonly string[];
}

const MAX_LINE = 16 * 1024;
const KEEP_LINES = 20;
const MAX_VERTICES = 10_000;

interface Vertex {
  readonly id: string;
  name: string;
  ref: StepRef | undefined;
  state: 'running' | 'done' | 'cached' | 'error' | 'canceled';
  error: string | undefined;
  logs: string[];
  order: number;
}

function pushBounded(list: string[], line: string): void {
  list.push(line.length > 2000 ? line.slice(0, 2000) + '…' : line);
  if (list.length > KEEP_LINES) list.splice(0, list.length - KEEP_LINES);
}

/** Parses `[builder 2/4] RUN make` (BuildKit's vertex name) into a step reference. */
export function parseBuildkitStepName(name: string): StepRef | undefined {
  const m = /^\[([^\]]*?)\s*(\d+)\/(\d+)\]\s+(.*)$/.exec(name);
  if (!m) return undefined;
  const tokens = m[1].trim().split(/\s+/).filter((t) => t && !t.includes('/'));
  const stage = tokens.length > 0 ? tokens[tokens.length - 1] : undefined;
  return { kind: 'buildkit', stage, step: Number(m[2]), total: Number(m[3]), text: m[4] };
}

/** A reference to a line in a parse error, if the text holds one. */
export function lineRefIn(text: string): StepRef | undefined {
  const m = /(?:dockerfile parse error (?:on )?line|parse error on line|error on line|line) (\d+)\b/i.exec(text);
  return m ? { kind: 'line', line: Number(m[1]) } : undefined;
}

export class BuildOutputParser {
  private partial = '';
  private mode: 'buildkit' | 'classic' | undefined;
  private readonly vertices = new Map<string, Vertex>();
  private readonly stageTotals = new Map<string, number>();
  private order = 0;
  private lastStarted: Vertex | undefined;
  /** Classic builder state. */
  private classicStep: { ref: StepRef; name: string; logs: string[] } | undefined;
  private classicTotal = 0;
  private classicError: string | undefined;
  /** Lines after a BuildKit step failed (the summary). */
  private summary: string[] = [];
  private summaryLine: number | undefined;
  private errorSeen = false;
  private finalMessage: string | undefined;
  private parseRef: StepRef | undefined;
  /** The image id, when the output names it (`writing image sha256:...`, `Successfully built 0123abcd`). */
  imageId: string | undefined;

  constructor(private readonly onProgress?: (p: BuildProgress) => void) {}

  /** Feeds output (any chunking; `\r` progress redraws keep their last state). */
  write(chunk: string): void {
    const all = this.partial + chunk;
    let start = 0;
    let nl = all.indexOf('\n');
    while (nl >= 0) {
      this.line(nl - start > MAX_LINE ? all.slice(start, start + MAX_LINE) : all.slice(start, nl));
      start = nl + 1;
      nl = all.indexOf('\n', start);
    }
    let text = all.slice(start);
    if (text.length > MAX_LINE) {
      this.line(text.slice(0, MAX_LINE));
      text = '';
    }
    this.partial = text;
  }

  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  progress(): BuildProgress {
    if (this.mode === 'classic') {
      const step = this.classicStep?.ref.kind === 'classic' ? this.classicStep.ref.step : 0;
      return { builder: 'classic', done: Math.max(0, step - 1), total: this.classicTotal, current: this.classicStep?.name };
    }
    let done = 0;
    let steps = 0;
    for (const v of this.vertices.values()) {
      if (!v.ref) continue;
      steps++;
      if (v.state !== 'running') done++;
    }
    let total = 0;
    for (const t of this.stageTotals.values()) total += t;
    const running = [...this.vertices.values()].filter((v) => v.ref && v.state === 'running').sort((a, b) => b.order - a.order)[0];
    return { builder: this.mode, done, total: Math.max(total, steps), current: (running ?? this.lastStarted)?.name };
  }

  /** Why the build failed, once the output says it did. */
  failure(): BuildFailure | undefined {
    if (this.mode === 'classic') {
      if (!this.classicError) return this.parseRef || this.finalMessage ? { message: this.finalMessage ?? 'The build failed.', ref: this.parseRef, output: [] } : undefined;
      return { message: this.classicError, ref: this.parseRef ?? this.classicStep?.ref, output: this.classicStep?.logs ?? [] };
    }
    const failed = [...this.vertices.values()].filter((v) => v.state === 'error').sort((a, b) => a.order - b.order);
    const step = failed.find((v) => v.ref) ?? failed[0];
    const lineRef: StepRef | undefined = this.summaryLine !== undefined ? { kind: 'line', line: this.summaryLine } : this.parseRef;
    if (!step && !this.finalMessage && !lineRef) return undefined;
    const message = step?.error ?? this.finalMessage ?? 'The build failed.';
    return { message, ref: step?.ref ?? lineRef, output: step?.logs ?? [] };
  }

  private line(raw: string): void {
    const cr = raw.lastIndexOf('\r', raw.length - 2);
    let line = (cr >= 0 ? raw.slice(cr + 1) : raw).replace(/\r$/, '');
    // eslint-disable-next-line no-control-regex
    line = line.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
    const bk = /^#(\d+) (.*)$/.exec(line);
    if (bk && this.mode !== 'classic') {
      this.mode = 'buildkit';
      this.buildkitLine(bk[1], bk[2]);
      return;
    }
    const step = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
    if (step) {
      this.mode = 'classic';
      const n = Number(step[1]);
      this.classicTotal = Number(step[2]);
      this.classicStep = { ref: { kind: 'classic', step: n, total: this.classicTotal, text: step[3] }, name: line, logs: [] };
      this.emit();
      return;
    }
    if (this.mode === 'classic' || (this.mode === undefined && /^Sending build context|^DEPRECATED: The legacy builder/.test(line))) {
      this.mode = this.mode ?? 'classic';
      this.classicLine(line);
      return;
    }
    this.otherLine(line);
  }

  private buildkitLine(id: string, rest: string): void {
    let v = this.vertices.get(id);
    const named = /^\[[^\]]*\] /.test(rest) || (!v && !/^(DONE|CACHED|ERROR|CANCELED|sha256:)/.test(rest));
    if (named && !/^\d+\.\d+ /.test(rest)) {
      if (!v) {
        if (this.vertices.size >= MAX_VERTICES) return;
        const ref = parseBuildkitStepName(rest);
        v = { id, name: rest, ref, state: 'running', error: undefined, logs: [], order: this.order++ };
        this.vertices.set(id, v);
        if (ref && ref.kind === 'buildkit') this.stageTotals.set(ref.stage ?? '', ref.total);
        this.lastStarted = v;
        this.emit();
      }
      return;
    }
    if (!v) return;
    if (/^DONE\b/.test(rest)) {
      v.state = 'done';
      this.emit();
    } else if (rest === 'CACHED') {
      v.state = 'cached';
      this.emit();
    } else if (rest === 'CANCELED') {
      v.state = 'canceled';
    } else if (/^ERROR\b/.test(rest)) {
      v.state = 'error';
      v.error = rest.replace(/^ERROR:?\s*/, '') || 'failed';
      this.errorSeen = true;
      this.emit();
    } else if (/^sha256:[0-9a-f]{64}$/.test(rest)) {
      // the vertex digest (20.10)
    } else {
      const log = /^\d+\.\d+ (.*)$/.exec(rest);
      const text = log ? log[1] : rest;
      const img = /writing image (sha256:[0-9a-f]{64})/.exec(text);
      if (img) this.imageId = img[1];
      pushBounded(v.logs, text);
    }
  }

  private classicLine(line: string): void {
    const built = /^Successfully built ([0-9a-f]{6,64})$/.exec(line);
    if (built) {
      this.imageId = built[1];
      return;
    }
    if (/^ ---> |^Removing intermediate container|^Sending build context|^Successfully tagged|^DEPRECATED|^\s+(Install the buildx|BuildKit is currently|Environment-variable)/.test(line)) return;
    const err = /^(The command '.*' returned a non-zero code: \d+|(?:COPY|ADD) failed: .*|failed to .*|Error response from daemon: .*|unable to .*|Error: .*|error .*|Service '.*' failed.*)$/.exec(line);
    if (err) {
      if (!this.classicStep) {
        this.finalMessage = err[1];
        this.parseRef = this.parseRef ?? lineRefIn(line);
        return;
      }
      this.classicError = this.classicError ?? err[1];
      this.parseRef = this.parseRef ?? lineRefIn(line);
      return;
    }
    if (this.classicStep && line.trim()) pushBounded(this.classicStep.logs, line);
  }

  private otherLine(line: string): void {
    const t = line.trim();
    if (!t) return;
    const parse = lineRefIn(t);
    if (parse && /parse error|unknown instruction|failed to create LLB|dockerfile/i.test(t)) this.parseRef = this.parseRef ?? parse;
    const file = /^([^\s:]+):(\d+)$/.exec(t);
    if (file && (this.errorSeen || this.summary.length > 0 || /dockerfile|containerfile/i.test(file[1]))) {
      this.summaryLine = Number(file[2]);
      return;
    }
    if (/^-{5,}$/.test(t) || /^>\s/.test(t) || /^\d+\s+\|/.test(t)) {
      this.summary.push(t);
      return;
    }
    const fin = /^(?:ERROR|error):\s*(.*)$/.exec(t);
    if (fin) {
      this.finalMessage = fin[1].replace(/^failed to solve(?: with frontend [^:]+)?:\s*/, '') || fin[1];
      this.errorSeen = true;
      return;
    }
    if (this.errorSeen && !/^\[\+\]|^WARNING/.test(t)) this.finalMessage = t;
    if (/^failed to solve|^executor failed|^failed to compute cache key/.test(t)) {
      this.finalMessage = t.replace(/^failed to solve(?: with frontend [^:]+)?:\s*/, '');
      this.errorSeen = true;
    }
  }

  private emit(): void {
    this.onProgress?.(this.progress());
  }
}
