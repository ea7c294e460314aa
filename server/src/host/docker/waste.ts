/**
 * Per-layer changes and wasted bytes of an image, computed from the layers' file lists in order (no file
 * contents): what each layer added, changed and removed, and which bytes the image carries without showing
 * them.
 *
 * Definitions (see docs/layer-explorer.md). A *version* is a regular file as stored in one layer (path, size,
 * layer). Whiteouts (`dir/.wh.name`: delete `dir/name`; `dir/.wh..wh..opq`: hide everything the lower layers
 * had in `dir`) and later writes to the same path (or to a path that turns a directory into a file or back)
 * hide versions. Then
 *
 *   totalBytes  = Σ size(v)                         over every version v in every layer
 *   finalBytes  = Σ size(v)                         over the versions visible in the final filesystem
 *   wastedBytes = totalBytes − finalBytes           = Σ size(v) over hidden versions
 *   efficiency  = finalBytes / totalBytes           (1 when totalBytes = 0)
 *
 * dive reports, per path seen in two or more layers, the sum of the sizes of *all* its occurrences, the
 * surviving version included: a file written in one layer and overwritten once counts twice its size although
 * only one copy is wasted. Dockwright counts only hidden versions, so that number is exact: it is what a
 * squash of the image would save. `diveWastedBytes` gives dive's number for comparison (regular files only).
 *
 * State is per path (a tree of the visible files, a record per path that wasted bytes), never file contents.
 * Hard links carry no bytes of their own (size 0); directories have no size.
 */

/** What a layer entry is. */
export const KIND_FILE = 0;
export const KIND_DIR = 1;
export const KIND_LINK = 2;
export const KIND_OTHER = 3;

/** One layer's entries, as read from its tar, in a compact form. */
export class LayerEntries {
  readonly paths: string[] = [];
  readonly sizes: number[] = [];
  readonly kinds: number[] = [];

  /** Whether any entry is a whiteout (so the deletion pass can be skipped for most layers). */
  whiteouts = 0;

  add(path: string, size: number, kind: number): void {
    const p = normalizePath(path);
    if (p.includes('.wh.')) this.whiteouts++;
    this.paths.push(p);
    this.sizes.push(size);
    this.kinds.push(kind);
  }

  get count(): number {
    return this.paths.length;
  }
}

/** Normalises a tar path: no leading `./` or `/`, no trailing `/`. Empty for the root. */
export function normalizePath(p: string): string {
  let s = p;
  while (s.startsWith('./')) s = s.slice(2);
  s = s.replace(/^\/+/, '').replace(/\/+$/, '');
  return s === '.' ? '' : s;
}

export interface FileSize {
  readonly path: string;
  readonly size: number;
}

export interface LayerStats {
  readonly index: number;
  /** Bytes of the regular files in the layer. */
  size: number;
  /** Entries (files, links, directories...) in the layer. */
  entries: number;
  added: { count: number; bytes: number };
  changed: { count: number; bytes: number };
  removed: { count: number; bytes: number };
  /** Bytes of this layer's files that later layers hide. */
  wastedBytes: number;
  /** The largest files of the layer, biggest first. */
  largest: FileSize[];
}

export interface Offender {
  readonly path: string;
  /** Bytes of this path's hidden versions. */
  wastedBytes: number;
  /** How many hidden versions. */
  versions: number;
  /** Layers holding hidden versions (first few). */
  layers: number[];
  /** True when the path is gone from the final image (deleted), false when a later version survives. */
  removed: boolean;
}

export interface WasteReport {
  readonly layers: LayerStats[];
  readonly totalBytes: number;
  readonly finalBytes: number;
  readonly wastedBytes: number;
  readonly efficiency: number;
  /** Bytes of every layer but the first (dive's "user" size). */
  readonly userBytes: number;
  /** wastedBytes / userBytes (0 when there are no user bytes). */
  readonly wastedUserRatio: number;
  /** What dive would report as wasted bytes (regular files), for comparison. */
  readonly diveWastedBytes: number;
  /** The paths that waste most, biggest first (at most `topOffenders`). */
  readonly offenders: Offender[];
  /** How many paths waste bytes at all. */
  readonly offenderCount: number;
}

