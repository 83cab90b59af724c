/**
 * The audit endpoint sender: when the organisation's policy sets auditEndpoint, what happens to
 * flagged drafts (flagged, edited, posted anyway with the reason, posted, abandoned) is POSTed
 * there as JSON, with the pack, rule and clause ids of every finding, the site's host and the
 * time, and no draft text unless the policy also sets storeFullText.
 *
 * It must never be in the writer's way: record() is synchronous and never throws, and everything
 * else (batching, the network, retries) happens later, off the message path.
 *
 * - Batching: events wait up to batchDelayMs (15 s), or until batchSize (50) are queued, and go
 *   in one POST.
 * - Retries: a network error, a timeout, 408, 429 or 5xx keeps the batch and tries again after
 *   an exponential backoff with jitter (10 s, 20 s, 40 s ... up to 1 hour), or after the server's
 *   Retry-After when it sends one. Any other 4xx means the server will never take this batch:
 *   it is dropped (and counted), and the rest of the queue goes on.
 * - Bounds: at most maxQueued (500) events and about maxQueuedChars (1 M characters) are kept;
 *   beyond that the oldest are dropped and the next batch says how many ("dropped").
 * - Persistence: the queue lives in browser.storage.local too, so a service worker that goes to
 *   sleep (or a browser restart) loses nothing; the next start sends what is due. A long wait is
 *   backed by a one-shot alarm, because a sleeping service worker's timers never fire.
 * - Live policy: setPolicy() takes every policy change. No endpoint: nothing is recorded and the
 *   queue is discarded. storeFullText switched off: texts already queued are removed at once.
 */
import { z } from 'zod';
import type { DraftEvent, DraftEventKind, MessageSender } from '../background/protocol';
import type { ManagedPolicy } from './managed-config';
import type { KeyValueStore } from './remote-packs';

/** The payload's format, so a collector can tell versions apart. */
export const AUDIT_SCHEMA = 'replyguard.audit/1';
/** Where the queue is kept between service-worker starts (browser.storage.local). */
export const AUDIT_QUEUE_KEY = 'replyguard.admin.auditQueue';
/** The one-shot alarm that wakes the service worker for a retry due later. */
export const AUDIT_RETRY_ALARM = 'replyguard-audit-retry';

/** A draft sent in full (storeFullText) is cut at this length, so one event cannot fill the queue. */
export const MAX_TEXT_CHARS = 10_000;
/** The writer's "Post anyway" reason is cut at this length. */
export const MAX_REASON_CHARS = 1_000;

const KINDS = ['flagged', 'edited', 'posted-anyway', 'posted', 'abandoned'] as const satisfies readonly DraftEventKind[];

/** One rule's findings in a draft (a rule that matched three times is one entry with count 3). */
export interface AuditFinding {
  pack: string;
  rule: string;
  clause: string;
  category: string;
  severity: 'info' | 'warning' | 'block';
  /** audit: recorded for the organisation, never shown to the writer. */
  mode: 'enforce' | 'audit';
  count: number;
  /** Where it matched in `text`, [start, end) in UTF-16 code units; only with the text (storeFullText). */
  spans?: Array<[number, number]>;
}

/** One thing that happened to a draft, as the endpoint receives it. */
export interface AuditEvent {
  /** Random, unique per event: a batch retried after a lost answer can be de-duplicated by it. */
  id: string;
  kind: DraftEventKind;
  /** Random per draft: the events of one draft share it. Not linked to the writer. */
  draftId: string;
  /** When it happened (ISO 8601, UTC). */
  at: string;
  /** The site's host name (never the page's path or query), or null if the browser gave none. */
  site: string | null;
  /** How the post was attempted: click, submit or key (flagged, posted-anyway, posted). */
  action?: 'click' | 'submit' | 'key';
  /** The writer's reason for "Post anyway" (posted-anyway only, when they gave one). */
  reason?: string;
  findings: AuditFinding[];
  /** The draft itself: only when the policy sets storeFullText. */
  text?: string;
  /** The text was longer than MAX_TEXT_CHARS and was cut. */
  textTruncated?: true;
}

/** The body of one POST. */
export interface AuditBatch {
  schema: typeof AUDIT_SCHEMA;
  /** When this POST was made (ISO 8601, UTC); a retry carries a later time. */
  sentAt: string;
  /** Events this browser had to drop (queue full) since the last batch that reported them. */
  dropped: number;
  events: AuditEvent[];
}

