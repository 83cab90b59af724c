import { describe, expect, it } from 'vitest';
import { MAX_SEGMENT, segmentText, wordStarts } from '../../src/engine/text';

const texts = (t: string): string[] => segmentText(t).map((s) => s.text);

describe('segmentText', () => {
  it('splits after . ! ? before a capital, quote or digit', () => {
    expect(texts('One here. Two there! Three? "Four" now. 5 is last')).toEqual(['One here.', 'Two there!', 'Three?', '"Four" now.', '5 is last']);
  });

  it('keeps abbreviations and initials inside their sentence', () => {
    expect(texts('Mr. Smith met Dr. Patel. Then they left.')).toEqual(['Mr. Smith met Dr. Patel.', 'Then they left.']);
    expect(texts('Bring ID, e.g. Passport or licence. Thanks.')).toEqual(['Bring ID, e.g. Passport or licence.', 'Thanks.']);
    expect(texts('i.e. Monday works. J. R. Hartley agreed.')).toEqual(['i.e. Monday works.', 'J. R. Hartley agreed.']);
  });

  it('keeps "No." and section abbreviations with the number after them', () => {
    expect(texts('Meet at No. 10 Downing Street. Under s. 12 of the Act it is fine.')).toEqual([
      'Meet at No. 10 Downing Street.',
      'Under s. 12 of the Act it is fine.',
    ]);
    expect(texts('The answer is no. Then we left.')).toEqual(['The answer is no.', 'Then we left.']);
    expect(texts('We said no. 10 people left.')).toEqual(['We said no. 10 people left.']); // ambiguous: kept together
    // A date of birth stays with its label, so one rule sees both.
    expect(texts('Checked against D.O.B. 14/03/1987. Thanks.')).toEqual(['Checked against D.O.B. 14/03/1987.', 'Thanks.']);
  });

  it('does not split lower-case continuations or decimals', () => {
    expect(texts('It costs 3.5 million. and more.')).toEqual(['It costs 3.5 million. and more.']);
    expect(texts('see e.g. the FAQ')).toEqual(['see e.g. the FAQ']);
  });

  it('splits at newlines and trims CRLF and blank lines', () => {
    expect(texts('first line\r\nsecond line\r\n\r\n  third\n')).toEqual(['first line', 'second line', 'third']);
  });

  it('splits at a lone CR and at Unicode line and paragraph separators', () => {
    expect(texts('one\rtwo\u2028three\u2029four')).toEqual(['one', 'two', 'three', 'four']);
  });

  it('segment offsets point back into the draft', () => {
    const text = '  Hello there.\r\nNew line here. Next one!  ';
    for (const s of segmentText(text)) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('cuts very long runs at a space, each piece at most MAX_SEGMENT long', () => {
    const text = 'word '.repeat(1000).trim(); // 4999 characters, no sentence end
    const segs = segmentText(text);
    expect(segs.length).toBeGreaterThan(1);
    for (const s of segs) {
      expect(s.text.length).toBeLessThanOrEqual(MAX_SEGMENT);
      expect(s.text.startsWith('word')).toBe(true);
      expect(s.text.endsWith('word')).toBe(true);
      expect(text.slice(s.start, s.end)).toBe(s.text);
    }
    expect(segs.map((s) => s.text).join(' ')).toBe(text);
  });

  it('cuts a long run without spaces hard, but never inside an emoji', () => {
    const text = 'a' + '😀'.repeat(MAX_SEGMENT); // surrogate pairs straddle every odd offset
    const segs = segmentText(text);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    for (const s of segs) {
      expect(s.text.length).toBeLessThanOrEqual(MAX_SEGMENT);
      expect(s.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
  });

  it('returns nothing for an empty or blank draft', () => {
    expect(segmentText('')).toEqual([]);
    expect(segmentText(' \n\r\n ')).toEqual([]);
  });
});

describe('wordStarts', () => {
  it('counts a word with a combining accent as one word', () => {
    expect(wordStarts('cafe\u0301 ouvert')).toEqual([0, 6]);
  });
  it('keeps contractions, emails and URLs as single words', () => {
    expect(wordStarts("we’ll mail press@example.org or see https://example.org/x")).toHaveLength(6);
  });
});
