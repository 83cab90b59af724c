/**
 * Small inline packs for the engine tests. Each test builds exactly the rules
 * it needs, so a test fails only because of the engine, never because the
 * built-in pack changed.
 */
import { compilePack, type CompiledPack, type PackInput } from '../../src/engine';

type RuleInput = PackInput['rules'][number];

/** A rule with the fields every rule needs filled in; pass the kind-specific ones. */
export function rule(fields: Record<string, unknown> & { id: string; kind: RuleInput['kind'] }): RuleInput {
  return { category: 'conduct', clause: 'conduct', message: 'Flagged: {match}', ...fields } as RuleInput;
}

export function packInput(rules: RuleInput[], extra: Partial<PackInput> = {}): PackInput {
  return {
    id: 'test-pack',
    name: 'Test pack',
    version: '1.0.0',
    publisher: 'ReplyGuard tests',
    policy: {
      title: 'Test policy',
      version: '1',
      url: 'https://policy.example.org/social',
      clauses: [
        { id: 'conduct', title: 'Conduct', summary: 'Be civil.', source: 'test' },
        { id: 'secrets', title: 'Secrets', summary: 'No secrets.', source: 'test' },
        { id: 'promises', title: 'Promises', summary: 'No promises.', source: 'test' },
      ],
    },
    rules,
    ...extra,
  };
}

export function pack(rules: RuleInput[], extra: Partial<PackInput> = {}): CompiledPack {
  return compilePack(packInput(rules, extra));
}

/** The error message compilePack throws for this input ('' if it compiles). */
export function compileError(input: unknown): string {
  try {
    compilePack(input as PackInput);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}