/** The last delivery attempt, for the settings page. */
export interface AuditDeliveryStatus {
  at: number;
  ok: boolean;
  /** One plain sentence. */
  message: string;
}

const Severity = z.enum(['info', 'warning', 'block']);
const Mode = z.enum(['enforce', 'audit']);

const AuditFindingSchema = z.object({
  pack: z.string(),
  rule: z.string(),
  clause: z.string(),
  category: z.string(),
  severity: Severity,
  mode: Mode,
  count: z.number().int().positive(),
  spans: z.array(z.tuple([z.number(), z.number()])).optional(),
});

const AuditEventSchema = z.object({
  id: z.string(),
  kind: z.enum(KINDS),
  draftId: z.string(),
  at: z.string(),
  site: z.string().nullable(),
  action: z.enum(['click', 'submit', 'key']).optional(),
  reason: z.string().optional(),
  findings: z.array(AuditFindingSchema),
  text: z.string().optional(),
  textTruncated: z.literal(true).optional(),
});

/** What is kept in browser.storage.local. */
const PersistedSchema = z.object({
  endpoint: z.string(),
  events: z.array(AuditEventSchema),
  dropped: z.number().int().min(0),
  rejected: z.number().int().min(0),
  attempts: z.number().int().min(0),
  nextAttemptAt: z.number(),
  last: z.object({ at: z.number(), ok: z.boolean(), message: z.string() }).nullable(),
});
type Persisted = z.infer<typeof PersistedSchema>;

/** A draft event as it arrives from the content script (through the history host): checked field by field. */
const IncomingFinding = z.object({
  pack: z.string().max(200),
  rule: z.string().max(200),
  clause: z.object({ id: z.string().max(200) }),
  category: z.string().max(100),
  severity: Severity,
  mode: Mode,
  start: z.number().int().min(0),
  end: z.number().int().min(0),
});
const IncomingEvent = z.object({
  draftId: z.string().min(1).max(200),
  kind: z.enum(KINDS),
  reason: z.string().optional(),
  text: z.string(),
  findings: z.array(z.unknown()),
  action: z.enum(['click', 'submit', 'key']).optional(),
  at: z.number().optional(),
});

/** setTimeout / clearTimeout, injectable so tests can run the clock. */
export interface AuditTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The part of browser.alarms the retry backstop needs. */
export interface AuditAlarms {
  create(name: string, info: { when: number }): unknown;
  clear(name: string): unknown;
  onAlarm: {
    addListener(listener: (alarm: { name: string }) => void): void;
    removeListener(listener: (alarm: { name: string }) => void): void;
  };
}

export interface AuditSenderOptions {
  /** browser.storage.local (through storageAreaStore), or a Map in tests. */
  store: KeyValueStore;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  timers?: AuditTimers;
  /** browser.alarms: wakes the service worker for a retry due later than its timers would live. */
  alarms?: AuditAlarms;
  /** In [0, 1): the jitter. */
  random?: () => number;
  newId?: () => string;
  /** Send as soon as this many events are queued (default 50; also the most per POST). */
  batchSize?: number;
  /** Otherwise send this long after the first queued event (default 15 s). */
  batchDelayMs?: number;
  /** At most this many events are kept (default 500); the oldest go first. */
  maxQueued?: number;
  /** At most about this many characters of queued events (default 1,000,000). */
  maxQueuedChars?: number;
  /** The first retry waits about this long (default 10 s), doubling each time... */
  retryBaseMs?: number;
  /** ...up to this (default 1 hour). */
  retryMaxMs?: number;
  /** A server's Retry-After is followed up to this (default 24 hours). */
  maxRetryAfterMs?: number;
  /** Per POST (default 30 s). */
  timeoutMs?: number;
  /** Waits longer than this are backed by an alarm (default 25 s: an idle service worker sleeps after 30 s). */
  alarmAfterMs?: number;
}

export interface AuditSender {
  /** The policy in effect; call it at start and on every change. Until the first call, events wait in memory. */
  setPolicy(policy: Pick<ManagedPolicy, 'auditEndpoint' | 'storeFullText'>): void;
  /** Queues one draft event. Synchronous, never throws: the writer never waits for it. */
  record(event: DraftEvent, sender: MessageSender): void;
  /** Sends what is queued now (tests; the settings page). */
  flush(): Promise<void>;
  /** Resolves once the queued work (storage writes, a POST in flight) is done. */
  settled(): Promise<void>;
  /** How many events wait, and the last delivery's result. */
  status(): { queued: number; dropped: number; rejected: number; last: AuditDeliveryStatus | null; nextAttemptAt: number | null };
  stop(): void;
}

