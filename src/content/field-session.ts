/**
 * One reply field being watched: debounced checks as the user types, the latest result, the
 * badge, and what the submit guard needs to decide (is the latest result for the current text?).
 */
import type { Finding } from '../engine/types';
import type { FixResult } from './apply-fix';
import type { Badge } from './badge';
import type { ReplyField } from './find-reply-fields';
import { isInput, isTextarea } from './find-reply-fields';
import { readDraft, type DomDraftMap } from './read-draft';
import { currentUi, loadUi } from './ui';
import type { Box, Underlines } from './underlines';
import { visible } from './findings';

/** "Ignore once" hides a finding of this rule on these words in this field, for this page. */
const ignoreKey = (f: Finding) => `${f.rule}\u0000${f.excerpt}`;

/** Checks a draft; rejects when the engine is unavailable. */
export type Checker = (text: string) => Promise<Finding[]>;

export interface CheckResult {
  text: string;
  /** not-checked: the engine failed or timed out; posting is not blocked. */
  status: 'checked' | 'not-checked';
  findings: Finding[];
  error?: string;
}

export interface SessionOptions {
  check: Checker;
  debounceMs: number;
  /** A check that takes longer than this counts as not checked (fail-open). */
  timeoutMs: number;
  /**
   * Resolves when the engine has loaded (packs compiled, NLP ready: seconds on a cold start);
   * the timeout counts from then, so a slow first load is not mistaken for a broken engine.
   */
  engineReady?: () => Promise<unknown>;
  /** Draw nothing (the field's own frame draws its badge and underlines). */
  silent?: boolean;
}

export class FieldSession {
  last: CheckResult | null = null;
  /** The site posts when Enter is pressed in this field (hinted or learned). */
  postsOnEnter: boolean;
  /** Selection in a contenteditable field when it last lost focus, to restore after the dialog. */
  savedRange: Range | null = null;
  private badge: Badge | null = null;
  private underlines: Underlines | null = null;
  private readonly ignored = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight: { text: string; promise: Promise<CheckResult> } | null = null;
  private idleWaiters: Array<() => void> = [];
  private disposed = false;

  constructor(
    readonly field: ReplyField,
    private readonly options: SessionOptions,
  ) {
    this.postsOnEnter = field.element.getAttribute('enterkeyhint') === 'send';
  }

  get element(): HTMLElement {
    return this.field.element;
  }

  currentText(): string {
    return readDraft(this.element).text;
  }

  /** The latest result is for the text in the field now (an empty field needs no check). */
  isFresh(text = this.currentText()): boolean {
    return text === '' || this.last?.text === text;
  }

  /** Findings of the latest result when it is fresh (minus ignored ones); fail-open: nothing when not checked. */
  freshFindings(text = this.currentText()): Finding[] | null {
    if (text === '') return [];
    if (this.last?.text !== text) return null;
    return this.last.status === 'checked' ? this.shown(this.last.findings) : [];
  }

  /** Findings minus the ones the user chose to ignore once. */
  shown(findings: readonly Finding[]): Finding[] {
    return this.ignored.size ? findings.filter((f) => !this.ignored.has(ignoreKey(f))) : [...findings];
  }

  ignore(finding: Finding): void {
    this.ignored.add(ignoreKey(finding));
    if (this.last) this.apply(this.last);
  }

  /** Replaces a finding's span of the checked draft; see applyFix. */
  fix(finding: Finding, replacement: string): Promise<FixResult> {
    if (!this.last) return Promise.resolve('changed');
    const { text } = this.last;
    // A fix is chosen from a card, so the UI is loaded by then.
    return loadUi().then((ui) => ui.applyFix(this.element, text, finding.start, finding.end, replacement));
  }

  /** The shown finding drawn at a point of the screen. */
  findingAt(x: number, y: number): { finding: Finding; box: Box } | null {
    return this.underlines?.findingAt(x, y) ?? null;
  }

  boxOf(finding: Finding): Box | null {
    return this.underlines?.boxOf(finding) ?? null;
  }

