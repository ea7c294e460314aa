/**
 * Driving the VS Code workbench (code-server in Chromium) the way a user does: the command palette (F1) to open
 * files and run commands, Ctrl+G to move the cursor, the Problems panel, hovers, the suggest widget and the
 * light bulb. Every wait is on visible state with a timeout (Playwright's auto-waiting locators, or `until`,
 * which polls a condition); nothing sleeps for a fixed time.
 */
import type { Locator, Page } from 'playwright-core';

/** Timeouts (ms). Generous: a 2-core machine under load takes ~30 s to show the workbench. */
export const TIMEOUT = {
  workbench: 180_000,
  ui: 60_000,
  /** The language server answering (diagnostics, hover, completion) after a file opens or changes. */
  server: 90_000,
  build: 180_000,
};

const POLL_MS = 250;

/** Polls `fn` until it returns something other than undefined/false/null; fails with `what` and the last value seen. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = TIMEOUT.ui): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Text as the user reads it: non-breaking spaces (Monaco renders spaces as &nbsp;) become spaces. */
export function plain(s: string): string {
  return s.replace(/\u00a0/g, ' ');
}

/** Opens the workbench and waits until the explorer shows the workspace. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { timeout: TIMEOUT.workbench });
  await page.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT.workbench });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: TIMEOUT.workbench });
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');
const quickInputBox = (page: Page) => page.locator('.quick-input-widget .quick-input-box input');

async function openPalette(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await quickInputBox(page).waitFor({ timeout: TIMEOUT.ui });
}

/** Opens a workspace file with Quick Open (F1, then the path without the `>` command prefix). */
export async function openFile(page: Page, relPath: string): Promise<void> {
  const parts = relPath.split('/');
  const base = parts.pop()!;
  const folder = parts.join('/');
  await openPalette(page);
  await quickInputBox(page).fill(relPath);
  // The list updates asynchronously: wait for the row of this file (name and folder), not just any row.
  let row = page.locator('.quick-input-list .monaco-list-row', { hasText: base });
  if (folder) row = row.filter({ hasText: folder });
  await row.first().waitFor({ timeout: TIMEOUT.server });
  await row.first().click();
  await page.locator(`.tab.active .monaco-icon-label[aria-label*="${relPath}"]`).waitFor({ timeout: TIMEOUT.ui });
  await activeEditor(page).locator('.view-line').first().waitFor({ timeout: TIMEOUT.ui });
}

/** Runs a command from the palette by its full title ("Category: Title"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openPalette(page);
  await quickInputBox(page).fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: title }) });
  await row.first().waitFor({ timeout: TIMEOUT.ui });
  await row.first().click();
}

/** The editor of the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-container .monaco-editor').first();
}

/** Gives the active editor the keyboard focus (after the Problems panel or a widget had it). */
export async function focusEditor(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await activeEditor(page).locator('.view-lines').click({ position: { x: 5, y: 5 } });
  await activeEditor(page).locator('textarea.inputarea, .native-edit-context').first().waitFor({ state: 'attached', timeout: TIMEOUT.ui });
}

/** Moves the cursor with Go to Line (Ctrl+G), 1-based, and waits until the status bar shows the position. */
export async function gotoPosition(page: Page, line: number, column: number): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press('Control+g');
  await quickInputBox(page).waitFor({ timeout: TIMEOUT.ui });
  await quickInputBox(page).fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: TIMEOUT.ui });
  await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor({ timeout: TIMEOUT.ui });
}

/** The rendered line of the active editor that contains `text` (inlay hints are part of its text). */
export function editorLine(page: Page, text: string | RegExp): Locator {
  return activeEditor(page).locator('.view-line', { hasText: text }).first();
}

/** The visible text of the active editor, line by line in document order (view lines are positioned by `top`). */
export async function editorText(page: Page): Promise<string[]> {
  const lines = activeEditor(page).locator('.view-line');
  const n = await lines.count();
  const rows: { top: number; text: string }[] = [];
  for (let i = 0; i < n; i++) {
    const l = lines.nth(i);
    const style = (await l.getAttribute('style')) ?? '';
    const top = Number(/top:\s*(-?\d+)/.exec(style)?.[1] ?? i);
    rows.push({ top, text: plain(await l.innerText()) });
  }
  return rows.sort((a, b) => a.top - b.top).map((r) => r.text);
}

// ---------------------------------------------------------------------------------------------
// Problems panel

export interface Problem {
  /** The file row the problem is listed under (its aria-label: "2 problems in file Dockerfile of folder quickfix"). */
  readonly file: string;
  readonly message: string;
  readonly source: string;
  readonly code: string;
  readonly line: number;
  readonly column: number;
}

/** Opens (or focuses) the Problems panel. */
export async function showProblems(page: Page): Promise<void> {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  await page.locator('.markers-panel').waitFor({ timeout: TIMEOUT.ui });
}

