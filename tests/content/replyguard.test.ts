// @vitest-environment happy-dom
/**
 * The content script's behaviour in a DOM, with a stand-in checker (the real engine runs in the
 * background and is tested on its own): badges as people type, the submit guard, "Edit draft" and
 * "Post anyway", fail-open when the engine fails, fields added later and fields in shadow roots.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../src/engine/types';
import { enterSendsOn, startReplyGuard, type ReplyGuard } from '../../src/content/replyguard';
import type { GuardOutcome } from '../../src/content/guard-submit';
import { applyFix } from '../../src/content/apply-fix';
import { Badge } from '../../src/content/badge';
import { FixCards } from '../../src/content/fix-cards';
import { openGuardDialog } from '../../src/content/guard-dialog';
import { provideUi } from '../../src/content/ui';
import { Underlines } from '../../src/content/underlines';

// In the extension the UI is a separate script loaded on first focus (src/content/ui.ts); here
// it is provided up front, as entrypoints/content-ui.ts provides it.
provideUi({ Badge, Underlines, FixCards, openGuardDialog, applyFix });

/** Flags OFFICIAL-SENSITIVE (block), "guarantee" (warning), "fyi" (info), "audit-me" (audit mode). */
function finding(
  text: string,
  word: string,
  severity: Finding['severity'],
  mode: Finding['mode'] = 'enforce',
  suggestion?: Finding['suggestion'],
): Finding[] {
  const out: Finding[] = [];
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    out.push({
      rule: `test.${word.toLowerCase()}`,
      pack: 'test',
      category: 'marking',
      severity,
      mode,
      message: `Do not post "${word}"`,
      start: i,
      end: i + word.length,
      excerpt: word,
      clause: { id: 'protective-markings', title: 'Never post marked material', url: 'https://policy.example/#marking' },
      ...(suggestion ? { suggestion } : {}),
    });
  }
  return out;
}

const checked: string[] = [];
let failChecks = false;
async function fakeCheck(text: string): Promise<Finding[]> {
  checked.push(text);
  await new Promise((r) => setTimeout(r, 2));
  if (failChecks) throw new Error('engine unavailable');
  return [
    ...finding(text, 'OFFICIAL-SENSITIVE', 'block'),
    ...finding(text, 'guarantee', 'warning', 'enforce', { text: 'Say what you will try to do.', replacement: 'aim to deliver' }),
    ...finding(text, 'fyi', 'info'),
    ...finding(text, 'audit-me', 'warning', 'audit'),
  ];
}

let guard: ReplyGuard;
let outcomes: GuardOutcome[];
let submits: number;
let clicks: number;

function start() {
  guard = startReplyGuard({ document, check: fakeCheck, debounceMs: 10, onOutcome: (o) => outcomes.push(o) });
}

function typeInto(field: HTMLElement, text: string) {
  field.focus();
  if ('value' in field) (field as HTMLTextAreaElement).value = text;
  else field.textContent = text;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

function badgeFor(): HTMLElement | null {
  return document.querySelector('replyguard-badge');
}

function dialog(): HTMLElement | null {
  return document.querySelector('replyguard-guard');
}

function dialogButton(name: string): HTMLButtonElement {
  const root = dialog()!.shadowRoot!;
  const button = Array.from(root.querySelectorAll('button')).find((b) => (b.getAttribute('aria-label') ?? b.textContent)?.trim() === name);
  if (!button) throw new Error(`no "${name}" button in the dialog`);
  return button;
}

async function settle() {
  await guard.whenIdle();
  await new Promise((r) => setTimeout(r, 0));
}

function wordpressForm() {
  document.body.innerHTML = `
    <form id="commentform" action="/wp-comments-post.php" method="post">
      <textarea id="comment" name="comment"></textarea>
      <input id="author" name="author" type="text">
      <input type="submit" id="submit" value="Post Comment">
    </form>`;
  const form = document.getElementById('commentform') as HTMLFormElement;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submits++;
  });
  return { form, textarea: document.getElementById('comment') as HTMLTextAreaElement, button: document.getElementById('submit') as HTMLInputElement };
}

