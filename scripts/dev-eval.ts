/**
 * Development aid while tuning the built-in pack: per-category scores on a
 * corpus and the drafts each category gets wrong. Usage:
 *   npx tsx scripts/dev-eval.ts [corpus.jsonl] [category]
 */
import { readFileSync } from 'node:fs';
import { check, compilePack, evaluate, type CorpusLine } from '../src/engine';
import { loadPackSource } from '../src/packs/source';

const corpus = process.argv[2] ?? '../shared/corpus/dev.jsonl';
const only = process.argv[3];
const lines = readFileSync(corpus, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CorpusLine);
const pack = compilePack(loadPackSource('rules/builtin') as never);
const t0 = performance.now();
const findings = new Map(lines.map((l) => [l.id, check(pack, l.text)]));
const ms = performance.now() - t0;
const report = evaluate(lines, (l) => findings.get(l.id)!);
for (const c of report.categories)
  console.log(`${c.category.padEnd(14)} P ${c.precision.toFixed(2)} R ${c.recall.toFixed(2)} F1 ${c.f1.toFixed(2)}  tp ${c.tp} fp ${c.fp} fn ${c.fn}`);
console.log(`clean false alarms ${report.clean.falseAlarms}/${report.clean.drafts}; ${lines.length} drafts checked in ${ms.toFixed(0)} ms (cold cache)`);
for (const m of report.misses) {
  if (only && m.category !== only) continue;
  const line = lines.find((l) => l.id === m.id)!;
  const fs = findings.get(m.id)!.filter((f) => f.category === m.category || m.kind === 'fn');
  console.log(`\n[${m.kind}] ${m.category} ${m.id} labels=${JSON.stringify(line.labels)}\n  ${line.text.replace(/\n/g, ' / ')}`);
  for (const f of fs) console.log(`  -> ${f.rule} ${f.severity} ${JSON.stringify(f.excerpt)}`);
}
