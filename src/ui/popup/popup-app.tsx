/**
 * The popup for the active tab: the drafts being written there (the focused one first) with their
 * findings grouped by severity, what to do about each (go to the words, ignore here once), the
 * site switch, the organisation's pack trouble, and links to settings and the review page.
 *
 * It asks the page a couple of times a second while open, so it follows the writer's typing;
 * findings keep their place while a new check runs (no layout jump), and new ones are announced
 * through a polite live region.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { FieldStatus, FindingRef, PageStatus } from '../../content/page-status';
import type { Finding } from '../../engine/types';
import type { SiteStatus } from '../../settings/site-prefs';
import { FindingItem, SEVERITY_GROUP_LABELS, SeverityIcon } from '../finding-item';
import type { PopupApi } from './api';
import {
  announcement,
  findingKey,
  findingsSummary,
  groupBySeverity,
  hasAdminTrouble,
  pageView,
  type AdminTrouble,
  type PageView,
} from './model';

export interface PopupAppProps {
  api: PopupApi;
  /** How often to ask the page while the popup is open. */
  pollMs?: number;
  /** runtime.getURL for clause links (tests). */
  getURL?: (path: string) => string;
  /** The built-in pack this build carries, named in the footer. */
  builtin?: { name: string; version: string };
}

