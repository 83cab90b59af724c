/** Reading drafts and JSON lines from files or stdin, with one-line errors. */
import { once } from 'node:events';
import { readFileSync, statSync, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { CliError, UsageError } from './errors';

export const STDIN_NAME = '<stdin>';

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Fails early with a plain message when a path is missing or is a directory. */
export function assertReadableFile(path: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? (e as Error).message})`);
  }
  if (isDir) throw new CliError(`${path}: is a directory, expected a file`);
}

export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return stripBom(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The whole input of a command taking [FILE|-]: the file, or stdin when the
 * argument is "-" or missing. A terminal on stdin with no file is a usage
 * error rather than a silent wait.
 */
export async function readInput(file: string | undefined, command: string): Promise<{ text: string; source: string }> {
  if (file === undefined || file === '-') {
    if (file === undefined && process.stdin.isTTY) throw new UsageError('no input: give a FILE or pipe text on stdin', command);
    return { text: await readAllStdin(), source: STDIN_NAME };
  }
  assertReadableFile(file);
  try {
    return { text: stripBom(readFileSync(file, 'utf8')), source: file };
  } catch (e) {
    throw new CliError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The input stream for a line-by-line command: the file, or stdin. */
export function openLines(file: string | undefined, command: string): { stream: Readable; source: string } {
  if (file === undefined || file === '-') {
    if (file === undefined && process.stdin.isTTY) throw new UsageError('no input: pipe JSON lines on stdin or give a FILE', command);
    return { stream: process.stdin, source: STDIN_NAME };
  }
  assertReadableFile(file);
  return { stream: createReadStream(file), source: file };
}

/** Yields [1-based line number, line text] as lines arrive, so large inputs stream. */
export async function* numberedLines(stream: Readable): AsyncGenerator<[number, string]> {
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    yield [n, n === 1 ? stripBom(line) : line];
  }
}

/** Writes to stdout, waiting when the pipe is full so memory stays flat on big batches. */
export async function writeOut(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
