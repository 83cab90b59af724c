/**
 * Reading a draft out of a reply field as the plain text the engine checks, with a map from draft
 * offsets (UTF-16 code units, as the engine's findings use) back to DOM positions, so findings can
 * be underlined and fixed in place.
 *
 * textarea / input: the draft is the value and offsets are value offsets.
 * contenteditable: the draft approximates what the user sees (innerText): block elements and <br>
 * make newlines, source whitespace collapses unless the editor preserves it (pre-wrap, as most rich
 * editors do), no-break spaces read as spaces. Layout is never queried (one getComputedStyle of the
 * host at most), so reading a 5,000-character draft stays well under a millisecond or two.
 */
import { isInput, isTextarea } from './find-reply-fields';

export interface DomPosition {
  node: Node;
  offset: number;
}

/** A run of draft characters that are, one for one, characters of one text node. */
interface Piece {
  start: number;
  node: Text;
  nodeStart: number;
  length: number;
}

export interface ValueDraftMap {
  kind: 'value';
  /** Draft offsets are offsets into element.value. */
  element: HTMLTextAreaElement | HTMLInputElement;
}

export interface Draft {
  text: string;
  map: ValueDraftMap | DomDraftMap;
}

export interface ReadOptions {
  /** Keep source whitespace as typed. Default: from the host's computed white-space. */
  preserveWhitespace?: boolean;
}

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hgroup', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table',
  'tbody', 'thead', 'tfoot', 'tr', 'td', 'th', 'caption', 'ul', 'menu',
]);

/** Content that is never part of the visible draft. */
const SKIPPED_TAGS = new Set(['script', 'style', 'template', 'noscript', 'img', 'svg', 'video', 'audio', 'canvas', 'iframe', 'object', 'textarea', 'input', 'select', 'button']);

const COLLAPSIBLE = /[ \t\n\r\f]/;

export class DomDraftMap {
  readonly kind = 'dom';

  constructor(
    readonly host: HTMLElement,
    private readonly pieces: readonly Piece[],
    readonly length: number,
  ) {}

  /**
   * The DOM boundary point at a draft offset. At an offset whose character has no DOM character
   * of its own (a newline made by a block or <br>), the boundary is the end of the text before it,
   * or the start of the next text when the draft starts there.
   */
  position(offset: number): DomPosition {
    this.assertInside(offset);
    const i = this.pieceIndexAtOrAfter(offset);
    const piece = this.pieces[i];
    if (piece && offset >= piece.start) return { node: piece.node, offset: piece.nodeStart + offset - piece.start };
    const before = this.pieces[i - 1];
    if (before) return { node: before.node, offset: before.nodeStart + before.length };
    if (piece) return { node: piece.node, offset: piece.nodeStart };
    return { node: this.host, offset: 0 };
  }

  /** A DOM Range covering draft characters [start, end). */
  toRange(start: number, end: number): Range {
    this.assertInside(start);
    this.assertInside(end);
    if (end < start) throw new RangeError(`draft range ${start}..${end} ends before it starts`);
    const range = this.host.ownerDocument.createRange();
    const s = this.startBoundary(start, end);
    const e = end === start ? s : this.endBoundary(end);
    range.setStart(s.node, s.offset);
    range.setEnd(e.node, e.offset);
    return range;
  }

  /** The draft offset of a DOM boundary point inside the host (e.g. the caret). */
  offsetOf(node: Node, offset: number): number {
    if (node.nodeType === Node.TEXT_NODE) {
      let best: number | null = null;
      for (const p of this.pieces) {
        if (p.node !== node) continue;
        if (offset < p.nodeStart) return best ?? p.start;
        if (offset <= p.nodeStart + p.length) return p.start + offset - p.nodeStart;
        best = p.start + p.length; // inside collapsed whitespace after this piece
      }
      if (best !== null) return best;
      return this.offsetBeforeNode(node);
    }
    const child = node.childNodes[offset];
    if (child) return this.offsetBeforeNode(child);
    return this.offsetAfterNode(node);
  }

  private assertInside(offset: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset > this.length) {
      throw new RangeError(`offset ${offset} is outside the draft (0..${this.length})`);
    }
  }

  /** Index of the first piece that contains `offset` or starts after it (pieces.length if none). */
  private pieceIndexAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.pieces.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const p = this.pieces[mid]!;
      if (p.start + p.length <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Start of a non-empty span: skip forward over characters without DOM text (newlines). */
  private startBoundary(start: number, end: number): DomPosition {
    const piece = this.pieces[this.pieceIndexAtOrAfter(start)];
    if (piece && piece.start < Math.max(end, start + 1)) {
      const at = Math.max(start, piece.start);
      return { node: piece.node, offset: piece.nodeStart + at - piece.start };
    }
    return this.position(start);
  }

  /** End of a span: just after its last character that has DOM text. */
  private endBoundary(end: number): DomPosition {
    if (end === 0) return this.position(0);
    const i = this.pieceIndexAtOrAfter(end - 1);
    const piece = this.pieces[i];
    if (piece && piece.start <= end - 1) return { node: piece.node, offset: piece.nodeStart + end - piece.start };
    const before = this.pieces[i - 1];
    if (before) return { node: before.node, offset: before.nodeStart + before.length };
    return this.position(end);
  }

  private offsetBeforeNode(node: Node): number {
    for (const p of this.pieces) {
      if (p.node === node || node.contains(p.node) || precedes(node, p.node)) return p.start;
    }
    return this.length;
  }

  private offsetAfterNode(node: Node): number {
    let result = 0;
    for (const p of this.pieces) {
      if (node.contains(p.node) || precedes(p.node, node)) result = p.start + p.length;
      else break;
    }
    return result;
  }
}

