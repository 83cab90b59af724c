import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS } from '../../src/history/entry';
import { maskDraft, redactionLabel, storedText, summariseFindings, WITHHELD_TEXT } from '../../src/history/mask';
import { findingOn } from './helpers';

describe('maskDraft', () => {
  it('replaces each flagged span with its category and leaves the rest of the draft as written', () => {
    const text = 'Ring Sam on 07700 900123 about the OFFICIAL-SENSITIVE report.';
    const masked = maskDraft(text, [
      findingOn(text, '07700 900123'),
      findingOn(text, 'OFFICIAL-SENSITIVE', { category: 'marking', rule: 'marking.official', severity: 'block' }),
    ]);
    expect(masked).toBe('Ring Sam on [redacted: personal data] about the [redacted: protective marking] report.');
    expect(masked).not.toContain('900123');
  });

  it('merges overlapping spans into one label naming every category', () => {
    const text = 'Password is hunter2 for jo@example.org';
    const masked = maskDraft(text, [
      findingOn(text, 'Password is hunter2', { category: 'credentials' }),
      findingOn(text, 'hunter2 for jo@example.org', { category: 'personal-data' }),
    ]);
    expect(masked).toBe('[redacted: credentials / personal data]');
  });

  it('masks other occurrences of the flagged words too', () => {
    const text = 'Call 07700 900123. Again: 07700 900123.';
    expect(maskDraft(text, [findingOn(text, '07700 900123')])).toBe('Call [redacted: personal data]. Again: [redacted: personal data].');
  });

  it('masks info and audit findings as well as warnings', () => {
    const text = 'fyi the secret plan';
    const masked = maskDraft(text, [findingOn(text, 'secret plan', { severity: 'info', mode: 'audit', category: 'unannounced' })]);
    expect(masked).toBe('fyi the [redacted: unannounced information]');
  });

  it('withholds the whole draft when a finding does not fit the text (it changed after the check)', () => {
    const text = 'Call 07700 900123 today';
    const stale = { ...findingOn(text, '07700 900123'), start: 6 };
    expect(maskDraft(text, [stale])).toBe(WITHHELD_TEXT);
    expect(maskDraft('short', [findingOn(text, 'today')])).toBe(WITHHELD_TEXT);
  });

  it('keeps a draft without findings unchanged', () => {
    expect(maskDraft('All fine here.', [])).toBe('All fine here.');
  });

  it('labels categories in plain words', () => {
    expect(redactionLabel(['legal', 'legal'])).toBe('[redacted: legal matters]');
  });
});

describe('storedText', () => {
  it('keeps the full draft only when the policy allows it', () => {
    const text = 'Call 07700 900123 today';
    const f = [findingOn(text, '07700 900123')];
    expect(storedText(text, f, true)).toEqual({ text, truncated: false });
    expect(storedText(text, f, false).text).toBe('Call [redacted: personal data] today');
  });

  it('cuts very long drafts', () => {
    const text = 'a'.repeat(MAX_TEXT_CHARS + 50);
    const stored = storedText(text, [], true);
    expect(stored.truncated).toBe(true);
    expect(stored.text).toHaveLength(MAX_TEXT_CHARS + 1);
  });
});

describe('summariseFindings', () => {
  it('keeps one line per rule with its highest severity, merged with earlier findings, and never the message', () => {
    const text = 'Call 07700 900123 or 07700 900456';
    const first = findingOn(text, '07700 900123');
    const second = { ...findingOn(text, '07700 900456'), severity: 'block' as const };
    const summary = summariseFindings([first, second]);
    expect(summary).toEqual([
      {
        rule: 'personal-data.phone',
        pack: 'builtin',
        category: 'personal-data',
        severity: 'block',
        mode: 'enforce',
        clause: { id: 'personal-details', title: 'Personal details', url: null },
      },
    ]);
    expect(JSON.stringify(summary)).not.toContain('900123');
    const merged = summariseFindings([findingOn(text, 'Call', { rule: 'conduct.x', category: 'conduct' })], summary);
    expect(merged.map((s) => s.rule)).toEqual(['personal-data.phone', 'conduct.x']);
  });
});
