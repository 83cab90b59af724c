import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine';
import { pack, rule } from './pack-fixture';

// One rule of every sentence kind plus a near rule, so every offset path is exercised.
const p = pack([
  rule({ id: 'secret', kind: 'phrase', category: 'marking', terms: ['secret'] }),
  rule({ id: 'cafe', kind: 'phrase', category: 'unannounced', terms: ['café'] }),
  rule({ id: 'pin', kind: 'pattern', category: 'credentials', pattern: 'PIN (?<span>\\d{4})' }),
  rule({ id: 'refund', kind: 'nlp', category: 'commitment', clause: 'promises', match: 'we will refund', keywords: ['refund'] }),
  rule({ id: 'name', kind: 'phrase', category: 'personal-data', terms: ['Mrs Jones'], standalone: false }),
  rule({ id: 'ill', kind: 'phrase', category: 'personal-data', terms: ['diagnosis'], standalone: false }),
  rule({ id: 'name-ill', kind: 'near', category: 'personal-data', a: 'name', b: 'ill', within: 8 }),
]);

const EMOJI = '😀'; // one code point, two UTF-16 units
const FLAG = '🇬🇧'; // two regional indicators, four units
const FAMILY = '👨‍👩‍👧'; // ZWJ sequence, eight units
const SKIN = '👍🏽'; // emoji + skin-tone modifier
const NFD_E = 'e\u0301'; // e + combining acute

const drafts: Record<string, string> = {
  emoji: `${EMOJI} It is secret ${EMOJI}. PIN 1234 ${SKIN}. ${EMOJI} we will refund ${EMOJI}`,
  flags: `${FLAG}${FLAG} secret ${FLAG} PIN 9876 ${FLAG} then we will refund.`,
  zwj: `${FAMILY} Mrs Jones ${FAMILY} got her ${FAMILY} diagnosis. ${FAMILY} Secret! PIN 5555${FAMILY}`,
  accents: `Élodie’s café is secret, naïve ${NFD_E}t${NFD_E} PIN 4321; we will refund.`,
  crlf: `First line ${EMOJI}\r\nIt is secret.\r\n\r\nMrs Jones,\r\nher diagnosis.\r\nPIN 1111\r\nWe will refund you.`,
};

describe('finding offsets are UTF-16 offsets into the draft', () => {
  for (const [name, text] of Object.entries(drafts)) {
    it(`text.slice(start, end) === excerpt (${name})`, () => {
      const findings = check(p, text);
      expect(findings.length).toBeGreaterThanOrEqual(3);
      for (const f of findings) {
        expect(f.start).toBeGreaterThanOrEqual(0);
        expect(f.end).toBeLessThanOrEqual(text.length);
        expect(f.end).toBeGreaterThan(f.start);
        expect(text.slice(f.start, f.end)).toBe(f.excerpt);
        // A span never splits a surrogate pair.
        expect(f.excerpt).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
      }
    });
  }

  it('finds the expected words at the expected places', () => {
    const text = drafts.emoji!;
    const got = check(p, text).map((f) => [f.rule, f.excerpt, f.start]);
    expect(got).toEqual([
      ['secret', 'secret', text.indexOf('secret')],
      ['pin', '1234', text.indexOf('1234')],
      ['refund', 'we will refund', text.indexOf('we will refund')],
    ]);
  });

  it('a near finding across CRLF lines spans both parts', () => {
    const text = drafts.crlf!;
    const near = check(p, text).find((f) => f.rule === 'name-ill')!;
    expect(near.excerpt).toBe('Mrs Jones,\r\nher diagnosis');
  });

  it('the same sentence gets the right offsets wherever it appears (cache shifts offsets)', () => {
    const sentence = `${FAMILY} It is secret.`;
    const text = `${sentence} ${EMOJI}${EMOJI} ${sentence}\r\n${sentence}`;
    const starts = check(p, text).map((f) => f.start);
    const expected: number[] = [];
    for (let i = text.indexOf('secret'); i >= 0; i = text.indexOf('secret', i + 1)) expected.push(i);
    expect(starts).toEqual(expected);
  });
});