export function PopupApp({ api, pollMs = 400, getURL, builtin }: PopupAppProps) {
  const [page, setPage] = useState<PageStatus | null | undefined>(undefined);
  const [site, setSite] = useState<SiteStatus | null>(null);
  const [trouble, setTrouble] = useState<AdminTrouble | null>(null);
  const [notice, setNotice] = useState('');
  const [live, setLive] = useState('');
  const [switching, setSwitching] = useState(false);
  const lastJson = useRef('');
  const announced = useRef<Set<string> | null>(null);
  const siteUrl = useRef<string | null>(null);
  const settingsVersion = useRef(0);

  const refreshSite = useCallback(
    async (url: string) => {
      const version = settingsVersion.current;
      const status = await api.siteStatus(url).catch(() => null);
      if (version === settingsVersion.current && siteUrl.current === url) setSite(status);
    },
    [api],
  );

  const poll = useCallback(async () => {
    const answer = await api.pageStatus();
    const json = JSON.stringify(answer);
    if (json === lastJson.current) return;
    lastJson.current = json;
    setPage(answer);
    if (answer && answer.url !== siteUrl.current) {
      siteUrl.current = answer.url;
      await refreshSite(answer.url);
    }
    if (answer?.running) {
      const next = announcement(announced.current ?? new Set(), answer.fields);
      // The first answer is what the popup opens with, not news: only later arrivals are announced.
      if (announced.current && next.text) setLive(next.text);
      announced.current = next.keys;
    }
  }, [api, refreshSite]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loop = async () => {
      await poll().catch(() => undefined);
      if (!stopped) timer = setTimeout(loop, pollMs);
    };
    void loop();
    const loadTrouble = () => void api.adminTrouble().then(setTrouble, () => undefined);
    loadTrouble();
    const unwatch = api.watchSettings(() => {
      settingsVersion.current++;
      loadTrouble();
      if (siteUrl.current) void refreshSite(siteUrl.current);
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      unwatch();
    };
  }, [api, poll, pollMs, refreshSite]);

  const view = pageView(api.tabId, page, site);

  const act = async (kind: 'go' | 'ignore', field: FieldStatus, finding: Finding) => {
    const ref: FindingRef = { rule: finding.rule, start: finding.start, end: finding.end, excerpt: finding.excerpt };
    const reply = await (kind === 'go' ? api.goToFinding(field.id, ref) : api.ignoreFinding(field.id, ref)).catch(
      (error: unknown) => ({ ok: false as const, error: `The page did not answer (${String(error)}).` }),
    );
    if (!reply.ok) {
      setNotice(reply.error);
      return;
    }
    setNotice(kind === 'ignore' ? `Ignored "${finding.excerpt}" in this reply until the page is reloaded.` : '');
    if (kind === 'go') api.showPage();
    else await poll().catch(() => undefined);
  };

  const switchSite = async (off: boolean) => {
    const host = site?.host;
    if (!host) return;
    setSwitching(true);
    try {
      await api.setSiteSwitchedOff(host, off);
      settingsVersion.current++;
      siteUrl.current = page?.url ?? null;
      if (siteUrl.current) await refreshSite(siteUrl.current);
      setNotice(off ? `ReplyGuard is now off on ${host}.` : `ReplyGuard is now on for ${host}.`);
    } catch (error) {
      setNotice(`Could not change the setting: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setSwitching(false);
    }
  };

  return (
    <div class={api.inTab ? 'pp pp-in-tab' : 'pp'} data-view={view.kind}>
      <header class="pp-header">
        <div class="pp-brand">
          <svg class="pp-logo" viewBox="0 0 16 16" width="1.25em" height="1.25em" aria-hidden="true" focusable="false">
            <path d="M8 1 14 3.2V8c0 3.3-2.6 5.9-6 7-3.4-1.1-6-3.7-6-7V3.2Z" fill="currentColor" />
            <path d="M5.2 8.2 7.2 10.2 10.9 6.2" fill="none" stroke="var(--rg-bg)" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
          <h1 class="pp-title">ReplyGuard</h1>
        </div>
        {site?.host && <span class="pp-host">{site.host}</span>}
      </header>
      {hasAdminTrouble(trouble) && <AdminNotice trouble={trouble} />}
      <main class="pp-main">
        <ViewBody view={view} getURL={getURL} onAction={act} onSwitch={switchSite} switching={switching} />
      </main>
      <p class="pp-notice" role="status" data-testid="notice">
        {notice}
      </p>
      {(view.kind === 'fields' || view.kind === 'no-fields') && (
        <SiteControl site={view.site} switching={switching} onSwitch={switchSite} />
      )}
      <footer class="pp-footer">
        <a
          href="#settings"
          onClick={(e) => {
            e.preventDefault();
            api.openSettings();
          }}
        >
          Settings
        </a>
        <a href={api.reviewUrl} target="_blank">
          Review flagged drafts
        </a>
        {builtin && (
          <span class="pp-pack" data-testid="builtin-pack">
            {builtin.name} <span data-testid="builtin-pack-version">v{builtin.version}</span>
          </span>
        )}
      </footer>
      <div class="rg-visually-hidden" aria-live="polite" data-testid="live">
        {live}
      </div>
    </div>
  );
}

interface ViewBodyProps {
  view: PageView;
  getURL?: (path: string) => string;
  onAction(kind: 'go' | 'ignore', field: FieldStatus, finding: Finding): void;
  onSwitch(off: boolean): void;
  switching: boolean;
}

function ViewBody({ view, getURL, onAction, onSwitch, switching }: ViewBodyProps) {
  switch (view.kind) {
    case 'loading':
      return <StateMessage state="loading" title="Looking at this page…" />;
    case 'not-running':
      return view.reason === 'no-tab' ? (
        <StateMessage state="not-checked" title="Not checked: there is no page to check" text="Open a web page with a reply box, then open ReplyGuard again." />
      ) : (
        <StateMessage
          state="not-checked"
          title="Not checked: ReplyGuard is not running on this page"
          text="ReplyGuard checks replies on web sites (addresses starting http or https), not on browser or extension pages. If this is a web site, reload the page: pages opened before ReplyGuard was installed or updated need a reload."
        />
      );
    case 'site-off':
      return <SiteOff site={view.site} onSwitch={onSwitch} switching={switching} />;
    case 'no-fields':
      return (
        <StateMessage
          state="no-fields"
          title="No reply box on this page"
          text="When you write a reply, comment or post on this site, ReplyGuard checks it as you type and lists any problems here."
        />
      );
    case 'fields':
      return (
        <>
          {view.fields.map((field, i) => (
            <FieldView key={field.id} field={field} heading={fieldHeading(field, i, view.fields.length)} getURL={getURL} onAction={onAction} />
          ))}
        </>
      );
  }
}

function fieldHeading(field: FieldStatus, index: number, count: number): string {
  if (count === 1) return 'Your reply';
  if (field.focused) return 'The reply you are writing';
  return `Reply box ${index + 1}`;
}

function StateMessage({ state, title, text }: { state: string; title: string; text?: string }) {
  return (
    <section class="pp-state" data-state={state} aria-labelledby="pp-state-title">
      <h2 id="pp-state-title" class="pp-state-title">
        {title}
      </h2>
      {text && <p class="pp-state-text">{text}</p>}
    </section>
  );
}

function SiteOff({ site, onSwitch, switching }: { site: SiteStatus; onSwitch(off: boolean): void; switching: boolean }) {
  const byYou = site.state === 'off-by-you';
  return (
    <section class="pp-state" data-state="site-off" data-by={byYou ? 'you' : 'organisation'} aria-labelledby="pp-state-title">
      <h2 id="pp-state-title" class="pp-state-title">
        Not checked: ReplyGuard is off on this site
      </h2>
      <p class="pp-state-text">
        {byYou
          ? `You switched ReplyGuard off on ${site.host}. Replies you write here are not checked against your organisation's policy.`
          : `Your organisation has switched ReplyGuard off on ${site.host}. Replies here are not checked.`}
      </p>
      {byYou && (
        <button type="button" class="rg-button rg-primary" disabled={switching} onClick={() => onSwitch(false)}>
          Switch on for this site
        </button>
      )}
    </section>
  );
}

function SiteControl({ site, switching, onSwitch }: { site: SiteStatus; switching: boolean; onSwitch(off: boolean): void }) {
  if (site.state === 'on-required') {
    return (
      <p class="pp-site" data-state="on-required">
        Your organisation requires ReplyGuard on {site.host}, so it cannot be switched off here.
      </p>
    );
  }
  if (!site.canSwitch) return null;
  return (
    <p class="pp-site" data-state="on">
      <span>Checking replies on {site.host}.</span>{' '}
      <button type="button" class="rg-button" disabled={switching} onClick={() => onSwitch(true)}>
        Switch off for this site
      </button>
    </p>
  );
}

interface FieldViewProps {
  field: FieldStatus;
  heading: string;
  getURL?: (path: string) => string;
  onAction(kind: 'go' | 'ignore', field: FieldStatus, finding: Finding): void;
}

function fieldStatusLine(field: FieldStatus): { icon: string; text: string } {
  switch (field.state) {
    case 'empty':
      return { icon: '✎', text: 'Nothing written yet.' };
    case 'checking':
      return { icon: '⋯', text: field.findings.length ? 'Checking your changes…' : 'Checking…' };
    case 'not-checked':
      return {
        icon: '⚠',
        text: `Not checked: ReplyGuard could not check this draft${field.error ? ` (${field.error})` : ''}. Posting is not blocked, so read it through yourself.`,
      };
    case 'checked':
      return field.findings.length
        ? { icon: '!', text: `${findingsSummary(field.findings)}.` }
        : { icon: '✓', text: 'No problems found. Ready to post.' };
  }
}

function FieldView({ field, heading, getURL, onAction }: FieldViewProps) {
  const headingId = `pp-field-${field.id}`;
  const status = fieldStatusLine(field);
  const groups = groupBySeverity(field.findings);
  return (
    <section class="pp-field" aria-labelledby={headingId} data-field={field.id} data-state={field.state} data-focused={field.focused}>
      <h2 id={headingId} class="pp-field-title" tabIndex={-1}>
        {heading}
        {field.label && <span class="pp-field-label"> · {field.label}</span>}
      </h2>
      <p class="pp-field-status" data-testid="field-status" data-clean={field.state === 'checked' && !field.findings.length}>
        <span class="pp-status-icon" aria-hidden="true">
          {status.icon}
        </span>
        {status.text}
      </p>
      {groups.map((group) => (
        <section class="pp-group" data-severity={group.severity} key={group.severity} aria-label={`${SEVERITY_GROUP_LABELS[group.severity]}: ${group.findings.length}`}>
          <h3 class="pp-group-title">
            <SeverityIcon severity={group.severity} />
            {SEVERITY_GROUP_LABELS[group.severity]} ({group.findings.length})
          </h3>
          <ul class="pp-findings">
            {group.findings.map((finding) => (
              <li key={findingKey(field.id, finding)}>
                <FindingItem finding={finding} draft={field.text} getURL={getURL}>
                  <button type="button" class="rg-button" onClick={() => onAction('go', field, finding)}>
                    Go to the words
                  </button>
                  <button
                    type="button"
                    class="rg-button"
                    onClick={(e) => {
                      // The item disappears: keep keyboard focus in the reply's section.
                      const section = (e.currentTarget as HTMLElement).closest('.pp-field');
                      onAction('ignore', field, finding);
                      section?.querySelector<HTMLElement>('.pp-field-title')?.focus();
                    }}
                  >
                    Ignore here once
                  </button>
                </FindingItem>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

function AdminNotice({ trouble }: { trouble: AdminTrouble }) {
  const lines = [...trouble.updates, ...trouble.problems];
  return (
    <section class="pp-admin" data-testid="admin-trouble" aria-labelledby="pp-admin-title">
      <h2 id="pp-admin-title" class="pp-admin-title">
        <SeverityIcon severity="warning" />
        {trouble.updates.length ? "Your organisation's rules could not be updated" : "There is a problem with your organisation's rules"}
      </h2>
      <p class="pp-admin-text">
        {trouble.holdPosts
          ? 'Your organisation asks ReplyGuard to hold posts until its rules are in use.'
          : 'ReplyGuard keeps checking with the rules it has. Tell your IT or communications team if this stays.'}
      </p>
      {lines.length > 0 && (
        <details class="pp-admin-details">
          <summary>What went wrong ({lines.length})</summary>
          <ul class="pp-admin-list">
            {lines.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
