/**
 * pattern: regular expressions with an optional checksum validator, an
 * entropy floor and exceptions. A named group (?<span>...) narrows the
 * flagged span to the secret itself ("password: (?<span>\S+)").
 */
import { KeywordIndex } from '../prefilter';
import { gateSets } from '../regex-literals';
import { compileRegex, UnsafeRegexError } from '../safe-regex';
import type { PatternRule } from '../schema';
import type { LocalHit, RuleKind } from '../types';
import { PackCompileError } from '../types';
import { shannonEntropy, VALIDATORS } from '../validators';

export const patternKind: RuleKind<PatternRule> = {
  kind: 'pattern',
  compile(rule) {
    const sources = Array.isArray(rule.pattern) ? rule.pattern : [rule.pattern];
    const regexes = sources.map((src, i) => {
      const re = compileOrExplain(rule.id, sources.length > 1 ? `pattern[${i}]` : 'pattern', src, rule.caseSensitive);
      // The 'd' flag (match indices) costs time, so only regexes with a span group get it.
      return re.source.includes('(?<span>') ? new RegExp(re.source, `${re.flags}d`) : re;
    });
    const exceptions = rule.exceptions.map((src, i) => {
      const re = compileOrExplain(rule.id, `exceptions[${i}]`, src, false);
      return new RegExp(`^(?:${re.source})$`, re.flags.replace('g', ''));
    });
    const validate = rule.validator ? VALIDATORS[rule.validator] : undefined;
    // Per regex, sets of a few literals, every match holding one of each set: a rule with dozens
    // of regexes then runs only those whose literals the sentence has (keywords gate the whole rule).
    // Worked out when the rule first runs, not when the pack compiles: a service worker that has
    // just started answers its first check sooner, and rules no draft wakes cost nothing.
    let gates: RegexGates | undefined;
    return {
      scope: 'sentence',
      keywords: rule.keywords ? rule.keywords.map((k) => k.toLowerCase()) : null,
      find(s) {
        const hits: LocalHit[] = [];
        const probe = s.keywordText;
        let open: Uint8Array | undefined;
        if (probe !== undefined) open = (gates ??= new RegexGates(sources.map((src) => gateSets(src, !rule.caseSensitive)))).open(probe);
        for (let r = 0; r < regexes.length; r++) {
          if (open && !open[r]) continue;
          const re = regexes[r]!;
          re.lastIndex = 0;
          let m: RegExpExecArray | null;
          while ((m = re.exec(s.text))) {
            if (m[0].length === 0) {
              re.lastIndex++;
              continue;
            }
            let start = m.index;
            let span = m[0];
            const group = m.indices?.groups?.span;
            if (group) {
              start = group[0];
              span = s.text.slice(group[0], group[1]);
              if (!span) continue; // an empty secret is no finding
            }
            if (validate && !validate(span)) continue;
            if (rule.minEntropy !== undefined && shannonEntropy(span) < rule.minEntropy) continue;
            if (exceptions.some((x) => x.test(span) || x.test(m![0]))) continue;
            hits.push({ start, end: start + span.length });
          }
        }
        return hits;
      },
    };
  },
};

/**
 * Which of a rule's regexes a sentence can wake: those with a literal of each of their
 * gate sets in the sentence (regexes without gates always). One automaton pass over the
 * sentence answers for all of a rule's regexes at once (rules have up to dozens, with a
 * few sets of a few literals each), where testing each literal with includes() cost more
 * than many of the regexes themselves.
 */
class RegexGates {
  private readonly index: KeywordIndex;
  /** Gate sets (automaton slots) of regex r: slots slotStart[r] .. slotStart[r + 1]. */
  private readonly slotStart: Int32Array;
  /** Reused on every call: a rule's find() never runs inside itself. */
  private readonly found: Uint8Array;
  private readonly due: Uint8Array;

  constructor(sets: string[][][]) {
    const slots = sets.flat();
    this.index = new KeywordIndex(slots);
    this.slotStart = new Int32Array(sets.length + 1);
    sets.forEach((s, r) => (this.slotStart[r + 1] = this.slotStart[r]! + s.length));
    this.found = new Uint8Array(slots.length);
    this.due = new Uint8Array(sets.length);
  }

  open(probe: string): Uint8Array {
    this.found.fill(0);
    this.index.matchInto(probe, this.found);
    for (let r = 0; r < this.due.length; r++) {
      let open = 1;
      for (let k = this.slotStart[r]!; k < this.slotStart[r + 1]!; k++) if (!this.found[k]) open = 0;
      this.due[r] = open;
    }
    return this.due;
  }
}

/** Compiles one admin regex, turning a syntax or safety problem into an error naming rule and field. */
function compileOrExplain(ruleId: string, field: string, source: string, caseSensitive: boolean): RegExp {
  try {
    return compileRegex(source, caseSensitive);
  } catch (e) {
    if (e instanceof UnsafeRegexError) throw new PackCompileError(ruleId, field, `the regular expression ${e.message}`);
    throw new PackCompileError(ruleId, field, `not a valid regular expression (${(e as Error).message})`);
  }
}
