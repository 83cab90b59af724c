/**
 * Terminal output: findings, tables and colour. Pure functions of their
 * input, so they are tested without spawning the CLI.
 */
import type { Finding } from '../engine';

export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const sgr =
  (open: number, close: number) =>
  (s: string): string =>
    `\x1b[${open}m${s}\x1b[${close}m`;

export const COLOUR: Style = {
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
  green: sgr(32, 39),
  bold: sgr(1, 22),
  dim: sgr(2, 22),
};

const same = (s: string): string => s;
export const PLAIN: Style = { red: same, yellow: same, cyan: same, green: same, bold: same, dim: same };

/** Colour only for a terminal, and never when NO_COLOR is set to a non-empty value (no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  return stream.isTTY && !env.NO_COLOR ? COLOUR : PLAIN;
}

/** 1-based line and column of a UTF-16 offset; the column counts characters (code points), as a reader does. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: [...text.slice(lineStart, offset)].length + 1 };
}

/** A finding counts against the draft (exit code 1) when it is shown and at least a warning. */
export function isBlocking(f: Finding): boolean {
  return f.mode === 'enforce' && f.severity !== 'info';
}

function quoteExcerpt(excerpt: string): string {
  const oneLine = excerpt.replace(/\s*\n\s*/g, ' ⏎ ');
  const shown = oneLine.length > 80 ? `${oneLine.slice(0, 77)}…` : oneLine;
  return `"${shown}"`;
}

function severityLabel(f: Finding, style: Style): string {
  const word = f.severity.padEnd(7);
  if (f.severity === 'block') return style.bold(style.red(word));
  if (f.severity === 'warning') return style.yellow(word);
  return style.cyan(word);
}

/**
 * One finding as a heading line (where, how serious, which category, the
 * words) and indented lines for the message, the policy clause and the fix.
 */
export function formatFinding(f: Finding, text: string, source: string, style: Style): string {
  const { line, col } = lineCol(text, f.start);
  const audit = f.mode === 'audit' ? style.dim(' (audit: not shown to writers)') : '';
  const lines = [`${style.bold(`${source}:${line}:${col}`)}  ${severityLabel(f, style)} ${f.category}  ${quoteExcerpt(f.excerpt)}${audit}`];
  lines.push(`    ${f.message}`);
  const url = f.clause.url ? ` ${style.dim(f.clause.url)}` : '';
  lines.push(`    ${style.dim('policy:')} ${f.clause.id} — ${f.clause.title}${url}`);
  const s = f.suggestion;
  if (s) {
    const parts: string[] = [];
    if (s.text) parts.push(s.text);
    if (s.replacement !== undefined) parts.push(`Replace with: ${JSON.stringify(s.replacement)}`);
    lines.push(`    ${style.green('suggestion:')} ${parts.join(' ')}`);
  }
  lines.push(`    ${style.dim(`rule ${f.rule} (${f.pack})`)}`);
  return lines.join('\n');
}

export function formatSummary(findings: Finding[], source: string, style: Style): string {
  if (findings.length === 0) return `${source}: ${style.green('no findings')}`;
  const counts = (['block', 'warning', 'info'] as const)
    .map((sev) => [sev, findings.filter((f) => f.severity === sev).length] as const)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}`);
  const audit = findings.filter((f) => f.mode === 'audit').length;
  const n = findings.length;
  return `${source}: ${n} finding${n === 1 ? '' : 's'} (${counts.join(', ')}${audit ? `; ${audit} audit-only` : ''})`;
}

/** Left-aligns text columns and right-aligns numeric ones. */
export function table(header: string[], rows: string[][], numeric: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}
