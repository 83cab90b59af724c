/**
 * A thin wrapper over node:util parseArgs that turns its errors into one
 * plain line naming the command, and checks enumerated option values.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(command: string, argv: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    throw new UsageError(plainParseError(e as Error & { code?: string }), command);
  }
}

/** parseArgs messages are long and mention quoting rules; keep the part a user needs. */
function plainParseError(e: Error & { code?: string }): string {
  const name = /'(-[^' ]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${name ?? e.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return name ? `option ${name} needs a value` : e.message.split('. ')[0]!;
    default:
      return e.message.split('. ')[0]!;
  }
}

/** Reads an option restricted to a few values, e.g. --format text|json. */
export function oneOf<T extends string>(command: string, option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of: ${allowed.join(', ')} (got "${String(value)}")`, command);
}

export function stringList(value: unknown): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** --pack PATH (repeatable) and --no-builtin, shared by check and eval. */
export interface PackChoice {
  packs: string[];
  noBuiltin: boolean;
}

export function packChoice(values: Parsed['values'], command: string): PackChoice {
  const choice = { packs: stringList(values.pack), noBuiltin: values['no-builtin'] === true };
  assertSomePack(choice, command);
  return choice;
}

export function assertSomePack({ packs, noBuiltin }: PackChoice, command: string): void {
  if (noBuiltin && packs.length === 0)
    throw new CliError(`--no-builtin leaves no pack to check with: add --pack PATH (see: replyguard ${command} --help)`);
}
