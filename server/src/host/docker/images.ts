/**
 * Local images through the docker CLI: the list (`docker image ls`), one image's config and layers
 * (`docker image inspect`) and its history (`docker history`), each with a deadline; the images built from a
 * Dockerfile, found by the label the build adds. Results are plain data for the client and the core.
 *
 * Must not: depend on VS Code; change anything in the engine.
 */
import { parseHistoryJsonLines, type HistoryEntry } from '../../core/features/layer-map';
import { classifyFailure, docker, DockerError, runDocker, type DockerRunOptions } from './cli';
import { DOCKERFILE_LABEL, dockerfileLabelValue, TARGET_LABEL } from './build';

export interface ImageSummary {
  readonly id: string;
  /** `repo:tag`, or undefined for untagged images. */
  readonly ref: string | undefined;
  readonly repository: string;
  readonly tag: string;
  readonly createdAt: string;
  readonly size: string;
}

/** `docker image ls --format '{{json .}}'` lines. */
export function parseImageList(text: string): ImageSummary[] {
  const out: ImageSummary[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const o = JSON.parse(line) as Record<string, string>;
      const repo = o.Repository ?? '<none>';
      const tag = o.Tag ?? '<none>';
      out.push({
        id: o.ID ?? '',
        ref: repo !== '<none>' && tag !== '<none>' ? `${repo}:${tag}` : undefined,
        repository: repo,
        tag,
        createdAt: o.CreatedAt ?? '',
        size: o.Size ?? '',
      });
    } catch {
      // skip garbage lines
    }
  }
  return out;
}

export async function listImages(options: DockerRunOptions, filters: readonly string[] = []): Promise<ImageSummary[]> {
  const args = ['image', 'ls', '--no-trunc', '--format', '{{json .}}'];
  for (const f of filters) args.push('--filter', f);
  return parseImageList(await docker(args, options, 'Listing images'));
}

/** The parts of `docker image inspect` that Dockwright shows. */
export interface ImageInspect {
  readonly Id: string;
  readonly RepoTags?: string[] | null;
  readonly RepoDigests?: string[] | null;
  readonly Created?: string;
  readonly Architecture?: string;
  readonly Variant?: string;
  readonly Os?: string;
  readonly Size?: number;
  readonly Author?: string;
  readonly Comment?: string;
  readonly Config?: {
    readonly User?: string;
    readonly Env?: string[] | null;
    readonly Cmd?: string[] | null;
    readonly Entrypoint?: string[] | null;
    readonly WorkingDir?: string;
    readonly ExposedPorts?: Record<string, unknown> | null;
    readonly Volumes?: Record<string, unknown> | null;
    readonly Labels?: Record<string, string> | null;
    readonly Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } | null;
    readonly StopSignal?: string;
    readonly Shell?: string[] | null;
    readonly OnBuild?: string[] | null;
  } | null;
  readonly RootFS?: { readonly Type?: string; readonly Layers?: string[] | null } | null;
}

export async function inspectImage(image: string, options: DockerRunOptions): Promise<ImageInspect> {
  const r = await runDocker(['image', 'inspect', '--format', '{{json .}}', '--', image], options);
  if (r.code !== 0) throw new DockerError(classifyFailure(r.stderr, `Inspecting ${image}`));
  const line = r.stdout.split('\n').find((l) => l.trim().startsWith('{'));
  if (!line) throw new DockerError(classifyFailure('No such image', `Inspecting ${image}`));
  return JSON.parse(line) as ImageInspect;
}

/** The history of an image, oldest first (sizes in bytes). */
export async function imageHistory(image: string, options: DockerRunOptions): Promise<HistoryEntry[]> {
  const out = await docker(['history', '--no-trunc', '--human=false', '--format', '{{json .}}', '--', image], options, `Reading the history of ${image}`);
  return parseHistoryJsonLines(out);
}

/** What the layer features need of an image: its config, history and diff ids, read concurrently. */
export interface ImageLayers {
  readonly inspect: ImageInspect;
  readonly history: HistoryEntry[];
  readonly diffIds: string[];
}

export async function imageLayers(image: string, options: DockerRunOptions): Promise<ImageLayers> {
  const [inspect, history] = await Promise.all([inspectImage(image, options), imageHistory(image, options)]);
  return { inspect, history, diffIds: inspect.RootFS?.Layers ?? [] };
}

/** Images built by Dockwright from this Dockerfile, newest first. */
export async function imagesBuiltFrom(dockerfilePath: string, options: DockerRunOptions): Promise<ImageSummary[]> {
  const list = await listImages(options, [`label=${DOCKERFILE_LABEL}=${dockerfileLabelValue(dockerfilePath)}`]);
  return list.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** The `--target` recorded on an image by Dockwright's build, if any. */
export function recordedTarget(inspect: ImageInspect): string | undefined {
  return inspect.Config?.Labels?.[TARGET_LABEL] || undefined;
}

