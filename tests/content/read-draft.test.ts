// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { readDraft, type DomDraftMap } from '../../src/content/read-draft';

afterEach(() => {
  document.body.innerHTML = '';
});

function host(html: string, style = ''): HTMLElement {
  document.body.innerHTML = `<div id="host" contenteditable="true" style="${style}">${html}</div>`;
  return document.getElementById('host')!;
}

function domMap(el: HTMLElement) {
  const draft = readDraft(el);
  expect(draft.map.kind).toBe('dom');
  return { text: draft.text, map: draft.map as DomDraftMap };
}

/** The DOM text a draft span maps to, read back through a real Range. */
function spanText(map: DomDraftMap, start: number, end: number): string {
  return map.toRange(start, end).toString();
}

describe('readDraft: textarea and input', () => {
  it('reads a textarea value with an identity map', () => {
    document.body.innerHTML = `<textarea id="t"></textarea>`;
    const t = document.getElementById('t') as HTMLTextAreaElement;
    t.value = 'Line one\nLine two 👍 OFFICIAL-SENSITIVE';
    const draft = readDraft(t);
    expect(draft.text).toBe(t.value);
    expect(draft.map).toEqual({ kind: 'value', element: t });
  });

  it('reads an input value', () => {
    document.body.innerHTML = `<input id="i" type="text">`;
    const i = document.getElementById('i') as HTMLInputElement;
    i.value = 'short reply';
    expect(readDraft(i).text).toBe('short reply');
  });
});

describe('readDraft: contenteditable text', () => {
  it('reads nested inline markup as continuous text', () => {
    const { text } = domMap(host('Hello <b>bold <i>and italic</i></b> <a href="#">link</a>!'));
    expect(text).toBe('Hello bold and italic link!');
  });

  it('turns paragraphs and divs into single newlines, with no leading or trailing newline', () => {
    expect(domMap(host('<p>One</p><p>Two</p><div>Three</div>')).text).toBe('One\nTwo\nThree');
  });

  it('turns <br> into a newline but not a trailing placeholder <br> of a non-empty block', () => {
    expect(domMap(host('a<br>b')).text).toBe('a\nb');
    expect(domMap(host('<div>a<br></div><div>b</div>')).text).toBe('a\nb');
    expect(domMap(host('<p>a<br><br></p><p>b</p>')).text).toBe('a\n\nb');
  });

  it('keeps an empty line made by an empty paragraph holding only a <br>', () => {
    expect(domMap(host('<p>a</p><p><br></p><p>b</p>')).text).toBe('a\n\nb');
    expect(domMap(host('<div><br></div><div>b</div>')).text).toBe('\nb');
  });

  it('ignores empty blocks without a <br> (they take no space)', () => {
    expect(domMap(host('<div>a</div><div></div><div>b</div>')).text).toBe('a\nb');
  });

  it('reads list items and headings as lines', () => {
    expect(domMap(host('<h2>Title</h2><ul><li>one</li><li>two</li></ul>')).text).toBe('Title\none\ntwo');
  });

  it('collapses source whitespace like the browser renders it when white-space is normal', () => {
    const el = host(`
      <p>  Hello
         world  </p>
      <p>again</p>
    `);
    expect(domMap(el).text).toBe('Hello world\nagain');
  });

  it('keeps every space when the editor uses white-space: pre-wrap', () => {
    const el = host('<p>a  b   c</p><p>  indented</p>', 'white-space: pre-wrap');
    expect(domMap(el).text).toBe('a  b   c\n  indented');
  });

  it('reads a no-break space as a plain space, one character for one', () => {
    const { text } = domMap(host('a\u00a0\u00a0b'));
    expect(text).toBe('a  b');
  });

  it('skips script, style and template content', () => {
    expect(domMap(host('a<style>.x{}</style><script>1</script><template>t</template>b')).text).toBe('ab');
  });

  it('keeps text inside a non-editable island (a mention chip)', () => {
    expect(domMap(host('Hi <span contenteditable="false">@Sam Jones</span>, thanks')).text).toBe('Hi @Sam Jones, thanks');
  });
});

