/**
 * The settings page (options.html) in Chromium with the built extension and a managed policy:
 * the organisation's inline pack is listed as locked with no way to switch it off; an invalid pack
 * file gets the CLI's plain error; a valid one imported here fires in a fixture page and stops
 * when switched off; "try a draft" shows the findings as the popup does; and everything works from
 * the keyboard alone. Screenshots (light, dark, 200% zoom) go to screenshots/settings-*.png.
 *
 * The policy file gets its own name (other e2e files write theirs) and is removed in afterAll.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '../../src/admin/extension-ids';
import { makePack, testKeys } from '../admin/helpers';
import { launchWithExtension, saveScreenshot, startFixtureServer, type ExtensionSession, type StaticServer, writeManagedPolicy } from './harness';

const POLICY_NAME = 'replyguard-settings-test.json';
let removePolicy: (() => void) | undefined;

const orgPack = makePack('e2e.settings-org', '1.0.0', [{ id: 'org.heron', terms: ['Project Heron'], severity: 'block' }]);

/**
 * The organisation's inline pack, user packs allowed, and a pack URL on the fixture server that
 * does not exist (a failed update, shown in plain words) signed by a key nobody holds, and a
 * site list entry that is not a site (an ignored policy value).
 */
function policyFor(missingPackUrl: string, publicKey: string) {
  return {
    '3rdparty': {
      extensions: {
        [CHROMIUM_EXTENSION_ID]: {
          inlinePacks: [JSON.stringify(orgPack)],
          packUrls: [missingPackUrl],
          packPublicKeys: [publicKey],
          allowUserPacks: true,
          historyRetentionDays: 30,
          // Valid for Chrome's schema (a list of text), not a site for ReplyGuard: reported, ignored.
          siteBlocklist: ['not a site!'],
        },
      },
    },
  };
}

/** The user's pack, as a pack author would write it. */
const TEAM_PACK_YAML = `id: team.words
name: Team words
version: 1.2.0
publisher: Library comms team
policy:
  title: Team policy
  version: "1"
  clauses:
    - id: codenames
      title: Project codenames stay internal
      summary: Do not name projects that have not been announced.
      source: Library comms handbook
rules:
  - id: team.bluebird
    kind: phrase
    category: internal-info
    severity: warning
    clause: codenames
    inflect: false
    terms: [Bluebird]
    message: '"{match}" is an internal project name'
    suggestion: Say "a new service" instead.
    examples:
      flag: [The Bluebird launch is close., Bluebird!]
      pass: [Thanks for your message., All good.]
`;

/**
 * How long to wait for the background to rebuild its packs after a change (it recompiles every
 * pack; seconds on a loaded two-core machine).
 */
const SLOW = { timeout: 15_000 };
/** Changes the page makes itself (storage, focus). */
const QUICK = { timeout: 5_000 };

/**
 * The built-in pack flags the mobile number (once: checked with `replyguard check`), the team pack
 * "Bluebird": the badge counts 2 with the team pack on and 1 with it off. Both counts prove a
 * check ran, so "off" is never a badge that simply has not appeared yet.
 */
const TEAM_DRAFT = 'The Bluebird team says thanks; call 07700 900123 with questions.';

