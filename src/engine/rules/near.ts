/**
 * near: rule A within N words of rule B, anywhere in the draft (Presidio's
 * context words, Purview's supporting evidence, gitleaks' required rules).
 * A and B are usually building blocks marked `standalone: false`.
 */
import type { NearRule } from '../schema';
import { wordIndexAt } from '../text';
import type { Hit, RuleKind } from '../types';

export const nearKind: RuleKind<NearRule> = {
  kind: 'near',
  compile(rule) {
    return {
      scope: 'document',
      find(_text, starts, hitsOf) {
        const as = hitsOf(rule.a);
        const bs = as.length ? hitsOf(rule.b) : [];
        const out: Hit[] = [];
        // "A near A" means two different hits of A; take each pair once, in reading order.
        const sameRule = rule.a === rule.b;
        for (const a of as) {
          for (const b of bs) {
            if (sameRule && b.start <= a.start) continue;
            const overlap = a.start < b.end && b.start < a.end;
            const gap = overlap
              ? 0
              : a.end <= b.start
                ? wordIndexAt(starts, b.start) - wordIndexAt(starts, Math.max(a.start, a.end - 1))
                : wordIndexAt(starts, a.start) - wordIndexAt(starts, Math.max(b.start, b.end - 1));
            if (gap > rule.within) continue;
            if (rule.span === 'a') out.push({ start: a.start, end: a.end, escalate: a.escalate || b.escalate });
            else if (rule.span === 'b') out.push({ start: b.start, end: b.end, escalate: a.escalate || b.escalate });
            else out.push({ start: Math.min(a.start, b.start), end: Math.max(a.end, b.end), escalate: a.escalate || b.escalate });
          }
        }
        return out;
      },
    };
  },
};
