// @vitest-environment happy-dom
/**
 * The content script's answers to the popup (src/content/page-status.ts), on real FieldSessions
 * in a DOM with a stand-in checker: the fields and their states, the focused one, go to finding
 * (selection in a textarea and in a contenteditable), ignore once, and stale or unknown targets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FieldSession, type Checker } from '../../../src/content/field-session';
import { findReplyFields } from '../../../src/content/find-reply-fields';
import {
  answerPopup,
  GO_TO_FINDING_MESSAGE,
  IGNORE_FINDING_MESSAGE,
  PAGE_STATUS_MESSAGE,
  SITE_PREFS_KEY,
  type PageStatus,
} from '../../../src/content/page-status';
import type { Finding } from '../../../src/engine/types';
import { SITE_PREFS_AREA_KEY } from '../../../src/settings/site-prefs';

/** Flags "guarantee" (warning) and "audit-me" (audit mode, never shown). */
const check: Checker = async (text) => {
  const out: Finding[] = [];
  for (const [word, mode] of [['guarantee', 'enforce'], ['audit-me', 'audit']] as const) {
    const i = text.indexOf(word);
    if (i >= 0)
      out.push({
        rule: `t.${word}`,
        pack: 'builtin',
        category: 'commitment',
        severity: 'warning',
        mode,
        message: `No "${word}"`,
        start: i,
        end: i + word.length,
        excerpt: word,
        clause: { id: 'commitments', title: 'Commitments', url: null },
      });
  }
  return out;
};

function sessionsFor(html: string): FieldSession[] {
  document.body.innerHTML = html;
  return findReplyFields(document).map((f) => new FieldSession(f, { check, debounceMs: 1, timeoutMs: 1000, silent: true }));
}

const status = (sessions: FieldSession[] | null) => answerPopup(document, sessions, { type: PAGE_STATUS_MESSAGE }) as PageStatus;

afterEach(() => {
  document.body.innerHTML = '';
});

describe('page status', () => {
  it('lists the fields with their labels, states and shown findings; the focused one is marked', async () => {
    const sessions = sessionsFor(`
      <label for="a">Your comment</label><textarea id="a"></textarea>
      <div contenteditable="true" aria-label="Reply to Sam"></div>`);
    const [textarea, editable] = sessions;
    (textarea!.element as HTMLTextAreaElement).value = 'We guarantee it. audit-me';
    editable!.element.textContent = '';
    textarea!.element.focus();
    // Not checked yet: asking starts a check (the writer opened the popup) and says "checking".
    let page = status(sessions);
    expect(page.running).toBe(true);
    expect(page.url).toBe(document.location.href);
    expect(page.fields.map((f) => [f.label, f.state, f.focused])).toEqual([
      ['Your comment', 'checking', true],
      ['Reply to Sam', 'empty', false],
    ]);
    await textarea!.idle();
    page = status(sessions);
    const first = page.fields[0]!;
    expect(first.state).toBe('checked');
    expect(first.text).toBe('We guarantee it. audit-me');
    // Audit-mode findings are recorded, never shown.
    expect(first.findings.map((f) => f.excerpt)).toEqual(['guarantee']);
    // Ids stay the same from one question to the next.
    expect(status(sessions).fields.map((f) => f.id)).toEqual(page.fields.map((f) => f.id));
  });

  it('reports a failed check as not checked, with the reason', async () => {
    document.body.innerHTML = '<textarea></textarea>';
    const [field] = findReplyFields(document);
    const session = new FieldSession(field!, { check: () => Promise.reject(new Error('engine down')), debounceMs: 1, timeoutMs: 1000, silent: true });
    (session.element as HTMLTextAreaElement).value = 'Hello';
    await session.checkNow();
    const [f] = status([session]).fields;
    expect(f!.state).toBe('not-checked');
    expect(f!.error).toBe('Error: engine down');
    expect(f!.findings).toEqual([]);
  });

  it('says not running when the site is switched off', () => {
    expect(status(null)).toEqual({ url: document.location.href, running: false, fields: [] });
    expect(answerPopup(document, null, { type: IGNORE_FINDING_MESSAGE, field: 1, finding: { rule: 'x', start: 0, end: 1, excerpt: 'x' } })).toEqual({
      ok: false,
      error: 'ReplyGuard is switched off on this site.',
    });
  });

  it('leaves other messages alone', () => {
    expect(answerPopup(document, [], { type: 'check', text: 'x' })).toBeUndefined();
    expect(answerPopup(document, [], null)).toBeUndefined();
  });

  it('uses the same storage key as site-prefs', () => {
    expect(SITE_PREFS_KEY).toBe(SITE_PREFS_AREA_KEY);
  });
});

describe('go to finding and ignore once', () => {
  it('selects the flagged words in a textarea', async () => {
    const [session] = sessionsFor('<textarea></textarea><button>x</button>');
    const textarea = session!.element as HTMLTextAreaElement;
    textarea.value = 'Yes, we guarantee delivery.';
    await session!.checkNow();
    (document.querySelector('button') as HTMLElement).focus();
    const [f] = status([session!]).fields;
    const target = f!.findings[0]!;
    expect(answerPopup(document, [session!], { type: GO_TO_FINDING_MESSAGE, field: f!.id, finding: target })).toEqual({ ok: true });
    expect(document.activeElement).toBe(textarea);
    expect(textarea.value.slice(textarea.selectionStart, textarea.selectionEnd)).toBe('guarantee');
  });

  it('selects the flagged words in a contenteditable', async () => {
    const [session] = sessionsFor('<div contenteditable="true"><p>Hello</p><p>we <b>guarantee</b> it</p></div>');
    await session!.checkNow();
    const [f] = status([session!]).fields;
    expect(f!.text).toBe('Hello\nwe guarantee it');
    expect(answerPopup(document, [session!], { type: GO_TO_FINDING_MESSAGE, field: f!.id, finding: f!.findings[0]! })).toEqual({ ok: true });
    expect(document.getSelection()!.toString()).toBe('guarantee');
  });

  it('ignores a finding once in that field', async () => {
    const [session] = sessionsFor('<textarea></textarea>');
    (session!.element as HTMLTextAreaElement).value = 'I guarantee it';
    await session!.checkNow();
    const [f] = status([session!]).fields;
    expect(answerPopup(document, [session!], { type: IGNORE_FINDING_MESSAGE, field: f!.id, finding: f!.findings[0]! })).toEqual({ ok: true });
    expect(status([session!]).fields[0]!.findings).toEqual([]);
  });

  it('refuses when the draft changed since the check, or the field is gone', async () => {
    const [session] = sessionsFor('<textarea></textarea>');
    const textarea = session!.element as HTMLTextAreaElement;
    textarea.value = 'I guarantee it';
    await session!.checkNow();
    const [f] = status([session!]).fields;
    textarea.value = 'I guarantee it, really';
    expect(answerPopup(document, [session!], { type: GO_TO_FINDING_MESSAGE, field: f!.id, finding: f!.findings[0]! })).toEqual({
      ok: false,
      error: 'The draft has changed since it was checked. Try again in a moment.',
    });
    expect(answerPopup(document, [session!], { type: GO_TO_FINDING_MESSAGE, field: 99999, finding: f!.findings[0]! })).toEqual({
      ok: false,
      error: 'That reply box is no longer on the page.',
    });
  });
});
