import { browser } from 'wxt/browser';
import builtinPack from '../rules/generated/builtin.json';
import { startAdminRuntime } from '../src/admin/admin-runtime';
import { startAuditSender } from '../src/admin/audit-endpoint';
import { siteDecision } from '../src/admin/managed-config';
import { readManagedPolicy, watchManagedPolicy } from '../src/admin/read-managed';
import { storageAreaStore } from '../src/admin/remote-packs';
import { createEngineHost } from '../src/background/engine-host';
import { createHistoryHost, onDraftEvent } from '../src/background/history-host';
import { createOpenClauseHost } from '../src/background/open-clause-host';
import { createPolicyHost } from '../src/background/policy-host';
import type { BackgroundHandler, MessageSender } from '../src/background/protocol';
import { readSitePrefs, siteStatus } from '../src/settings/site-prefs';
import { loadUserPackCandidates, watchUserPacks } from '../src/settings/user-packs';

export default defineBackground(() => {
  // The organisation's policy and packs (enterprise policy, signed remote packs), then the
  // built-in pack: the admin runtime resolves which packs run, in precedence order.
  const admin = startAdminRuntime({ storage: browser.storage, alarms: browser.alarms, builtinPack, loadUserPacks: loadUserPackCandidates });
  // The user's own packs (settings page): turned on, off, imported or removed, they apply at once.
  watchUserPacks(() => void admin.refresh().catch(() => undefined));
  // The engine (and compromise) live here, not in the content script injected into every page.
  const engine = createEngineHost(() => admin.packs(), {
    // Read straight from the policy, not admin.status(): that waits for the packs to compile
    // (seconds on a cold start), and a page's first question should not.
    // The organisation's allow/blocklist first, then the sites the user switched off (popup,
    // settings); open pages re-ask when either changes (src/content/page-status.ts).
    siteSettings: async (pageUrl) => {
      const [{ policy }, prefs] = await Promise.all([readManagedPolicy(browser.storage), readSitePrefs()]);
      const site = siteStatus(policy, prefs, pageUrl);
      const enabled = site.state === 'not-a-site' ? siteDecision(policy, pageUrl).enabled : site.enabled;
      return { enabled, allowOverride: policy.allowOverride };
    },
  });
  admin.onChange(({ packsChanged }) => {
    if (packsChanged) engine.reload();
  });
  // The organisation's audit endpoint (policy auditEndpoint): the history host's draft events,
  // queued and POSTed in batches later; record() returns at once, so no message waits for it.
  const audit = startAuditSender({ store: storageAreaStore(browser.storage.local), alarms: browser.alarms });
  let policyWatched = false;
  watchManagedPolicy(browser.storage, ({ policy }) => {
    policyWatched = true;
    audit.setPolicy(policy);
  });
  void readManagedPolicy(browser.storage).then(({ policy }) => {
    if (!policyWatched) audit.setPolicy(policy);
  });
  onDraftEvent((event, sender) => audit.record(event, sender));
  // Each feature answers its own messages (one handler per feature, asked in turn).
  const handlers: BackgroundHandler[] = [
    (message, sender) => engine.handle(message, sender.url),
    createPolicyHost(() => admin.packSet()),
    // A finding card's or guard dialog's clause link, for packs without a policy web page.
    createOpenClauseHost(browser.tabs, (path) => browser.runtime.getURL(path as '/policy.html')),
    // Flagged-draft history: draft events from pages, the review page's requests.
    createHistoryHost().handle,
  ];
  browser.runtime.onMessage.addListener((message, sender) => {
    // The extension's own pages (popup, options, review), whether in a popup or in a tab.
    const fromExtension = sender.id === browser.runtime.id && !!sender.url?.startsWith(browser.runtime.getURL('/'));
    const from: MessageSender = {
      // The page a message came from, as the browser saw it; an about:blank or srcdoc frame is
      // judged by its tab's page.
      url: sender.url && /^https?:/.test(sender.url) ? sender.url : sender.tab?.url,
      tabId: sender.tab?.id,
      frameId: sender.frameId,
      fromExtension,
    };
    for (const handle of handlers) {
      const reply = handle(message, from);
      if (reply) return reply;
    }
    return undefined;
  });
});
