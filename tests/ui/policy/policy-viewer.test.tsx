// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { POLICY_MESSAGE, type PolicyRequest } from '../../../src/background/protocol';
import { PolicyViewer } from '../../../src/ui/policy/policy-viewer';
import { ORG_PACK, orgPackView, policyReply, userPackView } from './fixtures';
import { present, waitFor } from '../dom-helpers';

function mount(send: (message: PolicyRequest) => Promise<unknown>): HTMLElement {
  const root = document.createElement('div');
  document.body.append(root);
  render(<PolicyViewer send={send} />, root);
  return root;
}

const byId = (id: string) => document.getElementById(id);
const section = (id: string) => {
  const el = byId(id);
  if (!el) throw new Error(`no section ${id}`);
  return el;
};

let scrolled: string[];

beforeEach(() => {
  scrolled = [];
  // happy-dom does no layout: record which element the viewer asked to scroll into view.
  vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(function (this: HTMLElement) {
    scrolled.push(this.id);
  });
  history.replaceState(null, '', '/policy.html');
});

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('policy viewer: sections', () => {
  it('asks the background for the policy and shows one section per clause of every pack', async () => {
    const send = vi.fn(async () => policyReply());
    const root = mount(send);
    expect(root.textContent).toContain('Loading the policy…');
    expect(root.querySelector('main')!.getAttribute('aria-busy')).toBe('true');
    await waitFor(() => section('org.social/secrets'));
    expect(send).toHaveBeenCalledWith({ type: POLICY_MESSAGE });
    const sections = [...root.querySelectorAll('section.policy-clause')].map((s) => s.id);
    expect(sections).toEqual(['org.social/secrets', 'org.social/courts', 'org.social/future', 'mine/tone']);
    expect(section('org.social/courts').querySelector('h3')!.textContent).toBe('No comment on court cases');
    expect(section('org.social/courts').getAttribute('tabindex')).toBe('-1');
    expect(section('org.social/courts').textContent).toContain('Say nothing about cases before the courts.');
    expect(section('org.social/courts').textContent).toContain('Based on: Contempt of Court Act 1981');
    expect(section('org.social/future').querySelector('h4')!.textContent).toBe('No rule checks this clause yet');
    expect(root.querySelector('main')!.getAttribute('aria-busy')).toBe('false');
    expect(root.querySelector('[data-testid=filter-status]')!.textContent).toBe('2 policies, 4 clauses, 6 rules.');
  });

  it("shows each pack's publisher, version, source and whether it is locked", async () => {
    const root = mount(async () => policyReply());
    const org = await waitFor(() => present(root.querySelector('[data-pack="org.social"]')));
    expect(org.querySelector('h2')!.textContent).toBe('Example Council social media policy');
    const meta = (el: Element, id: string) => el.querySelector(`[data-testid=${id}]`)!.textContent;
    expect(meta(org, 'publisher')).toBe('Example Council');
    expect(meta(org, 'version')).toBe('3.2.1');
    expect(meta(org, 'source')).toBe('Set by your organisation (https://packs.example.org/social.json)');
    expect(meta(org, 'locked')).toBe('Yes: your organisation requires it, it cannot be turned off');
    expect(org.textContent).toContain('How Example Council staff reply online.');
    const mine = root.querySelector('[data-pack="mine"]')!;
    expect(meta(mine, 'publisher')).toBe('Sam Writer');
    expect(meta(mine, 'source')).toBe('Added by you (my-words.json)');
    expect(meta(mine, 'locked')).toBe('No');
    expect(meta(mine, 'shadowed')).toBe('Not used here because an earlier pack has a rule with the same id: org.codename.');
  });

  it('says when the organisation runs a whole pack in audit mode', async () => {
    const root = mount(async () => policyReply([orgPackView({ audit: true }), userPackView()]));
    const notice = await waitFor(() => present(root.querySelector('[data-pack="org.social"] [data-testid=pack-audit]')));
    expect(notice.textContent).toBe('Your organisation runs this whole pack in audit mode: what it finds is recorded for them, not shown to you.');
    expect(root.querySelector('[data-pack="mine"] [data-testid=pack-audit]')).toBeNull();
  });

  it("links to the organisation's policy and to each clause's own page, in a new tab", async () => {
    const root = mount(async () => policyReply());
    await waitFor(() => section('org.social/courts'));
    const links = (el: Element) =>
      [...el.querySelectorAll('a[target=_blank]')].map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.textContent]);
    expect(links(section('org.social/courts'))).toEqual([
      ['https://intranet.example.org/courts', 'noopener noreferrer', 'Read this clause in the full policy (opens in a new tab)'],
    ]);
    expect(links(section('org.social/secrets'))[0]![0]).toBe('https://intranet.example.org/policy#secrets');
    expect(links(root.querySelector('[data-testid=pack-meta]')!)).toEqual([
      ['https://intranet.example.org/policy', 'noopener noreferrer', 'Example Council social media policy (opens in a new tab)'],
    ]);
    // The user pack has no policy URL: no outside links for it.
    expect(links(section('mine/tone'))).toEqual([]);
  });

  it('has a table of contents linking to every clause section', async () => {
    const root = mount(async () => policyReply());
    await waitFor(() => section('mine/tone'));
    const contents = root.querySelector('nav#contents')!;
    expect(contents.getAttribute('aria-labelledby')).toBe('contents-title');
    const entries = [...contents.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent]);
    expect(entries).toEqual([
      ['#org.social/secrets', 'Keep project names quiet'],
      ['#org.social/courts', 'No comment on court cases'],
      ['#org.social/future', 'A clause for later'],
      ['#mine/tone', 'Stay friendly'],
    ]);
    for (const [href] of entries) expect(byId(href!.slice(1))).not.toBeNull();
    expect(contents.textContent).toContain('(3 rules)');
  });
});

