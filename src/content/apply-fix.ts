/**
 * Applying a quick fix: replacing one flagged span of the draft, and nothing else, through the
 * editor's own input pipeline so that React-controlled inputs, editor state and undo stay right.
 *
 * - textarea / input: select the span, document.execCommand('insertText') — a native edit: the
 *   page sees a real input event and the browser's undo (Ctrl+Z) restores the span.
 * - contenteditable: select the span, then offer the edit as a cancelable `beforeinput`
 *   (insertReplacementText, as a spellchecker's replacement arrives) to editors that apply edits
 *   themselves (Lexical, Slate, CKEditor 5, Trix); if none takes it, execCommand('insertText'),
 *   which editors that watch the DOM (ProseMirror, Quill, Draft.js, CodeMirror) pick up. TinyMCE
 *   gets the text as a paste, which it applies through its own commands (its undo then has the
 *   fix as a step of its own).
 *
 * This is the only place ReplyGuard ever writes into a field, and only when the user chose a fix.
 */
import { editorOf, isInput, isTextarea } from './find-reply-fields';
import { readDraft, type DomDraftMap } from './read-draft';

export type FixResult = 'applied' | 'changed' | 'failed';

/** document.execCommand('insertText'): a native, undoable edit; false where there is none. */
function insertText(doc: Document, text: string): boolean {
  return typeof doc.execCommand === 'function' && doc.execCommand('insertText', false, text);
}

/** Lets a framework editor re-render before the result is read. */
const nextFrame = (win: Window) => new Promise<void>((resolve) => win.setTimeout(resolve, 30));

/**
 * Replaces draft characters [start, end) with `replacement`, if the field still holds
 * `checkedText`. 'changed': the draft changed since the check, nothing was done; 'failed': the
 * editor did not end up with the expected text.
 */
export async function applyFix(field: HTMLElement, checkedText: string, start: number, end: number, replacement: string): Promise<FixResult> {
  const doc = field.ownerDocument;
  const win = doc.defaultView!;
  const draft = readDraft(field);
  if (draft.text !== checkedText) return 'changed';
  const expected = checkedText.slice(0, start) + replacement + checkedText.slice(end);
  field.focus({ preventScroll: true });

  if (isTextarea(field) || isInput(field)) {
    field.setSelectionRange(start, end);
    if (!insertText(doc, replacement) || field.value !== expected) {
      // No editing command here (old engines): set the value the way a user edit would look.
      if (field.value === checkedText) {
        field.setRangeText(replacement, start, end, 'end');
        field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertReplacementText', data: replacement }));
      }
    }
    return field.value === expected ? 'applied' : 'failed';
  }

  const range = (draft.map as DomDraftMap).toRange(start, end);
  const selection = doc.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  // Let the editor see the new selection first (selectionchange is dispatched later, as a task):
  // editors close their typing batch on a selection change, so the fix is its own undo step.
  await nextFrame(win);
  if (readDraft(field).text !== checkedText) return 'changed';
  const data = new DataTransfer();
  data.setData('text/plain', replacement);
  if (editorOf(field) === 'tinymce') {
    // TinyMCE inserts a paste through its own commands, which close the typing undo level first.
    const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true });
    field.dispatchEvent(paste);
    if (paste.defaultPrevented) {
      await nextFrame(win);
      if (readDraft(field).text === expected) return 'applied';
      return 'failed';
    }
  }
  const before = new InputEvent('beforeinput', {
    inputType: 'insertReplacementText',
    data: replacement,
    dataTransfer: data,
    targetRanges: [new StaticRange(range)],
    bubbles: true,
    cancelable: true,
    composed: true,
  });
  field.dispatchEvent(before);
  if (!before.defaultPrevented) insertText(doc, replacement);
  if (readDraft(field).text !== expected) await nextFrame(win);
  return readDraft(field).text === expected ? 'applied' : 'failed';
}
