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

/** Loads a pack source (file or directory) as plain data, not yet validated. */
export function loadPackSource(path: string): unknown {
  if (!existsSync(path)) throw new PackSourceError(`${path}: no such file or directory`);
  if (!statSync(path).isDirectory()) return readStructured(path);
  const main = join(path, 'pack.yaml');
  const pack = readStructured(main) as Record<string, unknown>;
  if (!pack || typeof pack !== 'object' || Array.isArray(pack)) throw new PackSourceError(`${main}: expected a pack object`);
  const rulesDir = join(path, 'rules');
  const rules = Array.isArray(pack.rules) ? [...(pack.rules as unknown[])] : [];
  if (existsSync(rulesDir)) {
    for (const f of readdirSync(rulesDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const list = readStructured(join(rulesDir, f));
      if (!Array.isArray(list)) throw new PackSourceError(`${join(rulesDir, f)}: expected a list of rules`);
      rules.push(...list);
    }
  }
  return { ...pack, rules };
}

export function packLabel(path: string): string {
  return basename(path);
}
