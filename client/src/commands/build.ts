// Build Image (dockwright.buildImage): from the editor title, the editor and explorer context menus and the
// command palette. Asks for the tag, target stage, build args, platform and context folder (the stages and
// args come from the language server's `dockwright/stages`), remembers them per Dockerfile, then builds with
// progress in a notification (step N of M, current instruction; cancellable) and the output in the
// "Dockwright Build" channel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyzeText } from './syntax';
import { buildInfo, sanitizeImageName, validateImageTag, type BuildInfo } from '../../../server/src/core/features/build-info';
import { formatBytes } from '../../../server/src/core/features/context-files';
import { executeBuild, faultResult, showBuildDiagnostic, type BuildSpec } from './build-run';
import { inspectImage } from '../../../server/src/host/docker/images';
import { isDockerfile, requireTrust, runOptions, showFault, uriArg, type DockerDeps } from './docker-env';

export const BUILD_COMMAND = 'dockwright.buildImage';

/** What is remembered per Dockerfile (workspaceState). */
export interface RememberedOptions {
  readonly tag?: string;
  /** Stage name, or '' for the default (last) stage. */
  readonly target?: string;
  readonly buildArgs?: Record<string, string>;
  readonly platform?: string;
  readonly context?: string;
}

const rememberKey = (uri: vscode.Uri) => `dockwright.build.options:${uri.toString()}`;

export const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,dockerfile,containerfile,Dockerfile.*,Containerfile.*,*.Dockerfile,*.dockerfile,*.containerfile,*.Containerfile}';

/** The Dockerfile to build: the argument, the active editor's, or one picked from the workspace. */
export async function resolveDockerfile(arg: unknown): Promise<vscode.Uri | undefined> {
  const given = uriArg(arg) ?? (arg && typeof arg === 'object' && typeof (arg as { dockerfile?: unknown }).dockerfile === 'string' ? vscode.Uri.parse((arg as { dockerfile: string }).dockerfile) : undefined);
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document;
  if (isDockerfile(active) && active.uri.scheme === 'file') return active.uri;
  const found = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', 200);
  if (found.length === 0) {
    void vscode.window.showInformationMessage('No Dockerfile in this workspace. Open one and run Build Image again.');
    return undefined;
  }
  if (found.length === 1) return found[0];
  const pick = await vscode.window.showQuickPick(
    found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { title: 'Build Image: which Dockerfile?', placeHolder: 'Pick the Dockerfile to build' },
  );
  return pick?.uri;
}