function composer() {
  document.body.innerHTML = `
    <div class="composer">
      <div id="editor" contenteditable="true"></div>
      <div class="toolbar"><button id="emoji" type="button">Emoji</button><button id="reply" type="button">Reply</button></div>
    </div>`;
  const button = document.getElementById('reply') as HTMLButtonElement;
  button.addEventListener('click', () => clicks++);
  return { editor: document.getElementById('editor') as HTMLElement, button, emoji: document.getElementById('emoji') as HTMLButtonElement };
}

beforeEach(() => {
  checked.length = 0;
  failChecks = false;
  outcomes = [];
  submits = 0;
  clicks = 0;
});

afterEach(() => {
  guard?.stop();
  document.body.innerHTML = '';
  document.querySelectorAll('replyguard-badge, replyguard-guard, replyguard-card, replyguard-underlines').forEach((e) => e.remove());
});

describe('badge', () => {
  it('shows the count and highest severity of the flags in a risky draft', async () => {
    const { textarea } = wordpressForm();
    start();
    typeInto(textarea, 'We guarantee it. OFFICIAL-SENSITIVE fyi');
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-count')).toBe('2'));
    const badge = badgeFor()!;
    expect(badge.getAttribute('data-severity')).toBe('block');
    expect(badge.getAttribute('data-state')).toBe('checked');
    expect(badge.shadowRoot).not.toBeNull();
  });

  it('checks once after a burst of keystrokes (debounced), with the last text', async () => {
    const { textarea } = wordpressForm();
    start();
    for (const text of ['O', 'OF', 'OFF', 'OFFICIAL-SENSITIVE']) typeInto(textarea, text);
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-count')).toBe('1'));
    expect(checked).toEqual(['OFFICIAL-SENSITIVE']);
  });

  it('shows zero and no severity for a clean draft, and ignores info and audit findings', async () => {
    const { textarea } = wordpressForm();
    start();
    typeInto(textarea, 'Thanks, fyi audit-me');
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-state')).toBe('checked'));
    expect(badgeFor()!.getAttribute('data-count')).toBe('0');
    expect(badgeFor()!.getAttribute('data-severity')).toBe('none');
  });

  it('says "not checked" when the engine fails', async () => {
    const { textarea } = wordpressForm();
    failChecks = true;
    start();
    typeInto(textarea, 'OFFICIAL-SENSITIVE');
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-state')).toBe('not-checked'));
    expect(badgeFor()!.shadowRoot!.textContent).toContain('not checked');
  });

  it('checks an editor that applies edits itself (beforeinput cancelled, no input event)', async () => {
    const { editor } = composer();
    editor.textContent = 'x';
    editor.addEventListener('beforeinput', (e) => {
      e.preventDefault();
      (editor.firstChild as Text).data = 'We guarantee it';
    });
    start();
    editor.focus();
    await settle();
    expect(badgeFor()?.getAttribute('data-count')).toBe('0');
    editor.dispatchEvent(new InputEvent('beforeinput', { bubbles: true, cancelable: true, composed: true, inputType: 'insertText', data: 'y' }));
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-count')).toBe('1'));
  });

  it('re-checks a contenteditable whose text the page changes without an input event', async () => {
    const { editor } = composer();
    start();
    typeInto(editor, 'OFFICIAL-SENSITIVE');
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-count')).toBe('1'));
    (editor.firstChild as Text).data = 'all clear';
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-count')).toBe('0'));
  });

  it('re-checks a textarea the page empties itself (value set, no input event), so the badge never describes gone text', async () => {
    const { textarea } = wordpressForm();
    start();
    typeInto(textarea, 'It is OFFICIAL-SENSITIVE.');
    await settle();
    expect(badgeFor()?.getAttribute('data-count')).toBe('1');
    textarea.value = ''; // what a comment form does after posting
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-count')).toBe('0'), { timeout: 2000, interval: 50 });
  });

  it('does nothing for a field the page opted out', async () => {
    const { textarea } = wordpressForm();
    textarea.setAttribute('data-replyguard', 'off');
    start();
    typeInto(textarea, 'OFFICIAL-SENSITIVE');
    await settle();
    expect(checked).toEqual([]);
    expect(badgeFor()).toBeNull();
  });

  it('removes the badge when its field leaves the page', async () => {
    const { textarea, form } = wordpressForm();
    start();
    typeInto(textarea, 'OFFICIAL-SENSITIVE');
    await vi.waitFor(() => expect(badgeFor()).not.toBeNull());
    form.remove();
    await vi.waitFor(() => expect(badgeFor()).toBeNull());
  });
});

