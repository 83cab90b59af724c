import { describe, expect, it } from 'vitest';
import { check, type CompiledPack } from '../../src/engine';
import { compileError, pack, rule } from './pack-fixture';

/** [rule, excerpt] of each finding, in order. */
const hits = (p: CompiledPack, text: string): Array<[string, string]> => check(p, text, { cache: false }).map((f) => [f.rule, f.excerpt]);
const excerpts = (p: CompiledPack, text: string): string[] => check(p, text, { cache: false }).map((f) => f.excerpt);

describe('pattern rules', () => {
  it('keeps only matches that pass the validator', () => {
    const p = pack([rule({ id: 'card', kind: 'pattern', category: 'personal-data', pattern: '\\b(?:\\d[ -]?){12,18}\\d\\b', validator: 'luhn' })]);
    expect(excerpts(p, 'Card 4111 1111 1111 1111 was charged.')).toEqual(['4111 1111 1111 1111']);
    expect(excerpts(p, 'Order 4111 1111 1111 1112 shipped.')).toEqual([]);
  });

  it('narrows the span to the (?<span>) group', () => {
    const p = pack([rule({ id: 'pw', kind: 'pattern', category: 'credentials', pattern: 'password\\s*[:=]\\s*(?<span>\\S+)' })]);
    const [f] = check(p, 'The password: hunter2 works.');
    expect(f!.excerpt).toBe('hunter2');
    expect(f!.start).toBe('The password: '.length);
  });

  it('finds the span group at its own position even when its text also occurs earlier in the match', () => {
    const p = pack([rule({ id: 'pw', kind: 'pattern', category: 'credentials', pattern: 'password: (?<span>\\S+)' })]);
    const text = 'Use password: pass now';
    const [f] = check(p, text);
    expect(f!.start).toBe(text.indexOf('pass now'));
    expect(f!.excerpt).toBe('pass');
  });

  it('ignores an empty span group rather than reporting a zero-width finding', () => {
    const p = pack([rule({ id: 'key', kind: 'pattern', category: 'credentials', pattern: 'key=(?<span>\\w*)' })]);
    expect(excerpts(p, 'key= and key=abc')).toEqual(['abc']);
  });

  it('puts the match into the message literally, even with $ signs in it', () => {
    const p = pack([rule({ id: 'pw', kind: 'pattern', category: 'credentials', pattern: 'pw=(?<span>\\S+)', message: 'Remove "{match}" ({match})' })]);
    const [f] = check(p, "pw=pa$$w0rd$&x$'");
    expect(f!.message).toBe(`Remove "pa$$w0rd$&x$'" (pa$$w0rd$&x$')`);
  });

  it('shortens a long match in the message, not in the excerpt', () => {
    const p = pack([rule({ id: 'tok', kind: 'pattern', category: 'credentials', pattern: 'token=(?<span>\\S+)', message: 'Token {match}' })]);
    const token = 'a'.repeat(80);
    const [f] = check(p, `token=${token}`);
    expect(f!.excerpt).toBe(token);
    expect(f!.message).toBe(`Token ${'a'.repeat(57)}…`);
    const [g] = check(p, `token=${'a'.repeat(56)}😀${'b'.repeat(10)}`);
    expect(g!.message).toBe(`Token ${'a'.repeat(56)}…`); // never half an emoji
  });

  it('drops a match that an exception matches in full', () => {
    const p = pack([
      rule({ id: 'ref', kind: 'pattern', category: 'internal-info', pattern: '\\bREF-\\d+\\b', exceptions: ['REF-0+', 'ref-1234'] }),
    ]);
    expect(excerpts(p, 'See REF-0000, REF-1234 and REF-42.')).toEqual(['REF-42']);
  });

  it('an exception must match the whole span, not part of it', () => {
    const p = pack([rule({ id: 'ref', kind: 'pattern', category: 'internal-info', pattern: '\\bREF-\\d+\\b', exceptions: ['REF-1'] })]);
    expect(excerpts(p, 'See REF-12.')).toEqual(['REF-12']);
  });

  it('runs only on sentences containing a keyword', () => {
    const p = pack([rule({ id: 'num', kind: 'pattern', category: 'internal-info', pattern: '\\b\\d{6}\\b', keywords: ['Ticket'] })]);
    expect(excerpts(p, 'ticket 123456 is open. Order 654321 shipped.')).toEqual(['123456']);
  });

  it('matches keywords whatever apostrophe the writer typed', () => {
    const straight = pack([rule({ id: 'x', kind: 'pattern', category: 'conduct', pattern: "won['’]t budge", keywords: ["won't"] })]);
    expect(excerpts(straight, 'They won’t budge.')).toEqual(['won’t budge']);
    const curly = pack([rule({ id: 'x', kind: 'pattern', category: 'conduct', pattern: "won['’]t budge", keywords: ['won’t'] })]);
    expect(excerpts(curly, "They won't budge.")).toEqual(["won't budge"]);
  });

  it('drops matches below minEntropy', () => {
    const p = pack([rule({ id: 'tok', kind: 'pattern', category: 'credentials', pattern: 'token=(?<span>\\S+)', minEntropy: 3 })]);
    expect(excerpts(p, 'token=aaaaaaaaaaaa token=kX9pQ2vL7mZw')).toEqual(['kX9pQ2vL7mZw']);
  });

  it('accepts several patterns and respects caseSensitive', () => {
    const p = pack([rule({ id: 'm', kind: 'pattern', category: 'marking', pattern: ['\\bSECRET\\b', '\\bOFFICIAL-SENSITIVE\\b'], caseSensitive: true })]);
    expect(excerpts(p, 'a secret, a SECRET and OFFICIAL-SENSITIVE')).toEqual(['SECRET', 'OFFICIAL-SENSITIVE']);
  });

  it('gives the same answer on repeated calls (no regex state leaks between checks)', () => {
    const p = pack([rule({ id: 'n', kind: 'pattern', category: 'internal-info', pattern: '\\bx\\d\\b' })]);
    const text = 'x1 x2 x3';
    for (let i = 0; i < 3; i++) expect(excerpts(p, text)).toEqual(['x1', 'x2', 'x3']);
  });
});

