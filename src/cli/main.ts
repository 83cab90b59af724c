/**
 * The replyguard CLI entry point: `npx replyguard` (bin/replyguard.js loads
 * this through tsx, or the bundle dist/replyguard.mjs built from it).
 */
import { reportError, run } from './run';

// A closed pipe (`replyguard check --jsonl < in | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.exit(reportError(e));
});
process.on('uncaughtException', (e) => process.exit(reportError(e)));
process.on('unhandledRejection', (e) => process.exit(reportError(e)));

// exitCode rather than exit(): lets buffered stdout drain before Node ends.
process.exitCode = await run(process.argv.slice(2));
