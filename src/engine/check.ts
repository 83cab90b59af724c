/**
 * check: a pure function of (compiled pack, draft) -> findings. Sentence
 * results are memoised per compiled pack, keyed by the sentence's text, so a
 * re-check after a small edit only re-analyses the sentences that changed.
 * The memo never changes a result, only how long it takes.
 *
 * Building blocks (standalone: false) only matter near their partner in a
 * near rule, so they are run on demand: for each near rule, the side with
 * less work left runs on every sentence it is due on, and the other side
 * only on the sentences within reach of the first side's hits. A block no
 * near rule uses never runs. This too never changes a result: a hit outside
 * those sentences could not pair with anything.
 */
import { escalate } from './categories';
import { SentenceWords } from './context';
import { DETECTORS } from './detectors';
import { parse, usesChunks, type NlpDoc } from './nlp';
import type { NearRule } from './schema';
import { segmentText, wordStarts, formatMessage, keywordForm, lowerSameLength, wordIndexAt, type Segment } from './text';
import type { CompiledPack, CompiledRule, Finding, Hit, LocalHit, SentenceInput } from './types';

interface SentenceResult {
  /** Per rule index: hits with offsets relative to the sentence, for every rule run on sight. */
  hits: Array<[number, Hit]>;
  /**
   * Building blocks due on this sentence (a keyword of theirs is in it): rule
   * index -> their hits once run, or null while not yet needed.
   */
  blocks: Map<number, LocalHit[] | null>;
  /** Whether the sentence was analysed with the keyword prefilter (decides which blocks are due). */
  prefilter: boolean;
}

const MAX_CACHED_SENTENCES = 4000;
const caches = new WeakMap<CompiledPack, Map<string, SentenceResult>>();

/** What check needs to know about a pack's near rules, worked out once per compiled pack. */
interface NearPlan {
  /** Rule id -> position. */
  index: Map<string, number>;
  /** Sentence rules that are building blocks: run on demand, never on sight. */
  blocks: Uint8Array;
  /** Per near rule (by position): its two sides and reach. */
  near: Map<number, { a: number; b: number; within: number }>;
  /** Whether a compromise parse needs chunk labels: only for nlp rules that match on chunks ("<Noun>"). */
  chunks: boolean;
  /** Rules that are a second opinion (a secondOpinion detector): heard only where no other rule of their category spoke. */
  secondOpinions: Uint8Array;
}

const plans = new WeakMap<CompiledPack, NearPlan>();

function planFor(pack: CompiledPack): NearPlan {
  let plan = plans.get(pack);
  if (plan) return plan;
  const index = new Map(pack.rules.map((r, i) => [r.rule.id, i]));
  const blocks = new Uint8Array(pack.rules.length);
  const near = new Map<number, { a: number; b: number; within: number }>();
  pack.rules.forEach((r, i) => {
    if (r.matcher.scope === 'sentence' && !r.rule.standalone) blocks[i] = 1;
    if (r.rule.kind === 'near') {
      const n = r.rule as NearRule;
      const a = index.get(n.a);
      const b = index.get(n.b);
      if (a !== undefined && b !== undefined) near.set(i, { a, b, within: n.within });
    }
  });
  const chunks = pack.rules.some(({ rule }) => rule.kind === 'nlp' && usesChunks([rule.match, rule.unlessMatch].flat()));
  const secondOpinions = new Uint8Array(pack.rules.map(({ rule }) => (rule.kind === 'detector' && DETECTORS[rule.detector]?.secondOpinion ? 1 : 0)));
  plans.set(pack, (plan = { index, blocks, near, chunks, secondOpinions }));
  return plan;
}

function cacheFor(pack: CompiledPack): Map<string, SentenceResult> {
  let c = caches.get(pack);
  if (!c) caches.set(pack, (c = new Map()));
  return c;
}

