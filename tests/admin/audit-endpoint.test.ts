/**
 * The audit endpoint sender against a real HTTP server on 127.0.0.1: batching, retries with
 * backoff and jitter (on an injected clock), Retry-After, 4xx, the memory bound, what text is
 * sent, persistence across service-worker restarts, and live policy changes.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_QUEUE_KEY,
  AUDIT_RETRY_ALARM,
  AUDIT_SCHEMA,
  parseRetryAfter,
  startAuditSender,
  type AuditBatch,
  type AuditSender,
  type AuditSenderOptions,
} from '../../src/admin/audit-endpoint';
import type { DraftEvent, MessageSender } from '../../src/background/protocol';
import type { Finding } from '../../src/engine/types';
import { memoryStore } from './helpers';

// --- a collector on 127.0.0.1 whose answers the test scripts -------------------------------

interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** Close the connection without answering (a network error for the sender). */
  hangUp?: boolean;
}

interface Collector {
  url(path?: string): string;
  /** Every POST received, parsed, in order (including the ones answered with an error). */
  received: Array<{ path: string; contentType: string | undefined; body: AuditBatch; raw: string }>;
  /** Answers for the next POSTs, in order; 200 when empty. */
  answers: Answer[];
  close(): Promise<void>;
}

async function startCollector(): Promise<Collector> {
  const received: Collector['received'] = [];
  const answers: Answer[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', contentType: req.headers['content-type'], body: JSON.parse(raw) as AuditBatch, raw });
      const answer = answers.shift() ?? { status: 200 };
      if (answer.hangUp) {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, answer.headers).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/audit') => `http://127.0.0.1:${port}${path}`,
    received,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// --- a clock the test moves by hand --------------------------------------------------------

interface FakeClock {
  now(): number;
  timers: NonNullable<AuditSenderOptions['timers']>;
  /** Moves time on and runs the timers that fall due, in order. */
  advance(ms: number): void;
  /** When the earliest pending timer fires, or null. */
  nextTimerAt(): number | null;
}

function fakeClock(start = Date.UTC(2026, 10, 26, 9, 0, 0)): FakeClock {
  let t = start;
  let pending: Array<{ at: number; run: () => void }> = [];
  return {
    now: () => t,
    timers: {
      setTimeout(run, ms) {
        const handle = { at: t + ms, run };
        pending.push(handle);
        return handle;
      },
      clearTimeout(handle) {
        pending = pending.filter((p) => p !== handle);
      },
    },
    advance(ms) {
      const until = t + ms;
      for (;;) {
        const due = pending.filter((p) => p.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        pending = pending.filter((p) => p !== due);
        t = Math.max(t, due.at);
        due.run();
      }
      t = until;
    },
    nextTimerAt: () => (pending.length ? Math.min(...pending.map((p) => p.at)) : null),
  };
}

// --- draft events as the content script sends them -----------------------------------------

const DRAFT = 'Project Falcon ships in May, call Dave on 07700 900123.';

function finding(rule: string, start: number, end: number, extra: Partial<Finding> = {}): Finding {
  return {
    rule,
    pack: 'acme.social',
    category: 'unannounced',
    severity: 'block',
    mode: 'enforce',
    message: `"${DRAFT.slice(start, end)}" is an internal codename.`,
    start,
    end,
    excerpt: DRAFT.slice(start, end),
    clause: { id: 'codenames', title: 'Never name unreleased products', url: null },
    ...extra,
  };
}

const FINDINGS: Finding[] = [
  finding('acme.codename', 0, 14),
  finding('acme.codename', 0, 7),
  finding('personal-data.mobile-number', 42, 55, {
    pack: 'replyguard.builtin',
    category: 'personal-data',
    severity: 'warning',
    clause: { id: 'personal-details', title: 'Personal details', url: null },
  }),
  finding('acme.trial-sarcasm', 15, 20, { mode: 'audit', category: 'conduct', severity: 'warning', clause: { id: 'courtesy', title: 'Be courteous', url: null } }),
];

let draftCounter = 0;
function draftEvent(kind: DraftEvent['kind'], extra: Partial<DraftEvent> = {}): DraftEvent {
  return {
    type: 'draft-event',
    draftId: `draft-${++draftCounter}`,
    kind,
    text: DRAFT,
    findings: FINDINGS,
    at: Date.UTC(2026, 10, 26, 8, 59, 30),
    ...extra,
  };
}

const FROM_PAGE: MessageSender = { url: 'https://forum.example.org/t/opening-hours/42?page=3#reply', tabId: 7, frameId: 0, fromExtension: false };

// --- the sender under test ----------------------------------------------------------------

let collector: Collector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.close());

let clock: FakeClock;
let store: ReturnType<typeof memoryStore>;
let senders: AuditSender[];
let ids: number;
beforeEach(() => {
  collector.received.length = 0;
  collector.answers.length = 0;
  clock = fakeClock();
  store = memoryStore();
  senders = [];
  ids = 0;
});
afterEach(() => {
  for (const s of senders) s.stop();
});

function start(options: Partial<AuditSenderOptions> = {}): AuditSender {
  const sender = startAuditSender({
    store,
    now: clock.now,
    timers: clock.timers,
    random: () => 0.5,
    newId: () => `event-${++ids}`,
    ...options,
  });
  senders.push(sender);
  return sender;
}

function policy(extra: { auditEndpoint?: string | null; storeFullText?: boolean } = {}) {
  return { auditEndpoint: collector.url(), storeFullText: false, ...extra };
}

/** Runs the clock on by ms, then waits for any POST and storage write that started. */
async function advance(sender: AuditSender, ms: number): Promise<void> {
  await sender.settled();
  clock.advance(ms);
  await sender.settled();
}

describe('batching', () => {
  it('sends queued events together after the batch delay, as JSON with ids and no draft text', async () => {
    const sender = start();
    sender.setPolicy(policy());
    sender.record(draftEvent('flagged', { action: 'click' }), FROM_PAGE);
    sender.record(draftEvent('posted-anyway', { reason: '  The customer asked for the number.  ', action: 'click' }), FROM_PAGE);
    sender.record(draftEvent('posted', { findings: [FINDINGS[3]!], action: 'submit' }), FROM_PAGE);

    await advance(sender, 14_999);
    expect(collector.received).toHaveLength(0);
    await advance(sender, 1);
    expect(collector.received).toHaveLength(1);

    const [post] = collector.received;
    expect(post!.path).toBe('/audit');
    expect(post!.contentType).toBe('application/json');
    expect(post!.body).toEqual({
      schema: AUDIT_SCHEMA,
      sentAt: '2026-11-26T09:00:15.000Z',
      dropped: 0,
      events: [
        {
          id: 'event-1',
          kind: 'flagged',
          draftId: expect.stringMatching(/^draft-\d+$/),
          at: '2026-11-26T08:59:30.000Z',
          site: 'forum.example.org',
          action: 'click',
          findings: [
            { pack: 'acme.social', rule: 'acme.codename', clause: 'codenames', category: 'unannounced', severity: 'block', mode: 'enforce', count: 2 },
            {
              pack: 'replyguard.builtin',
              rule: 'personal-data.mobile-number',
              clause: 'personal-details',
              category: 'personal-data',
              severity: 'warning',
              mode: 'enforce',
              count: 1,
            },
            { pack: 'acme.social', rule: 'acme.trial-sarcasm', clause: 'courtesy', category: 'conduct', severity: 'warning', mode: 'audit', count: 1 },
          ],
        },
        expect.objectContaining({ id: 'event-2', kind: 'posted-anyway', reason: 'The customer asked for the number.', action: 'click' }),
        expect.objectContaining({ id: 'event-3', kind: 'posted', action: 'submit', findings: [expect.objectContaining({ rule: 'acme.trial-sarcasm', mode: 'audit' })] }),
      ],
    });
    // Neither the draft nor any part of it (excerpts, messages with {match}) leaves the machine.
    for (const words of ['Falcon', 'Dave', '07700', 'ships']) expect(post!.raw).not.toContain(words);
    expect(post!.raw).not.toContain('text');
    expect(post!.raw).not.toContain('spans');
    expect(sender.status()).toMatchObject({ queued: 0, dropped: 0, last: { ok: true, message: 'Sent 3 audit events.' } });
  });

  it('sends at once when a batch is full, batchSize events per POST, and the rest after the delay', async () => {
    const sender = start({ batchSize: 2 });
    sender.setPolicy(policy());
    for (let i = 0; i < 5; i++) sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 0);
    await advance(sender, 0);
    expect(collector.received.map((r) => r.body.events.map((e) => e.id))).toEqual([
      ['event-1', 'event-2'],
      ['event-3', 'event-4'],
    ]);
    await advance(sender, 15_000);
    expect(collector.received.map((r) => r.body.events.length)).toEqual([2, 2, 1]);
    expect(sender.status().queued).toBe(0);
  });

  it('does nothing while nothing is queued', async () => {
    const sender = start();
    sender.setPolicy(policy());
    await sender.flush();
    await advance(sender, 60 * 60_000);
    expect(collector.received).toHaveLength(0);
    expect(clock.nextTimerAt()).toBeNull();
  });
});

describe('retries', () => {
  it('retries a 5xx with exponential backoff and jitter, then sends the same events once accepted', async () => {
    const sender = start();
    sender.setPolicy(policy());
    collector.answers.push({ status: 503 }, { status: 500 }, { status: 502 }, { status: 200 });
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 15_000);
    expect(collector.received).toHaveLength(1);
    // random() = 0.5: half the backoff plus a quarter: 10 s -> 7.5 s, 20 s -> 15 s, 40 s -> 30 s.
    expect(sender.status().last).toMatchObject({ ok: false, message: expect.stringContaining('the audit endpoint answered 503') });
    expect(sender.status().nextAttemptAt).toBe(clock.now() + 7_500);
    await advance(sender, 7_499);
    expect(collector.received).toHaveLength(1);
    await advance(sender, 1);
    expect(collector.received).toHaveLength(2);
    await advance(sender, 14_999);
    expect(collector.received).toHaveLength(2);
    await advance(sender, 1);
    expect(collector.received).toHaveLength(3);
    await advance(sender, 30_000);
    expect(collector.received).toHaveLength(4);
    // Every attempt carried the same event; the accepted one ended the retries.
    expect(collector.received.map((r) => r.body.events.map((e) => e.id))).toEqual([['event-1'], ['event-1'], ['event-1'], ['event-1']]);
    expect(sender.status()).toMatchObject({ queued: 0, nextAttemptAt: null, last: { ok: true } });
    await advance(sender, 24 * 60 * 60_000);
    expect(collector.received).toHaveLength(4);
  });

  it('jitter spreads each wait between half and all of the backoff, capped at retryMaxMs', async () => {
    const waits = async (random: number): Promise<number[]> => {
      collector.received.length = 0;
      store = memoryStore();
      const sender = start({ random: () => random, retryBaseMs: 1_000, retryMaxMs: 8_000 });
      sender.setPolicy(policy());
      for (let i = 0; i < 6; i++) collector.answers.push({ status: 503 });
      sender.record(draftEvent('flagged'), FROM_PAGE);
      await advance(sender, 15_000);
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        const wait = sender.status().nextAttemptAt! - clock.now();
        out.push(wait);
        await advance(sender, wait);
      }
      sender.stop();
      collector.answers.length = 0;
      return out;
    };
    expect(await waits(0)).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    expect(await waits(0.999)).toEqual([1_000, 1_999, 3_998, 7_996, 7_996]);
  });

  it('retries after a network error (the connection dropped) and 429, but not sooner than asked', async () => {
    const sender = start();
    sender.setPolicy(policy());
    collector.answers.push({ status: 0, hangUp: true });
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 15_000);
    expect(sender.status().last).toMatchObject({ ok: false, message: expect.stringMatching(/^Audit events not sent: could not reach the audit endpoint/) });
    expect(sender.status().nextAttemptAt).toBe(clock.now() + 7_500);
    await advance(sender, 7_500);
    expect(collector.received).toHaveLength(2);
    expect(sender.status().queued).toBe(0);
  });

  it('waits as long as Retry-After says (seconds or a date), instead of its own backoff', async () => {
    const sender = start();
    sender.setPolicy(policy());
    collector.answers.push({ status: 429, headers: { 'retry-after': '120' } });
    collector.answers.push({ status: 503, headers: { 'retry-after': new Date(clock.now() + 15_000 + 120_000 + 45_000).toUTCString() } });
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 15_000);
    expect(sender.status().nextAttemptAt).toBe(clock.now() + 120_000);
    await advance(sender, 119_999);
    expect(collector.received).toHaveLength(1);
    await advance(sender, 1);
    expect(collector.received).toHaveLength(2);
    expect(sender.status().nextAttemptAt).toBe(clock.now() + 45_000);
    await advance(sender, 45_000);
    expect(collector.received).toHaveLength(3);
    expect(sender.status()).toMatchObject({ queued: 0, last: { ok: true } });
  });

  it('parses Retry-After', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('drops a batch the server refuses with another 4xx, without retrying, and goes on with later events', async () => {
    const sender = start({ batchSize: 2 });
    sender.setPolicy(policy());
    collector.answers.push({ status: 400 });
    sender.record(draftEvent('flagged'), FROM_PAGE);
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 0);
    expect(collector.received).toHaveLength(1);
    expect(sender.status()).toMatchObject({
      queued: 0,
      rejected: 2,
      nextAttemptAt: null,
      last: { ok: false, message: 'Audit events refused: the audit endpoint answered 400 Bad Request; 2 events discarded.' },
    });
    await advance(sender, 24 * 60 * 60_000);
    expect(collector.received).toHaveLength(1);
    sender.record(draftEvent('posted-anyway', { reason: 'ok' }), FROM_PAGE);
    await advance(sender, 15_000);
    expect(collector.received.map((r) => r.body.events.map((e) => e.id))).toEqual([['event-1', 'event-2'], ['event-3']]);
  });

  it('backs a long wait with a one-shot alarm, so a service worker that slept still retries', async () => {
    const alarms = fakeAlarms();
    const sender = start({ alarms, retryBaseMs: 60_000 });
    sender.setPolicy(policy());
    collector.answers.push({ status: 503 });
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 15_000);
    const due = sender.status().nextAttemptAt!;
    expect(alarms.created).toEqual([{ name: AUDIT_RETRY_ALARM, when: due }]);
    sender.stop();

    // The worker slept (its timers are gone); a new one starts, and the alarm wakes it when due.
    const woken = start({ alarms, retryBaseMs: 60_000 });
    woken.setPolicy(policy());
    await woken.settled();
    clock.advance(due - clock.now());
    alarms.fire(AUDIT_RETRY_ALARM);
    await new Promise((r) => setTimeout(r, 0));
    await woken.settled();
    expect(collector.received).toHaveLength(2);
    expect(woken.status()).toMatchObject({ queued: 0, last: { ok: true } });
  });
});