describe('settings page', () => {
  let session: ExtensionSession;
  let server: StaticServer;

  let missingPackUrl: string;

  beforeAll(async () => {
    server = await startFixtureServer();
    missingPackUrl = `${server.origin}/packs/not-published-yet.json`;
    const { publicKey } = await testKeys();
    removePolicy = writeManagedPolicy(POLICY_NAME, policyFor(missingPackUrl, publicKey));
    session = await launchWithExtension();
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    removePolicy?.();
  });

  /** The settings page, once the background's status lists the organisation's pack. */
  async function openSettings(): Promise<Page> {
    const page = await session.context.newPage();
    await page.goto(session.extensionUrl('options.html'));
    await page.locator('[data-testid="pack"][data-source="admin"][data-state="on"]').waitFor({ timeout: 20_000 });
    return page;
  }

  /** The packs the background runs, from its stored status (a sync point after a change in settings). */
  const activePackIds = () =>
    session.serviceWorker.evaluate(async () => {
      const key = 'replyguard.admin.status';
      const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } } };
      const stored = (await chrome.storage.local.get(key))[key] as { packs?: Array<{ id: string }> } | undefined;
      return (stored?.packs ?? []).map((p) => p.id);
    });

  /** Types a draft into the fixture comment form and waits for the badge to show this many flags. */
  async function expectFlagsInFixture(text: string, expected: string): Promise<void> {
    const page = await session.context.newPage();
    try {
      await page.goto(`${server.origin}/content/wordpress-comment.html`);
      await page.click('#comment');
      await page.keyboard.type(text);
      const count = () => page.evaluate(() => document.querySelector('replyguard-badge')?.getAttribute('data-count') ?? '0');
      await expect.poll(count, SLOW).toBe(expected);
    } finally {
      await page.close();
    }
  }

  const packRow = (page: Page, source: string, id?: string) =>
    page.locator(`[data-testid="pack"][data-source="${source}"]${id ? `[data-pack-id="${id}"]` : ''}`);

  it("lists the organisation's pack as locked, with no way to switch it off, and the policy it set", async () => {
    const page = await openSettings();
    try {
      const org = packRow(page, 'admin', 'e2e.settings-org');
      await expect.poll(() => org.count(), QUICK).toBe(1);
      expect(await org.locator('h3').textContent()).toContain('Pack e2e.settings-org');
      expect(await org.getByTestId('pack-source').textContent()).toBe('Your organisation');
      expect(await org.getByTestId('pack-locked').textContent()).toContain('Locked by your organisation');
      // No switch, checkbox or button of any kind on the organisation's pack.
      expect(await org.locator('input, button, [role="switch"]').count()).toBe(0);
      expect(await page.getByRole('switch').count()).toBe(0);

      // The pack URL that answers 404: listed, locked, not in use, with the failed update in words.
      const missing = page.locator('[data-testid="pack"][data-source="admin"][data-state="not-used"]');
      await expect.poll(() => missing.getByTestId('pack-update').textContent(), { timeout: 15_000 }).toContain(
        'Policy update failed: the server answered 404 Not Found for the pack. No earlier version to fall back on.',
      );
      expect(await missing.getByTestId('pack-update').getAttribute('data-ok')).toBe('false');
      expect(await missing.getByTestId('pack-locked').count()).toBe(1);
      expect(await missing.locator('input, button').count()).toBe(0);

      const builtin = packRow(page, 'builtin');
      expect(await builtin.getByTestId('pack-state').textContent()).toBe('In use');

      // The keys the organisation set, each tagged, in plain words.
      expect(await page.getByTestId('policy-managed').count()).toBe(1);
      const lines = page.getByTestId('policy-lines');
      expect(await lines.locator('[data-key="allowUserPacks"]').textContent()).toContain('Allowed');
      expect(await lines.locator('[data-key="historyRetentionDays"]').textContent()).toContain('30 days');
      expect(await lines.locator('[data-key="inlinePacks"] .rg-tag').textContent()).toBe('Set by your organisation');
      expect(await page.getByTestId('policy-problems').locator('li').allTextContents()).toEqual([
        expect.stringMatching(/^siteBlocklist item 1 \("not a site!"\) is not a site .*; ignored\.$/),
      ]);

      // The rule runs: "try a draft" flags the organisation's term.
      await page.getByLabel('Draft', { exact: true }).fill('Project Heron opens next week.');
      await page.getByRole('button', { name: 'Check draft' }).click();
      await expect.poll(() => page.locator('.rg-finding[data-rule="org.heron"]').count(), { timeout: 15_000 }).toBe(1);

      await page.emulateMedia({ colorScheme: 'light' });
      await saveScreenshot(page, 'settings-light');
      await page.emulateMedia({ colorScheme: 'dark' });
      await saveScreenshot(page, 'settings-dark');
      await page.emulateMedia({ colorScheme: 'light' });
    } finally {
      await page.close();
    }
  });

  it('an invalid pack file is refused with the same plain error as the CLI', async () => {
    const page = await openSettings();
    try {
      const broken = TEAM_PACK_YAML.replace('version: 1.2.0', 'version: soon').replace('kind: phrase', 'kind: phrases');
      await page.getByLabel('Pack file (YAML or JSON)').setInputFiles({ name: 'team.yaml', mimeType: 'application/yaml', buffer: Buffer.from(broken) });
      const error = page.getByTestId('import-error');
      await error.waitFor({ timeout: 15_000 });
      expect(await error.getAttribute('role')).toBe('alert');
      expect(await error.locator('.rg-error-title').textContent()).toContain('team.yaml was not imported. Fix these problems in the file and choose it again:');
      expect(await error.locator('li').allTextContents()).toEqual([
        'team.yaml: field "version": a semantic version such as 1.2.0',
        'team.yaml: rule "team.bluebird", field "kind": unknown value "phrases" (expected one of: pattern, phrase, nlp, near, detector)',
      ]);
      // Nothing was stored.
      expect(await packRow(page, 'user').count()).toBe(0);

      await page.getByLabel('Pack file (YAML or JSON)').setInputFiles({ name: 'notes.yaml', mimeType: 'application/yaml', buffer: Buffer.from('id: x\nname: [unclosed\n') });
      await expect.poll(() => error.locator('li').allTextContents(), QUICK).toEqual([expect.stringMatching(/^notes\.yaml:\d+:\d+: not valid YAML \(/)]);
      await saveScreenshot(page, 'settings-import-error');
    } finally {
      await page.close();
    }
  });

  it('a valid pack imported here fires in a fixture page, and stops when switched off', async () => {
    await expectFlagsInFixture(TEAM_DRAFT, '1');

    const page = await openSettings();
    try {
      await page.getByLabel('Pack file (YAML or JSON)').setInputFiles({ name: 'team.yaml', mimeType: 'application/yaml', buffer: Buffer.from(TEAM_PACK_YAML) });
      await page.getByTestId('import-ok').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('import-ok').textContent()).toContain('Imported “Team words” version 1.2.0 (1 rule). It is switched on.');
      const row = packRow(page, 'user', 'team.words');
      await expect.poll(() => row.getAttribute('data-state'), { timeout: 10_000 }).toBe('on');
      expect(await row.getByTestId('pack-source').textContent()).toBe('Added by you');
      expect(await row.getByTestId('pack-signing').textContent()).toBe('Not signed (imported by you)');
      await expect.poll(activePackIds, SLOW).toContain('team.words');

      await expectFlagsInFixture(TEAM_DRAFT, '2');

      const toggle = row.getByRole('switch', { name: 'Use this pack (Team words)' });
      expect(await toggle.isChecked()).toBe(true);
      await toggle.click();
      await expect.poll(() => row.getAttribute('data-state'), QUICK).toBe('off');
      await expect.poll(activePackIds, SLOW).not.toContain('team.words');
      await expectFlagsInFixture(TEAM_DRAFT, '1');

      await toggle.click();
      await expect.poll(activePackIds, SLOW).toContain('team.words');
      await expectFlagsInFixture(TEAM_DRAFT, '2');
    } finally {
      await page.close();
    }
  });

  it('"try a draft" shows the findings as the popup does, grouped by severity, with clause links', async () => {
    const page = await openSettings();
    try {
      const draft = 'Call me on 07700 900123 about Project Heron.';
      await page.getByLabel('Draft', { exact: true }).fill(draft);
      await page.getByRole('button', { name: 'Check draft' }).click();
      const summary = page.getByTestId('draft-summary');
      await expect.poll(() => summary.textContent(), { timeout: 15_000 }).toBe('2 things to look at: 1 must fix, 1 warning.');
      expect(await summary.getAttribute('aria-live')).toBe('polite');
      const groups = await page.locator('.rg-finding-group h3').allTextContents();
      expect(groups).toEqual(['Must fix before posting', 'Warnings']);
      const org = page.locator('.rg-finding[data-rule="org.heron"]');
      expect(await org.locator('mark').textContent()).toBe('Project Heron');
      expect(await org.locator('.rg-severity').textContent()).toContain('Must fix');
      // The organisation's clause has no URL of its own: the link opens the policy viewer at it.
      expect(await org.getByTestId('clause-link').getAttribute('href')).toBe(session.extensionUrl('policy.html#e2e.settings-org/c1'));
      const mobile = page.locator('.rg-finding[data-rule="personal-data.mobile-number"]');
      expect(await mobile.locator('mark').textContent()).toBe('07700 900123');
      expect(await mobile.getByTestId('excerpt').textContent()).toBe(draft);

      await page.getByLabel('Draft', { exact: true }).fill('Thanks, we are glad you enjoyed the event.');
      await page.getByRole('button', { name: 'Check draft' }).click();
      await expect.poll(() => summary.textContent(), SLOW).toBe('Nothing to fix: ReplyGuard found no problems in this draft.');
      expect(await page.locator('.rg-finding').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('works from the keyboard alone, with a visible focus ring on every stop', async () => {
    const page = await openSettings();
    try {
      await packRow(page, 'user', 'team.words').waitFor();
      /** The focused element, described; and whether its focus ring shows. */
      const focused = () =>
        page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el === document.body) return { what: 'body', ring: false };
          const style = getComputedStyle(el);
          const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '';
          return {
            what: `${el.localName}${el.getAttribute('role') ? `[${el.getAttribute('role')}]` : ''}${(el as HTMLInputElement).type ? `:${(el as HTMLInputElement).type}` : ''} ${label.trim().replace(/\s+/g, ' ')}`,
            ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          };
        });

      const stops: string[] = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const f = await focused();
        expect(f.ring, `no visible focus on ${f.what}`).toBe(true);
        stops.push(f.what);
        if (f.what.startsWith('button:submit Check draft')) break;
      }
      const indexOf = (prefix: string) => stops.findIndex((s) => s.startsWith(prefix));
      const order = [
        'a Read the policy',
        'a Review flagged drafts',
        'a Rule packs',
        'input[switch]:checkbox Use this pack (Team words)',
        'button:button Remove Team words',
        'input:file Pack file (YAML or JSON)',
        'input:text Switch ReplyGuard off on a site',
        'button:submit Switch off',
        'textarea:textarea Draft',
        'button:submit Check draft',
      ].map((stop) => [stop, indexOf(stop)] as const);
      for (const [stop, index] of order) expect(index, `${stop} not reached by Tab: ${stops.join(' | ')}`).toBeGreaterThanOrEqual(0);
      expect(order.map(([, i]) => i)).toEqual([...order.map(([, i]) => i)].sort((a, b) => a - b));

      // Switch the user's pack off and on with the space bar.
      await page.getByRole('switch', { name: 'Use this pack (Team words)' }).focus();
      await page.keyboard.press('Space');
      await expect.poll(() => packRow(page, 'user', 'team.words').getAttribute('data-state'), QUICK).toBe('off');
      await page.keyboard.press('Space');
      await expect.poll(() => packRow(page, 'user', 'team.words').getAttribute('data-state'), QUICK).not.toBe('off');
      await expect.poll(() => page.getByTestId('announcer').textContent(), QUICK).toBe('Team words is switched on.');
      await page.getByRole('switch', { name: 'Use this pack (Team words)' }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, 'settings-keyboard-focus');

      // Switch a site off by typing it, then back on.
      await page.getByLabel('Switch ReplyGuard off on a site').focus();
      await page.keyboard.type('https://www.Forum.Example.org/thread/12');
      await page.keyboard.press('Enter');
      const site = page.locator('[data-testid="sites-off"] li[data-host="forum.example.org"]');
      await site.waitFor();
      expect(await page.getByTestId('announcer').textContent()).toBe('ReplyGuard is switched off on forum.example.org.');
      await site.getByRole('button').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => site.count(), QUICK).toBe(0);
      await expect.poll(async () => (await focused()).what, QUICK).toContain('Sites you switched off');

      // Check a draft with Ctrl+Enter, without leaving the text box.
      await page.getByLabel('Draft', { exact: true }).focus();
      await page.keyboard.type('The Bluebird launch is close.');
      await page.keyboard.press('Control+Enter');
      await expect.poll(() => page.getByTestId('draft-summary').textContent(), { timeout: 15_000 }).toBe('1 thing to look at: 1 warning.');
      expect((await focused()).what).toContain('Draft');

      // Remove the pack: Enter on "Remove", focus moves to the confirmation, Enter removes it.
      await page.getByRole('button', { name: 'Remove Team words' }).focus();
      await page.keyboard.press('Enter');
      // Focus moves once the question is drawn.
      await expect.poll(async () => (await focused()).what, QUICK).toBe('button:button Remove pack');
      await saveScreenshot(page, 'settings-remove-confirm');
      await page.keyboard.press('Enter');
      await expect.poll(() => packRow(page, 'user').count(), QUICK).toBe(0);
      await expect.poll(async () => (await focused()).what, QUICK).toContain('Rule packs');
      await expect.poll(activePackIds, SLOW).not.toContain('team.words');
    } finally {
      await page.close();
    }
  });

  it('reads at 200% zoom without sideways scrolling', async () => {
    const page = await session.context.newPage();
    try {
      // 200% zoom on a 1280-pixel window leaves 640 CSS pixels of width.
      await page.setViewportSize({ width: 640, height: 900 });
      await page.goto(session.extensionUrl('options.html'));
      await page.locator('[data-testid="pack"][data-source="admin"][data-state="on"]').waitFor({ timeout: 20_000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await saveScreenshot(page, 'settings-zoom-200');
    } finally {
      await page.close();
    }
  });
});

