/**
 * The organisation's own public contact details and terms: a hit on one of
 * them is never a finding, whatever rule made it.
 */
import type { Allowlist } from './schema';
import { termSource, WB_AFTER, WB_BEFORE } from './text';

export type AllowCheck = (sentence: string, start: number, end: number) => boolean;

const digitsOf = (s: string): string => {
  const d = s.replace(/[^\d+]/g, '');
  // +44 20 ... and 020 ... are the same UK number.
  if (d.startsWith('+44')) return `0${d.slice(3)}`;
  if (d.startsWith('+1')) return d.slice(2);
  return d.replace(/\+/g, '');
};

export function compileAllowlist(a: Allowlist): AllowCheck {
  const phones = a.phones.map(digitsOf).filter((d) => d.length >= 3);
  const domains = a.domains.map((d) => d.toLowerCase().replace(/^www\./, ''));
  const emails = a.emails.map((e) => e.toLowerCase());
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
