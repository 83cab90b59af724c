/**
 * Where a full check spends its time, rule by rule: runs each sentence rule's
 * matcher on the sentences the keyword prefilter lets it see, timing each
 * call (building blocks included, although check() runs them only near
 * their partners). A development aid for the speed
 * work (`npx tsx scripts/lib/rule-timing.ts [chars] [rounds]`); a check
 * itself never pays for the clock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePack, type CorpusLine } from '../../src/engine';
import { SentenceWords } from '../../src/engine/context';
import { parse, type NlpDoc } from '../../src/engine/nlp';
import { keywordForm, lowerSameLength, segmentText } from '../../src/engine/text';
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
let prefilterMs = 0;
let parses = 0;
for (let round = 0; round < rounds; round++) {
  for (const seg of segmentText(text)) {
    const t0 = performance.now();
    const probe = keywordForm(seg.text);
    const due = new Uint8Array(pack.rules.length);
    for (const i of pack.keywords.always) due[i] = 1;
    pack.keywords.matchInto(probe, due);
    prefilterMs += performance.now() - t0;
    let doc: NlpDoc | undefined;
    const input: SentenceInput = {
      text: seg.text,
      lower: lowerSameLength(seg.text),
      words: new SentenceWords(seg.text),
      keywordText: probe,
      nlp: () => {
        if (doc) return doc;
        const p0 = performance.now();
        doc = parse(seg.text);
        parses++;
        parseMs += performance.now() - p0;
        return doc;
      },
    };
    pack.rules.forEach((r, i) => {
      if (r.matcher.scope !== 'sentence' || !due[i]) return;
      const p = parseMs;
      const t = performance.now();
      r.matcher.find(input);
      spent[i]! += performance.now() - t - (parseMs - p);
      calls[i]!++;
    });
  }
}
const total = [...spent].reduce((a, b) => a + b, 0);
console.log(`${text.length} chars, ${rounds} rounds; per check: rules ${(total / rounds).toFixed(2)} ms, compromise ${(parseMs / rounds).toFixed(2)} ms (${parses / rounds} parses), prefilter ${(prefilterMs / rounds).toFixed(2)} ms`);
const order = [...spent.keys()].sort((a, b) => spent[b]! - spent[a]!);
for (const i of order.slice(0, 30)) {
  const r = pack.rules[i]!.rule;
  console.log(`${(spent[i]! / rounds).toFixed(3).padStart(8)} ms  ${String(calls[i]! / rounds).padStart(4)} calls  ${r.kind.padEnd(8)} ${r.standalone ? "      " : "block "}${r.id}`);
}
const blockMs = pack.rules.reduce((n, r, i) => n + (r.rule.standalone ? 0 : spent[i]!), 0);
console.log(`building blocks (standalone: false): ${(blockMs / rounds).toFixed(2)} ms of ${(total / rounds).toFixed(2)} ms`);