/** One sentence as the rules see it; the compromise parse is made on first use. */
function sentenceInput(text: string, prefilter: boolean, chunks: boolean, probe = keywordForm(text)): SentenceInput {
  let doc: NlpDoc | undefined;
  const input: SentenceInput = { text, lower: lowerSameLength(text), words: new SentenceWords(text), nlp: () => (doc ??= parse(text, chunks)) };
  if (prefilter) input.keywordText = probe;
  return input;
}

/** Runs rule i on a sentence, dropping hits on the organisation's own details. */
function runRule(pack: CompiledPack, i: number, input: SentenceInput): LocalHit[] {
  const m = pack.rules[i]!.matcher;
  if (m.scope !== 'sentence') return [];
  const out: LocalHit[] = [];
  for (const h of m.find(input)) if (!pack.allowed(input.text, h.start, h.end)) out.push(h);
  return out;
}

/**
 * Analyses sentences rule by rule rather than sentence by sentence: one rule's regex (its
 * compiled code and data) stays in the CPU caches while it reads every sentence it is due
 * on, instead of hundreds of other rules' regexes pushing it out between two sentences.
 * Each sentence's hits still come in rule order, as the memo has always held them.
 */
function analyseSentences(
  pack: CompiledPack,
  plan: NearPlan,
  texts: string[],
  prefilter: boolean,
  inputs: Map<string, SentenceInput>,
): SentenceResult[] {
  const n = pack.rules.length;
  const due = new Uint8Array(n * texts.length);
  const results = texts.map((text, k) => {
    const probe = keywordForm(text);
    inputs.set(text, sentenceInput(text, prefilter, plan.chunks, probe));
    const row = due.subarray(k * n, (k + 1) * n);
    if (prefilter) {
      for (const i of pack.keywords.always) row[i] = 1;
      // compilePack put every keyword in keywordForm.
      pack.keywords.matchInto(probe, row);
    } else row.fill(1);
    return { hits: [] as Array<[number, Hit]>, blocks: new Map<number, LocalHit[] | null>(), prefilter };
  });
  for (let i = 0; i < n; i++) {
    if (pack.rules[i]!.matcher.scope !== 'sentence') continue;
    for (let k = 0; k < texts.length; k++) {
      if (!due[k * n + i]) continue;
      const res = results[k]!;
      if (plan.blocks[i]) res.blocks.set(i, null);
      else for (const h of runRule(pack, i, inputs.get(texts[k]!)!)) res.hits.push([i, h]);
    }
  }
  return results;
}

export interface CheckOptions {
  /** Reuse sentence results from earlier checks of this pack (default true). */
  cache?: boolean;
  /**
   * Skip rules whose keywords are absent (default true). Turning it off runs
   * every rule on every sentence: slower, and meant only for tests that prove
   * a rule's keywords never hide one of its matches.
   */
  prefilter?: boolean;
}

