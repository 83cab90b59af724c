/**
 * replyguard test: a pack's rule examples are its tests. Besides running
 * them, it holds every rule to at least two flag and two pass examples and
 * every policy clause to at least one rule, so a pack cannot quietly lose
 * its evidence or carry a clause nothing enforces.
 */
import type { CompiledPack } from '../../engine';
import { parseCommandArgs } from '../args';
import { EXIT } from '../errors';
import { styleFor } from '../format';
import { loadEngine, type Engine } from '../lazy';

export const TEST_HELP = `Usage:
  replyguard test [PACK ...]

Runs every rule's examples: each "flag" example must produce a finding from
that rule and each "pass" example must not. Also fails a rule with fewer than
two flag or two pass examples, and a policy clause that no rule uses.
With no PACK, tests the built-in pack.

Options:
  -h, --help  show this help

Exit status:
  0  every pack passed
  1  a pack failed (each failure names the pack, rule, example and result),
     or a pack could not be loaded
  2  usage error`;

const MIN_EXAMPLES = 2;

export interface PackTestResult {
  pack: string;
  rules: number;
  examples: number;
  failures: string[];
}

/** Every reason this pack fails its own tests, one plain line each. */
export function testPack(compiled: CompiledPack, runExamples: Engine['runExamples']): PackTestResult {
  const { total, failures } = runExamples(compiled);
  const out = failures.map((f) => `rule ${f.rule}, ${f.kind} example ${JSON.stringify(f.example)}: ${f.problem}`);
  for (const { rule } of compiled.rules) {
    for (const kind of ['flag', 'pass'] as const) {
      const n = rule.examples[kind].length;
      if (n < MIN_EXAMPLES) out.push(`rule ${rule.id}: ${n} ${kind} example${n === 1 ? '' : 's'}, at least ${MIN_EXAMPLES} needed`);
    }
  }
  const used = new Set(compiled.rules.map((r) => r.rule.clause));
  for (const clause of compiled.pack.policy.clauses)
    if (!used.has(clause.id)) out.push(`clause ${clause.id} ("${clause.title}"): no rule uses it`);
  return { pack: compiled.pack.id, rules: compiled.rules.length, examples: total, failures: out };
}

export async function testCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('test', argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    console.log(TEST_HELP);
    return EXIT.ok;
  }
  const { builtinIsEmbedded, builtinSourceDir, loadBuiltinPack, loadPackFile, PackProblems, runExamples } = await loadEngine();
  const style = styleFor(process.stdout);
  const targets = positionals.length ? positionals : [null];
  let failed = false;
  for (const path of targets) {
    const label = path ?? (builtinIsEmbedded() ? 'built-in pack' : builtinSourceDir());
    let compiled: CompiledPack;
    try {
      compiled = path === null ? loadBuiltinPack() : loadPackFile(path, EXIT.findings);
    } catch (e) {
      if (!(e instanceof PackProblems)) throw e;
      failed = true;
      console.log(`${style.red('FAIL')} ${label}: the pack does not load`);
      for (const p of e.problems) console.log(`  ${p}`);
      continue;
    }
    const result = testPack(compiled, runExamples);
    const head = `${result.pack} (${label}): ${result.rules} rules, ${result.examples} examples`;
    if (result.failures.length === 0) {
      console.log(`${style.green('ok')}   ${head}`);
      continue;
    }
    failed = true;
    console.log(`${style.red('FAIL')} ${head}, ${result.failures.length} failure${result.failures.length === 1 ? '' : 's'}`);
    for (const f of result.failures) console.log(`  ${result.pack}: ${f}`);
  }
  return failed ? EXIT.findings : EXIT.ok;
}
