// @vitest-environment happy-dom
/**
 * The content script's outcome records: a stand-in checker, the real ReplyGuard wiring and guard
 * dialog, and the DraftEvents the page would send to the background.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DraftEvent } from '../../src/background/protocol';
import type { Finding } from '../../src/engine/types';
import { applyFix } from '../../src/content/apply-fix';
import { Badge } from '../../src/content/badge';
import { draftEvents, type DraftEvents } from '../../src/content/draft-events';
import { FixCards } from '../../src/content/fix-cards';
import { openGuardDialog } from '../../src/content/guard-dialog';
import { startReplyGuard, type ReplyGuard } from '../../src/content/replyguard';
import { provideUi } from '../../src/content/ui';
import { Underlines } from '../../src/content/underlines';

provideUi({ Badge, Underlines, FixCards, openGuardDialog, applyFix, draftEvents });

/** "guarantee" is an enforced warning, "trial-rule" an audit-mode warning. */
async function fakeCheck(text: string): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const [word, mode] of [
    ['guarantee', 'enforce'],
    ['trial-rule', 'audit'],
  ] as const) {
    const start = text.indexOf(word);
    if (start < 0) continue;
    out.push({
      rule: `test.${word}`,
      pack: 'test',
      category: 'commitment',
      severity: 'warning',
      mode,
      message: 'm',
      start,
      end: start + word.length,
      excerpt: word,
      clause: { id: 'commitments', title: 'Commitments', url: null },
    });
  }
  return out;
}

let guard: ReplyGuard;
let drafts: DraftEvents;
let sent: DraftEvent[];
let submits: number;

function page() {
  document.body.innerHTML = `
    <form id="f"><textarea id="comment"></textarea><input type="submit" id="submit" value="Post Comment"></form>`;
  document.getElementById('f')!.addEventListener('submit', (e) => {
    e.preventDefault();
    submits++;
  });
  const textarea = document.getElementById('comment') as HTMLTextAreaElement;
  const button = document.getElementById('submit') as HTMLInputElement;
  return { textarea, button };
}

function type(field: HTMLTextAreaElement, text: string) {
  field.focus();
  field.value = text;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

async function settle() {
  await guard.whenIdle();
  await new Promise((r) => setTimeout(r, 0));
}

function dialogButton(name: string): HTMLButtonElement {
  const root = document.querySelector('replyguard-guard')!.shadowRoot!;
  return Array.from(root.querySelectorAll('button')).find((b) => b.textContent?.trim() === name)!;
}

const kinds = () => sent.map((e) => e.kind);

beforeEach(() => {
  sent = [];
  submits = 0;
  drafts = draftEvents(async (e) => void sent.push(e), window, (() => {
    let n = 0;
    return () => `draft-${++n}`;
  })());
  guard = startReplyGuard({ document, check: fakeCheck, debounceMs: 5, drafts });
});

afterEach(() => {
  guard.stop();
  drafts.stop();
  document.body.innerHTML = '';
  document.querySelectorAll('replyguard-badge, replyguard-guard, replyguard-underlines').forEach((e) => e.remove());
});

describe('draft events', () => {
  it('flagged, edited, then posted clean: one draftId, the text and findings of each step', async () => {
    const { textarea, button } = page();
    type(textarea, 'We guarantee a reply.');
    await settle();
    button.click();
    dialogButton('Edit draft').click();
    type(textarea, 'We aim to reply.');
    await settle();
    button.click();
    await settle();
    expect(submits).toBe(1);
    expect(kinds()).toEqual(['flagged', 'edited', 'posted']);
    expect(new Set(sent.map((e) => e.draftId))).toEqual(new Set(['draft-1']));
    expect(sent[0]).toMatchObject({ type: 'draft-event', text: 'We guarantee a reply.', action: 'click' });
    expect(sent[0]!.findings.map((f) => f.rule)).toEqual(['test.guarantee']);
    expect(sent[2]).toMatchObject({ text: 'We aim to reply.', findings: [] });
  });

  it('"Post anyway" ends the draft; the next risky draft in the same field is a new one', async () => {
    const { textarea, button } = page();
    type(textarea, 'We guarantee it.');
    await settle();
    button.click();
    dialogButton('Post anyway').click();
    await settle();
    expect(kinds()).toEqual(['flagged', 'posted-anyway']);
    type(textarea, 'We guarantee it again.');
    await settle();
    button.click();
    expect(sent.at(-1)).toMatchObject({ kind: 'flagged', draftId: 'draft-2' });
  });

  it('a clean post is not recorded; a post with only audit-mode findings is', async () => {
    const { textarea, button } = page();
    type(textarea, 'Thanks, see you Friday.');
    await settle();
    button.click();
    expect(sent).toEqual([]);
    type(textarea, 'Thanks, trial-rule applies.');
    await settle();
    button.click();
    expect(submits).toBe(2);
    expect(kinds()).toEqual(['posted']);
    expect(sent[0]!.findings[0]!.mode).toBe('audit');
  });

  it('a flagged draft emptied by the writer is abandoned (a second after the last keystroke)', async () => {
    const { textarea, button } = page();
    type(textarea, 'We guarantee it.');
    await settle();
    button.click();
    dialogButton('Edit draft').click();
    type(textarea, '');
    await new Promise((r) => setTimeout(r, 1100));
    expect(kinds()).toEqual(['flagged', 'edited', 'abandoned']);
  });

  it('a flagged draft whose field is removed, or whose page is left, is abandoned', async () => {
    const { textarea, button } = page();
    type(textarea, 'We guarantee it.');
    await settle();
    button.click();
    dialogButton('Edit draft').click();
    document.getElementById('f')!.remove();
    await new Promise((r) => setTimeout(r, 10));
    expect(kinds()).toEqual(['flagged', 'edited', 'abandoned']);

    const second = page();
    type(second.textarea, 'We guarantee more.');
    await settle();
    second.button.click();
    dialogButton('Edit draft').click();
    window.dispatchEvent(new Event('pagehide'));
    expect(kinds()).toEqual(['flagged', 'edited', 'abandoned', 'flagged', 'edited', 'abandoned']);
    expect(sent.at(-1)!.draftId).toBe('draft-2');
  });
});
