import { fakeBrowser } from './fake-browser-env';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHistoryHost, onDraftEvent, type HistoryPolicy } from '../../src/background/history-host';
import type { HistoryExportResponse, HistoryListResponse, MessageSender } from '../../src/background/protocol';
import { createHistoryStore, defineHistoryItem } from '../../src/history/store';
import { DAY, draftEvent, findingOn } from './helpers';

const RISKY = 'Call me on 07700 900123 tonight.';
const PAGE: MessageSender = { url: 'https://blog.example.org/post/1?utm=x#respond', tabId: 4, frameId: 0, fromExtension: false };
const REVIEW: MessageSender = { url: undefined, fromExtension: true };

function setup(policy: HistoryPolicy = { historyRetentionDays: 90, storeFullText: false }) {
  let now = Date.UTC(2026, 10, 26, 9);
  const tabListeners: Array<(tabId: number) => void> = [];
  const startListeners: Array<() => void> = [];
  const host = createHistoryHost({
    store: createHistoryStore(defineHistoryItem()),
    policy: async () => policy,
    now: () => now,
    events: { onTabRemoved: (l) => tabListeners.push(l), onStartup: (l) => startListeners.push(l) },
  });
  const send = (message: unknown, sender: MessageSender) => host.handle(message, sender) as Promise<unknown>;
  const list = async (filter?: unknown) => (await send({ type: 'history-list', filter }, REVIEW)) as Extract<HistoryListResponse, { ok: true }>;
  return {
    host,
    send,
    list,
    tick: (ms: number) => (now += ms),
    closeTab: (id: number) => tabListeners.forEach((l) => l(id)),
    restart: () => startListeners.forEach((l) => l()),
  };
}

const flagged = (over = {}) => draftEvent('flagged', RISKY, [findingOn(RISKY, '07700 900123')], { draftId: 'draft-aaaa', ...over });

beforeEach(() => fakeBrowser.reset());

describe('history host: draft events', () => {
  it('records a draft under the sender\'s page (never the message\'s), masked, and folds its later events into the same entry', async () => {
    const h = setup();
    expect(await h.send({ ...flagged(), url: 'https://evil.example/' }, PAGE)).toEqual({ ok: true, recorded: true });
    h.tick(5000);
    await h.send(draftEvent('posted-anyway', RISKY, [findingOn(RISKY, '07700 900123')], { draftId: 'draft-aaaa', reason: 'It is our helpline' }), PAGE);
    const listed = await h.list();
    expect(listed.total).toBe(1);
    const [e] = listed.entries;
    expect(e!.site).toEqual({ host: 'blog.example.org', page: 'https://blog.example.org/post/1' });
    expect(e!.outcome).toBe('posted-anyway');
    expect(e!.reason).toBe('It is our helpline');
    expect(e!.text).toBe('Call me on [redacted: personal data] tonight.');
    expect(e!.timeline.map((t) => t.kind)).toEqual(['flagged', 'posted-anyway']);
    expect(listed.storeFullText).toBe(false);
    expect(listed.retentionDays).toBe(90);
    expect(listed.sites).toEqual(['blog.example.org']);
  });

  it('keeps the full text when the organisation\'s policy sets storeFullText', async () => {
    const h = setup({ historyRetentionDays: 90, storeFullText: true });
    await h.send(flagged(), PAGE);
    expect((await h.list()).entries[0]!.text).toBe(RISKY);
  });

  it('keeps nothing when the retention is 0 days', async () => {
    const h = setup({ historyRetentionDays: 0, storeFullText: false });
    await h.send(flagged(), PAGE);
    expect((await h.list()).total).toBe(0);
  });

  it('expires entries after the retention period', async () => {
    const h = setup({ historyRetentionDays: 7, storeFullText: false });
    await h.send(flagged(), PAGE);
    await h.send(draftEvent('posted-anyway', RISKY, []), PAGE);
    h.tick(8 * DAY);
    expect((await h.list()).total).toBe(0);
  });

  it('rejects malformed events with a one-line error, and events from extension pages', async () => {
    const h = setup();
    const bad = (await h.send({ ...flagged(), findings: 'lots' }, PAGE)) as { ok: boolean; error: string };
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/^history: invalid draft event \(findings: /);
    expect(bad.error).not.toContain('\n');
    expect(await h.send(flagged(), REVIEW)).toMatchObject({ ok: false });
    expect((await h.list()).total).toBe(0);
  });

  it('records nothing from a sender without a web page', async () => {
    const h = setup();
    expect(await h.send(flagged(), { fromExtension: false, url: undefined })).toEqual({ ok: true, recorded: false });
  });

  it('hands every valid event with its sender to onDraftEvent listeners (the audit endpoint)', async () => {
    const h = setup();
    const seen: Array<[string, string | undefined]> = [];
    const stop = onDraftEvent((event, sender) => seen.push([event.kind, sender.url]));
    await h.send(flagged(), PAGE);
    await h.send({ type: 'draft-event', nonsense: true }, PAGE);
    stop();
    await h.send(flagged(), PAGE);
    expect(seen).toEqual([['flagged', PAGE.url]]);
  });

  it('answers nothing for other messages', () => {
    expect(setup().host.handle({ type: 'check', text: 'x' }, PAGE)).toBeUndefined();
  });
});

