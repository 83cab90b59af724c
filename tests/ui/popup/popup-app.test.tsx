// @vitest-environment happy-dom
/**
 * Every state of the popup, rendered with a stand-in for the browser (fake-api.ts): loading, not
 * running here, site switched off (by the user / by the organisation), no reply box, clean,
 * checking, not checked, findings by severity with their actions, the organisation's pack trouble,
 * live updates with the live region, and keyboard reachability.
 */
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PopupApp } from '../../../src/ui/popup/popup-app';
import { FakePopupApi, field, finding, getURL } from './fake-api';

let root: HTMLElement;

function mount(api: FakePopupApi): HTMLElement {
  root = document.createElement('div');
  document.body.append(root);
  render(<PopupApp api={api} pollMs={5} getURL={getURL} builtin={{ name: 'ReplyGuard built-in policy', version: '1.0.0' }} />, root);
  return root;
}

const text = (el: ParentNode, selector: string) => el.querySelector(selector)?.textContent ?? null;
const view = () => root.querySelector('.pp')?.getAttribute('data-view');
const button = (label: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === label) ?? null;

afterEach(() => {
  render(null, root);
  document.body.innerHTML = '';
});

describe('popup states', () => {
  it('says it is looking while the page has not answered', async () => {
    const api = new FakePopupApi();
    api.page = 'never';
    mount(api);
    await vi.waitFor(() => expect(view()).toBe('loading'));
    expect(text(root, '.pp-state-title')).toBe('Looking at this page…');
  });

  it('explains when ReplyGuard is not running in the page', async () => {
    const api = new FakePopupApi();
    api.page = null;
    mount(api);
    await vi.waitFor(() => expect(view()).toBe('not-running'));
    expect(text(root, '.pp-state-title')).toBe('Not checked: ReplyGuard is not running on this page');
    expect(text(root, '.pp-state-text')).toContain('reload the page');
    expect(button('Switch off for this site')).toBeNull();
  });

  it('explains when there is no tab', async () => {
    const api = new FakePopupApi();
    api.tabId = null;
    api.page = null;
    mount(api);
    await vi.waitFor(() => expect(text(root, '.pp-state-title')).toBe('Not checked: there is no page to check'));
  });

  it('shows no reply box, with the site switch', async () => {
    const api = new FakePopupApi();
    mount(api);
    await vi.waitFor(() => expect(view()).toBe('no-fields'));
    expect(text(root, '.pp-state-title')).toBe('No reply box on this page');
    expect(text(root, '.pp-host')).toBe('forum.example.org');
    expect(text(root, '.pp-site')).toContain('Checking replies on forum.example.org.');
    expect(text(root, '[data-testid=builtin-pack]')).toBe('ReplyGuard built-in policy v1.0.0');
  });

  it('switches the site off and back on', async () => {
    const api = new FakePopupApi();
    mount(api);
    await vi.waitFor(() => expect(button('Switch off for this site')).not.toBeNull());
    button('Switch off for this site')!.click();
    await vi.waitFor(() => expect(view()).toBe('site-off'));
    expect(api.setSiteSwitchedOff).toHaveBeenCalledWith('forum.example.org', true);
    expect(root.querySelector('[data-state=site-off]')!.getAttribute('data-by')).toBe('you');
    expect(text(root, '.pp-state-text')).toContain('You switched ReplyGuard off on forum.example.org.');
    expect(text(root, '[data-testid=notice]')).toBe('ReplyGuard is now off on forum.example.org.');
    button('Switch on for this site')!.click();
    await vi.waitFor(() => expect(view()).toBe('no-fields'));
    expect(api.setSiteSwitchedOff).toHaveBeenLastCalledWith('forum.example.org', false);
  });

  it('says when the organisation switched the site off, with nothing to switch', async () => {
    const api = new FakePopupApi();
    api.site = { host: 'forum.example.org', enabled: false, state: 'off-by-organisation', canSwitch: false };
    api.page = { url: 'https://forum.example.org/', running: false, fields: [] };
    mount(api);
    await vi.waitFor(() => expect(view()).toBe('site-off'));
    expect(root.querySelector('[data-state=site-off]')!.getAttribute('data-by')).toBe('organisation');
    expect(text(root, '.pp-state-text')).toBe('Your organisation has switched ReplyGuard off on forum.example.org. Replies here are not checked.');
    expect(root.querySelectorAll('button')).toHaveLength(0);
  });

  it('says when the organisation requires ReplyGuard on the site (no switch)', async () => {
    const api = new FakePopupApi();
    api.site = { host: 'forum.example.org', enabled: true, state: 'on-required', canSwitch: false };
    mount(api);
    await vi.waitFor(() => expect(root.querySelector('.pp-site[data-state=on-required]')).not.toBeNull());
    expect(text(root, '.pp-site')).toContain('Your organisation requires ReplyGuard on forum.example.org, so it cannot be switched off here.');
    expect(button('Switch off for this site')).toBeNull();
  });

  it('shows a clean draft as ready to post', async () => {
    const api = new FakePopupApi();
    api.page = { url: 'https://forum.example.org/', running: true, fields: [field({ text: 'Thanks, see you Tuesday.' })] };
    mount(api);
    await vi.waitFor(() => expect(view()).toBe('fields'));
    expect(text(root, '.pp-field-title')).toBe('Your reply');
    expect(text(root, '[data-testid=field-status]')).toBe('✓No problems found. Ready to post.');
    expect(root.querySelector('[data-testid=field-status]')!.getAttribute('data-clean')).toBe('true');
  });

  it('shows an empty box and a box being checked', async () => {
    const api = new FakePopupApi();
    api.page = {
      url: 'https://forum.example.org/',
      running: true,
      fields: [field({ id: 1, state: 'empty' }), field({ id: 2, state: 'checking', text: 'Hello' })],
    };
    mount(api);
    await vi.waitFor(() => expect(root.querySelectorAll('.pp-field')).toHaveLength(2));
    const statuses = [...root.querySelectorAll('[data-testid=field-status]')].map((e) => e.textContent);
    expect(statuses).toEqual(['✎Nothing written yet.', '⋯Checking…']);
  });

  it('says why a draft was not checked, and that posting is not blocked', async () => {
    const api = new FakePopupApi();
    api.page = {
      url: 'https://forum.example.org/',
      running: true,
      fields: [field({ state: 'not-checked', text: 'Hello', error: 'no answer within 3000 ms' })],
    };
    mount(api);
    await vi.waitFor(() => expect(root.querySelector('.pp-field[data-state=not-checked]')).not.toBeNull());
    expect(text(root, '[data-testid=field-status]')).toBe(
      '⚠Not checked: ReplyGuard could not check this draft (no answer within 3000 ms). Posting is not blocked, so read it through yourself.',
    );
  });

  it("shows the organisation's pack trouble", async () => {
    const api = new FakePopupApi();
    api.trouble = { updates: ['https://packs.example/acme.json: the signature does not match.'], problems: [], holdPosts: false };
    mount(api);
    await vi.waitFor(() => expect(root.querySelector('[data-testid=admin-trouble]')).not.toBeNull());
    expect(text(root, '.pp-admin-title')).toContain("Your organisation's rules could not be updated");
    expect(text(root, '.pp-admin-list')).toContain('the signature does not match');
    expect(text(root, '.pp-admin-details summary')).toBe('What went wrong (1)');
    expect(text(root, '.pp-admin-text')).toContain('keeps checking with the rules it has');
  });

  it('shows no trouble notice when all is well', async () => {
    const api = new FakePopupApi();
    api.trouble = { updates: [], problems: [], holdPosts: false };
    mount(api);
    await vi.waitFor(() => expect(view()).toBe('no-fields'));
    expect(root.querySelector('[data-testid=admin-trouble]')).toBeNull();
  });
});

