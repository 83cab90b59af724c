import { describe, expect, it } from 'vitest';
import { detector, optionsError } from './helpers';

describe('profanity detector', () => {
  const d = detector('profanity');

  it('finds swearing with UTF-16 offsets of the whole word', () => {
    const text = 'Stop talking shit about the lads.';
    expect(d.hits(text)).toEqual([['shit', 13, 17]]);
    expect(d.texts('That is complete bullshit.')).toEqual(['bullshit']);
  });

  it('keeps offsets right after emoji (surrogate pairs) earlier in the sentence', () => {
    const text = '😀😀 what the fuck 🙄';
    const start = text.indexOf('fuck');
    expect(d.hits(text)).toEqual([['fuck', start, start + 4]]);
  });

  it('sees through disguised spellings', () => {
    expect(d.texts('This is sh1t.')).toEqual(['sh1t']);
    expect(d.texts('fuuuuck off')).toEqual(['fuuuuck']);
  });

  it('does not flag innocent words and places (Scunthorpe problem)', () => {
    for (const text of [
      'Scunthorpe and Penistone services are running.',
      'Please assess the class on Tuesday.',
      'Sussex, Essex and Middlesex.',
      'The therapist did an analysis of the cockpit data.',
      'Shiitake mushrooms and a cocktail evening.',
      'A Pissarro exhibition opens at the gallery.',
    ])
      expect(d.texts(text), text).toEqual([]);
  });

  it('ignores clinical and everyday words by default', () => {
    for (const text of [
      'Our sexual health clinic supports same-sex couples.',
      'Report a rape on 101.',
      'A blue tit visited the feeder.',
      'Dick Whittington is the panto this year.',
      'He graduated cum laude.',
    ])
      expect(d.texts(text), text).toEqual([]);
  });

  it('can add words and reinstate ignored ones', () => {
    expect(d.texts('The bin store is a bloody disgrace.')).toEqual([]);
    expect(detector('profanity', { extraWords: ['bloody'] }).texts('The bin store is a bloody disgrace.')).toEqual(['bloody']);
    expect(detector('profanity', { ignore: [] }).texts('A blue tit visited.')).toEqual(['tit']);
    expect(detector('profanity', { allow: ['shitterton'] }).texts('Shitterton is in Dorset.')).toEqual([]);
  });

  it('merges several patterns matching one word into one hit', () => {
    expect(d.hits('shit')).toHaveLength(1);
  });

  it('rejects extra words that are not plain words', () => {
    expect(optionsError('profanity', { extraWords: ['b[l]oody'] })).toMatch(/letters/);
  });
});
