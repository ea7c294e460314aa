// The commands that run docker: Build Image, Inspect Image, Explore Image Layers (with its view), the
// `dockwright-build` task type, and the built-image records behind the layer lenses. Thin VS Code glue: the
// logic lives in server/src/host/docker (docker CLI, progress, tar, waste) and server/src/core/features
// (layer mapping, build steps), testable without VS Code.
import * as vscode from 'vscode';
import type { ServerController } from '../serverController';
import { buildImage, BUILD_COMMAND } from './build';
import { registerBuildTasks } from './build-task';
import { abortAllBuilds } from './build-run';
import { BuiltImages } from './built-images';
import { EngineProbe, guarded, type DockerDeps } from './docker-env';
import { INSPECT_COMMAND, inspectImageCommand } from './inspect';
import { registerLayerExplorer } from './layers';

export function registerDockerCommands(context: vscode.ExtensionContext, controller: ServerController, log: vscode.LogOutputChannel): vscode.Disposable {
  const buildOutput = vscode.window.createOutputChannel('Dockwright Build');
  const diagnostics = vscode.languages.createDiagnosticCollection('dockwright-build');
  const images = new BuiltImages(context, controller, log);
  const engine = new EngineProbe();
  const deps: DockerDeps = { context, controller, log, buildOutput, diagnostics, images, engine };
  const disposables: vscode.Disposable[] = [
    { dispose: abortAllBuilds },
    buildOutput,
    diagnostics,
    images,
    vscode.commands.registerCommand(BUILD_COMMAND, guarded(deps, 'Build Image', (arg?: unknown) => buildImage(deps, arg))),
    vscode.commands.registerCommand(INSPECT_COMMAND, guarded(deps, 'Inspect Image', (arg?: unknown) => inspectImageCommand(deps, arg))),
    ...registerLayerExplorer(deps),
    registerBuildTasks(deps),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('dockwright.docker') || e.affectsConfiguration('dockwright.build')) engine.forget();
    }),
  ];
  return vscode.Disposable.from(...disposables);
}