function fakeAlarms() {
  const listeners = new Set<(alarm: { name: string }) => void>();
  const created: Array<{ name: string; when: number }> = [];
  return {
    created,
    create: (name: string, info: { when: number }) => void created.push({ name, when: info.when }),
    clear: (name: string) => void created.splice(0, created.length, ...created.filter((a) => a.name !== name)),
    onAlarm: {
      addListener: (l: (alarm: { name: string }) => void) => void listeners.add(l),
      removeListener: (l: (alarm: { name: string }) => void) => void listeners.delete(l),
    },
    fire: (name: string) => listeners.forEach((l) => l({ name })),
  };
}

describe('bounded queue', () => {
  it('keeps at most maxQueued events, dropping the oldest, and reports how many in the next batch', async () => {
    const sender = start({ maxQueued: 3 });
    sender.setPolicy(policy());
    for (let i = 0; i < 5; i++) sender.record(draftEvent('flagged'), FROM_PAGE);
    await sender.settled();
    expect(sender.status()).toMatchObject({ queued: 3, dropped: 2 });
    await advance(sender, 15_000);
    expect(collector.received[0]!.body).toMatchObject({ dropped: 2 });
    expect(collector.received[0]!.body.events.map((e) => e.id)).toEqual(['event-3', 'event-4', 'event-5']);
    // Reported once: the next batch starts from zero again.
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 15_000);
    expect(collector.received[1]!.body).toMatchObject({ dropped: 0 });
  });

  it('keeps counting drops while the endpoint is down, and the stored copy stays within the bound', async () => {
    const sender = start({ maxQueued: 4 });
    sender.setPolicy(policy());
    collector.answers.push({ status: 503 });
    for (let i = 0; i < 4; i++) sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 15_000);
    for (let i = 0; i < 10; i++) sender.record(draftEvent('flagged'), FROM_PAGE);
    await sender.settled();
    const stored = store.data.get(AUDIT_QUEUE_KEY) as { events: Array<{ id: string }>; dropped: number };
    expect(stored.events.map((e) => e.id)).toEqual(['event-11', 'event-12', 'event-13', 'event-14']);
    expect(stored.dropped).toBe(10);
    await advance(sender, 7_500);
    expect(collector.received[1]!.body).toMatchObject({ dropped: 10, events: stored.events.map((e) => expect.objectContaining({ id: e.id })) });
  });

  it('bounds the queue by size as well as by count', async () => {
    const sender = start({ maxQueuedChars: 50_000 });
    sender.setPolicy(policy({ storeFullText: true }));
    const long = 'word '.repeat(3_000); // 15,000 characters each
    for (let i = 0; i < 6; i++) sender.record(draftEvent('flagged', { text: long, findings: [] }), FROM_PAGE);
    await sender.settled();
    // Each event keeps MAX_TEXT_CHARS (10,000) of its text: four fit in 50,000, two are dropped.
    expect(sender.status()).toMatchObject({ queued: 4, dropped: 2 });
    await advance(sender, 15_000);
    const events = collector.received[0]!.body.events;
    expect(events.every((e) => e.text!.length === 10_000 && e.textTruncated === true)).toBe(true);
  });
});