interface Node {
  kids: Map<string, Node> | undefined;
  kind: number;
  size: number;
  layer: number;
  /** dive's bookkeeping for this path: occurrences and their summed size. */
  occ: number;
  cum: number;
}

export interface WasteOptions {
  readonly topOffenders?: number;
  readonly largestPerLayer?: number;
}

function newDir(layer: number): Node {
  return { kids: new Map(), kind: KIND_DIR, size: 0, layer, occ: 0, cum: 0 };
}

/** Feed layers oldest first with `addLayer`, then `finish`. */
export class WasteCalculator {
  private readonly root: Node = newDir(-1);
  /** The parent node the last entry went into, while it is still in the tree. */
  private lookupCached: Node | undefined;
  private readonly stats: LayerStats[] = [];
  private readonly offenders = new Map<string, Offender>();
  /** dive bookkeeping of paths that are gone (so a path re-created later continues its count). */
  private readonly tombs = new Map<string, { occ: number; cum: number }>();
  private totalBytes = 0;
  private wastedBytes = 0;
  private readonly top: number;
  private readonly largestN: number;

  constructor(options: WasteOptions = {}) {
    this.top = options.topOffenders ?? 200;
    this.largestN = options.largestPerLayer ?? 10;
  }

  addLayer(entries: LayerEntries): LayerStats {
    const index = this.stats.length;
    const st: LayerStats = {
      index,
      size: 0,
      entries: entries.count,
      added: { count: 0, bytes: 0 },
      changed: { count: 0, bytes: 0 },
      removed: { count: 0, bytes: 0 },
      wastedBytes: 0,
      largest: [],
    };
    this.stats.push(st);
    // Deletions first (they apply to the lower layers only), then this layer's own entries.
    for (let i = 0; i < entries.count && entries.whiteouts > 0; i++) {
      const path = entries.paths[i];
      if (!path.includes('.wh.')) continue;
      const slash = path.lastIndexOf('/');
      const base = path.slice(slash + 1);
      if (!base.startsWith('.wh.')) continue;
      const dir = slash >= 0 ? path.slice(0, slash) : '';
      const parent = this.lookup(dir);
      if (!parent || !parent.kids) continue;
      if (base === '.wh..wh..opq') {
        for (const [name, child] of [...parent.kids]) this.removeNode(dir ? `${dir}/${name}` : name, child, st, false);
        parent.kids.clear();
        continue;
      }
      const name = base.slice(4);
      const target = parent.kids.get(name);
      if (!target) continue;
      const full = dir ? `${dir}/${name}` : name;
      this.removeNode(full, target, st, true);
      parent.kids.delete(name);
    }
    // Entries of one directory come together in a tar: remember the last parent.
    let lastDir: string | undefined;
    let lastParent: Node | undefined;
    for (let i = 0; i < entries.count; i++) {
      const path = entries.paths[i];
      if (!path) continue;
      const slash = path.lastIndexOf('/');
      const name = path.slice(slash + 1);
      if (name.startsWith('.wh.')) continue;
      const kind = entries.kinds[i];
      const size = kind === KIND_FILE ? entries.sizes[i] : 0;
      const dir = slash >= 0 ? path.slice(0, slash) : '';
      let parent: Node;
      if (dir === lastDir && lastParent && lastParent.kids && this.lookupCached === lastParent) parent = lastParent;
      else {
        parent = this.ensureDir(dir, index, st);
        lastDir = dir;
        lastParent = parent;
        this.lookupCached = parent;
      }
      const existing = parent.kids!.get(name);
      if (kind === KIND_DIR) {
        if (existing && existing.kind === KIND_DIR) continue;
        if (existing) this.hideNode(path, existing, st, false);
        parent.kids!.set(name, newDir(index));
        continue;
      }
      st.size += size;
      this.totalBytes += size;
      let occ = 0;
      let cum = 0;
      if (existing) {
        if (existing.kind === KIND_DIR) this.hideNode(path, existing, st, false);
        else {
          occ = existing.occ;
          cum = existing.cum;
          this.hide(path, existing, false);
        }
        st.changed.count++;
        st.changed.bytes += size;
      } else {
        const tomb = this.tombs.get(path);
        if (tomb) {
          occ = tomb.occ;
          cum = tomb.cum;
          this.tombs.delete(path);
        }
        st.added.count++;
        st.added.bytes += size;
      }
      parent.kids!.set(name, { kids: undefined, kind, size, layer: index, occ: occ + 1, cum: cum + size });
      if (kind === KIND_FILE) this.noteLargest(st, path, size);
    }
    return st;
  }

