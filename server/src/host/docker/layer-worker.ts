/**
 * The layer explorer's work: `docker save <image>` streamed through the archive reader. `exploreImage` runs
 * it in the calling process; run as a program (`node layer-worker.js --dockwright-layer-worker '<json>'` with
 * DOCKWRIGHT_LAYER_WORKER=1 and an IPC channel) it does the same in a child process and reports over IPC, so
 * the extension host never reads the archive. The client forks the bundled `server/dist/layer-worker.js`.
 *
 * Messages to the parent: `{ type: 'progress', bytes, total }` (at most every 200 ms), then one of
 * `{ type: 'done', report, peakRssBytes, durationMs }` or `{ type: 'error', fault }`. The child stops
 * `docker save` and exits when the parent disconnects.
 *
 * Must not: depend on VS Code; keep file contents.
 */
import { analyzeImageArchive, type ArchiveReport } from './image-archive';
import { classifyFailure, CANCELLED_FAULT, DockerError, faultOf, killTree, spawnDocker, spawnFault, type DockerFault } from './cli';
import { inspectImage } from './images';

export interface ExploreRequest {
  readonly dockerPath: string;
  readonly image: string;
  /** Deadline of the inspect call (the save itself has none: it is as long as the image is big). */
  readonly timeoutMs?: number;
  readonly topOffenders?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly bytes: number; readonly total: number | undefined }
  | { readonly type: 'done'; readonly report: ArchiveReport; readonly peakRssBytes: number; readonly durationMs: number }
  | { readonly type: 'error'; readonly fault: DockerFault };

/** Streams `docker save` of the image through the analysis. Throws a `DockerError` or `TarFormatError`. */
export async function exploreImage(req: ExploreRequest, onProgress?: (bytes: number, total: number | undefined) => void, signal?: AbortSignal): Promise<ArchiveReport> {
  const opts = { dockerPath: req.dockerPath, timeoutMs: req.timeoutMs ?? 30_000, env: req.env, signal };
  const inspect = await inspectImage(req.image, opts);
  const total = inspect.Size;
  const child = spawnDocker(['save', '--', req.image], { dockerPath: req.dockerPath, env: req.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 16384) stderr += d.toString('utf8');
  });
  let spawnError: DockerFault | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = spawnFault(e, req.dockerPath);
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  const onAbort = () => void killTree(child, 1000);
  signal?.addEventListener('abort', onAbort, { once: true });
  let last = 0;
  try {
    const analysis = analyzeImageArchive(child.stdout!, {
      topOffenders: req.topOffenders,
      signal,
      onBytes: (bytes) => {
        const now = Date.now();
        if (now - last < 200) return;
        last = now;
        onProgress?.(bytes, total);
      },
    }).catch(async (e: unknown) => {
      // Stop docker before waiting for it: nobody reads its output any more.
      await killTree(child, 500);
      throw e;
    });
    const [result, code] = await Promise.allSettled([analysis, exited]);
    if (signal?.aborted) throw new DockerError(CANCELLED_FAULT);
    if (spawnError) throw new DockerError(spawnError);
    // A complete archive is the answer even if docker complained after writing it.
    if (result.status === 'fulfilled') return result.value;
    const exitCode = code.status === 'fulfilled' ? code.value : null;
    if (exitCode !== 0) throw new DockerError(classifyFailure(stderr, `Saving ${req.image}`));
    if (result.reason instanceof DockerError) throw result.reason;
    throw new DockerError({
      kind: 'failed',
      message: `The image archive of ${req.image} could not be read: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`,
      nextStep: 'Please report it with the output of "docker save <image> | tar -tv | head -50".',
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await killTree(child, 500);
  }
}

function runAsWorker(): void {
  const send = (m: WorkerMessage) => process.send?.(m);
  const controller = new AbortController();
  process.on('disconnect', () => {
    controller.abort();
    setTimeout(() => process.exit(1), 2000).unref();
  });
  const started = Date.now();
  let req: ExploreRequest;
  try {
    req = JSON.parse(process.argv[process.argv.indexOf('--dockwright-layer-worker') + 1] ?? '{}') as ExploreRequest;
  } catch (e) {
    send({ type: 'error', fault: faultOf(e) });
    process.exit(2);
  }
  exploreImage(req, (bytes, total) => send({ type: 'progress', bytes, total }), controller.signal)
    .then((report) => {
      send({ type: 'done', report, peakRssBytes: process.resourceUsage().maxRSS * 1024, durationMs: Date.now() - started });
    })
    .catch((e: unknown) => {
      const fault: DockerFault = e instanceof DockerError ? e.fault : { kind: 'failed', message: `The image archive could not be read: ${e instanceof Error ? e.message : String(e)}`, nextStep: 'See the Dockwright output for details.' };
      send({ type: 'error', fault });
    })
    .finally(() => {
      // Let the last message flush before exiting.
      if (process.connected) process.disconnect();
      setTimeout(() => process.exit(0), 100).unref();
    });
}

if (process.env.DOCKWRIGHT_LAYER_WORKER === '1' && process.argv.includes('--dockwright-layer-worker')) runAsWorker();
