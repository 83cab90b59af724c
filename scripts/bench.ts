/**
 * `npm run bench`: how long ReplyGuard takes, against its budgets.
 *
 * Engine suite (bench/results/engine.json):
 *  - a full check with the built-in pack, sentence cache off, on drafts of
 *    about 280, 1,000, 5,000 and 20,000 characters made from real corpus
 *    texts (positives included, chosen deterministically);
 *  - a re-check of the 5,000-character draft after a one-character edit,
 *    cache warm, as happens on every keystroke;
 *  - floors on the same drafts, to show how much of a check is
 *    unavoidable: one compromise parse; one pass of a single regex made of
 *    every pattern rule's sources joined with |; and each pattern rule's
 *    regex run once over the whole text.
 *
 * Cold suite (bench/results/cold.json, scripts/bench-cold.ts): a fresh
 * process from its start to its first check result, in phases.
 *
 * Later suites (extension: injected bytes, keystroke-to-badge) go in SUITES
 * at the bottom; each writes its own bench/results/<name>.json.
 *
 * Usage: npm run bench [-- SUITE ...] [-- --corpus FILE.jsonl]
 * This is a script, not a test: it reports against the targets and does not
 * fail on a miss, since numbers depend on the machine and its load.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { check, compilePack, type CompiledPack, type CorpusLine } from '../src/engine';
import { parse as compromiseParse } from '../src/engine/nlp';
import { loadPackSource } from '../src/packs/source';
import { measureCold } from './bench-cold';
import { measureExtension } from './bench-extension';
import { seededRandom } from './lib/seeded-random';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');

// ---------------------------------------------------------------- timing

export interface Row {
  /** What was measured, e.g. "full check (cache off)". */
  name: string;
  /** Draft length in characters, when the measurement is about a draft. */
  chars?: number;
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  /** Budget for the median, when there is one. */
  targetMs?: number;
  /** Free-form extra facts (e.g. how many regex sources a floor used). */
  note?: string;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** Holds the latest result so no timed call's work can be thrown away unseen. */
export let lastResult: unknown;

interface TimingOptions {
  /** Untimed runs first, so the JIT has compiled the hot paths: at most this many, at least 3, about 300 ms. */
  warmup?: number;
  /** At least this many timed runs... */
  minRuns?: number;
  /** ...and keep going until this much time is spent, or maxRuns. */
  minTimeMs?: number;
  maxRuns?: number;
}

/**
 * Times `fn` repeatedly. `prepare` runs untimed before each run (e.g. to set
 * up the cache state a re-check needs) and its result is passed in;
 * warm-up runs get negative indices.
 */