const DEFAULTS = {
  batchSize: 50,
  batchDelayMs: 15_000,
  maxQueued: 500,
  maxQueuedChars: 1_000_000,
  retryBaseMs: 10_000,
  retryMaxMs: 60 * 60_000,
  maxRetryAfterMs: 24 * 60 * 60_000,
  timeoutMs: 30_000,
  alarmAfterMs: 25_000,
};

/** The host of an http(s) page, or null. */
function siteOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.hostname : null;
  } catch {
    return null;
  }
}

/** Findings grouped by rule; spans only when the text goes too. */
function summarise(findings: unknown[], withSpans: boolean, textLength: number): AuditFinding[] {
  const byRule = new Map<string, AuditFinding>();
  for (const raw of findings) {
    const parsed = IncomingFinding.safeParse(raw);
    if (!parsed.success) continue;
    const f = parsed.data;
    const key = JSON.stringify([f.pack, f.rule, f.mode, f.severity]);
    let entry = byRule.get(key);
    if (!entry) {
      entry = { pack: f.pack, rule: f.rule, clause: f.clause.id, category: f.category, severity: f.severity, mode: f.mode, count: 0 };
      if (withSpans) entry.spans = [];
      byRule.set(key, entry);
    }
    entry.count++;
    if (withSpans && f.end <= textLength && f.start <= f.end) entry.spans!.push([f.start, f.end]);
  }
  return [...byRule.values()];
}

/** Drops what storeFullText would not allow. */
function withoutText(event: AuditEvent): AuditEvent {
  if (event.text === undefined && !event.findings.some((f) => f.spans)) return event;
  const { text: _text, textTruncated: _cut, ...rest } = event;
  return { ...rest, findings: event.findings.map(({ spans: _spans, ...f }) => f) };
}

/** Retry-After: seconds, or an HTTP date. null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null; // neither seconds nor a date (e.g. "-5")
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The server may take this batch later (network trouble, overload, rate limit). */
function isRetriable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

const emptyState = (endpoint: string): Persisted => ({
  endpoint,
  events: [],
  dropped: 0,
  rejected: 0,
  attempts: 0,
  nextAttemptAt: 0,
  last: null,
});

