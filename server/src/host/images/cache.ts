/**
 * The on-disk image cache, shared by every Dockwright process of the user:
 *   <dir>/v1/blobs/sha256/<hex>.json   manifests, indexes and image configs, digest-addressed (verified on
 *                                       read), kept: their content can never change
 *   <dir>/v1/tags/<hash>.json           tag -> digest (or the fault that ended the last lookup), with the time
 *                                       it was last confirmed; revalidated with a HEAD request after the TTL
 *   <dir>/v1/taglists/<hash>.json       a repository's tag list, with the time it was fetched
 * Writes go to a temporary file then rename, so a reader never sees half a file; a file that does not parse
 * or does not match its digest is treated as missing. A memory layer in front avoids re-reading.
 *
 * Must not: decide freshness (the service does) or throw on a broken or read-only cache directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { setBounded, touch } from '../lru';
import { join } from 'node:path';

export interface TagEntry {
  readonly key: string;
  /** Absent when the last lookup failed. */
  readonly digest?: string;
  readonly mediaType?: string;
  /** When the registry last confirmed the digest (or the fault happened), ms since epoch. */
  readonly checkedAt: number;
  readonly error?: { readonly kind: string; readonly message: string; readonly until: number };
}

export interface TagListEntry {
  readonly key: string;
  readonly tags: readonly string[];
  readonly complete: boolean;
  readonly fetchedAt: number;
}

interface BlobFile {
  readonly mediaType: string;
  readonly body: string;
}

/** The memory layer's bounds (least recently used dropped first); the files stay on disk. */
const MAX_MEMORY_BLOBS = 2000;
const MAX_MEMORY_BLOB_BYTES = 4 * 1024 * 1024;
const MAX_MEMORY_TAGS = 2000;
const MAX_MEMORY_TAG_LISTS = 64;

export class ImageCache {
  private readonly blobs = new Map<string, { mediaType: string; body: Buffer }>();
  private readonly tagsMem = new Map<string, TagEntry | null>();
  private readonly listsMem = new Map<string, TagListEntry | null>();
  private blobBytes = 0;
  private readonly root: string | undefined;
  /** Reads and writes that touched the disk (the bench reports them). */
  diskReads = 0;

  /** `dir` undefined: memory only. */
  constructor(dir: string | undefined) {
    this.root = dir ? join(dir, 'v1') : undefined;
  }

  async getBlob(digest: string): Promise<{ mediaType: string; body: Buffer } | undefined> {
    const mem = this.blobs.get(digest);
    if (mem) {
      touch(this.blobs, digest, mem);
      return mem;
    }
    const hex = hexOf(digest);
    if (!this.root || !hex) return undefined;
    const file = await this.read<BlobFile>(join(this.root, 'blobs', 'sha256', hex + '.json'));
    if (!file || typeof file.body !== 'string' || typeof file.mediaType !== 'string') return undefined;
    const body = Buffer.from(file.body, 'utf8');
    if (createHash('sha256').update(body).digest('hex') !== hex) return undefined;
    const entry = { mediaType: file.mediaType, body };
    this.remember(digest, entry);
    return entry;
  }

  /** Stores content under its digest; content that does not match the digest is not stored. */
  async putBlob(digest: string, mediaType: string, body: Buffer): Promise<void> {
    const hex = hexOf(digest);
    if (!hex || createHash('sha256').update(body).digest('hex') !== hex) return;
    // Manifests and configs are JSON text; anything else is not kept on disk.
    const text = body.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(body)) return;
    this.remember(digest, { mediaType, body });
    if (this.root) await this.write(join(this.root, 'blobs', 'sha256', hex + '.json'), { mediaType, body: text } satisfies BlobFile);
  }

  async getTag(key: string): Promise<TagEntry | undefined> {
    if (this.tagsMem.has(key)) return this.tagsMem.get(key) ?? undefined;
    if (!this.root) return undefined;
    const e = await this.read<TagEntry>(join(this.root, 'tags', hashOf(key) + '.json'));
    const valid = e && e.key === key && typeof e.checkedAt === 'number' ? e : undefined;
    setBounded(this.tagsMem, key, valid ?? null, this.root ? MAX_MEMORY_TAGS : Infinity);
    return valid;
  }

  async putTag(entry: TagEntry): Promise<void> {
    setBounded(this.tagsMem, entry.key, entry, this.root ? MAX_MEMORY_TAGS : Infinity);
    if (this.root) await this.write(join(this.root, 'tags', hashOf(entry.key) + '.json'), entry);
  }

  async getTagList(key: string): Promise<TagListEntry | undefined> {
    if (this.listsMem.has(key)) return this.listsMem.get(key) ?? undefined;
    if (!this.root) return undefined;
    const e = await this.read<TagListEntry>(join(this.root, 'taglists', hashOf(key) + '.json'));
    const valid = e && e.key === key && Array.isArray(e.tags) && typeof e.fetchedAt === 'number' ? e : undefined;
    setBounded(this.listsMem, key, valid ?? null, this.root ? MAX_MEMORY_TAG_LISTS : Infinity);
    return valid;
  }

  async putTagList(entry: TagListEntry): Promise<void> {
    setBounded(this.listsMem, entry.key, entry, this.root ? MAX_MEMORY_TAG_LISTS : Infinity);
    if (this.root) await this.write(join(this.root, 'taglists', hashOf(entry.key) + '.json'), entry);
  }

  /** Forgets what is held in memory (the files stay): the next read goes to disk. */
  dropMemory(): void {
    this.blobs.clear();
    this.blobBytes = 0;
    this.tagsMem.clear();
    this.listsMem.clear();
  }

  private remember(digest: string, entry: { mediaType: string; body: Buffer }): void {
    const old = this.blobs.get(digest);
    if (old) {
      this.blobs.delete(digest);
      this.blobBytes -= old.body.length;
    }
    this.blobs.set(digest, entry);
    this.blobBytes += entry.body.length;
    // Without a disk the memory layer is the whole cache: only the count bounds it then.
    const maxBytes = this.root ? MAX_MEMORY_BLOB_BYTES : Infinity;
    for (const [k, v] of this.blobs) {
      if (this.blobs.size <= 1 || (this.blobs.size <= MAX_MEMORY_BLOBS && this.blobBytes <= maxBytes)) break;
      this.blobs.delete(k);
      this.blobBytes -= v.body.length;
    }
  }

  private async read<T>(file: string): Promise<T | undefined> {
    try {
      this.diskReads++;
      const text = await readFile(file, 'utf8');
      if (text.length > 8 * 1024 * 1024) return undefined;
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  private async write(file: string, value: unknown): Promise<void> {
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(tmp, JSON.stringify(value));
      await rename(tmp, file);
    } catch {
      // A read-only or full disk only costs the cache.
      await unlink(tmp).catch(() => undefined);
    }
  }
}


function hexOf(digest: string): string | undefined {
  const m = /^sha256:([a-f0-9]{64})$/.exec(digest);
  return m ? m[1] : undefined;
}

function hashOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}
