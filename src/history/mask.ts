/**
 * What of a draft the history keeps. By default every flagged span is replaced by a label
 * ("[redacted: personal data]"), so a reviewer sees the shape of the reply and what kind of thing
 * was in it, but not the phone number, the name or the password. An organisation that needs the
 * words (storeFullText in its managed policy) gets the full draft.
 *
 * Masking fails closed: if a finding's offsets do not fit the draft (it changed after the check),
 * the whole draft is withheld rather than risk storing the flagged words.
 */
import { CATEGORY_LABELS, severityRank, type Category } from '../engine/categories';
import type { Finding } from '../engine/types';
import { MAX_TEXT_CHARS, type FindingSummary } from './entry';

/** Shown instead of a draft whose findings do not line up with its text. */
export const WITHHELD_TEXT = '[draft withheld: it changed after it was checked]';

export function redactionLabel(categories: readonly Category[]): string {
  const labels = [...new Set(categories)].map((c) => (CATEGORY_LABELS[c] ?? c).toLowerCase());
  return `[redacted: ${labels.join(' / ')}]`;
}

type Span = Pick<Finding, 'start' | 'end' | 'category' | 'excerpt'>;

/**
 * The draft with every finding's span masked (info and audit findings too). Overlapping or
 * touching spans become one label naming each category. Other occurrences of a flagged excerpt
 * are masked as well: the same phone number written twice is the same personal data.
 */
export function maskDraft(text: string, findings: readonly Span[]): string {
  if (!findings.length) return text;
  const spans: Array<{ start: number; end: number; category: Category }> = [];
  for (const f of findings) {
    if (!(Number.isInteger(f.start) && Number.isInteger(f.end) && f.start >= 0 && f.end > f.start && f.end <= text.length)) return WITHHELD_TEXT;
    if (text.slice(f.start, f.end) !== f.excerpt) return WITHHELD_TEXT;
    spans.push({ start: f.start, end: f.end, category: f.category });
    // Repeats of the same words elsewhere in the draft (short excerpts would mask ordinary words).
    if (f.excerpt.trim().length >= 4) {
      for (let i = text.indexOf(f.excerpt); i >= 0; i = text.indexOf(f.excerpt, i + 1)) {
        if (i !== f.start) spans.push({ start: i, end: i + f.excerpt.length, category: f.category });
      }
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (let i = 0; i < spans.length; ) {
    const first = spans[i]!;
    let end = first.end;
    const categories: Category[] = [first.category];
    let j = i + 1;
    for (; j < spans.length && spans[j]!.start <= end; j++) {
      end = Math.max(end, spans[j]!.end);
      categories.push(spans[j]!.category);
    }
    out += text.slice(at, first.start) + redactionLabel(categories);
    at = end;
    i = j;
  }
  return out + text.slice(at);
}

/** The draft as the history stores it: masked unless fullText, cut to MAX_TEXT_CHARS. */
export function storedText(text: string, findings: readonly Span[], fullText: boolean): { text: string; truncated: boolean } {
  const kept = fullText ? text : maskDraft(text, findings);
  if (kept.length <= MAX_TEXT_CHARS) return { text: kept, truncated: false };
  return { text: `${kept.slice(0, MAX_TEXT_CHARS)}…`, truncated: true };
}

const summaryKey = (f: Pick<FindingSummary, 'pack' | 'rule'>) => `${f.pack}\u0000${f.rule}`;

/**
 * One line per rule (pack + rule id), keeping the highest severity seen; merged into `previous`
 * (the findings of the draft's earlier events), so an entry lists everything the draft ever had.
 */
export function summariseFindings(findings: readonly Finding[], previous: readonly FindingSummary[] = []): FindingSummary[] {
  const byRule = new Map<string, FindingSummary>();
  for (const s of previous) byRule.set(summaryKey(s), s);
  for (const f of findings) {
    const summary: FindingSummary = {
      rule: f.rule,
      pack: f.pack,
      category: f.category,
      severity: f.severity,
      mode: f.mode,
      clause: { id: f.clause.id, title: f.clause.title, url: f.clause.url },
    };
    const known = byRule.get(summaryKey(summary));
    if (!known || severityRank(summary.severity) > severityRank(known.severity)) byRule.set(summaryKey(summary), summary);
  }
  return [...byRule.values()];
}
