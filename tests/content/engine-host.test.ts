import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngineHost, DEFAULT_SITE_SETTINGS } from '../../src/background/engine-host';
import { CHECK_MESSAGE, SITE_MESSAGE, WARM_MESSAGE, type CheckResponse } from '../../src/background/protocol';
import { compilePack } from '../../src/engine/compile';
import type { PackInput } from '../../src/engine/schema';
import type { CompiledPack } from '../../src/engine/types';
import { makePack } from '../admin/helpers';

const builtinInput = JSON.parse(readFileSync(join(__dirname, '../../rules/generated/builtin.json'), 'utf8')) as PackInput;
const builtin: CompiledPack[] = [compilePack(builtinInput)];

async function findingsOf(reply: Promise<unknown> | undefined) {
  const answer = (await reply) as CheckResponse | undefined;
  if (!answer?.ok) throw new Error(`expected findings, got ${JSON.stringify(answer)}`);
  return answer.findings;
}

describe('engine host (background)', () => {
  it('answers a check message with the findings of the built-in pack', async () => {
    const host = createEngineHost(() => builtin);
    const reply = (await host.handle({ type: CHECK_MESSAGE, text: 'Please see the attached OFFICIAL-SENSITIVE briefing.' })) as CheckResponse;
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

  it('reports packs that cannot be loaded as a one-line error on every check, without throwing, and tries again', async () => {
    let loads = 0;
    const host = createEngineHost(() => {
      loads++;
      return [compilePack({ id: 'broken' } as unknown as PackInput)];
    });
    for (let i = 0; i < 2; i++) {
      const reply = (await host.handle({ type: CHECK_MESSAGE, text: 'hello' })) as CheckResponse;
      expect(reply.ok).toBe(false);
      if (reply.ok === false) {
        expect(reply.error).toMatch(/^the rule packs could not be loaded: /);
        expect(reply.error).not.toContain('\n');
      }
    }
    expect(loads).toBe(2);
  });

  it('checks a draft against every pack, and returns audit-mode findings marked as such', async () => {
    const org = compilePack(
      makePack('org.policy', '1.0.0', [
        { id: 'org.codename', terms: ['Project Falcon'], severity: 'block' },
        { id: 'org.trial', terms: ['heron'], mode: 'audit' },
      ]),
    );
    const second = compilePack(makePack('org.second', '1.0.0', [{ id: 'second.word', terms: ['kestrel'] }]));
    const host = createEngineHost(async () => [org, second, ...builtin]);
    const findings = await findingsOf(
      host.handle({ type: CHECK_MESSAGE, text: 'Project Falcon ships soon. The heron and the kestrel are OFFICIAL-SENSITIVE.' }),
    );
    const byRule = Object.fromEntries(findings.map((f) => [`${f.pack}/${f.rule}`, f]));
    expect(byRule['org.policy/org.codename']).toMatchObject({ excerpt: 'Project Falcon', severity: 'block', mode: 'enforce' });
    expect(byRule['org.policy/org.trial']).toMatchObject({ excerpt: 'heron', mode: 'audit' });
    expect(byRule['org.second/second.word']).toMatchObject({ excerpt: 'kestrel', mode: 'enforce' });
    expect(findings.some((f) => f.pack === builtinInput.id && f.excerpt === 'OFFICIAL-SENSITIVE')).toBe(true);
  });

  it('reload() makes the next check ask for the packs again (an organisation pack changed)', async () => {
    let packs = [compilePack(makePack('org.policy', '1.0.0', [{ id: 'org.word', terms: ['falcon'] }]))];
    let loads = 0;
    const host = createEngineHost(() => (loads++, packs));
    expect((await findingsOf(host.handle({ type: CHECK_MESSAGE, text: 'falcon and owl' }))).map((f) => f.excerpt)).toEqual(['falcon']);
    packs = [compilePack(makePack('org.policy', '2.0.0', [{ id: 'org.word', terms: ['owl'] }]))];
    // Without reload the compiled packs are kept.
    expect((await findingsOf(host.handle({ type: CHECK_MESSAGE, text: 'falcon and owl' }))).map((f) => f.excerpt)).toEqual(['falcon']);
    host.reload();
    expect((await findingsOf(host.handle({ type: CHECK_MESSAGE, text: 'falcon and owl' }))).map((f) => f.excerpt)).toEqual(['owl']);
    expect(loads).toBe(2);
  });

  it("answers a site request with the policy's decision for the sender's page", async () => {
    const seen: string[] = [];
    const host = createEngineHost(() => builtin, {
      siteSettings: (url) => {
        seen.push(url);
        return { enabled: !url.includes('blocked.example'), allowOverride: { info: true, warning: true, block: false } };
      },
    });
    expect(await host.handle({ type: SITE_MESSAGE }, 'https://blocked.example/post/1')).toEqual({
      enabled: false,
      allowOverride: { info: true, warning: true, block: false },
    });
    expect(await host.handle({ type: SITE_MESSAGE }, 'https://news.example/')).toMatchObject({ enabled: true });
    expect(seen).toEqual(['https://blocked.example/post/1', 'https://news.example/']);
  });

  it('keeps checking when the site policy cannot be read, or there is none', async () => {
    const failing = createEngineHost(() => builtin, {
      siteSettings: () => {
        throw new Error('storage unavailable');
      },
    });
    expect(await failing.handle({ type: SITE_MESSAGE }, 'https://news.example/')).toEqual(DEFAULT_SITE_SETTINGS);
    expect(await createEngineHost(() => builtin).handle({ type: SITE_MESSAGE }, 'https://news.example/')).toEqual(DEFAULT_SITE_SETTINGS);
  });
});