describe('engine warm-up', () => {
  it('counts the check timeout from when the engine has loaded, so a slow cold start is still checked', async () => {
    const { textarea } = wordpressForm();
    let loaded!: () => void;
    const engine = new Promise<void>((resolve) => (loaded = resolve));
    // The engine answers only once it has loaded, later than the 50 ms timeout after typing.
    const slowCheck = async (text: string) => (await engine, fakeCheck(text));
    guard = startReplyGuard({ document, check: slowCheck, debounceMs: 10, timeoutMs: 50, warm: () => engine });
    typeInto(textarea, 'The briefing is OFFICIAL-SENSITIVE.');
    await new Promise((r) => setTimeout(r, 150));
    expect(guard.findingsFor(textarea)).toBeNull();
    loaded();
    await guard.whenIdle();
    expect(guard.findingsFor(textarea)?.length).toBeGreaterThan(0);
  });

  it('asks the engine to warm up once, when a reply field is first focused, not at page load', async () => {
    const { textarea } = wordpressForm();
    let warmups = 0;
    guard = startReplyGuard({ document, check: fakeCheck, debounceMs: 10, warm: () => void warmups++ });
    await settle();
    expect(warmups).toBe(0);
    (document.getElementById('author') as HTMLInputElement).focus();
    expect(warmups).toBe(0);
    textarea.focus();
    expect(warmups).toBe(1);
    typeInto(textarea, 'hello');
    await settle();
    expect(warmups).toBe(1);
  });
});

