// @vitest-environment happy-dom
/**
 * The review page against the real history host and store (WXT storage on a fake browser): what
 * it lists, its filters, mark reviewed, delete with confirmation, export, the audit statistics and
 * the report of unreadable entries.
 */
import { fakeBrowser } from '../../history/fake-browser-env';
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHistoryHost } from '../../../src/background/history-host';
import type { MessageSender } from '../../../src/background/protocol';
import type { Finding } from '../../../src/engine/types';
import { HISTORY_STORAGE_KEY, createHistoryStore, defineHistoryItem } from '../../../src/history/store';
import { ReviewPage } from '../../../src/ui/review/review-page';
import { draftEvent, findingOn } from '../../history/helpers';
import { present, waitFor } from '../dom-helpers';

const RISKY = 'Ring Sam on 07700 900123, we guarantee a refund.';
const PAGE_A: MessageSender = { url: 'https://blog.example.org/news/1?ref=x', tabId: 1, fromExtension: false };
const PAGE_B: MessageSender = { url: 'https://forum.example.net/t/9', tabId: 2, fromExtension: false };

const phone = findingOn(RISKY, '07700 900123');
const refund = findingOn(RISKY, 'guarantee a refund', { rule: 'commitment.refund', category: 'commitment', clause: { id: 'commitments', title: 'Commitments', url: 'https://policy.example.org/#commitments' } });
const auditRefund: Finding = { ...refund, rule: 'org.trial-refund', pack: 'org', mode: 'audit' };

let host: ReturnType<typeof createHistoryHost>;
let downloads: Array<{ fileName: string; mimeType: string; content: string }>;

async function seed() {
  await host.handle(draftEvent('flagged', RISKY, [phone, refund], { draftId: 'draft-a1' }), PAGE_A);
  await host.handle(draftEvent('posted-anyway', RISKY, [phone, refund], { draftId: 'draft-a1', reason: 'Sam asked us to share it' }), PAGE_A);
  await host.handle(draftEvent('posted', RISKY, [auditRefund], { draftId: 'draft-b1' }), PAGE_B);
}

function mount(send = (message: unknown) => host.handle(message, { fromExtension: true }) as Promise<unknown>) {
  const root = document.createElement('div');
  document.body.append(root);
  render(<ReviewPage send={send} download={(fileName, mimeType, content) => downloads.push({ fileName, mimeType, content })} />, root);
  return root;
}

const entries = () => Array.from(document.querySelectorAll<HTMLElement>('article.review-entry'));
const entryById = (id: string) => present(document.querySelector<HTMLElement>(`article[data-entry-id="${id}"]`), `entry ${id}`);
const button = (name: string, within: ParentNode = document) =>
  present(
    Array.from(within.querySelectorAll('button')).find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === name),
    `button "${name}"`,
  );
const select = (name: string) => present(document.querySelector<HTMLSelectElement>(`select[name="${name}"]`), name);
const choose = (name: string, value: string) => {
  const s = select(name);
  s.value = value;
  s.dispatchEvent(new Event('change', { bubbles: true }));
};
const announced = () => document.querySelector('[data-testid="announcer"]')?.textContent ?? '';

