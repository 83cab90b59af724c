/**
 * Proof that a speed change lost no finding: checks every text at hand with
 * the built-in pack and saves, or compares against, the full findings.
 *
 *   npx tsx scripts/bench-findings.ts save FILE.json     (before the change)
 *   npx tsx scripts/bench-findings.ts compare FILE.json  (after: exit 1 on any difference)
 * An optional third argument names the pack directory (default rules/builtin),
 * so an older checkout's engine can be run over today's rules.
 *
 * Texts: ../shared/corpus/dev.jsonl, tests/corpus/*.jsonl, every rule
 * example of the pack, and the bench drafts (280 to 20,000 characters).
 * Each is checked with the sentence cache off, and the bench drafts once
 * more with it on, so a change to the memo is covered too. A finding is
 * compared whole (rule, offsets, severity, message, clause, suggestion).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, compilePack, type CorpusLine, type Finding } from '../src/engine';
import { loadPackSource } from '../src/packs/source';
import { makeDraft } from './bench';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function readLines(file: string): CorpusLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusLine);
}

function texts(pack: ReturnType<typeof compilePack>): Array<{ key: string; text: string; cache?: boolean }> {
  const out: Array<{ key: string; text: string; cache?: boolean }> = [];
  const dev = join(ROOT, '..', 'shared', 'corpus', 'dev.jsonl');
  const corpora = [dev, ...readdirSync(join(ROOT, 'tests/corpus')).filter((f) => f.endsWith('.jsonl')).map((f) => join(ROOT, 'tests/corpus', f))];
  for (const file of corpora.filter(existsSync)) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    readLines(file).forEach((l, i) => out.push({ key: `${name}#${l.id ?? i}`, text: l.text }));
  }
  for (const r of pack.rules) {
    r.rule.examples.flag.forEach((t, i) => out.push({ key: `example:${r.rule.id}:flag${i}`, text: t }));
    r.rule.examples.pass.forEach((t, i) => out.push({ key: `example:${r.rule.id}:pass${i}`, text: t }));
  }
  const devLines = readLines(dev);
  for (const n of [280, 1000, 5000, 20000]) {
    const draft = makeDraft(devLines, n);
    out.push({ key: `draft:${n}`, text: draft });
    out.push({ key: `draft:${n}:cached`, text: draft, cache: true });
  }
  return out;
}

const [mode, file, packDir = join(ROOT, 'rules/builtin')] = process.argv.slice(2);
if ((mode !== 'save' && mode !== 'compare') || !file) {
  console.error('usage: tsx scripts/bench-findings.ts save|compare FILE.json');
  process.exit(2);
}
const t0 = performance.now();
const pack = compilePack(loadPackSource(packDir) as never);
const results: Record<string, Finding[]> = {};
for (const { key, text, cache } of texts(pack)) results[key] = check(pack, text, { cache: cache === true });
const count = Object.values(results).reduce((n, f) => n + f.length, 0);
if (mode === 'save') {
  writeFileSync(file, `${JSON.stringify(results)}\n`);
  console.log(`saved ${Object.keys(results).length} texts, ${count} findings -> ${file} (${Math.round(performance.now() - t0)} ms)`);
} else {
  const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Finding[]>;
  const keys = new Set([...Object.keys(before), ...Object.keys(results)]);
  const diffs: string[] = [];
  for (const key of keys) {
    const a = JSON.stringify(before[key] ?? null);
    const b = JSON.stringify(results[key] ?? null);
    if (a !== b) diffs.push(`${key}:\n  before ${a}\n  after  ${b}`);
  }
  if (diffs.length) {
    console.error(`${diffs.length} of ${keys.size} texts differ:\n${diffs.slice(0, 20).join('\n')}`);
    process.exit(1);
  }
  console.log(`identical: ${keys.size} texts, ${count} findings (${Math.round(performance.now() - t0)} ms)`);
}