export function startAuditSender(options: AuditSenderOptions): AuditSender {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS &
    AuditSenderOptions;
  const now = options.now ?? Date.now;
  const timers: AuditTimers = options.timers ?? {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  };
  const random = options.random ?? Math.random;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const doFetch = (...args: Parameters<typeof globalThis.fetch>) => (options.fetch ?? globalThis.fetch)(...args);

  /** null until the first setPolicy(); endpoint null: switched off. */
  let policy: { endpoint: string | null; storeFullText: boolean } | null = null;
  /** The queue; endpoint '' while no policy has said where it goes. */
  let state: Persisted = emptyState('');
  /** Events recorded before the stored queue was read. */
  let early: AuditEvent[] = [];
  let earlyDropped = 0;
  let loaded = false;
  let stopped = false;
  let timer: { handle: unknown; at: number } | null = null;
  let inFlight: Promise<void> | null = null;
  let writes: Promise<void> = Promise.resolve();

  const sizeOf = (event: AuditEvent): number => JSON.stringify(event).length;

  /** Keeps the queue within its bounds, oldest first out, counting what goes. */
  const enforceBounds = (): void => {
    let total = state.events.reduce((n, e) => n + sizeOf(e), 0);
    while (state.events.length > o.maxQueued || (total > o.maxQueuedChars && state.events.length > 0)) {
      total -= sizeOf(state.events.shift()!);
      state.dropped++;
    }
  };

  /** Writes the queue (in order; a failed write is reported, never thrown). Nothing is written before the policy is known. */
  const persist = (): void => {
    if (!policy || !loaded) return;
    const snapshot = policy.endpoint ? structuredClone(state) : null;
    writes = writes
      .then(() => options.store.set(AUDIT_QUEUE_KEY, snapshot))
      .catch((e: unknown) => console.error('ReplyGuard: could not save the audit queue', e));
  };

  const clearTimer = (): void => {
    if (timer) timers.clearTimeout(timer.handle);
    timer = null;
  };

  /** Sends at `at` (or now); an earlier wake-up replaces a later one. */
  const wakeAt = (at: number): void => {
    if (stopped) return;
    if (timer && timer.at <= at) return;
    clearTimer();
    const delay = Math.max(0, at - now());
    timer = {
      at,
      handle: timers.setTimeout(() => {
        timer = null;
        void flush();
      }, delay),
    };
    if (delay > o.alarmAfterMs && options.alarms) {
      Promise.resolve(options.alarms.create(AUDIT_RETRY_ALARM, { when: at })).catch(() => undefined);
    }
  };

  /** Decides when the next POST goes: now (a full batch), at the retry time, or after the batch delay. */
  const schedule = (): void => {
    if (!policy?.endpoint || !loaded || state.events.length === 0 || inFlight) return;
    const t = now();
    if (state.nextAttemptAt > t) return wakeAt(state.nextAttemptAt);
    if (state.events.length >= o.batchSize) return wakeAt(t);
    wakeAt(t + o.batchDelayMs);
  };

  const add = (event: AuditEvent): void => {
    state.events.push(event);
    enforceBounds();
    persist();
    schedule();
  };

  const send = async (): Promise<void> => {
    const endpoint = policy!.endpoint!;
    const batch = state.events.slice(0, o.batchSize);
    const dropped = state.dropped;
    const keepText = policy!.storeFullText;
    const body: AuditBatch = {
      schema: AUDIT_SCHEMA,
      sentAt: new Date(now()).toISOString(),
      dropped,
      events: batch.map((e) => (keepText ? e : withoutText(e))),
    };
    const sentIds = new Set(batch.map((e) => e.id));
    const forget = (): void => {
      state.events = state.events.filter((e) => !sentIds.has(e.id));
    };
    let status = 0;
    let retryAfter: number | null = null;
    let problem: string;
    try {
      const response = await doFetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      status = response.status;
      retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
      // The answer's body is not needed; reading it frees the connection.
      await response.body?.cancel().catch(() => undefined);
      problem = `the audit endpoint answered ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      problem =
        err.name === 'TimeoutError' || err.name === 'AbortError'
          ? `the audit endpoint did not answer within ${o.timeoutMs / 1000} seconds`
          : `could not reach the audit endpoint (${err.cause?.code ?? err.cause?.message ?? err.message})`;
    }
    if (stopped || policy?.endpoint !== endpoint) return; // switched off or moved while this was on its way
    const t = now();
    if (status >= 200 && status < 300) {
      forget();
      state.dropped = Math.max(0, state.dropped - dropped);
      state.attempts = 0;
      state.nextAttemptAt = 0;
      state.last = { at: t, ok: true, message: `Sent ${batch.length} audit event${batch.length === 1 ? '' : 's'}.` };
    } else if (status === 0 || isRetriable(status)) {
      state.attempts++;
      const backoff = Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** (state.attempts - 1));
      // "Equal jitter": half the backoff, plus a random part of the other half, so a fleet that
      // failed together does not retry together, and no retry comes sooner than half the backoff.
      const wait = retryAfter !== null ? Math.min(retryAfter, o.maxRetryAfterMs) : Math.round(backoff / 2 + random() * (backoff / 2));
      state.nextAttemptAt = t + wait;
      state.last = { at: t, ok: false, message: `Audit events not sent: ${problem}; trying again in ${Math.ceil(wait / 1000)} seconds.` };
    } else {
      // 4xx: this batch will never be accepted (bad request, not authorised, too large...).
      forget();
      state.rejected += batch.length;
      state.dropped = Math.max(0, state.dropped - dropped);
      state.attempts = 0;
      state.nextAttemptAt = 0;
      state.last = {
        at: t,
        ok: false,
        message: `Audit events refused: ${problem}; ${batch.length} event${batch.length === 1 ? '' : 's'} discarded.`,
      };
    }
    persist();
  };

  const flush = (): Promise<void> => {
    if (inFlight) return inFlight;
    if (stopped || !policy?.endpoint || !loaded || state.events.length === 0) return Promise.resolve();
    clearTimer();
    inFlight = send()
      .catch((e: unknown) => console.error('ReplyGuard: audit delivery failed', e))
      .finally(() => {
        inFlight = null;
        schedule();
      });
    return inFlight;
  };

  const applyPolicy = (next: { endpoint: string | null; storeFullText: boolean }): void => {
    if (!loaded) return;
    if (!next.endpoint) {
      clearTimer();
      if (state.events.length || state.endpoint) Promise.resolve(options.alarms?.clear(AUDIT_RETRY_ALARM)).catch(() => undefined);
      state = emptyState('');
    } else if (state.endpoint !== next.endpoint) {
      // A new address: the queue goes there, at once (its backoff belonged to the old one).
      state.endpoint = next.endpoint;
      state.attempts = 0;
      state.nextAttemptAt = 0;
      state.last = null;
      clearTimer();
    }
    if (!next.storeFullText) state.events = state.events.map(withoutText);
    persist();
    schedule();
  };

  const onAlarm = (alarm: { name: string }): void => {
    if (alarm.name === AUDIT_RETRY_ALARM) void ready.then(() => (state.nextAttemptAt <= now() ? flush() : schedule()));
  };
  // Registered before anything awaits, so an alarm that woke the service worker is delivered.
  options.alarms?.onAlarm.addListener(onAlarm);

  const ready = (async () => {
    let stored: unknown;
    try {
      stored = await options.store.get(AUDIT_QUEUE_KEY);
    } catch (e) {
      console.error('ReplyGuard: could not read the audit queue', e);
    }
    if (stored !== undefined && stored !== null) {
      const parsed = PersistedSchema.safeParse(stored);
      if (parsed.success) state = parsed.data;
      else console.error(`ReplyGuard: the stored audit queue is not readable and was skipped (${parsed.error.issues[0]?.message})`);
    }
    loaded = true;
    const pending = early;
    early = [];
    state.dropped += earlyDropped;
    earlyDropped = 0;
    // Applies the policy that arrived meanwhile (endpoint, text) to the stored queue too.
    // (Read through a cast: setPolicy() may have changed it while the store was read.)
    const known = policy as { endpoint: string | null; storeFullText: boolean } | null;
    if (known) applyPolicy(known);
    for (const event of pending) if (known === null || known.endpoint) add(event);
  })();

  return {
    setPolicy(next) {
      policy = { endpoint: next.auditEndpoint, storeFullText: next.storeFullText };
      if (!policy.endpoint) {
        early = [];
        earlyDropped = 0;
      }
      else if (!policy.storeFullText) early = early.map(withoutText);
      applyPolicy(policy);
    },

    record(event, sender) {
      try {
        if (stopped || (policy && !policy.endpoint)) return;
        const parsed = IncomingEvent.safeParse(event);
        if (!parsed.success) return;
        const e = parsed.data;
        // Before the policy is known the text is kept in memory only, and dropped if storeFullText is off.
        const keepText = policy ? policy.storeFullText : true;
        const at = typeof e.at === 'number' && Number.isFinite(e.at) && Math.abs(e.at) < 8.64e15 ? e.at : now();
        const audit: AuditEvent = {
          id: newId(),
          kind: e.kind,
          draftId: e.draftId,
          at: new Date(at).toISOString(),
          site: siteOf(sender.url),
          findings: summarise(e.findings, keepText, e.text.length),
        };
        if (e.action) audit.action = e.action;
        if (e.kind === 'posted-anyway' && e.reason?.trim()) audit.reason = e.reason.trim().slice(0, MAX_REASON_CHARS);
        if (keepText) {
          audit.text = e.text.slice(0, MAX_TEXT_CHARS);
          if (e.text.length > MAX_TEXT_CHARS) {
            audit.textTruncated = true;
            for (const f of audit.findings) f.spans = f.spans?.filter(([, end]) => end <= MAX_TEXT_CHARS);
          }
        }
        if (!loaded) {
          early.push(audit);
          if (early.length > o.maxQueued) {
            early.shift();
            earlyDropped++;
          }
          return;
        }
        add(audit);
      } catch (error) {
        console.error('ReplyGuard: an audit event could not be recorded', error);
      }
    },

    flush: async () => {
      await ready;
      await flush();
    },

    settled: async () => {
      await ready;
      // A finished POST may start the next one, and each writes the queue: wait until all is still.
      for (;;) {
        const seen = [inFlight, writes];
        await Promise.all(seen);
        if (seen[0] === inFlight && seen[1] === writes) return;
      }
    },

    status: () => ({
      queued: state.events.length + early.length,
      dropped: state.dropped + earlyDropped,
      rejected: state.rejected,
      last: state.last,
      nextAttemptAt: state.nextAttemptAt || null,
    }),

    stop() {
      stopped = true;
      clearTimer();
      options.alarms?.onAlarm.removeListener(onAlarm);
    },
  };
}
