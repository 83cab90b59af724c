import { describe, expect, it } from 'vitest';
import { applyFilter, categoriesUsed, clauseOfTarget, hashTarget, isFiltering, NO_FILTER } from '../../../src/ui/policy/policy-data';
import { clauseFragment } from '../../../src/ui/clause-link';
import { orgPackView, userPackView } from './fixtures';

describe('policy viewer deep links', () => {
  it('reads the element id from the hash that clauseHref writes', () => {
    expect(hashTarget(`#${clauseFragment('replyguard.builtin', 'legal-proceedings')}`)).toBe('replyguard.builtin/legal-proceedings');
    expect(hashTarget('#a%20b/c')).toBe('a b/c');
    expect(hashTarget('')).toBeNull();
    expect(hashTarget('#')).toBeNull();
    // A malformed escape is taken as written rather than throwing.
    expect(hashTarget('#pack/100%')).toBe('pack/100%');
  });

  it('splits a target into pack and clause when it names one', () => {
    expect(clauseOfTarget('org.social/courts')).toEqual({ packId: 'org.social', clauseId: 'courts' });
    expect(clauseOfTarget('contents')).toBeNull();
    expect(clauseOfTarget('/courts')).toBeNull();
    expect(clauseOfTarget('org.social/')).toBeNull();
  });
});

describe('policy viewer filter', () => {
  const packs = [orgPackView(), userPackView()];
  const ids = (result: ReturnType<typeof applyFilter>) => result.packs.flatMap((p) => p.clauses.flatMap((c) => c.rules.map((r) => r.rule.id)));

  it('without a filter shows every clause and rule', () => {
    const all = applyFilter(packs, NO_FILTER);
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(all.clauseCount).toBe(4);
    expect(all.ruleCount).toBe(6);
    expect(all.packs.flatMap((p) => p.clauses.map((c) => c.clause.id))).toEqual(['secrets', 'courts', 'future', 'tone']);
  });

  it('needs every word, in any case, across id, message, suggestion, category and examples', () => {
    expect(ids(applyFilter(packs, { words: 'CALL it', category: '' }))).toEqual(['org.codename']);
    // Words of the clause itself bring all of its rules.
    expect(ids(applyFilter(packs, { words: 'code names', category: '' }))).toEqual(['org.codename', 'org.rumour']);
    expect(ids(applyFilter(packs, { words: 'internal information', category: '' }))).toEqual(['org.codename']);
    expect(ids(applyFilter(packs, { words: 'mine.sarcasm', category: '' }))).toEqual(['mine.sarcasm']);
    expect(ids(applyFilter(packs, { words: 'sarcastic falcon', category: '' }))).toEqual([]);
  });

  it('marks rules found through their examples, so those are shown open', () => {
    const result = applyFilter(packs, { words: 'guilty pleasures', category: '' });
    const shown = result.packs.flatMap((p) => p.clauses.flatMap((c) => c.rules));
    expect(shown.map((r) => [r.rule.id, r.examplesMatch])).toEqual([['org.trial-opinion', true]]);
  });

  it('a category leaves out clauses without a rule of it, even when their words match', () => {
    const result = applyFilter(packs, { words: '', category: 'conduct' });
    expect(ids(result)).toEqual(['mine.sarcasm']);
    expect(result.clauseCount).toBe(1);
    // The rule-less clause shows for its own words, but not under a category.
    expect(applyFilter(packs, { words: 'board minute', category: '' }).clauseCount).toBe(1);
    expect(applyFilter(packs, { words: 'board minute', category: 'legal' }).clauseCount).toBe(0);
  });

  it('offers only the categories the packs use, in the contract order', () => {
    expect(categoriesUsed(packs)).toEqual(['internal-info', 'unannounced', 'legal', 'conduct']);
  });
});
