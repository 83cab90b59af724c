/**
 * Which packs a command runs with, and loading them with errors that name
 * the file, the rule, the field and what was expected.
 *
 * The built-in pack comes from rules/builtin in a source checkout, and from
 * JSON embedded at build time in the single-file bundle (dist/replyguard.mjs),
 * which has no rules directory beside it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { compilePack, describeIssues, Pack, PackValidationError, type CompiledPack } from '../engine';
import { loadPackSourceFiles, PackSourceError, type PackSourceFiles } from '../packs/source';
import { assertSomePack, type PackChoice } from './args';
import { CliError, EXIT } from './errors';

/** Replaced by scripts/build-cli.ts with the built-in pack's JSON text; absent when running from source. */
declare const __REPLYGUARD_BUILTIN_PACK__: string | undefined;

/** Each line names the file it is about; the CLI prints one problem per line. */
export class PackProblems extends CliError {
  constructor(
    readonly problems: string[],
    exitCode: number = EXIT.usage,
  ) {
    super(problems.join('\n'), exitCode);
  }
}

const BUILTIN_LABEL = 'built-in pack';

export function builtinSourceDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules', 'builtin');
}

export function builtinIsEmbedded(): boolean {
  return typeof __REPLYGUARD_BUILTIN_PACK__ === 'string';
}

/** The built-in pack: embedded JSON in the bundle, rules/builtin in a checkout. */
export function loadBuiltinPack(): CompiledPack {
  if (typeof __REPLYGUARD_BUILTIN_PACK__ === 'string') {
    try {
      return compilePack(JSON.parse(__REPLYGUARD_BUILTIN_PACK__));
    } catch (e) {
      if (e instanceof PackValidationError) throw new PackProblems(e.problems.map((p) => `${BUILTIN_LABEL}: ${p}`));
      throw e;
    }
  }
  return loadPackFile(builtinSourceDir());
}

/** Reads, validates and compiles a pack file or directory. Throws PackProblems listing every problem. */
export function loadPackFile(path: string, exitCode: number = EXIT.usage): CompiledPack {
  let source: PackSourceFiles;
  try {
    source = loadPackSourceFiles(path);
  } catch (e) {
    if (e instanceof PackSourceError) throw new PackProblems([e.message], exitCode);
    throw e;
  }
  const { data, packFile, ruleFiles } = source;

  const parsed = Pack.safeParse(data);
  if (!parsed.success) {
    throw new PackProblems(
      parsed.error.issues.map((issue) => {
        const [text] = describeIssues(data, { issues: [issue] } as unknown as z.ZodError);
        const i = issue.path[0] === 'rules' && typeof issue.path[1] === 'number' ? issue.path[1] : -1;
        return `${ruleFiles[i] ?? packFile}: ${text}`;
      }),
      exitCode,
    );
  }

  try {
    return compilePack(parsed.data);
  } catch (e) {
    if (!(e instanceof PackValidationError)) throw e;
    // Compile errors read 'rule "<id>", field ...'; rule ids are unique once the schema passed.
    const fileOfRule = new Map(parsed.data.rules.map((r, i) => [r.id, ruleFiles[i] ?? packFile]));
    throw new PackProblems(
      e.problems.map((p) => `${fileOfRule.get(/^rule "([^"]+)"/.exec(p)?.[1] ?? '') ?? packFile}: ${p}`),
      exitCode,
    );
  }
}


/** The built-in pack (unless --no-builtin) followed by every --pack, in order. */
export function loadPacks({ packs, noBuiltin }: PackChoice, command: string): CompiledPack[] {
  assertSomePack({ packs, noBuiltin }, command);
  const out: CompiledPack[] = [];
  if (!noBuiltin) out.push(loadBuiltinPack());
  for (const p of packs) out.push(loadPackFile(p));
  return out;
}
