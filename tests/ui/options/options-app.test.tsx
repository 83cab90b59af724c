// @vitest-environment happy-dom
/**
 * The settings page in each state: starting, no policy, a managed policy with locked organisation
 * packs (remote and inline), a failed update, user packs not allowed, ignored policy values, the
 * user's packs switched on/off and removed, damaged storage, and importing a pack file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fakeServices, adminStatus, builtinStatusPack, storedUserPack, userStatusPack } from './fixtures';
import { button, chooseFile, detail, mount, packRow, present, text, unmount, waitFor } from './helpers';
import { makePack } from '../../admin/helpers';

let root: HTMLElement | undefined;
afterEach(() => {
  if (root) unmount(root);
  root = undefined;
});

const announcer = () => text(document.querySelector('[data-testid="announcer"]'));
const switches = (el: Element) => [...el.querySelectorAll<HTMLInputElement>('input[role="switch"]')];
const fileInput = () => present(document.querySelector<HTMLInputElement>('#rg-pack-file'), 'file input');

const REMOTE_URL = 'https://packs.example.org/comms.json';

describe('before the background has written its status', () => {
  it('says ReplyGuard is starting and still lists the built-in pack', async () => {
    root = mount(fakeServices().services);
    await waitFor(() => expect(text(root!)).toContain('ReplyGuard is starting: the full list of packs appears in a moment.'));
    expect(text(packRow(root, 'builtin').querySelector('h3'))).toBe('ReplyGuard built-in policy version 0.1.0');
    expect(text(root)).toContain("Your organisation's policy is shown here once ReplyGuard has read it.");
  });

  it('follows the status when it arrives', async () => {
    const fake = fakeServices();
    root = mount(fake.services);
    await waitFor(() => expect(text(root!)).toContain('ReplyGuard is starting'));
    fake.setStatus(adminStatus());
    await waitFor(() => expect(text(root!)).not.toContain('ReplyGuard is starting'));
    expect(detail(packRow(root, 'builtin'), 'Rules')).toBe('253 rules');
  });

  it('a damaged status is reported in one sentence, not thrown', async () => {
    root = mount(fakeServices({ status: { managed: 'yes', packs: 3 } }).services);
    await waitFor(() => expect(text(root!)).toMatch(/ReplyGuard's saved status could not be read \("managed"\), so the list of packs may be incomplete\./));
    expect(packRow(root, 'builtin')).toBeTruthy();
  });
});

describe('no organisation policy', () => {
  it('shows the built-in pack in use, says no policy applies, and allows importing', async () => {
    root = mount(fakeServices({ status: adminStatus() }).services);
    await waitFor(() => present(root!.querySelector('[data-testid="policy-unmanaged"]')));
    const row = packRow(root, 'builtin');
    expect(detail(row, 'Status')).toBe('In use');
    expect(detail(row, 'Source')).toBe('Built in');
    expect(detail(row, 'Publisher')).toBe('ReplyGuard');
    expect(text(root.querySelector('[data-testid="policy-unmanaged"]'))).toBe(
      'No organisation policy applies to this browser, so ReplyGuard uses its own defaults.',
    );
    expect(root.querySelector('[data-testid="policy-lines"]')).toBeNull();
    expect(fileInput().disabled).toBe(false);
    expect(root.querySelector('[data-testid="user-packs-not-allowed"]')).toBeNull();
    // Links to the other pages.
    const links = [...root.querySelectorAll('nav a')].map((a) => [text(a), a.getAttribute('href')]);
    expect(links).toContainEqual(['Read the policy', 'chrome-extension://replyguard-test/policy.html']);
    expect(links).toContainEqual(['Review flagged drafts', 'chrome-extension://replyguard-test/review.html']);
  });
});

describe('a managed policy', () => {
  const managed = adminStatus({
    managed: true,
    configured: ['packUrls', 'packPublicKeys', 'inlinePacks', 'allowOverride', 'siteBlocklist'],
    policy: {
      packUrls: [REMOTE_URL],
      packPublicKeys: ['ed25519:AAAA'],
      inlinePacks: [{}],
      allowOverride: { info: true, warning: true, block: false },
      siteBlocklist: ['intranet.example.org'],
    },
    remote: [
      {
        url: REMOTE_URL,
        ok: true,
        message: 'Up to date: "Comms pack" 2.1.0.',
        checkedAt: Date.UTC(2026, 10, 26, 8, 15),
        active: { packId: 'org.comms', name: 'Comms pack', version: '2.1.0', keyId: 'k-1a2b3c', fetchedAt: Date.UTC(2026, 10, 25) },
      },
    ],
    packs: [
      { id: 'org.comms', name: 'Comms pack', version: '2.1.0', publisher: 'Example Council', source: 'admin', origin: REMOTE_URL, locked: true, audit: false, rules: 12, shadowed: [] },
      { id: 'org.inline', name: 'Inline pack', version: '1.0.0', publisher: 'Example Council', source: 'admin', origin: 'inline pack 1', locked: true, audit: true, rules: 3, shadowed: [] },
      { ...builtinStatusPack, shadowed: ['credentials.password', 'credentials.token'] },
    ],
  });

  it("lists the organisation's packs as locked, signed or inline, with their last update, and offers no switch", async () => {
    root = mount(fakeServices({ status: managed }).services);
    const remote = await waitFor(() => packRow(root!, 'admin', 'org.comms'));
    expect(text(remote.querySelector('h3'))).toBe('Comms pack version 2.1.0');
    expect(detail(remote, 'Source')).toBe('Your organisation');
    expect(detail(remote, 'Publisher')).toBe('Example Council');
    expect(detail(remote, 'From')).toBe(REMOTE_URL);
    expect(detail(remote, 'Signature')).toBe('Signed by your organisation (key k-1a2b3c)');
    expect(detail(remote, 'Status')).toBe('In use');
    expect(detail(remote, 'Last update')).toMatch(/^✓ 26 Nov 2026, 08:15: Up to date: "Comms pack" 2\.1\.0\.$/);
    expect(text(remote.querySelector('[data-testid="pack-locked"]'))).toBe('Locked by your organisation: it always runs and cannot be switched off here.');

    const inline = packRow(root, 'admin', 'org.inline');
    expect(detail(inline, 'Signature')).toBe('No signature needed: it is part of the policy itself');
    expect(detail(inline, 'Status')).toBe('On trial: its findings are recorded but never shown to you');

    // Neither organisation pack has any control; nothing on the page switches one off.
    for (const row of [remote, inline]) expect(row.querySelectorAll('input, button').length).toBe(0);
    expect(switches(root)).toEqual([]);

    expect(detail(packRow(root, 'builtin'), 'Rules')).toBe('253 rules (2 more left out: a pack higher in this list already has a rule with the same id)');
  });

  it('lists the settings the organisation made, each tagged "Set by your organisation"', async () => {
    root = mount(fakeServices({ status: managed }).services);
    const lines = await waitFor(() => present(root!.querySelector('[data-testid="policy-lines"]')));
    expect(text(root.querySelector('[data-testid="policy-managed"]'))).toContain('Your organisation manages ReplyGuard in this browser.');
    const line = (key: string) => {
      const item = present(lines.querySelector(`[data-key="${key}"]`), key);
      return `${text(item.querySelector('dt'))}: ${text(item.querySelector('dd'))}`;
    };
    expect(line('packUrls')).toBe(`Organisation packs downloaded from: ${REMOTE_URL} Set by your organisation`);
    expect(line('packPublicKeys')).toBe('Trusted signing keys: 1 key Set by your organisation');
    expect(line('allowOverride')).toBe('"Post anyway": Allowed past warnings (with a reason), not past "must fix" findings Set by your organisation');
    expect(line('siteBlocklist')).toBe('ReplyGuard never checks these sites: intranet.example.org Set by your organisation');
    // Keys the organisation did not set are not listed.
    expect(lines.querySelector('[data-key="allowUserPacks"]')).toBeNull();
    expect(text(root.querySelector('[data-testid="site-blocklist"]'))).toContain('ReplyGuard never checks these sites: intranet.example.org.');
  });

  it('a failed update keeps the last good pack and says so in plain words', async () => {
    const failed = structuredClone(managed);
    failed.remote[0] = {
      ...failed.remote[0]!,
      ok: false,
      message: 'Policy update failed: signature does not match any trusted key. The last good version ("Comms pack" 2.1.0) stays in use.',
    };
    root = mount(fakeServices({ status: failed }).services);
    const remote = await waitFor(() => packRow(root!, 'admin', 'org.comms'));
    expect(detail(remote, 'Status')).toBe('In use');
    expect(detail(remote, 'Last update')).toContain('✗ 26 Nov 2026, 08:15: Policy update failed: signature does not match any trusted key.');
    expect(remote.querySelector('[data-testid="pack-update"]')!.getAttribute('data-ok')).toBe('false');
  });

  it('a pack that never downloaded is listed as not in use, with the reason, and posts held in closed mode', async () => {
    const never = adminStatus({
      managed: true,
      configured: ['packUrls', 'failMode'],
      policy: { packUrls: [REMOTE_URL], failMode: 'closed' },
      remote: [{ url: REMOTE_URL, ok: false, message: 'Policy update failed: the server answered 404 Not Found. No earlier version to fall back on.', checkedAt: Date.UTC(2026, 10, 26, 8, 15), active: null }],
      holdPosts: true,
    });
    root = mount(fakeServices({ status: never }).services);
    const row = await waitFor(() => packRow(root!, 'admin'));
    expect(row.getAttribute('data-state')).toBe('not-used');
    expect(text(row.querySelector('h3'))).toBe('Organisation pack (not downloaded yet)');
    expect(detail(row, 'Status')).toBe('Not in use. No good copy has been downloaded yet (see the last update).');
    expect(detail(row, 'Last update')).toBe('✗ 26 Nov 2026, 08:15: Policy update failed: the server answered 404 Not Found. No earlier version to fall back on.');
    expect(text(root.querySelector('[data-testid="hold-posts"]'))).toContain('Posts are held: your organisation requires its own pack');
    expect(text(root.querySelector('[data-key="failMode"]'))).toContain('Posts are held until it loads');
  });

  it('ignored policy values are listed in plain sentences', async () => {
    const status = adminStatus({
      managed: true,
      configured: ['failMode'],
      policyProblems: ['failMode ("sometimes") should be one of "open", "closed"; the default is used instead.'],
    });
    root = mount(fakeServices({ status }).services);
    const box = await waitFor(() => present(root!.querySelector('[data-testid="policy-problems"]')));
    expect(text(box.querySelector('h3'))).toBe('Policy values that were ignored');
    expect(text(box)).toContain('The rest of the policy still applies.');
    expect([...box.querySelectorAll('li')].map(text)).toEqual(['failMode ("sometimes") should be one of "open", "closed"; the default is used instead.']);
  });

  it('the built-in pack turned off by the organisation is listed as not in use', async () => {
    const status = adminStatus({
      managed: true,
      configured: ['disableBuiltInPack'],
      policy: { disableBuiltInPack: true },
      packs: [],
      skipped: [{ source: 'builtin', origin: 'built-in', reason: 'turned off by your organisation' }],
    });
    root = mount(fakeServices({ status }).services);
    const row = await waitFor(() => packRow(root!, 'builtin'));
    await waitFor(() => expect(detail(row, 'Status')).toBe('Not in use. Turned off by your organisation'));
  });
});

describe("the user's own packs", () => {
  const twoPacks = () => ({
    status: adminStatus({ packs: [builtinStatusPack, userStatusPack('team.one')] }),
    userPacks: { packs: [storedUserPack('team.one', true), storedUserPack('team.two', false)], problems: [] },
  });

  it('lists each with its state, a switch and Remove', async () => {
    root = mount(fakeServices(twoPacks()).services);
    const one = await waitFor(() => packRow(root!, 'user', 'team.one'));
    const two = packRow(root, 'user', 'team.two');
    expect(detail(one, 'Source')).toBe('Added by you');
    expect(detail(one, 'From')).toBe('Imported from team.one.yaml');
    expect(detail(one, 'Signature')).toBe('Not signed (imported by you)');
    expect(detail(one, 'Status')).toBe('In use');
    expect(detail(one, 'Imported')).toBe('25 Nov 2026, 14:30');
    expect(detail(two, 'Status')).toBe('Switched off by you');
    expect(switches(one).map((s) => [s.checked, s.disabled])).toEqual([[true, false]]);
    expect(switches(two).map((s) => s.checked)).toEqual([false]);
    // The switch is named after the pack, for screen readers.
    expect(text(switches(one)[0]!.closest('label'))).toBe('Use this pack (Team pack team.one)');
    expect(button(one, 'Remove Team pack team.one')).toBeTruthy();
  });

  it('switching a pack off and on saves it and announces it', async () => {
    const fake = fakeServices(twoPacks());
    root = mount(fake.services);
    const one = await waitFor(() => packRow(root!, 'user', 'team.one'));
    switches(one)[0]!.click();
    await waitFor(() => expect(detail(packRow(root!, 'user', 'team.one'), 'Status')).toBe('Switched off by you'));
    expect(fake.calls).toEqual(['enabled team.one false']);
    await waitFor(() => expect(announcer()).toBe('Team pack team.one is switched off.'));

    switches(packRow(root, 'user', 'team.two'))[0]!.click();
    // Switched on but not yet picked up by the background.
    await waitFor(() => expect(detail(packRow(root!, 'user', 'team.two'), 'Status')).toBe('Starting to use it…'));
    expect(fake.calls).toEqual(['enabled team.one false', 'enabled team.two true']);
  });

  it('Remove asks first, moves focus to the question, and Keep it goes back', async () => {
    const fake = fakeServices(twoPacks());
    root = mount(fake.services);
    const one = await waitFor(() => packRow(root!, 'user', 'team.one'));
    button(one, 'Remove Team pack team.one').click();
    const confirm = await waitFor(() => button(packRow(root!, 'user', 'team.one'), 'Remove pack'));
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    expect(text(packRow(root, 'user', 'team.one').querySelector('.rg-confirm p'))).toBe(
      'Remove “Team pack team.one”? It stops running and is deleted from this browser.',
    );
    button(packRow(root, 'user', 'team.one'), 'Keep it').click();
    await waitFor(() => expect(text(document.activeElement)).toBe('Remove Team pack team.one'));
    expect(fake.calls).toEqual([]);

    button(packRow(root, 'user', 'team.one'), 'Remove Team pack team.one').click();
    (await waitFor(() => button(packRow(root!, 'user', 'team.one'), 'Remove pack'))).click();
    await waitFor(() => expect(root!.querySelector('[data-pack-id="team.one"]')).toBeNull());
    expect(fake.calls).toEqual(['remove team.one']);
    expect(announcer()).toBe('Removed Team pack team.one.');
    expect(document.activeElement?.id).toBe('packs-heading');
  });

  it('not allowed by the organisation: says so, no import, and packs cannot be switched on', async () => {
    const status = adminStatus({
      managed: true,
      configured: ['allowUserPacks'],
      policy: { allowUserPacks: false },
      skipped: [{ source: 'user', origin: 'team.one.yaml', reason: 'your organisation does not allow your own packs' }],
    });
    const fake = fakeServices({ status, userPacks: twoPacks().userPacks });
    root = mount(fake.services);
    const note = await waitFor(() => present(root!.querySelector('[data-testid="user-packs-not-allowed"]')));
    expect(text(note)).toBe(
      'Set by your organisation Your organisation does not allow your own packs. You cannot import one, and packs you imported earlier do not run.',
    );
    expect(fileInput().disabled).toBe(true);
    const one = packRow(root, 'user', 'team.one');
    expect(detail(one, 'Status')).toBe('Not in use. Your organisation does not allow your own packs.');
    // No switch (it would change nothing); Remove still works.
    expect(switches(root)).toEqual([]);
    expect(button(one, 'Remove Team pack team.one')).toBeTruthy();
    expect(fake.calls).toEqual([]);
    expect(text(root.querySelector('[data-key="allowUserPacks"]'))).toContain('Not allowed: you cannot import packs');
  });

  it('a pack the background could not use shows its reason', async () => {
    const status = adminStatus({ packProblems: ['Your pack team.one.yaml is not used: rule "x", field "pattern": not a valid regular expression.'] });
    root = mount(fakeServices({ status, userPacks: { packs: [storedUserPack('team.one')], problems: [] } }).services);
    const one = await waitFor(() => packRow(root!, 'user', 'team.one'));
    await waitFor(() => expect(detail(one, 'Status')).toBe('Not in use. rule "x", field "pattern": not a valid regular expression.'));
    // Attached to its row, not repeated in the general list.
    expect(root.querySelector('[data-testid="pack-problems"]')).toBeNull();
  });

  it('damaged saved packs are reported and can be cleared', async () => {
    const fake = fakeServices({
      status: adminStatus(),
      userPacks: { packs: [], problems: ['Your saved pack "old.yaml" is damaged and is not used ("enabled" Invalid input). Import the file again.'] },
    });
    root = mount(fake.services);
    const box = await waitFor(() => present(root!.querySelector('[data-testid="stored-pack-problems"]')));
    expect(text(box)).toContain('Your saved pack "old.yaml" is damaged and is not used');
    button(box, 'Remove the damaged entries').click();
    await waitFor(() => expect(root!.querySelector('[data-testid="stored-pack-problems"]')).toBeNull());
    expect(fake.calls).toEqual(['remove damaged']);
  });
});

describe('importing a pack file', () => {
  const good = makePack('team.new', '1.3.0', [{ id: 'team.new.rule', terms: ['Kestrel'] }]);

  it('an invalid file shows every problem, naming the file, in an alert', async () => {
    const fake = fakeServices({ status: adminStatus() });
    root = mount(fake.services);
    await waitFor(() => packRow(root!, 'builtin'));
    chooseFile(fileInput(), 'team.json', JSON.stringify({ ...good, version: 'soon', rules: [{ ...good.rules[0], kind: 'regex' }] }));
    const error = await waitFor(() => present(root!.querySelector('[data-testid="import-error"]')));
    expect(error.getAttribute('role')).toBe('alert');
    expect(text(error.querySelector('.rg-error-title'))).toBe('✗ team.json was not imported. Fix these problems in the file and choose it again:');
    expect([...error.querySelectorAll('li')].map(text)).toEqual([
      'team.json: field "version": a semantic version such as 1.2.0',
      'team.json: rule "team.new.rule", field "kind": unknown value "regex" (expected one of: pattern, phrase, nlp, near, detector)',
    ]);
    expect(root.querySelector('[data-testid="pack"][data-source="user"]')).toBeNull();
    // The same file can be chosen again once fixed.
    expect(fileInput().value).toBe('');
  });

  it('a valid file is imported, listed, and announced', async () => {
    const fake = fakeServices({ status: adminStatus() });
    root = mount(fake.services);
    await waitFor(() => packRow(root!, 'builtin'));
    chooseFile(fileInput(), 'team.json', JSON.stringify(good));
    const ok = await waitFor(() => present(root!.querySelector('[data-testid="import-ok"]')));
    expect(text(ok)).toBe('✓ Imported “Pack team.new” version 1.3.0 (1 rule). It is switched on.');
    expect(announcer()).toBe('Imported Pack team.new. It is switched on.');
    await waitFor(() => expect(detail(packRow(root!, 'user', 'team.new'), 'Status')).toBe('Starting to use it…'));
  });

  it("a pack id the organisation's pack uses is refused", async () => {
    const status = adminStatus({
      packs: [{ id: 'team.new', name: 'Org pack', version: '1.0.0', publisher: 'Org', source: 'admin', origin: 'inline pack 1', locked: true, audit: false, rules: 1, shadowed: [] }, builtinStatusPack],
      policy: { inlinePacks: [{}] },
    });
    root = mount(fakeServices({ status }).services);
    await waitFor(() => packRow(root!, 'admin'));
    chooseFile(fileInput(), 'team.json', JSON.stringify(good));
    const error = await waitFor(() => present(root!.querySelector('[data-testid="import-error"]')));
    expect(text(error.querySelector('li'))).toBe('team.json: the pack id "team.new" is already used by your organisation\'s pack');
  });
});
