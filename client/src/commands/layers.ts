// Layer explorer (dockwright.exploreLayers and the "Image Layers" view): reads `docker save` of an image in a
// child process (server/dist/layer-worker.js: the extension host never touches the archive), with progress
// and cancel, and shows the wasted bytes (biggest offenders first), the efficiency and each layer's added,
// changed and removed files. Definitions: docs/layer-explorer.md.
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { formatBytes } from '../../../server/src/core/features/context-files';
import { DockerError, type DockerFault } from '../../../server/src/host/docker/cli';
import type { ArchiveReport } from '../../../server/src/host/docker/image-archive';
import { imageLayers } from '../../../server/src/host/docker/images';
import { exploreImage, type ExploreRequest, type WorkerMessage } from '../../../server/src/host/docker/layer-worker';
import type { LayerStats, Offender } from '../../../server/src/host/docker/waste';
import { dockerSettings, guarded, requireTrust, runOptions, shortId, type DockerDeps } from './docker-env';
import { dockerfileOf, layerRows, pickImage, type ImageChoice } from './inspect';

export const EXPLORE_COMMAND = 'dockwright.exploreLayers';
export const REVEAL_COMMAND = 'dockwright.layers.revealLine';
export const VIEW_ID = 'dockwright.layers';

type Node =
  | { readonly kind: 'summary' }
  | { readonly kind: 'section'; readonly id: 'waste' | 'layers' }
  | { readonly kind: 'offender'; readonly o: Offender }
  | { readonly kind: 'layer'; readonly l: LayerStats }
  | { readonly kind: 'detail'; readonly label: string; readonly description?: string; readonly tooltip?: string; readonly icon?: string }
  | { readonly kind: 'message'; readonly text: string; readonly icon: string };

interface Shown {
  readonly image: string;
  readonly report: ArchiveReport;
  readonly dockerfile: vscode.Uri | undefined;
  /** Dockerfile line (0-based) per layer index. */
  readonly lines: (number | undefined)[];
  readonly durationMs: number;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export class LayerTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private shown: Shown | undefined;
  private status: Node | undefined;

