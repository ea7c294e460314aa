/**
 * A streaming tar reader: entries come out one at a time with their body as a stream of chunks, pulled from
 * the source as the consumer reads (so backpressure reaches `docker save`), never buffered whole. Reads
 * ustar, GNU long names (`L`/`K`) and PAX headers (`x`; `g` ignored), base-256 sizes; a body the consumer
 * does not read is skipped. Layer blobs may be gzip-compressed: `decompressed` detects that by magic bytes.
 *
 * Must not: keep file contents; trust sizes beyond the header (a short stream is an error, not a hang).
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type TarType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo' | 'other';

export interface TarHeader {
  /** The path as stored (PAX `path` / GNU long name applied), without a leading `./`. */
  readonly name: string;
  readonly size: number;
  readonly type: TarType;
  readonly linkname: string;
  readonly mode: number;
}

export interface TarEntry extends TarHeader {
  /** The body's bytes, in the source's chunks; read it before asking for the next entry, or leave it (skipped). */
  body(): AsyncGenerator<Buffer>;
}

export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarFormatError';
  }
}

/** Pulls exact byte counts or chunks from an async iterator of buffers. */
class ByteReader {
  private chunks: Buffer[] = [];
  private avail = 0;
  private done = false;
  constructor(private readonly it: AsyncIterator<Buffer | Uint8Array | string>) {}

  private async fill(n: number): Promise<void> {
    while (this.avail < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      const v = r.value;
      const b = typeof v === 'string' ? Buffer.from(v) : Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      if (b.length === 0) continue;
      this.chunks.push(b);
      this.avail += b.length;
    }
  }

  /** Exactly `n` bytes, or undefined at the end of the stream (a partial block counts as the end). */
  async readExact(n: number): Promise<Buffer | undefined> {
    await this.fill(n);
    if (this.avail < n) return undefined;
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const c = this.chunks[0];
      const take = Math.min(c.length, n - off);
      c.copy(out, off, 0, take);
      off += take;
      if (take === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(take);
    }
    this.avail -= n;
    return out;
  }

  /** The next chunk of at most `max` bytes (no copy), or undefined at the end. */
  async chunk(max: number): Promise<Buffer | undefined> {
    if (this.avail === 0) await this.fill(1);
    if (this.avail === 0) return undefined;
    const c = this.chunks[0];
    if (c.length <= max) {
      this.chunks.shift();
      this.avail -= c.length;
      return c;
    }
    this.chunks[0] = c.subarray(max);
    this.avail -= max;
    return c.subarray(0, max);
  }

  async skip(n: number): Promise<void> {
    while (n > 0) {
      const c = await this.chunk(n);
      if (!c) throw new TarFormatError('unexpected end of archive');
      n -= c.length;
    }
  }
}

function cString(b: Buffer, start: number, len: number): string {
  const end = b.indexOf(0, start);
  return b.toString('utf8', start, end >= 0 && end < start + len ? end : start + len);
}

function octal(b: Buffer, start: number, len: number): number {
  if (b[start] & 0x80) {
    // GNU base-256: big-endian two's complement in the remaining bytes.
    let v = 0;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i];
    return v;
  }
  const s = cString(b, start, len).trim();
  return s ? parseInt(s, 8) : 0;
}

