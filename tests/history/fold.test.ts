import { describe, expect, it } from 'vitest';
import { MAX_ENTRIES, STALE_DRAFT_MS, type HistoryEntry } from '../../src/history/entry';
import { abandonOpen, DraftEventSchema, foldEvent, siteOf, sweep, type FoldContext } from '../../src/history/fold';
import { DAY, draftEvent, entry, findingOn } from './helpers';

const RISKY = 'Call me on 07700 900123 tonight.';
const CLEAN = 'Call the switchboard tonight.';
const site = { host: 'blog.example.org', page: 'https://blog.example.org/post/1' };
const ctx = (now: number, over: Partial<FoldContext> = {}): FoldContext => ({ now, site, tabId: 7, fullText: false, ...over });

/** Folds events in order into one entry, as the host does for one draftId. */
function fold(events: Array<[Parameters<typeof draftEvent>[0], string, ReturnType<typeof findingOn>[], string?]>, over: Partial<FoldContext> = {}) {
  let current: HistoryEntry | undefined;
  events.forEach(([kind, text, findings, reason], i) => {
    current = foldEvent(current, draftEvent(kind, text, findings, reason ? { reason } : {}), ctx(1000 * (i + 1), over)) ?? current;
  });
  return current;
}

describe('siteOf', () => {
  it('keeps the host and the page without its query or fragment', () => {
    expect(siteOf('https://forum.example.org:8443/t/topic/12?token=abc#reply')).toEqual({
      host: 'forum.example.org:8443',
      page: 'https://forum.example.org:8443/t/topic/12',
    });
  });
  it('has no site for non-web or missing URLs', () => {
    expect(siteOf(undefined)).toBeNull();
    expect(siteOf('chrome-extension://abc/review.html')).toBeNull();
    expect(siteOf('not a url')).toBeNull();
  });
});

describe('foldEvent: the events of one draft make one entry', () => {
  it('flagged, edited, then posted clean: outcome posted, findings and masked text from the flag, timeline in order', () => {
    const finding = findingOn(RISKY, '07700 900123');
    const e = fold([
      ['flagged', RISKY, [finding]],
      ['edited', RISKY, [finding]],
      ['posted', CLEAN, []],
    ])!;
    expect(e.outcome).toBe('posted');
    expect(e.id).toBe('draft-0001');
    expect(e.site).toEqual(site);
    expect(e.tabId).toBe(7);
    expect(e.findings.map((f) => [f.category, f.clause.id, f.severity, f.mode])).toEqual([['personal-data', 'personal-details', 'warning', 'enforce']]);
    expect(e.text).toBe('Call me on [redacted: personal data] tonight.');
    expect(e.fullText).toBe(false);
    expect(e.timeline.map((t) => t.kind)).toEqual(['flagged', 'edited', 'posted']);
    expect([e.createdAt, e.updatedAt]).toEqual([1000, 3000]);
  });

  it('posted anyway keeps the writer\'s reason', () => {
    const f = findingOn(RISKY, '07700 900123');
    const e = fold([
      ['flagged', RISKY, [f]],
      ['posted-anyway', RISKY, [f], '  The number is our public helpline.  '],
    ])!;
    expect(e.outcome).toBe('posted-anyway');
    expect(e.reason).toBe('The number is our public helpline.');
  });

  it('stores the full text when the policy says storeFullText', () => {
    const e = fold([['flagged', RISKY, [findingOn(RISKY, '07700 900123')]]], { fullText: true })!;
    expect(e.text).toBe(RISKY);
    expect(e.fullText).toBe(true);
  });

  it('a post with only audit-mode findings makes an entry', () => {
    const audit = findingOn(RISKY, 'tonight', { mode: 'audit', rule: 'commitment.trial', category: 'commitment' });
    const e = foldEvent(undefined, draftEvent('posted', RISKY, [audit]), ctx(5))!;
    expect(e.outcome).toBe('posted');
    expect(e.findings[0]!.mode).toBe('audit');
    expect(e.text).toBe('Call me on 07700 900123 [redacted: commitment on behalf of the organisation].');
  });

  it('a first event with no warning or block finding makes no entry', () => {
    expect(foldEvent(undefined, draftEvent('posted', CLEAN, []), ctx(5))).toBeNull();
    expect(foldEvent(undefined, draftEvent('flagged', RISKY, [findingOn(RISKY, 'tonight', { severity: 'info' })]), ctx(5))).toBeNull();
  });

  it('ignores an event for the draft from another site', () => {
    const first = foldEvent(undefined, draftEvent('flagged', RISKY, [findingOn(RISKY, 'tonight')]), ctx(1))!;
    expect(foldEvent(first, draftEvent('posted-anyway', RISKY, []), ctx(2, { site: { host: 'evil.example', page: 'https://evil.example/' } }))).toBeNull();
  });

  it('a post is final: later events change nothing; an abandonment is overruled by a later post', () => {
    const f = [findingOn(RISKY, '07700 900123')];
    const posted = fold([
      ['flagged', RISKY, f],
      ['posted-anyway', RISKY, f],
    ])!;
    expect(foldEvent(posted, draftEvent('abandoned', '', []), ctx(9))).toBeNull();
    const abandoned = fold([
      ['flagged', RISKY, f],
      ['abandoned', '', []],
    ])!;
    expect(abandoned.outcome).toBe('abandoned');
    expect(abandoned.abandonedBy).toBe('page');
    expect(abandoned.text).toBe('Call me on [redacted: personal data] tonight.');
    expect(foldEvent(abandoned, draftEvent('abandoned', '', []), ctx(9))).toBeNull();
    const revived = foldEvent(abandoned, draftEvent('posted-anyway', RISKY, f), ctx(9))!;
    expect(revived.outcome).toBe('posted-anyway');
    expect(revived.abandonedBy).toBeUndefined();
  });

  it('new facts after a review need reviewing again', () => {
    const f = [findingOn(RISKY, '07700 900123')];
    const flagged = { ...fold([['flagged', RISKY, f]])!, reviewed: true, reviewedAt: 5 };
    const next = foldEvent(flagged, draftEvent('posted-anyway', RISKY, f), ctx(10))!;
    expect(next.reviewed).toBe(false);
    expect(next.reviewedAt).toBeUndefined();
  });

  it('keeps the timeline bounded, with the first event', () => {
    const f = [findingOn(RISKY, '07700 900123')];
    const events = Array.from({ length: 30 }, (_, i) => [i % 2 ? 'edited' : 'flagged', RISKY, f] as [Parameters<typeof draftEvent>[0], string, typeof f]);
    const e = fold(events)!;
    expect(e.timeline).toHaveLength(20);
    expect(e.timeline[0]).toEqual({ kind: 'flagged', at: 1000 });
    expect(e.timeline.at(-1)).toEqual({ kind: 'edited', at: 30_000 });
  });
});