describe('settings page when the organisation does not allow user packs', () => {
  let session: ExtensionSession;
  let server: StaticServer;

  beforeAll(async () => {
    server = await startFixtureServer();
    const policy = { '3rdparty': { extensions: { [CHROMIUM_EXTENSION_ID]: { allowUserPacks: false } } } };
    removePolicy = writeManagedPolicy(POLICY_NAME, policy);
    session = await launchWithExtension();
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    removePolicy?.();
  });

  it('says so, offers no import, and a pack imported earlier does not run', async () => {
    // A pack imported before the policy arrived: stored as the settings page stores it.
    const pack = makePack('team.words', '1.2.0', [{ id: 'team.bluebird', terms: ['Bluebird'], severity: 'warning' }]);
    await session.serviceWorker.evaluate(async (entry) => {
      const { chrome } = globalThis as unknown as { chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } } };
      await chrome.storage.local.set({ 'replyguard.userPacks': [entry], 'replyguard.userPacks$': { v: 1 } });
    }, { id: 'team.words', fileName: 'team.yaml', enabled: true, importedAt: Date.now(), pack });

    const page = await session.context.newPage();
    try {
      await page.goto(session.extensionUrl('options.html'));
      const row = page.locator('[data-testid="pack"][data-source="user"][data-pack-id="team.words"]');
      await expect.poll(() => row.getByTestId('pack-state').textContent(), SLOW).toBe('Not in use. Your organisation does not allow your own packs.');
      expect(await page.getByTestId('user-packs-not-allowed').textContent()).toContain('Your organisation does not allow your own packs.');
      expect(await page.getByLabel('Pack file (YAML or JSON)').isDisabled()).toBe(true);
      // No switch that would change nothing; the pack can still be removed.
      expect(await row.getByRole('switch').count()).toBe(0);
      expect(await row.getByRole('button', { name: 'Remove Pack team.words' }).count()).toBe(1);
      expect(await page.locator('[data-key="allowUserPacks"]').textContent()).toContain('Not allowed');
      await saveScreenshot(page, 'settings-user-packs-not-allowed');

      // The background leaves it out: "try a draft" does not flag its term.
      await page.getByLabel('Draft', { exact: true }).fill('The Bluebird team says thanks; call 07700 900123 with questions.');
      await page.getByRole('button', { name: 'Check draft' }).click();
      await expect.poll(() => page.getByTestId('draft-summary').textContent(), SLOW).toBe('1 thing to look at: 1 warning.');
      expect(await page.locator('.rg-finding').getAttribute('data-rule')).toBe('personal-data.mobile-number');
    } finally {
      await page.close();
    }
  });
});
