import { describe, expect, it } from 'vitest';
import { compilePack, PackValidationError } from '../../src/engine';
import { assertSafeRegex } from '../../src/engine/safe-regex';
import { compileError, packInput, rule } from './pack-fixture';

const phrase = (id: string, extra: Record<string, unknown> = {}) => rule({ id, kind: 'phrase', terms: ['rude'], ...extra });

describe('pack validation errors', () => {
  it('a valid pack compiles', () => {
    expect(compileError(packInput([phrase('ok')]))).toBe('');
  });

  it('an unknown clause names the rule, the field "clause" and the expected clauses', () => {
    const msg = compileError(packInput([phrase('tone', { clause: 'manners' })]));
    expect(msg).toContain('rule "tone"');
    expect(msg).toContain('field "clause"');
    expect(msg).toContain('"manners"');
    expect(msg).toMatch(/expected one of: conduct, secrets, promises/);
  });

  it('a duplicate rule id is reported', () => {
    const msg = compileError(packInput([phrase('dup'), phrase('dup')]));
    expect(msg).toContain('rule "dup"');
    expect(msg).toContain('used twice');
  });

  it('an unknown kind names the rule and lists the kinds', () => {
    const msg = compileError(packInput([rule({ id: 'odd', kind: 'regex' as never, pattern: 'x' })]));
    expect(msg).toContain('rule "odd"');
    expect(msg).toContain('field "kind"');
    expect(msg).toContain('"regex"');
    for (const kind of ['pattern', 'phrase', 'nlp', 'near', 'detector']) expect(msg).toContain(kind);
  });

  it('a bad severity says "expected one of" with the allowed values', () => {
    const msg = compileError(packInput([phrase('loud', { severity: 'critical' })]));
    expect(msg).toContain('rule "loud"');
    expect(msg).toContain('field "severity"');
    expect(msg).toContain('expected one of: "info", "warning", "block"');
  });

  it('an invalid regex names the rule and the field', () => {
    const msg = compileError(packInput([rule({ id: 'broken', kind: 'pattern', pattern: '(abc' })]));
    expect(msg).toMatch(/^rule "broken", field "pattern": not a valid regular expression/);
  });

  it('in a list of patterns, the failing one is named by index', () => {
    const msg = compileError(packInput([rule({ id: 'broken', kind: 'pattern', pattern: ['ok', '[z-a]'] })]));
    expect(msg).toMatch(/^rule "broken", field "pattern\[1\]": not a valid regular expression/);
  });

  it('an unsafe regex is refused with a plain message', () => {
    const msg = compileError(packInput([rule({ id: 'slow', kind: 'pattern', pattern: '(a+)+$' })]));
    expect(msg).toBe(
      'rule "slow", field "pattern": the regular expression repeats a group that itself repeats without limit (nested quantifier), which can hang the page',
    );
  });

  it('an unsafe exception gets the same safety message, not "invalid"', () => {
    const msg = compileError(packInput([rule({ id: 'slow', kind: 'pattern', pattern: 'x', exceptions: ['(\\w*\\s?)*'] })]));
    expect(msg).toContain('rule "slow", field "exceptions[0]": the regular expression repeats a group');
    expect(msg).not.toContain('not a valid');
  });

  it('a near rule referring to a missing rule is reported', () => {
    const msg = compileError(packInput([phrase('a'), rule({ id: 'pair', kind: 'near', a: 'a', b: 'ghost' })]));
    expect(msg).toContain('rule "pair", field "b": rule "ghost" is not in this pack');
  });

  it('a near rule may not refer to another near rule', () => {
    const msg = compileError(
      packInput([phrase('a'), phrase('b'), rule({ id: 'ab', kind: 'near', a: 'a', b: 'b' }), rule({ id: 'abb', kind: 'near', a: 'ab', b: 'b' })]),
    );
    expect(msg).toContain('rule "abb", field "a": rule "ab" is a near rule');
  });

  it('a missing required field says what was expected', () => {
    const msg = compileError(packInput([rule({ id: 'empty', kind: 'phrase' })]));
    expect(msg).toContain('rule "empty", field "terms": missing');
  });

  it('reports clause and reference problems even when another rule has a schema error', () => {
    const msg = compileError(
      packInput([phrase('loud', { severity: 'critical' }), phrase('lost', { clause: 'nowhere' }), rule({ id: 'pair', kind: 'near', a: 'lost', b: 'ghost' })]),
    );
    expect(msg.split('\n')).toEqual([
      'rule "loud", field "severity": expected one of: "info", "warning", "block"',
      'rule "lost", field "clause": clause "nowhere" is not in the policy (expected one of: conduct, secrets, promises)',
      'rule "pair", field "b": rule "ghost" is not in this pack',
    ]);
  });

  it('reports every problem at once, one per line, as a PackValidationError', () => {
    let error: unknown;
    try {
      compilePack(packInput([rule({ id: 'r1', kind: 'pattern', pattern: '(' }), rule({ id: 'r2', kind: 'pattern', pattern: '(a*)*' })]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PackValidationError);
    const problems = (error as PackValidationError).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('rule "r1"');
    expect(problems[1]).toContain('rule "r2"');
    expect((error as Error).message.split('\n')).toEqual(problems);
  });
});

describe('assertSafeRegex', () => {
  it.each(['(a+)+', '(a*)*', '(\\w+\\s?)*', '((ab)+c)+', '(x+){2,}', '(?:[a-z.]+\\.)+'])('refuses %s', (src) => {
    expect(() => assertSafeRegex(src)).toThrow(/nested quantifier/);
  });

  it('refuses back-references', () => {
    expect(() => assertSafeRegex('(a)\\1')).toThrow(/back-reference/);
    expect(() => assertSafeRegex('(?<x>a)\\k<x>')).toThrow(/back-reference/);
  });

  it('refuses very long patterns', () => {
    expect(() => assertSafeRegex('a'.repeat(2001))).toThrow(/longer than 2000/);
  });

  it.each([
    '\\b\\d{3}-\\d{2}-\\d{4}\\b',
    '(ab)+',
    '(a+){1,3}',
    '[(a+)+]',
    '\\(a+\\)+',
    // Delimited repeats: every round ends (or starts) with a character the set cannot match.
    '(?:[\\w-]+\\.)+[a-z]{2,}',
    '[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+',
    '(?:[^,]*,)*',
  ])('accepts %s', (src) => {
    expect(() => assertSafeRegex(src)).not.toThrow();
  });
});

describe('inline regex modifiers', () => {
  it('refuses (?i:...) groups with a plain explanation, and still accepts (?:...) and (?<name>...)', async () => {
    const { assertSafeRegex } = await import('../../src/engine/safe-regex');
    expect(() => assertSafeRegex('(?i:licen[cs]e) (?<span>\\d+)')).toThrow(/inline modifier group/);
    expect(() => assertSafeRegex('(?im:abc)')).toThrow(/inline modifier group/);
    expect(() => assertSafeRegex('(?-i:ABC)')).not.toThrow();
    expect(() => assertSafeRegex('(?:a|b) (?<span>\\d+) (?=x)(?!y)(?<=z)(?<!w)')).not.toThrow();
  });
});