describe('phrase rules', () => {
  const announce = pack([rule({ id: 'ann', kind: 'phrase', category: 'unannounced', terms: ['announce', 'café', 'launch date'] })]);

  it('matches inflections of a verb', () => {
    expect(excerpts(announce, 'We announced it. She announces it. Announcing soon. We will announce.')).toEqual([
      'announced',
      'announces',
      'Announcing',
      'announce',
    ]);
  });

  it('matches on word boundaries only', () => {
    expect(excerpts(announce, 'The announcer and preannounced plans, reannounce.')).toEqual([]);
  });

  it('folds case', () => {
    expect(excerpts(announce, 'WE WILL ANNOUNCE THE LAUNCH DATE')).toEqual(['ANNOUNCE', 'LAUNCH DATE']);
  });

  it('matches accented words and treats accented letters as word characters', () => {
    expect(excerpts(announce, 'Meet at the Café.')).toEqual(['Café']);
    expect(excerpts(announce, 'Meet at the cafés.')).toEqual(['cafés']);
    expect(excerpts(announce, 'cafébar is new')).toEqual([]);
  });

  it('does not cut a word before a combining accent', () => {
    // "cafe" + U+0301 (decomposed é) is one word; "cafe" must not match half of it.
    const p = pack([rule({ id: 'c', kind: 'phrase', category: 'conduct', terms: ['cafe'], inflect: false })]);
    expect(excerpts(p, 'the cafe\u0301 is open')).toEqual([]);
    expect(excerpts(p, 'the cafe is open')).toEqual(['cafe']);
  });

  it('lets multi-word terms span hyphens and several spaces', () => {
    expect(excerpts(announce, 'the launch-date and the launch  dates')).toEqual(['launch-date', 'launch  dates']);
  });

  it('matches a straight or curly apostrophe whichever the term uses', () => {
    const p = pack([rule({ id: 'p', kind: 'phrase', category: 'commitment', terms: ["we'll refund"] })]);
    expect(excerpts(p, 'We’ll refund you.')).toEqual(['We’ll refund']);
    expect(excerpts(p, "We'll refund you.")).toEqual(["We'll refund"]);
  });

  it('does not inflect names, titles and acronyms, but does inflect lower-case words', () => {
    const p = pack([rule({ id: 'p', kind: 'phrase', category: 'legal', terms: ['Mrs Jones', 'NHS', 'sue', 'London office'] })]);
    expect(excerpts(p, 'Mr Jones, Mrs Jone and the NH team')).toEqual([]);
    expect(excerpts(p, 'Mrs Jones and the NHS')).toEqual(['Mrs Jones', 'NHS']);
    expect(excerpts(p, 'They sued, and are suing.')).toEqual(['sued', 'suing']);
    expect(excerpts(p, 'our London offices')).toEqual(['London offices']);
  });

  it('prefers the longest term that matches at a place, whatever the term order', () => {
    const p = pack([rule({ id: 'p', kind: 'phrase', category: 'marking', terms: ['secret', 'secret plan', 'plan'] })]);
    expect(excerpts(p, 'The secret plans and the plan.')).toEqual(['secret plans', 'plan']);
  });

  it('inflect: false matches the term as written only', () => {
    const p = pack([rule({ id: 'p', kind: 'phrase', category: 'unannounced', terms: ['announce'], inflect: false })]);
    expect(excerpts(p, 'announced and announce')).toEqual(['announce']);
  });

  it('a trailing * matches any ending', () => {
    const p = pack([rule({ id: 'p', kind: 'phrase', category: 'marking', terms: ['confiden*'] })]);
    expect(excerpts(p, 'Confidential and confidentially, not unconfident.')).toEqual(['Confidential', 'confidentially']);
  });

  it('caseSensitive phrases match only the written case', () => {
    const p = pack([rule({ id: 'p', kind: 'phrase', category: 'marking', terms: ['SECRET'], caseSensitive: true, inflect: false })]);
    expect(excerpts(p, 'secret SECRET Secret')).toEqual(['SECRET']);
  });
});

