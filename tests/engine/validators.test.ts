import { describe, expect, it } from 'vitest';
import { isCaSin, isIban, isNhsNumber, isPaymentCard, isUkNino, isUsSsn, luhn, shannonEntropy } from '../../src/engine/validators';

describe('isPaymentCard (Luhn + issuer ranges)', () => {
  it.each([
    ['4111111111111111', 'Visa 16'],
    ['4222222222222', 'Visa 13'],
    ['5555 5555 5555 4444', 'Mastercard, spaces'],
    ['2223-0031-2200-3222', 'Mastercard 2-series, dashes'],
    ['3782 822463 10005', 'Amex, 4-6-5 grouping'],
    ['6011.1111.1111.1117', 'Discover, dots'],
    ['3530111333300000', 'JCB'],
    ['30569309025904', 'Diners 14'],
  ])('accepts %s (%s)', (card) => {
    expect(isPaymentCard(card)).toBe(true);
  });

  it.each([
    ['4111111111111112', 'Luhn check digit wrong'],
    ['4111 1111 1111 1121', 'two digits swapped'],
    ['79927398713', 'Luhn-valid but too short for a card'],
    ['1234567812345670', 'Luhn-valid but no issuer starts with 1'],
    ['0000000000000000', 'Luhn-valid zeros, no issuer'],
  ])('rejects %s (%s)', (card) => {
    expect(isPaymentCard(card)).toBe(false);
  });

  it('rejects a Luhn-valid number whose length does not fit its issuer', () => {
    // 15-digit Visa: Luhn-valid but Visa issues 13, 16 and 19 digits only.
    const visa15 = '411111111111116';
    expect(luhn(visa15)).toBe(true);
    expect(isPaymentCard(visa15)).toBe(false);
  });

  it('rejects letters and other separators', () => {
    expect(isPaymentCard('4111 1111 1111 111a')).toBe(false);
    expect(isPaymentCard('4111/1111/1111/1111')).toBe(false);
  });
});

describe('isIban', () => {
  it('accepts the standard examples, with or without spaces, any case', () => {
    expect(isIban('GB82WEST12345698765432')).toBe(true);
    expect(isIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIban('gb82west12345698765432')).toBe(true);
    expect(isIban('DE89 3704 0044 0532 0130 00')).toBe(true);
  });
  it('rejects an altered digit (mod-97 fails)', () => {
    expect(isIban('GB82WEST12345698765431')).toBe(false);
    expect(isIban('GB83WEST12345698765432')).toBe(false);
  });
  it("rejects a length that does not match the country's", () => {
    expect(isIban('GB82WEST1234569876543')).toBe(false); // 21 for GB (22)
    expect(isIban('GB82WEST123456987654321')).toBe(false); // 23
  });
  it('rejects unknown countries and malformed input', () => {
    expect(isIban('XX82WEST12345698765432')).toBe(false);
    expect(isIban('GBXXWEST12345698765432')).toBe(false);
    expect(isIban('')).toBe(false);
  });
});

describe('isNhsNumber', () => {
  it('accepts a valid NHS number with spaces, dashes or none', () => {
    expect(isNhsNumber('943 476 5919')).toBe(true);
    expect(isNhsNumber('943-476-5919')).toBe(true);
    expect(isNhsNumber('9434765919')).toBe(true);
    expect(isNhsNumber('987 654 3210')).toBe(true); // check digit 11 -> 0
  });
  it('rejects a wrong check digit', () => {
    expect(isNhsNumber('943 476 5918')).toBe(false);
  });
  it('rejects every number whose check digit would be 10', () => {
    // 123456789: weighted sum 210, 210 mod 11 = 1, 11 - 1 = 10: never issued.
    for (let last = 0; last <= 9; last++) expect(isNhsNumber(`123456789${last}`)).toBe(false);
  });
  it('rejects repeated digits and wrong lengths', () => {
    expect(isNhsNumber('0000000000')).toBe(false);
    expect(isNhsNumber('943 476 591')).toBe(false);
    expect(isNhsNumber('943 476 59190')).toBe(false);
  });
});

describe('isUkNino', () => {
  it('accepts valid numbers, spaced or not', () => {
    expect(isUkNino('AB123456C')).toBe(true);
    expect(isUkNino('ab 12 34 56 c')).toBe(true);
    expect(isUkNino('OA123456D')).toBe(true); // O is allowed as the first letter
  });
  it.each(['D', 'F', 'I', 'Q', 'U', 'V'])('rejects first letter %s', (l) => {
    expect(isUkNino(`${l}A123456A`)).toBe(false);
  });
  it.each(['D', 'F', 'I', 'O', 'Q', 'U', 'V'])('rejects second letter %s', (l) => {
    expect(isUkNino(`A${l}123456A`)).toBe(false);
  });
  it.each(['BG', 'GB', 'NK', 'KN', 'NT', 'TN', 'ZZ'])('rejects the never-issued prefix %s', (p) => {
    expect(isUkNino(`${p}123456A`)).toBe(false);
  });
  it('rejects suffixes other than A-D and wrong digit counts', () => {
    expect(isUkNino('AB123456E')).toBe(false);
    expect(isUkNino('AB12345C')).toBe(false);
    expect(isUkNino('AB1234567C')).toBe(false);
  });
});

describe('isUsSsn', () => {
  it('accepts a valid SSN with dashes, spaces or none', () => {
    expect(isUsSsn('536-22-1234')).toBe(true);
    expect(isUsSsn('536 22 1234')).toBe(true);
    expect(isUsSsn('536221234')).toBe(true);
  });
  it.each([
    ['000-12-3456', 'area 000'],
    ['666-12-3456', 'area 666'],
    ['900-12-3456', 'area 9xx'],
    ['999-12-3456', 'area 9xx'],
    ['536-00-1234', 'group 00'],
    ['536-22-0000', 'serial 0000'],
    ['536-22-123', 'too short'],
  ])('rejects %s (%s)', (ssn) => {
    expect(isUsSsn(ssn)).toBe(false);
  });
});

describe('isCaSin', () => {
  it('accepts a Luhn-valid SIN with spaces, dashes or none', () => {
    // 046 454 286 is the specimen number in ESDC's own guidance.
    expect(isCaSin('046 454 286')).toBe(true);
    expect(isCaSin('046-454-286')).toBe(true);
    expect(isCaSin('046454286')).toBe(true);
  });
  it.each([
    ['046 454 287', 'Luhn check fails'],
    ['123 456 789', 'Luhn check fails'],
    ['000 000 000', 'never issued'],
    ['046 454 28', 'too short'],
    ['0464 542 860', 'too long'],
  ])('rejects %s (%s)', (sin) => {
    expect(isCaSin(sin)).toBe(false);
  });
});

describe('shannonEntropy', () => {
  it('is 0 for empty and single-symbol strings', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaaaaaa')).toBe(0);
  });
  it('is log2(n) bits for n equally frequent symbols', () => {
    expect(shannonEntropy('ab')).toBeCloseTo(1);
    expect(shannonEntropy('abcd')).toBeCloseTo(2);
    expect(shannonEntropy('abcdefgh')).toBeCloseTo(3);
  });
  it('counts code points, not UTF-16 units', () => {
    expect(shannonEntropy('😀😀😀')).toBe(0);
    expect(shannonEntropy('😀a')).toBeCloseTo(1);
  });
  it('ranks a random token above an English word', () => {
    expect(shannonEntropy('kX9#pQ2vL7mZ')).toBeGreaterThan(shannonEntropy('password'));
  });
});
