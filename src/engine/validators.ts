/**
 * Checksum and range validators for identifiers. A pattern rule names one of
 * these; a regex match that fails its validator is not a finding. Each takes
 * the matched text as written (spaces, dashes and dots are stripped here).
 * Sources: shared/policy/sources.md, "Identifiers: verify, don't just
 * pattern-match".
 */

const stripSeparators = (s: string): string => s.replace(/[\s\-.]/g, '');

/** Luhn mod 10 plus the issuer prefixes and lengths of the major card schemes. */
export function isPaymentCard(raw: string): boolean {
  const digits = stripSeparators(raw);
  if (!/^\d{12,19}$/.test(digits)) return false;
  if (!hasCardIssuerPrefix(digits)) return false;
  return luhn(digits);
}

export function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function hasCardIssuerPrefix(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if (p2 >= 51 && p2 <= 55) return n === 16; // Mastercard
  if (p4 >= 2221 && p4 <= 2720) return n === 16; // Mastercard 2-series
  if (p2 === 34 || p2 === 37) return n === 15; // Amex
  if (p4 === 6011 || p2 === 65 || (p6 >= 622126 && p6 <= 622925) || (Number(d.slice(0, 3)) >= 644 && Number(d.slice(0, 3)) <= 649))
    return n >= 16 && n <= 19; // Discover
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if (p2 === 36 || p2 === 38 || p2 === 39 || (Number(d.slice(0, 3)) >= 300 && Number(d.slice(0, 3)) <= 305)) return n >= 14 && n <= 19; // Diners
  if (['5018', '5020', '5038', '5893', '6304', '6759', '6761', '6762', '6763'].includes(d.slice(0, 4))) return n >= 12 && n <= 19; // Maestro
  if (d.startsWith('62')) return n >= 16 && n <= 19; // UnionPay
  return false;
}

/** IBAN lengths by country (ISO 13616 registry). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22,
  GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30,
  KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31,
  MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24,
  SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** Country length, then rotate four characters, letters to numbers, mod 97 = 1. */
export function isIban(raw: string): boolean {
  const s = raw.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  const len = IBAN_LENGTHS[s.slice(0, 2)];
  if (len === undefined || s.length !== len) return false;
  const rotated = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rotated) {
    const v = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rem = v > 9 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/** NHS number: weights 10..2 on nine digits; check = 11 - (sum mod 11); 11 -> 0; 10 invalid. */
export function isNhsNumber(raw: string): boolean {
  const d = stripSeparators(raw);
  if (!/^\d{10}$/.test(d)) return false;
  if (/^(\d)\1{9}$/.test(d)) return false; // 0000000000 etc. pass mod 11 but are never issued
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === d.charCodeAt(9) - 48;
}

/** UK National Insurance number prefix and suffix rules (HMRC NIM39110). */
export function isUkNino(raw: string): boolean {
  const s = raw.replace(/[\s-]/g, '').toUpperCase();
  const m = /^([A-Z])([A-Z])(\d{6})([A-D])$/.exec(s);
  if (!m) return false;
  const [, a, b] = m as unknown as [string, string, string];
  if ('DFIQUV'.includes(a)) return false;
  if ('DFIOQUV'.includes(b)) return false;
  if (['BG', 'GB', 'NK', 'KN', 'NT', 'TN', 'ZZ'].includes(a + b)) return false;
  return true;
}

/** US SSN: area not 000, 666 or 900-999; group not 00; serial not 0000. */
export function isUsSsn(raw: string): boolean {
  const d = raw.replace(/[\s-]/g, '');
  if (!/^\d{9}$/.test(d)) return false;
  const area = Number(d.slice(0, 3));
  const group = Number(d.slice(3, 5));
  const serial = Number(d.slice(5));
  if (area === 0 || area === 666 || area >= 900) return false;
  return group !== 0 && serial !== 0;
}

/** Canadian Social Insurance Number: nine digits passing Luhn (ESDC); 000 000 000 is never issued. */
export function isCaSin(raw: string): boolean {
  const d = stripSeparators(raw);
  if (!/^\d{9}$/.test(d) || /^0{9}$/.test(d)) return false;
  return luhn(d);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

export const VALIDATORS = {
  luhn: isPaymentCard,
  iban: isIban,
  'nhs-number': isNhsNumber,
  'uk-nino': isUkNino,
  'us-ssn': isUsSsn,
  'ca-sin': isCaSin,
} as const satisfies Record<string, (s: string) => boolean>;

export type ValidatorName = keyof typeof VALIDATORS;
export const VALIDATOR_NAMES = Object.keys(VALIDATORS) as [ValidatorName, ...ValidatorName[]];