describe('submit guard: a form with a submit button', () => {
  it('intercepts a risky draft before the page sees the submit and lists the findings', async () => {
    const { textarea, button } = wordpressForm();
    start();
    typeInto(textarea, 'Attached: OFFICIAL-SENSITIVE');
    await settle();
    button.click();
    expect(submits).toBe(0);
    expect(dialog()).not.toBeNull();
    const text = dialog()!.shadowRoot!.textContent!;
    expect(text).toContain('Do not post "OFFICIAL-SENSITIVE"');
    expect(text).toContain('Never post marked material');
    expect(dialog()!.shadowRoot!.querySelector('[role="dialog"]')).not.toBeNull();
    dialogButton('Edit draft');
    dialogButton('Post anyway');
  });

  it('"Edit draft" closes the dialog, keeps the exact text and returns focus to the field', async () => {
    const { textarea, button } = wordpressForm();
    start();
    const draft = 'Line one\n  OFFICIAL-SENSITIVE  \n';
    typeInto(textarea, draft);
    textarea.setSelectionRange(3, 7);
    await settle();
    button.click();
    dialogButton('Edit draft').click();
    await settle();
    expect(dialog()).toBeNull();
    expect(textarea.value).toBe(draft);
    expect(document.activeElement).toBe(textarea);
    expect([textarea.selectionStart, textarea.selectionEnd]).toEqual([3, 7]);
    expect(submits).toBe(0);
    expect(outcomes.map((o) => o.outcome)).toEqual(['flagged', 'edited']);
  });

  it('"Post anyway" lets that submission through exactly once; the next one is checked again', async () => {
    const { textarea, button } = wordpressForm();
    start();
    typeInto(textarea, 'OFFICIAL-SENSITIVE');
    await settle();
    button.click();
    dialogButton('Post anyway').click();
    await settle();
    expect(submits).toBe(1);
    expect(dialog()).toBeNull();
    expect(textarea.value).toBe('OFFICIAL-SENSITIVE');
    expect(outcomes.map((o) => o.outcome)).toEqual(['flagged', 'posted-anyway']);
    expect(outcomes[0]!.findings.map((f) => f.rule)).toEqual(['test.official-sensitive']);

    button.click();
    expect(submits).toBe(1);
    expect(dialog()).not.toBeNull();
  });

  it('never intercepts or delays a clean draft that has been checked', async () => {
    const { textarea, button } = wordpressForm();
    start();
    typeInto(textarea, 'Thanks for your comment.');
    await settle();
    button.click();
    expect(submits).toBe(1); // synchronously, first time
    expect(dialog()).toBeNull();
    await settle();
    expect(submits).toBe(1);
  });

  it('does not block posting when the engine fails (fail-open)', async () => {
    const { textarea, button } = wordpressForm();
    failChecks = true;
    start();
    typeInto(textarea, 'OFFICIAL-SENSITIVE');
    await settle();
    button.click();
    await settle();
    expect(submits).toBe(1);
    expect(dialog()).toBeNull();
  });

  it('checks a draft that changed since the last check before deciding: risky is stopped', async () => {
    const { textarea, button } = wordpressForm();
    start();
    typeInto(textarea, 'Hello');
    await settle();
    typeInto(textarea, 'Hello OFFICIAL-SENSITIVE'); // clicked before the debounce fires
    button.click();
    expect(submits).toBe(0);
    await vi.waitFor(() => expect(dialog()).not.toBeNull());
    expect(submits).toBe(0);
  });

  it('checks a draft that changed since the last check before deciding: clean goes through once', async () => {
    const { textarea, button } = wordpressForm();
    start();
    typeInto(textarea, 'OFFICIAL-SENSITIVE');
    await settle();
    typeInto(textarea, 'All fine now');
    button.click();
    await vi.waitFor(() => expect(submits).toBe(1));
    await settle();
    expect(submits).toBe(1);
    expect(dialog()).toBeNull();
  });

  it('intercepts requestSubmit() and implicit submission the same way', async () => {
    const { textarea, form } = wordpressForm();
    start();
    typeInto(textarea, 'OFFICIAL-SENSITIVE');
    await settle();
    form.requestSubmit();
    expect(submits).toBe(0);
    expect(dialog()).not.toBeNull();
    dialogButton('Post anyway').click();
    await settle();
    expect(submits).toBe(1);
  });

  it('does not intercept info-only or audit-only drafts', async () => {
    const { textarea, button } = wordpressForm();
    start();
    typeInto(textarea, 'fyi audit-me');
    await settle();
    button.click();
    expect(submits).toBe(1);
  });
});

describe('submit guard: a composer without a form', () => {
  it('intercepts the composer\'s submit-like button, not its other buttons', async () => {
    const { editor, button, emoji } = composer();
    start();
    typeInto(editor, 'We guarantee a refund');
    await settle();
    emoji.click();
    expect(dialog()).toBeNull();
    button.click();
    expect(clicks).toBe(0);
    expect(dialog()).not.toBeNull();
    dialogButton('Post anyway').click();
    await settle();
    expect(clicks).toBe(1);
    expect(editor.textContent).toBe('We guarantee a refund');
  });

  it('"Edit draft" returns focus to the editor', async () => {
    const { editor, button } = composer();
    start();
    typeInto(editor, 'We guarantee a refund');
    await settle();
    button.focus();
    button.click();
    dialogButton('Edit draft').click();
    await settle();
    expect(document.activeElement).toBe(editor);
    expect(editor.textContent).toBe('We guarantee a refund');
    expect(clicks).toBe(0);
  });
});

