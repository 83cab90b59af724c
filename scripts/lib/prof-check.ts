/**
 * CPU profile of full checks only (not loading or compiling the pack):
 *   npx tsx scripts/lib/prof-check.ts [chars] [runs] [out.cpuprofile]
 * Prints the check's wall and CPU time; the profile opens in Chrome DevTools.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { check, compilePack, type CorpusLine } from '../../src/engine';
import { makeDraft } from '../bench';

const root = join(import.meta.dirname, '../..');
const corpus = readFileSync(join(root, '../shared/corpus/dev.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as CorpusLine);
const chars = Number(process.argv[2] ?? 20000);
const runs = Number(process.argv[3] ?? 30);
const out = process.argv[4] ?? 'check.cpuprofile';
const text = makeDraft(corpus, chars);
const pack = compilePack(JSON.parse(readFileSync(join(root, 'rules/generated/builtin.json'), 'utf8')));
for (let i = 0; i < 5; i++) check(pack, text, { cache: false });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const times: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  check(pack, text, { cache: false });
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
const { profile } = await session.post('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
// On a shared machine wall time mostly measures the neighbours; CPU time is what the check itself costs.
console.log(
  `${text.length} chars: wall median ${times[times.length >> 1]!.toFixed(2)} ms, min ${times[0]!.toFixed(2)} ms; CPU median ${cpu[cpu.length >> 1]!.toFixed(2)} ms over ${runs} runs -> ${out}`,
);
