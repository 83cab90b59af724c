import { describe, expect, it } from 'vitest';
import { evaluationDetector } from '../../src/engine/detectors/evaluation';
import { SentenceWords } from '../../src/engine/context';

function spans(text: string, options: Record<string, unknown> = {}): string[] {
  const inst = evaluationDetector.create(evaluationDetector.options.parse(options));
  const input = { text, lower: text.toLowerCase(), words: new SentenceWords(text), nlp: () => { throw new Error('not used'); } };
  return inst.find(input as never).map((h) => text.slice(h.start, h.end));
}

describe('evaluation detector', () => {
  it('finds judgement words of either polarity with their exact spans', () => {
    expect(spans('Their plan is a disgrace and frankly hopeless.')).toEqual(['disgrace', 'hopeless']);
    expect(spans('A brilliant result for the team 😀, truly outstanding.')).toEqual(['brilliant', 'outstanding']);
  });

  it('filters by polarity and strength', () => {
    expect(spans('A brilliant plan from a useless council.', { polarity: 'negative' })).toEqual(['useless']);
    expect(spans('A brilliant plan from a useless council.', { polarity: 'positive' })).toEqual(['brilliant']);
    expect(spans('It was a bit bad.', { minStrength: 4 })).toEqual([]);
  });

  it('flips a word after a negator', () => {
    expect(spans('That was not brilliant.', { polarity: 'negative' })).toEqual(['brilliant']);
    expect(spans('That was not brilliant.', { polarity: 'positive' })).toEqual([]);
    // The lexicon's own phrases win over the flip ("not good" is rated as a phrase).
    expect(spans('That is not good enough.', { polarity: 'negative' })).toEqual(['not good']);
  });

  it('leaves neutral service text alone', () => {
    expect(spans('The library reopens on Monday at 9am; bins are collected on Tuesday.')).toEqual([]);
  });

  it('accepts extra words and ignores listed ones', () => {
    expect(spans('What a shambles.', { extraWords: { shambles: -3 } })).toEqual(['shambles']);
    expect(spans('A disgrace.', { ignore: ['disgrace'] })).toEqual([]);
  });
});
