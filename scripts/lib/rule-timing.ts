/**
 * Where a full check spends its time, rule by rule: wraps every sentence
 * rule's matcher with a clock and runs real checks (cache off), so building
 * blocks count only where check() runs them (near their partners). The
 * compromise parses are counted apart from the rule that asked first.
 * A development aid for the speed work:
 *   npx tsx scripts/lib/rule-timing.ts [chars] [rounds]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, compilePack, type CorpusLine } from '../../src/engine';
import type { SentenceInput } from '../../src/engine/types';
import { makeDraft } from '../bench';

const root = join(import.meta.dirname, '../..');
const chars = Number(process.argv[2] ?? 20000);
const rounds = Number(process.argv[3] ?? 10);
const corpus = readFileSync(join(root, '../shared/corpus/dev.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as CorpusLine);
const text = makeDraft(corpus, chars);
const pack = compilePack(JSON.parse(readFileSync(join(root, 'rules/generated/builtin.json'), 'utf8')));
const spent = new Float64Array(pack.rules.length);
const calls = new Uint32Array(pack.rules.length);
let parseMs = 0;
let parses = 0;
pack.rules.forEach((r, i) => {
  const inner = r.matcher;
  if (inner.scope !== 'sentence') return;
  r.matcher = {
    scope: 'sentence',
    keywords: inner.keywords,
    find(s: SentenceInput) {
      const nlp = s.nlp;
      let parsedHere = 0;
      const timed: SentenceInput = {
        ...s,
        nlp: () => {
          const p0 = performance.now();
          const doc = nlp();
          const dt = performance.now() - p0;
          if (dt > 0.05) (parses++, (parseMs += dt), (parsedHere += dt));
          return doc;
        },
      };
      const t = performance.now();
      const out = inner.find(timed);
      spent[i]! += performance.now() - t - parsedHere;
      calls[i]!++;
      return out;
    },
  };
});
// Untimed rounds first: a regex's first run compiles it, and gates are worked out on first use.
for (let round = 0; round < 3; round++) check(pack, text, { cache: false });
spent.fill(0);
calls.fill(0);
parseMs = 0;
parses = 0;
const t0 = performance.now();
for (let round = 0; round < rounds; round++) check(pack, text, { cache: false });
const wall = (performance.now() - t0) / rounds;
const total = [...spent].reduce((a, b) => a + b, 0);
console.log(
  `${text.length} chars, ${rounds} rounds; per check: ${wall.toFixed(2)} ms, sentence rules ${(total / rounds).toFixed(2)} ms, compromise ${(parseMs / rounds).toFixed(2)} ms (${parses / rounds} parses)`,
);
const order = [...spent.keys()].sort((a, b) => spent[b]! - spent[a]!);
for (const i of order.slice(0, Number(process.env.TOP ?? 30))) {
  const r = pack.rules[i]!.rule;
  console.log(`${(spent[i]! / rounds).toFixed(3).padStart(8)} ms  ${String(calls[i]! / rounds).padStart(4)} calls  ${r.kind.padEnd(8)} ${r.standalone ? '      ' : 'block '}${r.id}`);
}