describe('policy viewer: rules and examples', () => {
  it('lists the rules enforcing a clause, building blocks after the rules that report', async () => {
    mount(async () => policyReply());
    await waitFor(() => section('org.social/courts'));
    const ids = (id: string) => [...section(id).querySelectorAll('[data-rule]')].map((r) => r.getAttribute('data-rule'));
    expect(ids('org.social/secrets')).toEqual(['org.codename', 'org.rumour']);
    expect(ids('org.social/courts')).toEqual(['org.trial-opinion', 'org.trial-word', 'org.guilty-word']);
    expect(ids('org.social/future')).toEqual([]);
  });

  it('shows id, category, severity as text, message, suggestion and quick fix', async () => {
    mount(async () => policyReply());
    const rule = await waitFor(() => present(section('org.social/secrets').querySelector('[data-rule="org.codename"]')));
    expect(rule.querySelector('.rg-severity')!.textContent).toBe('Must fix');
    expect(rule.querySelector('.rg-severity-icon')!.getAttribute('data-icon')).toBe('block');
    expect(rule.querySelector('.rg-severity-icon')!.getAttribute('aria-hidden')).toBe('true');
    expect(rule.getAttribute('data-severity')).toBe('block');
    expect(rule.querySelector('[data-testid=no-override]')!.textContent).toBe('No "Post anyway": the draft must be changed');
    expect(rule.querySelector('.rg-category')!.textContent).toBe('Internal information');
    expect(rule.querySelector('.policy-rule-id')!.textContent).toBe('org.codename');
    // "{match}" reads as a placeholder for the flagged words.
    expect(rule.querySelector('.policy-rule-message')!.textContent).toBe('"the flagged words" is an internal code name.');
    expect(rule.querySelector('[data-testid=suggestion]')!.textContent).toBe('Instead: Call it "the new service".');
    expect(rule.querySelector('[data-testid=fix]')!.textContent).toBe('Quick fix: replace the flagged words with the new service');
    expect(rule.querySelector('[data-testid=audit]')).toBeNull();
  });

  it('marks audit rules, near rules and building blocks in words', async () => {
    mount(async () => policyReply());
    const audit = await waitFor(() => present(section('org.social/secrets').querySelector('[data-rule="org.rumour"]')));
    expect(audit.querySelector('[data-testid=audit]')!.textContent).toBe('Audit only: recorded for your organisation, not shown to the writer');
    expect(audit.querySelector('.rg-severity')!.textContent).toBe('Note');
    expect(audit.querySelector('[data-testid=fix]')!.textContent).toBe('Quick fix: remove the flagged words');
    const near = section('org.social/courts').querySelector('[data-rule="org.trial-opinion"]')!;
    expect(near.querySelector('[data-testid=combines]')!.textContent).toBe('Flags a draft where org.trial-word and org.guilty-word match close together.');
    const block = section('org.social/courts').querySelector('[data-rule="org.trial-word"]')!;
    expect(block.querySelector('.rg-severity')).toBeNull();
    expect(block.querySelector('.policy-tag')!.textContent).toBe('Building block');
    expect(block.hasAttribute('data-severity')).toBe(false);
    expect(block.querySelector('[data-testid=used-by]')!.textContent).toBe('Never reported on its own; counts only inside org.trial-opinion.');
  });

  it('shows the examples each rule flags and leaves alone, folded until opened', async () => {
    mount(async () => policyReply());
    const rule = await waitFor(() => present(section('org.social/courts').querySelector('[data-rule="org.trial-opinion"]')));
    const details = rule.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')!.textContent).toBe('Examples: 2 flagged, 2 left alone');
    const texts = (kind: string) => [...details.querySelectorAll(`[data-testid=examples-${kind}] li`)].map((li) => li.textContent);
    expect(texts('flag')).toEqual(ORG_PACK.rules[3]!.examples!.flag);
    expect(texts('pass')).toEqual(ORG_PACK.rules[3]!.examples!.pass);
  });

  it('renders pack text as text, never as HTML', async () => {
    const hostile = orgPackView();
    const clause = hostile.policy.clauses[0]!;
    clause.title = '<img src=x onerror="alert(1)">Title';
    clause.rules[0]!.message = '<b>bold</b> {match} <script>alert(2)</script>';
    clause.rules[0]!.examples.flag = ['<a href="javascript:alert(3)">click</a>'];
    const root = mount(async () => policyReply([hostile]));
    await waitFor(() => section('org.social/secrets'));
    expect(root.querySelector('img, script, b')).toBeNull();
    expect(root.querySelector('a[href^="javascript:"]')).toBeNull();
    expect(section('org.social/secrets').querySelector('h3')!.textContent).toBe('<img src=x onerror="alert(1)">Title');
    expect(section('org.social/secrets').querySelector('.policy-rule-message')!.textContent).toBe(
      '<b>bold</b> the flagged words <script>alert(2)</script>',
    );
  });
});