export function check(pack: CompiledPack, text: string, options: CheckOptions = {}): Finding[] {
  const prefilter = options.prefilter !== false;
  // A memo filled with the prefilter on must not answer a check made with it off.
  const useCache = options.cache !== false && prefilter;
  const cache = cacheFor(pack);
  const plan = planFor(pack);
  const byRule: Hit[][] = pack.rules.map(() => []);
  const segments = segmentText(text);
  // Sentences the memo does not hold are analysed together, rule by rule (analyseSentences).
  const inputs = new Map<string, SentenceInput>();
  const fresh = new Map<string, SentenceResult>();
  const analyse = (texts: string[]): void => {
    analyseSentences(pack, plan, texts, prefilter, inputs).forEach((res, k) => fresh.set(texts[k]!, res));
  };
  analyse([...new Set(segments.map((seg) => seg.text))].filter((t) => !useCache || !cache.has(t)));
  const results: SentenceResult[] = [];
  for (const seg of segments) {
    let res = useCache ? cache.get(seg.text) : undefined;
    if (!res) {
      // (Not analysed above only if a draft of thousands of sentences evicted it meanwhile.)
      if (!fresh.has(seg.text)) analyse([seg.text]);
      res = fresh.get(seg.text)!;
      if (useCache) {
        if (cache.size >= MAX_CACHED_SENTENCES) cache.delete(cache.keys().next().value!);
        cache.set(seg.text, res);
      }
    } else {
      // Refresh recency so sentences still in the draft are evicted last.
      cache.delete(seg.text);
      cache.set(seg.text, res);
    }
    results.push(res);
    for (const [i, h] of res.hits) byRule[i]!.push({ start: seg.start + h.start, end: seg.start + h.end, escalate: h.escalate });
  }

  let starts: number[] | undefined;
  const blocks = new BlockHits(pack, plan, segments, results, inputs);
  pack.rules.forEach((r, i) => {
    const m = r.matcher;
    if (m.scope !== 'document') return;
    starts ??= wordStarts(text);
    const sides = plan.near.get(i);
    if (sides) blocks.demand(sides.a, sides.b, sides.within, starts);
    byRule[i] = m.find(text, starts, (id) => {
      const j = plan.index.get(id) ?? -1;
      return plan.blocks[j] ? blocks.hits(j) : (byRule[j] ?? []);
    });
  });

  const findings: Finding[] = [];
  const secondOpinions: Finding[] = [];
  pack.rules.forEach((r, i) => {
    if (!r.rule.standalone) return;
    for (const h of byRule[i]!) (plan.secondOpinions[i] ? secondOpinions : findings).push(toFinding(pack, r, text, h));
  });
  // A second opinion says "no rule matched, but this reads like ...": where a rule of its
  // category (same mode) already flagged the draft, it would only repeat it, anywhere in the draft.
  for (const f of secondOpinions)
    if (!findings.some((k) => k.category === f.category && k.mode === f.mode && k.severity !== 'info')) findings.push(f);
  return sortFindings(dedupe(findings));
}

/** The building blocks' hits in one draft, run sentence by sentence as near rules need them. */
class BlockHits {
  /** Per block: true once it has run on every sentence it is due on. */
  private complete = new Map<number, boolean>();

  constructor(
    private readonly pack: CompiledPack,
    private readonly plan: NearPlan,
    private readonly segments: Segment[],
    private readonly results: SentenceResult[],
    /** Sentence inputs made so far in this check, shared so a sentence is prepared (and parsed) once. */
    private readonly inputs: Map<string, SentenceInput>,
  ) {}

  /** Makes sure every hit of a that lies within `within` words of a hit of b (and vice versa) has been found. */
  demand(a: number, b: number, within: number, starts: number[]): void {
    const aDone = this.isComplete(a);
    const bDone = this.isComplete(b);
    if (aDone && bDone) return;
    // The side with less left to run goes first, on every sentence; the other only near its hits.
    let first = a;
    if (aDone) first = a;
    else if (bDone) first = b;
    else if (a !== b && this.pending(b) < this.pending(a)) first = b;
    const other = first === a ? b : a;
    this.runAll(first);
    if (other === first || this.isComplete(other)) return;
    const firstHits = this.hits(first);
    if (!firstHits.length) return;
    for (const h of firstHits) {
      // Word reach of the hit: a partner counts when its words come within `within` words of it.
      const firstWord = wordIndexAt(starts, h.start);
      const lastWord = wordIndexAt(starts, Math.max(h.start, h.end - 1));
      const from = firstWord - within <= 0 ? 0 : starts[firstWord - within]!;
      const to = starts[lastWord + within + 1] ?? Infinity;
      // Every partner within reach overlaps [from, to), and so does its sentence.
      for (let k = this.firstSegmentEndingAfter(from); k < this.segments.length && this.segments[k]!.start < to; k++) this.run(other, k);
    }
  }

  /** Every hit found so far of block i, in draft offsets and reading order. */
  hits(i: number): Hit[] {
    const out: Hit[] = [];
    this.results.forEach((res, k) => {
      const local = res.blocks.get(i);
      if (!local) return;
      const base = this.segments[k]!.start;
      for (const h of local) out.push({ start: base + h.start, end: base + h.end, escalate: h.escalate });
    });
    return out;
  }

