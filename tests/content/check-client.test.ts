import { describe, expect, it } from 'vitest';
import { messageChecker } from '../../src/content/check-client';
import { createEngineHost } from '../../src/background/engine-host';
import { compilePack } from '../../src/engine/compile';
import type { PackInput } from '../../src/engine/schema';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const builtin = [compilePack(JSON.parse(readFileSync(join(__dirname, '../../rules/generated/builtin.json'), 'utf8')) as PackInput)];

describe('messageChecker', () => {
  it('round-trips a draft through the engine host and returns its findings', async () => {
    const host = createEngineHost(() => builtin);
    const check = messageChecker((m) => host.handle(m) as Promise<unknown>);
    const findings = await check('This briefing is OFFICIAL-SENSITIVE.');
    expect(findings.some((f) => f.excerpt === 'OFFICIAL-SENSITIVE')).toBe(true);
    expect(await check('Thank you for your patience.')).toEqual([]);
  });

  it('rejects with the engine error, so the badge can say "not checked"', async () => {
    const check = messageChecker(async () => ({ ok: false, error: 'the rule pack could not be loaded: bad' }));
    await expect(check('x')).rejects.toThrow('the rule pack could not be loaded: bad');
  });

  it('rejects when nothing answers (no background listener)', async () => {
    const check = messageChecker(async () => undefined);
    await expect(check('x')).rejects.toThrow('the ReplyGuard engine did not answer');
  });
});
