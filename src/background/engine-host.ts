/**
 * The engine host: runs in the background service worker and answers content scripts. It asks for
 * the compiled packs (admin, built-in, user: src/admin/admin-runtime.ts) lazily, on the first
 * check, keeps them until reload() (the organisation's packs changed), and checks each draft
 * against all of them. check() memoises sentence results per compiled pack, so re-checking a
 * draft after a keystroke only re-analyses the changed sentence.
 *
 * Findings of audit-mode rules are returned too (mode "audit"), for the history; the content
 * script shows and guards only the enforced ones (src/content/findings.ts).
 */
import { checkAll } from '../engine/check';
import type { CompiledPack } from '../engine/types';
import { CHECK_MESSAGE, SITE_MESSAGE, WARM_MESSAGE, type CheckResponse, type SiteSettings } from './protocol';

/** Exercises every rule kind once (the NLP rules load compromise on first use). */
const WARM_UP_TEXT = 'Thanks for your message: we will look into this and reply to you by Friday.';

export interface EngineHostOptions {
  /** What the policy decides for a page (site allow/blocklist, overrides); default: everything on. */
  siteSettings?: (pageUrl: string) => SiteSettings | Promise<SiteSettings>;
}

export interface EngineHost {
  /**
   * A promise of the reply for a check, warm or site request; undefined for any other message.
   * senderUrl: the page the message came from, as the browser reports it (not what the page says).
   */
  handle(message: unknown, senderUrl?: string): Promise<CheckResponse> | Promise<SiteSettings> | undefined;
  /** Forgets the compiled packs: the next check asks for them again. */
  reload(): void;
}

export const DEFAULT_SITE_SETTINGS: SiteSettings = {
  enabled: true,
  allowOverride: { info: true, warning: true, block: true },
};

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, '; ');
}

export function createEngineHost(
  loadPacks: () => CompiledPack[] | Promise<CompiledPack[]>,
  options: EngineHostOptions = {},
): EngineHost {
  let compiled: Promise<CompiledPack[]> | undefined;
  const packs = (): Promise<CompiledPack[]> => {
    const loading = (compiled ??= Promise.resolve().then(loadPacks));
    // A failed load is not kept: the next check tries again (the admin runtime may be ready by then).
    loading.catch(() => {
      if (compiled === loading) compiled = undefined;
    });
    return loading;
  };
  const loadFailed = (error: unknown): CheckResponse => ({ ok: false, error: `the rule packs could not be loaded: ${oneLine(error)}` });

  return {
    handle(message, senderUrl) {
      const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
      if (type === SITE_MESSAGE) {
        if (!options.siteSettings || !senderUrl) return Promise.resolve(DEFAULT_SITE_SETTINGS);
        return Promise.resolve()
          .then(() => options.siteSettings!(senderUrl))
          // Policy trouble must not switch ReplyGuard off: the default is to check.
          .catch(() => DEFAULT_SITE_SETTINGS);
      }
      if (type === WARM_MESSAGE) {
        return packs().then((p): CheckResponse => (checkAll(p, WARM_UP_TEXT), { ok: true, findings: [] }), loadFailed);
      }
      if (type !== CHECK_MESSAGE) return undefined;
      const text = (message as { text?: unknown }).text;
      if (typeof text !== 'string') return Promise.resolve<CheckResponse>({ ok: false, error: 'check: "text" must be a string' });
      return packs().then((p): CheckResponse => {
        try {
          return { ok: true, findings: checkAll(p, text) };
        } catch (error) {
          return { ok: false, error: `check failed: ${oneLine(error)}` };
        }
      }, loadFailed);
    },
    reload() {
      compiled = undefined;
    },
  };
}