describe('draft text', () => {
  it('is sent only when storeFullText is on, with where each rule matched', async () => {
    const sender = start();
    sender.setPolicy(policy({ storeFullText: true }));
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 15_000);
    const [event] = collector.received[0]!.body.events;
    expect(event!.text).toBe(DRAFT);
    expect(event!.textTruncated).toBeUndefined();
    expect(event!.findings[0]).toMatchObject({ rule: 'acme.codename', count: 2, spans: [[0, 14], [0, 7]] });
    expect(event!.findings[1]).toMatchObject({ rule: 'personal-data.mobile-number', spans: [[42, 55]] });
  });

  it('queued texts are removed as soon as storeFullText is switched off, in memory and in storage', async () => {
    const sender = start();
    sender.setPolicy(policy({ storeFullText: true }));
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await sender.settled();
    expect(JSON.stringify(store.data.get(AUDIT_QUEUE_KEY))).toContain('Falcon');
    sender.setPolicy(policy({ storeFullText: false }));
    await sender.settled();
    expect(JSON.stringify(store.data.get(AUDIT_QUEUE_KEY))).not.toContain('Falcon');
    await advance(sender, 15_000);
    expect(collector.received[0]!.raw).not.toContain('Falcon');
    expect(collector.received[0]!.body.events[0]!.findings[0]).not.toHaveProperty('spans');
  });

  it('an event recorded before the policy is read keeps its text only if the policy then allows it', async () => {
    const sender = start();
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await sender.settled();
    expect(store.data.has(AUDIT_QUEUE_KEY)).toBe(false); // nothing written before the policy is known
    sender.setPolicy(policy());
    await advance(sender, 15_000);
    expect(collector.received).toHaveLength(1);
    expect(collector.received[0]!.raw).not.toContain('Falcon');
  });
});

