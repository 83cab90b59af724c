/**
 * Underlines under flagged spans, drawn in a <replyguard-underlines> host with an open shadow root
 * laid over the field and clipped to its client area. The editor's DOM is never touched.
 *
 * Where the words are: for a contenteditable, a DOM Range built from the draft map; for a textarea
 * or input, a hidden mirror element with the field's text metrics (font, padding, wrapping),
 * measured with a Range over its text and shifted by the field's scroll.
 *
 * Each underline carries data-rule, data-start, data-end and data-severity (a contract for tests).
 */
import type { Finding } from '../engine/types';
import { isInput, isTextarea } from './find-reply-fields';
import { visible } from './findings';
import { readDraft, type DomDraftMap } from './read-draft';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

const COLORS: Record<string, string> = { block: '#dc2626', warning: '#d97706', info: '#2563eb' };

/** Computed properties that decide where text wraps and how wide each character is. */
const MIRRORED = [
  'font-family', 'font-size', 'font-weight', 'font-style', 'font-variant', 'font-stretch', 'font-kerning',
  'letter-spacing', 'word-spacing', 'text-transform', 'text-indent', 'text-align', 'line-height', 'tab-size',
  'direction', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left', 'overflow-wrap', 'word-break',
];

export interface FindingBox {
  finding: Finding;
  /** The flagged text's box on screen (viewport coordinates), one per line it spans. */
  boxes: Box[];
}

export class Underlines {
  readonly host: HTMLElement;
  private readonly layer: HTMLElement;
  private mirror: HTMLElement | null = null;
  private findings: Finding[] = [];
  private text = '';
  /** Where each shown finding was drawn, for hovering; empty while hidden. */
  private drawn: FindingBox[] = [];

  constructor(private readonly field: HTMLElement) {
    const doc = field.ownerDocument;
    this.host = doc.createElement('replyguard-underlines');
    const s = this.host.style;
    s.setProperty('position', 'fixed', 'important');
    s.setProperty('overflow', 'hidden', 'important');
    s.setProperty('pointer-events', 'none', 'important');
    s.setProperty('z-index', '2147483645', 'important');
    s.setProperty('display', 'none', 'important');
    const root = this.host.attachShadow({ mode: 'open' });
    this.layer = doc.createElement('div');
    root.append(this.layer);
    (field.closest('dialog[open]') ?? doc.documentElement).append(this.host);
  }

  /** Shows the findings of a check of `text` (hidden while the field holds other text). */
  update(text: string, findings: readonly Finding[]): void {
    this.text = text;
    this.findings = visible(findings).filter((f) => f.end > f.start);
    this.reposition();
  }

  /** The finding drawn at a point of the screen (inside the field's visible area), if any. */
  findingAt(x: number, y: number): { finding: Finding; box: Box } | null {
    const clip = this.host.getBoundingClientRect();
    if (x < clip.left || x > clip.right || y < clip.top || y > clip.bottom) return null;
    for (const { finding, boxes } of this.drawn) {
      for (const box of boxes) {
        if (x >= box.left && x <= box.left + box.width && y >= box.top && y <= box.top + box.height) return { finding, box };
      }
    }
    return null;
  }

  /** Where a shown finding was drawn (its first line), if it is on screen. */
  boxOf(finding: Finding): Box | null {
    return this.drawn.find((d) => d.finding === finding)?.boxes[0] ?? null;
  }