describe('submit guard: keys', () => {
  function chatInput() {
    document.body.innerHTML = `<input id="chat" type="text" placeholder="Send a message">`;
    const input = document.getElementById('chat') as HTMLInputElement;
    let sent = 0;
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') sent++;
    });
    return { input, sent: () => sent };
  }

  function enter(target: HTMLElement, init: KeyboardEventInit = {}) {
    const event = new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true, composed: true, ...init });
    target.dispatchEvent(event);
    return event;
  }

  it('intercepts Enter in a single-line reply input with a risky draft, and lets it through once', async () => {
    const { input, sent } = chatInput();
    start();
    typeInto(input, 'OFFICIAL-SENSITIVE');
    await settle();
    const event = enter(input);
    expect(event.defaultPrevented).toBe(true);
    expect(sent()).toBe(0);
    dialogButton('Post anyway').click();
    await settle();
    expect(sent()).toBe(1);
  });

  it('never intercepts Enter during IME composition', async () => {
    const { input, sent } = chatInput();
    start();
    typeInto(input, 'OFFICIAL-SENSITIVE');
    await settle();
    enter(input, { isComposing: true });
    expect(sent()).toBe(1);
    expect(dialog()).toBeNull();
  });

  it('intercepts Ctrl+Enter in a textarea but leaves plain Enter (a newline) alone', async () => {
    const { textarea } = wordpressForm();
    start();
    typeInto(textarea, 'OFFICIAL-SENSITIVE');
    await settle();
    expect(enter(textarea).defaultPrevented).toBe(false);
    expect(dialog()).toBeNull();
    expect(enter(textarea, { shiftKey: true }).defaultPrevented).toBe(false);
    expect(enter(textarea, { ctrlKey: true }).defaultPrevented).toBe(true);
    expect(dialog()).not.toBeNull();
  });

  it('learns that a contenteditable composer posts on Enter once Enter empties it', async () => {
    const { editor } = composer();
    let posted = 0;
    editor.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        posted++;
        editor.textContent = '';
      }
    });
    start();
    typeInto(editor, 'hello');
    await settle();
    enter(editor); // a clean draft: the site posts it
    expect(posted).toBe(1);
    await settle();
    typeInto(editor, 'OFFICIAL-SENSITIVE');
    await settle();
    enter(editor);
    expect(posted).toBe(1);
    expect(dialog()).not.toBeNull();
  });

  it('intercepts plain Enter in a composer on a site where Enter posts, but not Shift+Enter', async () => {
    const { editor } = composer();
    guard = startReplyGuard({ document, check: fakeCheck, debounceMs: 10, enterSendsHere: true });
    typeInto(editor, 'OFFICIAL-SENSITIVE');
    await settle();
    expect(enter(editor, { shiftKey: true }).defaultPrevented).toBe(false);
    expect(dialog()).toBeNull();
    expect(enter(editor).defaultPrevented).toBe(true);
    expect(dialog()).not.toBeNull();
  });

  it('knows the sites whose comment and chat boxes post on Enter', () => {
    expect(enterSendsOn('www.facebook.com')).toBe(true);
    expect(enterSendsOn('app.slack.com')).toBe(true);
    expect(enterSendsOn('discord.com')).toBe(true);
    expect(enterSendsOn('notfacebook.com')).toBe(false);
    expect(enterSendsOn('www.linkedin.com')).toBe(false);
    expect(enterSendsOn('127.0.0.1')).toBe(false);
  });

  it('does not take an editor that handles Enter itself (a new paragraph) for one that posts', async () => {
    const { editor } = composer();
    editor.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        editor.append(document.createElement('br'));
        editor.append('next line');
      }
    });
    start();
    typeInto(editor, 'hello');
    await settle();
    enter(editor);
    await new Promise((r) => setTimeout(r, 20));
    typeInto(editor, 'OFFICIAL-SENSITIVE');
    await settle();
    expect(enter(editor).defaultPrevented).toBe(true); // by the page's own handler, not ReplyGuard
    expect(dialog()).toBeNull();
  });

  it('does not intercept Enter while a clean draft is checked', async () => {
    const { input, sent } = chatInput();
    start();
    typeInto(input, 'hello there');
    await settle();
    expect(enter(input).defaultPrevented).toBe(false);
    expect(sent()).toBe(1);
  });
});

