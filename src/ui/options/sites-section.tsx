/**
 * "Sites": the sites the user switched ReplyGuard off on (switch back on, or switch another off),
 * and the organisation's site lists, which win over the user's choice either way.
 */
import { useRef, useState } from 'preact/hooks';
import { siteDecision } from '../../admin/managed-config';
import { parseSiteInput, type SitePrefs } from '../../settings/site-prefs';
import { formatTime } from './packs-section';
import type { StatusView } from './pack-rows';

export interface SitesSectionProps {
  prefs: SitePrefs | null;
  policy: Pick<StatusView['policy'], 'siteAllowlist' | 'siteBlocklist'> | null;
  setSwitchedOff(host: string, off: boolean): Promise<void>;
  announce(message: string): void;
}

/** What the organisation's lists mean for a site the user switched off. */
function organisationNote(policy: SitesSectionProps['policy'], host: string): string | null {
  if (!policy) return null;
  const decision = siteDecision(policy, `https://${host}/`);
  if (decision.lockedOn) return 'Your organisation requires ReplyGuard on this site, so it stays on.';
  if (decision.lockedOff) return 'Your organisation has switched ReplyGuard off on this site anyway.';
  return null;
}

export function SitesSection({ prefs, policy, setSwitchedOff, announce }: SitesSectionProps) {
  const field = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const switchOff = async (e: Event) => {
    e.preventDefault();
    // The field itself, not state: a submit straight after typing sees every character.
    const parsed = parseSiteInput(field.current?.value ?? '');
    if ('error' in parsed) {
      setError(parsed.error);
      return;
    }
    try {
      await setSwitchedOff(parsed.host, true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return;
    }
    setError(null);
    if (field.current) field.current.value = '';
    announce(`ReplyGuard is switched off on ${parsed.host}.`);
  };

  const switchOn = async (host: string) => {
    await setSwitchedOff(host, false);
    announce(`ReplyGuard is back on for ${host}.`);
    // The button that had focus is gone with its row.
    heading.current?.focus();
  };

  return (
    <>
      <p>
        ReplyGuard checks replies on every site unless you switch a site off, from the popup on that site or here.
        {policy && (policy.siteAllowlist.length > 0 || policy.siteBlocklist.length > 0) && ' Your organisation’s site lists come first.'}
      </p>
      {policy && policy.siteAllowlist.length > 0 && (
        <p data-testid="site-allowlist">
          <span class="rg-tag">Set by your organisation</span> ReplyGuard checks only these sites, and you cannot switch them
          off: <span class="rg-wrap">{policy.siteAllowlist.join(', ')}</span>.
        </p>
      )}
      {policy && policy.siteBlocklist.length > 0 && (
        <p data-testid="site-blocklist">
          <span class="rg-tag">Set by your organisation</span> ReplyGuard never checks these sites:{' '}
          <span class="rg-wrap">{policy.siteBlocklist.join(', ')}</span>.
        </p>
      )}
      <h3 ref={heading} tabIndex={-1}>
        Sites you switched off
      </h3>
      {prefs === null ? (
        <p>Loading…</p>
      ) : prefs.switchedOff.length === 0 ? (
        <p data-testid="no-sites-off">You have not switched ReplyGuard off on any site.</p>
      ) : (
        <ul class="rg-site-list" data-testid="sites-off">
          {prefs.switchedOff.map((site) => {
            const note = organisationNote(policy, site.host);
            return (
              <li key={site.host} data-host={site.host}>
                <span class="rg-site-host">{site.host}</span>
                <span class="rg-muted-text"> switched off {formatTime(site.since)}</span>
                {note && <span class="rg-site-note"> {note}</span>}{' '}
                <button type="button" class="rg-button" onClick={() => void switchOn(site.host)}>
                  Switch back on<span class="rg-visually-hidden"> for {site.host}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {prefs && prefs.problems.length > 0 && (
        <ul class="rg-warning-box" data-testid="site-problems">
          {prefs.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <form class="rg-inline-form" onSubmit={(e) => void switchOff(e)}>
        <label class="rg-field-label" for="rg-site-input">
          Switch ReplyGuard off on a site
        </label>
        <div class="rg-row">
          <input
            id="rg-site-input"
            type="text"
            inputMode="url"
            autoComplete="off"
            spellcheck={false}
            placeholder="forum.example.org"
            ref={field}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'rg-site-error' : undefined}
          />
          <button type="submit" class="rg-button">
            Switch off
          </button>
        </div>
        {error && (
          <p id="rg-site-error" class="rg-error-text" role="alert">
            {error}
          </p>
        )}
      </form>
    </>
  );
}
