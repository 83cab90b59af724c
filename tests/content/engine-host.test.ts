import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngineHost } from '../../src/background/engine-host';
import { CHECK_MESSAGE, WARM_MESSAGE } from '../../src/background/protocol';

const builtin: unknown = JSON.parse(readFileSync(join(__dirname, '../../rules/generated/builtin.json'), 'utf8'));

describe('engine host (background)', () => {
  it('answers a check message with the findings of the built-in pack', async () => {
    const host = createEngineHost(() => builtin);
    const reply = await host.handle({ type: CHECK_MESSAGE, text: 'Please see the attached OFFICIAL-SENSITIVE briefing.' });
    expect(reply?.ok).toBe(true);
    if (!reply?.ok) return;
    const marking = reply.findings.find((f) => f.category === 'marking');
    expect(marking).toBeDefined();
    expect(reply.findings.every((f) => f.start >= 0 && f.end > f.start)).toBe(true);
    expect(marking!.excerpt).toBe('OFFICIAL-SENSITIVE');
    expect(marking!.clause.title.length).toBeGreaterThan(0);
  });

  it('answers a clean draft with no findings', async () => {
    const host = createEngineHost(() => builtin);
    const reply = await host.handle({ type: CHECK_MESSAGE, text: 'Thanks for getting in touch.' });
    expect(reply).toMatchObject({ ok: true, findings: [] });
  });

  it('compiles the pack once, however many drafts it checks', async () => {
    let loads = 0;
    const host = createEngineHost(() => {
      loads++;
      return builtin;
    });
    await Promise.all([host.handle({ type: CHECK_MESSAGE, text: 'one' }), host.handle({ type: CHECK_MESSAGE, text: 'two' })]);
    await host.handle({ type: CHECK_MESSAGE, text: 'three' });
    expect(loads).toBe(1);
  });

  it('warms up on request: compiles the pack before the first draft arrives', async () => {
    let loads = 0;
    const host = createEngineHost(() => {
      loads++;
      return builtin;
    });
    expect(await host.handle({ type: WARM_MESSAGE })).toEqual({ ok: true, findings: [] });
    expect(loads).toBe(1);
    await host.handle({ type: CHECK_MESSAGE, text: 'hello' });
    expect(loads).toBe(1);
  });

  it('leaves messages that are not check requests to other listeners', () => {
    const host = createEngineHost(() => builtin);
    expect(host.handle({ type: 'something-else' })).toBeUndefined();
    expect(host.handle('check')).toBeUndefined();
    expect(host.handle(null)).toBeUndefined();
  });

  it('rejects a check request without text with a one-line error', async () => {
    const host = createEngineHost(() => builtin);
    const reply = await host.handle({ type: CHECK_MESSAGE, text: 42 });
    expect(reply).toEqual({ ok: false, error: 'check: "text" must be a string' });
  });

  it('reports a pack that does not compile as a one-line error on every check, without throwing', async () => {
    const host = createEngineHost(() => ({ id: 'broken' }));
    for (let i = 0; i < 2; i++) {
      const reply = await host.handle({ type: CHECK_MESSAGE, text: 'hello' });
      expect(reply?.ok).toBe(false);
      if (reply?.ok === false) {
        expect(reply.error).toMatch(/^the rule pack could not be loaded: /);
        expect(reply.error).not.toContain('\n');
      }
    }
  });
});
