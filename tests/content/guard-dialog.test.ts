// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../src/engine/types';
import { MAX_REASON_LENGTH, openGuardDialog } from '../../src/content/guard-dialog';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: 'marking.official-sensitive',
    pack: 'replyguard.builtin',
    category: 'marking',
    severity: 'block',
    mode: 'enforce',
    message: '"OFFICIAL-SENSITIVE" is a security classification.',
    start: 20,
    end: 38,
    excerpt: 'OFFICIAL-SENSITIVE',
    clause: { id: 'protective-markings', title: 'Never post marked or confidential material', url: null },
    ...overrides,
  };
}

const shadow = () => document.querySelector('replyguard-guard')!.shadowRoot!;
const button = (action: string) => shadow().querySelector<HTMLButtonElement>(`button[data-action="${action}"]`)!;

afterEach(() => {
  document.querySelector('replyguard-guard')?.remove();
  vi.unstubAllGlobals();
});

describe('the guard dialog', () => {
  it('passes the writer\'s trimmed reason to "Post anyway" and closes', () => {
    const onPostAnyway = vi.fn();
    openGuardDialog(document, { findings: [finding()], onEdit: vi.fn(), onPostAnyway });
    const reason = shadow().querySelector<HTMLInputElement>('#rg-reason')!;
    expect(shadow().querySelector('label[for="rg-reason"]')?.textContent).toMatch(/say why/);
    reason.value = '  Already public on our website  ';
    button('post-anyway').click();
    expect(onPostAnyway).toHaveBeenCalledWith('Already public on our website');
    expect(document.querySelector('replyguard-guard')).toBeNull();
  });

  it('posts anyway with no reason when none is given, and caps a long one', () => {
    const first = vi.fn();
    openGuardDialog(document, { findings: [finding()], onEdit: vi.fn(), onPostAnyway: first });
    button('post-anyway').click();
    expect(first).toHaveBeenCalledWith(undefined);

    const second = vi.fn();
    openGuardDialog(document, { findings: [finding()], onEdit: vi.fn(), onPostAnyway: second });
    shadow().querySelector<HTMLInputElement>('#rg-reason')!.value = 'x'.repeat(MAX_REASON_LENGTH + 50);
    button('post-anyway').click();
    expect(second.mock.calls[0]![0]).toHaveLength(MAX_REASON_LENGTH);
  });

  it('Enter in the reason field posts anyway (it never reaches the page)', () => {
    const onPostAnyway = vi.fn();
    const pageKeys = vi.fn();
    document.addEventListener('keydown', pageKeys);
    openGuardDialog(document, { findings: [finding()], onEdit: vi.fn(), onPostAnyway });
    const reason = shadow().querySelector<HTMLInputElement>('#rg-reason')!;
    reason.value = 'Approved by the press office';
    reason.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
    expect(onPostAnyway).toHaveBeenCalledWith('Approved by the press office');
    expect(pageKeys).not.toHaveBeenCalled();
    document.removeEventListener('keydown', pageKeys);
  });

  it('has no reason field and no "Post anyway" where the organisation forbids it', () => {
    openGuardDialog(document, { findings: [finding()], onEdit: vi.fn() });
    expect(shadow().querySelector('#rg-reason')).toBeNull();
    expect(shadow().querySelector('button[data-action="post-anyway"]')).toBeNull();
    expect(shadow().textContent).toMatch(/does not allow posting this without changes/);
  });

  it("links a clause to the organisation's page when the pack gives one", () => {
    const url = 'https://intranet.example.org/social-media-policy#legal';
    openGuardDialog(document, {
      findings: [finding({ clause: { id: 'legal', title: 'Legal matters', url } })],
      onEdit: vi.fn(),
      onPostAnyway: vi.fn(),
    });
    const link = shadow().querySelector<HTMLAnchorElement>('li a')!;
    expect(link.href).toBe(url);
    expect(link.textContent).toBe('Legal matters');
    expect(link.rel).toContain('noopener');
  });

  it('asks the background to open the built-in policy viewer for a clause with no web page', () => {
    const sendMessage = vi.fn(() => Promise.resolve({ ok: true }));
    vi.stubGlobal('chrome', { runtime: { sendMessage } });
    openGuardDialog(document, { findings: [finding()], onEdit: vi.fn(), onPostAnyway: vi.fn() });
    const link = shadow().querySelector<HTMLButtonElement>('li button.link')!;
    expect(link.textContent).toBe('Never post marked or confidential material');
    link.click();
    expect(sendMessage).toHaveBeenCalledWith({ type: 'open-clause', pack: 'replyguard.builtin', clause: 'protective-markings' });
    // The dialog stays open: reading the clause is not a decision.
    expect(document.querySelector('replyguard-guard')).not.toBeNull();
  });

  it('keeps Tab focus inside the dialog, through the reason field', () => {
    openGuardDialog(document, { findings: [finding()], onEdit: vi.fn(), onPostAnyway: vi.fn() });
    const root = shadow();
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      root.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, composed: true, cancelable: true }));
      const active = root.activeElement as HTMLElement;
      order.push(active.id || active.dataset.action || active.className);
    }
    expect(order).toEqual(['link', 'rg-reason', 'post-anyway', 'edit', 'link']);
  });
});
