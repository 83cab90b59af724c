/**
 * The organisation's own public contact details and terms: a hit on one of
 * them is never a finding, whatever rule made it.
 */
import type { Allowlist } from './schema';
import { termSource, WB_AFTER, WB_BEFORE } from './text';

export type AllowCheck = (sentence: string, start: number, end: number) => boolean;

/**
 * A phone number's digits in national form, so the forms people write the
 * same number in compare equal: +44 20 ..., +44 (0)20 ..., 0044 20 ... and
 * 020 ... are one UK number; +1 and 001 prefixes are dropped for NANP numbers.
 */
const digitsOf = (s: string): string => {
  const d = s.replace(/[^\d+]/g, '').replace(/^00/, '+');
  if (d.startsWith('+44')) return `0${d.slice(3).replace(/^0/, '')}`;
  if (d.startsWith('+1')) return d.slice(2);
  return d.replace(/\+/g, '');
};

/** "https://www.Example.org/contact" -> "example.org"; "*.example.org" keeps its wildcard. */
const hostOf = (entry: string): string =>
  entry
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/:?#].*$/, '')
    .replace(/^www\./, '');

export function compileAllowlist(a: Allowlist): AllowCheck {
  const phones = a.phones.map(digitsOf).filter((d) => d.length >= 3);
  const domains = a.domains.map(hostOf);
  const emails = a.emails.map((e) => e.trim().toLowerCase());
  const terms = a.terms.length
    ? new RegExp(`${WB_BEFORE}(?:${a.terms.map(termSource).join('|')})${WB_AFTER}`, 'giu')
    : undefined;

  const hostAllowed = (host: string): boolean => {
    const h = host.toLowerCase().replace(/^www\./, '');
    return domains.some((d) => (d.startsWith('*.') ? h === d.slice(2) || h.endsWith(d.slice(1)) : h === d));
  };

  return (sentence, start, end) => {
    const hit = sentence.slice(start, end);
    if (phones.length) {
      const d = digitsOf(hit);
      if (d.length >= 3 && phones.includes(d)) return true;
    }
    if (domains.length || emails.length) {
      const lower = hit.toLowerCase();
      const email = /([\p{L}\p{N}._%+-]+)@([\p{L}\p{N}.-]+\.[\p{L}]{2,})/u.exec(lower);
      if (email) {
        if (emails.includes(email[0]) || emails.includes(`${email[1]}@`)) return true;
      } else {
        const host = /^(?:https?:\/\/)?([\p{L}\p{N}.-]+\.[\p{L}]{2,})(?:[/:?#]|$)/u.exec(lower);
        if (host && hostAllowed(host[1]!)) return true;
      }
    }
    if (terms) {
      terms.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = terms.exec(sentence))) if (m.index <= start && m.index + m[0].length >= end) return true;
    }
    return false;
  };
}