describe('readDraft: offset map for contenteditable', () => {
  it('maps a word inside nested inline markup to exactly that word', () => {
    const el = host('Hello <b>bold <i>OFFICIAL-SENSITIVE</i></b> text');
    const { text, map } = domMap(el);
    const start = text.indexOf('OFFICIAL');
    const end = start + 'OFFICIAL-SENSITIVE'.length;
    const range = map.toRange(start, end);
    expect(range.toString()).toBe('OFFICIAL-SENSITIVE');
    expect(range.startContainer).toBe(el.querySelector('i')!.firstChild);
    expect(range.startOffset).toBe(0);
  });

  it('maps a span that crosses element boundaries', () => {
    const { text, map } = domMap(host('my NI <b>number</b> is QQ<i>123456</i>C ok'));
    const start = text.indexOf('number');
    const end = text.indexOf(' ok');
    expect(spanText(map, start, end)).toBe('number is QQ123456C');
  });

  it('maps spans on the second and third lines across <br> and paragraphs', () => {
    const { text, map } = domMap(host('<p>first line</p><p>second<br>third <b>word</b></p>'));
    expect(text).toBe('first line\nsecond\nthird word');
    for (const word of ['first', 'line', 'second', 'third', 'word']) {
      const start = text.indexOf(word);
      expect(spanText(map, start, start + word.length)).toBe(word);
    }
  });

  it('maps a span that includes a block newline to a range covering both lines', () => {
    const { text, map } = domMap(host('<p>alpha</p><p>beta</p>'));
    expect(text).toBe('alpha\nbeta');
    expect(spanText(map, 2, 8)).toBe('phabe');
  });

  it('counts emoji as UTF-16 code units, like the engine and the DOM', () => {
    const { text, map } = domMap(host('<p>Great 👍🏽 news: <b>OFFICIAL</b> 🇬🇧 end</p>'));
    expect(text).toBe('Great 👍🏽 news: OFFICIAL 🇬🇧 end');
    const start = text.indexOf('OFFICIAL');
    expect(spanText(map, start, start + 8)).toBe('OFFICIAL');
    const end = text.indexOf('end');
    expect(spanText(map, end, end + 3)).toBe('end');
    const flag = text.indexOf('🇬🇧');
    expect(spanText(map, flag, flag + 4)).toBe('🇬🇧');
  });

  it('maps through collapsed whitespace to the characters that are shown', () => {
    const { text, map } = domMap(host('<p>  Hello\n     world  </p>'));
    expect(text).toBe('Hello world');
    expect(spanText(map, 6, 11)).toBe('world');
    expect(spanText(map, 0, 5)).toBe('Hello');
  });

  it('gives DOM positions for every offset, including a newline and the very end', () => {
    const el = host('<p>ab</p><p>cd</p>');
    const { text, map } = domMap(el);
    const [p1, p2] = Array.from(el.querySelectorAll('p'));
    expect(map.position(0)).toEqual({ node: p1!.firstChild, offset: 0 });
    // The newline has no DOM character: the boundary before it is the end of "ab".
    expect(map.position(2)).toEqual({ node: p1!.firstChild, offset: 2 });
    expect(map.position(3)).toEqual({ node: p2!.firstChild, offset: 0 });
    expect(map.position(text.length)).toEqual({ node: p2!.firstChild, offset: 2 });
  });

  it('maps DOM positions back to draft offsets (caret and selection)', () => {
    const el = host('<p>ab <b>cd</b></p><p>ef</p>');
    const { text, map } = domMap(el);
    expect(text).toBe('ab cd\nef');
    const b = el.querySelector('b')!;
    const p2 = el.querySelectorAll('p')[1]!;
    expect(map.offsetOf(b.firstChild!, 1)).toBe(4);
    expect(map.offsetOf(p2.firstChild!, 2)).toBe(8);
    // Element boundaries: before <b> and after the last child of the host.
    expect(map.offsetOf(b.parentNode!, 1)).toBe(3);
    expect(map.offsetOf(el, el.childNodes.length)).toBe(8);
    for (let offset = 0; offset <= text.length; offset++) {
      const pos = map.position(offset);
      expect(map.offsetOf(pos.node, pos.offset)).toBe(offset);
    }
  });

  it('gives a collapsed empty map for an empty host', () => {
    const el = host('');
    const { text, map } = domMap(el);
    expect(text).toBe('');
    expect(map.position(0)).toEqual({ node: el, offset: 0 });
  });

  it('rejects offsets outside the draft with a clear error', () => {
    const { map } = domMap(host('abc'));
    expect(() => map.position(4)).toThrow(/offset 4 is outside the draft \(0\.\.3\)/);
  });
});
