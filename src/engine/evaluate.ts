/**
 * Accuracy against a labelled corpus (shared/policy/categories.md): a draft
 * is flagged for a category when a finding of that category has severity
 * warning or block. Audit-mode findings count too: eval measures what rules
 * detect, whether or not they are shown yet.
 */
import { CATEGORIES, type Category } from './categories';
import type { Finding } from './types';

export interface CorpusLine {
  id: string;
  text: string;
  labels: string[];
}

export interface CategoryScore {
  category: Category;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvalReport {
  drafts: number;
  categories: CategoryScore[];
  clean: { drafts: number; falseAlarms: number; rate: number; ids: string[] };
  misses: Array<{ id: string; category: Category; kind: 'fp' | 'fn' }>;
}

export function flaggedCategories(findings: Finding[]): Set<Category> {
  return new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.category));
}

export function evaluate(lines: CorpusLine[], findingsOf: (line: CorpusLine) => Finding[]): EvalReport {
  const counts = new Map(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  const misses: EvalReport['misses'] = [];
  const cleanFalse: string[] = [];
  let clean = 0;
  for (const line of lines) {
    // A misspelt label would silently count as "not flagged"; refuse it instead.
    const unknown = line.labels.find((l) => !(CATEGORIES as readonly string[]).includes(l));
    if (unknown !== undefined)
      throw new Error(`corpus line "${line.id}": unknown label "${unknown}" (expected one of: ${CATEGORIES.join(', ')})`);
    const got = flaggedCategories(findingsOf(line));
    const want = new Set(line.labels);
    if (want.size === 0) {
      clean++;
      if (got.size > 0) cleanFalse.push(line.id);
    }
    for (const c of CATEGORIES) {
      const n = counts.get(c)!;
      if (got.has(c) && want.has(c)) n.tp++;
      else if (got.has(c)) {
        n.fp++;
        misses.push({ id: line.id, category: c, kind: 'fp' });
      } else if (want.has(c)) {
        n.fn++;
        misses.push({ id: line.id, category: c, kind: 'fn' });
      }
    }
  }
  const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
  return {
    drafts: lines.length,
    categories: CATEGORIES.map((category) => {
      const { tp, fp, fn } = counts.get(category)!;
      const precision = ratio(tp, tp + fp);
      const recall = ratio(tp, tp + fn);
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      return { category, tp, fp, fn, precision, recall, f1 };
    }),
    clean: { drafts: clean, falseAlarms: cleanFalse.length, rate: ratio(cleanFalse.length, clean || 1) * (clean ? 1 : 0), ids: cleanFalse },
    misses,
  };
}