beforeEach(() => {
  fakeBrowser.reset();
  host = createHistoryHost({ store: createHistoryStore(defineHistoryItem()), policy: async () => ({ historyRetentionDays: 30, storeFullText: false }), events: {} });
  downloads = [];
});

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('review page: the list', () => {
  it('shows each draft with time, site, outcome, reason, findings with clause links, and the masked text', async () => {
    await seed();
    mount();
    await waitFor(() => expect(entries()).toHaveLength(2));
    const a = entryById('draft-a1');
    expect(a.querySelector('[data-testid="entry-site"]')!.textContent).toBe('blog.example.org');
    expect(a.querySelector('time')!.getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(a.querySelector('.review-url')!.textContent).toBe('https://blog.example.org/news/1');
    expect(a.querySelector('[data-testid="entry-outcome"]')!.textContent).toBe('Posted anyway');
    expect(a.querySelector('[data-testid="entry-reason"]')!.textContent).toBe('Sam asked us to share it');
    expect(Array.from(a.querySelectorAll('[data-testid="entry-timeline"] li')).map((li) => li.textContent!.split(': ')[1])).toEqual(['Stopped by ReplyGuard', 'Posted anyway']);
    const findings = Array.from(a.querySelectorAll('.review-finding'));
    expect(findings.map((f) => f.querySelector('.rg-category')!.textContent)).toEqual(['Personal data', 'Commitment on behalf of the organisation']);
    // Severity in words (an icon beside it is decoration).
    expect(findings.map((f) => f.querySelector('.rg-severity')!.textContent!.replace(/[^A-Za-z ]/g, '').trim())).toEqual(['Warning', 'Warning']);
    const links = findings.map((f) => f.querySelector('a')!);
    expect(links[0]!.textContent).toContain('Personal details');
    expect(links[0]!.getAttribute('href')).toMatch(/\/policy\.html#builtin\/personal-details$/);
    expect(links[1]!.getAttribute('href')).toBe('https://policy.example.org/#commitments');
    const text = a.querySelector('[data-testid="entry-text"]')!;
    expect(text.textContent).toBe('Ring Sam on [redacted: personal data], we [redacted: commitment on behalf of the organisation].');
    expect(Array.from(text.querySelectorAll('mark')).map((m) => m.textContent)).toEqual(['[redacted: personal data]', '[redacted: commitment on behalf of the organisation]']);
    expect(a.textContent).not.toContain('900123');
    expect(document.querySelector('[data-testid="policy-note"]')!.textContent).toContain('deleted after 30 days');

    const b = entryById('draft-b1');
    expect(b.querySelector('[data-testid="entry-outcome-detail"]')!.textContent).toMatch(/Only audit-mode rules fired/);
    expect(b.querySelector('.review-audit-tag')!.textContent).toBe('Audit only');
  });

  it('says so when there is nothing yet', async () => {
    mount();
    await waitFor(() => expect(document.querySelector('[data-testid="empty"]')!.textContent).toMatch(/No flagged drafts yet/));
    expect(button('Export CSV').disabled).toBe(true);
    expect(document.querySelector('[data-testid="audit-empty"]')).not.toBeNull();
  });

  it('shows a plain error when the background does not answer', async () => {
    mount(async () => undefined);
    await waitFor(() => expect(document.querySelector('[role="alert"]')!.textContent).toMatch(/^The history could not be loaded: no answer/));
  });
});

describe('review page: live updates', () => {
  it('shows a draft recorded while the page is open, and stops listening when unmounted', async () => {
    let listener: (() => void) | null = null;
    const root = document.createElement('div');
    document.body.append(root);
    render(
      <ReviewPage
        send={(message) => host.handle(message, { fromExtension: true }) as Promise<unknown>}
        onHistoryChange={(l) => {
          listener = l;
          return () => (listener = null);
        }}
      />,
      root,
    );
    await waitFor(() => expect(document.querySelector('[data-testid="empty"]')).not.toBeNull());
    await seed();
    listener!();
    await waitFor(() => expect(entries()).toHaveLength(2));
    render(null, root);
    await waitFor(() => expect(listener).toBeNull());
  });
});

describe('review page: filters', () => {
  it('filters by site, category, outcome and reviewed, and clears', async () => {
    await seed();
    mount();
    await waitFor(() => expect(entries()).toHaveLength(2));
    expect(Array.from(select('site').options).map((o) => o.value)).toEqual(['', 'blog.example.org', 'forum.example.net']);
    choose('site', 'forum.example.net');
    await waitFor(() => expect(entries().map((e) => e.dataset.entryId)).toEqual(['draft-b1']));
    expect(document.querySelector('[data-testid="count"]')!.textContent).toBe('1 draft matches the filters, of 2.');
    button('Clear filters').click();
    await waitFor(() => expect(entries()).toHaveLength(2));
    choose('category', 'personal-data');
    await waitFor(() => expect(entries().map((e) => e.dataset.entryId)).toEqual(['draft-a1']));
    choose('category', '');
    choose('outcome', 'posted');
    await waitFor(() => expect(entries().map((e) => e.dataset.entryId)).toEqual(['draft-b1']));
    choose('outcome', 'abandoned');
    await waitFor(() => expect(document.querySelector('[data-testid="empty"]')!.textContent).toBe('No draft matches these filters.'));
  });

  it('filters by date range', async () => {
    await seed();
    mount();
    await waitFor(() => expect(entries()).toHaveLength(2));
    const from = present(document.querySelector<HTMLInputElement>('input[name="from"]'));
    from.value = '2999-01-01';
    from.dispatchEvent(new Event('input', { bubbles: true }));
    await waitFor(() => expect(entries()).toHaveLength(0));
    from.value = '2000-01-01';
    from.dispatchEvent(new Event('input', { bubbles: true }));
    await waitFor(() => expect(entries()).toHaveLength(2));
  });
});

describe('review page: actions', () => {
  it('marks a draft reviewed and announces it', async () => {
    await seed();
    mount();
    await waitFor(() => expect(entries()).toHaveLength(2));
    const box = entryById('draft-a1').querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    box.checked = true;
    box.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => expect(entryById('draft-a1').dataset.reviewed).toBe('true'));
    expect(announced()).toBe('Marked as reviewed.');
    choose('reviewed', 'no');
    await waitFor(() => expect(entries().map((e) => e.dataset.entryId)).toEqual(['draft-b1']));
  });

  it('deletes one draft only after confirmation; Cancel returns focus to Delete', async () => {
    await seed();
    mount();
    await waitFor(() => expect(entries()).toHaveLength(2));
    const a = entryById('draft-a1');
    button('Delete this draft', a).click();
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Cancel'));
    expect(a.querySelector('[role="group"]')!.getAttribute('aria-label')).toBe('Confirm deleting this draft');
    button('Cancel', a).click();
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Delete this draft'));
    expect(entries()).toHaveLength(2);
    button('Delete this draft', a).click();
    (await waitFor(() => button('Yes, delete it', a))).click();
    await waitFor(() => expect(entries().map((e) => e.dataset.entryId)).toEqual(['draft-b1']));
    expect(announced()).toBe('Deleted the draft from the history.');
    await waitFor(() => expect(document.activeElement?.id).toBe('list-title'));
  });

  it('deletes everything after confirmation', async () => {
    await seed();
    mount();
    await waitFor(() => expect(entries()).toHaveLength(2));
    button('Delete all…').click();
    const yes = await waitFor(() => button('Yes, delete everything'));
    await waitFor(() => expect(document.activeElement).toBe(yes));
    yes.click();
    await waitFor(() => expect(document.querySelector('[data-testid="empty"]')).not.toBeNull());
    expect(entries()).toHaveLength(0);
  });

  it('exports the filtered drafts as CSV and as JSON', async () => {
    await seed();
    mount();
    await waitFor(() => expect(entries()).toHaveLength(2));
    choose('site', 'blog.example.org');
    await waitFor(() => expect(entries()).toHaveLength(1));
    button('Export CSV').click();
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]!.fileName).toMatch(/^replyguard-history-.*\.csv$/);
    const lines = downloads[0]!.content.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('blog.example.org');
    expect(lines[1]).toContain('Sam asked us to share it');
    expect(lines[1]).not.toContain('900123');
    button('Export JSON').click();
    await waitFor(() => expect(downloads).toHaveLength(2));
    expect(JSON.parse(downloads[1]!.content).entries.map((e: { id: string }) => e.id)).toEqual(['draft-a1']);
    expect(announced()).toMatch(/^Exported 1 draft as JSON/);
  });
});

