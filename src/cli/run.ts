/**
 * Command dispatch and the one place errors become exit codes: expected
 * errors print one plain line each, anything else prints one line and a
 * pointer to REPLYGUARD_DEBUG=1, never a stack trace by default.
 */
import { readFileSync } from 'node:fs';
import { CHECK_HELP, checkCommand } from './commands/check';
import { EVAL_HELP, evalCommand } from './commands/eval';
import { PACK_HELP, packCommand } from './commands/pack';
import { TEST_HELP, testCommand } from './commands/test';
import { CliError, EXIT, UsageError } from './errors';

/** Replaced by scripts/build-cli.ts with package.json's version; absent when running from source. */
declare const __REPLYGUARD_VERSION__: string | undefined;

export function version(): string {
  if (typeof __REPLYGUARD_VERSION__ === 'string') return __REPLYGUARD_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export const MAIN_HELP = `replyguard: checks staff replies against the social media policy before they are posted.
Everything runs locally; drafts never leave the machine.

Usage:
  replyguard check [FILE|-] [--pack PATH ...] [--format text|json]
  replyguard check --jsonl [--pack PATH ...]      batch: JSON lines in and out
  replyguard test [PACK ...]                      run the packs' rule examples
  replyguard eval --corpus FILE.jsonl [--misses]  precision / recall per category
  replyguard pack validate FILE
  replyguard pack build FILE -o OUT.json
  replyguard pack keygen [--out PREFIX]           signing keys for admin packs
  replyguard pack sign FILE --key KEY [-o OUT.json]
  replyguard pack verify PACK.json --pub KEY [--sig FILE]

Run "replyguard COMMAND --help" for a command's options and exit status.

Options:
  -h, --help     show this help
  -v, --version  show the version

Exit status: 0 ok; 1 findings (check), failures (test) or an invalid pack
(pack); 2 usage or input error; 3 internal error.
Environment: NO_COLOR=1 turns colour off; REPLYGUARD_DEBUG=1 shows stack
traces for internal errors.`;

const COMMANDS: Record<string, { run(argv: string[]): Promise<number>; help: string }> = {
  check: { run: checkCommand, help: CHECK_HELP },
  test: { run: testCommand, help: TEST_HELP },
  eval: { run: evalCommand, help: EVAL_HELP },
  pack: { run: packCommand, help: PACK_HELP },
};

export async function run(argv: string[]): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '-h' || first === '--help') {
      console.log(MAIN_HELP);
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (first === '-v' || first === '--version') {
      console.log(`replyguard ${version()}`);
      return EXIT.ok;
    }
    if (first === 'help') {
      const topic = rest[0];
      if (topic === undefined) console.log(MAIN_HELP);
      else if (COMMANDS[topic]) console.log(COMMANDS[topic].help);
      else throw new UsageError(`no command "${topic}"`);
      return EXIT.ok;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option ${first}; options go after the command`);
    const command = COMMANDS[first];
    if (!command) throw new UsageError(`unknown command "${first}" (expected one of: ${Object.keys(COMMANDS).join(', ')})`);
    return await command.run(rest);
  } catch (e) {
    return reportError(e);
  }
}

/** Prints an error for a person and returns the exit code. */
export function reportError(e: unknown, env: NodeJS.ProcessEnv = process.env, write: (s: string) => unknown = (s) => process.stderr.write(s)): number {
  if (e instanceof CliError) {
    for (const line of e.message.split('\n')) write(`replyguard: ${line}\n`);
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (env.REPLYGUARD_DEBUG && env.REPLYGUARD_DEBUG !== '0') {
    write(`replyguard: internal error: ${message}\n${e instanceof Error ? (e.stack ?? '') : ''}\n`);
  } else {
    write(`replyguard: internal error: ${message} (run with REPLYGUARD_DEBUG=1 for details)\n`);
  }
  return EXIT.internal;
}
