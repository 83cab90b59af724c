import { describe, expect, it } from 'vitest';
import { findPhones, nanpKind, ukKind } from '../../src/engine/detectors/phone';
import { detector, optionsError } from './helpers';

const kindsOf = (text: string) => findPhones(text, ['GB', 'US']).map((p) => [text.slice(p.start, p.end), p.kind]);

describe('phone detector: kinds', () => {
  it('classifies UK numbers by the Ofcom plan, including the drama ranges libphonenumber calls invalid', () => {
    expect(kindsOf("Gary's mobile is 07700 900432.")).toEqual([['07700 900432', 'mobile']]);
    expect(kindsOf('Ring the box office on 01632 960550.')).toEqual([['01632 960550', 'fixed']]);
    expect(kindsOf('Call 0113 496 0412 or 020 7946 0831.')).toEqual([
      ['0113 496 0412', 'fixed'],
      ['020 7946 0831', 'fixed'],
    ]);
    expect(kindsOf('Her number is 07000 123456.')).toEqual([['07000 123456', 'personal']]);
  });

  it('treats helplines, freephone and shared-cost numbers as services', () => {
    for (const n of ['0300 303 1573', '0345 600 7245', '0800 555 111', '0808 157 0331', '0845 464 7000', '0870 010 0222'])
      expect(kindsOf(`Call ${n} today.`)).toEqual([[n, 'service']]);
  });

  it('never reports short codes such as 101, 111, 999, 311 or 159', () => {
    expect(kindsOf('Call 101, 111 or 999; in Canada 311; for fraud 159; power cuts 105.')).toEqual([]);
  });

  it('handles international formats', () => {
    expect(kindsOf('Reach him on +44 7700 900123 or +44 (0)7700 900456.')).toEqual([
      ['+44 7700 900123', 'mobile'],
      ['+44 (0)7700 900456', 'mobile'],
    ]);
    expect(kindsOf('In Ireland: +353 87 123 4567.')).toEqual([['+353 87 123 4567', 'mobile']]);
  });

  it('classifies North American numbers: toll-free is a service, others cannot be told apart', () => {
    expect(kindsOf('Call 1-800-555-0199 or (213) 373-4253.')).toEqual([
      ['1-800-555-0199', 'service'],
      ['(213) 373-4253', 'fixed-or-mobile'],
    ]);
    expect(kindsOf('Toll free: 888-555-1234.')).toEqual([['888-555-1234', 'service']]);
  });

  it('does not mistake other identifiers for phone numbers', () => {
    for (const text of [
      'Card 4954 2555 0349 1068 was declined.',
      'Passport no. 548213907 checked.',
      'Charity number 1098765.',
      'Batch 4436 8214 4832 6653.',
      'Born 12/06/2015, paid £212.40 on 3 April.',
      'The 07:52 was late.',
      'Conference ID 882 449 103#.',
    ])
      expect(kindsOf(text)).toEqual([]);
  });

  it('maps number ranges to kinds directly', () => {
    expect(ukKind('7911123456')).toBe('mobile');
    expect(ukKind('7624300100')).toBe('mobile'); // Isle of Man
    expect(ukKind('7640123456')).toBe('other'); // pager
    expect(ukKind('3001234567')).toBe('service');
    expect(ukKind('5601234567')).toBe('other');
    expect(nanpKind('8775550199')).toBe('service');
    expect(nanpKind('4155550132')).toBe('fixed-or-mobile');
    expect(nanpKind('0800555111')).toBeUndefined();
  });
});

describe('phone detector: rule options', () => {
  it('reports only the kinds asked for, with offsets into the sentence', () => {
    const mobile = detector('phone', { kinds: ['mobile', 'personal'] });
    const text = 'Call 0300 456 2210 or the engineer on 07700 900292.';
    expect(mobile.hits(text)).toEqual([['07700 900292', 38, 50]]);
    const fixed = detector('phone', { kinds: ['fixed'] });
    expect(fixed.texts('Call her at home on 0113 496 0123 or 07700 900292.')).toEqual(['0113 496 0123']);
  });

  it('defaults to mobile and personal numbers in GB and US formats', () => {
    const d = detector('phone');
    expect(d.texts('Office 0113 496 0412, mobile 07700 900432, toll-free 1-800-555-0199.')).toEqual(['07700 900432']);
  });

  it('recognises national formats of other configured regions by their trunk 0', () => {
    const kinds = (text: string) => findPhones(text, ['GB', 'US', 'IE', 'AU', 'NZ']).map((p) => [text.slice(p.start, p.end), p.kind]);
    expect(kinds('Ring Siobhán on 087 123 4567 or 086-555-1234.')).toEqual([
      ['087 123 4567', 'mobile'],
      ['086-555-1234', 'mobile'],
    ]);
    expect(kinds('Mick is on 0412 345 678; the council is on 1300 123 456.')).toEqual([['0412 345 678', 'mobile']]);
    expect(kinds('Text Aroha on 021 123 4567.')).toEqual([['021 123 4567', 'mobile']]);
    // A UK number is still read as UK when GB comes first.
    expect(kinds('Gary is on 07700 900432.')).toEqual([['07700 900432', 'mobile']]);
    // Without IE configured, an Irish number written nationally is not trusted.
    expect(kindsOf('Ring Siobhán on 087 123 4567.')).toEqual([]);
  });

  it('recognises national formats only for the configured regions', () => {
    const us = detector('phone', { regions: ['US'], kinds: ['fixed-or-mobile', 'mobile'] });
    expect(us.texts('Mobile 07700 900432, cell (415) 555-0132.')).toEqual(['(415) 555-0132']);
  });

  it('skips sentences without a digit', () => {
    expect(detector('phone').keywords).toContain('7');
    expect(detector('phone').hits('No numbers here at all.')).toEqual([]);
  });

  it('rejects unknown regions and kinds with a clear message', () => {
    expect(optionsError('phone', { regions: ['XX'] })).toMatch(/country code/);
    expect(optionsError('phone', { kinds: ['landline'] })).toBeDefined();
    expect(optionsError('phone', { colour: 'red' })).toBeDefined();
  });
});