describe('review page: audit statistics and unreadable entries', () => {
  it('lists each audit-mode rule with how many drafts it would have flagged and where', async () => {
    await seed();
    mount();
    const row = await waitFor(() => present(document.querySelector<HTMLElement>('[data-testid="audit-table"] tr[data-rule="org.trial-refund"]'), 'audit row'));
    expect(row.querySelector('[data-testid="audit-drafts"]')!.textContent).toBe('1 draft');
    expect(row.textContent).toContain('forum.example.net (1)');
    expect(row.textContent).toContain('Posted without a warning: 1');
  });

  it('reports stored entries that cannot be read, shows the rest, and removes them on request', async () => {
    await seed();
    const key = HISTORY_STORAGE_KEY.replace(/^local:/, '');
    const stored = (await fakeBrowser.storage.local.get(key))[key] as unknown[];
    await fakeBrowser.storage.local.set({ [key]: [...stored, { id: 'broken', outcome: 42 }] });
    mount();
    const report = await waitFor(() => present(document.querySelector<HTMLElement>('[data-testid="skipped-report"]'), 'report'));
    expect(report.querySelector('h2')!.textContent).toBe('1 saved entry could not be read');
    expect(report.textContent).toContain('Entry 3 (broken)');
    expect(entries()).toHaveLength(2);
    button('Remove the unreadable entries').click();
    await waitFor(() => expect(document.querySelector('[data-testid="skipped-report"]')).toBeNull());
    expect(entries()).toHaveLength(2);
  });
});