describe('finding cards and quick fixes', () => {
  function card(): HTMLElement | null {
    return document.querySelector('replyguard-card');
  }

  function cardButtons(): string[] {
    return Array.from(card()?.shadowRoot?.querySelectorAll('button') ?? []).map((b) => b.textContent!);
  }

  function cardButton(name: string): HTMLButtonElement {
    const button = Array.from(card()!.shadowRoot!.querySelectorAll('button')).find((b) => b.textContent === name);
    if (!button) throw new Error(`no "${name}" button in the card`);
    return button;
  }

  async function clickAt(textarea: HTMLTextAreaElement, offset: number) {
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
    textarea.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, composed: true }));
    await new Promise((r) => setTimeout(r, 5));
  }

  it('opens a card with the message, category, clause and quick fixes when the caret is put in flagged words', async () => {
    const { textarea } = wordpressForm();
    start();
    typeInto(textarea, 'We guarantee it.');
    await settle();
    await clickAt(textarea, 2);
    expect(card()).toBeNull(); // not in a flagged span
    await clickAt(textarea, 5);
    expect(card()).not.toBeNull();
    const text = card()!.shadowRoot!.textContent!;
    expect(text).toContain('Do not post "guarantee"');
    expect(text).toContain('Protective marking');
    expect(text).toContain('Say what you will try to do.');
    expect(card()!.shadowRoot!.querySelector('a')!.getAttribute('href')).toBe('https://policy.example/#marking');
    expect(cardButtons()).toEqual(['Replace with “aim to deliver”', 'Redact', 'Ignore once']);
  });

  it('"Redact" replaces only the flagged span', async () => {
    const { textarea } = wordpressForm();
    start();
    typeInto(textarea, 'Ref: OFFICIAL-SENSITIVE, see below.');
    await settle();
    await clickAt(textarea, 8);
    expect(cardButtons()).toEqual(['Redact', 'Ignore once']);
    let inputs = 0;
    textarea.addEventListener('input', () => inputs++);
    cardButton('Redact').click();
    await vi.waitFor(() => expect(textarea.value).toBe('Ref: [redacted], see below.'));
    expect(inputs).toBe(1); // the page hears about the edit
    expect(card()).toBeNull();
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-count')).toBe('0'));
  });

  it('"Replace with" puts in the pack\'s wording', async () => {
    const { textarea } = wordpressForm();
    start();
    typeInto(textarea, 'We guarantee it.');
    await settle();
    await clickAt(textarea, 5);
    cardButton('Replace with “aim to deliver”').click();
    await vi.waitFor(() => expect(textarea.value).toBe('We aim to deliver it.'));
  });

  it('"Ignore once" hides the finding and lets the draft post', async () => {
    const { textarea, button } = wordpressForm();
    start();
    typeInto(textarea, 'We guarantee it.');
    await settle();
    await clickAt(textarea, 5);
    cardButton('Ignore once').click();
    expect(card()).toBeNull();
    expect(badgeFor()!.getAttribute('data-count')).toBe('0');
    expect(textarea.value).toBe('We guarantee it.');
    button.click();
    expect(submits).toBe(1);
  });

  it('does not apply a fix to a draft that changed since the check', async () => {
    const { textarea } = wordpressForm();
    start();
    typeInto(textarea, 'Ref: OFFICIAL-SENSITIVE');
    await settle();
    await clickAt(textarea, 8);
    const redact = cardButton('Redact');
    textarea.value = 'Ref: OFFICIAL-SENSITIVE and more'; // changed without an input event
    redact.click();
    await new Promise((r) => setTimeout(r, 20));
    expect(textarea.value).toBe('Ref: OFFICIAL-SENSITIVE and more');
  });

  it('closes on typing and on Escape; Alt+ArrowDown moves the keyboard into the card', async () => {
    const { textarea } = wordpressForm();
    start();
    typeInto(textarea, 'Ref: OFFICIAL-SENSITIVE');
    await settle();
    await clickAt(textarea, 8);
    expect(card()).not.toBeNull();
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true, composed: true }));
    expect(card()).toBeNull();

    await clickAt(textarea, 8);
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', altKey: true, bubbles: true, cancelable: true, composed: true }));
    expect(card()!.shadowRoot!.activeElement?.textContent).toBe('Redact');

    textarea.focus();
    typeInto(textarea, 'Ref: OFFICIAL-SENSITIVE!');
    expect(card()).toBeNull();
  });
});

