/** Findings, events and entries for the history tests. */
import type { DraftEvent } from '../../src/background/protocol';
import type { Finding } from '../../src/engine/types';
import type { HistoryEntry } from '../../src/history/entry';
import type { CheckedDraftEvent } from '../../src/history/fold';

/** A finding on the first occurrence of `words` in `text`. */
export function findingOn(text: string, words: string, over: Partial<Finding> = {}): Finding {
  const start = text.indexOf(words);
  if (start < 0) throw new Error(`"${words}" is not in the draft`);
  return {
    rule: 'personal-data.phone',
    pack: 'builtin',
    category: 'personal-data',
    severity: 'warning',
    mode: 'enforce',
    message: `"${words}" looks like a phone number`,
    start,
    end: start + words.length,
    excerpt: words,
    clause: { id: 'personal-details', title: 'Personal details', url: null },
    ...over,
  };
}

export function draftEvent(kind: DraftEvent['kind'], text: string, findings: Finding[], over: Partial<DraftEvent> = {}): CheckedDraftEvent {
  return { type: 'draft-event', draftId: 'draft-0001', kind, text, findings, at: 0, ...over } as CheckedDraftEvent;
}

export const DAY = 24 * 60 * 60 * 1000;

export function entry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 'entry-0001',
    createdAt: Date.UTC(2026, 10, 20, 10),
    updatedAt: Date.UTC(2026, 10, 20, 10),
    site: { host: 'blog.example.org', page: 'https://blog.example.org/post/1' },
    findings: [
      {
        rule: 'personal-data.phone',
        pack: 'builtin',
        category: 'personal-data',
        severity: 'warning',
        mode: 'enforce',
        clause: { id: 'personal-details', title: 'Personal details', url: null },
      },
    ],
    outcome: 'posted-anyway',
    reviewed: false,
    text: 'Call [redacted: personal data] today',
    fullText: false,
    timeline: [{ kind: 'flagged', at: Date.UTC(2026, 10, 20, 10) }],
    ...over,
  };
}
