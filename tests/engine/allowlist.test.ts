import { describe, expect, it } from 'vitest';
import { check, type CompiledPack } from '../../src/engine';
import { pack, rule } from './pack-fixture';

const excerpts = (p: CompiledPack, text: string): string[] => check(p, text, { cache: false }).map((f) => f.excerpt);

// Plain pattern rules stand in for the phone / email / URL detectors (tested elsewhere):
// the allowlist judges any rule's hit, whatever made it.
const phoneRule = rule({ id: 'phone', kind: 'pattern', category: 'personal-data', pattern: '(?:\\+44\\s?(?:\\(0\\)\\s?)?|0044\\s?|0)\\d{2,4}[\\s\\d]{6,10}\\d' });
const emailRule = rule({ id: 'email', kind: 'pattern', category: 'personal-data', pattern: '[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+' });
const urlRule = rule({ id: 'url', kind: 'pattern', category: 'internal-info', pattern: '(?:https?://)?[\\w-][\\w.-]*\\.(?:org|uk|com)(?![\\w.-]*\\w)(?:/\\S*)?' });

describe('allowlisted phone numbers', () => {
  const p = pack([phoneRule], { allowlist: { phones: ['+44 20 7946 0000'] } });

  it('drops the number in national form', () => {
    expect(excerpts(p, 'Call 020 7946 0000 today.')).toEqual([]);
  });
  it('drops the number in international forms', () => {
    expect(excerpts(p, 'Call +44 20 7946 0000 today.')).toEqual([]);
    expect(excerpts(p, 'Call +44 (0)20 7946 0000 today.')).toEqual([]);
    expect(excerpts(p, 'Call 0044 20 7946 0000 today.')).toEqual([]);
  });
  it('keeps other numbers', () => {
    expect(excerpts(p, 'Call 020 7946 0999 today.')).toEqual(['020 7946 0999']);
  });
  it('an allowlist entry in national form also allows the international form', () => {
    const q = pack([phoneRule], { allowlist: { phones: ['020 7946 0000'] } });
    expect(excerpts(q, 'Call +44 20 7946 0000 today.')).toEqual([]);
  });
});

describe('allowlisted domains', () => {
  const p = pack([urlRule], { allowlist: { domains: ['example.org', '*.example.gov.uk'] } });

  it('drops the exact host, with or without scheme, www and path', () => {
    expect(excerpts(p, 'See example.org for more.')).toEqual([]);
    expect(excerpts(p, 'See https://www.example.org/help for more.')).toEqual([]);
  });
  it('a plain domain does not allow its subdomains', () => {
    expect(excerpts(p, 'See intranet.example.org please.')).toEqual(['intranet.example.org']);
  });
  it('"*.domain" allows the domain and its subdomains', () => {
    expect(excerpts(p, 'See example.gov.uk and https://forms.example.gov.uk/apply today.')).toEqual([]);
  });
  it('does not allow look-alike hosts', () => {
    expect(excerpts(p, 'See notexample.org or example.org.evil.com now.')).toEqual(['notexample.org', 'example.org.evil.com']);
  });
  it('accepts allowlist entries written as URLs', () => {
    const q = pack([urlRule], { allowlist: { domains: ['https://www.example.org/'] } });
    expect(excerpts(q, 'See https://example.org/contact today.')).toEqual([]);
  });
});

describe('allowlisted emails', () => {
  const p = pack([emailRule], { allowlist: { emails: ['press@example.org', 'help@'], domains: ['example.org'] } });

  it('drops a full allowlisted address, any case', () => {
    expect(excerpts(p, 'Write to Press@Example.org today.')).toEqual([]);
  });
  it('a bare local part "help@" allows that mailbox at any domain', () => {
    expect(excerpts(p, 'Write to help@example.org or help@example.gov.uk.')).toEqual([]);
  });
  it("an allowlisted domain does not allow a person's address on it", () => {
    expect(excerpts(p, 'Write to jane.smith@example.org today.')).toEqual(['jane.smith@example.org']);
  });
  it('a different mailbox with the same local part as a full entry is kept', () => {
    expect(excerpts(p, 'Write to press@other.org today.')).toEqual(['press@other.org']);
  });
});

describe('allowlisted terms', () => {
  const p = pack([rule({ id: 'secret', kind: 'phrase', category: 'marking', terms: ['secret'] })], {
    allowlist: { terms: ['Secret Garden', 'top-secret recipe'] },
  });

  it('drops a hit inside an allowlisted phrase, any case', () => {
    expect(excerpts(p, 'Visit the secret garden today.')).toEqual([]);
    expect(excerpts(p, 'Try our top-secret recipe.')).toEqual([]);
  });
  it('keeps the same word elsewhere in the sentence', () => {
    expect(excerpts(p, 'The Secret Garden plan is secret.')).toEqual(['secret']);
  });
  it('keeps a hit that only partly overlaps an allowlisted phrase', () => {
    const q = pack([rule({ id: 'plan', kind: 'phrase', category: 'internal-info', terms: ['garden plan'] })], { allowlist: { terms: ['secret garden'] } });
    expect(excerpts(q, 'The secret garden plan.')).toEqual(['garden plan']);
  });
});
