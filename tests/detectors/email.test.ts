import { describe, expect, it } from 'vitest';
import { classifyEmail } from '../../src/engine/detectors/email';
import { detector } from './helpers';

const kind = (address: string) => {
  const [local, domain] = address.split('@') as [string, string];
  return classifyEmail(local, domain);
};

describe('email detector: personal or role', () => {
  it('treats free-mail addresses as personal', () => {
    expect(kind('jane.moss.1987@gmail.com')).toBe('personal');
    expect(kind('r.okafor.home@gmail.com')).toBe('personal');
    expect(kind('dave1962@btinternet.com')).toBe('personal');
  });

  it('treats name-shaped addresses at an organisation as personal', () => {
    expect(kind('sarah.jones@ashworth.gov.uk')).toBe('personal');
    expect(kind('j.smith@kelbrook.ac.uk')).toBe('personal');
    expect(kind('mary-jane_smith@example.org')).toBe('personal');
  });

  it('treats role mailboxes and lists as organisational', () => {
    for (const a of [
      'info@kelbrook.ac.uk',
      'enquiries@ashworth.gov.uk',
      'press@hga.gov.uk',
      'complaints@larkvalehomes.org.uk',
      'foi@hga.gov.uk',
      'noreply@service.gov.uk',
      'customer.services@valewickenergy.co.uk',
      'npt-kelbrook-all@northvale.police.uk',
      'lostproperty@northvalerail.co.uk',
      'highways@ashworth.gov.uk',
      'kelbrook.foodbank.info@gmail.com',
      'partner.ops@wexhall.gov.uk',
      'guest.access@kelbrook.ac.uk',
    ])
      expect(kind(a), a).toBe('role');
  });
});

describe('email detector: hits', () => {
  it('reports only personal addresses by default, with exact offsets', () => {
    const d = detector('email');
    const text = 'Email press@ashworth.gov.uk or, over the summer, r.okafor.home@gmail.com.';
    const start = text.indexOf('r.okafor');
    expect(d.hits(text)).toEqual([['r.okafor.home@gmail.com', start, start + 'r.okafor.home@gmail.com'.length]]);
  });

  it('reports every address when personalOnly is false', () => {
    const d = detector('email', { personalOnly: false });
    expect(d.texts('Write to foi@hga.gov.uk or jane.doe@gmail.com.')).toEqual(['foi@hga.gov.uk', 'jane.doe@gmail.com']);
  });

  it('takes extra role words and free-mail domains from the options', () => {
    expect(detector('email').texts('Contact bins.team2@ashworth.gov.uk.')).toEqual([]);
    expect(detector('email').texts('Contact bin.crew@ashworth.gov.uk.')).toEqual(['bin.crew@ashworth.gov.uk']);
    expect(detector('email', { roleWords: ['crew'] }).texts('Contact bin.crew@ashworth.gov.uk.')).toEqual([]);
    expect(detector('email', { freeMailDomains: ['mymail.example'] }).texts('Write to daveh@mymail.example today.')).toEqual([
      'daveh@mymail.example',
    ]);
  });

  it('leaves the login part of a link to the credentials rules, but reads mailto: addresses', () => {
    const d = detector('email');
    expect(d.texts('git clone https://oauth2:glpat-abc123XYZ@gitlab.example.ac.uk/rse/model.git')).toEqual([]);
    expect(d.texts('Write to mailto:jane.moss.1987@gmail.com please.')).toEqual(['jane.moss.1987@gmail.com']);
  });

  it('does not take sentence punctuation into the address', () => {
    expect(detector('email').texts('(jane.moss@gmail.com).')).toEqual(['jane.moss@gmail.com']);
    expect(detector('email').texts('Write to jane.moss@gmail.com, or "j.moss@hotmail.co.uk".')).toEqual([
      'jane.moss@gmail.com',
      'j.moss@hotmail.co.uk',
    ]);
  });

  it('ignores text without an address', () => {
    expect(detector('email').hits('Find us @kelbrooklib on social media.')).toEqual([]);
  });
});