function precedes(a: Node, b: Node): boolean {
  return (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0 && !a.contains(b);
}

/** Walks a contenteditable host, building the draft text and its pieces. */
class DraftBuilder {
  private text = '';
  private readonly pieces: Piece[] = [];
  /** The current line has visible content (a block boundary or <br> must end it). */
  private lineOpen = false;
  /** A block ended or began after visible content: emit one newline before the next content. */
  private blockBreak = false;
  /** A collapsed space waiting for more content on the line (dropped at a line end). */
  private pendingSpace: { node: Text; offset: number } | null = null;

  constructor(private readonly preserve: boolean) {}

  build(host: HTMLElement): DomDraftMap {
    this.children(host);
    return new DomDraftMap(host, this.pieces, this.text.length);
  }

  private children(parent: Node): void {
    for (let child = parent.firstChild; child; child = child.nextSibling) this.node(child);
  }

  private node(node: Node): void {
    if (node.nodeType === Node.TEXT_NODE) return this.textNode(node as Text);
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const el = node as Element;
    const tag = el.localName;
    if (SKIPPED_TAGS.has(tag) || tag.startsWith('replyguard-') || el.hasAttribute('hidden')) return;
    if (tag === 'br') return this.lineBreak();
    const block = BLOCK_TAGS.has(tag);
    if (block) this.boundary();
    this.children(el);
    if (block) this.boundary();
  }

  private boundary(): void {
    this.pendingSpace = null;
    if (this.lineOpen) {
      this.blockBreak = true;
      this.lineOpen = false;
    }
  }

  private lineBreak(): void {
    this.pendingSpace = null;
    this.flushBlockBreak();
    this.emitSynthetic('\n');
    this.lineOpen = false;
  }

  private flushBlockBreak(): void {
    if (this.blockBreak) {
      this.blockBreak = false;
      if (this.text.length > 0) this.emitSynthetic('\n');
    }
  }

  private textNode(node: Text): void {
    const data = node.data;
    if (this.preserve) {
      if (data.trim() === '' && besideBlock(node)) return; // source indentation between blocks
      for (let i = 0; i < data.length; i++) this.emitChar(data[i]!, node, i);
      return;
    }
    for (let i = 0; i < data.length; i++) {
      const ch = data[i]!;
      if (COLLAPSIBLE.test(ch)) {
        if (this.lineOpen && !this.pendingSpace) this.pendingSpace = { node, offset: i };
        continue;
      }
      if (this.pendingSpace) {
        const space = this.pendingSpace;
        this.pendingSpace = null;
        this.emitChar(' ', space.node, space.offset);
      }
      this.emitChar(ch, node, i);
    }
  }

  private emitChar(ch: string, node: Text, offset: number): void {
    this.flushBlockBreak();
    const start = this.text.length;
    this.text += ch === '\u00a0' ? ' ' : ch;
    this.lineOpen = ch !== '\n'; // a newline kept by pre-wrap ends the line
    const last = this.pieces[this.pieces.length - 1];
    if (last && last.node === node && last.start + last.length === start && last.nodeStart + last.length === offset) {
      last.length++;
    } else {
      this.pieces.push({ start, node, nodeStart: offset, length: 1 });
    }
  }

  private emitSynthetic(ch: string): void {
    this.text += ch;
  }

  get draftText(): string {
    return this.text;
  }
}

function besideBlock(node: Text): boolean {
  const isBlock = (n: Node | null) => !!n && n.nodeType === Node.ELEMENT_NODE && BLOCK_TAGS.has((n as Element).localName);
  return isBlock(node.previousSibling) || isBlock(node.nextSibling);
}

function preservesWhitespace(host: HTMLElement): boolean {
  const view = host.ownerDocument.defaultView;
  const ws = view?.getComputedStyle(host).whiteSpace ?? '';
  return ws.startsWith('pre') || ws === 'break-spaces';
}

/** Reads the draft in a reply field (textarea, input or contenteditable host). */
export function readDraft(field: HTMLElement, options: ReadOptions = {}): Draft {
  if (isTextarea(field) || isInput(field)) return { text: field.value, map: { kind: 'value', element: field } };
  const builder = new DraftBuilder(options.preserveWhitespace ?? preservesWhitespace(field));
  const map = builder.build(field);
  return { text: builder.draftText, map };
}