describe('policy viewer: deep links', () => {
  it('scrolls to and focuses the clause named in the hash once the policy is shown', async () => {
    history.replaceState(null, '', '/policy.html#org.social/courts');
    mount(async () => policyReply());
    await waitFor(() => expect(document.activeElement?.id).toBe('org.social/courts'));
    expect(scrolled).toEqual(['org.social/courts']);
    expect(byId('missing-target')).toBeNull();
  });

  it('decodes an encoded fragment (clauseHref encodes each part)', async () => {
    history.replaceState(null, '', `/policy.html#${encodeURIComponent('org.social')}/${encodeURIComponent('future')}`);
    mount(async () => policyReply());
    await waitFor(() => expect(document.activeElement?.id).toBe('org.social/future'));
  });

  it('moves to the new clause on hashchange, also when a filter hid it', async () => {
    history.replaceState(null, '', '/policy.html#org.social/secrets');
    const root = mount(async () => policyReply());
    await waitFor(() => expect(document.activeElement?.id).toBe('org.social/secrets'));
    // Filter down to the user pack's clause, then follow a link to a clause the filter hides.
    const input = root.querySelector<HTMLInputElement>('#policy-words')!;
    input.value = 'sarcastic';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await waitFor(() => expect(byId('org.social/courts')).toBeNull());
    location.hash = '#org.social/courts';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await waitFor(() => expect(document.activeElement?.id).toBe('org.social/courts'));
    expect(input.value).toBe('');
    expect(scrolled.at(-1)).toBe('org.social/courts');
  });

  it('says so when the linked clause is not in the policy', async () => {
    history.replaceState(null, '', '/policy.html#org.social/gone');
    const root = mount(async () => policyReply());
    const notice = await waitFor(() => present(root.querySelector('[data-testid=missing-target]')));
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toContain('clause "gone" of pack "org.social"');
    expect(scrolled).toEqual([]);
  });

  it('a contents link focuses its clause even when the hash is already that clause', async () => {
    history.replaceState(null, '', '/policy.html#mine/tone');
    const root = mount(async () => policyReply());
    await waitFor(() => expect(document.activeElement?.id).toBe('mine/tone'));
    (document.activeElement as HTMLElement).blur();
    root.querySelector<HTMLAnchorElement>('nav a[href="#mine/tone"]')!.click();
    await waitFor(() => expect(document.activeElement?.id).toBe('mine/tone'));
    expect(scrolled.filter((id) => id === 'mine/tone').length).toBeGreaterThanOrEqual(2);
  });
});

