/**
 * The flagged-draft history end to end, in Chromium with the built extension: drafts written and
 * submitted on the WordPress-like fixture (posted anyway; edited then posted clean; left in a tab
 * that is then closed) become entries on the review page (review.html) with their site, category,
 * clause, outcome and masked text; the filters, the CSV export, mark reviewed and delete work; and
 * the page can be used with the keyboard alone. Screenshots in light and dark.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import builtinPack from '../../rules/generated/builtin.json';
import { compilePack } from '../../src/engine';
import { launchWithExtension, saveScreenshot, startFixtureServer, type ExtensionSession, type StaticServer } from './harness';

const RISKY = 'Thanks for asking. The briefing is OFFICIAL-SENSITIVE so I cannot share it yet.';
const RISKY_EDITED_LATER = 'Happy to help. The report is OFFICIAL-SENSITIVE until the board meets.';
const CLEAN = 'Happy to help. We will publish the report on our website after the board meets.';
const ABANDONED = 'For the record, the memo is OFFICIAL-SENSITIVE and I should not quote it.';
const MARKING_CLAUSE = builtinPack.policy.clauses.find((c) => c.id === 'protective-markings')!.title;
const REASON = 'The briefing was published this morning, see our press page.';
const AUDITED = 'Join our bake sale on Friday, everyone is welcome.';

/** A user pack whose one rule runs in audit mode: recorded for the history, never shown. */
const AUDIT_PACK = compilePack({
  id: 'trial-pack',
  name: 'Trial rules',
  version: '1.0.0',
  publisher: 'ReplyGuard e2e',
  policy: {
    title: 'Trial policy',
    version: '1',
    clauses: [{ id: 'fundraising', title: 'Fundraising events need sign-off', summary: 'Ask before promoting fundraising.', source: 'e2e' }],
  },
  rules: [
    {
      id: 'trial.bake-sale',
      kind: 'phrase',
      terms: ['bake sale'],
      category: 'commitment',
      severity: 'warning',
      clause: 'fundraising',
      message: 'Fundraising: {match}',
      mode: 'audit',
      examples: { flag: ['Join our bake sale on Friday.', 'The bake sale is back.'], pass: ['Join us on Friday.', 'The fair is back.'] },
    },
  ],
}).pack;

const posts = (page: Page) => page.evaluate(() => (window as unknown as { __posts: string[] }).__posts);