  reposition(): void {
    const s = this.host.style;
    const rect = this.field.getBoundingClientRect();
    this.drawn = [];
    if (!this.findings.length || !this.field.isConnected || rect.width === 0 || rect.height === 0) {
      s.setProperty('display', 'none', 'important');
      return;
    }
    // Clip to the field's client area (inside borders, without scrollbars).
    const clip: Box = {
      left: rect.left + this.field.clientLeft,
      top: rect.top + this.field.clientTop,
      width: this.field.clientWidth || rect.width,
      height: this.field.clientHeight || rect.height,
    };
    // Shown before measuring: the mirror inside the host lays out only while the host does.
    s.setProperty('display', 'block', 'important');
    const spans = this.measure(rect);
    if (!spans) {
      s.setProperty('display', 'none', 'important'); // the text changed since the check
      return;
    }
    s.setProperty('left', `${clip.left}px`, 'important');
    s.setProperty('top', `${clip.top}px`, 'important');
    s.setProperty('width', `${clip.width}px`, 'important');
    s.setProperty('height', `${clip.height}px`, 'important');

    this.drawn = spans;
    const doc = this.field.ownerDocument;
    const lines: HTMLElement[] = [];
    spans.forEach(({ finding, boxes }) => {
      for (const b of boxes) {
        const line = doc.createElement('div');
        line.dataset.rule = finding.rule;
        line.dataset.start = String(finding.start);
        line.dataset.end = String(finding.end);
        line.dataset.severity = finding.severity;
        const color = COLORS[finding.severity] ?? COLORS.warning!;
        line.setAttribute(
          'style',
          `position:absolute;left:${b.left - clip.left}px;top:${b.top + b.height - clip.top - 2}px;width:${b.width}px;height:2px;` +
            `background:${color};border-radius:1px;opacity:.9`,
        );
        lines.push(line);
      }
    });
    this.layer.replaceChildren(...lines);
  }

  /** Viewport boxes of each finding's span, or null if the field's text is not the checked text. */
  private measure(rect: DOMRect): FindingBox[] | null {
    const el = this.field;
    if (isTextarea(el) || isInput(el)) {
      if (el.value !== this.text) return null;
      return this.measureInMirror(el, rect);
    }
    const draft = readDraft(el);
    if (draft.text !== this.text) return null;
    const map = draft.map as DomDraftMap;
    return this.findings.map((finding) => ({
      finding,
      boxes: Array.from(map.toRange(finding.start, finding.end).getClientRects()).filter((r) => r.width > 0),
    }));
  }

  private measureInMirror(el: HTMLTextAreaElement | HTMLInputElement, rect: DOMRect): FindingBox[] {
    const doc = el.ownerDocument;
    const mirror = (this.mirror ??= doc.createElement('div'));
    const computed = doc.defaultView!.getComputedStyle(el);
    let css = 'position:fixed;visibility:hidden;box-sizing:content-box;border:0;margin:0;overflow:hidden;';
    for (const p of MIRRORED) css += `${p}:${computed.getPropertyValue(p)};`;
    const padX = parseFloat(computed.paddingLeft) + parseFloat(computed.paddingRight);
    const left = rect.left + el.clientLeft;
    const top = rect.top + el.clientTop;
    css += `left:${left}px;top:${top}px;width:${Math.max(0, el.clientWidth - padX)}px;`;
    css += isTextarea(el) ? 'white-space:pre-wrap;' : 'white-space:pre;';
    mirror.setAttribute('style', css);
    // A trailing newline needs a character after it to make its line.
    mirror.textContent = `${this.text}\u200b`;
    if (!mirror.isConnected) this.layer.getRootNode().appendChild(mirror);
    const node = mirror.firstChild as Text;
    // An input's single line is centred vertically by the browser; align the mirror's line box.
    let shiftY = -el.scrollTop;
    if (isInput(el)) {
      const lineHeight = mirror.getBoundingClientRect().height - parseFloat(computed.paddingTop) - parseFloat(computed.paddingBottom);
      shiftY += (el.clientHeight - parseFloat(computed.paddingTop) - parseFloat(computed.paddingBottom) - lineHeight) / 2;
    }
    const range = doc.createRange();
    return this.findings.map((finding) => {
      range.setStart(node, Math.min(finding.start, node.length));
      range.setEnd(node, Math.min(finding.end, node.length));
      const boxes = Array.from(range.getClientRects())
        .filter((r) => r.width > 0)
        .map((r) => ({ left: r.left - el.scrollLeft, top: r.top + shiftY, width: r.width, height: r.height }));
      return { finding, boxes };
    });
  }

  remove(): void {
    this.host.remove();
  }
}
