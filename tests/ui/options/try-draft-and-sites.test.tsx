// @vitest-environment happy-dom
/**
 * "Try a draft" (findings as the popup shows them, audit ones left out, errors in words, only the
 * latest answer shown) and "Sites" (the list, switching back on, typing a site, the
 * organisation's lists winning).
 */
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResponse } from '../../../src/background/protocol';
import type { Finding } from '../../../src/engine/types';
import { findingsSummary, TryDraft } from '../../../src/ui/options/try-draft';
import { adminStatus, fakeServices } from './fixtures';
import { button, mount, present, setInput, text, unmount, waitFor } from './helpers';

let root: HTMLElement | undefined;
afterEach(() => {
  if (root) unmount(root);
  root = undefined;
});

const DRAFT = 'Call me on 07700 900123 about Project Heron.';

function finding(over: Partial<Finding>): Finding {
  return {
    rule: 'personal-data.mobile-number',
    pack: 'replyguard.builtin',
    category: 'personal-data',
    severity: 'warning',
    mode: 'enforce',
    message: '"07700 900123" is a mobile number.',
    start: 11,
    end: 23,
    excerpt: '07700 900123',
    clause: { id: 'personal-details', title: "Never give out anyone's personal details", url: null },
    suggestion: { text: "Give the team's public contact number.", replacement: '[redacted]' },
    ...over,
  };
}

const FINDINGS: Finding[] = [
  finding({}),
  finding({ rule: 'org.heron', pack: 'org.pack', category: 'internal-info', severity: 'block', message: '"Project Heron" is internal', start: 30, end: 43, excerpt: 'Project Heron', clause: { id: 'c1', title: 'Codenames', url: 'https://intranet.example.org/policy#c1' }, suggestion: undefined }),
  finding({ rule: 'org.trial', pack: 'org.pack', mode: 'audit', severity: 'block', start: 0, end: 4, excerpt: 'Call' }),
];

function mountDraft(check: (text: string) => Promise<CheckResponse>): HTMLElement {
  const el = document.createElement('div');
  document.body.append(el);
  render(<TryDraft check={check} getURL={(p) => `chrome-extension://replyguard-test${p}`} />, el);
  return el;
}

const draftBox = (el: Element) => present(el.querySelector<HTMLTextAreaElement>('#rg-draft'), 'draft box');
const summary = (el: Element) => present(el.querySelector('[data-testid="draft-summary"]'), 'summary');

describe('try a draft', () => {
  it('sends the text to the check and shows the findings grouped by severity, audit ones left out', async () => {
    const sent: string[] = [];
    root = mountDraft(async (t) => (sent.push(t), { ok: true, findings: FINDINGS }));
    // The live region exists (empty) before anything is announced.
    expect(summary(root).getAttribute('aria-live')).toBe('polite');
    expect(text(summary(root))).toBe('');
    setInput(draftBox(root), DRAFT);
    button(root, 'Check draft').click();
    await waitFor(() => expect(text(summary(root!))).toBe('2 things to look at: 1 must fix, 1 warning.'));
    expect(sent).toEqual([DRAFT]);
    expect([...root.querySelectorAll('.rg-finding-group h3')].map(text)).toEqual(['Must fix before posting', 'Warnings']);
    expect([...root.querySelectorAll('.rg-finding')].map((f) => f.getAttribute('data-rule'))).toEqual(['org.heron', 'personal-data.mobile-number']);

    const mobile = present(root.querySelector('.rg-finding[data-rule="personal-data.mobile-number"]'));
    expect(text(mobile.querySelector('mark'))).toBe('07700 900123');
    expect(text(mobile.querySelector('[data-testid="excerpt"]'))).toBe(DRAFT);
    expect(text(mobile.querySelector('[data-testid="replacement"]'))).toBe('Suggested wording: [redacted]');
    expect(mobile.querySelector('[data-testid="clause-link"]')!.getAttribute('href')).toBe(
      'chrome-extension://replyguard-test/policy.html#replyguard.builtin/personal-details',
    );
    const org = present(root.querySelector('.rg-finding[data-rule="org.heron"]'));
    expect(org.querySelector('[data-testid="clause-link"]')!.getAttribute('href')).toBe('https://intranet.example.org/policy#c1');
  });

  it('Ctrl+Enter in the box checks too', async () => {
    root = mountDraft(async () => ({ ok: true, findings: [] }));
    setInput(draftBox(root), 'Thanks for coming to the open day.');
    draftBox(root).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    await waitFor(() => expect(text(summary(root!))).toBe('Nothing to fix: ReplyGuard found no problems in this draft.'));
    expect(root.querySelectorAll('.rg-finding')).toHaveLength(0);
  });

  it('an empty box and a failed check are said in words', async () => {
    root = mountDraft(async () => ({ ok: false, error: 'the rule packs could not be loaded: no packs' }));
    button(root, 'Check draft').click();
    await waitFor(() => expect(text(summary(root!))).toBe('Type or paste a draft first.'));
    setInput(draftBox(root), 'Hello');
    button(root, 'Check draft').click();
    await waitFor(() => expect(text(summary(root!))).toBe('The draft could not be checked: the rule packs could not be loaded: no packs.'));
  });

  it('shows only the latest answer when an earlier check answers late', async () => {
    const pending: Array<(r: CheckResponse) => void> = [];
    root = mountDraft((t) => new Promise((resolve) => pending.push(resolve)));
    setInput(draftBox(root), 'first');
    button(root, 'Check draft').click();
    await waitFor(() => expect(pending).toHaveLength(1));
    // The button is disabled while checking; Ctrl+Enter still starts a newer check.
    expect(button(root, 'Check draft').disabled).toBe(true);
    setInput(draftBox(root), DRAFT);
    draftBox(root).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    await waitFor(() => expect(pending).toHaveLength(2));
    pending[1]!({ ok: true, findings: [FINDINGS[0]!] });
    await waitFor(() => expect(text(summary(root!))).toBe('1 thing to look at: 1 warning.'));
    pending[0]!({ ok: true, findings: [] });
    await new Promise((r) => setTimeout(r, 30));
    expect(text(summary(root))).toBe('1 thing to look at: 1 warning.');
  });

  it('summaries count each severity', () => {
    expect(findingsSummary([])).toBe('Nothing to fix: ReplyGuard found no problems in this draft.');
    expect(findingsSummary([finding({ severity: 'info' }), finding({ severity: 'block' }), finding({ severity: 'block' })])).toBe(
      '3 things to look at: 2 must fix, 1 note.',
    );
  });
});