describe('review page in Chromium', () => {
  let session: ExtensionSession;
  let server: StaticServer;
  let host: string;

  beforeAll(async () => {
    server = await startFixtureServer();
    host = new URL(server.url('index.html')).host;
    session = await launchWithExtension();
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  /** The WordPress-like comment form with a risky draft typed, badge shown, then submitted: the dialog is open. */
  async function flagDraft(text: string): Promise<Page> {
    const page = await session.context.newPage();
    await page.goto(server.url('content/wordpress-comment.html'));
    await page.click('#comment');
    await page.keyboard.type(text);
    await page.waitForFunction(() => Number(document.querySelector('replyguard-badge')?.getAttribute('data-count')) > 0, null, { timeout: 15_000 });
    await page.click('#submit');
    await page.locator('replyguard-guard [role="dialog"]').waitFor({ state: 'visible', timeout: 5000 });
    return page;
  }

  async function openReview(expectedEntries: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await session.context.newPage();
    await page.emulateMedia({ colorScheme });
    await page.goto(session.extensionUrl('review.html'));
    // Events reach the history asynchronously: reload until they are all there.
    await expect
      .poll(
        async () => {
          const n = await page.locator('article.review-entry').count();
          if (n < expectedEntries) await page.reload();
          return n;
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(expectedEntries);
    return page;
  }

  const entry = (page: Page, outcome: string) => page.locator(`article.review-entry[data-outcome="${outcome}"]`);

  it('records a draft posted anyway: site, category, clause, outcome, masked text', async () => {
    const page = await flagDraft(RISKY);
    // The dialog asks for an optional reason for "Post anyway".
    await page.getByRole('textbox', { name: /say why/ }).fill(REASON);
    await page.getByRole('button', { name: 'Post anyway' }).click();
    await expect.poll(() => posts(page)).toEqual([RISKY]);
    await page.close();

    const review = await openReview(1);
    const card = entry(review, 'posted-anyway');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.getByTestId('entry-site').textContent()).toBe(host);
    expect(await card.locator('.review-url').textContent()).toBe(server.url('content/wordpress-comment.html'));
    expect(await card.getByTestId('entry-outcome').textContent()).toBe('Posted anyway');
    expect(await card.getByTestId('entry-reason').textContent()).toBe(REASON);
    const finding = card.locator('.review-finding').first();
    expect(await finding.locator('.rg-category').textContent()).toBe('Protective marking');
    expect(await finding.getAttribute('data-severity')).toBe('block');
    expect(await finding.getByRole('link').textContent()).toContain(MARKING_CLAUSE);
    expect(await finding.getByRole('link').getAttribute('href')).toBe(`${session.extensionUrl('policy.html')}#${encodeURIComponent(builtinPack.id)}/protective-markings`);
    const text = await card.getByTestId('entry-text').textContent();
    expect(text).toContain('[redacted: protective marking]');
    expect(text).not.toContain('OFFICIAL-SENSITIVE');
    expect(text).toMatch(/^Thanks for asking\. The briefing is .*so I cannot share it yet\.$/);
    await review.close();
  });

  it('records a draft edited after the warning, then posted clean', async () => {
    const page = await flagDraft(RISKY_EDITED_LATER);
    await page.getByRole('button', { name: 'Edit draft' }).click();
    await page.locator('replyguard-guard').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+A');
    await page.keyboard.type(CLEAN);
    await page.click('#submit');
    await expect.poll(() => posts(page), { timeout: 5000 }).toEqual([CLEAN]);
    await page.close();

    const review = await openReview(2);
    const card = entry(review, 'posted');
    expect(await card.getByTestId('entry-outcome').textContent()).toBe('Posted without a warning');
    expect(await card.getByTestId('entry-outcome-detail').textContent()).toMatch(/edited the draft after the warning, then posted it/);
    // The text kept is the flagged draft, masked (not the clean one that was posted).
    expect(await card.getByTestId('entry-text').textContent()).toBe('Happy to help. The report is [redacted: protective marking] until the board meets.');
    await review.close();
  });

  it('records a flagged draft left in a tab that is then closed as abandoned', async () => {
    const page = await flagDraft(ABANDONED);
    await page.getByRole('button', { name: 'Edit draft' }).click();
    await page.close();
    const review = await openReview(3);
    await expect
      .poll(
        async () => {
          if (!(await entry(review, 'abandoned').count())) await review.reload();
          return entry(review, 'abandoned').count();
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBe(1);
    expect(await entry(review, 'abandoned').getByTestId('entry-outcome-detail').textContent()).toMatch(/^The draft was not posted: /);
    await review.close();
  });

  it('counts how often an audit-mode rule would have flagged a draft, which the writer never saw', async () => {
    await session.serviceWorker.evaluate(
      (pack) => {
        const { chrome } = globalThis as unknown as { chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } } };
        return chrome.storage.local.set({ 'replyguard.userPacks': [{ id: pack.id, fileName: 'trial.json', enabled: true, importedAt: Date.now(), pack }] });
      },
      AUDIT_PACK,
    );
    const page = await session.context.newPage();
    await page.goto(server.url('content/wordpress-comment.html'));
    await page.click('#comment');
    await page.keyboard.type(AUDITED);
    await page.waitForFunction(() => document.querySelector('replyguard-badge')?.getAttribute('data-state') === 'checked', null, { timeout: 15_000 });
    expect(await page.locator('replyguard-badge').getAttribute('data-count')).toBe('0');
    await page.click('#submit');
    // Audit findings never stop a post.
    await expect.poll(() => posts(page)).toEqual([AUDITED]);
    expect(await page.locator('replyguard-guard').count()).toBe(0);
    await page.close();

    const review = await openReview(4);
    const card = review.locator('article.review-entry[data-outcome="posted"]').filter({ hasText: 'bake' });
    expect(await card.getByTestId('entry-outcome-detail').textContent()).toMatch(/Only audit-mode rules fired/);
    expect(await card.locator('.review-audit-tag').textContent()).toBe('Audit only');
    expect(await card.getByTestId('entry-text').textContent()).toBe('Join our [redacted: commitment on behalf of the organisation] on Friday, everyone is welcome.');
    const row = review.locator('[data-testid="audit-table"] tr[data-rule="trial.bake-sale"]');
    expect(await row.getByTestId('audit-drafts').textContent()).toBe('1 draft');
    expect(await row.textContent()).toContain(`${host} (1)`);
    expect(await row.textContent()).toContain('Fundraising events need sign-off');
    await review.close();
  });

  it('filters, exports CSV, marks reviewed and deletes; screenshots in light and dark', async () => {
    const review = await openReview(4);
    await saveScreenshot(review, 'review-light');
    const dark = await openReview(4, 'dark');
    await saveScreenshot(dark, 'review-dark');
    const background = await dark.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(22, 24, 29)');
    await dark.close();

    // 200% zoom on a 1280-pixel window is a 640-pixel-wide layout: everything reflows, nothing
    // needs sideways scrolling.
    const viewport = review.viewportSize()!;
    await review.setViewportSize({ width: 640, height: 900 });
    expect(await review.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await saveScreenshot(review, 'review-200-percent');
    await review.setViewportSize(viewport);

    await review.getByLabel('Outcome').selectOption('posted-anyway');
    await expect.poll(() => review.locator('article.review-entry').count()).toBe(1);
    expect(await review.getByTestId('count').textContent()).toBe('1 draft matches the filters, of 4.');
    await review.getByLabel('Site').selectOption(host);
    await review.getByLabel('Category').selectOption('marking');
    await expect.poll(() => review.locator('article.review-entry').count()).toBe(1);
    await review.getByLabel('Category').selectOption('legal');
    await expect.poll(() => review.getByTestId('empty').count()).toBe(1);
    await review.getByLabel('Category').selectOption('');

    // Export the filtered list (the one draft posted anyway) as CSV.
    const [download] = await Promise.all([review.waitForEvent('download'), review.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^replyguard-history-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,time (UTC),last update (UTC),site,page,outcome,abandoned because,reason for posting anyway,reviewed,categories,clauses,severities,rules,audit-only rules,draft,draft is full text',
    );
    expect(lines).toHaveLength(2);
    // The reason has a comma: quoted (RFC 4180).
    expect(lines[1]).toContain(`,${host},${server.url('content/wordpress-comment.html')},Posted anyway,,"${REASON}",no,`);
    expect(lines[1]).toContain(`,Protective marking,protective-markings: ${MARKING_CLAUSE},block,${builtinPack.id}/marking.`);
    expect(lines[1]).toContain('Thanks for asking. The briefing is [redacted: protective marking] so I cannot share it yet.');
    expect(csv).not.toContain('OFFICIAL-SENSITIVE');

    // Mark reviewed, then it disappears under "Not reviewed yet".
    const card = entry(review, 'posted-anyway');
    await card.getByRole('checkbox', { name: 'Reviewed' }).check();
    await expect.poll(() => card.getAttribute('data-reviewed')).toBe('true');
    await review.locator('select[name="reviewed"]').selectOption('no');
    await expect.poll(() => review.getByTestId('empty').count()).toBe(1);
    await review.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => review.locator('article.review-entry').count()).toBe(4);

    // Delete one, with confirmation.
    await card.getByRole('button', { name: 'Delete this draft' }).click();
    await card.getByRole('button', { name: 'Yes, delete it' }).click();
    await expect.poll(() => review.locator('article.review-entry').count()).toBe(3);
    expect(await entry(review, 'posted-anyway').count()).toBe(0);
    await review.close();
  });

  it('can be used with the keyboard alone, with a visible focus ring', async () => {
    const page = await openReview(3);
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return { tag: el.localName, name: (el.getAttribute('name') ?? el.textContent ?? '').trim(), outline: style.outlineStyle, type: el.getAttribute('type') };
      });
    /** Tabs forward until the focused element matches, at most `max` times. */
    const tabTo = async (match: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 40) => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const f = await focused();
        if (match(f)) return f;
      }
      throw new Error('never reached the control by Tab');
    };

    // The outcome filter: chosen with the arrow keys.
    const outcome = await tabTo((f) => f.tag === 'select' && f.name === 'outcome');
    expect(outcome.outline).not.toBe('none');
    // Down past "Stopped", "Went back to edit", "Posted without a warning", "Posted anyway".
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('select[name="outcome"]').inputValue()).toBe('abandoned');
    await expect.poll(() => page.locator('article.review-entry').count()).toBe(1);

    // Mark it reviewed with Space.
    const box = await tabTo((f) => f.type === 'checkbox');
    expect(box.outline).not.toBe('none');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('article.review-entry').getAttribute('data-reviewed')).toBe('true');
    await expect.poll(() => page.getByTestId('announcer').textContent()).toBe('Marked as reviewed.');

    // Delete it: Enter on Delete moves focus to the confirmation's Cancel (which returns to Delete);
    // the second time, Shift+Tab to "Yes, delete it".
    await tabTo((f) => f.name === 'Delete this draft');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).name).toBe('Cancel');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).name).toBe('Delete this draft');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).name).toBe('Cancel');
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).name).toBe('Yes, delete it');
    await saveScreenshot(page, 'review-keyboard-confirm');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('empty').count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('list-title');
    await page.close();
  });
});
