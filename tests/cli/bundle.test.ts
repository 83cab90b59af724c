/**
 * The single-file CLI: `npm run build:cli` makes dist/replyguard.mjs, which
 * must run from a directory with no node_modules anywhere above it, with the
 * built-in pack embedded; and bin/replyguard.js must fall back to it when
 * there is no source tree.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, parse } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAll, compilePack, type Finding } from '../../src/engine';
import { loadPackSource } from '../../src/packs/source';
import { FIXTURE_PACK_YAML, ROOT, runNode, tempDir, writeFixturePack } from './helpers';

let bundle: string;
let launcher: string;
let pack: string;
let dir: string;

/** True when no directory from `dir` up to the root holds node_modules. */
function noNodeModulesAbove(start: string): boolean {
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return false;
    if (d === parse(d).root) return true;
  }
}

beforeAll(() => {
  // npm from PATH, run by the same Node as the tests.
  const built = spawnSync('npm', ['run', 'build:cli'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` },
  });
  if (built.status !== 0) throw new Error(`npm run build:cli failed (${built.error?.message ?? `exit ${built.status}`}):\n${built.stdout}\n${built.stderr}`);
  expect(built.stdout).toMatch(/dist\/replyguard\.mjs \(\d+ KiB, no dependencies\)/);

  dir = tempDir('replyguard-bundle-');
  bundle = join(dir, 'replyguard.mjs');
  copyFileSync(join(ROOT, 'dist', 'replyguard.mjs'), bundle);
  // An installed package without src/: the launcher must pick the bundle.
  mkdirSync(join(dir, 'pkg', 'bin'), { recursive: true });
  mkdirSync(join(dir, 'pkg', 'dist'));
  launcher = join(dir, 'pkg', 'bin', 'replyguard.js');
  copyFileSync(join(ROOT, 'bin', 'replyguard.js'), launcher);
  copyFileSync(join(ROOT, 'dist', 'replyguard.mjs'), join(dir, 'pkg', 'dist', 'replyguard.mjs'));
  pack = writeFixturePack(dir);
}, 180_000);

describe.concurrent('dist/replyguard.mjs, alone in a temp directory', () => {
  it('has no node_modules to lean on', () => {
    expect(noNodeModulesAbove(dir)).toBe(true);
    expect(readFileSync(bundle, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runNode(bundle, ['--version'], { cwd: dir })).toMatchObject({ code: 0, stdout: `replyguard ${version}\n` });
  });

  it('checks stdin with the embedded built-in pack', async () => {
    const r = await runNode(bundle, ['check'], { cwd: dir, input: 'The OFFICIAL-SENSITIVE annex is attached.' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/<stdin>:1:5 {2}block\s+marking\s+"OFFICIAL-SENSITIVE"/);
    expect(r.stdout).toContain('(replyguard.builtin)');
  });

  it('reads a YAML pack and answers JSON lines exactly like the engine', async () => {
    const texts = ['Project Bluebird, you idiot.', 'Thanks!', 'asap'];
    const input = texts.map((text, i) => JSON.stringify({ id: i, text })).join('\n');
    const r = await runNode(bundle, ['check', '--jsonl', '--no-builtin', '--pack', pack], { cwd: dir, input });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const compiled = compilePack(loadPackSource(pack) as never);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: number; findings: Finding[] });
    expect(out).toEqual(texts.map((text, id) => ({ id, findings: checkAll([compiled], text) })));
  });

  it('reports an invalid pack in one line per problem', async () => {
    const bad = writeFixturePack(dir, 'bad.yaml', FIXTURE_PACK_YAML.replace('severity: block', 'severity: loud'));
    const r = await runNode(bundle, ['pack', 'validate', bad], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`replyguard: ${bad}: rule "acme.insult", field "severity": expected one of: "info", "warning", "block"\n`);
  });

  it('runs a pack\'s examples', async () => {
    const r = await runNode(bundle, ['test', pack], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok\s+acme\.test/);
  });
});

describe('bin/replyguard.js without a source tree', () => {
  it('falls back to dist/replyguard.mjs', async () => {
    const r = await runNode(launcher, ['check', '--no-builtin', '--pack', pack], { cwd: dir, input: 'You moron.' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('"moron" is an insult.');
  });
});