describe('sites', () => {
  const since = Date.UTC(2026, 10, 20, 16, 45);

  it('with none switched off, says so', async () => {
    root = mount(fakeServices({ status: adminStatus() }).services);
    await waitFor(() => expect(text(root!.querySelector('[data-testid="no-sites-off"]'))).toBe('You have not switched ReplyGuard off on any site.'));
  });

  it('lists switched-off sites, and switches one back on', async () => {
    const fake = fakeServices({ status: adminStatus(), sites: { switchedOff: [{ host: 'forum.example.org', since }, { host: 'news.example.com', since }], problems: [] } });
    root = mount(fake.services);
    const list = await waitFor(() => present(root!.querySelector('[data-testid="sites-off"]')));
    expect([...list.querySelectorAll('li')].map((li) => li.getAttribute('data-host'))).toEqual(['forum.example.org', 'news.example.com']);
    expect(text(list.querySelector('li'))).toBe('forum.example.org switched off 20 Nov 2026, 16:45 Switch back on for forum.example.org');
    button(list, 'Switch back on for forum.example.org').click();
    await waitFor(() => expect(root!.querySelector('li[data-host="forum.example.org"]')).toBeNull());
    expect(fake.calls).toEqual(['site forum.example.org on']);
    expect(text(document.querySelector('[data-testid="announcer"]'))).toBe('ReplyGuard is back on for forum.example.org.');
    expect(text(document.activeElement)).toBe('Sites you switched off');
  });

  it('switches a typed site off, and explains a typo', async () => {
    const fake = fakeServices({ status: adminStatus() });
    root = mount(fake.services);
    const input = await waitFor(() => present(root!.querySelector<HTMLInputElement>('#rg-site-input')));
    setInput(input, 'not a site');
    button(root, 'Switch off').click();
    const error = await waitFor(() => present(root!.querySelector('#rg-site-error')));
    expect(text(error)).toBe('"not a site" is not a web site address. Type a site such as forum.example.org.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(fake.calls).toEqual([]);

    setInput(input, 'https://www.Forum.Example.org/t/1');
    button(root, 'Switch off').click();
    await waitFor(() => present(root!.querySelector('li[data-host="forum.example.org"]')));
    expect(fake.calls).toEqual(['site forum.example.org off']);
    expect(root.querySelector('#rg-site-error')).toBeNull();
    expect(input.value).toBe('');
  });

  it("the organisation's lists are shown and win over the user's choice", async () => {
    const status = adminStatus({ managed: true, configured: ['siteAllowlist', 'siteBlocklist'], policy: { siteAllowlist: ['*.example.org'], siteBlocklist: ['private.example.org'] } });
    root = mount(
      fakeServices({ status, sites: { switchedOff: [{ host: 'forum.example.org', since }, { host: 'private.example.org', since }], problems: [] } }).services,
    );
    await waitFor(() => present(root!.querySelector('[data-testid="site-allowlist"]')));
    expect(text(root.querySelector('[data-testid="site-allowlist"]'))).toBe(
      'Set by your organisation ReplyGuard checks only these sites, and you cannot switch them off: *.example.org.',
    );
    expect(text(root.querySelector('li[data-host="forum.example.org"] .rg-site-note'))).toBe('Your organisation requires ReplyGuard on this site, so it stays on.');
    expect(text(root.querySelector('li[data-host="private.example.org"] .rg-site-note'))).toBe(
      'Your organisation has switched ReplyGuard off on this site anyway.',
    );
  });

  it('damaged saved sites are reported', async () => {
    root = mount(fakeServices({ status: adminStatus(), sites: { switchedOff: [], problems: ['Saved site number 1 in the list of sites you switched off is damaged and was ignored.'] } }).services);
    await waitFor(() => expect(text(root!.querySelector('[data-testid="site-problems"]'))).toContain('Saved site number 1'));
  });
});
