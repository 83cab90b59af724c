/**
 * phone: telephone numbers, classified by what kind of line they are, so a
 * rule can flag a person's mobile while leaving the organisation's helplines
 * alone.
 *
 * libphonenumber-js finds the candidates and splits off the country code. It
 * runs with "possible" leniency because its "valid" check rejects the ranges
 * Ofcom and NANPA reserve for drama and examples (07700 900xxx, 01632 960xxx,
 * 555-01xx), which are exactly what people quote in training material and
 * tests. The UK and North American kinds then come from the published
 * numbering plans below, which also name the service ranges (0300, 0800,
 * 0845, toll-free 8xx) that must never be flagged. For other countries the
 * 'mobile' metadata set answers the one question we need ("is this a
 * mobile?"): it is ~16 KB larger than 'min', which cannot tell mobiles
 * apart for most countries, and ~58 KB smaller than 'max', whose extra
 * line types we never use.
 */
import { findPhoneNumbersInText, getCountryCallingCode, isSupportedCountry, type CountryCode } from 'libphonenumber-js/mobile';
import { z } from 'zod';
import type { LocalHit, SentenceInput } from '../types';
import { defineDetector } from './types';

export const PHONE_KINDS = ['mobile', 'personal', 'fixed', 'fixed-or-mobile', 'other', 'service'] as const;
export type PhoneKind = (typeof PHONE_KINDS)[number];

/**
 * UK national significant number (without the leading 0) -> kind, from
 * Ofcom's National Telephone Numbering Plan.
 */
export function ukKind(nsn: string): PhoneKind {
  if (/^[12]/.test(nsn)) return 'fixed'; // 01, 02 geographic
  if (/^3/.test(nsn)) return 'service'; // 03 non-geographic, charged as geographic (councils, NHS, charities)
  if (/^70/.test(nsn)) return 'personal'; // 070 personal numbering ("follow-me" numbers)
  if (/^7624/.test(nsn)) return 'mobile'; // Isle of Man mobiles sit inside the pager block
  if (/^76/.test(nsn)) return 'other'; // 076 pagers
  if (/^7/.test(nsn)) return 'mobile'; // 071-075, 077-079
  if (/^(?:8|9|500)/.test(nsn)) return 'service'; // 080 freephone, 084/087 shared cost, 09 premium, 0500
  return 'other'; // 055/056 corporate and VoIP
}

const NANP_SERVICE_AREAS = new Set(['800', '822', '833', '844', '855', '866', '877', '880', '881', '882', '888', '900']);

/** North American 10-digit number -> kind (NANPA): toll-free and premium area codes are services. */
export function nanpKind(nsn: string): PhoneKind | undefined {
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(nsn)) return undefined; // not a dialable NANP number
  if (NANP_SERVICE_AREAS.has(nsn.slice(0, 3))) return 'service';
  if (/^[2-9]11$/.test(nsn.slice(0, 3))) return 'service';
  return 'fixed-or-mobile'; // NANP mobiles and landlines share area codes
}

const Options = z
  .object({
    regions: z
      .array(z.string().length(2).refine(isSupportedCountry, { message: 'not a country code libphonenumber knows (e.g. GB, US, IE)' }))
      .min(1)
      .default(['GB', 'US'])
      .describe('Countries whose national formats are recognised (numbers written with +CC are always found).'),
    kinds: z
      .array(z.enum(PHONE_KINDS))
      .min(1)
      .default(['mobile', 'personal'])
      .describe('Which kinds of number this rule reports. "service" (0300, 0800, toll-free) is never personal.'),
  })
  .strict();

export type PhoneOptions = z.infer<typeof Options>;

export interface FoundPhone {
  start: number;
  end: number;
  kind: PhoneKind;
}

/** Seven digits with at most two separators between each: anything shorter is no phone number. */
const DIGIT_RUN = /\d(?:[\s().+-]{0,2}\d){6}/;

/** Every phone number in a sentence with its kind; numbers found under several regions are reported once. */
export function findPhones(text: string, regions: readonly string[]): FoundPhone[] {
  if (!DIGIT_RUN.test(text)) return [];
  return parsePhones(text, regions);
}

/**
 * Numbers found in a sentence during one check, by regions. Several rules (mobile, home
 * number) ask about the same sentences, and parsing is the expensive part. Keyed by the
 * check's sentence object, so nothing is remembered from one check to the next: a check
 * with the sentence memo off really parses every sentence, as the bench assumes.
 */
