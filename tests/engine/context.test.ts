import { describe, expect, it } from 'vitest';
import { check, type CompiledPack } from '../../src/engine';
import { compileContext, contextNear, SentenceWords } from '../../src/engine/context';
import { wordIndexAt } from '../../src/engine/text';
import { pack, rule } from './pack-fixture';

const found = (p: CompiledPack, text: string): Array<[string, string]> =>
  check(p, text, { cache: false }).map((f) => [f.excerpt, f.severity]);

const number = (extra: Record<string, unknown>) =>
  pack([rule({ id: 'ref', kind: 'pattern', category: 'internal-info', pattern: '\\b\\d{6}\\b', ...extra })]);

describe('requires', () => {
  const p = number({ requires: { words: ['ticket', 'case ref*'], within: 3 } });

  it('keeps a match with a context word within N words', () => {
    expect(found(p, 'Your ticket is 123456.')).toEqual([['123456', 'warning']]);
    expect(found(p, 'Case reference 123456.')).toEqual([['123456', 'warning']]);
  });
  it('drops it when the word is further than N words away', () => {
    expect(found(p, 'Your ticket, as we said before, is 123456.')).toEqual([]);
  });
  it('drops it when no context word is present', () => {
    expect(found(p, 'We sold 123456 copies.')).toEqual([]);
  });
  it('only looks inside the sentence holding the match', () => {
    expect(found(p, 'About your ticket. 123456 copies sold.')).toEqual([]);
  });
  it('matches context words on word boundaries', () => {
    expect(found(p, 'Tickets sold: 123456.')).toEqual([]);
  });
});

describe('side', () => {
  it('before: only words before the match count', () => {
    const p = number({ requires: { words: ['ticket'], within: 3, side: 'before' } });
    expect(found(p, 'ticket 123456')).toEqual([['123456', 'warning']]);
    expect(found(p, '123456 ticket')).toEqual([]);
  });
  it('after: only words after the match count', () => {
    const p = number({ requires: { words: ['ticket'], within: 3, side: 'after' } });
    expect(found(p, 'ticket 123456')).toEqual([]);
    expect(found(p, '123456 is your ticket')).toEqual([['123456', 'warning']]);
  });
  it('around (the default) counts both sides', () => {
    const p = number({ requires: { words: ['ticket'], within: 3 } });
    expect(found(p, 'ticket 123456')).toHaveLength(1);
    expect(found(p, '123456 ticket')).toHaveLength(1);
  });
  it('within counts words exactly', () => {
    // "ticket" is 2 words before the match: within 2 keeps it, within 1 does not.
    expect(found(number({ requires: { words: ['ticket'], within: 2, side: 'before' } }), 'ticket no 123456')).toHaveLength(1);
    expect(found(number({ requires: { words: ['ticket'], within: 1, side: 'before' } }), 'ticket no 123456')).toHaveLength(0);
  });
});

describe('boosts', () => {
  it('raises severity one step when a word is nearby', () => {
    const p = number({ severity: 'info', boosts: { words: ['password', 'pin'], within: 4 } });
    expect(found(p, 'Order 123456 shipped.')).toEqual([['123456', 'info']]);
    expect(found(p, 'Your PIN is 123456.')).toEqual([['123456', 'warning']]);
  });
  it('warning goes to block and block stays block', () => {
    expect(found(number({ severity: 'warning', boosts: { words: ['pin'] } }), 'pin 123456')).toEqual([['123456', 'block']]);
    expect(found(number({ severity: 'block', boosts: { words: ['pin'] } }), 'pin 123456')).toEqual([['123456', 'block']]);
  });
  it('respects side', () => {
    const p = number({ boosts: { words: ['pin'], side: 'after' } });
    expect(found(p, 'pin 123456')).toEqual([['123456', 'warning']]);
    expect(found(p, '123456 pin')).toEqual([['123456', 'block']]);
  });
});

