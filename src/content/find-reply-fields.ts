/**
 * Finding the boxes people write replies in: textareas, reply-like single-line inputs,
 * contenteditable editing hosts (the host, never each editable child) and the rich editors built
 * on them, in the light DOM and in shadow roots.
 *
 * Deliberately cheap and free of layout queries (no getComputedStyle / getClientRects): it runs on
 * every page load and on every batch of added nodes. Fields that are hidden at load and revealed
 * later are caught again by the focusin path (replyFieldFor).
 */

export type FieldKind = 'textarea' | 'input' | 'contenteditable';

/** Rich editors recognised by the marker they put on their editing host. */
export type EditorKind =
  | 'draftjs'
  | 'lexical'
  | 'prosemirror'
  | 'slate'
  | 'quill'
  | 'ckeditor5'
  | 'trix'
  | 'codemirror6'
  | 'tinymce';

export interface ReplyField {
  element: HTMLElement;
  kind: FieldKind;
  /** null for a plain textarea, input or contenteditable. */
  editor: EditorKind | null;
}

export interface FindOptions {
  /** chrome.dom.openOrClosedShadowRoot where the browser has it: also reaches closed roots. */
  openOrClosedShadowRoot?: (element: Element) => ShadowRoot | null;
  /** Called with every shadow root the walk enters (to observe it and listen inside it). */
  onShadowRoot?: (root: ShadowRoot) => void;
}

/** The page's explicit opt-out (on the field or any ancestor) and opt-in (for text inputs). */
export const OPT_ATTRIBUTE = 'data-replyguard';

const REPLY_HINT = /comment|reply|repl(y|ies)|message|chat|post|tweet|toot|status|compose|respon|answer|feedback|caption|write|say something|what.s on your mind|what.s happening/i;
const SEARCH_HINT = /search|query|filter|find|^q$/i;
/** autocomplete tokens of personal details: a form field for these is never a reply box. */
const PERSONAL_AUTOCOMPLETE = /\b(name|given-name|family-name|nickname|username|email|tel|address|street|postal|country|organization|cc-|one-time-code|current-password|new-password|url|bday)/i;

// Tag checks by name, not instanceof: nodes from another realm (a same-origin iframe, a test
// DOM) fail instanceof against this script's classes.
export function isTextarea(element: Element): element is HTMLTextAreaElement {
  return element.localName === 'textarea';
}

export function isInput(element: Element): element is HTMLInputElement {
  return element.localName === 'input';
}

/** The editing-host state an element sets for itself: true, false, or null (inherit). */
function ownEditable(element: Element): boolean | null {
  const value = element.getAttribute('contenteditable');
  if (value === null) return null;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'true' || v === 'plaintext-only') return true;
  if (v === 'false') return false;
  return null; // an invalid value inherits
}

/**
 * The outermost element at or above `element` (in its own tree) that makes content editable.
 * Outermost rather than nearest: an editable island inside a non-editable widget inside an editor
 * (a CKEditor caption, a mention chip) is part of that editor's draft.
 */
function outermostEditingHost(element: Element): HTMLElement | null {
  let host: HTMLElement | null = null;
  for (let el: Element | null = element; el; el = el.parentElement) {
    if (ownEditable(el) === true) host = el as HTMLElement;
  }
  const doc = element.ownerDocument;
  if (!host && doc.designMode === 'on' && doc.body?.contains(element)) return doc.body;
  return host;
}

/** Walks up through parents and across shadow boundaries to the shadow hosts. */
function composedAncestors(element: Element): Element[] {
  const out: Element[] = [];
  let node: Node | null = element;
  while (node) {
    if (node.nodeType === Node.ELEMENT_NODE) out.push(node as Element);
    node = node.parentNode ?? null;
    if (node && node.nodeType === Node.DOCUMENT_FRAGMENT_NODE) node = (node as ShadowRoot).host ?? null;
  }
  return out;
}

/** Opted out, or hidden by an attribute on itself or an ancestor. */
function excludedByAncestors(element: Element): boolean {
  for (const el of composedAncestors(element)) {
    if (el.getAttribute(OPT_ATTRIBUTE) === 'off') return true;
    if (el.hasAttribute('hidden')) return true;
  }
  return false;
}

function unusable(element: HTMLElement): boolean {
  if (element.getAttribute('aria-hidden') === 'true') return true;
  if (element.style.display === 'none' || element.style.visibility === 'hidden') return true;
  if (isTextarea(element) || isInput(element)) {
    if (element.disabled || element.readOnly || element.closest('fieldset[disabled]')) return true;
  }
  return excludedByAncestors(element);
}

