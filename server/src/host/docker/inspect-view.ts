/**
 * The HTML of the Inspect Image view: platform, size, entrypoint, cmd, env, user, workdir, ports, volumes,
 * labels, healthcheck and the layers table (size, cumulative size, created_by, the Dockerfile line that made
 * it). Themed with VS Code's CSS variables; a strict content security policy (nothing but the nonce'd style
 * and script); every value from the image is escaped (image metadata is untrusted input).
 *
 * Pure: a string from data; the client's webview glue posts `{ type: 'reveal', line }` back.
 */
import { formatBytes } from '../../core/features/context-files';
import type { ImageInspect } from './images';

export interface InspectLayerRow {
  readonly createdBy: string;
  readonly size: number;
  readonly cumulativeSize: number;
  readonly createdAt?: string;
  /** 0-based Dockerfile line of the instruction that made it, when known. */
  readonly line?: number;
  /** Text of that instruction's first line, for the link's title. */
  readonly instruction?: string;
  readonly base: boolean;
  /** No filesystem layer (config-only entry). */
  readonly empty: boolean;
  readonly digest?: string;
}

export interface InspectViewModel {
  readonly image: ImageInspect;
  /** How the user named it (`myapp:dev` or the short id). */
  readonly title: string;
  readonly layers: readonly InspectLayerRow[];
  /** The Dockerfile the lines refer to (a workspace-relative path), when known. */
  readonly dockerfile?: string;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]!);
}

function row(k: string, v: string): string {
  return `<tr><th scope="row">${escapeHtml(k)}</th><td>${v}</td></tr>`;
}

function code(v: unknown): string {
  return `<code>${escapeHtml(v)}</code>`;
}

function list(xs: readonly string[] | null | undefined): string {
  if (!xs || xs.length === 0) return '<span class="none">none</span>';
  return `<ul>${xs.map((x) => `<li>${code(x)}</li>`).join('')}</ul>`;
}

function json(v: readonly string[] | null | undefined): string {
  if (!v || v.length === 0) return '<span class="none">none</span>';
  return code(JSON.stringify(v));
}

function ns(n: number | undefined): string {
  if (!n) return 'default';
  return n % 1e9 === 0 ? `${n / 1e9}s` : `${(n / 1e9).toFixed(3)}s`;
}

function healthcheck(h: NonNullable<ImageInspect['Config']>['Healthcheck']): string {
  if (!h || !h.Test || h.Test.length === 0) return '<span class="none">none</span>';
  if (h.Test[0] === 'NONE') return 'disabled (<code>NONE</code>)';
  const test = h.Test[0] === 'CMD-SHELL' ? code(h.Test.slice(1).join(' ')) : json(h.Test.slice(h.Test[0] === 'CMD' ? 1 : 0));
  return `${test}<div class="sub">interval ${escapeHtml(ns(h.Interval))}, timeout ${escapeHtml(ns(h.Timeout))}, start period ${escapeHtml(ns(h.StartPeriod))}, retries ${escapeHtml(h.Retries ?? 'default')}</div>`;
}

function kv(rec: Record<string, string> | null | undefined): string {
  const entries = Object.entries(rec ?? {});
  if (entries.length === 0) return '<span class="none">none</span>';
  return `<table class="kv">${entries.map(([k, v]) => `<tr><td>${code(k)}</td><td>${code(v)}</td></tr>`).join('')}</table>`;
}

function env(vars: readonly string[] | null | undefined): string {
  if (!vars || vars.length === 0) return '<span class="none">none</span>';
  return `<table class="kv">${vars
    .map((e) => {
      const eq = e.indexOf('=');
      return `<tr><td>${code(eq >= 0 ? e.slice(0, eq) : e)}</td><td>${code(eq >= 0 ? e.slice(eq + 1) : '')}</td></tr>`;
    })
    .join('')}</table>`;
}

function layerRows(layers: readonly InspectLayerRow[]): string {
  return layers
    .map((l, i) => {
      const where =
        l.line !== undefined
          ? `<a href="#" data-line="${l.line}" title="${escapeHtml(l.instruction ?? '')}">line ${l.line + 1}</a>`
          : l.base
            ? '<span class="none">base image</span>'
            : '';
      const cls = [l.base ? 'base' : '', l.empty ? 'empty' : ''].filter(Boolean).join(' ');
      return `<tr class="${cls}"><td class="num">${i + 1}</td><td class="num">${l.empty ? '—' : escapeHtml(formatBytes(l.size))}</td><td class="num">${escapeHtml(formatBytes(l.cumulativeSize))}</td><td>${where}</td><td class="created"><code>${escapeHtml(l.createdBy || '(imported)')}</code>${l.digest ? `<div class="sub">${escapeHtml(l.digest)}</div>` : ''}</td></tr>`;
    })
    .join('');
}

