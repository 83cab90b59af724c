import { describe, expect, it } from 'vitest';
import { check, type CompiledPack } from '../../src/engine';
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
