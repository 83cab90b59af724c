/**
 * The cold suite of `npm run bench` (bench/results/cold.json): how long a fresh
 * process takes from its start to the first check result, as the CLI and the
 * extension's service worker meet it. The engine and the shipped pack
 * (rules/generated/builtin.json) are bundled into one ESM file with esbuild,
 * as the real builds do, so the time includes loading the code (compromise,
 * libphonenumber, obscenity), compiling the pack and checking one draft of
 * about 280 characters. Each run is a new `node` process; the parent times
 * from spawn to the child's answer, and the child reports its own phases on
 * the performance.now() clock, which starts with the process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { makeDraft, type Row, type SuiteContext, type SuiteResult } from './bench';

const RUNS = 7;

/** The child: every import is inside the bundle, so the phases are loading, compiling, checking. */
const CHILD = `
const loadStart = performance.now();
const { compilePack, check } = await import('./src/engine/index.ts');
const { default: builtin } = await import('./rules/generated/builtin.json', { with: { type: 'json' } });
const loaded = performance.now();
const pack = compilePack(builtin);
const compiled = performance.now();
const findings = check(pack, process.env.COLD_DRAFT);
const checked = performance.now();
console.log(JSON.stringify({ loadStart, loaded, compiled, checked, findings: findings.length }));
`;

interface ChildTimes {
  loadStart: number;
  loaded: number;
  compiled: number;
  checked: number;
  findings: number;
}

function stats(name: string, samples: number[], note: string, chars?: number): Row {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return { name, chars, runs: sorted.length, medianMs: q(0.5), p95Ms: q(0.95), minMs: sorted[0]!, note };
}

export async function measureCold(ctx: SuiteContext): Promise<SuiteResult> {
  const root = join(import.meta.dirname, '..');
  const dir = mkdtempSync(join(tmpdir(), 'replyguard-cold-'));
  const outfile = join(dir, 'cold.mjs');
  try {
    await build({
      stdin: { contents: CHILD, resolveDir: root, loader: 'ts', sourcefile: 'cold-entry.ts' },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: 'warning',
    });
    const draft = makeDraft(ctx.corpus, 280);
    const total: number[] = [];
    const load: number[] = [];
    const compile: number[] = [];
    const first: number[] = [];
    let findings = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const out = execFileSync(process.execPath, [outfile], { env: { ...process.env, COLD_DRAFT: draft }, encoding: 'utf8' });
      const wall = performance.now() - t0;
      const t = JSON.parse(out.trim().split('\n').pop()!) as ChildTimes;
      // The process's own clock reaches the answer at t.checked; the rest of the wall time is starting and ending node.
      total.push(t.checked);
      load.push(t.loaded - t.loadStart);
      compile.push(t.compiled - t.loaded);
      first.push(t.checked - t.compiled);
      findings = t.findings;
      if (i === 0) console.log(`cold: first run ${wall.toFixed(0)} ms wall (spawn to exit)`);
    }
    return {
      rows: [
        stats('cold: process start to first result', total, `node's own clock; ${findings} findings`, draft.length),
        stats('cold: load the bundled engine', load, 'module evaluation (compromise, libphonenumber, obscenity, ...)'),
        stats('cold: compilePack(builtin.json)', compile, 'validation, regexes, phrase inflections, keyword index'),
        stats('cold: first check', first, 'includes lazily built parts (first compromise parse)', draft.length),
      ],
      about: { runs: RUNS, bundle: 'esbuild, engine + rules/generated/builtin.json' },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