describe('findings', () => {
  const DRAFT = 'We guarantee a refund for everyone, and the door code is 4411.';
  const guarantee = finding(DRAFT, 'guarantee a refund');
  const code = finding(DRAFT, 'door code is 4411', { severity: 'block', category: 'credentials', clause: { id: 'credentials', title: 'Access details', url: 'https://intranet.example/policy#access' } });

  function withFindings(api: FakePopupApi) {
    api.page = {
      url: 'https://forum.example.org/',
      running: true,
      fields: [
        field({ id: 1, label: 'Search', state: 'empty' }),
        field({ id: 2, label: 'Your comment', focused: true, text: DRAFT, findings: [guarantee, code] }),
      ],
    };
  }

  it('lists the focused draft first, findings grouped by severity (most serious first)', async () => {
    const api = new FakePopupApi();
    withFindings(api);
    mount(api);
    await vi.waitFor(() => expect(root.querySelectorAll('.rg-finding')).toHaveLength(2));
    const fields = [...root.querySelectorAll('.pp-field')];
    expect(fields.map((f) => f.getAttribute('data-field'))).toEqual(['2', '1']);
    expect(text(fields[0]!, '.pp-field-title')).toBe('The reply you are writing · Your comment');
    expect(text(fields[0]!, '[data-testid=field-status]')).toBe('!2 problems (1 must fix).');
    const groups = [...fields[0]!.querySelectorAll('.pp-group')];
    expect(groups.map((g) => g.getAttribute('data-severity'))).toEqual(['block', 'warning']);
    expect(text(groups[0]!, '.pp-group-title')).toBe('Must fix before posting (1)');
    expect(text(groups[1]!, '.pp-group-title')).toBe('Warnings (1)');
    // Each group and each finding also carries its own severity icon shape and word.
    expect(groups[0]!.querySelector('.pp-group-title svg')!.getAttribute('data-icon')).toBe('block');
    expect(text(groups[0]!, '.rg-finding .rg-severity')).toBe('Must fix');
  });

  it('shows each finding with its words marked, message, category, suggestion and clause link', async () => {
    const api = new FakePopupApi();
    withFindings(api);
    const withSuggestion = { ...guarantee, suggestion: { text: 'Say what you will try to do.', replacement: 'aim to refund' } };
    (api.page as { fields: { findings: unknown[] }[] }).fields[1]!.findings = [withSuggestion, code];
    mount(api);
    await vi.waitFor(() => expect(root.querySelectorAll('.rg-finding')).toHaveLength(2));
    const [block, warning] = [...root.querySelectorAll('.rg-finding')];
    expect(text(block!, 'mark')).toBe('door code is 4411');
    expect(text(block!, '.rg-category')).toBe('Credentials');
    expect(block!.querySelector('[data-testid=clause-link]')!.getAttribute('href')).toBe('https://intranet.example/policy#access');
    expect(text(warning!, 'mark')).toBe('guarantee a refund');
    expect(text(warning!, '.rg-message')).toBe('Careful with "guarantee a refund".');
    expect(text(warning!, '[data-testid=replacement]')).toBe('Suggested wording: aim to refund');
    expect(warning!.querySelector('[data-testid=clause-link]')!.getAttribute('href')).toBe(
      'chrome-extension://rg/policy.html#builtin/commitments',
    );
  });

  it('"Go to the words" asks the page to select them and shows the page', async () => {
    const api = new FakePopupApi();
    withFindings(api);
    mount(api);
    await vi.waitFor(() => expect(root.querySelectorAll('.rg-finding')).toHaveLength(2));
    root.querySelector('.pp-group[data-severity=warning]')!.querySelector<HTMLButtonElement>('button')!.click();
    await vi.waitFor(() => expect(api.showPage).toHaveBeenCalled());
    expect(api.goToFinding).toHaveBeenCalledWith(2, { rule: guarantee.rule, start: guarantee.start, end: guarantee.end, excerpt: guarantee.excerpt });
  });

  it('"Ignore here once" hides it after the page agrees, and keeps focus in the reply', async () => {
    const api = new FakePopupApi();
    withFindings(api);
    api.ignoreFinding.mockImplementation(async () => {
      const page = api.page as { fields: { findings: unknown[] }[] };
      page.fields[1]!.findings = [code];
      return { ok: true };
    });
    mount(api);
    await vi.waitFor(() => expect(root.querySelectorAll('.rg-finding')).toHaveLength(2));
    const ignore = [...root.querySelector('.pp-group[data-severity=warning]')!.querySelectorAll('button')].find((b) => b.textContent === 'Ignore here once')!;
    ignore.click();
    await vi.waitFor(() => expect(root.querySelectorAll('.rg-finding')).toHaveLength(1));
    expect(api.ignoreFinding).toHaveBeenCalledWith(2, expect.objectContaining({ rule: guarantee.rule }));
    expect(text(root, '[data-testid=notice]')).toBe('Ignored "guarantee a refund" in this reply until the page is reloaded.');
    expect(document.activeElement?.classList.contains('pp-field-title')).toBe(true);
  });

  it('says so when the page could not do it', async () => {
    const api = new FakePopupApi();
    withFindings(api);
    api.actionReply = { ok: false, error: 'The draft has changed since it was checked. Try again in a moment.' };
    mount(api);
    await vi.waitFor(() => expect(root.querySelectorAll('.rg-finding')).toHaveLength(2));
    root.querySelector<HTMLButtonElement>('.rg-finding button')!.click();
    await vi.waitFor(() => expect(text(root, '[data-testid=notice]')).toBe('The draft has changed since it was checked. Try again in a moment.'));
    expect(api.showPage).not.toHaveBeenCalled();
  });

  it('updates live while the writer types, keeps findings in place while checking, and announces new ones', async () => {
    const api = new FakePopupApi();
    const first = 'We guarantee a refund';
    api.page = { url: 'https://forum.example.org/', running: true, fields: [field({ id: 3, focused: true, text: first, findings: [finding(first, 'guarantee a refund')] })] };
    mount(api);
    await vi.waitFor(() => expect(root.querySelectorAll('.rg-finding')).toHaveLength(1));
    const live = root.querySelector('[data-testid=live]')!;
    expect(live.getAttribute('aria-live')).toBe('polite');
    // What the popup opens with is not announced.
    expect(live.textContent).toBe('');
    const item = root.querySelector('.rg-finding');
    // Typing: a check runs; the old finding stays where it is.
    api.page = { ...api.page, fields: [field({ id: 3, focused: true, state: 'checking', text: first, findings: [finding(first, 'guarantee a refund')] })] };
    await vi.waitFor(() => expect(text(root, '[data-testid=field-status]')).toBe('⋯Checking your changes…'));
    expect(root.querySelector('.rg-finding')).toBe(item);
    // The check comes back with one more finding.
    const second = 'We guarantee a refund. The door code is 4411';
    api.page = {
      ...api.page,
      fields: [field({ id: 3, focused: true, text: second, findings: [finding(second, 'guarantee a refund'), finding(second, 'door code is 4411', { severity: 'block' })] })],
    };
    await vi.waitFor(() => expect(root.querySelectorAll('.rg-finding')).toHaveLength(2));
    expect(live.textContent).toBe('New finding: Careful with "door code is 4411".');
  });

  it('can be used with the keyboard alone: every action is a button or link in reading order', async () => {
    const api = new FakePopupApi();
    withFindings(api);
    mount(api);
    await vi.waitFor(() => expect(root.querySelectorAll('.rg-finding')).toHaveLength(2));
    const focusables = [...root.querySelectorAll<HTMLElement>('a[href], button')].map((e) => e.textContent?.trim());
    expect(focusables).toEqual([
      'Access details (your organisation\'s policy, opens in a new tab)',
      'Go to the words',
      'Ignore here once',
      'Promises on behalf of the organisation',
      'Go to the words',
      'Ignore here once',
      'Switch off for this site',
      'Settings',
      'Review flagged drafts',
    ]);
    // Nothing is taken out of the tab order.
    expect(root.querySelectorAll('a[tabindex="-1"], button[tabindex="-1"]')).toHaveLength(0);
    // Settings opens through the API (options page), not a dead link.
    [...root.querySelectorAll('a')].find((a) => a.textContent === 'Settings')!.click();
    expect(api.openSettings).toHaveBeenCalled();
  });
});