  set(shown: Shown | undefined, status?: Node): void {
    this.shown = shown;
    this.status = status;
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      if (this.status) return [this.status];
      if (!this.shown) return [];
      return [{ kind: 'summary' }, { kind: 'section', id: 'waste' }, { kind: 'section', id: 'layers' }];
    }
    const s = this.shown;
    if (!s) return [];
    const r = s.report;
    if (node.kind === 'section' && node.id === 'waste') {
      if (r.offenders.length === 0) return [{ kind: 'detail', label: 'No wasted bytes: no file is overwritten or deleted by a later layer.', icon: 'pass' }];
      const more = r.offenderCount - r.offenders.length;
      return [...r.offenders.map((o) => ({ kind: 'offender' as const, o })), ...(more > 0 ? [{ kind: 'detail' as const, label: `and ${more} more paths` }] : [])];
    }
    if (node.kind === 'section' && node.id === 'layers') return r.layers.map((l) => ({ kind: 'layer' as const, l }));
    if (node.kind === 'layer') {
      const l = node.l;
      const out: Node[] = [
        { kind: 'detail', label: `Added: ${l.added.count} files`, description: formatBytes(l.added.bytes), icon: 'diff-added' },
        { kind: 'detail', label: `Changed: ${l.changed.count} files`, description: formatBytes(l.changed.bytes), icon: 'diff-modified' },
        { kind: 'detail', label: `Removed: ${l.removed.count} files`, description: formatBytes(l.removed.bytes), icon: 'diff-removed' },
      ];
      if (l.wastedBytes > 0) out.push({ kind: 'detail', label: `Hidden by later layers`, description: formatBytes(l.wastedBytes), icon: 'warning' });
      for (const f of l.largest) out.push({ kind: 'detail', label: f.path, description: formatBytes(f.size), icon: 'file' });
      return out;
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const s = this.shown;
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'summary': {
        const r = s!.report;
        const item = new vscode.TreeItem(s!.image);
        item.description = `${formatBytes(r.wastedBytes)} wasted · efficiency ${pct(r.efficiency)}`;
        item.iconPath = new vscode.ThemeIcon('package');
        const md = new vscode.MarkdownString(undefined, true);
        md.appendMarkdown(`**${s!.image}**: ${r.layers.length} layers, ${formatBytes(r.totalBytes)} of files stored, ${formatBytes(r.finalBytes)} visible.\n\n`);
        md.appendMarkdown(`Wasted: **${formatBytes(r.wastedBytes)}** (files overwritten or deleted by a later layer; ${pct(r.wastedUserRatio)} of the layers above the base). Efficiency: **${pct(r.efficiency)}** (visible / stored).\n\n`);
        md.appendMarkdown(`dive would report ${formatBytes(r.diveWastedBytes)} wasted: it also counts the surviving copy of every overwritten file.\n\n`);
        md.appendMarkdown(`Read ${formatBytes(r.archiveBytes)} of \`docker save\` output in ${(s!.durationMs / 1000).toFixed(1)} s (${r.format === 'oci' ? 'OCI' : 'classic'} layout).`);
        item.tooltip = md;
        return item;
      }
      case 'section': {
        const r = s!.report;
        const item = new vscode.TreeItem(node.id === 'waste' ? 'Wasted space, biggest first' : 'Layers', vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.id === 'waste' ? `${r.offenderCount} paths, ${formatBytes(r.wastedBytes)}` : `${r.layers.length}`;
        item.iconPath = new vscode.ThemeIcon(node.id === 'waste' ? 'trash' : 'layers');
        return item;
      }
      case 'offender': {
        const o = node.o;
        const item = new vscode.TreeItem(o.path);
        const layers = o.layers.map((i) => `#${i + 1}`).join(', ');
        item.description = `${formatBytes(o.wastedBytes)} · ${o.removed ? 'deleted' : 'overwritten'} · layer ${layers}`;
        item.tooltip = `${o.path}: ${o.versions} version${o.versions > 1 ? 's' : ''} (${formatBytes(o.wastedBytes)}) stored in layer ${layers} but ${o.removed ? 'deleted' : 'overwritten'} later.`;
        item.iconPath = new vscode.ThemeIcon(o.removed ? 'trash' : 'replace');
        const line = s!.lines[o.layers[0]];
        if (line !== undefined && s!.dockerfile) item.command = { title: 'Go to the instruction', command: REVEAL_COMMAND, arguments: [s!.dockerfile, line] };
        return item;
      }
      case 'layer': {
        const l = node.l;
        const info = s!.report.layerInfo[l.index];
        const created = (info?.createdBy ?? '').replace(/\s+# buildkit$/, '').replace(/^\/bin\/sh -c #\(nop\)\s+/, '') || (l.index === 0 ? '(base layer)' : '');
        const item = new vscode.TreeItem(`#${l.index + 1} ${created.length > 80 ? created.slice(0, 77) + '…' : created}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${formatBytes(l.size)} · +${l.added.count} ~${l.changed.count} −${l.removed.count}${l.wastedBytes ? ` · ${formatBytes(l.wastedBytes)} hidden later` : ''}`;
        item.tooltip = `${info?.createdBy ?? ''}\n${info?.diffId ?? ''}`;
        item.iconPath = new vscode.ThemeIcon(l.wastedBytes > 0 ? 'warning' : 'layers');
        const line = s!.lines[l.index];
        if (line !== undefined && s!.dockerfile) item.command = { title: 'Go to the instruction', command: REVEAL_COMMAND, arguments: [s!.dockerfile, line] };
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.label);
        item.description = node.description;
        item.tooltip = node.tooltip;
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
    }
  }
}

/** Runs the analysis in a child process (the bundled worker), or in this process when the bundle is missing. */
function runWorker(deps: DockerDeps, req: ExploreRequest, onProgress: (bytes: number, total: number | undefined) => void, signal: AbortSignal): Promise<{ report: ArchiveReport; peakRssBytes?: number }> {
  const workerPath = deps.context.asAbsolutePath('server/dist/layer-worker.js');
  if (!fs.existsSync(workerPath)) {
    deps.log.warn(`The layer worker bundle is missing (${workerPath}); reading the image in the extension host.`);
    return exploreImage(req, onProgress, signal).then((report) => ({ report }));
  }
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = fork(workerPath, ['--dockwright-layer-worker', JSON.stringify(req)], {
        env: { ...process.env, DOCKWRIGHT_LAYER_WORKER: '1', ELECTRON_RUN_AS_NODE: '1' },
        execArgv: [],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'json',
      });
    } catch (e) {
      reject(e);
      return;
    }
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 8192) stderr += d.toString();
    });
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      // The worker stops `docker save` when its IPC channel closes; kill it if it lingers.
      if (child.connected) child.disconnect();
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 3000).unref();
      done(() => reject(new DockerError({ kind: 'cancelled', message: 'Cancelled.', nextStep: '' })));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m.bytes, m.total);
      else if (m.type === 'done') done(() => resolve({ report: m.report, peakRssBytes: m.peakRssBytes }));
      else if (m.type === 'error') done(() => reject(new DockerError(m.fault)));
    });
    child.on('error', (e) => done(() => reject(e)));
    child.on('exit', (code) => {
      if (stderr.trim()) deps.log.debug(`layer worker: ${stderr.trim()}`);
      done(() => reject(new DockerError({ kind: 'failed', message: `The layer explorer stopped unexpectedly (exit code ${code}).`, nextStep: 'See the Dockwright output for details.', detail: stderr.slice(0, 500) } satisfies DockerFault)));
    });
  });
}

