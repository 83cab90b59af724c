/**
 * replyguard check: one draft (text or JSON), or a batch of JSON lines.
 *
 * The JSON-lines mode is the batch contract used to score accuracy: one
 * output line {"id", "findings"} per valid input line, in input order,
 * findings exactly as the engine returns them. Bad lines are reported on
 * stderr with their line number and skipped; the exit code is then 2.
 */
import type { CompiledPack, Finding } from '../../engine';
import { oneOf, packChoice, parseCommandArgs } from '../args';
import { CliError, EXIT } from '../errors';
import { formatFinding, formatSummary, isBlocking, styleFor } from '../format';
import { numberedLines, openLines, readInput, writeOut } from '../io';
import { loadEngine } from '../lazy';

export const CHECK_HELP = `Usage:
  replyguard check [FILE|-] [--pack PATH ...] [--no-builtin] [--format text|json]
  replyguard check --jsonl [FILE|-] [--pack PATH ...] [--no-builtin]

Checks a draft reply against the built-in policy pack (and any --pack).
With no FILE, or FILE "-", the draft is read from stdin.

Options:
  --pack PATH      also check with this pack (YAML or JSON file, or a directory
                   with pack.yaml and rules/*.yaml); may be repeated
  --no-builtin     use only the --pack packs, not the built-in one
  --format FORMAT  text (default): one block per finding with line:col,
                   severity, category, the flagged words, the message, the
                   policy clause and the suggestion;
                   json: {"source", "findings": [...]}
  --jsonl          batch mode: each input line is {"id", "text", ...}; each
                   output line is {"id", "findings": [...]}, in input order.
                   Invalid lines are reported on stderr with their line
                   number and skipped (no output line).
  -h, --help       show this help

Exit status:
  0  no finding of severity warning or block (info and audit-only findings
     do not count); with --jsonl: every line was valid, whatever the findings
  1  at least one warning or block finding (not with --jsonl)
  2  usage or input error: unknown option, missing or empty input, invalid
     pack, invalid JSON line (in --jsonl mode, after the valid lines are done)`;

export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    pack: { type: 'string', multiple: true },
    'no-builtin': { type: 'boolean' },
    format: { type: 'string' },
    jsonl: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(CHECK_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new CliError(`check takes one FILE, got ${positionals.length}: ${positionals.join(' ')} (see: replyguard check --help)`);
  const file = positionals[0];
  const choice = packChoice(values, 'check');

  if (values.jsonl) {
    if (values.format !== undefined) throw new CliError('--format does not apply to --jsonl, whose output is always JSON lines (see: replyguard check --help)');
    // Open the input before compiling packs so a missing file fails fast.
    const input = openLines(file, 'check');
    const { loadPacks, checkAll } = await loadEngine();
    return checkJsonLines(loadPacks(choice, 'check'), checkAll, input.stream, input.source);
  }

  const format = oneOf('check', 'format', values.format, ['text', 'json'] as const, 'text');
  const { text, source } = await readInput(file, 'check');
  if (!text.trim()) throw new CliError(`${source}: the draft is empty, nothing to check`);
  const { loadPacks, checkAll } = await loadEngine();
  const packs = loadPacks(choice, 'check');
  const findings = checkAll(packs, text);

  if (format === 'json') {
    await writeOut(`${JSON.stringify({ source, findings }, null, 2)}\n`);
  } else {
    const style = styleFor(process.stdout);
    const blocks = findings.map((f) => formatFinding(f, text, source, style));
    await writeOut(`${[...blocks, formatSummary(findings, source, style)].join('\n\n')}\n`);
  }
  return findings.some(isBlocking) ? EXIT.findings : EXIT.ok;
}

interface DraftLine {
  id: unknown;
  text: string;
}

/** Why a JSON line is not a draft, or the draft. */
function parseDraftLine(line: string): DraftLine | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return `not valid JSON (${(e as Error).message})`;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'expected a JSON object like {"id": "a1", "text": "..."}';
  const { id, text } = value as Record<string, unknown>;
  if (typeof text !== 'string') return text === undefined ? 'missing "text"' : '"text" must be a string';
  return { id: id ?? null, text };
}

async function checkJsonLines(
  packs: CompiledPack[],
  checkAll: (packs: CompiledPack[], text: string) => Finding[],
  stream: NodeJS.ReadableStream, source: string): Promise<number> {
  let drafts = 0;
  let bad = 0;
  for await (const [n, line] of numberedLines(stream as never)) {
    if (!line.trim()) continue;
    const draft = parseDraftLine(line);
    if (typeof draft === 'string') {
      bad++;
      process.stderr.write(`replyguard: ${source} line ${n}: ${draft}; line skipped\n`);
      continue;
    }
    drafts++;
    const findings: Finding[] = checkAll(packs, draft.text);
    await writeOut(`${JSON.stringify({ id: draft.id, findings })}\n`);
  }
  if (drafts === 0 && bad === 0) throw new CliError(`${source}: no input: expected JSON lines like {"id": "a1", "text": "..."}`);
  if (bad > 0) {
    process.stderr.write(`replyguard: ${bad} invalid line${bad === 1 ? '' : 's'} skipped, ${drafts} checked\n`);
    return EXIT.usage;
  }
  return EXIT.ok;
}
