/**
 * pattern: regular expressions with an optional checksum validator, an
 * entropy floor and exceptions. A named group (?<span>...) narrows the
 * flagged span to the secret itself ("password: (?<span>\S+)").
 */
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
      try {
        return compileRegex(src, rule.caseSensitive);
      } catch (e) {
        const field = sources.length > 1 ? `pattern[${i}]` : 'pattern';
        if (e instanceof UnsafeRegexError) throw new PackCompileError(rule.id, field, `the regular expression ${e.message}`);
        throw new PackCompileError(rule.id, field, `not a valid regular expression (${(e as Error).message})`);
      }
    });
    const exceptions = rule.exceptions.map((src, i) => {
      try {
        const re = compileRegex(src, false);
        return new RegExp(`^(?:${re.source})$`, re.flags.replace('g', ''));
      } catch (e) {
        throw new PackCompileError(rule.id, `exceptions[${i}]`, `not a valid regular expression (${(e as Error).message})`);
      }
    });
    const validate = rule.validator ? VALIDATORS[rule.validator] : undefined;
    return {
      scope: 'sentence',
      keywords: rule.keywords ? rule.keywords.map((k) => k.toLowerCase()) : null,
      find(s) {
        const hits: LocalHit[] = [];
        for (const re of regexes) {
          re.lastIndex = 0;
          let m: RegExpExecArray | null;
          while ((m = re.exec(s.text))) {
            if (m[0].length === 0) {
              re.lastIndex++;
              continue;
            }
            let start = m.index;
            let span = m[0];
            const group = m.groups?.span;
            if (group !== undefined) {
              // The group's own offset: the regex 'd' flag is avoided for speed; search inside the match.
              start = m.index + m[0].indexOf(group);
              span = group;
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
