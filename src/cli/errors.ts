/**
 * Errors the CLI expects and reports as one plain line (no stack trace).
 * Anything else that reaches main.ts is an internal error.
 */

/** Exit codes, part of the CLI's contract (see `replyguard --help`). */
export const EXIT = {
  ok: 0,
  /** check: a warning/block finding; test: a failing example; pack validate: an invalid pack. */
  findings: 1,
  /** Usage or input error: unknown option, missing file, invalid pack, bad JSON line, empty input. */
  usage: 2,
  /** A bug in ReplyGuard itself. */
  internal: 3,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** A mistake in how the command was called; the message points at the command's --help. */
export class UsageError extends CliError {
  constructor(message: string, command?: string) {
    super(`${message} (see: replyguard ${command ? `${command} ` : ''}--help)`, EXIT.usage);
  }
}