describe('policy viewer: filter', () => {
  async function typeWords(root: HTMLElement, words: string) {
    const input = root.querySelector<HTMLInputElement>('#policy-words')!;
    input.value = words;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  const shownRules = (root: HTMLElement) => [...root.querySelectorAll('[data-rule]')].map((r) => r.getAttribute('data-rule'));

  it('keeps the rules whose words match, opens matching examples, and announces the count', async () => {
    const root = mount(async () => policyReply());
    await waitFor(() => section('mine/tone'));
    const status = root.querySelector('[data-testid=filter-status]')!;
    expect(status.getAttribute('aria-live')).toBe('polite');
    await typeWords(root, 'FALCON launches');
    await waitFor(() => expect(shownRules(root)).toEqual(['org.codename']));
    expect(status.textContent).toBe('Showing 1 rule in 1 clause (of 6).');
    // The words were in its examples: they are shown open.
    expect(root.querySelector<HTMLDetailsElement>('[data-rule="org.codename"] details')!.open).toBe(true);
    await typeWords(root, 'no such words anywhere');
    await waitFor(() => expect(status.textContent).toBe('No rule matches. Try fewer words or another category.'));
    expect(shownRules(root)).toEqual([]);
    // The contents still lists every clause, so every link works.
    expect(root.querySelectorAll('nav a')).toHaveLength(4);
  });

  it("a clause's own words show all its rules", async () => {
    const root = mount(async () => policyReply());
    await waitFor(() => section('mine/tone'));
    await typeWords(root, 'contempt');
    await waitFor(() => expect(shownRules(root)).toEqual(['org.trial-opinion', 'org.trial-word', 'org.guilty-word']));
    expect(section('org.social/courts').querySelector('h4')!.textContent).toBe('Rules that check this clause (3 of 3 shown)');
  });

  it('filters by category, and "Show all rules" clears the filter', async () => {
    const root = mount(async () => policyReply());
    await waitFor(() => section('mine/tone'));
    const select = root.querySelector<HTMLSelectElement>('#policy-category')!;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'All categories',
      'Internal information',
      'Unannounced information',
      'Legal matters',
      'Tone and conduct',
    ]);
    select.value = 'legal';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => expect(shownRules(root)).toEqual(['org.trial-opinion', 'org.trial-word', 'org.guilty-word']));
    // Clauses without a rule of that category are left out.
    expect(byId('org.social/future')).toBeNull();
    const clear = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Show all rules')!;
    clear.click();
    await waitFor(() => expect(shownRules(root)).toHaveLength(6));
    expect(select.value).toBe('');
  });
});

describe('policy viewer: when the background cannot answer', () => {
  it('shows the reason and tries again on request', async () => {
    let calls = 0;
    const send = vi.fn(async () => {
      calls += 1;
      if (calls === 1) throw new Error('Could not establish connection. Receiving end does not exist.');
      return policyReply();
    });
    const root = mount(send);
    const error = await waitFor(() => present(root.querySelector('[data-testid=load-error]')));
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain(
      "The policy could not be shown: ReplyGuard's background did not answer (Could not establish connection. Receiving end does not exist.).",
    );
    error.querySelector('button')!.click();
    await waitFor(() => section('org.social/secrets'));
    expect(root.querySelector('[data-testid=load-error]')).toBeNull();
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('says why when the background takes long (a service worker that just started compiles the rules)', async () => {
    vi.useFakeTimers();
    try {
      const root = mount(() => new Promise(() => undefined));
      await vi.advanceTimersByTimeAsync(100);
      expect(root.querySelector('[data-testid=loading]')!.textContent).toBe('Loading the policy…');
      await vi.advanceTimersByTimeAsync(2500);
      expect(root.querySelector('[data-testid=loading]')!.textContent).toContain('ReplyGuard is still preparing its rules');
    } finally {
      vi.useRealTimers();
    }
  });

  it('treats no answer, or an answer that is not a policy, as an error', async () => {
    const none = mount(async () => undefined);
    await waitFor(() => expect(none.querySelector('[data-testid=load-error]')!.textContent).toContain("ReplyGuard's background did not answer with the policy."));
    render(null, none);
    const odd = mount(async () => ({ ok: true, packs: 'nope' }));
    await waitFor(() => expect(odd.querySelector('[data-testid=load-error]')!.textContent).toContain('answered with something that is not a policy'));
  });

  it("shows the background's own error", async () => {
    const root = mount(async () => ({ ok: false, error: 'the policy packs could not be loaded: storage is unavailable' }));
    await waitFor(() =>
      expect(root.querySelector('[data-testid=load-error]')!.textContent).toContain(
        'The policy could not be shown: the policy packs could not be loaded: storage is unavailable',
      ),
    );
  });

  it('explains an empty policy, and lists packs that could not be used', async () => {
    const root = mount(async () => policyReply([], ['Organisation pack https://packs.example.org/a.json is not used: field "version": a semantic version such as 1.2.0.']));
    await waitFor(() => present(root.querySelector('[data-testid=no-packs]')));
    expect(root.querySelector('[data-testid=no-packs]')!.textContent).toContain('No policy pack is in use');
    expect(root.querySelector('[data-testid=problems]')!.textContent).toContain('https://packs.example.org/a.json is not used');
    expect(root.querySelector('#policy-words')).toBeNull();
  });

  it('shows the packs that work alongside the ones that failed', async () => {
    const root = mount(async () => policyReply([userPackView()], ['Your pack broken.json is not used: invalid JSON.']));
    await waitFor(() => section('mine/tone'));
    expect(root.querySelector('[data-testid=problems] li')!.textContent).toBe('Your pack broken.json is not used: invalid JSON.');
  });
});
