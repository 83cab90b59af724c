/**
 * When the finding cards open and close: hovering an underline (after a short pause), clicking
 * into flagged words, or moving the caret into them with the keyboard. One card at a time; typing
 * closes it (the spans move).
 */
import type { Finding } from '../engine/types';
import type { FieldSession } from './field-session';
import { openFixCard, REDACTED, type CardAction, type FixCard } from './fix-card';
import type { Box } from './underlines';

const HOVER_OPEN_MS = 300;
const HOVER_CLOSE_MS = 400;
const CARET_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

export class FixCards {
  private card: FixCard | null = null;
  private session: FieldSession | null = null;
  private openTimer: ReturnType<typeof setTimeout> | null = null;
  private closeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly doc: Document,
    private readonly sessions: () => Iterable<FieldSession>,
  ) {}

  /** The pointer moved (viewport coordinates); `overCard`: it is over the open card. */
  hover(x: number, y: number, overCard: boolean): void {
    if (overCard) return this.cancelClose();
    for (const session of this.sessions()) {
      const hit = session.findingAt(x, y);
      if (!hit) continue;
      this.cancelClose();
      if (this.card && this.card.finding === hit.finding) return;
      this.later('open', HOVER_OPEN_MS, () => this.open(session, hit.finding, hit.box));
      return;
    }
    if (this.openTimer) clearTimeout(this.openTimer);
    this.openTimer = null;
    if (this.card && !this.closeTimer) this.later('close', HOVER_CLOSE_MS, () => this.close());
  }

  /** The user clicked in a field or moved its caret: open the card of the finding at the caret. */
  caretMoved(session: FieldSession, event?: KeyboardEvent): void {
    if (event && !CARET_KEYS.has(event.key)) return;
    setTimeout(() => {
      const finding = session.findingAtCaret();
      if (!finding) {
        if (this.session === session) this.close();
        return;
      }
      if (this.card?.finding === finding) return;
      // Under the words; under the field if they are not drawn (scrolled out of its view).
      const r = session.element.getBoundingClientRect();
      this.open(session, finding, session.boxOf(finding) ?? { left: r.left, top: r.top, width: r.width, height: r.height });
    }, 0);
  }

  /** Keys in a field while a card is open: Alt+ArrowDown moves into the card, Escape closes it. */
  keyDown(session: FieldSession, event: KeyboardEvent): void {
    if (!this.card || this.session !== session) return;
    if (event.key === 'ArrowDown' && event.altKey) {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.card.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.close();
    }
  }

  /** The draft changed: the open card's span may have moved. */
  typed(session: FieldSession): void {
    if (this.session === session) this.close();
  }

  isOpen(): boolean {
    return this.card !== null;
  }

  isCard(node: Node | null): boolean {
    return !!this.card?.contains(node);
  }

  close(): void {
    this.cancelClose();
    if (this.openTimer) clearTimeout(this.openTimer);
    this.openTimer = null;
    const card = this.card;
    this.card = null;
    this.session = null;
    card?.close();
  }

  private open(session: FieldSession, finding: Finding, anchor: Box): void {
    this.close();
    const replacement = finding.suggestion?.replacement;
    const fix = (text: string) => () => {
      this.close();
      void session.fix(finding, text);
    };
    const actions: CardAction[] = [];
    if (replacement !== undefined && replacement !== REDACTED) actions.push({ label: `Replace with “${replacement}”`, run: fix(replacement) });
    actions.push({ label: 'Redact', run: fix(REDACTED) });
    actions.push({
      label: 'Ignore once',
      run: () => {
        this.close();
        session.ignore(finding);
        session.element.focus({ preventScroll: true });
      },
    });
    this.session = session;
    this.card = openFixCard(this.doc, finding, anchor, actions, () => {
      // Closed from inside (Escape in the card): give the keyboard back to the field.
      if (this.session === session) {
        this.card = null;
        this.session = null;
        session.element.focus({ preventScroll: true });
      }
    });
  }

  private later(kind: 'open' | 'close', ms: number, run: () => void): void {
    if (kind === 'open') {
      if (this.openTimer) clearTimeout(this.openTimer);
      this.openTimer = setTimeout(() => ((this.openTimer = null), run()), ms);
    } else {
      this.closeTimer = setTimeout(() => ((this.closeTimer = null), run()), ms);
    }
  }

  private cancelClose(): void {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
  }
}
