// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clauseFragment, clauseHref, isExternalClauseLink } from '../../../src/ui/clause-link';

const getURL = (path: string) => `chrome-extension://abc${path}`;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('clauseHref', () => {
  it("uses the clause's own url when the pack gives one", () => {
    const target = { pack: 'acme', clause: { id: 'x', title: 'X', url: 'https://acme.example/policy#x' } };
    expect(clauseHref(target, getURL)).toBe('https://acme.example/policy#x');
    expect(isExternalClauseLink(target)).toBe(true);
  });

  it('otherwise links to the built-in policy viewer at pack/clause', () => {
    expect(clauseHref({ pack: 'builtin', clause: 'personal-details' }, getURL)).toBe(
      'chrome-extension://abc/policy.html#builtin/personal-details',
    );
    expect(clauseHref({ pack: 'builtin', clause: { id: 'credentials', url: null } }, getURL)).toBe(
      'chrome-extension://abc/policy.html#builtin/credentials',
    );
    expect(isExternalClauseLink({ pack: 'builtin', clause: 'credentials' })).toBe(false);
  });

  it('encodes each part of the fragment', () => {
    expect(clauseFragment('org pack/1', 'a#b')).toBe('org%20pack%2F1/a%23b');
    expect(clauseHref({ pack: 'org pack/1', clause: 'a#b' }, getURL)).toBe('chrome-extension://abc/policy.html#org%20pack%2F1/a%23b');
  });

  it("uses the extension runtime's getURL by default", () => {
    vi.stubGlobal('chrome', { runtime: { getURL: (p: string) => `chrome-extension://real-id${p}` } });
    expect(clauseHref({ pack: 'builtin', clause: 'commitments' })).toBe('chrome-extension://real-id/policy.html#builtin/commitments');
  });

  it('says so clearly outside an extension page', () => {
    vi.stubGlobal('chrome', undefined);
    vi.stubGlobal('browser', undefined);
    expect(() => clauseHref({ pack: 'builtin', clause: 'commitments' })).toThrow(/not running in an extension page/);
  });
});