/** Stages and build args: from the language server, or parsed here when it is not running. */
async function stagesOf(deps: DockerDeps, uri: vscode.Uri, text: string): Promise<BuildInfo> {
  const client = deps.controller.client;
  if (client?.isRunning()) {
    try {
      return await client.sendRequest<BuildInfo>('dockwright/stages', { uri: uri.toString(), text });
    } catch (e) {
      deps.log.debug(`dockwright/stages failed, parsing locally: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return buildInfo(analyzeText(text));
}

function defaultTag(uri: vscode.Uri): string {
  const folder = path.basename(path.dirname(uri.fsPath));
  return `${sanitizeImageName(folder)}:latest`;
}

const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/386', 'linux/ppc64le', 'linux/s390x', 'linux/riscv64'];

function describe(o: RememberedOptions, info: BuildInfo): string {
  const parts = [`tag ${o.tag}`];
  parts.push(`target ${o.target || `${info.defaultTarget ?? 'last stage'} (default)`}`);
  const args = Object.entries(o.buildArgs ?? {});
  if (args.length) parts.push(`${args.length} build arg${args.length > 1 ? 's' : ''}`);
  if (o.platform) parts.push(o.platform);
  if (o.context) parts.push(`context ${vscode.workspace.asRelativePath(o.context)}`);
  return parts.join(' · ');
}

/** Walks through the options; undefined when the user cancels. */
async function pickOptions(uri: vscode.Uri, info: BuildInfo, remembered: RememberedOptions | undefined): Promise<RememberedOptions | undefined> {
  const dir = path.dirname(uri.fsPath);
  const start: RememberedOptions = { tag: defaultTag(uri), target: '', buildArgs: {}, context: dir, ...remembered };
  if (remembered?.tag) {
    const again = await vscode.window.showQuickPick(
      [
        { label: '$(play) Build with the last options', detail: describe(start, info), again: true },
        { label: '$(gear) Change the options…', again: false },
      ],
      { title: `Build Image: ${vscode.workspace.asRelativePath(uri)}` },
    );
    if (!again) return undefined;
    if (again.again) return start;
  }
  const tag = await vscode.window.showInputBox({
    title: 'Build Image (1/5): image name and tag',
    value: start.tag,
    prompt: 'The name to give the image (--tag), e.g. myapp:dev',
    validateInput: (v) => (v === '' ? undefined : validateImageTag(v)),
  });
  if (tag === undefined) return undefined;

  let target = start.target ?? '';
  const named = info.stages.filter((s) => s.target);
  if (info.stages.length > 1 && named.length > 0) {
    const items = [
      { label: `$(debug-stackframe) ${info.defaultTarget ?? 'last stage'}`, description: 'default: the last stage', target: '' },
      ...named.map((s) => ({ label: s.name!, description: `line ${s.line + 1}: FROM ${s.base}`, target: s.target! })),
    ];
    const pick = await vscode.window.showQuickPick(
      items.map((i) => ({ ...i, picked: i.target === target })),
      { title: 'Build Image (2/5): target stage', placeHolder: 'The stage to build (--target)' },
    );
    if (!pick) return undefined;
    target = pick.target;
  }

  const buildArgs: Record<string, string> = { ...(start.buildArgs ?? {}) };
  for (const k of Object.keys(buildArgs)) if (!info.args.some((a) => a.name === k)) delete buildArgs[k];
  if (info.args.length > 0) {
    for (;;) {
      const items = [
        { label: '$(check) Continue', description: `${Object.keys(buildArgs).length} set`, name: '' },
        ...info.args.map((a) => ({
          label: a.name,
          description: buildArgs[a.name] !== undefined ? `= ${buildArgs[a.name]}` : a.defaultValue !== undefined ? `default: ${a.defaultValue}` : 'no default',
          detail: `line ${a.line + 1}${a.global ? ' (global)' : ''}${a.stages.length ? ` · ${a.stages.join(', ')}` : ''}`,
          name: a.name,
        })),
      ];
      const pick = await vscode.window.showQuickPick(items, { title: 'Build Image (3/5): build arguments', placeHolder: 'Pick an ARG to set its value (--build-arg), or Continue' });
      if (!pick) return undefined;
      if (!pick.name) break;
      const arg = info.args.find((a) => a.name === pick.name)!;
      const value = await vscode.window.showInputBox({
        title: `Build argument ${arg.name}`,
        value: buildArgs[arg.name] ?? arg.defaultValue ?? '',
        prompt: `Value of ${arg.name}, passed literally. Leave empty and press Escape to keep ${buildArgs[arg.name] !== undefined ? 'the value set' : 'the default'}; clear it and press Enter to use the default.`,
      });
      if (value === undefined) continue;
      if (value === '' && arg.defaultValue !== undefined) delete buildArgs[arg.name];
      else buildArgs[arg.name] = value;
    }
  }

  const platformItems = [
    { label: '$(server) Engine default', platform: '' },
    ...PLATFORMS.map((p) => ({ label: p, platform: p })),
    { label: '$(edit) Other…', platform: '\0other' },
  ];
  const platformPick = await vscode.window.showQuickPick(
    platformItems.map((i) => ({ ...i, picked: i.platform === (start.platform ?? '') })),
    { title: 'Build Image (4/5): platform', placeHolder: start.platform ? `Last: ${start.platform}` : 'The platform to build for (--platform)' },
  );
  if (!platformPick) return undefined;
  let platform = platformPick.platform;
  if (platform === '\0other') {
    const typed = await vscode.window.showInputBox({ title: 'Platform', value: start.platform ?? '', prompt: 'os/arch[/variant], e.g. linux/arm64/v8' });
    if (typed === undefined) return undefined;
    platform = typed.trim();
  }

  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  const contextItems = [
    { label: `$(folder) ${vscode.workspace.asRelativePath(dir) || '.'}`, description: "the Dockerfile's folder", dir },
    ...(folder && folder !== dir ? [{ label: `$(root-folder) ${path.basename(folder)}`, description: 'the workspace folder', dir: folder }] : []),
    ...(start.context && start.context !== dir && start.context !== folder ? [{ label: `$(history) ${vscode.workspace.asRelativePath(start.context)}`, description: 'last used', dir: start.context }] : []),
    { label: '$(folder-opened) Browse…', description: '', dir: '' },
  ];
  const ctxPick = await vscode.window.showQuickPick(contextItems, { title: 'Build Image (5/5): build context', placeHolder: 'The folder whose files COPY and ADD can read' });
  if (!ctxPick) return undefined;
  let context = ctxPick.dir;
  if (!context) {
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.Uri.file(dir), openLabel: 'Use as build context' });
    if (!chosen?.[0]) return undefined;
    context = chosen[0].fsPath;
  }
  return { tag: tag || undefined, target, buildArgs, platform: platform || undefined, context };
}

function progressMessage(p: { done: number; total: number; current: string | undefined }): string {
  const cur = p.current ? p.current.replace(/^Step \d+\/\d+ : /, '').replace(/^\[[^\]]*\]\s*/, '') : '';
  const short = cur.length > 70 ? cur.slice(0, 67) + '…' : cur;
  const step = p.total > 0 ? `Step ${Math.min(p.done + 1, p.total)} of ${p.total}` : 'Starting';
  return short ? `${step}: ${short}` : step;
}

export async function buildImage(deps: DockerDeps, arg?: unknown): Promise<void> {
  if (!requireTrust('build images')) return;
  const uri = await resolveDockerfile(arg);
  if (!uri) return;
  if (uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Build Image needs a Dockerfile saved on disk (docker reads it from there).');
    return;
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const text = open?.getText() ?? Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  const info = await stagesOf(deps, uri, text);
  const remembered = deps.context.workspaceState.get<RememberedOptions>(rememberKey(uri));
  const options = await pickOptions(uri, info, remembered);
  if (!options) return;
  await deps.context.workspaceState.update(rememberKey(uri), options);
  const spec: BuildSpec = {
    dockerfile: uri,
    context: options.context ?? path.dirname(uri.fsPath),
    tag: options.tag,
    target: options.target || undefined,
    buildArgs: Object.entries(options.buildArgs ?? {}),
    platform: options.platform,
  };
  const out = deps.buildOutput;
  out.clear();
  out.appendLine(`Building ${spec.tag ?? 'an untagged image'} from ${vscode.workspace.asRelativePath(uri)}${spec.target ? ` (target ${spec.target})` : ''}`);
  const title = `Building ${spec.tag ?? path.basename(uri.fsPath)}`;
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    let last = '';
    try {
      return await executeBuild(deps, spec, (s) => out.append(s), controller.signal, (p) => {
        const m = progressMessage(p);
        if (m !== last) progress.report({ message: (last = m) });
      });
    } catch (e) {
      const r = faultResult(e);
      if (!r) throw e;
      return { result: r, logFile: undefined };
    }
  });
  const r = outcome.result;
  if (r.ok) {
    const image = deps.images.get(uri);
    const seconds = (r.durationMs / 1000).toFixed(1);
    const size = await imageSize(deps, r.imageId);
    const choice = await vscode.window.showInformationMessage(`Built ${spec.tag ?? r.imageId.slice(7, 19)}${size ? ` (${size})` : ''} in ${seconds} s.`, 'Inspect', 'Explore Layers', 'Show Output');
    if (choice === 'Inspect') await vscode.commands.executeCommand('dockwright.inspectImage', { image: image?.id ?? r.imageId, dockerfile: uri.toString(), label: spec.tag });
    else if (choice === 'Explore Layers') await vscode.commands.executeCommand('dockwright.exploreLayers', { image: image?.id ?? r.imageId, dockerfile: uri.toString(), label: spec.tag });
    else if (choice === 'Show Output') out.show(true);
    return;
  }
  if (r.cancelled) {
    out.appendLine('\n[Dockwright: build cancelled]');
    void vscode.window.showInformationMessage('Build cancelled.');
    return;
  }
  if (outcome.failedAt) {
    showBuildDiagnostic(deps, uri, outcome.failedAt);
    const line = outcome.failedAt.range.start.line + 1;
    const choice = await vscode.window.showErrorMessage(`Build failed at line ${line}: ${r.failure?.message ?? 'see the output'}`, 'Go to Line', 'Show Output');
    if (choice === 'Go to Line') {
      const editor = await vscode.window.showTextDocument(uri);
      editor.selection = new vscode.Selection(outcome.failedAt.range.start, outcome.failedAt.range.start);
      editor.revealRange(outcome.failedAt.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } else if (choice === 'Show Output') out.show(true);
    return;
  }
  if (r.fault) {
    await showFault(deps, r.fault, 'Build Image');
    return;
  }
  const choice = await vscode.window.showErrorMessage(`Build failed: ${r.failure?.message ?? `docker exited with code ${r.exitCode}`}`, 'Show Output');
  if (choice) out.show(true);
}

async function imageSize(deps: DockerDeps, id: string): Promise<string | undefined> {
  try {
    const i = await inspectImage(id, runOptions());
    return i.Size !== undefined ? formatBytes(i.Size) : undefined;
  } catch {
    deps.log.debug(`size of ${id} unknown`);
    return undefined;
  }
}
