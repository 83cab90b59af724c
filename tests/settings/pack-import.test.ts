/**
 * A pack file imported on the settings page gets the same problems, word for word, as
 * `replyguard pack validate` gives for the same file (src/cli/packs.ts loadPackFile).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPackFile, PackProblems } from '../../src/cli/packs';
import { checkPackFile, MAX_PACK_FILE_BYTES } from '../../src/settings/pack-import';
import { makePack } from '../admin/helpers';

const dir = mkdtempSync(join(tmpdir(), 'replyguard-pack-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the CLI says about a file of this name and text, with its directory taken off each line. */
function cliProblems(name: string, text: string): string[] {
  const path = join(dir, name);
  writeFileSync(path, text);
  try {
    loadPackFile(path);
  } catch (e) {
    if (e instanceof PackProblems) return e.problems.map((p) => p.split(`${dir}/`).join(''));
    throw e;
  }
  return [];
}

const valid = makePack('team.words', '1.0.0', [{ id: 'team.codename', terms: ['Bluebird'] }]);
const rule0 = valid.rules[0]!;

const broken: Array<[string, string, string]> = [
  ['an empty file', 'empty.yaml', '  \n'],
  ['JSON that does not parse', 'bad.json', '{"id": "x",'],
  ['YAML that does not parse', 'bad.yaml', 'id: x\nrules: [\n  - a\n'],
  ['a file that is not a pack at all', 'list.yaml', '- one\n- two\n'],
  ['a wrong field value', 'version.json', JSON.stringify({ ...valid, version: 'one' })],
  ['an unknown rule kind', 'kind.json', JSON.stringify({ ...valid, rules: [{ ...rule0, kind: 'regex' }] })],
  ['a missing field and an unknown field', 'fields.json', JSON.stringify({ ...valid, publisher: undefined, colour: 'red' })],
  ['a rule naming a clause the policy lacks', 'clause.json', JSON.stringify({ ...valid, rules: [{ ...rule0, clause: 'c9' }] })],
  [
    'a regular expression that does not compile',
    'regex.json',
    JSON.stringify({
      ...valid,
      rules: [{ ...rule0, kind: 'pattern', terms: undefined, inflect: undefined, pattern: '(unclosed' }],
    }),
  ],
];

describe('pack files: the same problems as the CLI', () => {
  it.each(broken)('%s', (_label, name, text) => {
    const expected = cliProblems(name, text);
    expect(expected.length).toBeGreaterThan(0);
    const result = checkPackFile(name, text);
    expect(result).toEqual({ ok: false, problems: expected });
    // Every line names the file, and says what is wrong in words, not as a stack trace.
    for (const line of expected) expect(line).toMatch(new RegExp(`^${name.replace('.', '\\.')}(:\\d+:\\d+)?: \\S`));
  });

  it('names the line and column of a YAML syntax error', () => {
    const result = checkPackFile('bad.yaml', 'id: x\nname: [unclosed\n');
    expect(!result.ok && result.problems[0]).toMatch(/^bad\.yaml:\d+:\d+: not valid YAML \(/);
  });

  it('accepts a valid pack, in JSON and as YAML text', () => {
    expect(cliProblems('good.json', JSON.stringify(valid))).toEqual([]);
    const json = checkPackFile('good.json', JSON.stringify(valid));
    expect(json).toMatchObject({ ok: true, rules: 1, pack: { id: 'team.words', version: '1.0.0' } });
    // YAML reads JSON too, so a JSON file named .yaml is fine, as in the CLI.
    expect(checkPackFile('good.yaml', JSON.stringify(valid))).toMatchObject({ ok: true, rules: 1 });
  });

  it('refuses a file over the size limit without reading it', () => {
    const text = `# ${'x'.repeat(MAX_PACK_FILE_BYTES)}\n`;
    expect(checkPackFile('huge.yaml', text)).toEqual({
      ok: false,
      problems: ['huge.yaml: the file is too large (2.0 MB; a pack file can be at most 2.0 MB)'],
    });
  });
});
