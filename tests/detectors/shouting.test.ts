import { describe, expect, it } from 'vitest';
import { detector, optionsError } from './helpers';

describe('shouting detector', () => {
  const d = detector('shouting');

  it('flags whole sentences in capitals, spanning the shouted words', () => {
    expect(d.hits('PLEASE READ THE DESCRIPTION.')).toEqual([['PLEASE READ THE DESCRIPTION', 0, 27]]);
    const text = '@parent_kay FOR THE THIRD TIME, THE PASSWORD IS Year6Trip2024.';
    expect(d.texts(text)).toEqual(['FOR THE THIRD TIME, THE PASSWORD IS']);
    expect(d.texts("WE ARE NOT ANSWERING THIS AGAIN!")).toEqual(['WE ARE NOT ANSWERING THIS AGAIN']);
  });

  it('ignores acronyms, even several in one sentence', () => {
    expect(d.texts('The NHS, DWP, HMRC and DVLA all accept it.')).toEqual([]);
    expect(d.texts('NHS DWP HMRC DVLA')).toEqual([]);
  });

  it('ignores protective markings and embargo lines', () => {
    expect(d.texts('--- INTERNAL ONLY – NOT FOR CIRCULATION ---')).toEqual([]);
    expect(d.texts('EMBARGOED UNTIL 00:01 THURSDAY 14 MARCH')).toEqual([]);
    expect(d.texts('OFFICIAL-SENSITIVE: do not share.')).toEqual([]);
  });

  it('ignores short headings and quoted signs or rule names', () => {
    expect(d.texts('LINES TO TAKE')).toEqual([]);
    expect(d.texts("Our sign says 'NO BALL GAMES ON THE GREEN' for a reason.")).toEqual([]);
    expect(d.texts('Rule 3 is "BE RESPECTFUL TO ALL OF US" and it applies here.')).toEqual([]);
  });

  it('leaves cheers in capitals alone, but not an angry exclamation', () => {
    expect(d.texts('MERRY CHRISTMAS FROM ALL OF US!')).toEqual([]);
    expect(d.texts('CONGRATULATIONS TO ALL OF OUR WINNERS! 🎉')).toEqual([]);
    expect(d.texts('WE ARE NOT ANSWERING THIS AGAIN!')).toEqual(['WE ARE NOT ANSWERING THIS AGAIN']);
    // A celebration word without the exclamation mark is still shouting.
    expect(d.texts('THANK YOU FOR NOTHING, WE ARE DONE HERE.')).toEqual(['THANK YOU FOR NOTHING, WE ARE DONE HERE']);
  });

  it('leaves mixed-case sentences alone', () => {
    expect(d.texts('Please read the description, the link is there.')).toEqual([]);
    expect(d.texts('Please note: WE ARE CLOSED ON MONDAY for training.')).toEqual([]);
  });

  it('honours its thresholds', () => {
    expect(detector('shouting', { minWords: 6 }).texts('PLEASE READ THE DESCRIPTION.')).toEqual([]);
    expect(detector('shouting', { headingMaxWords: 0 }).texts('STOP ASKING US')).toEqual([]); // only 3 words
    expect(detector('shouting', { minWords: 3, headingMaxWords: 0 }).texts('STOP ASKING US')).toEqual(['STOP ASKING US']);
    expect(optionsError('shouting', { minUpperRatio: 2 })).toBeDefined();
  });
});
