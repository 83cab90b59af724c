/** Spawning the real CLI, and a small policy pack whose behaviour the tests control. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'replyguard.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with optional stdin, returning exit code and both streams. NO_COLOR and REPLYGUARD_DEBUG start unset. */
export function runProgram(program: string, args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.NO_COLOR;
    delete env.REPLYGUARD_DEBUG;
    if (opts.env) Object.assign(env, opts.env);
    const child = spawn(program, args, { cwd: opts.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {}); // the CLI may exit before reading stdin (usage errors)
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs `node <script> ...args` with the Node running the tests. */
export const runNode = (script: string, args: string[], opts?: Parameters<typeof runProgram>[2]): Promise<CliResult> =>
  runProgram(process.execPath, [script, ...args], opts);

export const cli = (args: string[], opts?: Parameters<typeof runNode>[2]): Promise<CliResult> => runNode(BIN, args, opts);

export function tempDir(prefix = 'replyguard-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A pack exercising every part of the text output: a clause url (from the
 * policy url), a suggestion with a replacement, an info rule (does not
 * count for the exit code) and an audit rule (listed, does not count).
 */
export const FIXTURE_PACK_YAML = `id: acme.test
name: Acme test pack
version: 1.2.3
publisher: Acme
policy:
  title: Acme replies
  version: "1"
  url: https://policy.example/social
  clauses:
    - id: codenames
      title: Keep codenames private
      summary: Internal project names stay internal.
      source: Acme handbook
    - id: courtesy
      title: Be courteous
      summary: No insults.
      source: Acme handbook
rules:
  - id: acme.codename
    kind: phrase
    category: internal-info
    severity: warning
    clause: codenames
    inflect: false
    terms: [project bluebird]
    message: '"{match}" is an internal codename.'
    suggestion: Describe the work in public terms.
    fix: { kind: replace, text: our new service }
    examples:
      flag: ["Project Bluebird launches soon.", "We love project bluebird."]
      pass: ["A blue bird sang.", "The project is going well."]
  - id: acme.insult
    kind: pattern
    category: conduct
    severity: block
    clause: courtesy
    pattern: '\\b(?:idiot|moron)s?\\b'
    message: '"{match}" is an insult.'
    examples:
      flag: ["You idiot.", "Only morons think that."]
      pass: ["Idiomatic English.", "A moronic idea? No: 'moronic' is not listed."]
  - id: acme.asap
    kind: phrase
    category: commitment
    severity: info
    clause: courtesy
    inflect: false
    terms: [asap]
    message: '"{match}" sounds like a promise.'
    examples:
      flag: ["We will fix it asap.", "ASAP!"]
      pass: ["As soon as we can.", "Wasp season."]
  - id: acme.rubbish
    kind: phrase
    category: conduct
    severity: warning
    mode: audit
    clause: courtesy
    inflect: false
    terms: [rubbish]
    message: '"{match}" may come across as rude.'
    examples:
      flag: ["That is rubbish.", "Rubbish idea."]
      pass: ["Put it in the bin.", "Recycling day is Monday."]
`;

export function writeFixturePack(dir: string, name = 'acme.yaml', text = FIXTURE_PACK_YAML): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
