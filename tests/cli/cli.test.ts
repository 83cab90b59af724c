/**
 * The replyguard CLI, spawned for real through bin/replyguard.js (source
 * mode: tsx). Exact assertions use a fixture pack with --no-builtin, since
 * the built-in pack grows while the project is worked on.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { checkAll, compilePack, type Finding } from '../../src/engine';
import { loadPackSource } from '../../src/packs/source';
import { BIN, cli, FIXTURE_PACK_YAML, ROOT, runProgram, tempDir, writeFixturePack } from './helpers';

// Every test spawns Node; on a busy machine a spawn can take seconds.
vi.setConfig({ testTimeout: 60_000 });

let dir: string;
let pack: string;
const onlyFixture = (): string[] => ['--no-builtin', '--pack', pack];
const NO_STACK = /\n\s+at |Error:/;

const DRAFT = 'Thanks for asking.\nProject Bluebird is nearly ready, you idiot.\n';

beforeAll(() => {
  dir = tempDir();
  pack = writeFixturePack(dir);
});

describe.concurrent('replyguard --help / --version', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `replyguard ${version}\n` });
  });

  it('lists the commands and exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['check', 'test', 'eval', 'pack validate', 'pack build', 'Exit status']) expect(r.stdout).toContain(c);
  });

  it('has help for each command', async () => {
    for (const [cmd, marker] of [
      ['check', '--jsonl'],
      ['test', 'flag'],
      ['eval', '--corpus'],
      ['pack', 'validate'],
    ] as const) {
      const r = await cli([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/^Usage:/);
      expect(r.stdout, cmd).toContain(marker);
    }
  });
});

describe.concurrent('replyguard check (one draft)', () => {
  it('prints each finding with line:col, severity, category, excerpt, message, clause and suggestion; exit 1', async () => {
    const file = join(dir, 'draft.txt');
    writeFileSync(file, DRAFT);
    const r = await cli(['check', file, ...onlyFixture()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('\x1b['); // not a terminal: no colour
    const lines = r.stdout.split('\n');
    const codename = lines.findIndex((l) => l.startsWith(`${file}:2:1 `));
    expect(lines[codename]).toMatch(/warning\s+internal-info\s+"Project Bluebird"/);
    expect(lines[codename + 1]).toBe('    "Project Bluebird" is an internal codename.');
    expect(lines[codename + 2]).toBe('    policy: codenames — Keep codenames private https://policy.example/social#codenames');
    expect(lines[codename + 3]).toBe('    suggestion: Describe the work in public terms. Replace with: "our new service"');
    const insult = lines.findIndex((l) => l.startsWith(`${file}:2:39 `));
    expect(lines[insult]).toMatch(/block\s+conduct\s+"idiot"/);
    expect(lines[insult + 1]).toBe('    "idiot" is an insult.');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`${file}: 2 findings (1 block, 1 warning)`);
  });

  it('colours a terminal (via script(1) for a pty) unless NO_COLOR is set', async () => {
    const file = join(dir, 'tty-draft.txt');
    writeFileSync(file, 'You idiot.');
    const command = [process.execPath, BIN, 'check', file, ...onlyFixture()].map((a) => `'${a}'`).join(' ');
    const tty = await runProgram('script', ['-qec', command, '/dev/null']);
    expect(tty.stdout).toContain('\x1b[31m');
    expect(tty.stdout).toContain('"idiot" is an insult.');
    const noColour = await runProgram('script', ['-qec', command, '/dev/null'], { env: { NO_COLOR: '1' } });
    expect(noColour.stdout).toContain('"idiot" is an insult.');
    expect(noColour.stdout).not.toContain('\x1b[');
  });

  it('reads stdin when FILE is "-" or missing', async () => {
    for (const args of [['check', '-'], ['check']]) {
      const r = await cli([...args, ...onlyFixture()], { input: 'Hello, you moron.' });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('<stdin>:1:12  block');
    }
  });

  it('exits 0 with "no findings" for a clean draft, and when only info or audit findings appear', async () => {
    const clean = await cli(['check', ...onlyFixture()], { input: 'Thanks, we will look into it.' });
    expect(clean).toMatchObject({ code: 0, stdout: '<stdin>: no findings\n' });
    const soft = await cli(['check', ...onlyFixture()], { input: 'We will fix it asap. That is rubbish though.' });
    expect(soft.code).toBe(0);
    expect(soft.stdout).toMatch(/info\s+commitment\s+"asap"/);
    expect(soft.stdout).toContain('"rubbish" (audit: not shown to writers)');
    expect(soft.stdout).toContain('2 findings (1 warning, 1 info; 1 audit-only)');
  });

  it('--format json gives the engine findings exactly', async () => {
    const r = await cli(['check', '--format', 'json', ...onlyFixture()], { input: DRAFT });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { source: string; findings: Finding[] };
    expect(out.source).toBe('<stdin>');
    const expected = checkAll([compilePack(loadPackSource(pack) as never)], DRAFT);
    expect(out.findings).toEqual(expected);
    expect(out.findings.map((f) => f.rule)).toEqual(['acme.codename', 'acme.insult']);
  });

  it('uses the built-in pack by default and adds --pack packs to it', async () => {
    const text = 'The OFFICIAL-SENSITIVE annex mentions Project Bluebird.';
    const both = JSON.parse((await cli(['check', '--format', 'json', '--pack', pack], { input: text })).stdout) as { findings: Finding[] };
    expect(both.findings.some((f) => f.pack === 'replyguard.builtin' && f.category === 'marking')).toBe(true);
    expect(both.findings.some((f) => f.pack === 'acme.test' && f.rule === 'acme.codename')).toBe(true);
  });
});

describe.concurrent('replyguard check --jsonl', () => {
  it('answers one line per input, in input order, with the engine findings', async () => {
    const texts = ['Project Bluebird!', 'All good here.', 'You idiot.', 'Fix asap, moron.', '', 'Ünïcödé 🎉 project bluebird'];
    const inputs = Array.from({ length: 40 }, (_, i) => ({ id: `d${i}`, text: texts[i % texts.length]!, labels: ['ignored'] }));
    const r = await cli(['check', '--jsonl', ...onlyFixture()], { input: `${inputs.map((x) => JSON.stringify(x)).join('\n')}\n` });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; findings: Finding[] });
    expect(out.map((o) => o.id)).toEqual(inputs.map((x) => x.id));
    const compiled = compilePack(loadPackSource(pack) as never);
    out.forEach((o, i) => {
      expect(Object.keys(o)).toEqual(['id', 'findings']);
      expect(o.findings).toEqual(checkAll([compiled], inputs[i]!.text));
    });
    expect(out[0]!.findings[0]).toMatchObject({ rule: 'acme.codename', start: 0, end: 16, excerpt: 'Project Bluebird' });
  });

  it('reports bad lines on stderr by line number, keeps going, and exits 2', async () => {
    const input = [
      '{"id": "a", "text": "You idiot."}',
      'not json',
      '',
      '{"id": "b", "text": 42}',
      '["a list"]',
      '{"id": 7, "text": "fine"}',
    ].join('\n');
    const r = await cli(['check', '--jsonl', ...onlyFixture()], { input });
    expect(r.code).toBe(2);
    expect(r.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: unknown }).id)).toEqual(['a', 7]);
    const err = r.stderr.trimEnd().split('\n');
    expect(err[0]).toMatch(/^replyguard: <stdin> line 2: not valid JSON/);
    expect(err[1]).toBe('replyguard: <stdin> line 4: "text" must be a string; line skipped');
    expect(err[2]).toMatch(/^replyguard: <stdin> line 5: expected a JSON object/);
    expect(err[3]).toBe('replyguard: 3 invalid lines skipped, 2 checked');
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('refuses empty input with exit 2', async () => {
    const r = await cli(['check', '--jsonl', ...onlyFixture()], { input: '\n\n' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^replyguard: <stdin>: no input: expected JSON lines/);
  });
});

describe.concurrent('bad input: one line, no stack trace', () => {
  const cases: Array<[string, string[], string | undefined, RegExp]> = [
    ['missing file', ['check', '/nonexistent/draft.txt'], undefined, /^replyguard: \/nonexistent\/draft\.txt: no such file$/],
    ['unknown option', ['check', '--colour'], 'x', /^replyguard: unknown option --colour \(see: replyguard check --help\)$/],
    ['unknown command', ['lint'], undefined, /^replyguard: unknown command "lint"/],
    ['bad --format', ['check', '--format', 'xml'], 'x', /^replyguard: --format must be one of: text, json/],
    ['empty draft', ['check'], '  \n', /^replyguard: <stdin>: the draft is empty/],
    ['missing --pack', ['check', '--pack', '/nonexistent/pack.yaml'], 'x', /^replyguard: \/nonexistent\/pack\.yaml: no such file or directory$/],
    ['--no-builtin alone', ['check', '--no-builtin'], 'x', /^replyguard: --no-builtin leaves no pack/],
    ['eval without corpus', ['eval'], undefined, /^replyguard: --corpus FILE\.jsonl is required/],
  ];
  for (const [name, args, input, message] of cases) {
    it(name, async () => {
      const r = await cli(args, { input });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(message);
    });
  }

  it('an invalid --pack names the file, the rule and the field', async () => {
    const bad = writeFixturePack(dir, 'bad-severity.yaml', FIXTURE_PACK_YAML.replace('severity: block', 'severity: loud'));
    const r = await cli(['check', '--pack', bad], { input: 'hello' });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe(`replyguard: ${bad}: rule "acme.insult", field "severity": expected one of: "info", "warning", "block"`);
  });
});

describe.concurrent('replyguard test', () => {
  it('passes a pack whose examples all hold', async () => {
    const r = await cli(['test', pack]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok\s+acme\.test \(.*acme\.yaml\): 4 rules, 16 examples$/m);
  });

  it('fails naming the pack, rule, example and what happened; too few examples; unused clauses', async () => {
    const broken = FIXTURE_PACK_YAML.replace('"We love project bluebird."', '"We love project kestrel."')
      .replace('"Wasp season."', '"Reply ASAP please."')
      .replace('pass: ["Put it in the bin.", "Recycling day is Monday."]', 'pass: ["Put it in the bin."]')
      .replace('      source: Acme handbook\nrules:', '      source: Acme handbook\n    - id: unused\n      title: Nobody enforces this\n      summary: x\n      source: y\nrules:');
    const file = writeFixturePack(dir, 'broken-examples.yaml', broken);
    const r = await cli(['test', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL acme\.test \(.*broken-examples\.yaml\): 4 rules, 15 examples, 4 failures$/m);
    expect(r.stdout).toContain('acme.test: rule acme.codename, flag example "We love project kestrel.": expected a finding, got none');
    expect(r.stdout).toContain('acme.test: rule acme.asap, pass example "Reply ASAP please.": expected no finding, got "ASAP"');
    expect(r.stdout).toContain('acme.test: rule acme.rubbish: 1 pass example, at least 2 needed');
    expect(r.stdout).toContain('acme.test: clause unused ("Nobody enforces this"): no rule uses it');
  });
});

describe.concurrent('replyguard eval', () => {
  const corpus = [
    { id: 'c1', text: 'Project Bluebird is coming.', labels: ['internal-info'] },
    { id: 'c2', text: 'You idiot.', labels: ['conduct'] },
    { id: 'c3', text: 'Thanks for the feedback.', labels: [] },
    { id: 'c4', text: 'Only morons ask.', labels: [] }, // a false alarm on a clean draft
    { id: 'c5', text: 'Our new service launches soon.', labels: ['internal-info'] }, // a miss
    { id: 'c6', text: 'Fix asap please.', labels: [] }, // info only: not a flag
  ];
  const corpusFile = (): string => {
    const f = join(dir, 'corpus.jsonl');
    writeFileSync(f, `${corpus.map((c) => JSON.stringify(c)).join('\n')}\n`);
    return f;
  };

  it('prints an aligned per-category table and the clean false-alarm rate', async () => {
    const r = await cli(['eval', '--corpus', corpusFile(), ...onlyFixture()]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n');
    expect(rows[0]).toMatch(/^category\s+tp\s+fp\s+fn\s+precision\s+recall\s+F1$/);
    expect(rows.find((l) => l.startsWith('internal-info'))).toMatch(/^internal-info\s+1\s+0\s+1\s+1\.00\s+0\.50\s+0\.67$/);
    expect(rows.find((l) => l.startsWith('conduct'))).toMatch(/^conduct\s+1\s+1\s+0\s+0\.50\s+1\.00\s+0\.67$/);
    // Right-aligned numeric columns end at the same place on every row.
    const table = rows.slice(0, rows.indexOf(''));
    expect(new Set(table.map((l) => l.length)).size).toBeLessThanOrEqual(2);
    expect(r.stdout).toContain('clean drafts flagged: 1 of 3 (false-alarm rate 33.3%)');
  });

  it('--format json gives the numbers; --misses lists the wrong drafts by id', async () => {
    const json = await cli(['eval', '--corpus', corpusFile(), '--format', 'json', ...onlyFixture()]);
    const report = JSON.parse(json.stdout) as { categories: Array<{ category: string; tp: number; fp: number; fn: number }>; clean: { falseAlarms: number; ids: string[] } };
    expect(report.categories.find((c) => c.category === 'internal-info')).toMatchObject({ tp: 1, fp: 0, fn: 1 });
    expect(report.clean).toMatchObject({ falseAlarms: 1, ids: ['c4'] });
    const misses = await cli(['eval', '--corpus', corpusFile(), '--misses', ...onlyFixture()]);
    expect(misses.stdout).toContain('2 drafts judged wrongly:');
    expect(misses.stdout).toMatch(/^c4 {2}false conduct {2}labels \[\]$/m);
    expect(misses.stdout).toMatch(/^c5 {2}missed internal-info {2}labels \[internal-info\]$/m);
    expect(misses.stdout).toContain('fired: acme.insult "morons"');
  });

  it('stops at a bad corpus line, naming it', async () => {
    const f = join(dir, 'bad-corpus.jsonl');
    writeFileSync(f, '{"id":"a","text":"x","labels":[]}\n{"id":"b","text":"y","labels":["gossip"]}\n');
    const r = await cli(['eval', '--corpus', f, ...onlyFixture()]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe(`replyguard: ${f} line 2: unknown label "gossip" (expected one of: marking, personal-data, credentials, internal-info, unannounced, legal, political, commitment, conduct)`);
  });
});

describe.concurrent('replyguard pack validate / build', () => {
  it('accepts a valid pack', async () => {
    const r = await cli(['pack', 'validate', pack]);
    expect(r).toMatchObject({ code: 0, stdout: `${pack}: valid pack "acme.test" 1.2.3: 4 rules, 2 clauses\n` });
  });

  it('names the file, rule, field and what was expected for each problem; exit 1', async () => {
    const broken = FIXTURE_PACK_YAML.replace('category: conduct\n    severity: block', 'category: rudeness\n    severity: block').replace(
      "    message: '\"{match}\" sounds like a promise.'\n",
      '',
    );
    const file = writeFixturePack(dir, 'broken.yaml', broken);
    const r = await cli(['pack', 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toContain(`replyguard: ${file}: rule "acme.insult", field "category": expected one of: "marking", "personal-data", "credentials", "internal-info", "unannounced", "legal", "political", "commitment", "conduct"`);
    expect(lines).toContain(`replyguard: ${file}: rule "acme.asap", field "message": missing (expected string)`);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('reports an invalid regular expression and an unknown clause', async () => {
    const file = writeFixturePack(dir, 'bad-regex.yaml', FIXTURE_PACK_YAML.replace("'\\b(?:idiot|moron)s?\\b'", "'(?:idiot'"));
    const r = await cli(['pack', 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^replyguard: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: rule "acme.insult", field "pattern": not a valid regular expression`));
    const clause = writeFixturePack(dir, 'bad-clause.yaml', FIXTURE_PACK_YAML.replace('clause: codenames', 'clause: codename'));
    const c = await cli(['pack', 'validate', clause]);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain(`${clause}: rule "acme.codename", field "clause": clause "codename" is not in the policy (expected one of: codenames, courtesy)`);
  });

  it('names the rules file inside a pack directory, and YAML syntax errors by line', async () => {
    const packDir = join(dir, 'dirpack');
    mkdirSync(join(packDir, 'rules'), { recursive: true });
    const [head, rules] = FIXTURE_PACK_YAML.split('rules:\n');
    writeFileSync(join(packDir, 'pack.yaml'), `${head}rules: []\n`);
    writeFileSync(join(packDir, 'rules', 'a.yaml'), rules!);
    writeFileSync(join(packDir, 'rules', 'b.yaml'), rules!.replaceAll('id: acme.', 'id: other.').replace('kind: pattern', 'kind: regex'));
    const r = await cli(['pack', 'validate', packDir]);
    expect(r.code).toBe(1);
    const [only, ...more] = r.stderr.trimEnd().split('\n');
    expect(more).toEqual([]);
    // The rules file, not pack.yaml; the rule id; the field; the allowed kinds.
    expect(only!.startsWith(`replyguard: ${join(packDir, 'rules', 'b.yaml')}: rule "other.insult", field "kind": `)).toBe(true);
    expect(only).toMatch(/pattern.*phrase.*nlp.*near.*detector/);
    writeFileSync(join(packDir, 'rules', 'b.yaml'), '- id: x\n  kind: [unclosed\n');
    const y = await cli(['pack', 'validate', packDir]);
    expect(y.code).toBe(1);
    expect(y.stderr).toMatch(/b\.yaml:\d+:\d+: not valid YAML/);
  });

  it('build writes the validated pack with defaults filled in, usable as --pack', async () => {
    const out = join(dir, 'out', 'acme.json');
    const r = await cli(['pack', 'build', pack, '-o', out]);
    expect(r).toMatchObject({ code: 0, stdout: `${out}: wrote pack "acme.test" 1.2.3 (4 rules)\n` });
    const built = JSON.parse(readFileSync(out, 'utf8')) as { allowlist: unknown; rules: Array<Record<string, unknown>> };
    expect(built.allowlist).toEqual({ phones: [], domains: [], emails: [], terms: [] });
    expect(built.rules.find((x) => x.id === 'acme.insult')).toMatchObject({ mode: 'enforce', standalone: true, caseSensitive: false, exceptions: [] });
    const check = await cli(['check', '--no-builtin', '--pack', out], { input: 'You idiot.' });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('"idiot" is an insult.');
  });

  it('build without -o, and an unknown action, are usage errors', async () => {
    const noOut = await cli(['pack', 'build', pack]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toBe('replyguard: pack build needs -o OUT.json (see: replyguard pack --help)\n');
    const unknown = await cli(['pack', 'lint', pack]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown action "lint"/);
  });
});

it('runs from another working directory (source mode ignores the caller\'s tsconfig)', async () => {
  const elsewhere = tempDir();
  writeFileSync(join(elsewhere, 'tsconfig.json'), '{ "compilerOptions": { "jsx": "preserve", "paths": { "*": ["nowhere/*"] } } }');
  const r = await cli(['check', '--no-builtin', '--pack', pack], { cwd: elsewhere, input: 'You idiot.' });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('"idiot" is an insult.');
});