/** The whole document. `nonce` must be fresh per rendering; `cspSource` is the webview's. */
export function renderInspectHtml(model: InspectViewModel, opts: { cspSource: string; nonce: string }): string {
  const img = model.image;
  const cfg: NonNullable<ImageInspect['Config']> = img.Config ?? {};
  const platform = [img.Os, img.Architecture, img.Variant].filter(Boolean).join('/');
  const csp = `default-src 'none'; img-src ${opts.cspSource}; style-src ${opts.cspSource} 'nonce-${opts.nonce}'; script-src 'nonce-${opts.nonce}';`;
  const nonce = escapeHtml(opts.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp.replace(/[&"<>]/g, (c) => escapeHtml(c))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(model.title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; }
h1 { font-size: 1.4em; font-weight: 600; margin: 12px 0 2px; }
h2 { font-size: 1.1em; font-weight: 600; margin: 20px 0 6px; border-bottom: 1px solid var(--vscode-panel-border, rgba(128,128,128,.35)); padding-bottom: 4px; }
.id { color: var(--vscode-descriptionForeground); font-family: var(--vscode-editor-font-family); font-size: .9em; }
table { border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 3px 10px 3px 0; }
th[scope="row"] { color: var(--vscode-descriptionForeground); font-weight: normal; white-space: nowrap; }
code { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); word-break: break-all; }
ul { margin: 0; padding-left: 1.2em; }
.none { color: var(--vscode-disabledForeground, var(--vscode-descriptionForeground)); font-style: italic; }
.sub { color: var(--vscode-descriptionForeground); font-size: .85em; }
table.layers { width: 100%; }
table.layers th { border-bottom: 1px solid var(--vscode-panel-border, rgba(128,128,128,.35)); }
table.layers td { border-bottom: 1px solid var(--vscode-editorGroup-border, rgba(128,128,128,.15)); }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; padding-right: 14px; }
tr.base td, tr.empty td { color: var(--vscode-descriptionForeground); }
a { color: var(--vscode-textLink-foreground); text-decoration: none; }
a:hover, a:focus { color: var(--vscode-textLink-activeForeground); text-decoration: underline; }
</style>
</head>
<body>
<h1>${escapeHtml(model.title)}</h1>
<div class="id">${escapeHtml(img.Id)}</div>
<h2>Image</h2>
<table>
${row('Platform', code(platform || 'unknown'))}
${row('Size', escapeHtml(img.Size !== undefined ? formatBytes(img.Size) : 'unknown'))}
${row('Created', escapeHtml(img.Created ?? 'unknown'))}
${row('Tags', list(img.RepoTags))}
${row('Digests', list(img.RepoDigests))}
${row('Entrypoint', json(cfg.Entrypoint))}
${row('Cmd', json(cfg.Cmd))}
${row('User', cfg.User ? code(cfg.User) : '<span class="none">root (default)</span>')}
${row('Workdir', cfg.WorkingDir ? code(cfg.WorkingDir) : '<span class="none">/ (default)</span>')}
${row('Exposed ports', list(Object.keys(cfg.ExposedPorts ?? {})))}
${row('Volumes', list(Object.keys(cfg.Volumes ?? {})))}
${row('Healthcheck', healthcheck(cfg.Healthcheck))}
${cfg.StopSignal ? row('Stop signal', code(cfg.StopSignal)) : ''}
${cfg.Shell && cfg.Shell.length ? row('Shell', json(cfg.Shell)) : ''}
${cfg.OnBuild && cfg.OnBuild.length ? row('On build', list(cfg.OnBuild)) : ''}
</table>
<h2>Environment</h2>
${env(cfg.Env)}
<h2>Labels</h2>
${kv(cfg.Labels)}
<h2>Layers</h2>
${model.dockerfile ? `<p class="sub">Lines refer to ${code(model.dockerfile)}; click one to go there.</p>` : ''}
<table class="layers">
<thead><tr><th class="num">#</th><th class="num">Size</th><th class="num">Cumulative</th><th>Dockerfile</th><th>Created by</th></tr></thead>
<tbody>
${layerRows(model.layers)}
</tbody>
</table>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('[data-line]') : null;
  if (!a) return;
  e.preventDefault();
  vscode.postMessage({ type: 'reveal', line: Number(a.getAttribute('data-line')) });
});
</script>
</body>
</html>`;
}
