/** Words and dates for the review page (plain English; the user's own locale for dates). */
import { ABANDONED_BY_LABELS, OUTCOME_LABELS, type HistoryEntry } from '../../history/entry';

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDay(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** A machine-readable local date-time for <time datetime>. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Each step of a draft's timeline, in words. */
export const STEP_LABELS: Record<HistoryEntry['outcome'], string> = {
  flagged: 'Stopped by ReplyGuard',
  edited: 'Went back to edit',
  posted: 'Posted',
  'posted-anyway': 'Posted anyway',
  abandoned: 'Abandoned',
};

/** The outcome's short label. */
export function outcomeLabel(entry: Pick<HistoryEntry, 'outcome'>): string {
  return OUTCOME_LABELS[entry.outcome];
}

/** One sentence saying what happened to the draft, for a reviewer. */
export function outcomeDetail(entry: HistoryEntry): string {
  switch (entry.outcome) {
    case 'flagged':
      return 'ReplyGuard stopped the post; the draft has not been posted or given up yet.';
    case 'edited':
      return 'The writer went back to edit the draft; it has not been posted yet.';
    case 'posted-anyway':
      return entry.reason ? 'The writer posted the draft despite the warning, giving this reason:' : 'The writer posted the draft despite the warning and gave no reason.';
    case 'abandoned':
      return `The draft was not posted: ${entry.abandonedBy ? ABANDONED_BY_LABELS[entry.abandonedBy] : 'it was given up'}.`;
    case 'posted': {
      if (entry.timeline.some((t) => t.kind === 'flagged')) return 'The writer edited the draft after the warning, then posted it with nothing flagged.';
      const shown = entry.findings.some((f) => f.mode === 'enforce' && f.severity !== 'info');
      return shown
        ? 'Posted after the writer chose to ignore the warnings.'
        : 'Posted. Only audit-mode rules fired, which the writer does not see.';
    }
  }
}

/** Splits a stored draft into text and "[redacted: …]" labels, to mark the labels. */
export function redactionParts(text: string): Array<{ text: string; redacted: boolean }> {
  const parts: Array<{ text: string; redacted: boolean }> = [];
  const pattern = /\[redacted: [^\]]*\]/g;
  let at = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index), redacted: false });
    parts.push({ text: m[0], redacted: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), redacted: false });
  return parts;
}
