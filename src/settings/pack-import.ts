/**
 * Importing a pack file on the settings page: the same reading, validation and plain-words errors
 * as the CLI (`replyguard pack validate FILE`, src/packs/source.ts and src/cli/packs.ts), so a pack
 * author sees the same lines in both places: "team.yaml: rule "x", field "pattern": ...".
 *
 * YAML is accepted as well as JSON. Pack authors write YAML (the built-in pack, docs/admin.md and
 * the CLI all use it), and asking them to convert a file before importing it would be a step that
 * only the browser needs. The `yaml` package (already a dependency for the CLI) costs about 100 KB,
 * so the settings page loads this module, with the engine's compiler, only when a file is
 * imported: the page itself opens without it.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { compilePack, describeIssues, PackValidationError } from '../engine/compile';
import { Pack } from '../engine/schema';
import { saveUserPack, type StoredUserPack } from './user-packs';

/** Larger files are refused: browser.storage.local holds 10 MB in all, and no real pack is near this. */
export const MAX_PACK_FILE_BYTES = 2 * 1024 * 1024;

export type PackFileCheck = { ok: true; pack: Pack; rules: number } | { ok: false; problems: string[] };

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The file as data, as the CLI reads it (src/packs/source.ts readStructured): a name ending in
 * .json is JSON, anything else YAML (which also reads JSON). Each message names the file.
 */
function readStructured(fileName: string, text: string): { ok: true; data: unknown } | { ok: false; problem: string } {
  if (!text.trim()) return { ok: false, problem: `${fileName}: the file is empty` };
  try {
    if (fileName.endsWith('.json')) return { ok: true, data: JSON.parse(text) };
    return { ok: true, data: parseYaml(text, { prettyErrors: true }) };
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      return { ok: false, problem: `${fileName}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML (${e.message.split('\n')[0]})` };
    }
    return { ok: false, problem: `${fileName}: not valid JSON (${(e as Error).message})` };
  }
}

/** Reads, validates and compiles a pack file's text; every problem found, one line each (as src/cli/packs.ts loadPackFile). */
export function checkPackFile(fileName: string, text: string): PackFileCheck {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_PACK_FILE_BYTES) {
    return { ok: false, problems: [`${fileName}: the file is too large (${megabytes(bytes)}; a pack file can be at most ${megabytes(MAX_PACK_FILE_BYTES)})`] };
  }
  const read = readStructured(fileName, text);
  if (!read.ok) return { ok: false, problems: [read.problem] };
  const { data } = read;

  const parsed = Pack.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${fileName}: ${describeIssues(data, { issues: [issue] } as unknown as z.ZodError)[0]}`),
    };
  }
  try {
    const compiled = compilePack(parsed.data);
    return { ok: true, pack: compiled.pack, rules: compiled.rules.length };
  } catch (e) {
    if (e instanceof PackValidationError) return { ok: false, problems: e.problems.map((p) => `${fileName}: ${p}`) };
    throw e;
  }
}

export interface ImportContext {
  /** The policy's allowUserPacks: false means no import at all. */
  allowUserPacks: boolean;
  /** Pack ids the organisation's and the built-in packs already use, with who uses them ("your organisation"). */
  reservedPackIds: ReadonlyMap<string, string>;
  now?: () => number;
}

export type ImportResult =
  | { ok: true; pack: { id: string; name: string; version: string }; rules: number; replaced: { version: string } | null }
  | { ok: false; problems: string[] };

/** Checks a pack file and, if it is good, stores it switched on (replacing an earlier import of the same pack). */
export async function importUserPackFile(fileName: string, text: string, context: ImportContext): Promise<ImportResult> {
  if (!context.allowUserPacks) {
    return { ok: false, problems: ['Your organisation does not allow your own packs, so this file was not imported.'] };
  }
  const checked = checkPackFile(fileName, text);
  if (!checked.ok) return checked;
  const { pack } = checked;
  const owner = context.reservedPackIds.get(pack.id);
  if (owner) {
    return {
      ok: false,
      problems: [`${fileName}: the pack id "${pack.id}" is already used by ${owner}; give your pack its own id (field "id") and import it again`],
    };
  }
  // A plain JSON copy: what storage holds must survive structured cloning and JSON alike.
  const stored = JSON.parse(JSON.stringify(pack)) as StoredUserPack['pack'];
  const { replaced } = await saveUserPack({ fileName, pack: stored, importedAt: (context.now ?? Date.now)() });
  return {
    ok: true,
    pack: { id: pack.id, name: pack.name, version: pack.version },
    rules: checked.rules,
    replaced: replaced ? { version: (replaced as StoredUserPack).pack.version } : null,
  };
}
