// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types';
import { excerptParts, FindingItem, SeverityLabel } from '../../../src/ui/finding-item';

const getURL = (path: string) => `chrome-extension://abc${path}`;

function finding(over: Partial<Finding> = {}): Finding {
  const draft = 'Thanks for asking. The password is hunter2 so you can log in.';
  const start = draft.indexOf('password is hunter2');
  return {
    rule: 'credentials.password-is',
    pack: 'builtin',
    category: 'credentials',
    severity: 'block',
    mode: 'enforce',
    message: 'This looks like a password: "password is hunter2".',
    start,
    end: start + 'password is hunter2'.length,
    excerpt: 'password is hunter2',
    clause: { id: 'credentials', title: 'Passwords and access details', url: null },
    suggestion: { text: 'Send login details privately through the service desk.', replacement: '[redacted]' },
    ...over,
  };
}

const DRAFT = 'Thanks for asking. The password is hunter2 so you can log in.';

function mount(node: preact.ComponentChild): HTMLElement {
  const root = document.createElement('div');
  document.body.append(root);
  render(node, root);
  return root;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('FindingItem', () => {
  it('shows severity as text and icon, the category, message, suggestion and clause link', () => {
    const root = mount(<FindingItem finding={finding()} draft={DRAFT} getURL={getURL} />);
    const item = root.querySelector('.rg-finding')!;
    expect(item.getAttribute('data-severity')).toBe('block');
    expect(item.querySelector('.rg-severity')!.textContent).toContain('Must fix');
    expect(item.querySelector('.rg-severity-icon')!.getAttribute('aria-hidden')).toBe('true');
    expect(item.querySelector('.rg-severity-icon')!.localName).toBe('svg');
    expect(item.querySelector('.rg-category')!.textContent).toBe('Credentials');
    expect(item.querySelector('.rg-message')!.textContent).toBe('This looks like a password: "password is hunter2".');
    expect(item.querySelector('[data-testid=replacement]')!.textContent).toBe('Suggested wording: [redacted]');
    expect(item.querySelector('[data-testid=suggestion]')!.textContent).toContain('service desk');
    const link = item.querySelector<HTMLAnchorElement>('[data-testid=clause-link]')!;
    expect(link.textContent).toBe('Passwords and access details');
    expect(link.getAttribute('href')).toBe('chrome-extension://abc/policy.html#builtin/credentials');
  });

  it('marks the flagged words inside the surrounding draft', () => {
    const root = mount(<FindingItem finding={finding()} draft={DRAFT} getURL={getURL} />);
    const excerpt = root.querySelector('[data-testid=excerpt]')!;
    expect(excerpt.querySelector('mark')!.textContent).toBe('password is hunter2');
    expect(excerpt.textContent).toBe(DRAFT);
  });

  it('links to the organisation policy page when the pack gives one', () => {
    const f = finding({ clause: { id: 'credentials', title: 'Access', url: 'https://intranet.example/policy#creds' } });
    const root = mount(<FindingItem finding={f} getURL={getURL} />);
    const link = root.querySelector<HTMLAnchorElement>('[data-testid=clause-link]')!;
    expect(link.getAttribute('href')).toBe('https://intranet.example/policy#creds');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.textContent).toContain("your organisation's policy");
  });

  it('renders pack text as text, never as HTML', () => {
    const f = finding({ message: '<img src=x onerror=alert(1)>', clause: { id: 'c', title: '<b>bold</b>', url: null }, suggestion: undefined });
    const root = mount(<FindingItem finding={f} getURL={getURL} />);
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('.rg-message')!.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(root.querySelector('[data-testid=replacement]')).toBeNull();
  });

  it('renders actions given as children', () => {
    const root = mount(
      <FindingItem finding={finding()} getURL={getURL}>
        <button type="button">Ignore here once</button>
      </FindingItem>,
    );
    expect(root.querySelector('.rg-finding-actions button')!.textContent).toBe('Ignore here once');
  });
});

describe('SeverityLabel', () => {
  it('names every severity in words', () => {
    const root = mount(
      <>
        <SeverityLabel severity="block" />
        <SeverityLabel severity="warning" />
        <SeverityLabel severity="info" />
      </>,
    );
    expect([...root.querySelectorAll('.rg-severity')].map((e) => e.textContent)).toEqual(['Must fix', 'Warning', 'Note']);
    // A different icon shape per severity, hidden from screen readers.
    const icons = [...root.querySelectorAll('.rg-severity svg')];
    expect(icons.map((i) => i.getAttribute('data-icon'))).toEqual(['block', 'warning', 'info']);
    expect(icons.every((i) => i.getAttribute('aria-hidden') === 'true')).toBe(true);
  });
});

describe('excerptParts', () => {
  it('keeps whole words around the flagged span and marks cuts with an ellipsis', () => {
    const draft = 'one two three four five six seven eight nine ten FLAG eleven twelve thirteen fourteen fifteen sixteen';
    const start = draft.indexOf('FLAG');
    const parts = excerptParts({ excerpt: 'FLAG', start, end: start + 4 }, draft, 20);
    expect(parts.flagged).toBe('FLAG');
    expect(parts.before.startsWith('…')).toBe(true);
    expect(parts.after.endsWith('…')).toBe(true);
    // No broken words at the edges.
    for (const word of parts.before.replace('…', '').trim().split(' ')) expect(draft.split(' ')).toContain(word);
    for (const word of parts.after.replace('…', '').trim().split(' ')) expect(draft.split(' ')).toContain(word);
  });

  it('shows line breaks as spaces', () => {
    const draft = 'Hi\n\nthe code is 1234\nthanks';
    const start = draft.indexOf('code is 1234');
    expect(excerptParts({ excerpt: 'code is 1234', start, end: start + 12 }, draft)).toEqual({
      before: 'Hi the ',
      flagged: 'code is 1234',
      after: ' thanks',
    });
  });

  it('falls back to the flagged words when the draft no longer matches the offsets', () => {
    expect(excerptParts({ excerpt: 'abc', start: 0, end: 3 }, 'xyz and more')).toEqual({ before: '', flagged: 'abc', after: '' });
  });
});
