// One build, as the Build Image command and the `dockwright-build` task run it: the engine's builder, the
// output (capped in the view, complete in a log file), the failing instruction as a diagnostic (cleared by
// the next successful build), and the built image recorded and sent to the language server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyzeText } from './syntax';
import { instructionForStep } from '../../../server/src/core/features/build-steps';
import { runBuild, type BuildResult } from '../../../server/src/host/docker/build';
import { DockerError } from '../../../server/src/host/docker/cli';
import { imageLayers } from '../../../server/src/host/docker/images';
import { CappedOutput } from '../../../server/src/host/docker/output-cap';
import type { BuildProgress } from '../../../server/src/host/docker/progress';
import { dockerSettings, runOptions, type DockerDeps } from './docker-env';

export interface BuildSpec {
  readonly dockerfile: vscode.Uri;
  readonly context: string;
  readonly tag?: string;
  readonly target?: string;
  readonly buildArgs: readonly (readonly [string, string])[];
  readonly platform?: string;
  readonly noCache?: boolean;
  readonly network?: string;
}

export interface BuildOutcome {
  readonly result: BuildResult;
  /** Where the failure is in the Dockerfile, when it is known. */
  readonly failedAt?: { readonly range: vscode.Range; readonly message: string };
  readonly logFile: string | undefined;
}

function quoteForDisplay(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

async function dockerfileText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

function logPath(context: vscode.ExtensionContext): string | undefined {
  try {
    const dir = path.join(context.logUri.fsPath, 'builds');
    fs.mkdirSync(dir, { recursive: true });
    // Keep the last 10 logs.
    const old = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
    for (const f of old.slice(0, Math.max(0, old.length - 9))) fs.rmSync(path.join(dir, f), { force: true });
    return path.join(dir, `build-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  } catch {
    return undefined;
  }
}

/** Builds running now: stopped when the extension is deactivated, so no docker build outlives the window. */
const active = new Set<AbortController>();

export function abortAllBuilds(): void {
  for (const c of active) c.abort();
}

/**
 * Runs a build. `write` receives the output for the view (capped); the full output goes to a log file.
 * Throws a `DockerError` when the engine cannot be asked at all; otherwise resolves with the outcome.
 */
export async function executeBuild(
  deps: DockerDeps,
  spec: BuildSpec,
  write: (text: string) => void,
  signal: AbortSignal,
  onProgress?: (p: BuildProgress) => void,
): Promise<BuildOutcome> {
  const settings = dockerSettings();
  const engine = await deps.engine.get(settings);
  const file = logPath(deps.context);
  const stream = file ? fs.createWriteStream(file) : undefined;
  stream?.on('error', () => undefined);
  const view = new CappedOutput(settings.outputLimitBytes, write, file);
  const started = new Date();
  const local = new AbortController();
  const onAbort = () => local.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) local.abort();
  active.add(local);
  let result: BuildResult;
  try {
    result = await runBuild(
      {
        dockerPath: settings.dockerPath,
        builder: engine.builder,
        dockerfile: spec.dockerfile.fsPath,
        context: spec.context,
        tag: spec.tag,
        target: spec.target,
        buildArgs: spec.buildArgs,
        platform: spec.platform,
        noCache: spec.noCache,
        network: spec.network,
        label: settings.labelImages,
      },
      {
        signal: local.signal,
        onStart: (args) => {
          const line = `> ${[settings.dockerPath, ...args].map(quoteForDisplay).join(' ')}\n` + `  (builder: ${engine.builder}, engine ${engine.serverVersion} ${engine.os}/${engine.arch})\n\n`;
          view.write(line);
          stream?.write(line);
        },
        onOutput: (text) => {
          view.write(text);
          stream?.write(text);
        },
        onProgress,
      },
    );
  } finally {
    active.delete(local);
    signal.removeEventListener('abort', onAbort);
  }
  const tail = view.summary();
  if (tail) write(tail);
  stream?.end();
  const uri = spec.dockerfile;
  if (result.ok) {
    deps.diagnostics.delete(uri);
    try {
      const layers = await imageLayers(result.imageId, runOptions(settings));
      await deps.images.record({ uri: uri.toString(), id: result.imageId, tag: spec.tag, target: spec.target, built: started.toISOString() }, layers);
    } catch (e) {
      deps.log.warn(`The image was built, but reading its layers failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { result, logFile: file };
  }
  if (result.cancelled || !result.failure) {
    if (result.fault && !result.cancelled) deps.engine.forget();
    return { result, logFile: file };
  }
  const failure = result.failure;
  let failedAt: BuildOutcome['failedAt'];
  if (failure.ref) {
    const text = await dockerfileText(uri);
    const analysis = analyzeText(text);
    const ins = instructionForStep(analysis, failure.ref);
    if (ins) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.getText() === text);
      const pos = (offset: number) => {
        if (doc) return doc.positionAt(offset);
        const before = text.slice(0, offset);
        const line = before.split('\n').length - 1;
        return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
      };
      const range = new vscode.Range(pos(ins.range.start), pos(ins.range.end));
      const lastLines = failure.output.filter((l) => l.trim()).slice(-5);
      const message = `The build failed here: ${failure.message}${lastLines.length ? `\n${lastLines.join('\n')}` : ''}`;
      failedAt = { range, message };
    }
  }
  return { result, failedAt, logFile: file };
}

/** Puts the failure on its instruction (the 'dockwright-build' collection). */
export function showBuildDiagnostic(deps: DockerDeps, uri: vscode.Uri, failedAt: NonNullable<BuildOutcome['failedAt']>): void {
  const d = new vscode.Diagnostic(failedAt.range, failedAt.message, vscode.DiagnosticSeverity.Error);
  d.source = 'docker build';
  d.code = 'BuildFailed';
  deps.diagnostics.set(uri, [d]);
}

/** A DockerError thrown before the build started, as a result (for callers that report both the same way). */
export function faultResult(e: unknown): BuildResult | undefined {
  if (!(e instanceof DockerError)) return undefined;
  return { ok: false, cancelled: e.fault.kind === 'cancelled', failure: undefined, fault: e.fault, exitCode: null, durationMs: 0 };
}