describe('persistence across service-worker restarts', () => {
  it('a new service worker sends what the last one queued, once', async () => {
    const first = start();
    first.setPolicy(policy());
    first.record(draftEvent('flagged'), FROM_PAGE);
    first.record(draftEvent('posted-anyway', { reason: 'approved by comms' }), FROM_PAGE);
    await first.settled();
    first.stop(); // the service worker went to sleep before the batch delay

    const second = start();
    second.setPolicy(policy());
    second.record(draftEvent('abandoned'), FROM_PAGE);
    await advance(second, 15_000);
    expect(collector.received).toHaveLength(1);
    expect(collector.received[0]!.body.events.map((e) => [e.id, e.kind])).toEqual([
      ['event-1', 'flagged'],
      ['event-2', 'posted-anyway'],
      ['event-3', 'abandoned'],
    ]);
    expect(store.data.get(AUDIT_QUEUE_KEY)).toMatchObject({ events: [] });

    const third = start();
    third.setPolicy(policy());
    await advance(third, 60 * 60_000);
    expect(collector.received).toHaveLength(1);
  });

  it('a restart keeps the backoff: no retry before it is due', async () => {
    const first = start();
    first.setPolicy(policy());
    collector.answers.push({ status: 503 });
    first.record(draftEvent('flagged'), FROM_PAGE);
    await advance(first, 15_000);
    const due = first.status().nextAttemptAt!;
    first.stop();

    const second = start();
    second.setPolicy(policy());
    await advance(second, due - clock.now() - 1);
    expect(collector.received).toHaveLength(1);
    await advance(second, 1);
    expect(collector.received).toHaveLength(2);
    expect(second.status()).toMatchObject({ queued: 0, last: { ok: true } });
  });

  it('an unreadable stored queue is skipped, not fatal', async () => {
    store.data.set(AUDIT_QUEUE_KEY, { events: 'nonsense' });
    const sender = start();
    sender.setPolicy(policy());
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 15_000);
    expect(collector.received[0]!.body.events.map((e) => e.id)).toEqual(['event-1']);
  });
});

