import { describe, expect, it } from 'vitest';
import { csvField, CSV_COLUMNS, defuseFormula, exportFileName, toCsv, toJson } from '../../src/history/export';
import { auditStats } from '../../src/history/audit-stats';
import { filterEntries, dayBound, sitesOf } from '../../src/history/filter';
import { entry } from './helpers';

/** A small RFC 4180 reader, to check the export reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

describe('CSV fields', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180) and leaves plain ones alone', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('she said "no"')).toBe('"she said ""no"""');
    expect(csvField('line one\nline two')).toBe('"line one\nline two"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('defuses spreadsheet formulas: = + - @ tab and CR at the start get a leading quote', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(defuseFormula(`${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
    expect(defuseFormula('a=1')).toBe('a=1');
    expect(csvField('=HYPERLINK("http://evil.example","click")')).toBe('"\'=HYPERLINK(""http://evil.example"",""click"")"');
  });
});

describe('toCsv', () => {
  it('writes a header and one row per entry that read back to the same values', () => {
    const e = entry({ reason: '=cmd|" /C calc"!A0, honestly', text: 'Hello,\n"friend" [redacted: personal data]', reviewed: true });
    const csv = toCsv([e]);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const cells = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(cells).toMatchObject({
      id: 'entry-0001',
      'time (UTC)': '2026-11-20T10:00:00.000Z',
      site: 'blog.example.org',
      page: 'https://blog.example.org/post/1',
      outcome: 'Posted anyway',
      'reason for posting anyway': '\'=cmd|" /C calc"!A0, honestly',
      reviewed: 'yes',
      categories: 'Personal data',
      clauses: 'personal-details: Personal details',
      severities: 'warning',
      rules: 'builtin/personal-data.phone',
      'audit-only rules': '',
      draft: 'Hello,\n"friend" [redacted: personal data]',
      'draft is full text': 'no',
    });
    expect(rows).toHaveLength(2);
  });
});

describe('toJson', () => {
  it('exports the entries without internal tab ids, with the filter and time', () => {
    const json = JSON.parse(toJson([entry({ tabId: 12 })], { site: 'blog.example.org' }, Date.UTC(2026, 10, 26)));
    expect(json).toMatchObject({ format: 'replyguard-history', version: 1, exportedAt: '2026-11-26T00:00:00.000Z', filter: { site: 'blog.example.org' } });
    expect(json.entries).toHaveLength(1);
    expect(json.entries[0].tabId).toBeUndefined();
    expect(json.entries[0].site.host).toBe('blog.example.org');
  });

  it('names the file by the local date', () => {
    expect(exportFileName('csv', new Date(2026, 0, 5, 12).getTime())).toBe('replyguard-history-2026-01-05.csv');
  });
});

describe('filters', () => {
  const entries = [
    entry({ id: 'a', createdAt: Date.UTC(2026, 10, 1), site: { host: 'a.example', page: 'https://a.example/' }, outcome: 'posted' }),
    entry({
      id: 'b',
      createdAt: Date.UTC(2026, 10, 10),
      site: { host: 'b.example', page: 'https://b.example/' },
      outcome: 'abandoned',
      reviewed: true,
      findings: [{ rule: 'legal.x', pack: 'builtin', category: 'legal', severity: 'block', mode: 'enforce', clause: { id: 'legal-proceedings', title: 'Legal', url: null } }],
    }),
    entry({ id: 'c', createdAt: Date.UTC(2026, 10, 20), site: { host: 'a.example', page: 'https://a.example/x' } }),
  ];
  const ids = (f: Parameters<typeof filterEntries>[1]) => filterEntries(entries, f).map((e) => e.id);

  it('by date range (inclusive), site, category, outcome and reviewed', () => {
    expect(ids({ from: Date.UTC(2026, 10, 10), to: Date.UTC(2026, 10, 20) })).toEqual(['b', 'c']);
    expect(ids({ to: Date.UTC(2026, 10, 9) })).toEqual(['a']);
    expect(ids({ site: 'a.example' })).toEqual(['a', 'c']);
    expect(ids({ category: 'legal' })).toEqual(['b']);
    expect(ids({ category: 'personal-data', site: 'a.example' })).toEqual(['a', 'c']);
    expect(ids({ outcome: 'posted-anyway' })).toEqual(['c']);
    expect(ids({ reviewed: true })).toEqual(['b']);
    expect(ids({})).toEqual(['a', 'b', 'c']);
  });

  it('lists the sites and turns date inputs into local day bounds', () => {
    expect(sitesOf(entries)).toEqual(['a.example', 'b.example']);
    expect(dayBound('2026-11-10', 'start')).toBe(new Date(2026, 10, 10).getTime());
    expect(dayBound('2026-11-10', 'end')).toBe(new Date(2026, 10, 10, 23, 59, 59, 999).getTime());
    expect(dayBound('', 'start')).toBeUndefined();
    expect(dayBound('10/11/2026', 'end')).toBeUndefined();
  });
});

describe('auditStats', () => {
  const auditFinding = (rule: string) => ({
    rule,
    pack: 'org',
    category: 'commitment' as const,
    severity: 'warning' as const,
    mode: 'audit' as const,
    clause: { id: 'commitments', title: 'Commitments', url: 'https://policy.example/#commitments' },
  });

  it('counts, per audit-mode rule, the drafts it fired on, their sites, period and outcomes', () => {
    const entries = [
      entry({ id: '1', createdAt: 3000, outcome: 'posted', findings: [auditFinding('org.promise'), auditFinding('org.price')] }),
      entry({ id: '2', createdAt: 1000, outcome: 'abandoned', findings: [auditFinding('org.promise')], site: { host: 'b.example', page: 'https://b.example/' } }),
      entry({ id: '3', createdAt: 2000, outcome: 'posted' }),
      entry({ id: '4', createdAt: 5000, outcome: 'posted', findings: [auditFinding('org.promise')] }),
    ];
    const stats = auditStats(entries);
    expect(stats.map((s) => [s.rule, s.drafts])).toEqual([
      ['org.promise', 3],
      ['org.price', 1],
    ]);
    expect(stats[0]).toMatchObject({
      pack: 'org',
      category: 'commitment',
      first: 1000,
      last: 5000,
      sites: [
        { host: 'blog.example.org', drafts: 2 },
        { host: 'b.example', drafts: 1 },
      ],
      outcomes: { posted: 2, abandoned: 1 },
    });
  });

  it('is empty when no audit rule fired', () => {
    expect(auditStats([entry()])).toEqual([]);
  });
});
