import { describe, expect, it } from 'vitest';
import { KeywordIndex } from '../../src/engine/prefilter';

function due(index: KeywordIndex, text: string, rules: number): number[] {
  const out = new Uint8Array(rules);
  for (const i of index.always) out[i] = 1;
  index.matchInto(text, out);
  return [...out].flatMap((v, i) => (v ? [i] : []));
}

describe('KeywordIndex', () => {
  it('finds every rule whose keyword occurs, including overlapping and nested keywords', () => {
    const index = new KeywordIndex([['he'], ['she'], ['hers'], ['his'], ['ll pay', 'refund']]);
    expect(due(index, 'ushers', 5)).toEqual([0, 1, 2]);
    expect(due(index, "we'll pay it", 5)).toEqual([4]);
    expect(due(index, 'a refund', 5)).toEqual([4]);
    expect(due(index, 'nothing here', 5)).toEqual([0]);
    expect(due(index, 'xyz', 5)).toEqual([]);
  });

  it('runs rules without keywords on every sentence and never runs rules with an empty list', () => {
    const index = new KeywordIndex([null, [], ['cat']]);
    expect(index.always).toEqual([0]);
    expect(due(index, 'a cat', 3)).toEqual([0, 2]);
    expect(due(index, 'a dog', 3)).toEqual([0]);
  });

  it('agrees with a plain substring test on random text', () => {
    const words = ['ab', 'abc', 'bca', 'c', 'cab', 'bb', 'aaa'];
    const index = new KeywordIndex(words.map((w) => [w]));
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 200; n++) {
      const text = Array.from({ length: 12 }, () => 'abc'[Math.floor(rand() * 3)]).join('');
      expect(due(index, text, words.length)).toEqual(words.flatMap((w, i) => (text.includes(w) ? [i] : [])));
    }
  });

  it('finds keywords with emoji and accented letters, and not an emoji that only shares a half with another', () => {
    const index = new KeywordIndex([['🙄'], ['café'], ['😀']]);
    expect(due(index, 'nice one 🙄', 3)).toEqual([0]);
    expect(due(index, 'the café opens', 3)).toEqual([1]);
    expect(due(index, '😀 fine', 3)).toEqual([2]);
  });

  it('agrees with a plain substring test on random text with accents, quotes and emoji', () => {
    const chars = ['a', 'b', 'é', "'", ' ', '😀', '🙄', 'ab', 'ba'];
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = (n: number) => Array.from({ length: n }, () => chars[Math.floor(rand() * chars.length)]).join('');
    const keywords = Array.from({ length: 40 }, () => [word(1 + Math.floor(rand() * 3))]);
    const index = new KeywordIndex(keywords);
    for (let n = 0; n < 300; n++) {
      const text = word(15);
      expect(due(index, text, keywords.length), text).toEqual(keywords.flatMap(([k], i) => (text.includes(k!) ? [i] : [])));
    }
  });
});
