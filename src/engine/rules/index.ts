/** The one place rule kinds are registered. */
import type { Rule } from '../schema';
import type { Matcher, RuleKind } from '../types';
import { detectorKind } from './detector';
import { nearKind } from './near';
import { nlpKind } from './nlp';
import { patternKind } from './pattern';
import { phraseKind } from './phrase';

const KINDS = { pattern: patternKind, phrase: phraseKind, nlp: nlpKind, near: nearKind, detector: detectorKind } as const;

export function compileMatcher(rule: Rule): Matcher {
  const kind = KINDS[rule.kind] as RuleKind<Rule>;
  return kind.compile(rule);
}
