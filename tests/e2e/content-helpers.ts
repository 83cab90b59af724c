/** Shared by the content-script e2e tests: measuring where ReplyGuard drew its underlines. */
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import type { Frame, Page } from 'playwright-core';

export interface Geometry {
  word: { left: number; width: number; bottom: number } | null;
  underlines: Array<{ left: number; width: number; top: number; rule: string }>;
}

/**
 * Where the flagged word is drawn on screen, measured independently of ReplyGuard (a Range over
 * the text for a contenteditable; canvas text metrics for a one-line textarea or input), and
 * where ReplyGuard drew its underlines.
 */
export function geometry(frame: Frame, fieldExpr: string, word: string): Promise<Geometry> {
  return frame.evaluate(
    ([expr, word]) => {
      const field = (0, eval)(expr) as HTMLElement;
      let box: Geometry['word'] = null;
      if (field.localName === 'textarea' || field.localName === 'input') {
        const value = (field as HTMLInputElement).value;
        const style = getComputedStyle(field);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = style.font;
        const rect = field.getBoundingClientRect();
        const start = value.indexOf(word);
        const left = rect.left + field.clientLeft + parseFloat(style.paddingLeft) + ctx.measureText(value.slice(0, start)).width;
        box = { left, width: ctx.measureText(word).width, bottom: NaN };
      } else {
        const walker = document.createTreeWalker(field, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
          const i = n.data.indexOf(word);
          if (i < 0) continue;
          const range = document.createRange();
          range.setStart(n, i);
          range.setEnd(n, i + word.length);
          const r = range.getBoundingClientRect();
          box = { left: r.left, width: r.width, bottom: r.bottom };
          break;
        }
      }
      const host = document.querySelector('replyguard-underlines');
      const underlines = Array.from(host?.shadowRoot?.querySelectorAll<HTMLElement>('[data-rule]') ?? []).map((u) => {
        const r = u.getBoundingClientRect();
        return { left: r.left, width: r.width, top: r.top, rule: u.dataset.rule! };
      });
      return { word: box, underlines };
    },
    [fieldExpr, word] as const,
  );
}

/**
 * Where to point at the first underline, in page coordinates: just above the 2px line, on the
 * flagged words themselves (the frame's offset added when the field is in an iframe).
 */
export async function underlinedWordPoint(frame: Frame): Promise<{ x: number; y: number }> {
  const inFrame = await frame.evaluate(() => {
    const line = document.querySelector('replyguard-underlines')?.shadowRoot?.querySelector('[data-rule]');
    if (!line) throw new Error('no underline drawn');
    const r = line.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top - 5 };
  });
  const owner = await frame.frameElement().catch(() => null);
  const offset = owner ? await owner.boundingBox() : null;
  return offset && frame.parentFrame() ? { x: inFrame.x + offset.x, y: inFrame.y + offset.y } : inFrame;
}

/**
 * The first check after the browser starts also compiles the rule packs and loads the NLP in the
 * background (1-3 s on a busy 2-core machine). Measured once per browser here, on a textarea the
 * test adds to `page`, so each fixture's own 1 s keystroke-to-badge budget is measured warm.
 * Returns the ms from the last keystroke to the first flagged badge.
 */
export async function coldFirstCheckMs(page: Page, risky: string, timeout = 15_000): Promise<number> {
  await page.evaluate(() => {
    const box = document.createElement('textarea');
    box.id = 'replyguard-warmup';
    document.body.append(box);
  });
  await page.click('#replyguard-warmup');
  await page.keyboard.type(risky);
  const typedAt = Date.now();
  await page.waitForFunction(
    () => Array.from(document.querySelectorAll('replyguard-badge')).some((b) => b.getAttribute('data-state') === 'checked' && Number(b.getAttribute('data-count')) > 0),
    null,
    { timeout, polling: 'raf' },
  );
  return Date.now() - typedAt;
}

/** Waits until the frame's badge reports a finished check: with flags (flagged) or with none. */
export async function waitForBadge(frame: Frame, flagged: boolean, timeout = 3000): Promise<void> {
  await frame.waitForFunction(
    (wantFlags) => {
      const badge = document.querySelector('replyguard-badge');
      if (badge?.getAttribute('data-state') !== 'checked') return false;
      return wantFlags ? Number(badge.getAttribute('data-count')) > 0 : badge.getAttribute('data-count') === '0';
    },
    flagged,
    { timeout, polling: 'raf' },
  );
}

/**
 * Bundles fixture pages built on real libraries from npm (each entry next to its .html, which
 * loads <entry name>.js) into a fresh temporary directory to serve; returns that directory.
 * `names` gives an entry's page its served name (<name>.html), as the editor suite does.
 */
export async function bundleFixtures(sourceDir: string, entries: string[], names: (entry: string) => string = (e) => basename(e).replace(/\.\w+$/, '')): Promise<string> {
  const servedDir = await mkdtemp(join(tmpdir(), 'replyguard-fixtures-'));
  await build({
    entryPoints: entries.map((e) => join(sourceDir, e)),
    bundle: true,
    format: 'iife',
    outdir: servedDir,
    logLevel: 'error',
    // React's runtime for the React fixtures (the project's tsconfig says Preact).
    jsx: 'automatic',
    jsxImportSource: 'react',
    tsconfigRaw: '{}',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    // CKEditor 5's sources import their icons and styles; icons inline, styles dropped.
    loader: { '.svg': 'text', '.css': 'empty' },
  });
  for (const e of entries) await copyFile(join(sourceDir, e.replace(/\.\w+$/, '.html')), join(servedDir, `${names(e)}.html`));
  return servedDir;
}
