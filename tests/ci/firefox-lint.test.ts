/**
 * CI lints the Firefox build with addons-linter (what `web-ext lint` and addons.mozilla.org run):
 * `npm run lint:firefox` after `npm run build:firefox` in .ci/run. This checks that wiring, that
 * ReplyGuard's Firefox manifest keys (wxt.config.ts) pass the linter, and that a broken manifest
 * makes the same command fail, so CI would stop on it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import config from '../../wxt.config';

const ROOT = resolve(__dirname, '../..');
const LINTER = join(ROOT, 'node_modules/.bin/addons-linter');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };

/** The manifest WXT writes for Firefox: wxt.config.ts's keys plus what WXT adds itself. */
function firefoxManifest(): Record<string, unknown> {
  const keys = (config.manifest as (env: { browser: string; manifestVersion: number; mode: string; command: string }) => Record<string, unknown>)({
    browser: 'firefox',
    manifestVersion: 2,
    mode: 'production',
    command: 'build',
  });
  return { manifest_version: 2, version: packageJson.version, background: { scripts: ['background.js'] }, ...keys };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes an unpacked extension and lints it the way `npm run lint:firefox` does. */
function lint(manifest: unknown): { status: number | null; errors: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'replyguard-lint-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'background.js'), 'browser.runtime.onMessage.addListener(() => undefined);\n');
  writeFileSync(join(dir, 'content-ui.js'), 'export {};\n');
  const run = spawnSync(LINTER, ['--boring', '--output', 'json', dir], { encoding: 'utf8', timeout: 60_000 });
  const report = JSON.parse(run.stdout) as { errors: Array<{ code: string }> };
  return { status: run.status, errors: report.errors.map((e) => e.code) };
}

describe('Firefox lint in CI', () => {
  it('npm test (what CI runs) lints the Firefox build after test:e2e has built it', () => {
    const scripts = packageJson.scripts;
    expect(scripts['lint:firefox']).toMatch(/^addons-linter\b.* \.output\/firefox-mv2$/);
    expect(scripts['test:e2e']).toMatch(/wxt build -b firefox/);
    const steps = (scripts.test ?? '').split('&&').map((step: string) => step.trim());
    expect(steps.indexOf('npm run lint:firefox')).toBeGreaterThan(steps.indexOf('npm run test:e2e'));
    expect(steps.indexOf('npm run test:e2e')).toBeGreaterThan(-1);
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });

  // Each lint starts the linter (a few seconds; more on a busy machine).
  const LINT_TIMEOUT_MS = 60_000;

  it("passes ReplyGuard's Firefox manifest", () => {
    const result = lint(firefoxManifest());
    expect(result.errors).toEqual([]);
    expect(result.status).toBe(0);
  }, LINT_TIMEOUT_MS);

  it('fails on a broken manifest', () => {
    const { name: _name, ...nameless } = firefoxManifest();
    const missing = lint(nameless);
    expect(missing.errors).toContain('MANIFEST_FIELD_REQUIRED');
    expect(missing.status).not.toBe(0);
    const garbled = lint('{ "manifest_version": 2, ');
    expect(garbled.errors).toContain('JSON_INVALID');
    expect(garbled.status).not.toBe(0);
  }, LINT_TIMEOUT_MS);
});