describe('DraftEventSchema', () => {
  it('accepts an engine finding and rejects a malformed event with the field named', () => {
    expect(DraftEventSchema.safeParse(draftEvent('flagged', RISKY, [findingOn(RISKY, 'tonight')])).success).toBe(true);
    const bad = DraftEventSchema.safeParse({ ...draftEvent('flagged', RISKY, []), kind: 'deleted' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['kind']);
  });
});

describe('abandoned drafts the page could not report', () => {
  it('a closed tab abandons only that tab\'s open drafts', () => {
    const entries = [
      entry({ id: 'a', outcome: 'flagged', tabId: 3 }),
      entry({ id: 'b', outcome: 'edited', tabId: 4 }),
      entry({ id: 'c', outcome: 'posted-anyway', tabId: 3 }),
    ];
    const next = abandonOpen(entries, 99, 'tab-closed', 3);
    expect(next.map((e) => [e.id, e.outcome, e.abandonedBy])).toEqual([
      ['a', 'abandoned', 'tab-closed'],
      ['b', 'edited', undefined],
      ['c', 'posted-anyway', undefined],
    ]);
    expect(next[0]!.timeline.at(-1)).toEqual({ kind: 'abandoned', at: 99 });
  });

  it('a browser restart abandons every open draft', () => {
    const next = abandonOpen([entry({ id: 'a', outcome: 'flagged', tabId: 3 }), entry({ id: 'b', outcome: 'edited' })], 5, 'browser-restart');
    expect(next.map((e) => e.abandonedBy)).toEqual(['browser-restart', 'browser-restart']);
  });
});

describe('sweep', () => {
  const now = Date.UTC(2026, 10, 26);
  it('drops entries older than the retention period and keeps the rest newest first', () => {
    const entries = [entry({ id: 'old', createdAt: now - 91 * DAY }), entry({ id: 'edge', createdAt: now - 90 * DAY }), entry({ id: 'new', createdAt: now - DAY })];
    expect(sweep(entries, now, 90).map((e) => e.id)).toEqual(['new', 'edge']);
    expect(sweep(entries, now, 7).map((e) => e.id)).toEqual(['new']);
  });

  it('keeps nothing when the retention is 0 days', () => {
    expect(sweep([entry({ createdAt: now })], now, 0)).toEqual([]);
  });

  it('marks an open draft with no event for 12 hours abandoned (timeout)', () => {
    const open = entry({ id: 'open', outcome: 'edited', createdAt: now - DAY, updatedAt: now - STALE_DRAFT_MS - 1 });
    const fresh = entry({ id: 'fresh', outcome: 'flagged', createdAt: now - DAY, updatedAt: now - 60_000 });
    const [a, b] = sweep([open, fresh], now, 90);
    expect([a!.outcome, a!.abandonedBy]).toEqual(['abandoned', 'timeout']);
    expect(b!.outcome).toBe('flagged');
  });

  it('keeps at most MAX_ENTRIES, dropping the oldest', () => {
    const many = Array.from({ length: MAX_ENTRIES + 5 }, (_, i) => entry({ id: `e${i}`, createdAt: now - i * 1000 }));
    const kept = sweep(many, now, 90);
    expect(kept).toHaveLength(MAX_ENTRIES);
    expect(kept.at(-1)!.id).toBe(`e${MAX_ENTRIES - 1}`);
  });
});