describe('unless', () => {
  const p = number({ unless: { words: ['example', 'dummy'], within: 2 } });
  it('cancels the match when a word is nearby', () => {
    expect(found(p, 'For example 123456.')).toEqual([]);
    expect(found(p, '123456 (a dummy value).')).toEqual([]);
  });
  it('keeps it when the word is far away', () => {
    expect(found(p, 'For example, our team said that 123456 was used.')).toEqual([['123456', 'warning']]);
  });
  it('combines with requires: both must hold', () => {
    const q = number({ requires: { words: ['ticket'] }, unless: { words: ['example'] } });
    expect(found(q, 'ticket 123456')).toHaveLength(1);
    expect(found(q, 'example ticket 123456')).toHaveLength(0);
  });
});

describe('context on near rules', () => {
  const nearPack = (extra: Record<string, unknown>) =>
    pack([
      rule({ id: 'name', kind: 'phrase', category: 'personal-data', terms: ['Mrs Jones'], standalone: false }),
      rule({ id: 'health', kind: 'phrase', category: 'personal-data', terms: ['diagnosis'], standalone: false }),
      rule({ id: 'name-health', kind: 'near', category: 'personal-data', a: 'name', b: 'health', within: 5, ...extra }),
    ]);
  const text = 'Mrs Jones had a diagnosis.';

  it('requires applies to a near rule', () => {
    expect(found(nearPack({ requires: { words: ['patient'] } }), text)).toEqual([]);
    expect(found(nearPack({ requires: { words: ['patient'] } }), `Patient ${text}`)).toHaveLength(1);
  });
  it('boosts applies to a near rule', () => {
    expect(found(nearPack({ boosts: { words: ['urgent'] } }), `Urgent: ${text}`)).toEqual([['Mrs Jones had a diagnosis', 'block']]);
  });
  it('unless applies to a near rule', () => {
    expect(found(nearPack({ unless: { words: ['fictional'] } }), `A fictional ${text}`)).toEqual([]);
  });
  it('a boosted building block escalates the near finding', () => {
    const p = pack([
      rule({ id: 'name', kind: 'phrase', category: 'personal-data', terms: ['Mrs Jones'], standalone: false, boosts: { words: ['patient'] } }),
      rule({ id: 'health', kind: 'phrase', category: 'personal-data', terms: ['diagnosis'], standalone: false }),
      rule({ id: 'name-health', kind: 'near', category: 'personal-data', a: 'name', b: 'health', within: 5 }),
    ]);
    expect(found(p, `Patient ${text}`)).toEqual([['Mrs Jones had a diagnosis', 'block']]);
    expect(found(p, text)).toEqual([['Mrs Jones had a diagnosis', 'warning']]);
  });
});

describe('context words in a long text', () => {
  // Near rules look for context words in the whole draft; there each window is searched on its own.
  const c = compileContext({ words: ['ticket*', 'case ref', 'tracking'], within: 3, side: 'around' })!;

  /** What a plain search from the window's start finds (the behaviour the windowed search keeps). */
  function plainNear(text: string, start: number, end: number): boolean {
    const words = new SentenceWords(text);
    const starts = words.get();
    const first = wordIndexAt(starts, start);
    const last = wordIndexAt(starts, Math.max(start, end - 1));
    const from = starts[Math.max(0, first - 4)] ?? 0;
    const to = starts[last + 5] ?? text.length;
    const re = new RegExp(c.regex.source, 'giu');
    re.lastIndex = from;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) && m.index < to) {
      const cs = m.index;
      const ce = cs + m[0].length;
      if (ce > start && cs < end) return true;
      if (ce <= start && first - wordIndexAt(starts, Math.max(cs, ce - 1)) <= 3) return true;
      if (cs >= end && wordIndexAt(starts, cs) - last <= 3) return true;
    }
    return false;
  }

  it('agrees with a plain search for every word of a long draft, emoji and all', () => {
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const vocabulary = ['the', 'Ticket', 'tickets', 'case', 'ref', 'tracking', 'number', '😀', 'is', '123456', 'case-ref', 'x_tracking'];
    const text = Array.from({ length: 600 }, () => vocabulary[Math.floor(rand() * vocabulary.length)]).join(' ');
    const words = new SentenceWords(text);
    let near = 0;
    for (const s of words.get()) {
      const e = s + 6;
      const got = contextNear(c, words, s, e);
      expect(got, `at ${s}`).toBe(plainNear(text, s, e));
      if (got) near++;
    }
    expect(near).toBeGreaterThan(50);
  });
});
