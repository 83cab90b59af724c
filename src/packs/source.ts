/**
 * Reading pack source files in Node (CLI, build scripts, tests). A pack is a
 * YAML or JSON file, or a directory holding pack.yaml plus rules/*.yaml (each
 * a list of rules), which is how the built-in pack is kept one category per
 * file. The extension never loads YAML: it ships the built JSON.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';

export class PackSourceError extends Error {}

function readStructured(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PackSourceError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? (e as Error).message})`);
  }
  if (!text.trim()) throw new PackSourceError(`${file}: the file is empty`);
  try {
    if (file.endsWith('.json')) return JSON.parse(text);
    return parseYaml(text, { prettyErrors: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      throw new PackSourceError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML (${e.message.split('\n')[0]})`);
    }
    throw new PackSourceError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** A pack source as plain data plus where each of its rules was written. */
export interface PackSourceFiles {
  data: unknown;
  /** The file that holds the pack's metadata (pack.yaml for a directory). */
  packFile: string;
  /** ruleFiles[i] is the file rule i came from, so errors can name it. */
  ruleFiles: string[];
}

/** Loads a pack source (file or directory) as plain data, not yet validated. */
export function loadPackSource(path: string): unknown {
  return loadPackSourceFiles(path).data;
}

/** loadPackSource, also reporting which file each rule came from. */
export function loadPackSourceFiles(path: string): PackSourceFiles {
  if (!existsSync(path)) throw new PackSourceError(`${path}: no such file or directory`);
  if (!statSync(path).isDirectory()) {
    const data = readStructured(path);
    const count = Array.isArray((data as { rules?: unknown } | null)?.rules) ? (data as { rules: unknown[] }).rules.length : 0;
    return { data, packFile: path, ruleFiles: new Array<string>(count).fill(path) };
  }
  const main = join(path, 'pack.yaml');
  const pack = readStructured(main) as Record<string, unknown>;
  if (!pack || typeof pack !== 'object' || Array.isArray(pack)) throw new PackSourceError(`${main}: expected a pack object`);
  const rulesDir = join(path, 'rules');
  const rules = Array.isArray(pack.rules) ? [...(pack.rules as unknown[])] : [];
  const ruleFiles = new Array<string>(rules.length).fill(main);
  if (existsSync(rulesDir)) {
    for (const f of readdirSync(rulesDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const file = join(rulesDir, f);
      const list = readStructured(file);
      if (!Array.isArray(list)) throw new PackSourceError(`${file}: expected a list of rules`);
      rules.push(...list);
      ruleFiles.push(...new Array<string>(list.length).fill(file));
    }
  }
  return { data: { ...pack, rules }, packFile: main, ruleFiles };
}

export function packLabel(path: string): string {
  return basename(path);
}
