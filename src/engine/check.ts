/**
 * check: a pure function of (compiled pack, draft) -> findings. Sentence
 * results are memoised per compiled pack, keyed by the sentence's text, so a
 * re-check after a small edit only re-analyses the sentences that changed.
 * The memo never changes a result, only how long it takes.
 */
import { escalate } from './categories';
import { SentenceWords } from './context';
import { parse, type NlpDoc } from './nlp';
import { segmentText, wordStarts, formatMessage, keywordForm, lowerSameLength } from './text';
import type { CompiledPack, CompiledRule, Finding, Hit, SentenceInput } from './types';

interface SentenceResult {
  /** Per rule index: hits with offsets relative to the sentence. */
  hits: Array<[number, Hit]>;
}

const MAX_CACHED_SENTENCES = 4000;
const caches = new WeakMap<CompiledPack, Map<string, SentenceResult>>();

const ruleIndexes = new WeakMap<CompiledPack, Map<string, number>>();

/** Rule id -> position, for near rules; built once per compiled pack, not on every keystroke's check. */
function ruleIndexFor(pack: CompiledPack): Map<string, number> {
  let index = ruleIndexes.get(pack);
  if (!index) ruleIndexes.set(pack, (index = new Map(pack.rules.map((r, i) => [r.rule.id, i]))));
  return index;
}

function cacheFor(pack: CompiledPack): Map<string, SentenceResult> {
  let c = caches.get(pack);
  if (!c) caches.set(pack, (c = new Map()));
  return c;
}

function analyseSentence(pack: CompiledPack, text: string, prefilter: boolean): SentenceResult {
  const lower = lowerSameLength(text);
  let doc: NlpDoc | undefined;
  const probe = keywordForm(text);
  const input: SentenceInput = { text, lower, words: new SentenceWords(text), nlp: () => (doc ??= parse(text)) };
  if (prefilter) input.keywordText = probe;
  const hits: Array<[number, Hit]> = [];
  const due = new Uint8Array(pack.rules.length);
  if (prefilter) {
    for (const i of pack.keywords.always) due[i] = 1;
    // compilePack put every keyword in keywordForm.
    pack.keywords.matchInto(probe, due);
  } else due.fill(1);
  pack.rules.forEach((r, i) => {
    const m = r.matcher;
    if (m.scope !== 'sentence' || !due[i]) return;
    for (const h of m.find(input)) if (!pack.allowed(text, h.start, h.end)) hits.push([i, h]);
  });
  return { hits };
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
  const byRule: Hit[][] = pack.rules.map(() => []);
  for (const seg of segmentText(text)) {
    let res = useCache ? cache.get(seg.text) : undefined;
    if (!res) {
      res = analyseSentence(pack, seg.text, prefilter);
      if (useCache) {
        if (cache.size >= MAX_CACHED_SENTENCES) cache.delete(cache.keys().next().value!);
        cache.set(seg.text, res);
      }
    } else {
      // Refresh recency so sentences still in the draft are evicted last.
      cache.delete(seg.text);
      cache.set(seg.text, res);
    }
    for (const [i, h] of res.hits) byRule[i]!.push({ start: seg.start + h.start, end: seg.start + h.end, escalate: h.escalate });
  }

  const index = ruleIndexFor(pack);
  let starts: number[] | undefined;
  pack.rules.forEach((r, i) => {
    const m = r.matcher;
    if (m.scope !== 'document') return;
    starts ??= wordStarts(text);
    byRule[i] = m.find(text, starts, (id) => byRule[index.get(id) ?? -1] ?? []);
  });

  const findings: Finding[] = [];
  pack.rules.forEach((r, i) => {
    if (!r.rule.standalone) return;
    for (const h of byRule[i]!) findings.push(toFinding(pack, r, text, h));
  });
  return sortFindings(dedupe(findings));
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