export function registerLayerExplorer(deps: DockerDeps): vscode.Disposable[] {
  const tree = new LayerTree();
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  let running: AbortController | undefined;

  const explore = async (arg?: unknown) => {
    if (!requireTrust('read image layers')) return;
    const choice: ImageChoice | undefined = await pickImage(deps, 'Explore Image Layers', arg);
    if (!choice) return;
    running?.abort();
    const name = choice.label ?? (choice.image.startsWith('sha256:') ? shortId(choice.image) : choice.image);
    const controller = new AbortController();
    running = controller;
    tree.set(undefined, { kind: 'message', text: `Reading the layers of ${name}…`, icon: 'loading~spin' });
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`).then(undefined, () => undefined);
    const started = Date.now();
    const settings = dockerSettings();
    try {
      const { report } = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Reading the layers of ${name}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          let lastPct = 0;
          return runWorker(
            deps,
            { dockerPath: settings.dockerPath, image: choice.image, timeoutMs: settings.timeoutMs },
            (bytes, total) => {
              const p = total ? Math.min(99, Math.floor((bytes / total) * 100)) : 0;
              progress.report({ message: total ? `${formatBytes(bytes)} of ${formatBytes(total)}` : formatBytes(bytes), increment: p > lastPct ? p - lastPct : undefined });
              lastPct = Math.max(lastPct, p);
            },
            controller.signal,
          );
        },
      );
      if (running !== controller) return;
      // Which Dockerfile line made each layer, when the Dockerfile is known.
      let lines: (number | undefined)[] = [];
      let dockerfile: vscode.Uri | undefined;
      try {
        const layers = await imageLayers(choice.image, runOptions(settings));
        dockerfile = dockerfileOf(deps, choice, layers);
        if (dockerfile) {
          const { rows } = await layerRows(deps, layers, dockerfile);
          const byDigest = new Map(rows.filter((r) => r.digest).map((r) => [r.digest!, r.line]));
          lines = report.layerInfo.map((l) => (l.diffId ? byDigest.get(l.diffId) : undefined));
        }
      } catch (e) {
        deps.log.debug(`Layer lines unknown: ${e instanceof Error ? e.message : String(e)}`);
      }
      tree.set({ image: name, report, dockerfile, lines, durationMs: Date.now() - started });
      view.message = undefined;
    } catch (e) {
      if (running === controller) tree.set(undefined);
      throw e;
    } finally {
      if (running === controller) running = undefined;
    }
  };

  return [
    view,
    vscode.commands.registerCommand(EXPLORE_COMMAND, guarded(deps, 'Explore Image Layers', explore)),
    vscode.commands.registerCommand(REVEAL_COMMAND, async (uri: vscode.Uri, line: number) => {
      const editor = await vscode.window.showTextDocument(uri);
      const pos = new vscode.Position(Math.min(line, editor.document.lineCount - 1), 0);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
    { dispose: () => running?.abort() },
  ];
}