describe('policy changes and the message path', () => {
  it('without an endpoint nothing is recorded, and removing it discards the queue', async () => {
    const sender = start();
    sender.setPolicy(policy({ auditEndpoint: null }));
    sender.record(draftEvent('flagged'), FROM_PAGE);
    expect(sender.status().queued).toBe(0);

    sender.setPolicy(policy());
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await sender.settled();
    expect(store.data.get(AUDIT_QUEUE_KEY)).toMatchObject({ events: [expect.objectContaining({ kind: 'flagged' })] });
    sender.setPolicy(policy({ auditEndpoint: null }));
    await advance(sender, 60 * 60_000);
    expect(collector.received).toHaveLength(0);
    expect(store.data.get(AUDIT_QUEUE_KEY)).toBeNull();
    expect(sender.status().queued).toBe(0);
  });

  it('a new endpoint address takes the queue, without the old address\'s backoff', async () => {
    const sender = start();
    sender.setPolicy(policy({ auditEndpoint: collector.url('/old') }));
    collector.answers.push({ status: 503, headers: { 'retry-after': '3600' } });
    sender.record(draftEvent('flagged'), FROM_PAGE);
    await advance(sender, 15_000);
    sender.setPolicy(policy({ auditEndpoint: collector.url('/new') }));
    await advance(sender, 15_000);
    expect(collector.received.map((r) => r.path)).toEqual(['/old', '/new']);
    expect(collector.received[1]!.body.events.map((e) => e.id)).toEqual(['event-1']);
  });

  it('record() returns at once and never throws, whatever it is given and however slow the endpoint', async () => {
    let calls = 0;
    const neverAnswers: typeof fetch = () => {
      calls++;
      return new Promise<Response>(() => undefined);
    };
    const sender = start({ fetch: neverAnswers, batchSize: 1 });
    sender.setPolicy(policy());
    expect(sender.record(draftEvent('flagged'), FROM_PAGE)).toBeUndefined();
    for (const junk of [null, 42, 'text', {}, { kind: 'flagged' }, draftEvent('flagged', { findings: 'x' as never }), { ...draftEvent('flagged'), kind: 'deleted' }])
      expect(() => sender.record(junk as never, FROM_PAGE)).not.toThrow();
    // Let the stored queue load (real time), then the batch fall due (clock time).
    await new Promise((r) => setTimeout(r, 10));
    clock.advance(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toBe(1);
    // Only the well-formed events were queued (the one with unreadable findings is not).
    expect(sender.status().queued).toBe(1);
  });

  it('skips unreadable findings, and gives no site for pages that are not http(s)', async () => {
    const sender = start();
    sender.setPolicy(policy());
    sender.record(draftEvent('flagged', { findings: [FINDINGS[0]!, { rule: 'x' } as never] }), { fromExtension: false });
    await advance(sender, 15_000);
    const [event] = collector.received[0]!.body.events;
    expect(event!.site).toBeNull();
    expect(event!.findings).toEqual([expect.objectContaining({ rule: 'acme.codename', count: 1 })]);
  });
});

describe('docs/admin.md', () => {
  it('the payload example has exactly the shape the sender posts', async () => {
    const docs = readFileSync(new URL('../../docs/admin.md', import.meta.url), 'utf8');
    const block = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes(AUDIT_SCHEMA));
    expect(block, 'docs/admin.md has a JSON example of an audit batch').toBeDefined();
    const example = JSON.parse(block!) as AuditBatch;

    const sender = start();
    sender.setPolicy(policy());
    for (const e of example.events) {
      sender.record(
        draftEvent(e.kind, {
          action: e.action,
          reason: e.reason,
          findings: e.findings.map((f) => finding(f.rule, 0, 7, { pack: f.pack, category: f.category as Finding['category'], severity: f.severity, mode: f.mode })),
        }),
        FROM_PAGE,
      );
    }
    await advance(sender, 15_000);
    const sent = collector.received[0]!.body;
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(example)).toEqual(keys(sent));
    expect(example.events.map(keys)).toEqual(sent.events.map(keys));
    expect(example.events.flatMap((e) => e.findings.map(keys))).toEqual(sent.events.flatMap((e) => e.findings.map(keys)));
    for (const e of example.events) expect(new Date(e.at).toISOString()).toBe(e.at);
  });
});