const found = new WeakMap<SentenceInput, Map<string, FoundPhone[]>>();

function phonesOf(s: SentenceInput, regions: readonly string[]): FoundPhone[] {
  let byRegions = found.get(s);
  if (!byRegions) found.set(s, (byRegions = new Map()));
  const key = regions.join(',');
  let phones = byRegions.get(key);
  if (!phones) byRegions.set(key, (phones = findPhones(s.text, regions)));
  return phones;
}

/** A number that starts with 0 ("087 ...", "(02) ..."), not a 0 inside a longer number. */
const TRUNK_ZERO = /(?<![\d.,])\(?0\d/g;

function hasUnclaimedTrunkZero(text: string, found: readonly FoundPhone[]): boolean {
  TRUNK_ZERO.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TRUNK_ZERO.exec(text))) {
    const at = m.index;
    if (!found.some((p) => p.start <= at && at < p.end)) return true;
  }
  return false;
}

function parsePhones(text: string, regions: readonly string[]): FoundPhone[] {
  const out: FoundPhone[] = [];
  for (const region of regions) {
    // Other regions only add numbers written nationally with a trunk 0 (see classify): skip the parse unless
    // such a number is left over after the regions before.
    if (region !== 'GB' && region !== 'US' && !hasUnclaimedTrunkZero(text, out)) continue;
    for (const f of findPhoneNumbersInText(text, { defaultCountry: region as CountryCode, extended: true })) {
      if (out.some((o) => o.start < f.endsAt && f.startsAt < o.end)) continue;
      const written = text.slice(f.startsAt, f.endsAt);
      const kind = classify(written, f.number.countryCallingCode, f.number.nationalNumber, () => f.number.getType(), region);
      if (kind) out.push({ start: f.startsAt, end: f.endsAt, kind });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function classify(
  written: string,
  callingCode: string,
  nsn: string,
  getType: () => string | undefined,
  region: string,
): PhoneKind | undefined {
  const international = /^\s*(?:\+|00)/.test(written);
  if (callingCode === '44') {
    // Written nationally, a UK number starts with its trunk 0; without it "644 278 7796" is some other identifier.
    if (!international && !/^\s*\(?0/.test(written)) return undefined;
    if (nsn.length < 9 || nsn.length > 10) return undefined;
    // Only some 01 area codes and old 0800/0500 numbers have nine digits after the 0 (Ofcom); any other nine
    // digits are another country's number (Irish 087 123 4567, Australian 0412 345 678), left for its region.
    if (nsn.length === 9 && !/^(?:1|800|500)/.test(nsn)) return undefined;
    return ukKind(nsn);
  }
  if (callingCode === '1') {
    if (!international && !isNanpShaped(written)) return undefined;
    return nanpKind(nsn);
  }
  if (!international) {
    // Another configured region written nationally (087 123 4567 in Ireland, 0412 345 678 in Australia): trusted
    // only with its trunk 0 and only as a mobile. The 'mobile' metadata cannot tell a landline from a service
    // number, and leaving the rest unclaimed lets the next region try (04 is an Irish area code, an Australian mobile).
    if (callingCode !== getCountryCallingCode(region as CountryCode) || !/^\s*\(?0/.test(written)) return undefined;
    return getType() === 'MOBILE' ? 'mobile' : undefined;
  }
  return getType() === 'MOBILE' ? 'mobile' : 'other';
}

/** (213) 373-4253, 213-373-4253, 213.373.4253, 1-213-373-4253: grouped the North American way. */
function isNanpShaped(written: string): boolean {
  return /^\s*(?:1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}\s*$/.test(written);
}

export const phoneDetector = defineDetector<PhoneOptions>({
  name: 'phone',
  description: 'Telephone numbers of the chosen kinds (mobile, personal, fixed, ...); helplines and toll-free numbers are never reported.',
  options: Options as z.ZodType<PhoneOptions>,
  create(options) {
    const kinds = new Set<PhoneKind>(options.kinds);
    return {
      // Every phone number has a digit; most sentences have none.
      keywords: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      find(s): LocalHit[] {
        return phonesOf(s, options.regions)
          .filter((p) => kinds.has(p.kind))
          .map((p) => ({ start: p.start, end: p.end }));
      },
    };
  },
});
