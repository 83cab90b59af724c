/**
 * Every rule carries `examples: { flag, pass }`; they are tests. A flag
 * example must produce a finding from that rule; a pass example must not.
 * Rules are judged alone, so a pass example shows the rule's own restraint.
 * Building-block rules (standalone: false) are judged by their own hits too.
 */
import { check } from './check';
import { compilePack } from './compile';
import type { CompiledPack } from './types';

export interface ExampleFailure {
  pack: string;
  rule: string;
  kind: 'flag' | 'pass';
  example: string;
  problem: string;
}

export function runExamples(compiled: CompiledPack): { total: number; failures: ExampleFailure[] } {
  const failures: ExampleFailure[] = [];
  let total = 0;
  for (const r of compiled.rules) {
    const rule = r.rule;
    // A one-rule pack (plus the rules a near rule needs, as silent building
    // blocks so their own findings cannot hide the near rule's) isolates this rule's behaviour.
    const needed = new Set([rule.id]);
    if (rule.kind === 'near') needed.add(rule.a).add(rule.b);
    const single = compilePack({
      ...compiled.pack,
      rules: compiled.pack.rules.filter((x) => needed.has(x.id)).map((x) => ({ ...x, standalone: x.id === rule.id })),
    });
    for (const text of rule.examples.flag) {
      total++;
      const hits = check(single, text, { cache: false }).filter((f) => f.rule === rule.id);
      if (hits.length === 0)
        failures.push({ pack: compiled.pack.id, rule: rule.id, kind: 'flag', example: text, problem: 'expected a finding, got none' });
    }
    for (const text of rule.examples.pass) {
      total++;
      const hits = check(single, text, { cache: false }).filter((f) => f.rule === rule.id);
      if (hits.length > 0)
        failures.push({
          pack: compiled.pack.id,
          rule: rule.id,
          kind: 'pass',
          example: text,
          problem: `expected no finding, got ${hits.map((h) => JSON.stringify(h.excerpt)).join(', ')}`,
        });
    }
  }
  return { total, failures };
}