  finish(): WasteReport {
    let dive = 0;
    const visit = (n: Node) => {
      if (n.kids) {
        for (const k of n.kids.values()) visit(k);
      } else if (n.occ >= 2) dive += n.cum;
    };
    visit(this.root);
    for (const t of this.tombs.values()) if (t.occ >= 2) dive += t.cum;
    const userBytes = this.stats.slice(1).reduce((a, s) => a + s.size, 0);
    const finalBytes = this.totalBytes - this.wastedBytes;
    const all = [...this.offenders.values()];
    all.sort((a, b) => b.wastedBytes - a.wastedBytes || (a.path < b.path ? -1 : 1));
    return {
      layers: this.stats,
      totalBytes: this.totalBytes,
      finalBytes,
      wastedBytes: this.wastedBytes,
      efficiency: this.totalBytes === 0 ? 1 : finalBytes / this.totalBytes,
      userBytes,
      wastedUserRatio: userBytes === 0 ? 0 : this.wastedBytes / userBytes,
      diveWastedBytes: dive,
      offenders: all.slice(0, this.top),
      offenderCount: all.length,
    };
  }

  private lookup(path: string): Node | undefined {
    let n: Node | undefined = this.root;
    if (!path) return n;
    for (const part of path.split('/')) {
      n = n?.kids?.get(part);
      if (!n) return undefined;
    }
    return n;
  }

  /** The directory node at `path`, creating missing ones; a non-directory in the way is hidden and replaced. */
  private ensureDir(path: string, layer: number, st: LayerStats): Node {
    let n = this.root;
    if (!path) return n;
    let sofar = '';
    for (const part of path.split('/')) {
      sofar = sofar ? `${sofar}/${part}` : part;
      let next = n.kids!.get(part);
      if (!next || next.kind !== KIND_DIR) {
        if (next) this.hideNode(sofar, next, st, false);
        next = newDir(layer);
        n.kids!.set(part, next);
      }
      n = next;
    }
    return n;
  }

  /** A whiteout (direct or opaque) removes `node` and everything under it. */
  private removeNode(path: string, node: Node, st: LayerStats, direct: boolean): void {
    if (direct && !node.kids) {
      // dive: the whiteout is one more occurrence of the path, of size 0.
      node.occ++;
    }
    this.hideNode(path, node, st, true);
  }

  /** Hides a node and its subtree; `removal` counts the files as removed by the current layer. */
  private hideNode(path: string, node: Node, st: LayerStats, removal: boolean): void {
    if (node === this.lookupCached) this.lookupCached = undefined;
    if (node.kids) {
      for (const [name, child] of node.kids) this.hideNode(`${path}/${name}`, child, st, removal);
      return;
    }
    if (removal) {
      st.removed.count++;
      st.removed.bytes += node.size;
    }
    this.hide(path, node, removal);
    this.tombs.set(path, { occ: node.occ, cum: node.cum });
  }

  /** One version becomes invisible: its bytes are wasted. */
  private hide(path: string, node: Node, removed: boolean): void {
    if (node.kind !== KIND_FILE || node.size === 0) return;
    const size = node.size;
    this.wastedBytes += size;
    const owner = this.stats[node.layer];
    if (owner) owner.wastedBytes += size;
    let o = this.offenders.get(path);
    if (!o) {
      o = { path, wastedBytes: 0, versions: 0, layers: [], removed };
      this.offenders.set(path, o);
    }
    o.wastedBytes += size;
    o.versions++;
    o.removed = removed;
    if (o.layers.length < 16 && !o.layers.includes(node.layer)) o.layers.push(node.layer);
  }

  private noteLargest(st: LayerStats, path: string, size: number): void {
    const l = st.largest;
    if (l.length >= this.largestN && size <= l[l.length - 1].size) return;
    let i = l.length;
    while (i > 0 && l[i - 1].size < size) i--;
    l.splice(i, 0, { path, size });
    if (l.length > this.largestN) l.pop();
  }
}