  private isComplete(i: number): boolean {
    if (!this.plan.blocks[i]) return true; // run on sight
    let done = this.complete.get(i);
    if (done === undefined) {
      done = this.results.every((res) => res.blocks.get(i) !== null);
      this.complete.set(i, done);
    }
    return done;
  }

  /** Sentences block i is due on and has not run on yet. */
  private pending(i: number): number {
    let n = 0;
    for (const res of this.results) if (res.blocks.get(i) === null) n++;
    return n;
  }

  private runAll(i: number): void {
    if (this.isComplete(i)) return;
    for (let k = 0; k < this.segments.length; k++) this.run(i, k);
    this.complete.set(i, true);
  }

  private run(i: number, k: number): void {
    const res = this.results[k]!;
    if (res.blocks.get(i) !== null) return; // not due here, or already run
    const text = this.segments[k]!.text;
    let input = this.inputs.get(text);
    if (!input) this.inputs.set(text, (input = sentenceInput(text, res.prefilter, this.plan.chunks)));
    res.blocks.set(i, runRule(this.pack, i, input));
  }

  private firstSegmentEndingAfter(pos: number): number {
    let lo = 0;
    let hi = this.segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.segments[mid]!.end <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
function toFinding(pack: CompiledPack, r: CompiledRule, text: string, h: Hit): Finding {
  const rule = r.rule;
  const excerpt = text.slice(h.start, h.end);
  const f: Finding = {
    rule: rule.id,
    pack: pack.pack.id,
    category: rule.category,
    severity: h.escalate ? escalate(rule.severity) : rule.severity,
    mode: rule.mode,
    message: formatMessage(rule.message, excerpt),
    start: h.start,
    end: h.end,
    excerpt,
    clause: r.clause,
  };
  // The rule's own setting wins; otherwise the pack's for the finding's (possibly escalated) severity.
  if ((rule.allowOverride ?? pack.pack.allowOverride[f.severity]) === false) f.overridable = false;
  const replacement = rule.fix ? (rule.fix.kind === 'redact' ? '[redacted]' : rule.fix.text) : undefined;
  if (rule.suggestion !== undefined || replacement !== undefined) {
    f.suggestion = {};
    if (rule.suggestion !== undefined) f.suggestion.text = rule.suggestion;
    if (replacement !== undefined) f.suggestion.replacement = replacement;
  }
  return f;
}

/** Plain code-unit order: localeCompare would make the order depend on the browser's locale. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.start - b.start || a.end - b.end || byCodeUnits(a.pack, b.pack) || byCodeUnits(a.rule, b.rule));
}

const RANK = { info: 0, warning: 1, block: 2 } as const;

/**
 * Within one category, overlapping findings describe the same words: keep
 * the most severe (then the longest, then the first) so the writer sees one
 * underline and one message per problem. Audit findings are never shown, so
 * they neither hide nor are hidden by enforced ones.
 */
function dedupe(findings: Finding[]): Finding[] {
  const ordered = [...findings].sort(
    (a, b) =>
      RANK[b.severity] - RANK[a.severity] ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start ||
      byCodeUnits(a.pack, b.pack) ||
      byCodeUnits(a.rule, b.rule),
  );
  const kept: Finding[] = [];
  for (const f of ordered) {
    if (kept.some((k) => k.category === f.category && k.mode === f.mode && k.start < f.end && f.start < k.end)) continue;
    kept.push(f);
  }
  return kept;
}

/**
 * Checks a draft against several packs (admin, built-in, user) and merges the
 * findings; where two packs flag the same words for the same category, the
 * writer sees one finding, the most severe.
 */
export function checkAll(packs: CompiledPack[], text: string, options?: CheckOptions): Finding[] {
  return sortFindings(dedupe(packs.flatMap((p) => check(p, text, options))));
}