function time<T>(fn: (prepared: T, i: number) => unknown, prepare: (i: number) => T, opts: TimingOptions = {}): Omit<Row, 'name'> {
  const { warmup = 20, minRuns = 15, minTimeMs = 1000, maxRuns = 500 } = opts;
  const warmStart = performance.now();
  for (let i = 0; i < warmup && (i < 3 || performance.now() - warmStart < 300); i++) lastResult = fn(prepare(-1 - i), -1 - i);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < maxRuns && (i < minRuns || performance.now() - started < minTimeMs); i++) {
    const input = prepare(i);
    const t0 = performance.now();
    lastResult = fn(input, i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { runs: samples.length, medianMs: quantile(samples, 0.5), p95Ms: quantile(samples, 0.95), minMs: samples[0]! };
}

const unprepared = (): undefined => undefined;


// ---------------------------------------------------------------- drafts


function readCorpus(file: string): CorpusLine[] {
  if (!existsSync(file)) throw new Error(`${file}: no such corpus (pass --corpus FILE.jsonl)`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusLine);
}

/**
 * A draft of about `chars` characters: corpus texts in a fixed shuffled
 * order, joined by blank lines as several replies would read, cut at the
 * last space before the target length.
 */
export function makeDraft(corpus: CorpusLine[], chars: number, seed = 2026): string {
  const order = corpus.map((_, i) => i);
  const random = seededRandom(seed + chars);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let text = '';
  for (let k = 0; text.length < chars; k++) text += (text ? '\n\n' : '') + corpus[order[k % order.length]!]!.text;
  const cut = text.lastIndexOf(' ', chars);
  return text.slice(0, cut > chars * 0.9 ? cut : chars);
}

/** Offsets of letters around the middle of a draft: edit points that change one word, not the sentence split. */
function editPoints(text: string, count: number): number[] {
  const points: number[] = [];
  const mid = Math.floor(text.length / 2);
  for (let d = 0; points.length < count && d < text.length; d++) {
    for (const p of [mid + d, mid - d - 1]) if (p >= 0 && p < text.length && /\p{L}/u.test(text[p]!) && points.length < count) points.push(p);
  }
  return points;
}

/** The draft with one letter replaced by another (never the same letter). */
function editAt(text: string, at: number, i: number): string {
  const letters = 'etaoinshrdlu';
  let c = letters[i % letters.length]!;
  if (c === text[at]!.toLowerCase()) c = letters[(i + 1) % letters.length]!;
  return text.slice(0, at) + c + text.slice(at + 1);
}

// ---------------------------------------------------------------- floors

/** Every pattern rule's sources as they run in the engine (flags kept), named groups made plain. */
function patternSources(pack: CompiledPack): Array<{ source: string; flags: string }> {
  const out: Array<{ source: string; flags: string }> = [];
  for (const { rule } of pack.rules) {
    if (rule.kind !== 'pattern') continue;
    for (const src of Array.isArray(rule.pattern) ? rule.pattern : [rule.pattern])
      out.push({ source: src.replace(/\(\?<([A-Za-z_$][\w$]*)>/g, '(?:'), flags: rule.caseSensitive ? 'gu' : 'giu' });
  }
  return out;
}

/**
 * One regex made of every pattern rule's sources joined with |: one read of
 * the text by a single automaton. (V8 loses its per-regex literal
 * prefilters on a large alternation, so this can be slower than the
 * separate passes below; both are reported.)
 */
function combinedPatternRegex(pack: CompiledPack): { regex: RegExp; sources: number } {
  const sources = patternSources(pack)
    .map((p) => p.source)
    .filter((src) => {
      try {
        new RegExp(src, 'giu');
        return true;
      } catch {
        return false; // a source that only compiles with its own flags is left out of the floor
      }
    });
  return { regex: new RegExp(sources.map((s) => `(?:${s})`).join('|') || '(?!)', 'giu'), sources: sources.length };
}

function regexPass(regex: RegExp, text: string): number {
  regex.lastIndex = 0;
  let n = 0;
  let m: RegExpExecArray | null;
  while ((m = regex.exec(text))) {
    n++;
    if (m[0].length === 0) regex.lastIndex++;
  }
  return n;
}

// ---------------------------------------------------------------- engine suite

const DRAFT_SIZES = [280, 1000, 5000, 20000] as const;
const FULL_CHECK_TARGET_MS: Partial<Record<number, number>> = { 280: 3, 5000: 15, 20000: 50 };
const RECHECK_CHARS = 5000;
const RECHECK_TARGET_MS = 3;

export interface SuiteContext {
  corpus: CorpusLine[];
  corpusFile: string;
}

export interface SuiteResult {
  rows: Row[];
  /** Facts about what was measured (pack, rule count...), saved with the rows. */
  about: Record<string, unknown>;
}

function measureEngine(ctx: SuiteContext): SuiteResult {
  const t0 = performance.now();
  const pack = compilePack(loadPackSource(join(ROOT, 'rules/builtin')) as never);
  const compileMs = performance.now() - t0;
  const drafts = new Map(DRAFT_SIZES.map((n) => [n, makeDraft(ctx.corpus, n)]));
  const rows: Row[] = [];

  for (const [n, text] of drafts) {
    rows.push({
      name: 'full check (cache off)',
      chars: text.length,
      targetMs: FULL_CHECK_TARGET_MS[n],
      note: `${check(pack, text, { cache: false }).length} findings`,
      ...time(() => check(pack, text, { cache: false }), unprepared),
    });
  }

  // Re-check: the draft has been checked (cache warm); one letter changes; check again.
  const base = drafts.get(RECHECK_CHARS)!;
  const points = editPoints(base, 400);
  check(pack, base);
  rows.push({
    name: 're-check after a 1-char edit (cache warm)',
    chars: base.length,
    targetMs: RECHECK_TARGET_MS,
    ...time(
      (edited: string) => check(pack, edited),
      (i) => {
        check(pack, base); // the unedited draft is what the cache last saw
        const k = i < 0 ? points.length + i : i; // warm-up runs use edits from the end of the list
        return editAt(base, points[k % points.length]!, i < 0 ? -i : i);
      },
      { minRuns: 50, maxRuns: 300 },
    ),
  });

  const { regex, sources } = combinedPatternRegex(pack);
  const separate = patternSources(pack).map((p) => new RegExp(p.source, p.flags));
  for (const [, text] of drafts) {
    rows.push({ name: 'floor: one compromise parse', chars: text.length, ...time(() => compromiseParse(text), unprepared) });
  }
  for (const [, text] of drafts) {
    rows.push({
      name: 'floor: one combined-regex pass',
      chars: text.length,
      note: `${sources} pattern sources joined with |`,
      // V8 cannot optimise a many-hundred-way alternation (about 1 s a pass at 20k characters): a few runs tell enough.
      ...time(() => regexPass(regex, text), unprepared, { warmup: 1, minRuns: 5, minTimeMs: 0 }),
    });
  }
  for (const [, text] of drafts) {
    rows.push({
      name: 'floor: each pattern regex once, no prefilter',
      chars: text.length,
      note: `${separate.length} regexes`,
      ...time(() => separate.reduce((n, re) => n + regexPass(re, text), 0), unprepared),
    });
  }

  return {
    rows,
    about: {
      pack: `${pack.pack.id} ${pack.pack.version}`,
      rules: pack.rules.length,
      rulesByKind: countBy(pack.rules.map((r) => r.rule.kind)),
      packCompileMs: round(compileMs),
      corpus: relative(ROOT, ctx.corpusFile),
      draftChars: [...drafts.values()].map((d) => d.length),
    },
  };
}

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) out[x] = (out[x] ?? 0) + 1;
  return out;
}

