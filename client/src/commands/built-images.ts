// The images built from each Dockerfile (recorded in workspaceState: id, tag, target, time), and handing
// them to the language server (`dockwright/builtImage`, with their history and diff ids) so the layer lenses
// and the layer hover can show real sizes. For a Dockerfile opened without a record, the newest local image
// carrying Dockwright's label for that file is used. Runs docker only in trusted workspaces; a missing or
// stopped engine is not an error here (nothing is shown, it is retried later).
import * as vscode from 'vscode';
import { dockerfileLabelValue } from '../../../server/src/host/docker/build';
import { DockerError } from '../../../server/src/host/docker/cli';
import { imageLayers, imagesBuiltFrom, recordedTarget, type ImageLayers } from '../../../server/src/host/docker/images';
import type { ServerController } from '../serverController';
import { dockerSettings, runOptions } from './docker-env';

export interface BuiltImageRecord {
  /** The Dockerfile's URI (string form). */
  readonly uri: string;
  readonly id: string;
  readonly tag?: string;
  readonly target?: string;
  /** ISO time of the build. */
  readonly built: string;
}

const KEY = 'dockwright.builtImages';
const MAX_RECORDS = 100;
const RETRY_AFTER_MS = 5 * 60_000;

export class BuiltImages implements vscode.Disposable {
  private readonly sent = new Map<string, string>();
  private lastClient: unknown;
  private engineDownUntil = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<BuiltImageRecord>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: ServerController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const visit = (doc: vscode.TextDocument | undefined) => {
      if (doc && doc.languageId === 'dockerfile' && doc.uri.scheme === 'file') void this.publishFor(doc.uri);
    };
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidOpenTextDocument(visit),
      vscode.window.onDidChangeActiveTextEditor((e) => visit(e?.document)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => vscode.workspace.textDocuments.forEach(visit)),
    );
    setTimeout(() => vscode.workspace.textDocuments.forEach(visit), 2000);
  }

  private all(): Record<string, BuiltImageRecord> {
    return this.context.workspaceState.get<Record<string, BuiltImageRecord>>(KEY) ?? {};
  }

  get(uri: vscode.Uri | string): BuiltImageRecord | undefined {
    return this.all()[uri.toString()];
  }

  /** The most recent builds, newest first. */
  recent(): BuiltImageRecord[] {
    return Object.values(this.all()).sort((a, b) => (a.built < b.built ? 1 : -1));
  }

  /** The record whose image has this id, if any. */
  byImageId(id: string): BuiltImageRecord | undefined {
    return this.recent().find((r) => r.id === id);
  }

  /** The open or recorded Dockerfile an image's label points to. */
  dockerfileForLabel(label: string | undefined): vscode.Uri | undefined {
    if (!label) return undefined;
    const candidates = [...this.recent().map((r) => vscode.Uri.parse(r.uri)), ...vscode.workspace.textDocuments.filter((d) => d.languageId === 'dockerfile').map((d) => d.uri)];
    return candidates.find((u) => u.scheme === 'file' && dockerfileLabelValue(u.fsPath) === label);
  }

  /** Records a build and sends the image to the server. */
  async record(rec: BuiltImageRecord, layers?: ImageLayers): Promise<void> {
    const all = { ...this.all(), [rec.uri]: rec };
    const keys = Object.keys(all).sort((a, b) => (all[a].built < all[b].built ? 1 : -1));
    for (const k of keys.slice(MAX_RECORDS)) delete all[k];
    await this.context.workspaceState.update(KEY, all);
    this.changed.fire(rec);
    this.sent.delete(rec.uri);
    await this.publish(rec, layers);
  }

  /** Sends the image known for a Dockerfile to the server (once per session and image, unless forced). */
  async publishFor(uri: vscode.Uri): Promise<void> {
    if (!vscode.workspace.isTrusted || Date.now() < this.engineDownUntil) return;
    this.resendIfRestarted();
    const key = uri.toString();
    if (this.sent.has(key)) return;
    this.sent.set(key, '');
    let rec = this.get(uri);
    try {
      if (!rec) {
        const found = (await imagesBuiltFrom(uri.fsPath, runOptions()))[0];
        if (!found) return;
        rec = { uri: key, id: found.id, tag: found.ref, built: found.createdAt };
      }
      await this.publish(rec);
    } catch (e) {
      this.sent.delete(key);
      if (e instanceof DockerError && (e.fault.kind === 'not-installed' || e.fault.kind === 'daemon-down' || e.fault.kind === 'permission' || e.fault.kind === 'timeout')) {
        this.engineDownUntil = Date.now() + RETRY_AFTER_MS;
      }
      this.log.debug(`No layer sizes for ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async publish(rec: BuiltImageRecord, layers?: ImageLayers): Promise<void> {
    const client = this.controller.client;
    if (!client) return;
    let data = layers;
    try {
      data ??= await imageLayers(rec.id, runOptions(dockerSettings()));
    } catch (e) {
      if (e instanceof DockerError && e.fault.kind === 'not-found') {
        // The recorded image is gone: forget it on the server, and look for another by label next time.
        await client.sendNotification('dockwright/builtImage', { uri: rec.uri, image: { id: rec.id }, history: null }).catch(() => undefined);
        const all = { ...this.all() };
        delete all[rec.uri];
        await this.context.workspaceState.update(KEY, all);
        this.sent.delete(rec.uri);
        return;
      }
      throw e;
    }
    const target = rec.target ?? recordedTarget(data.inspect);
    const tag = rec.tag ?? data.inspect.RepoTags?.[0];
    await client.sendNotification('dockwright/builtImage', {
      uri: rec.uri,
      image: { id: rec.id, tag, created: data.inspect.Created ?? rec.built, target },
      history: data.history,
      diffIds: data.diffIds,
    });
    this.sent.set(rec.uri, rec.id);
    this.lastClient = client;
  }

  /** After a server restart the server knows nothing: send again. */
  private resendIfRestarted(): void {
    const client = this.controller.client;
    if (!client || client === this.lastClient) return;
    this.lastClient = client;
    this.sent.clear();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

