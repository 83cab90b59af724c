/**
 * Development aid for pattern rules' `keywords` (the prefilter that decides
 * which sentences a rule runs on). For every pattern rule of a pack it prints
 * what the analysis in scripts/lib/required-literals.ts proves every match
 * must contain, and whether the rule's keywords cover it:
 *   npx tsx scripts/suggest-keywords.ts [pack dir or file] [rule id prefix] [--choose]
 * "safe" means every match contains a keyword; "UNSAFE" lists the literals
 * no keyword covers; "unproved" means the regex promises nothing the
 * analysis can use, so the rule must keep running on every sentence.
 * With --choose it also proposes a short safe list (scripts/lib/keyword-choice.ts)
 * and how many sentences of the corpora each list lets the rule run on.
 */
import { loadPackSource } from '../src/packs/source';
import type { Rule } from '../src/engine/schema';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { segmentText, keywordForm } from '../src/engine/text';
import { chooseKeywords } from './lib/keyword-choice';
import { requiredLiteralsOfAll, uncoveredLiterals } from './lib/required-literals';

const args = process.argv.slice(2).filter((a) => a !== '--choose');
const choose = process.argv.includes('--choose');
const packPath = args[0] ?? 'rules/builtin';
const only = args[1] ?? '';

/** Sentences of every corpus at hand, in keywordForm: the sample keyword lists are judged on. */
function sampleSentences(): string[] {
  const files = ['../shared/corpus/dev.jsonl', ...(existsSync('tests/corpus') ? readdirSync('tests/corpus').map((f) => join('tests/corpus', f)) : [])];
  return files
    .filter((f) => f.endsWith('.jsonl') && existsSync(f))
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()))
    .flatMap((l) => segmentText((JSON.parse(l) as { text: string }).text).map((s) => keywordForm(s.text)));
}
const sample = choose ? sampleSentences() : [];
const admits = (keywords: string[]): number => sample.filter((s) => keywords.some((k) => s.includes(keywordForm(k)))).length;
const pack = loadPackSource(packPath) as { rules: Rule[] };
for (const rule of pack.rules) {
  if (rule.kind !== 'pattern' || !rule.id.startsWith(only)) continue;
  const sources = Array.isArray(rule.pattern) ? rule.pattern : [rule.pattern];
  const ignoreCase = !rule.caseSensitive;
  const derived = requiredLiteralsOfAll(sources, ignoreCase);
  const shown = derived ? JSON.stringify([...derived]) : 'nothing provable';
  if (!rule.keywords) {
    console.log(`${rule.id}: no keywords; every match contains one of ${shown}`);
    if (choose && derived) console.log(`  proposed (${chooseKeywords(derived, sample).admitted}/${sample.length}): ${JSON.stringify(chooseKeywords(derived, sample).keywords)}`);
    continue;
  }
  const missing = uncoveredLiterals(sources, rule.keywords, ignoreCase);
  const verdict = missing === null ? 'unproved' : missing.length ? `UNSAFE, uncovered: ${JSON.stringify(missing)}` : 'safe';
  console.log(`${rule.id}: ${verdict}; required ${shown}`);
  if (choose && derived) {
    const proposal = chooseKeywords(derived, sample);
    console.log(`  keywords run it on ${admits(rule.keywords)}/${sample.length} sample sentences; proposed (${proposal.admitted}): ${JSON.stringify(proposal.keywords)}`);
  }
}
