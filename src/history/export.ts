/**
 * Exports of the history for reviewers' own tools: CSV (one row per draft) and JSON (the entries).
 *
 * CSV follows RFC 4180 (CRLF line ends; a field holding a comma, quote or line break is quoted,
 * its quotes doubled) and is safe to open in a spreadsheet: a cell that starts with = + - @ (or a
 * tab or carriage return) is prefixed with ' so it is read as text, never run as a formula
 * (OWASP "CSV injection"). Drafts and reasons are written by people and pages: never trusted.
 */
import { CATEGORY_LABELS } from '../engine/categories';
import { ABANDONED_BY_LABELS, OUTCOME_LABELS, type HistoryEntry } from './entry';
import type { HistoryFilter } from './filter';

/** Neutralises a spreadsheet formula: the cell is shown as the text it is. */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV field: formula-safe, quoted when RFC 4180 requires it. */
export function csvField(value: string): string {
  const safe = defuseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(values: readonly string[]): string {
  return values.map(csvField).join(',');
}

export const CSV_COLUMNS = [
  'id',
  'time (UTC)',
  'last update (UTC)',
  'site',
  'page',
  'outcome',
  'abandoned because',
  'reason for posting anyway',
  'reviewed',
  'categories',
  'clauses',
  'severities',
  'rules',
  'audit-only rules',
  'draft',
  'draft is full text',
] as const;

const unique = (values: string[]) => [...new Set(values)];

function entryRow(e: HistoryEntry): string[] {
  const enforced = e.findings.filter((f) => f.mode === 'enforce');
  const audit = e.findings.filter((f) => f.mode === 'audit');
  return [
    e.id,
    new Date(e.createdAt).toISOString(),
    new Date(e.updatedAt).toISOString(),
    e.site.host,
    e.site.page,
    OUTCOME_LABELS[e.outcome],
    e.abandonedBy ? ABANDONED_BY_LABELS[e.abandonedBy] : '',
    e.reason ?? '',
    e.reviewed ? 'yes' : 'no',
    unique(e.findings.map((f) => CATEGORY_LABELS[f.category] ?? f.category)).join('; '),
    unique(e.findings.map((f) => `${f.clause.id}: ${f.clause.title}`)).join('; '),
    unique(e.findings.map((f) => f.severity)).join('; '),
    enforced.map((f) => `${f.pack}/${f.rule}`).join('; '),
    audit.map((f) => `${f.pack}/${f.rule}`).join('; '),
    e.text,
    e.fullText ? 'yes' : 'no',
  ];
}

/** The entries as CSV: a header row, then one row per entry, CRLF line ends. */
export function toCsv(entries: readonly HistoryEntry[]): string {
  return [csvRow(CSV_COLUMNS), ...entries.map((e) => csvRow(entryRow(e)))].join('\r\n') + '\r\n';
}

/** The entries as JSON, with when and how they were selected. The tab id is internal: left out. */
export function toJson(entries: readonly HistoryEntry[], filter: HistoryFilter, exportedAt: number): string {
  const clean = entries.map(({ tabId: _tabId, ...rest }) => rest);
  return JSON.stringify({ format: 'replyguard-history', version: 1, exportedAt: new Date(exportedAt).toISOString(), filter, entries: clean }, null, 2);
}

/** replyguard-history-2026-11-26.csv (the local date of the export). */
export function exportFileName(format: 'csv' | 'json', at: number): string {
  const d = new Date(at);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return `replyguard-history-${day}.${format}`;
}
