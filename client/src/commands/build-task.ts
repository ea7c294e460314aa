// The `dockwright-build` task type, so builds run from tasks.json too:
//   { "type": "dockwright-build", "dockerfile": "${workspaceFolder}/Dockerfile", "tag": "app:dev",
//     "target": "runtime", "buildArgs": { "NODE": "20" }, "problemMatcher": "$dockwright-build" }
// The task runs the same build as the command (custom execution in a pseudo-terminal, no shell: values pass
// literally), and ends a failed build with one line the contributed `$dockwright-build` problem matcher reads:
//   dockwright-build: /abs/Dockerfile:12:1: error: <the builder's message>
import * as path from 'node:path';
import * as vscode from 'vscode';
import { executeBuild, faultResult, type BuildSpec } from './build-run';
import { DOCKERFILE_GLOB } from './build';
import type { DockerDeps } from './docker-env';

export const TASK_TYPE = 'dockwright-build';

export interface DockwrightBuildTaskDefinition extends vscode.TaskDefinition {
  readonly type: typeof TASK_TYPE;
  readonly dockerfile: string;
  readonly context?: string;
  readonly tag?: string;
  readonly target?: string;
  readonly buildArgs?: Record<string, string>;
  readonly platform?: string;
  readonly noCache?: boolean;
  readonly network?: string;
}

/** The problem matcher line for a failure (kept in sync with package.json's `dockwright-build` matcher). */
export function problemLine(file: string, line: number, column: number, message: string): string {
  return `dockwright-build: ${file}:${line}:${column}: error: ${message.replace(/\s*\n\s*/g, ' ')}`;
}

function folderOf(scope: vscode.TaskScope | vscode.WorkspaceFolder | undefined): string | undefined {
  return scope && typeof scope === 'object' ? scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

class BuildTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly abort = new AbortController();

  constructor(
    private readonly deps: DockerDeps,
    private readonly def: DockwrightBuildTaskDefinition,
    private readonly folder: string | undefined,
  ) {}

  private write(s: string): void {
    this.writeEmitter.fire(s.replace(/\r?\n/g, '\r\n'));
  }

  open(): void {
    void this.run().then(
      (code) => this.closeEmitter.fire(code),
      (e: unknown) => {
        this.write(`\nDockwright: ${e instanceof Error ? e.message : String(e)}\n`);
        this.closeEmitter.fire(1);
      },
    );
  }

  close(): void {
    this.abort.abort();
  }

  private async run(): Promise<number> {
    if (!vscode.workspace.isTrusted) {
      this.write('Dockwright runs docker only in trusted workspaces. Trust this workspace to run the build task.\n');
      return 1;
    }
    const base = this.folder ?? process.cwd();
    if (!this.def.dockerfile) {
      this.write('The dockwright-build task needs "dockerfile" (a path, relative to the workspace folder or absolute).\n');
      return 1;
    }
    const dockerfile = path.resolve(base, this.def.dockerfile);
    const spec: BuildSpec = {
      dockerfile: vscode.Uri.file(dockerfile),
      context: path.resolve(base, this.def.context ?? path.dirname(dockerfile)),
      tag: this.def.tag,
      target: this.def.target,
      buildArgs: Object.entries(this.def.buildArgs ?? {}).map(([k, v]) => [k, String(v)] as const),
      platform: this.def.platform,
      noCache: this.def.noCache,
      network: this.def.network,
    };
    let outcome;
    try {
      outcome = await executeBuild(this.deps, spec, (s) => this.write(s), this.abort.signal);
    } catch (e) {
      const r = faultResult(e);
      if (!r || r.ok) throw e;
      this.write(`\n${r.fault!.message} ${r.fault!.nextStep}\n`);
      return 1;
    }
    const r = outcome.result;
    if (r.ok) {
      this.write(`\nBuilt ${spec.tag ?? r.imageId} in ${(r.durationMs / 1000).toFixed(1)} s.\n`);
      return 0;
    }
    if (r.cancelled) {
      this.write('\nBuild cancelled.\n');
      return 130;
    }
    if (outcome.failedAt) {
      const { range, message } = outcome.failedAt;
      this.write(`\n${problemLine(dockerfile, range.start.line + 1, range.start.character + 1, message.replace(/^The build failed here: /, ''))}\n`);
    } else if (r.fault) {
      this.write(`\n${r.fault.message} ${r.fault.nextStep}\n`);
    } else {
      this.write(`\nThe build failed${r.failure ? `: ${r.failure.message}` : ''}.\n`);
    }
    return r.exitCode && r.exitCode > 0 ? r.exitCode : 1;
  }
}

function makeTask(deps: DockerDeps, def: DockwrightBuildTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope, name: string): vscode.Task {
  const folder = folderOf(scope);
  const task = new vscode.Task(
    def,
    scope,
    name,
    'dockwright',
    new vscode.CustomExecution(async (resolved) => new BuildTerminal(deps, { ...def, ...(resolved as DockwrightBuildTaskDefinition) }, folder)),
    ['$dockwright-build'],
  );
  task.group = vscode.TaskGroup.Build;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
  return task;
}

export function registerBuildTasks(deps: DockerDeps): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, {
    provideTasks: async () => {
      if (!vscode.workspace.isTrusted) return [];
      const files = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', 50);
      return files.map((uri) => {
        const folder = vscode.workspace.getWorkspaceFolder(uri);
        const rel = folder ? path.relative(folder.uri.fsPath, uri.fsPath) : uri.fsPath;
        const def: DockwrightBuildTaskDefinition = { type: TASK_TYPE, dockerfile: rel };
        return makeTask(deps, def, folder ?? vscode.TaskScope.Workspace, `build ${rel}`);
      });
    },
    resolveTask: (task) => {
      const def = task.definition as DockwrightBuildTaskDefinition;
      if (def.type !== TASK_TYPE || typeof def.dockerfile !== 'string') return undefined;
      return makeTask(deps, def, task.scope ?? vscode.TaskScope.Workspace, task.name);
    },
  });
}