describe('history host: abandoned drafts', () => {
  it('marks the open drafts of a closed tab abandoned, and every open draft after a browser restart', async () => {
    const h = setup();
    await h.send(flagged({ draftId: 'draft-tab4' }), PAGE);
    await h.send(flagged({ draftId: 'draft-tab9' }), { ...PAGE, tabId: 9 });
    h.closeTab(4);
    await new Promise((r) => setTimeout(r, 10));
    let entries = (await h.list()).entries;
    expect(Object.fromEntries(entries.map((e) => [e.id, [e.outcome, e.abandonedBy]]))).toEqual({
      'draft-tab4': ['abandoned', 'tab-closed'],
      'draft-tab9': ['flagged', undefined],
    });
    h.restart();
    await new Promise((r) => setTimeout(r, 10));
    entries = (await h.list()).entries;
    expect(entries.find((e) => e.id === 'draft-tab9')!.abandonedBy).toBe('browser-restart');
  });
});

describe('history host: abandoned drafts reach the draft-event listeners (audit endpoint)', () => {
  it('tells listeners about drafts it marks abandoned itself, with the page and no text', async () => {
    const h = setup();
    const heard: Array<{ kind: string; draftId: string; text: string; url?: string; tabId?: number }> = [];
    const stop = onDraftEvent((event, sender) => heard.push({ kind: event.kind, draftId: event.draftId, text: event.text, url: sender.url, tabId: sender.tabId }));
    try {
      await h.send(flagged({ draftId: 'draft-tab4' }), PAGE);
      await h.send(flagged({ draftId: 'draft-tab9' }), { ...PAGE, tabId: 9 });
      heard.length = 0;
      await h.host.tabClosed(4);
      expect(heard).toEqual([{ kind: 'abandoned', draftId: 'draft-tab4', text: '', url: 'https://blog.example.org/post/1', tabId: 4 }]);
      await h.host.tabClosed(4); // nothing open there any more: nothing to tell
      expect(heard).toHaveLength(1);
      await h.host.browserStarted();
      expect(heard.map((e) => e.draftId)).toEqual(['draft-tab4', 'draft-tab9']);
    } finally {
      stop();
    }
  });
});

describe('history host: review page requests', () => {
  it('only the extension\'s own pages may read or change the history', async () => {
    const h = setup();
    for (const type of ['history-list', 'history-review', 'history-delete', 'history-export']) {
      expect(await h.send({ type, ids: [], reviewed: true, all: true, format: 'csv' }, PAGE)).toEqual({
        ok: false,
        error: "history: only the extension's own pages may read or change the history",
      });
    }
  });

  it('filters, marks reviewed, exports and deletes', async () => {
    const h = setup();
    await h.send(flagged({ draftId: 'draft-one' }), PAGE);
    await h.send(flagged({ draftId: 'draft-two' }), { ...PAGE, url: 'https://forum.example.net/t/1' });
    expect((await h.list({ site: 'forum.example.net' })).entries.map((e) => e.id)).toEqual(['draft-two']);
    expect(await h.send({ type: 'history-list', filter: { outcome: 'exploded' } }, REVIEW)).toMatchObject({ ok: false, error: expect.stringMatching(/^history: invalid filter \(outcome: /) });

    const reviewed = (await h.send({ type: 'history-review', ids: ['draft-one'], reviewed: true }, REVIEW)) as Extract<HistoryListResponse, { ok: true }>;
    expect(reviewed.entries.find((e) => e.id === 'draft-one')!.reviewed).toBe(true);
    expect((await h.list({ reviewed: false })).entries.map((e) => e.id)).toEqual(['draft-two']);

    const csv = (await h.send({ type: 'history-export', format: 'csv', filter: { site: 'blog.example.org' } }, REVIEW)) as Extract<HistoryExportResponse, { ok: true }>;
    expect(csv.mimeType).toMatch(/^text\/csv/);
    expect(csv.fileName).toMatch(/^replyguard-history-\d{4}-\d\d-\d\d\.csv$/);
    expect(csv.content.trim().split('\r\n')).toHaveLength(2);
    expect(csv.content).toContain('Call me on [redacted: personal data] tonight.');
    expect(csv.content).not.toContain('900123');
    const json = (await h.send({ type: 'history-export', format: 'json' }, REVIEW)) as Extract<HistoryExportResponse, { ok: true }>;
    expect(JSON.parse(json.content).entries).toHaveLength(2);
    expect(await h.send({ type: 'history-export', format: 'xlsx' }, REVIEW)).toMatchObject({ ok: false });

    const afterOne = (await h.send({ type: 'history-delete', ids: ['draft-one'] }, REVIEW)) as Extract<HistoryListResponse, { ok: true }>;
    expect(afterOne.entries.map((e) => e.id)).toEqual(['draft-two']);
    const afterAll = (await h.send({ type: 'history-delete', all: true }, REVIEW)) as Extract<HistoryListResponse, { ok: true }>;
    expect(afterAll.total).toBe(0);
    expect(await h.send({ type: 'history-delete' }, REVIEW)).toMatchObject({ ok: false });
  });
});
