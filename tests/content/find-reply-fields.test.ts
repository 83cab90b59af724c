// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { findReplyFields, replyFieldFor, type ReplyField } from '../../src/content/find-reply-fields';

function ids(fields: ReplyField[]): string[] {
  return fields.map((f) => f.element.id);
}

afterEach(() => {
  document.body.innerHTML = '';
  document.designMode = 'off';
});

describe('findReplyFields', () => {
  it('finds a WordPress-like comment textarea but not the name, email and url inputs beside it', () => {
    document.body.innerHTML = `
      <form id="commentform">
        <textarea id="comment" name="comment"></textarea>
        <input id="author" name="author" type="text">
        <input id="email" name="email" type="email">
        <input id="url" name="url" type="url">
        <input id="wp-comment-cookies-consent" type="checkbox">
        <input type="submit" id="submit" value="Post Comment">
      </form>`;
    const fields = findReplyFields(document);
    expect(ids(fields)).toEqual(['comment']);
    expect(fields[0]!.kind).toBe('textarea');
  });

  it('finds single-line text inputs used for replies, by name, placeholder or label', () => {
    document.body.innerHTML = `
      <input id="chat" type="text" placeholder="Send a message">
      <input id="reply" name="reply_body">
      <input id="labelled" type="text" aria-label="Add a comment…">
      <input id="search" type="search" placeholder="Search comments">
      <input id="q" type="text" name="q" role="combobox" placeholder="Search">
      <input id="username" type="text" name="username" autocomplete="username">
      <input id="plain" type="text">`;
    expect(ids(findReplyFields(document))).toEqual(['chat', 'reply', 'labelled']);
  });

  it('lets a page opt a text input in with data-replyguard="on"', () => {
    document.body.innerHTML = `<input id="subject" type="text" name="subject" data-replyguard="on">`;
    expect(ids(findReplyFields(document))).toEqual(['subject']);
  });

  it('skips password, hidden, disabled and read-only fields', () => {
    document.body.innerHTML = `
      <input id="pw" type="password" placeholder="Your reply password">
      <input id="hiddenInput" type="hidden" name="comment">
      <textarea id="disabled" disabled></textarea>
      <textarea id="readonly" readonly></textarea>
      <fieldset disabled><textarea id="inDisabledFieldset"></textarea></fieldset>
      <div hidden><textarea id="inHidden"></textarea></div>
      <textarea id="displayNone" style="display: none"></textarea>
      <div id="ceFalse" contenteditable="false">text</div>
      <textarea id="ok"></textarea>`;
    expect(ids(findReplyFields(document))).toEqual(['ok']);
  });

  it('honours data-replyguard="off" on the field or any ancestor, but not spellcheck or Grammarly opt-outs', () => {
    document.body.innerHTML = `
      <textarea id="off" data-replyguard="off"></textarea>
      <section data-replyguard="off"><div><textarea id="offByAncestor"></textarea></div></section>
      <textarea id="nospell" spellcheck="false"></textarea>
      <textarea id="nogrammarly" data-gramm="false" data-enable-grammarly="false"></textarea>`;
    expect(ids(findReplyFields(document))).toEqual(['nospell', 'nogrammarly']);
  });

  it('returns a contenteditable editing host once, not its editable children', () => {
    document.body.innerHTML = `
      <div id="host" contenteditable="true"><p>Hello <b>there</b></p><div><span>more</span></div></div>
      <div id="plaintext" contenteditable="plaintext-only"></div>
      <div id="emptyAttr" contenteditable></div>`;
    const fields = findReplyFields(document);
    expect(ids(fields)).toEqual(['host', 'plaintext', 'emptyAttr']);
    expect(fields.every((f) => f.kind === 'contenteditable')).toBe(true);
  });

  it('treats a contenteditable nested inside a non-editable island of a host as part of that host', () => {
    document.body.innerHTML = `
      <div id="host" contenteditable="true">text<span contenteditable="false">chip<span id="inner" contenteditable="true">x</span></span></div>`;
    expect(ids(findReplyFields(document))).toEqual(['host']);
  });

  it.each([
    ['draftjs', '<div id="e" class="notranslate public-DraftEditor-content" contenteditable="true" role="textbox"></div>'],
    ['lexical', '<div id="e" contenteditable="true" data-lexical-editor="true" role="textbox"></div>'],
    ['prosemirror', '<div id="e" class="ProseMirror tiptap" contenteditable="true"></div>'],
    ['slate', '<div id="e" data-slate-editor="true" contenteditable="true" role="textbox"></div>'],
    ['quill', '<div class="ql-container"><div id="e" class="ql-editor" contenteditable="true"></div></div>'],
    ['ckeditor5', '<div id="e" class="ck ck-content ck-editor__editable ck-editor__editable_inline" contenteditable="true"></div>'],
    ['trix', '<trix-editor id="e" contenteditable=""></trix-editor>'],
    ['codemirror6', '<div class="cm-editor"><div class="cm-scroller"><div id="e" class="cm-content" contenteditable="true"></div></div></div>'],
    ['tinymce', '<div id="e" class="mce-content-body" contenteditable="true"></div>'],
  ])('recognises a %s editor by its marker', (editor, html) => {
    document.body.innerHTML = html;
    const fields = findReplyFields(document);
    expect(ids(fields)).toEqual(['e']);
    expect(fields[0]!.editor).toBe(editor);
  });

  it('labels a plain textarea and a plain contenteditable with editor null', () => {
    document.body.innerHTML = `<textarea id="t"></textarea><div id="c" contenteditable="true"></div>`;
    expect(findReplyFields(document).map((f) => f.editor)).toEqual([null, null]);
  });

  it('reaches into open shadow roots, nested ones too', () => {
    document.body.innerHTML = `<reddit-composer id="outer"></reddit-composer><textarea id="light"></textarea>`;
    const outer = document.getElementById('outer')!;
    const outerRoot = outer.attachShadow({ mode: 'open' });
    outerRoot.innerHTML = `<div id="rte" contenteditable="true"></div><inner-box id="inner"></inner-box>`;
    const innerRoot = outerRoot.getElementById('inner')!.attachShadow({ mode: 'open' });
    innerRoot.innerHTML = `<textarea id="deep"></textarea>`;
    expect(ids(findReplyFields(document)).sort()).toEqual(['deep', 'light', 'rte']);
  });

  it('reaches closed shadow roots only through the openOrClosedShadowRoot it is given', () => {
    document.body.innerHTML = `<closed-composer id="host"></closed-composer>`;
    const host = document.getElementById('host')!;
    const closedRoot = host.attachShadow({ mode: 'closed' });
    closedRoot.innerHTML = `<textarea id="secret"></textarea>`;
    expect(ids(findReplyFields(document))).toEqual([]);
    const openOrClosed = (el: Element) => (el === host ? closedRoot : null);
    expect(ids(findReplyFields(document, { openOrClosedShadowRoot: openOrClosed }))).toEqual(['secret']);
  });

  it('honours data-replyguard="off" across a shadow boundary', () => {
    document.body.innerHTML = `<div data-replyguard="off"><x-box id="host"></x-box></div>`;
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = `<textarea id="t"></textarea>`;
    expect(findReplyFields(document)).toEqual([]);
  });

  it('scans only under the root it is given', () => {
    document.body.innerHTML = `<textarea id="a"></textarea><div id="later"><textarea id="b"></textarea></div>`;
    expect(ids(findReplyFields(document.getElementById('later')!))).toEqual(['b']);
  });

  it('includes the root itself when the root is a field', () => {
    document.body.innerHTML = `<textarea id="a"></textarea>`;
    expect(ids(findReplyFields(document.getElementById('a')!))).toEqual(['a']);
  });

  it('treats the body of a designMode document as one editing host', () => {
    document.body.innerHTML = `<p>Hello</p>`;
    document.designMode = 'on';
    const fields = findReplyFields(document);
    expect(fields.map((f) => f.element)).toEqual([document.body]);
    expect(fields[0]!.kind).toBe('contenteditable');
  });
});

describe('replyFieldFor', () => {
  it('maps a node inside a contenteditable host to the host', () => {
    document.body.innerHTML = `<div id="host" contenteditable="true"><p><b id="bold">x</b></p></div>`;
    expect(replyFieldFor(document.getElementById('bold')!)?.element.id).toBe('host');
    expect(replyFieldFor(document.getElementById('bold')!.firstChild!)?.element.id).toBe('host');
  });

  it('returns the field itself for a textarea and null for other elements', () => {
    document.body.innerHTML = `<textarea id="t"></textarea><button id="b">Post</button>`;
    expect(replyFieldFor(document.getElementById('t')!)?.kind).toBe('textarea');
    expect(replyFieldFor(document.getElementById('b')!)).toBeNull();
  });

  it('returns null for an opted-out or read-only field', () => {
    document.body.innerHTML = `<div data-replyguard="off"><div id="c" contenteditable="true"></div></div><textarea id="r" readonly></textarea>`;
    expect(replyFieldFor(document.getElementById('c')!)).toBeNull();
    expect(replyFieldFor(document.getElementById('r')!)).toBeNull();
  });
});
