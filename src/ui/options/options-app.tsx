/**
 * The settings page (the extension's options page): rule packs, importing a pack, the
 * organisation's policy, per-site on/off and "try a draft". Reads the background's AdminStatus,
 * the user's packs and site choices from storage, and follows their changes live, so a policy
 * update or a switch in the popup shows here without a reload.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SitePrefs } from '../../settings/site-prefs';
import type { UserPackList } from '../../settings/user-packs';
import { ImportForm, PackList } from './packs-section';
import { packRows, readStatus, reservedPackIds, type BuiltinInfo, type StatusRead } from './pack-rows';
import { PolicySection } from './policy-section';
import type { OptionsServices } from './services';
import { SitesSection } from './sites-section';
import { TryDraft } from './try-draft';

export interface OptionsAppProps {
  services: OptionsServices;
  builtin: BuiltinInfo;
}

/** Follows a stored value: the first read, then every change (a change that lands first wins). */
function useStored<T>(load: () => Promise<T>, watch: (cb: (value: T) => void) => () => void): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let changed = false;
    const stop = watch((next) => {
      changed = true;
      setValue(next);
    });
    void load().then((first) => {
      if (!changed) setValue(first);
    });
    return stop;
  }, []);
  return value;
}

export function OptionsApp({ services, builtin }: OptionsAppProps) {
  const statusRead = useStored<StatusRead>(
    async () => readStatus(await services.loadStatus()),
    (cb) => services.watchStatus((raw) => cb(readStatus(raw))),
  );
  const userPacks = useStored<UserPackList>(() => services.readUserPacks(), (cb) => services.watchUserPacks(cb));
  const sites = useStored<SitePrefs>(() => services.listSites(), (cb) => services.watchSites(cb));
  const [announcement, setAnnouncement] = useState('');
  const packsHeading = useRef<HTMLHeadingElement>(null);

  const status = statusRead?.state === 'ok' ? statusRead.status : null;
  const userPacksAllowed = status ? status.policy.allowUserPacks : true;
  const rows = useMemo(() => packRows(status, userPacks?.packs ?? [], builtin), [status, userPacks, builtin]);

  const statusNote =
    statusRead === null
      ? 'Loading…'
      : statusRead.state === 'missing'
        ? 'ReplyGuard is starting: the full list of packs appears in a moment.'
        : statusRead.state === 'damaged'
          ? statusRead.problem
          : null;
  const otherProblems = (status?.packProblems ?? []).filter((p) => !rows.some((r) => r.reason && p.endsWith(r.reason)));

  // A new message each time, even when the text repeats, so it is read again.
  const announce = (message: string) => setAnnouncement((prev) => (prev === message ? `${message}\u00a0` : message));

  const onToggle = async (id: string, enabled: boolean) => {
    await services.setUserPackEnabled(id, enabled);
    const name = userPacks?.packs.find((p) => p.id === id)?.pack.name ?? id;
    announce(enabled ? `${name} is switched on.` : `${name} is switched off.`);
  };
  const onRemove = async (id: string, name: string) => {
    await services.removeUserPack(id);
    announce(`Removed ${name}.`);
    // The row (and the button that had focus) is gone: put focus somewhere that still exists.
    packsHeading.current?.focus();
  };

  return (
    <main class="rg-options">
      <header class="rg-options-header">
        <h1>ReplyGuard settings</h1>
        <nav aria-label="Other ReplyGuard pages">
          <ul class="rg-links">
            <li>
              <a href={services.getURL('/policy.html')}>Read the policy</a>
            </li>
            <li>
              <a href={services.getURL('/review.html')}>Review flagged drafts</a>
            </li>
          </ul>
        </nav>
        <nav aria-label="On this page">
          <ul class="rg-links rg-toc">
            <li>
              <a href="#packs">Rule packs</a>
            </li>
            <li>
              <a href="#import">Import a pack</a>
            </li>
            <li>
              <a href="#policy">Organisation policy</a>
            </li>
            <li>
              <a href="#sites">Sites</a>
            </li>
            <li>
              <a href="#try">Try a draft</a>
            </li>
          </ul>
        </nav>
      </header>

      <div class="rg-visually-hidden" role="status" aria-live="polite" data-testid="announcer">
        {announcement}
      </div>

      <section id="packs" aria-labelledby="packs-heading">
        <h2 id="packs-heading" ref={packsHeading} tabIndex={-1}>
          Rule packs
        </h2>
        <p>
          Packs hold the rules drafts are checked against. When two packs have a rule with the same id, the one higher in
          this list wins.
        </p>
        <PackList rows={rows} statusNote={statusNote} userPacksAllowed={userPacksAllowed} onToggle={onToggle} onRemove={onRemove} />
        {otherProblems.length > 0 && (
          <ul class="rg-warning-box" data-testid="pack-problems">
            {otherProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {userPacks && userPacks.problems.length > 0 && (
          <div class="rg-warning-box" data-testid="stored-pack-problems">
            <ul>
              {userPacks.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
            <button type="button" class="rg-button" onClick={() => void services.removeDamagedUserPacks().then(() => announce('Removed the damaged saved packs.'))}>
              Remove the damaged entries
            </button>
          </div>
        )}
      </section>

      <section id="import" aria-labelledby="import-heading">
        <h2 id="import-heading">Import your own pack</h2>
        <ImportForm
          allowed={userPacksAllowed}
          context={() => ({ allowUserPacks: userPacksAllowed, reservedPackIds: reservedPackIds(status, builtin) })}
          importPack={services.importPack}
          announce={announce}
        />
      </section>

      <section id="policy" aria-labelledby="policy-heading">
        <h2 id="policy-heading">Your organisation's policy</h2>
        <PolicySection status={status} />
      </section>

      <section id="sites" aria-labelledby="sites-heading">
        <h2 id="sites-heading">Sites</h2>
        <SitesSection prefs={sites} policy={status?.policy ?? null} setSwitchedOff={services.setSiteSwitchedOff} announce={announce} />
      </section>

      <section id="try" aria-labelledby="try-heading">
        <h2 id="try-heading">Try a draft</h2>
        <TryDraft check={services.check} getURL={services.getURL} />
      </section>
    </main>
  );
}