/** The problems listed in the Problems panel, each with the file row it sits under. */
export async function readProblems(page: Page): Promise<Problem[]> {
  const rows = page.locator('.markers-panel .monaco-list-row');
  const n = await rows.count();
  const items: { index: number; file?: string; problem?: Omit<Problem, 'file'> }[] = [];
  const part = async (row: Locator, cls: string) => plain(await row.locator(cls).first().innerText({ timeout: 2000 }).catch(() => '')).trim();
  for (let i = 0; i < n; i++) {
    const r = rows.nth(i);
    const index = Number((await r.getAttribute('data-index')) ?? i);
    if ((await r.getAttribute('aria-level')) === '1') {
      // aria-label: "3 problems in file Dockerfile of folder diagnostics"
      items.push({ index, file: plain((await r.getAttribute('aria-label')) ?? (await r.innerText())) });
      continue;
    }
    const pos = /\[Ln (\d+), Col (\d+)\]/.exec(await part(r, '.marker-line'));
    if (!pos) continue;
    items.push({ index, problem: { message: await part(r, '.marker-message'), source: await part(r, '.marker-source'), code: await part(r, '.marker-code'), line: Number(pos[1]), column: Number(pos[2]) } });
  }
  items.sort((a, b) => a.index - b.index);
  const out: Problem[] = [];
  let file = '';
  for (const it of items) {
    if (it.file !== undefined) file = it.file;
    else if (it.problem) out.push({ file, ...it.problem });
  }
  return out;
}

/** The problems of one file, `folder` being the folder shown next to its name (e.g. "diagnostics"). */
export async function problemsOf(page: Page, folder: string): Promise<Problem[]> {
  return (await readProblems(page)).filter((p) => p.file.endsWith(` of folder ${folder}`) || p.file.split(/\s+/).includes(folder));
}

// ---------------------------------------------------------------------------------------------
// Widgets

/** Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns the visible hover widget once it has text. */
export async function hoverAtCursor(page: Page, expect: string | RegExp): Promise<Locator> {
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Control+i');
  const hover = page.locator('.monaco-hover', { hasText: expect }).filter({ visible: true }).first();
  await hover.waitFor({ timeout: TIMEOUT.server });
  return hover;
}

/** The visible suggest widget. */
export function suggestWidget(page: Page): Locator {
  return page.locator('.editor-widget.suggest-widget').filter({ visible: true }).first();
}

/** The suggestion whose label is exactly `label`. */
export function suggestion(page: Page, label: string): Locator {
  return suggestWidget(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }) }).first();
}

/** The labels of the suggestions shown. */
export async function suggestionLabels(page: Page): Promise<string[]> {
  return (await suggestWidget(page).locator('.monaco-list-row .label-name').allInnerTexts()).map((s) => plain(s).trim());
}

/** The code action menu (light bulb or Ctrl+.). */
export function actionWidget(page: Page): Locator {
  return page.locator('.action-widget').filter({ visible: true }).first();
}

/**
 * Applies the action of the open code action menu whose title matches, with the keyboard (arrow keys, Enter) as a
 * user does: a mouse click on a row is caught by the menu's pointer block in code-server. Returns its title.
 */
export async function chooseAction(page: Page, title: RegExp): Promise<string> {
  const rows = actionWidget(page).locator('.monaco-list-row.action');
  const row = rows.filter({ hasText: title }).first();
  await row.waitFor({ timeout: TIMEOUT.server });
  const text = plain(await row.innerText()).trim();
  const count = await rows.count();
  for (let i = 0; i <= count; i++) {
    if (/\bfocused\b/.test((await row.getAttribute('class')) ?? '')) {
      await page.keyboard.press('Enter');
      await actionWidget(page).waitFor({ state: 'hidden', timeout: TIMEOUT.ui });
      return text;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not move the focus to the code action "${text}"`);
}

/** Types into the visible quick input (replacing its value) and waits for a row matching `row` to be active. */
export async function quickPick(page: Page, filter: string, row: string | RegExp): Promise<void> {
  const box = quickInputBox(page).filter({ visible: true });
  await box.waitFor({ timeout: TIMEOUT.ui });
  await box.fill(filter);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: row }).first().waitFor({ timeout: TIMEOUT.ui });
  await page.keyboard.press('Enter');
}

/** The title of the visible quick input ("Build Image (1/5): image name and tag"), or '' when none is shown. */
export async function quickInputTitle(page: Page): Promise<string> {
  const w = quickInput(page).filter({ visible: true }).first();
  if (!(await w.isVisible())) return '';
  return plain(await w.locator('.quick-input-title').innerText({ timeout: 2000 }).catch(() => '')).trim() || '(untitled)';
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