function hintText(input: HTMLInputElement): string {
  return [
    input.name,
    input.id,
    input.placeholder,
    input.getAttribute('aria-label') ?? '',
    input.title,
    input.getAttribute('enterkeyhint') === 'send' ? 'message' : '',
  ].join(' ');
}

/** A single-line input someone would type a reply into (chat boxes, comment inputs). */
function isReplyInput(input: HTMLInputElement): boolean {
  const type = (input.getAttribute('type') ?? 'text').toLowerCase();
  if (type !== 'text') return false;
  if (input.getAttribute(OPT_ATTRIBUTE) === 'on') return true;
  const role = input.getAttribute('role');
  if (role === 'combobox' || role === 'searchbox') return false;
  if (PERSONAL_AUTOCOMPLETE.test(input.getAttribute('autocomplete') ?? '')) return false;
  if (SEARCH_HINT.test(input.name) || SEARCH_HINT.test(input.id) || SEARCH_HINT.test(input.placeholder)) return false;
  if (input.closest('[role="search"], search')) return false;
  return REPLY_HINT.test(hintText(input));
}

export function editorOf(host: Element): EditorKind | null {
  const cls = host.classList;
  if (cls.contains('public-DraftEditor-content')) return 'draftjs';
  if (host.hasAttribute('data-lexical-editor')) return 'lexical';
  if (cls.contains('ProseMirror')) return 'prosemirror';
  if (host.hasAttribute('data-slate-editor')) return 'slate';
  if (cls.contains('ql-editor')) return 'quill';
  if (cls.contains('ck-editor__editable')) return 'ckeditor5';
  if (host.localName === 'trix-editor') return 'trix';
  if (cls.contains('cm-content')) return 'codemirror6';
  if (cls.contains('mce-content-body')) return 'tinymce';
  return null;
}

/** The field an element is, or null if it is not a usable reply field. */
function asField(element: Element): ReplyField | null {
  if (isTextarea(element)) {
    return unusable(element) ? null : { element, kind: 'textarea', editor: null };
  }
  if (isInput(element)) {
    return isReplyInput(element) && !unusable(element) ? { element, kind: 'input', editor: null } : null;
  }
  if (ownEditable(element) === true && outermostEditingHost(element) === element) {
    const host = element as HTMLElement;
    return unusable(host) ? null : { element: host, kind: 'contenteditable', editor: editorOf(host) };
  }
  return null;
}

/**
 * The reply field a node belongs to: the textarea/input itself, or the editing host of a node
 * inside a contenteditable. Used for focusin and input events, whose target may be deep inside.
 */
export function replyFieldFor(node: Node): ReplyField | null {
  const element = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  if (!element) return null;
  if (isTextarea(element) || isInput(element)) return asField(element);
  const host = outermostEditingHost(element);
  if (!host) return null;
  if (host === element.ownerDocument.body && element.ownerDocument.designMode === 'on') {
    return excludedByAncestors(host) ? null : { element: host, kind: 'contenteditable', editor: null };
  }
  return asField(host);
}

/**
 * Firefox has no chrome.dom: its content scripts see a read-only element.openOrClosedShadowRoot
 * property instead (Firefox 63+), which reaches closed roots too. Absent in Chromium and on pages.
 */
function firefoxOpenOrClosedShadowRoot(element: Element): ShadowRoot | null {
  return (element as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ?? null;
}

/**
 * Every reply field under `root` (a document, shadow root or element, the element itself
 * included), in document order, descending into shadow roots.
 */
export function findReplyFields(root: Document | ShadowRoot | Element, options: FindOptions = {}): ReplyField[] {
  const doc = root.nodeType === Node.DOCUMENT_NODE ? (root as Document) : root.ownerDocument!;
  if (doc.designMode === 'on' && doc.body && (root === doc || root === doc.body || root === doc.documentElement)) {
    return excludedByAncestors(doc.body) ? [] : [{ element: doc.body, kind: 'contenteditable', editor: null }];
  }
  const found: ReplyField[] = [];
  const visit = (element: Element): void => {
    const field = asField(element);
    if (field) {
      found.push(field);
      return; // a field's own subtree holds no further fields
    }
    const shadow = element.shadowRoot ?? options.openOrClosedShadowRoot?.(element) ?? firefoxOpenOrClosedShadowRoot(element);
    if (shadow) {
      options.onShadowRoot?.(shadow);
      visitChildren(shadow);
    }
    // Editable descendants of a contenteditable host belong to it; a host that is not usable
    // (opted out, hidden) hides them too.
    if (ownEditable(element) === true) return;
    visitChildren(element);
  };
  const visitChildren = (parent: ParentNode): void => {
    for (let child = parent.firstElementChild; child; child = child.nextElementSibling) visit(child);
  };
  if (root.nodeType === Node.ELEMENT_NODE) visit(root as Element);
  else visitChildren(root);
  return found;
}
