// Inspect Image (dockwright.inspectImage): pick a local image or the last one built (or come from a layer
// lens with { image, dockerfile }), then show its configuration and layers in a webview (rendered by
// server/src/host/docker/inspect-view.ts: strict CSP, escaped values). Layers made by a known Dockerfile link
// to their lines; a click reveals the line.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { analyzeText } from './syntax';
import { mapLayers } from '../../../server/src/core/features/layer-map';
import { imageLayers, listImages, recordedTarget, type ImageLayers } from '../../../server/src/host/docker/images';
import { DOCKERFILE_LABEL } from '../../../server/src/host/docker/build';
import { renderInspectHtml, type InspectLayerRow } from '../../../server/src/host/docker/inspect-view';
import { dockerSettings, requireTrust, runOptions, shortId, uriArg, type DockerDeps } from './docker-env';

export const INSPECT_COMMAND = 'dockwright.inspectImage';

export interface ImageChoice {
  /** What docker is asked about: a tag or an id. */
  readonly image: string;
  /** The Dockerfile that made it, when known. */
  readonly dockerfile?: vscode.Uri;
  /** How to name it to the user (the tag), when `image` is an id. */
  readonly label?: string;
}

/** `{ image, dockerfile?, label? }` from a lens or another command, if that is what the argument is. */
export function imageArg(arg: unknown): ImageChoice | undefined {
  if (!arg || typeof arg !== 'object' || uriArg(arg)) return undefined;
  const a = arg as { image?: unknown; dockerfile?: unknown; label?: unknown };
  if (typeof a.image !== 'string' || !a.image) return undefined;
  return { image: a.image, dockerfile: typeof a.dockerfile === 'string' ? vscode.Uri.parse(a.dockerfile) : undefined, label: typeof a.label === 'string' ? a.label : undefined };
}

/** Asks which image: the last builds first, then every local image. */
export async function pickImage(deps: DockerDeps, title: string, arg: unknown): Promise<ImageChoice | undefined> {
  const given = imageArg(arg);
  if (given) return given;
  const from = uriArg(arg);
  const recordFor = from ? deps.images.get(from) : undefined;
  if (recordFor) return { image: recordFor.id, dockerfile: from, label: recordFor.tag };
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { choice?: ImageChoice }>();
  quickPick.title = title;
  quickPick.placeholder = 'Pick an image (the last ones built come first)';
  quickPick.busy = true;
  const recent = deps.images.recent().slice(0, 5).map((r) => ({
    label: `$(history) ${r.tag ?? shortId(r.id)}`,
    description: `built ${new Date(r.built).toLocaleString()}`,
    detail: `from ${vscode.workspace.asRelativePath(vscode.Uri.parse(r.uri))}`,
    choice: { image: r.id, dockerfile: vscode.Uri.parse(r.uri), label: r.tag },
  }));
  quickPick.items = recent;
  quickPick.show();
  let failure: unknown;
  void listImages(runOptions())
    .then((list) => {
      const locals = list.map((i) => ({ label: i.ref ?? `<none> ${shortId(i.id)}`, description: `${i.size} · ${i.createdAt}`, detail: i.ref ? shortId(i.id) : undefined, choice: { image: i.ref ?? i.id } }));
      quickPick.items = [...recent, ...(recent.length ? [{ label: 'Local images', kind: vscode.QuickPickItemKind.Separator }] : []), ...locals];
    })
    .catch((e: unknown) => {
      failure = e;
      // With builds to offer, the list can still be used; without, the failure is the answer.
      if (recent.length === 0) quickPick.hide();
      else deps.log.warn(`Listing images failed: ${e instanceof Error ? e.message : String(e)}`);
    })
    .finally(() => (quickPick.busy = false));
  const result = await new Promise<ImageChoice | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.choice);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
  });
  quickPick.dispose();
  if (!result && failure && recent.length === 0) throw failure;
  return result;
}

/** Which Dockerfile made the image: the given one, a build record, or the label on the image. */
export function dockerfileOf(deps: DockerDeps, choice: ImageChoice, layers: ImageLayers): vscode.Uri | undefined {
  return choice.dockerfile ?? (deps.images.byImageId(layers.inspect.Id) ? vscode.Uri.parse(deps.images.byImageId(layers.inspect.Id)!.uri) : undefined) ?? deps.images.dockerfileForLabel(layers.inspect.Config?.Labels?.[DOCKERFILE_LABEL]);
}

/** The layers table, mapped to the Dockerfile's lines when the Dockerfile is known. */
export async function layerRows(deps: DockerDeps, layers: ImageLayers, dockerfile: vscode.Uri | undefined): Promise<{ rows: InspectLayerRow[]; text: string | undefined }> {
  let text: string | undefined;
  if (dockerfile) {
    try {
      text = Buffer.from(await vscode.workspace.fs.readFile(dockerfile)).toString('utf8');
    } catch {
      text = undefined;
    }
  }
  const rec = deps.images.byImageId(layers.inspect.Id);
  const analysis = analyzeText(text ?? '');
  const mapping = mapLayers(analysis, layers.history, { target: rec?.target ?? recordedTarget(layers.inspect), diffIds: layers.diffIds });
  const rows = mapping.entries.map((e) => ({
    createdBy: e.entry.createdBy,
    size: e.entry.size,
    cumulativeSize: e.cumulativeSize,
    createdAt: e.entry.createdAt,
    line: text !== undefined ? e.line : undefined,
    instruction: e.instruction && text !== undefined ? text.slice(e.instruction.range.start, e.instruction.range.end).split('\n')[0] : undefined,
    base: e.base,
    empty: !e.layer,
    digest: e.digest,
  }));
  return { rows, text };
}

export async function inspectImageCommand(deps: DockerDeps, arg?: unknown): Promise<void> {
  if (!requireTrust('inspect images')) return;
  const choice = await pickImage(deps, 'Inspect Image', arg);
  if (!choice) return;
  const layers = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${choice.image}` }, () => imageLayers(choice.image, runOptions(dockerSettings())));
  const dockerfile = dockerfileOf(deps, choice, layers);
  const { rows } = await layerRows(deps, layers, dockerfile);
  const title = choice.image.startsWith('sha256:') ? (choice.label ?? layers.inspect.RepoTags?.[0] ?? shortId(choice.image)) : choice.image;
  const panel = vscode.window.createWebviewPanel('dockwright.inspectImage', `Image: ${title}`, vscode.ViewColumn.Beside, {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [],
    retainContextWhenHidden: false,
  });
  panel.webview.html = renderInspectHtml(
    { image: layers.inspect, title, layers: rows, dockerfile: dockerfile ? vscode.workspace.asRelativePath(dockerfile) : undefined },
    { cspSource: panel.webview.cspSource, nonce: randomBytes(18).toString('base64') },
  );
  panel.webview.onDidReceiveMessage(async (m: unknown) => {
    const msg = m as { type?: unknown; line?: unknown };
    if (!dockerfile || msg?.type !== 'reveal' || typeof msg.line !== 'number' || !Number.isInteger(msg.line) || msg.line < 0) return;
    const editor = await vscode.window.showTextDocument(dockerfile, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    const pos = new vscode.Position(Math.min(msg.line, editor.document.lineCount - 1), 0);
    editor.selection = new vscode.Selection(pos, editor.document.lineAt(pos.line).range.end);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });
}
