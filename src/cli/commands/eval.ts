/**
 * replyguard eval: accuracy of the packs on a labelled corpus of drafts
 * ({"id", "text", "labels": [category, ...]} per line), per category, plus
 * how often a clean draft is flagged at all.
 */
import { readFileSync } from 'node:fs';
import type { CorpusLine, EvalReport, Finding } from '../../engine';
import { CATEGORIES, type Category } from '../../engine/categories';
import { oneOf, packChoice, parseCommandArgs } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { table } from '../format';
import { assertReadableFile, writeOut } from '../io';
import { loadEngine } from '../lazy';

export const EVAL_HELP = `Usage:
  replyguard eval --corpus FILE.jsonl [--pack PATH ...] [--no-builtin]
                  [--format text|json] [--misses]

Scores the packs on a labelled corpus: each line is
{"id": "...", "text": "...", "labels": ["legal", ...]} (labels [] = clean).
A draft counts as flagged for a category when a finding of that category has
severity warning or block.

Options:
  --corpus FILE    the labelled corpus (JSON lines); required
  --pack PATH      also use this pack; may be repeated
  --no-builtin     use only the --pack packs
  --format FORMAT  text (default): an aligned table; json: the full report
  --misses         also list each wrongly judged draft (id, missed and false
                   categories, the rules that fired, the start of its text)
  -h, --help       show this help

Exit status: 0 report printed; 2 usage or input error (bad corpus line, invalid pack).`;

const CATEGORY_SET = new Set<string>(CATEGORIES);

/** Reads the whole corpus; any bad line stops the run, since a partial score would mislead. */
export function readCorpus(file: string): CorpusLine[] {
  assertReadableFile(file);
  const lines: CorpusLine[] = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      if (!raw.trim()) return;
      const where = `${file} line ${i + 1}`;
      let v: unknown;
      try {
        v = JSON.parse(raw.replace(/^\uFEFF/, ''));
      } catch (e) {
        throw new CliError(`${where}: not valid JSON (${(e as Error).message})`);
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new CliError(`${where}: expected an object {"id", "text", "labels"}`);
      const { id, text, labels } = v as Record<string, unknown>;
      if (typeof id !== 'string' && typeof id !== 'number') throw new CliError(`${where}: "id" must be a string`);
      if (typeof text !== 'string') throw new CliError(`${where}: "text" must be a string`);
      if (!Array.isArray(labels)) throw new CliError(`${where}: "labels" must be a list of categories ([] for a clean draft)`);
      for (const l of labels)
        if (typeof l !== 'string' || !CATEGORY_SET.has(l))
          throw new CliError(`${where}: unknown label ${JSON.stringify(l)} (expected one of: ${CATEGORIES.join(', ')})`);
      lines.push({ id: String(id), text, labels: labels as string[] });
    });
  if (lines.length === 0) throw new CliError(`${file}: the corpus is empty`);
  return lines;
}

export interface EvalResult extends EvalReport {
  /** Totals over all categories (micro-average). */
  overall: { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number };
  packs: string[];
  ms: number;
}

function overallScore(report: EvalReport): EvalResult['overall'] {
  const tp = report.categories.reduce((s, c) => s + c.tp, 0);
  const fp = report.categories.reduce((s, c) => s + c.fp, 0);
  const fn = report.categories.reduce((s, c) => s + c.fn, 0);
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

const fixed = (x: number): string => x.toFixed(2);

function formatReport(r: EvalResult): string {
  const rows = r.categories.map((c) => [c.category, String(c.tp), String(c.fp), String(c.fn), fixed(c.precision), fixed(c.recall), fixed(c.f1)]);
  const o = r.overall;
  rows.push(['all (micro)', String(o.tp), String(o.fp), String(o.fn), fixed(o.precision), fixed(o.recall), fixed(o.f1)]);
  const head = ['category', 'tp', 'fp', 'fn', 'precision', 'recall', 'F1'];
  const clean = r.clean;
  return [
    table(head, rows, [false, true, true, true, true, true, true]),
    '',
    `clean drafts flagged: ${clean.falseAlarms} of ${clean.drafts} (false-alarm rate ${(clean.rate * 100).toFixed(1)}%)`,
    `${r.drafts} drafts checked in ${r.ms.toFixed(0)} ms with ${r.packs.join(', ')}`,
  ].join('\n');
}

function formatMisses(r: EvalResult, lines: CorpusLine[], findingsOf: Map<CorpusLine, Finding[]>): string {
  const byId = new Map<string, { fn: Category[]; fp: Category[] }>();
  for (const m of r.misses) {
    const entry = byId.get(m.id) ?? { fn: [], fp: [] };
    entry[m.kind].push(m.category);
    byId.set(m.id, entry);
  }
  const out = [`\n${byId.size} draft${byId.size === 1 ? '' : 's'} judged wrongly:`];
  for (const line of lines) {
    const miss = byId.get(line.id);
    if (!miss) continue;
    const parts = [miss.fn.length ? `missed ${miss.fn.join(', ')}` : '', miss.fp.length ? `false ${miss.fp.join(', ')}` : ''].filter(Boolean);
    const fired = (findingsOf.get(line) ?? []).filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${JSON.stringify(f.excerpt)}`);
    const preview = line.text.replace(/\s+/g, ' ');
    out.push(`${line.id}  ${parts.join('; ')}  labels [${line.labels.join(', ')}]`);
    out.push(`    ${preview.length > 140 ? `${preview.slice(0, 137)}…` : preview}`);
    if (fired.length) out.push(`    fired: ${fired.join('; ')}`);
    byId.delete(line.id);
  }
  return out.join('\n');
}

export async function evalCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('eval', argv, {
    corpus: { type: 'string' },
    pack: { type: 'string', multiple: true },
    'no-builtin': { type: 'boolean' },
    format: { type: 'string' },
    misses: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(EVAL_HELP);
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" (the corpus goes after --corpus)`, 'eval');
  if (typeof values.corpus !== 'string') throw new UsageError('--corpus FILE.jsonl is required', 'eval');
  const format = oneOf('eval', 'format', values.format, ['text', 'json'] as const, 'text');
  const choice = packChoice(values, 'eval');

  const lines = readCorpus(values.corpus);
  const { loadPacks, checkAll, evaluate } = await loadEngine();
  const packs = loadPacks(choice, 'eval');
  const t0 = performance.now();
  const findingsOf = new Map(lines.map((l) => [l, checkAll(packs, l.text)]));
  const ms = performance.now() - t0;
  const report = evaluate(lines, (l) => findingsOf.get(l)!);
  const result: EvalResult = { ...report, overall: overallScore(report), packs: packs.map((p) => p.pack.id), ms };

  if (format === 'json') {
    const { misses, ...rest } = result;
    await writeOut(`${JSON.stringify(values.misses ? result : rest, null, 2)}\n`);
  } else {
    await writeOut(`${formatReport(result)}${values.misses ? formatMisses(result, lines, findingsOf) : ''}\n`);
  }
  return EXIT.ok;
}