describe('fields added later and shadow roots', () => {
  it('guards a form added after start, inside an open shadow root', async () => {
    start();
    const host = document.createElement('reply-box');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<form><textarea id="t"></textarea><button id="b">Reply</button></form>`;
    root.querySelector('form')!.addEventListener('submit', (e) => {
      e.preventDefault();
      submits++;
    });
    await settle();
    const textarea = root.getElementById('t') as HTMLTextAreaElement;
    typeInto(textarea, 'OFFICIAL-SENSITIVE');
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-count')).toBe('1'));
    (root.getElementById('b') as HTMLButtonElement).click();
    expect(submits).toBe(0);
    expect(dialog()).not.toBeNull();
  });

  it('checks and guards a composer in a closed shadow root reached through openOrClosedShadowRoot', async () => {
    document.body.innerHTML = `<closed-composer id="host"></closed-composer>`;
    const host = document.getElementById('host')!;
    const root = host.attachShadow({ mode: 'closed' });
    root.innerHTML = `<div id="editor" contenteditable="true"></div><button id="send" type="button">Send</button>`;
    root.getElementById('send')!.addEventListener('click', () => clicks++);
    guard = startReplyGuard({
      document,
      check: fakeCheck,
      debounceMs: 10,
      openOrClosedShadowRoot: (el) => (el === host ? root : null),
    });
    await settle();
    const editor = root.getElementById('editor') as HTMLElement;
    typeInto(editor, 'OFFICIAL-SENSITIVE');
    await vi.waitFor(() => expect(badgeFor()?.getAttribute('data-count')).toBe('1'));
    (root.getElementById('send') as HTMLButtonElement).click();
    expect(clicks).toBe(0);
    expect(dialog()).not.toBeNull();
  });

  it('treats the body of a small framed composer as the composer', async () => {
    document.body.innerHTML = `<div id="editor" contenteditable="true"></div><button id="send" type="button">Post comment</button>`;
    document.getElementById('send')!.addEventListener('click', () => clicks++);
    start();
    typeInto(document.getElementById('editor')!, 'OFFICIAL-SENSITIVE');
    await settle();
    (document.getElementById('send') as HTMLButtonElement).click();
    expect(clicks).toBe(0);
    expect(dialog()).not.toBeNull();
  });

  it('stops cleanly: no badges, no interception after stop()', async () => {
    const { textarea, button } = wordpressForm();
    start();
    typeInto(textarea, 'OFFICIAL-SENSITIVE');
    await vi.waitFor(() => expect(badgeFor()).not.toBeNull());
    guard.stop();
    expect(badgeFor()).toBeNull();
    button.click();
    expect(submits).toBe(1);
  });
});

describe("the organisation's site settings", () => {
  it('without an override for block findings, the dialog offers only "Edit draft"', async () => {
    const { textarea, button } = wordpressForm();
    start();
    guard.applySiteSettings({ enabled: true, allowOverride: { info: true, warning: true, block: false } });
    typeInto(textarea, 'The briefing is OFFICIAL-SENSITIVE.');
    await settle();
    button.click();
    await vi.waitFor(() => expect(dialog()).not.toBeNull());
    const names = Array.from(dialog()!.shadowRoot!.querySelectorAll('button')).map((b) => b.textContent?.trim());
    expect(names).toEqual(['Edit draft']);
    expect(dialog()!.shadowRoot!.textContent).toContain('does not allow posting this without changes');
    expect(submits).toBe(0);
  });

  it('a warning the policy lets through still offers "Post anyway"', async () => {
    const { textarea, button } = wordpressForm();
    start();
    guard.applySiteSettings({ enabled: true, allowOverride: { info: true, warning: true, block: false } });
    typeInto(textarea, 'We guarantee it.');
    await settle();
    button.click();
    await vi.waitFor(() => expect(dialog()).not.toBeNull());
    dialogButton('Post anyway').click();
    expect(submits).toBe(1);
  });

  it('a site the policy switches off gets no checks, no badge and no guard', async () => {
    const { textarea, button } = wordpressForm();
    start();
    guard.applySiteSettings({ enabled: false, allowOverride: { info: true, warning: true, block: true } });
    typeInto(textarea, 'The briefing is OFFICIAL-SENSITIVE.');
    await new Promise((r) => setTimeout(r, 50));
    expect(checked).toEqual([]);
    expect(badgeFor()).toBeNull();
    button.click();
    expect(dialog()).toBeNull();
    expect(submits).toBe(1);
  });
});