  /** The shown finding the caret is in (checked text only). */
  findingAtCaret(): Finding | null {
    const last = this.last;
    if (!last || last.status !== 'checked') return null;
    const el = this.element;
    let caret: number | null = null;
    if (isTextarea(el) || isInput(el)) {
      if (el.value === last.text) caret = el.selectionStart;
    } else {
      const selection = el.ownerDocument.getSelection();
      const node = selection?.focusNode;
      if (node && el.contains(node)) {
        const draft = readDraft(el);
        if (draft.text === last.text) caret = (draft.map as DomDraftMap).offsetOf(node, selection!.focusOffset);
      }
    }
    if (caret === null) return null;
    return visible(this.shown(last.findings)).find((f) => f.start <= caret! && caret! <= f.end) ?? null;
  }

  /** Check after the user stops typing for debounceMs. */
  schedule(): void {
    if (this.disposed) return;
    this.underlines?.reposition(); // hides them at once if the text no longer matches
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.checkNow();
    }, this.options.debounceMs);
  }

  /** Checks the current text now, reusing the latest or in-flight result for the same text. */
  checkNow(): Promise<CheckResult> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const text = this.currentText();
    // A failed check is retried (the service worker may have been starting); a result is reused.
    if (this.last?.text === text && this.last.status === 'checked') return this.settle(Promise.resolve(this.last));
    if (text === '') {
      const empty: CheckResult = { text, status: 'checked', findings: [] };
      this.apply(empty);
      return this.settle(Promise.resolve(empty));
    }
    if (this.inflight?.text === text) return this.inflight.promise;
    this.badge?.update({ status: 'checking', findings: this.last?.findings ?? [], empty: false });
    const promise = this.runCheck(text).then((result) => {
      if (this.inflight?.promise === promise) this.inflight = null;
      // A newer check may have started meanwhile; only the result for the current text is shown.
      if (!this.disposed && result.text === this.currentText()) this.apply(result);
      return result;
    });
    this.inflight = { text, promise };
    return this.settle(promise);
  }

  private runCheck(text: string): Promise<CheckResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ready = this.options.engineReady?.() ?? Promise.resolve();
    const timeout = ready.then(
      () =>
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
        }),
    );
    return Promise.race([this.options.check(text), timeout]).then(
      (findings): CheckResult => ({ text, status: 'checked', findings }),
      (error: unknown): CheckResult => ({ text, status: 'not-checked', findings: [], error: String(error) }),
    ).finally(() => clearTimeout(timer));
  }

  private apply(result: CheckResult): void {
    this.last = result;
    const empty = result.text === '';
    if (this.options.silent || (!this.badge && empty)) return;
    const ui = currentUi();
    if (!ui) {
      // The UI script is still loading (it starts on the first focus): draw once it is here,
      // if this is still the latest result. The guard needs only this.last, set above.
      void loadUi().then(
        () => !this.disposed && this.last === result && this.apply(result),
        () => undefined,
      );
      return;
    }
    this.badge ??= new ui.Badge(this.element);
    const findings = this.shown(result.findings);
    this.badge.update({ status: result.status === 'checked' ? 'checked' : 'not-checked', findings, empty });
    if (visible(findings).length) this.underlines ??= new ui.Underlines(this.element);
    this.underlines?.update(result.text, findings);
  }

  private settle(promise: Promise<CheckResult>): Promise<CheckResult> {
    return promise.finally(() => {
      if (!this.busy()) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  busy(): boolean {
    return this.timer !== null || this.inflight !== null;
  }

  /** Resolves once no check is scheduled or running (for tests and the submit guard). */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  reposition(): void {
    this.badge?.reposition();
    this.underlines?.reposition();
  }

  /**
   * A page that sets a textarea's or input's value itself (clearing the box after posting, a
   * "reply" button that pre-fills a mention) fires no input event: re-check when the value no
   * longer matches the last check, so the badge never describes text that is gone. Reading a
   * form field's value is cheap; contenteditable edits by the page are rarer and dearer to read.
   */
  noticeValueChange(): void {
    const el = this.element;
    if (this.busy() || !this.last || !(isTextarea(el) || isInput(el))) return;
    if (el.value !== this.last.text) this.schedule();
  }

  hasBadge(): boolean {
    return this.badge !== null;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inflight = null;
    this.badge?.remove();
    this.badge = null;
    this.underlines?.remove();
    this.underlines = null;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