function checksumOk(b: Buffer): boolean {
  const want = octal(b, 148, 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : b[i];
  return sum === want;
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

const TYPES: Record<string, TarType> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo' };

function parsePax(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(' ', i);
    if (sp < 0) break;
    const len = Number(text.slice(i, sp));
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

function clean(name: string): string {
  let n = name;
  while (n.startsWith('./')) n = n.slice(2);
  return n;
}

const MAX_META = 1024 * 1024;

/** Metadata carried from PAX / GNU long-name entries to the entry they describe. */
interface Pending {
  pax: Record<string, string>;
  longName: string | undefined;
  longLink: string | undefined;
}

type Parsed =
  | { readonly kind: 'end' }
  | { readonly kind: 'meta'; readonly flag: string; readonly size: number }
  | { readonly kind: 'entry'; readonly header: TarHeader; readonly padded: number };

/** Reads one 512-byte header block, applying (and clearing) the pending PAX / long-name metadata. */
function parseHeader(block: Buffer, pending: Pending): Parsed {
  if (isZero(block)) return { kind: 'end' };
  if (!checksumOk(block)) throw new TarFormatError('not a tar archive (bad header checksum)');
  const flag = String.fromCharCode(block[156]);
  let size = octal(block, 124, 12);
  if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
    if (size > MAX_META) throw new TarFormatError(`metadata entry of ${size} bytes`);
    return { kind: 'meta', flag, size };
  }
  let name = cString(block, 0, 100);
  if (block.toString('latin1', 257, 262) === 'ustar') {
    const prefix = cString(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  if (pending.longName !== undefined) name = pending.longName;
  if (pending.pax.path !== undefined) name = pending.pax.path;
  let linkname = pending.longLink ?? cString(block, 157, 100);
  if (pending.pax.linkpath !== undefined) linkname = pending.pax.linkpath;
  if (pending.pax.size !== undefined && /^\d+$/.test(pending.pax.size)) size = Number(pending.pax.size);
  pending.pax = {};
  pending.longName = undefined;
  pending.longLink = undefined;
  const type = TYPES[flag] ?? 'other';
  const bodySize = type === 'dir' || type === 'symlink' || type === 'hardlink' ? 0 : size;
  return { kind: 'entry', header: { name: clean(name), size: bodySize, type, linkname, mode: octal(block, 100, 8) }, padded: Math.ceil(size / 512) * 512 };
}

function applyMeta(flag: string, size: number, body: Buffer, pending: Pending): void {
  const text = body.toString('utf8', 0, size);
  if (flag === 'x') pending.pax = { ...pending.pax, ...parsePax(text) };
  else if (flag === 'L') pending.longName = text.replace(/\0+$/, '');
  else if (flag === 'K') pending.longLink = text.replace(/\0+$/, '');
}

/** Reads a tar stream entry by entry. Ends at the end-of-archive block or the end of the stream. */
export async function* readTar(source: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  // Unread body bytes (and padding) of the previous entry, skipped before the next header.
  const state = { pending: 0 };
  const pending: Pending = { pax: {}, longName: undefined, longLink: undefined };
  for (;;) {
    if (state.pending > 0) {
      await reader.skip(state.pending);
      state.pending = 0;
    }
    const block = await reader.readExact(512);
    if (!block) return;
    const parsed = parseHeader(block, pending);
    if (parsed.kind === 'end') return;
    if (parsed.kind === 'meta') {
      const padded = Math.ceil(parsed.size / 512) * 512;
      const body = padded > 0 ? await reader.readExact(padded) : Buffer.alloc(0);
      if (!body) throw new TarFormatError('unexpected end of archive');
      applyMeta(parsed.flag, parsed.size, body, pending);
      continue;
    }
    state.pending = parsed.padded;
    let remaining = parsed.header.size;
    const entry: TarEntry = {
      ...parsed.header,
      async *body() {
        while (remaining > 0) {
          const c = await reader.chunk(remaining);
          if (!c) throw new TarFormatError('unexpected end of archive');
          remaining -= c.length;
          state.pending -= c.length;
          yield c;
        }
      },
    };
    yield entry;
  }
}

/**
 * A synchronous tar header scanner for when only the headers matter (a layer's file list): feed chunks with
 * `push`, get one callback per entry; bodies are skipped without being copied. Much cheaper per entry than
 * `readTar` (no promise per entry), which matters for layers with hundreds of thousands of files.
 */
export class TarScanner {
  private readonly block = Buffer.alloc(512);
  private have = 0;
  private skip = 0;
  private meta: { flag: string; size: number; body: Buffer; got: number } | undefined;
  private readonly pending: Pending = { pax: {}, longName: undefined, longLink: undefined };
  /** True once the end-of-archive block was read (the rest is padding). */
  ended = false;

  constructor(private readonly onEntry: (h: TarHeader) => void) {}

  push(chunk: Buffer): void {
    let off = 0;
    const len = chunk.length;
    while (off < len && !this.ended) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, len - off);
        this.skip -= n;
        off += n;
        continue;
      }
      if (this.meta) {
        const m = this.meta;
        const n = Math.min(m.body.length - m.got, len - off);
        chunk.copy(m.body, m.got, off, off + n);
        m.got += n;
        off += n;
        if (m.got === m.body.length) {
          applyMeta(m.flag, m.size, m.body, this.pending);
          this.meta = undefined;
        }
        continue;
      }
      let block: Buffer;
      if (this.have === 0 && len - off >= 512) {
        block = chunk.subarray(off, off + 512);
        off += 512;
      } else {
        const n = Math.min(512 - this.have, len - off);
        chunk.copy(this.block, this.have, off, off + n);
        this.have += n;
        off += n;
        if (this.have < 512) break;
        this.have = 0;
        block = this.block;
      }
      const parsed = parseHeader(block, this.pending);
      if (parsed.kind === 'end') {
        this.ended = true;
        break;
      }
      if (parsed.kind === 'meta') {
        const padded = Math.ceil(parsed.size / 512) * 512;
        if (padded > 0) this.meta = { flag: parsed.flag, size: parsed.size, body: Buffer.alloc(padded), got: 0 };
        else applyMeta(parsed.flag, 0, Buffer.alloc(0), this.pending);
        continue;
      }
      this.onEntry(parsed.header);
      this.skip = parsed.padded;
    }
  }

  /** Throws when the stream stopped inside an entry. */
  end(): void {
    if (!this.ended && (this.skip > 0 || this.meta || this.have > 0)) throw new TarFormatError('unexpected end of archive');
  }
}

/**
 * The bytes of a layer blob, decompressed when it is gzip (detected by its magic bytes, not by its name).
 * zstd layers are reported as unsupported.
 */
export async function* decompressed(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = body[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = first.value;
  const rest = (async function* () {
    yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  })();
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    const src = Readable.from(rest, { objectMode: false });
    src.on('error', (e) => gunzip.destroy(e));
    src.pipe(gunzip);
    for await (const c of gunzip) yield c as Buffer;
    return;
  }
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    throw new TarFormatError('zstd-compressed layers are not supported yet');
  }
  yield* rest;
}