// ---------------------------------------------------------------- suites

export interface Suite {
  name: string;
  /** Written to bench/results/<file>. */
  file: string;
  measure(ctx: SuiteContext): SuiteResult | Promise<SuiteResult>;
}

/**
 * Every measurement `npm run bench` makes. Add later suites here, e.g.
 *   { name: 'extension', file: 'extension.json', measure: measureInjectedBytes } (content-script bytes per page)
 *   { name: 'keystroke', file: 'keystroke.json', measure: measureKeystrokeToBadge } (Chromium, typing to badge update)
 */
export const SUITES: Suite[] = [
  { name: 'engine', file: 'engine.json', measure: measureEngine },
  { name: 'cold', file: 'cold.json', measure: measureCold }, // scripts/bench-cold.ts
  { name: 'extension', file: 'extension.json', measure: measureExtension }, // scripts/bench-extension.ts
];

// ---------------------------------------------------------------- output

const round = (x: number): number => Math.round(x * 1000) / 1000;

function verdict(row: Row): string {
  if (row.targetMs === undefined) return '';
  return row.medianMs <= row.targetMs ? 'ok' : 'OVER';
}

function printTable(suite: string, rows: Row[]): void {
  const head = ['measurement', 'chars', 'runs', 'median ms', 'p95 ms', 'min ms', 'target', '', 'note'];
  const body = rows.map((r) => [
    r.name,
    r.chars === undefined ? '' : String(r.chars),
    String(r.runs),
    r.medianMs.toFixed(3),
    r.p95Ms.toFixed(3),
    r.minMs.toFixed(3),
    r.targetMs === undefined ? '' : `<= ${r.targetMs}`,
    verdict(r),
    r.note ?? '',
  ]);
  const right = [false, true, true, true, true, true, true, false, false];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(`\n${suite}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { corpus: { type: 'string' } }, allowPositionals: true });
  const corpusFile = values.corpus ?? join(ROOT, '..', 'shared', 'corpus', 'dev.jsonl');
  const unknown = positionals.filter((p) => !SUITES.some((s) => s.name === p));
  if (unknown.length) throw new Error(`unknown suite ${unknown.join(', ')} (have: ${SUITES.map((s) => s.name).join(', ')})`);
  const chosen = positionals.length ? SUITES.filter((s) => positionals.includes(s.name)) : SUITES;
  const ctx: SuiteContext = { corpus: readCorpus(corpusFile), corpusFile };
  const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length };
  console.log(`node ${machine.node}, ${machine.cores} x ${machine.cpu}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const suite of chosen) {
    const loadBefore = loadavg()[0]!;
    const { rows, about } = await suite.measure(ctx);
    printTable(suite.name, rows);
    const file = join(RESULTS_DIR, suite.file);
    const result = {
      suite: suite.name,
      date: new Date().toISOString(),
      commit: gitCommit(),
      machine: { ...machine, loadAverage1m: { before: round(loadBefore), after: round(loadavg()[0]!) } },
      about,
      rows: rows.map((r) => ({ ...r, medianMs: round(r.medianMs), p95Ms: round(r.p95Ms), minMs: round(r.minMs), withinTarget: r.targetMs === undefined ? null : r.medianMs <= r.targetMs })),
    };
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\n${Object.entries(about).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('; ')}`);
    console.log(`-> ${relative(ROOT, file)}`);
  }
}

// Run only as a script, so other tools can import makeDraft and the suites.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main().catch((e: unknown) => {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
