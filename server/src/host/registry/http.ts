/**
 * One bounded HTTP exchange for the registry client: a deadline for the whole exchange (connect, headers,
 * body and redirects), a cap on the body that aborts the read as soon as it is passed, a limited number of
 * redirects (never https -> http unless the target host may speak http, Authorization dropped when the
 * host changes) and a hook that sees every request that goes out (counted by tests and the bench).
 *
 * Must not: retry, cache or interpret registry semantics (client.ts does), or ever wait without a deadline.
 */
import * as http from 'node:http';
import * as https from 'node:https';

export type HttpErrorKind = 'timeout' | 'too-large' | 'network' | 'redirects' | 'insecure' | 'aborted';

export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'HEAD';
  readonly headers?: Readonly<Record<string, string>>;
  /** Deadline for the whole exchange, redirects included. */
  readonly timeoutMs: number;
  /** The body is read up to this many bytes; one byte more aborts the exchange. */
  readonly maxBytes: number;
  readonly maxRedirects?: number;
  /** Hosts (`host` or `host:port`) that may be reached over plain http. */
  readonly allowHttp?: (host: string) => boolean;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The URL that answered (after redirects). */
  readonly url: string;
}

/** Sees every request before it is sent (method and absolute URL). */
export type RequestObserver = (method: string, url: string) => void;

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 8, timeout: 30_000 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 8, timeout: 30_000 }),
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Loopback hosts are always allowed plain http (a registry on this machine). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Performs the request, following redirects; rejects with an HttpError on every fault. */
export async function httpRequest(req: HttpRequest, observe?: RequestObserver): Promise<HttpResponse> {
  const deadline = Date.now() + req.timeoutMs;
  const maxRedirects = req.maxRedirects ?? 5;
  let url = new URL(req.url);
  let headers: Record<string, string> = { ...(req.headers ?? {}) };
  const firstHost = url.host;
  for (let hop = 0; ; hop++) {
    const res = await once(url, req.method ?? 'GET', headers, deadline, req, observe);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.status) || typeof location !== 'string') return res;
    if (hop >= maxRedirects) throw new HttpError('redirects', `more than ${maxRedirects} redirects`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new HttpError('network', `invalid redirect location ${JSON.stringify(location.slice(0, 200))}`);
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new HttpError('insecure', `redirect to unsupported scheme ${next.protocol}`);
    // Never from https down to http (that would also let a public registry point us at local services).
    if (next.protocol === 'http:' && (url.protocol === 'https:' || !(isLoopbackHost(next.host) || req.allowHttp?.(next.host)))) {
      throw new HttpError('insecure', `redirect to plain http at ${next.host} refused`);
    }
    // Credentials never follow a redirect to another host (blob storage, CDNs).
    if (next.host !== firstHost) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
    }
    url = next;
  }
}

function once(
  url: URL,
  method: string,
  headers: Record<string, string>,
  deadline: number,
  req: HttpRequest,
  observe: RequestObserver | undefined,
): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const left = deadline - Date.now();
    if (left <= 0) {
      reject(new HttpError('timeout', `no answer within ${req.timeoutMs} ms`));
      return;
    }
    if (req.signal?.aborted) {
      reject(new HttpError('aborted', 'aborted'));
      return;
    }
    const secure = url.protocol === 'https:';
    if (!secure && !(isLoopbackHost(url.host) || req.allowHttp?.(url.host))) {
      reject(new HttpError('insecure', `plain http to ${url.host} is not allowed (add it to dockwright.images.extraRegistries)`));
      return;
    }
    observe?.(method, url.href);
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err: HttpError | undefined, res?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      if (err) {
        request.destroy();
        reject(err);
      } else resolve(res!);
    };
    const onAbort = () => finish(new HttpError('aborted', 'aborted'));
    const timer = setTimeout(() => finish(new HttpError('timeout', `no complete answer within ${req.timeoutMs} ms`)), left);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const mod = secure ? https : http;
    const request = mod.request(
      url,
      { method, headers: { 'user-agent': 'dockwright', ...headers }, agent: secure ? agents.https : agents.http },
      (res) => {
        const status = res.statusCode ?? 0;
        const length = Number(res.headers['content-length']);
        const respond = () => finish(undefined, { status, headers: res.headers, body: Buffer.concat(chunks), url: url.href });
        if (method === 'HEAD' || (REDIRECTS.has(status) && res.headers.location)) {
          // Nothing of the body is needed; drain it (bounded) so the socket can be reused.
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > 65536) res.destroy();
          });
          res.on('end', respond);
          res.on('close', respond);
          res.on('error', () => respond());
          return;
        }
        if (Number.isFinite(length) && length > req.maxBytes) {
          finish(new HttpError('too-large', `the answer is ${length} bytes, more than the ${req.maxBytes} bytes allowed`));
          return;
        }
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > req.maxBytes) {
            finish(new HttpError('too-large', `the answer is larger than the ${req.maxBytes} bytes allowed`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', respond);
        res.on('error', (e) => finish(new HttpError('network', e.message)));
        res.on('close', () => {
          if (!res.complete) finish(new HttpError('network', 'the connection closed before the answer was complete'));
        });
      },
    );
    request.on('error', (e: NodeJS.ErrnoException) => finish(new HttpError('network', networkMessage(e, url))));
    request.end();
  });
}

function networkMessage(e: NodeJS.ErrnoException, url: URL): string {
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${url.hostname} (no network?)`;
    case 'ECONNREFUSED':
      return `${url.host} refused the connection`;
    case 'ECONNRESET':
      return `${url.host} reset the connection`;
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return `${url.host} is unreachable (no network?)`;
    default:
      return `${url.host}: ${e.message}`;
  }
}

/** Closes idle keep-alive sockets (tests and the bench, so the process can exit). */
export function closeIdleSockets(): void {
  agents.http.destroy();
  agents.https.destroy();
  agents.http = new http.Agent({ keepAlive: true, maxSockets: 8, timeout: 30_000 });
  agents.https = new https.Agent({ keepAlive: true, maxSockets: 8, timeout: 30_000 });
}
