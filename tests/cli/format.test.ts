/** The CLI's pure output helpers: colour rules, positions, tables, internal-error reporting. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine';
import { COLOUR, formatFinding, formatSummary, isBlocking, lineCol, PLAIN, styleFor, table } from '../../src/cli/format';
import { CliError } from '../../src/cli/errors';
import { reportError } from '../../src/cli/run';

const finding = (over: Partial<Finding> = {}): Finding => ({
  rule: 'acme.insult',
  pack: 'acme.test',
  category: 'conduct',
  severity: 'block',
  mode: 'enforce',
  message: '"idiot" is an insult.',
  start: 4,
  end: 9,
  excerpt: 'idiot',
  clause: { id: 'courtesy', title: 'Be courteous', url: null },
  ...over,
});

describe('colour', () => {
  it('is used only on a terminal without NO_COLOR', () => {
    expect(styleFor({ isTTY: true }, {})).toBe(COLOUR);
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' })).toBe(PLAIN);
    expect(styleFor({ isTTY: false }, {})).toBe(PLAIN);
    expect(styleFor({}, {})).toBe(PLAIN);
  });

  it('colours the severity and nothing changes in the words', () => {
    const coloured = formatFinding(finding(), 'You idiot.', 'd.txt', COLOUR);
    const plain = formatFinding(finding(), 'You idiot.', 'd.txt', PLAIN);
    expect(coloured).toContain('\x1b[31m');
    expect(plain).not.toContain('\x1b[');
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });
});

describe('positions', () => {
  it('gives 1-based line and column, counting characters rather than UTF-16 units', () => {
    const text = 'first line\n🎉 second idiot';
    expect(lineCol(text, 0)).toEqual({ line: 1, col: 1 });
    expect(lineCol(text, text.indexOf('second'))).toEqual({ line: 2, col: 3 });
    expect(lineCol(text, text.indexOf('\n'))).toEqual({ line: 1, col: 11 });
  });
});

describe('findings text', () => {
  it('keeps a multi-line excerpt on one line and shortens long ones', () => {
    const long = 'x'.repeat(200);
    const out = formatFinding(finding({ excerpt: `a\nb ${long}` }), `You a\nb ${long}`, 'd', PLAIN);
    expect(out.split('\n')[0]).toMatch(/"a ⏎ b x+…"$/);
  });

  it('counts only enforce-mode warnings and blocks as blocking', () => {
    expect(isBlocking(finding())).toBe(true);
    expect(isBlocking(finding({ severity: 'warning' }))).toBe(true);
    expect(isBlocking(finding({ severity: 'info' }))).toBe(false);
    expect(isBlocking(finding({ mode: 'audit' }))).toBe(false);
  });

  it('summarises by severity', () => {
    expect(formatSummary([], 'd', PLAIN)).toBe('d: no findings');
    expect(formatSummary([finding(), finding({ severity: 'info' }), finding()], 'd', PLAIN)).toBe('d: 3 findings (2 block, 1 info)');
  });
});

describe('table', () => {
  it('aligns text left and numbers right', () => {
    expect(table(['name', 'n'], [['a', '1'], ['long name', '100']], [false, true]).split('\n')).toEqual([
      'name         n',
      '---------  ---',
      'a            1',
      'long name  100',
    ]);
  });
});

describe('reportError', () => {
  const capture = (e: unknown, env: NodeJS.ProcessEnv = {}): { code: number; text: string } => {
    let text = '';
    const code = reportError(e, env, (s) => (text += s));
    return { code, text };
  };

  it('prints expected errors line by line with their exit code', () => {
    expect(capture(new CliError('a.yaml: bad\nb.yaml: worse', 1))).toEqual({ code: 1, text: 'replyguard: a.yaml: bad\nreplyguard: b.yaml: worse\n' });
  });

  it('prints an internal error as one line pointing at REPLYGUARD_DEBUG, with the stack only when asked', () => {
    const e = new TypeError("Cannot read properties of undefined (reading 'x')\nsecond line");
    const quiet = capture(e);
    expect(quiet.code).toBe(3);
    expect(quiet.text).toBe("replyguard: internal error: Cannot read properties of undefined (reading 'x') (run with REPLYGUARD_DEBUG=1 for details)\n");
    const loud = capture(e, { REPLYGUARD_DEBUG: '1' });
    expect(loud.text).toContain('\n    at ');
  });
});
