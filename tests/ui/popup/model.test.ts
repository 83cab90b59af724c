import { describe, expect, it } from 'vitest';
import { parseAdminTrouble, tabFromQuery } from '../../../src/ui/popup/api';
import { announcement, findingsSummary, groupBySeverity, hasAdminTrouble, orderFields, pageView } from '../../../src/ui/popup/model';
import { field, finding, SITE_ON } from './fake-api';

const DRAFT = 'We guarantee a refund, fyi the door code is 4411 and we promise more.';
const warning = finding(DRAFT, 'guarantee a refund');
const block = finding(DRAFT, 'door code is 4411', { severity: 'block' });
const info = finding(DRAFT, 'fyi', { severity: 'info' });
const laterWarning = finding(DRAFT, 'we promise', { severity: 'warning' });

describe('pageView', () => {
  const page = { url: 'https://forum.example.org/', running: true, fields: [] };
  it('picks one state for every situation', () => {
    expect(pageView(null, null, null)).toEqual({ kind: 'not-running', reason: 'no-tab' });
    expect(pageView(1, undefined, null)).toEqual({ kind: 'loading' });
    expect(pageView(1, null, null)).toEqual({ kind: 'not-running', reason: 'not-a-web-page' });
    expect(pageView(1, page, null)).toEqual({ kind: 'loading' });
    expect(pageView(1, page, SITE_ON)).toEqual({ kind: 'no-fields', site: SITE_ON });
    // Switched back on, the page not restarted yet: not "off by your organisation" for a moment.
    expect(pageView(1, { ...page, running: false }, SITE_ON).kind).toBe('loading');
    expect(pageView(1, page, { ...SITE_ON, enabled: false, state: 'off-by-you' }).kind).toBe('site-off');
    expect(pageView(1, { ...page, fields: [field()] }, SITE_ON).kind).toBe('fields');
  });

  it('puts the focused field first, the rest in page order', () => {
    expect(orderFields([field({ id: 3 }), field({ id: 1 }), field({ id: 2, focused: true })]).map((f) => f.id)).toEqual([2, 1, 3]);
  });
});

describe('findings', () => {
  it('groups by severity, most serious first, in draft order inside a group', () => {
    const groups = groupBySeverity([laterWarning, info, block, warning]);
    expect(groups.map((g) => [g.severity, g.findings.map((f) => f.excerpt)])).toEqual([
      ['block', ['door code is 4411']],
      ['warning', ['guarantee a refund', 'we promise']],
      ['info', ['fyi']],
    ]);
  });

  it('sums up in words', () => {
    expect(findingsSummary([])).toBe('No problems found');
    expect(findingsSummary([warning])).toBe('1 problem');
    expect(findingsSummary([warning, block, info])).toBe('2 problems (1 must fix), 1 note');
    expect(findingsSummary([info])).toBe('1 note');
  });

  it('announces only findings that are new since the last answer', () => {
    const one = announcement(new Set(), [field({ id: 1, findings: [warning] })]);
    expect(one.text).toBe('New finding: Careful with "guarantee a refund".');
    // The same finding, moved by typing above it, is not news.
    const moved = { ...warning, start: warning.start + 5, end: warning.end + 5 };
    expect(announcement(one.keys, [field({ id: 1, findings: [moved] })]).text).toBe('');
    expect(announcement(one.keys, [field({ id: 1, findings: [moved, block, info] })]).text).toBe('2 new findings. The first: Careful with "door code is 4411".');
  });
});

describe('browser glue', () => {
  it('reads the tab from popup.html?tab=<id>', () => {
    expect(tabFromQuery('?tab=42')).toBe(42);
    expect(tabFromQuery('')).toBeNull();
    expect(tabFromQuery('?tab=abc')).toBeNull();
  });

  it("sums up the organisation's trouble from the stored admin status, surviving damage", () => {
    expect(parseAdminTrouble(undefined)).toBeNull();
    const trouble = parseAdminTrouble({
      managed: true,
      remote: [
        { url: 'https://a', ok: true, message: 'Up to date.' },
        { url: 'https://b', ok: false, message: 'The pack at https://b could not be downloaded (HTTP 404).' },
      ],
      packProblems: ['Pack "x" is invalid.'],
      policyProblems: ['"siteAllowlist" was ignored.'],
      holdPosts: false,
    });
    expect(trouble).toEqual({
      updates: ['The pack at https://b could not be downloaded (HTTP 404).'],
      problems: ['Pack "x" is invalid.', '"siteAllowlist" was ignored.'],
      holdPosts: false,
    });
    expect(hasAdminTrouble(trouble)).toBe(true);
    expect(hasAdminTrouble(parseAdminTrouble({ remote: [], packProblems: [], policyProblems: [] }))).toBe(false);
    expect(parseAdminTrouble({ remote: 'nonsense' })!.problems[0]).toMatch(/damaged/);
  });
});
