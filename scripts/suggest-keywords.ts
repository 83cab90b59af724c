/**
 * Development aid for pattern rules' `keywords` (the prefilter that decides
 * which sentences a rule runs on). For every pattern rule of a pack it prints
 * what the analysis in scripts/lib/required-literals.ts proves every match
 * must contain, and whether the rule's keywords cover it:
 *   npx tsx scripts/suggest-keywords.ts [pack dir or file] [rule id prefix]
 * "safe" means every match contains a keyword; "UNSAFE" lists the literals
 * no keyword covers; "unproved" means the regex promises nothing the
 * analysis can use, so the rule must keep running on every sentence.
 */
import { loadPackSource } from '../src/packs/source';
import type { Rule } from '../src/engine/schema';
import { requiredLiteralsOfAll, uncoveredLiterals } from './lib/required-literals';

const packPath = process.argv[2] ?? 'rules/builtin';
const only = process.argv[3] ?? '';
const pack = loadPackSource(packPath) as { rules: Rule[] };
for (const rule of pack.rules) {
  if (rule.kind !== 'pattern' || !rule.id.startsWith(only)) continue;
  const sources = Array.isArray(rule.pattern) ? rule.pattern : [rule.pattern];
  const ignoreCase = !rule.caseSensitive;
  const derived = requiredLiteralsOfAll(sources, ignoreCase);
  const shown = derived ? JSON.stringify([...derived]) : 'nothing provable';
  if (!rule.keywords) {
    console.log(`${rule.id}: no keywords; every match contains one of ${shown}`);
    continue;
  }
  const missing = uncoveredLiterals(sources, rule.keywords, ignoreCase);
  const verdict = missing === null ? 'unproved' : missing.length ? `UNSAFE, uncovered: ${JSON.stringify(missing)}` : 'safe';
  console.log(`${rule.id}: ${verdict}; required ${shown}`);
}