describe('nlp rules', () => {
  const refund = pack([
    rule({
      id: 'promise-refund',
      kind: 'nlp',
      category: 'commitment',
      clause: 'promises',
      match: '(we|i) will #Adverb? (refund|compensate)',
      keywords: ['refund', 'compensate'],
      unlessMatch: ['(we|i) (aim|hope|try) to', 'if eligible'],
    }),
  ]);

  it('matches a compromise pattern, span ending at the last word', () => {
    expect(excerpts(refund, 'We will refund you in full.')).toEqual(['We will refund']);
    expect(excerpts(refund, 'Rest assured, we will definitely compensate you.')).toEqual(['we will definitely compensate']);
  });

  it('skips negated matches', () => {
    expect(excerpts(refund, 'We will not refund you.')).toEqual([]);
    expect(excerpts(refund, 'We won’t refund you.')).toEqual([]);
    expect(excerpts(refund, 'Unfortunately we will never refund that.')).toEqual([]);
  });

  it('a negation in an earlier clause does not cancel the match', () => {
    expect(excerpts(refund, 'No problem, we will refund you.')).toEqual(['we will refund']);
  });

  it('skips hedged sentences via unlessMatch', () => {
    expect(excerpts(refund, 'We aim to refund, and we will refund if eligible.')).toEqual([]);
  });

  it('the hedge only cancels its own sentence', () => {
    expect(excerpts(refund, 'We aim to help. We will refund you.')).toEqual(['We will refund']);
  });

  it('reports a span that excludes surrounding punctuation and brackets', () => {
    for (const text of ['Good news (we will compensate) today.', 'Good news "(we will compensate you)".', '😀 "(we will compensate you)"']) {
      const [f] = check(refund, text);
      expect(f!.excerpt).toBe('we will compensate');
      expect(text.slice(f!.start, f!.end)).toBe('we will compensate');
    }
  });

  it('does not parse sentences without a keyword', () => {
    expect(excerpts(refund, 'We will help you.')).toEqual([]);
  });

  it('matches chunk syntax ("<Noun>"), for which the parse keeps compromise\'s chunker', () => {
    const chunked = pack([
      rule({ id: 'refund-noun', kind: 'nlp', category: 'commitment', clause: 'promises', match: 'refund <Noun>', keywords: ['refund'] }),
    ]);
    expect(excerpts(chunked, 'We will refund the full ticket price.')).toEqual(['refund the full ticket price']);
  });
});

describe('near rules', () => {
  const nearPack = (within: number, span: 'a' | 'b' | 'both' = 'both') =>
    pack([
      rule({ id: 'name', kind: 'phrase', category: 'personal-data', terms: ['Mrs Jones'], standalone: false }),
      rule({ id: 'health', kind: 'phrase', category: 'personal-data', terms: ['diagnosis'], standalone: false }),
      rule({ id: 'name-health', kind: 'near', category: 'personal-data', a: 'name', b: 'health', within, span }),
    ]);

  it('flags A within N words of B and not the building blocks alone', () => {
    expect(hits(nearPack(5), 'Mrs Jones got her diagnosis today.')).toEqual([['name-health', 'Mrs Jones got her diagnosis']]);
    expect(hits(nearPack(5), 'Mrs Jones called.')).toEqual([]);
  });

  it('works with B before A', () => {
    expect(hits(nearPack(5, 'a'), 'The diagnosis for Mrs Jones.')).toEqual([['name-health', 'Mrs Jones']]);
  });

  it('works across sentences', () => {
    expect(hits(nearPack(5, 'b'), 'Mrs Jones called. Her diagnosis is in.')).toEqual([['name-health', 'diagnosis']]);
  });

  it('does not fire beyond N words', () => {
    const text = 'Mrs Jones one two three four five six diagnosis';
    // "Jones" is word 1, "diagnosis" word 8: seven words apart.
    expect(hits(nearPack(7), text)).toHaveLength(1);
    expect(hits(nearPack(6), text)).toEqual([]);
  });

  it('a near rule of a rule with itself needs two separate hits', () => {
    const p = pack([
      rule({ id: 'slur', kind: 'phrase', category: 'conduct', terms: ['idiot'], standalone: false }),
      rule({ id: 'pile-on', kind: 'near', category: 'conduct', a: 'slur', b: 'slur', within: 5 }),
    ]);
    expect(hits(p, 'What an idiot.')).toEqual([]);
    expect(hits(p, 'idiot, total idiot')).toEqual([['pile-on', 'idiot, total idiot']]);
  });
});

describe('detector rules', () => {
  it('an unknown detector name is a clear compile error naming rule and field', () => {
    const msg = compileError({
      ...{ id: 'p', name: 'P', version: '1.0.0', publisher: 'x' },
      policy: { title: 'P', version: '1', clauses: [{ id: 'c', title: 'C', summary: 's', source: 's' }] },
      rules: [{ id: 'phoneish', kind: 'detector', detector: 'telepathy', category: 'personal-data', clause: 'c', message: 'm' }],
    });
    expect(msg).toContain('rule "phoneish"');
    expect(msg).toContain('field "detector"');
    expect(msg).toContain('unknown detector "telepathy"');
  });
});
