/**
 * The extension suite of `npm run bench` (bench/results/extension.json): what ReplyGuard costs a
 * page, measured in a real headless Chromium (Debian's, via playwright-core) with the built
 * extension, on tests/e2e/fixtures/bench/reply.html (an article with a textarea reply field and no
 * scripts of its own).
 *
 *  - Injected bytes: every file the built manifest's content_scripts list (raw and gzip), read
 *    from manifest.json so it follows however the content script is split.
 *  - JS heap the page gains: the same page and the same actions in a browser WITHOUT the extension
 *    and one WITH it, before any field is focused and after a draft is typed and checked. The
 *    content script runs in an isolated world of the page's renderer; Runtime.getHeapUsage reports
 *    the whole isolate (page world, ReplyGuard's world, Playwright's utility world alike), and the
 *    suite proves it once by allocating inside ReplyGuard's world and watching the number move.
 *  - Keystroke to badge: from the last keystroke of an edit that changes the flag count (its
 *    keydown timestamp) to the MutationObserver record of the <replyguard-badge> showing the new
 *    result (data-state="checked"), both on the page's performance.now() clock; on the 280- and
 *    5,000-character drafts of the engine suite. Includes the 150 ms debounce by design.
 *  - Main-thread cost while typing into the 5,000-character draft: a Chromium trace (RunTask
 *    events on the page's main thread, plus V8 CPU-profile samples to tell ReplyGuard's JS from
 *    the browser's own work), with and without the extension. The longest task is judged by its
 *    thread CPU time: on a shared 2-core machine wall time mostly measures the neighbours.
 *  - The service worker: first badge on a fresh browser (the pack compiles on the first check) and
 *    after the worker was stopped (as Chromium does after 30 s idle), against a new page with the
 *    engine already warm.
 *
 * It measures a snapshot copy of .output/chrome-mv3, so a concurrent rebuild cannot change the
 * extension half-way; it runs `npm run build` first when the output is missing or older than its
 * sources (BENCH_NO_BUILD=1 measures the existing build as it is, and says so;
 * BENCH_EXTENSION_DIR=DIR measures another built chrome-mv3 directory instead).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { EXTENSION_DIR, REPO_ROOT, chromiumPath, launchWithExtension, startFixtureServer, type ExtensionSession, type StaticServer } from '../tests/e2e/harness';
import { makeDraft, type Row, type SuiteContext, type SuiteResult } from './bench';

// ---------------------------------------------------------------- budgets (issue 3)

const INJECTED_TARGET_BYTES = 30 * 1024;
const HEAP_BEFORE_FOCUS_TARGET_BYTES = 1024 * 1024;
const HEAP_AFTER_CHECK_TARGET_BYTES = 15 * 1024 * 1024;
const BADGE_TARGET_MS = 300;
const TASK_TARGET_MS = 10;

// ---------------------------------------------------------------- what is measured, and how often

const PAGE = 'bench/reply.html';
const FIELD = '#comment';
/** Appended and deleted again, one keystroke at a time: adds one block finding (a protective marking). */
const EDIT = ' The note is OFFICIAL-SENSITIVE.';
/** Between keystrokes: a fast typist, well under the 150 ms debounce, so one check runs per edit. */
const KEY_DELAY_MS = 30;
const BADGE_REPS = 10;
const TRACED_EDITS = 6;
/** Heap after GC barely varies between runs (a few KB). */
const HEAP_REPS = 3;
/** Fresh browsers for the cold first check (the main one included). */
const FRESH_BROWSERS = 3;
const WORKER_RESTARTS = 3;
const WARM_FIRST_BADGES = 3;
/** Waiting for a badge: long enough for a cold engine on a loaded machine. */
const BADGE_TIMEOUT_MS = 15_000;

/**
 * Scripts from this origin are ReplyGuard's: the browser loads no other extension, and the UI
 * chunk may come from a per-session dynamic URL (use_dynamic_url) rather than the extension id.
 */
const EXTENSION_SCRIPTS = 'chrome-extension://';

const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
].join(',');

// ---------------------------------------------------------------- the built extension

/** What the extension build reads: a change to any of these makes .output stale. */
const BUILD_INPUTS = ['entrypoints', 'src', 'rules/builtin', 'public', 'wxt.config.ts', 'package-lock.json'];
/** Parts of src/ that are not in the extension. */
const NOT_BUILT = [join('src', 'cli')];

function newestInput(path: string): { file: string; mtimeMs: number } | null {
  const abs = join(REPO_ROOT, path);
  if (!existsSync(abs) || NOT_BUILT.includes(path)) return null;
  const stat = statSync(abs);
  if (!stat.isDirectory()) return { file: path, mtimeMs: stat.mtimeMs };
  let newest: { file: string; mtimeMs: number } | null = null;
  for (const entry of readdirSync(abs)) {
    const found = newestInput(join(path, entry));
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/** Builds the extension when .output/chrome-mv3 is missing or older than a source; says what it did. */
function ensureBuilt(): string {
  const manifest = join(EXTENSION_DIR, 'manifest.json');
  const built = existsSync(manifest) ? statSync(manifest).mtimeMs : null;
  const newest = BUILD_INPUTS.map(newestInput).reduce((a, b) => (b && (!a || b.mtimeMs > a.mtimeMs) ? b : a), null);
  const stale = built === null ? 'missing' : newest && newest.mtimeMs > built ? `older than ${newest.file}` : null;
  if (!stale) return 'up to date';
  if (process.env.BENCH_NO_BUILD === '1') {
    if (built === null) throw new Error(`extension: no build at ${relative(REPO_ROOT, EXTENSION_DIR)} (run \`npm run build\`, or unset BENCH_NO_BUILD)`);
    console.log(`extension: measuring .output/chrome-mv3 as it is (${stale}; BENCH_NO_BUILD=1)`);
    return `stale (${stale}), not rebuilt: BENCH_NO_BUILD=1`;
  }
  console.log(`extension: .output/chrome-mv3 is ${stale}; running npm run build...`);
  try {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const output = `${(error as { stdout?: Buffer }).stdout ?? ''}\n${(error as { stderr?: Buffer }).stderr ?? ''}`;
    const last = output.split('\n').map((l) => l.trim()).filter(Boolean).slice(-3).join(' | ');
    throw new Error(`extension: npm run build failed: ${last || String(error)}`);
  }
  return `rebuilt (was ${stale})`;
}

interface Manifest {
  name: string;
  version: string;
  content_scripts?: Array<{ js?: string[]; css?: string[] }>;
}

interface InjectedFile {
  file: string;
  rawBytes: number;
  gzipBytes: number;
}

/** Every file the manifest injects into pages (each counted once, however many entries list it). */
function injectedFiles(extensionDir: string, manifest: Manifest): InjectedFile[] {
  const files = [...new Set((manifest.content_scripts ?? []).flatMap((cs) => [...(cs.js ?? []), ...(cs.css ?? [])]))];
  if (!files.length) throw new Error('extension: the built manifest lists no content_scripts files');
  return files.map((file) => {
    const path = join(extensionDir, file);
    if (!existsSync(path)) throw new Error(`extension: manifest.json lists ${file}, which the build does not contain`);
    const bytes = readFileSync(path);
    return { file, rawBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  });
}

// ---------------------------------------------------------------- browsers and pages

/** Chromium as the e2e harness launches it, minus the extension: the baseline. */
async function launchWithoutExtension(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profileDir = mkdtempSync(join(tmpdir(), 'replyguard-bench-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    timeout: 60_000,
    // The harness's flags (tests/e2e/harness.ts), with --disable-extensions instead of loading ours.
    args: ['--disable-extensions', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs in the page's own world: records keydown and input timestamps, and every change to a
 * <replyguard-badge>'s data-state / data-count (the MutationObserver callback runs right after
 * the task that changed them). A string, so no bundler helper can leak into the page.
 */
const RECORDER = `(() => {
  const bench = { keys: [], inputs: [], badge: [], waiters: [] };
  addEventListener('keydown', (e) => bench.keys.push(e.timeStamp), true);
  addEventListener('input', (e) => bench.inputs.push(e.timeStamp), true);
  const isBadge = (n) => n && n.localName === 'replyguard-badge';
  new MutationObserver((records) => {
    if (!records.some((r) => isBadge(r.target) || Array.from(r.addedNodes).some(isBadge))) return;
    const badge = document.querySelector('replyguard-badge');
    bench.badge.push({ t: performance.now(), state: badge.getAttribute('data-state'), count: badge.getAttribute('data-count') });
    for (const wake of bench.waiters.splice(0)) wake();
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'data-count'] });
  window.__bench = bench;
})()`;

const RESET = `(() => { const b = window.__bench; b.keys.length = 0; b.inputs.length = 0; b.badge.length = 0; })()`;

interface BadgeResult {
  /** From the last keystroke (or the last input event, for a fill) to the badge showing the result. */
  latencyMs: number;
  state: 'checked' | 'not-checked';
  count: number;
}

/**
 * Waits, without polling, for the badge's first result after the last keystroke. Only a result
 * for the text in the field is ever shown, so the first one after the last keystroke is the
 * check of the final draft.
 */
function waitForBadge(page: Page, what: string, timeoutMs = BADGE_TIMEOUT_MS): Promise<BadgeResult> {
  const expr = `new Promise((resolve) => {
    const b = window.__bench;
    const start = b.keys.length ? b.keys[b.keys.length - 1] : b.inputs[b.inputs.length - 1];
    if (start === undefined) { resolve({ error: 'no keystroke or input event was recorded' }); return; }
    const done = () => {
      const hit = b.badge.find((r) => r.t > start && (r.state === 'checked' || r.state === 'not-checked'));
      if (hit) resolve({ latencyMs: hit.t - start, state: hit.state, count: Number(hit.count) });
      return !!hit;
    };
    if (done()) return;
    const timer = setTimeout(() => {
      const badge = document.querySelector('replyguard-badge');
      resolve({ error: 'no badge result within ${timeoutMs} ms (badge ' + (badge ? badge.getAttribute('data-state') : 'absent') + ')' });
    }, ${timeoutMs});
    const wait = () => b.waiters.push(() => { if (done()) clearTimeout(timer); else wait(); });
    wait();
  })`;
  return page.evaluate(expr).then((r) => {
    const result = r as BadgeResult & { error?: string };
    if (result.error) throw new Error(`extension: ${what}: ${result.error}`);
    return result;
  });
}

async function openReplyPage(context: BrowserContext, server: StaticServer): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await context.newPage();
  await page.goto(server.url(PAGE), { waitUntil: 'load' });
  await page.evaluate(RECORDER);
  const cdp = await context.newCDPSession(page);
  return { page, cdp };
}

/** Puts the caret at the end of the draft (where the edits go). */
async function caretToEnd(page: Page): Promise<void> {
  await page.evaluate(`(() => { const f = document.querySelector(${JSON.stringify(FIELD)}); f.focus(); f.setSelectionRange(f.value.length, f.value.length); })()`);
}

/** Types EDIT at the end of the draft, or deletes it again, one keystroke at a time. */
async function typeEdit(page: Page, kind: 'add' | 'remove'): Promise<void> {
  if (kind === 'add') {
    await page.keyboard.type(EDIT, { delay: KEY_DELAY_MS });
    return;
  }
  for (let i = 0; i < EDIT.length; i++) {
    await page.keyboard.press('Backspace');
    if (i < EDIT.length - 1) await page.waitForTimeout(KEY_DELAY_MS);
  }
}

async function badgeCount(page: Page): Promise<number> {
  return Number(await page.evaluate(`document.querySelector('replyguard-badge')?.getAttribute('data-count') ?? 'NaN'`));
}

/** Fills the field (one input event), waits for its check, and leaves the caret at the end. */
async function fillAndCheck(page: Page, text: string): Promise<BadgeResult> {
  await page.evaluate(RESET);
  await page.fill(FIELD, text);
  const result = await waitForBadge(page, `checking a ${text.length}-character draft`);
  await caretToEnd(page);
  return result;
}

// ---------------------------------------------------------------- heap

interface HeapSample {
  usedBytes: number;
  embedderBytes: number;
}

async function heapUsage(cdp: CDPSession): Promise<HeapSample> {
  // Twice: the first collection can leave garbage that only finalizers released.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; embedderHeapUsedSize?: number };
  return { usedBytes: usage.usedSize, embedderBytes: usage.embedderHeapUsedSize ?? NaN };
}

interface HeapRun {
  beforeFocus: HeapSample;
  afterCheck: HeapSample;
}

/** One page, the same steps with or without ReplyGuard: load, measure, focus, type, check, measure. */
async function heapRun(context: BrowserContext, server: StaticServer, draft: string, withExtension: boolean): Promise<HeapRun> {
  const { page, cdp } = await openReplyPage(context, server);
  try {
    await page.waitForTimeout(500); // the content script has discovered the field by now
    const beforeFocus = await heapUsage(cdp);
    await page.click(FIELD);
    await page.keyboard.type(draft);
    if (withExtension) await waitForBadge(page, 'heap: the typed draft');
    await page.waitForTimeout(300);
    const afterCheck = await heapUsage(cdp);
    return { beforeFocus, afterCheck };
  } finally {
    await page.close();
  }
}

/**
 * Proves the heap numbers include ReplyGuard's isolated world: allocates 8 MB of doubles inside
 * it and reports how much of that Runtime.getHeapUsage saw. Also lists the extension's scripts
 * V8 parsed into the page, at load and after a check (a lazily loaded chunk would show here).
 */
interface WorldsProbe {
  isolatedWorld: string;
  allocatedBytes: number;
  seenBytes: number;
  counted: boolean;
  scriptsParsedAtLoad: Array<{ file: string; chars: number }>;
  scriptsParsedAfterFocus: Array<{ file: string; chars: number }>;
}

async function probeIsolatedWorld(session: ExtensionSession, server: StaticServer, extensionName: string): Promise<WorldsProbe> {
  const page = await session.context.newPage();
  const cdp = await session.context.newCDPSession(page);
  const origin = session.extensionUrl('');
  try {
    const parsed: Array<{ url: string; length: number; phase: string }> = [];
    let phase = 'page load';
    cdp.on('Debugger.scriptParsed', (e) => {
      if (e.url.startsWith(EXTENSION_SCRIPTS)) parsed.push({ url: e.url.replace(/^chrome-extension:\/\/[^/]+\//, ''), length: e.length ?? 0, phase });
    });
    const contexts: Array<{ id: number; name: string; origin: string; type?: string }> = [];
    cdp.on('Runtime.executionContextCreated', (e) => contexts.push({ id: e.context.id, name: e.context.name, origin: e.context.origin, type: (e.context.auxData as { type?: string } | undefined)?.type }));
    await cdp.send('Debugger.enable');
    await cdp.send('Runtime.enable');
    await page.goto(server.url(PAGE), { waitUntil: 'load' });
    await page.evaluate(RECORDER);
    await page.waitForTimeout(300);
    phase = 'after focus and a check';
    await page.click(FIELD);
    await page.keyboard.type('Thanks. The note is OFFICIAL-SENSITIVE.');
    await waitForBadge(page, 'worlds probe: a typed draft');

    const world = contexts.find((c) => c.type === 'isolated' && c.name === extensionName && c.origin.startsWith(origin.replace(/\/$/, '')));
    if (!world) throw new Error(`extension: no "${extensionName}" isolated world in the page (contexts: ${contexts.map((c) => c.name || c.type).join(', ')})`);
    const before = await heapUsage(cdp);
    const allocated = 1_000_000 * 8;
    await cdp.send('Runtime.evaluate', { expression: 'globalThis.__benchBallast = new Array(1000000).fill(0.5); 0', contextId: world.id });
    const after = await heapUsage(cdp);
    await cdp.send('Runtime.evaluate', { expression: 'delete globalThis.__benchBallast; 0', contextId: world.id });
    const seen = after.usedBytes - before.usedBytes;
    const byPhase = (p: string) => parsed.filter((s) => s.phase === p).map((s) => ({ file: s.url, chars: s.length }));
    return {
      isolatedWorld: world.name,
      allocatedBytes: allocated,
      seenBytes: seen,
      counted: seen >= allocated * 0.9,
      scriptsParsedAtLoad: byPhase('page load'),
      scriptsParsedAfterFocus: byPhase('after focus and a check'),
    };
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------- trace

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  id?: string;
  args?: { name?: string; data?: Record<string, unknown> & { url?: string; message?: string } };
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { url?: string };
}

async function readTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  if (!stream) throw new Error('extension: the trace came back without a stream');
  const chunks: string[] = [];
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    chunks.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data);
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(chunks.join('')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

interface EditCost {
  keystrokes: number;
  /**
   * Longest RunTask on the page's main thread during the edit and its check, by thread CPU time
   * (what the task itself cost) and by wall time (which also counts time the OS gave the core to
   * something else: on a loaded machine, far noisier).
   */
  longestTaskCpuMs: number;
  longestTaskWallMs: number;
  /** Most of ReplyGuard's JS (profile samples with its scripts on the stack) inside one task, ms. */
  busiestTaskReplyGuardMs: number;
  /** All of ReplyGuard's JS during the edit, ms. */
  replyGuardMs: number;
  tasks: number;
}

/**
 * Per edit window (between console.timeStamp markers): the longest task on the page's main
 * thread, and how much of the main thread ran ReplyGuard's code, from the V8 CPU-profile samples
 * whose stack holds one of the extension's scripts (forced layouts it causes included).
 */
function editCosts(events: TraceEvent[], frameId: string, extensionScripts: string | null, keystrokes: number[]): EditCost[] {
  const started = events.find((e) => e.name === 'TracingStartedInBrowser');
  const frames = (started?.args?.data?.frames ?? []) as Array<{ frame: string; processId: number }>;
  const pid = frames.find((f) => f.frame === frameId)?.processId;
  if (pid === undefined) throw new Error('extension: the trace does not name the page\'s renderer process');
  const tid = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain')?.tid;
  if (tid === undefined) throw new Error('extension: the trace has no main thread for the page');
  const onMain = events.filter((e) => e.pid === pid && e.tid === tid);

  const marks = onMain.filter((e) => e.name === 'TimeStamp' && String(e.args?.data?.message ?? '').startsWith('replyguard-bench-edit-')).sort((a, b) => a.ts - b.ts);
  if (marks.length !== keystrokes.length + 1) throw new Error(`extension: expected ${keystrokes.length + 1} edit markers in the trace, found ${marks.length}`);
  const tasks = onMain.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.dur !== undefined);

  // CPU-profile samples on the main thread, with whether ReplyGuard's code is on the stack.
  const samples: Array<{ ts: number; ms: number; ours: boolean }> = [];
  const profile = onMain.find((e) => e.name === 'Profile');
  if (extensionScripts && profile) {
    const nodes = new Map<number, ProfileNode>();
    const ours = new Map<number, boolean>();
    const isOurs = (id: number): boolean => {
      const known = ours.get(id);
      if (known !== undefined) return known;
      const node = nodes.get(id);
      const value = !!node && ((node.callFrame.url ?? '').startsWith(extensionScripts) || (node.parent !== undefined && isOurs(node.parent)));
      ours.set(id, value);
      return value;
    };
    let ts = Number((profile.args?.data as { startTime?: number } | undefined)?.startTime ?? 0);
    const raw: Array<{ ts: number; node: number }> = [];
    for (const chunk of events.filter((e) => e.name === 'ProfileChunk' && e.pid === pid && e.id === profile.id)) {
      const data = chunk.args?.data as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } | undefined;
      for (const node of data?.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
      (data?.cpuProfile?.samples ?? []).forEach((node, i) => {
        ts += data?.timeDeltas?.[i] ?? 0;
        raw.push({ ts, node });
      });
    }
    raw.sort((a, b) => a.ts - b.ts);
    const gaps = raw.slice(1).map((s, i) => s.ts - raw[i]!.ts).sort((a, b) => a - b);
    const typicalGap = gaps[Math.floor(gaps.length / 2)] ?? 0;
    // A sample stands for the time until the next one (capped, so a pause in sampling counts little).
    raw.forEach((s, i) => samples.push({ ts: s.ts, ms: Math.min((raw[i + 1]?.ts ?? s.ts) - s.ts, 2 * typicalGap) / 1000, ours: isOurs(s.node) }));
    if (!samples.length) throw new Error('extension: the trace holds no CPU-profile samples for the page');
  } else if (extensionScripts) {
    throw new Error('extension: the trace holds no CPU profile for the page');
  }

  return keystrokes.map((keys, i) => {
    const from = marks[i]!.ts;
    const to = marks[i + 1]!.ts;
    const inEdit = tasks.filter((t) => t.ts >= from && t.ts < to);
    const oursIn = (a: number, b: number) => samples.filter((s) => s.ours && s.ts >= a && s.ts < b).reduce((n, s) => n + s.ms, 0);
    return {
      keystrokes: keys,
      tasks: inEdit.length,
      longestTaskCpuMs: Math.max(0, ...inEdit.map((t) => t.tdur ?? t.dur!)) / 1000,
      longestTaskWallMs: Math.max(0, ...inEdit.map((t) => t.dur!)) / 1000,
      busiestTaskReplyGuardMs: Math.max(0, ...inEdit.map((t) => oursIn(t.ts, t.ts + t.dur!))),
      replyGuardMs: oursIn(from, to),
    };
  });
}

/**
 * Traces TRACED_EDITS edits (add, then delete EDIT, alternately) at the end of the draft already
 * in the field, waiting for the badge after each (or a fixed 500 ms without the extension).
 */
async function traceEdits(page: Page, cdp: CDPSession, extensionScripts: string | null): Promise<EditCost[]> {
  const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
  await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReturnAsStream' });
  // Starting the profiler interrupts the next JS run: let that land on this, not on a keystroke.
  await page.evaluate('0');
  await page.waitForTimeout(300);
  const keystrokes: number[] = [];
  for (let i = 0; i < TRACED_EDITS; i++) {
    await page.evaluate(`console.timeStamp('replyguard-bench-edit-${i}')`);
    await page.evaluate(RESET);
    await typeEdit(page, i % 2 === 0 ? 'add' : 'remove');
    if (extensionScripts) await waitForBadge(page, 'traced edit');
    await page.waitForTimeout(extensionScripts ? 150 : 500);
    keystrokes.push(EDIT.length);
  }
  await page.evaluate(`console.timeStamp('replyguard-bench-edit-end')`);
  return editCosts(await readTrace(cdp), frameTree.frame.id, extensionScripts, keystrokes);
}

// ---------------------------------------------------------------- keystroke to badge

/** BADGE_REPS edits that each change the flag count; returns ms from last keystroke to badge. */
async function keystrokeToBadge(page: Page, draft: string): Promise<number[]> {
  const base = await fillAndCheck(page, draft);
  if (base.state !== 'checked') throw new Error(`extension: the ${draft.length}-character draft came back not checked`);
  const latencies: number[] = [];
  for (let i = 0; i < BADGE_REPS; i++) {
    const before = await badgeCount(page);
    await page.evaluate(RESET);
    await typeEdit(page, i % 2 === 0 ? 'add' : 'remove');
    const result = await waitForBadge(page, `keystroke to badge (${draft.length} characters)`);
    if (result.state !== 'checked') throw new Error(`extension: an edit of the ${draft.length}-character draft came back not checked`);
    if (result.count === before) throw new Error(`extension: typing "${EDIT.trim()}" did not change the flag count (${before}); pick an edit the built-in pack flags`);
    latencies.push(result.latencyMs);
    await page.waitForTimeout(100);
  }
  return latencies;
}

// ---------------------------------------------------------------- the first check

const FIRST_DRAFT = 'Thanks for asking. The briefing is OFFICIAL-SENSITIVE so I cannot share it yet.';

/** Opens a new page and times its first badge: fill (focus + one input event) to result. */
async function firstBadge(context: BrowserContext, server: StaticServer): Promise<BadgeResult> {
  const { page } = await openReplyPage(context, server);
  try {
    await page.fill(FIELD, FIRST_DRAFT);
    return await waitForBadge(page, 'first badge on a new page');
  } finally {
    await page.close();
  }
}

/**
 * Stops the extension's service worker (as Chromium does after 30 s idle) and waits until the
 * ServiceWorker domain reports it stopped. (Playwright keeps the same Worker object across a
 * restart, so its 'close' event cannot tell.)
 */
async function stopServiceWorker(cdp: CDPSession, extensionOrigin: string): Promise<void> {
  let onUpdate: ((e: { versions: Array<{ scriptURL: string; runningStatus: string }> }) => void) | undefined;
  const stopped = new Promise<void>((resolve) => {
    onUpdate = (e) => {
      if (e.versions.some((v) => v.scriptURL.startsWith(extensionOrigin) && v.runningStatus === 'stopped')) resolve();
    };
    cdp.on('ServiceWorker.workerVersionUpdated', onUpdate);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await Promise.race([
      stopped,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('extension: the service worker did not stop within 10 s')), 10_000))),
    ]);
  } finally {
    clearTimeout(timer);
    cdp.off('ServiceWorker.workerVersionUpdated', onUpdate!);
    await cdp.send('ServiceWorker.disable').catch(() => undefined);
  }
}

// ---------------------------------------------------------------- the suite

function stats(samples: number[]): Pick<Row, 'runs' | 'medianMs' | 'p95Ms' | 'minMs'> {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { runs: sorted.length, medianMs: at(0.5), p95Ms: at(0.95), minMs: sorted[0]! };
}

const median = (xs: number[]): number => stats(xs).medianMs;
const worst = (costs: EditCost[], key: 'longestTaskCpuMs' | 'longestTaskWallMs' | 'busiestTaskReplyGuardMs'): number => Math.max(...costs.map((c) => c[key]));
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (x: number): string => `${x.toFixed(1)} ms`;

interface SizeRow {
  name: string;
  value: string;
  target: string;
  ok: boolean | null;
  note: string;
}

/** bench.ts prints timing tables; sizes get their own, in the same layout. */
function printSizes(rows: SizeRow[]): void {
  const head = ['measurement', 'value', 'target', '', 'note'];
  const body = rows.map((r) => [r.name, r.value, r.target, r.ok === null ? '' : r.ok ? 'ok' : 'OVER', r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log('\nextension: sizes');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

export async function measureExtension(ctx: SuiteContext): Promise<SuiteResult> {
  const given = process.env.BENCH_EXTENSION_DIR;
  const extensionDir = given ? resolve(given) : EXTENSION_DIR;
  if (given && !existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`extension: BENCH_EXTENSION_DIR=${given} holds no manifest.json`);
  const build = given ? `as given (BENCH_EXTENSION_DIR=${given})` : ensureBuilt();
  // A snapshot: a rebuild by someone else mid-run cannot swap files under the browser.
  const snapshot = mkdtempSync(join(tmpdir(), 'replyguard-bench-extension-'));
  cpSync(extensionDir, snapshot, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(snapshot, 'manifest.json'), 'utf8')) as Manifest;
  const files = injectedFiles(snapshot, manifest);
  const injectedRaw = files.reduce((n, f) => n + f.rawBytes, 0);
  const injectedGzip = files.reduce((n, f) => n + f.gzipBytes, 0);

  const shortDraft = makeDraft(ctx.corpus, 280);
  const longDraft = makeDraft(ctx.corpus, 5000);
  const server = await startFixtureServer();
  const closers: Array<() => Promise<void>> = [async () => server.close()];
  const rows: Row[] = [];
  const about: Record<string, unknown> = {};
  const started = performance.now();
  /** Seconds each phase took, so the suite's share of `npm run bench` is easy to trim. */
  const phaseSeconds: Record<string, number> = {};
  let lapStart = started;
  const lap = (phase: string) => {
    const now = performance.now();
    phaseSeconds[phase] = Math.round((now - lapStart) / 100) / 10;
    lapStart = now;
  };
  try {
    const withExt = await launchWithExtension({ extensionDir: snapshot });
    closers.push(() => withExt.close());
    const origin = withExt.extensionUrl('');
    const plain = await launchWithoutExtension();
    closers.push(() => plain.close());
    const { page: versionPage, cdp: versionCdp } = await openReplyPage(plain.context, server);
    const chromiumVersion = ((await versionCdp.send('Browser.getVersion')) as { product: string }).product;
    await versionPage.close();
    lap('launch');

    // 1. The first check on a fresh browser: the pack compiles then (cold). This page is the
    // first the new browser opens; the other fresh browsers are launched only for this.
    const cold: BadgeResult[] = [await firstBadge(withExt.context, server)];
    for (let i = 1; i < FRESH_BROWSERS; i++) {
      const fresh = await launchWithExtension({ extensionDir: snapshot });
      try {
        cold.push(await firstBadge(fresh.context, server));
      } finally {
        await fresh.close();
      }
    }
    const warm: BadgeResult[] = [];
    for (let i = 0; i < WARM_FIRST_BADGES; i++) warm.push(await firstBadge(withExt.context, server));
    lap('firstBadge');

    // 2. Keystroke to badge, then the traced edits, on one page per draft (engine warm).
    const { page: shortPage } = await openReplyPage(withExt.context, server);
    const shortLatencies = await keystrokeToBadge(shortPage, shortDraft);
    await shortPage.close();
    lap('keystrokeToBadge280');
    const { page: longPage, cdp: longCdp } = await openReplyPage(withExt.context, server);
    const longLatencies = await keystrokeToBadge(longPage, longDraft);
    lap('keystrokeToBadge5000');
    const withCosts = await traceEdits(longPage, longCdp, EXTENSION_SCRIPTS);
    await longPage.close();
    const { page: plainPage, cdp: plainCdp } = await openReplyPage(plain.context, server);
    await plainPage.fill(FIELD, longDraft);
    await caretToEnd(plainPage);
    const withoutCosts = await traceEdits(plainPage, plainCdp, null);
    await plainPage.close();
    lap('traces');

    // 3. Heap: alternate the two browsers, so a change in machine load hits both alike.
    const heapWith: HeapRun[] = [];
    const heapWithout: HeapRun[] = [];
    for (let i = 0; i < HEAP_REPS; i++) {
      heapWithout.push(await heapRun(plain.context, server, shortDraft, false));
      heapWith.push(await heapRun(withExt.context, server, shortDraft, true));
    }
    lap('heap');
    const probe = await probeIsolatedWorld(withExt, server, manifest.name);
    lap('worldsProbe');

    // 4. The service worker stopped (as after 30 s idle): the next check starts it and recompiles.
    const restarted: BadgeResult[] = [];
    for (let i = 0; i < WORKER_RESTARTS; i++) {
      const { page, cdp } = await openReplyPage(withExt.context, server);
      await stopServiceWorker(cdp, origin);
      await page.close();
      restarted.push(await firstBadge(withExt.context, server));
    }
    lap('workerRestarts');

    // ---- rows (ms) for bench.ts's table
    const notChecked = (rs: BadgeResult[]) => rs.filter((r) => r.state !== 'checked').length;
    const firstNote = (rs: BadgeResult[], what: string) =>
      `${what}; from focus + input (fill) to the badge` + (notChecked(rs) ? `; ${notChecked(rs)} of ${rs.length} timed out as "not checked"` : '');
    rows.push(
      { name: 'keystroke to badge', chars: shortDraft.length, targetMs: BADGE_TARGET_MS, note: `last of ${EDIT.length} keystrokes to updated count; 150 ms debounce included`, ...stats(shortLatencies) },
      { name: 'keystroke to badge', chars: longDraft.length, targetMs: BADGE_TARGET_MS, note: `last of ${EDIT.length} keystrokes to updated count; 150 ms debounce included`, ...stats(longLatencies) },
      {
        name: 'longest main-thread task per edit, with ReplyGuard',
        chars: longDraft.length,
        targetMs: TASK_TARGET_MS,
        note: `thread CPU; worst ${ms(worst(withCosts, 'longestTaskCpuMs'))}; wall median ${ms(median(withCosts.map((c) => c.longestTaskWallMs)))}, worst ${ms(worst(withCosts, 'longestTaskWallMs'))}; edit = ${EDIT.length} keystrokes + check`,
        ...stats(withCosts.map((c) => c.longestTaskCpuMs)),
      },
      {
        name: 'longest main-thread task per edit, without',
        chars: longDraft.length,
        note: `the browser's own typing cost, thread CPU; worst ${ms(worst(withoutCosts, 'longestTaskCpuMs'))}; wall median ${ms(median(withoutCosts.map((c) => c.longestTaskWallMs)))}, worst ${ms(worst(withoutCosts, 'longestTaskWallMs'))}`,
        ...stats(withoutCosts.map((c) => c.longestTaskCpuMs)),
      },
      {
        name: 'ReplyGuard JS in its busiest task per edit',
        chars: longDraft.length,
        targetMs: TASK_TARGET_MS,
        note: `CPU-profile samples with its scripts on the stack; worst ${ms(worst(withCosts, 'busiestTaskReplyGuardMs'))}`,
        ...stats(withCosts.map((c) => c.busiestTaskReplyGuardMs)),
      },
      {
        name: 'ReplyGuard JS per keystroke',
        chars: longDraft.length,
        note: 'all its main-thread JS in an edit (keystrokes, check reply, drawing) / keystrokes',
        ...stats(withCosts.map((c) => c.replyGuardMs / c.keystrokes)),
      },
      { name: 'first badge, fresh browser (cold pack)', chars: FIRST_DRAFT.length, note: firstNote(cold, 'pack compiled on the first check'), ...stats(cold.map((r) => r.latencyMs)) },
      { name: 'first badge, service worker restarted', chars: FIRST_DRAFT.length, note: firstNote(restarted, 'worker stopped as after 30 s idle'), ...stats(restarted.map((r) => r.latencyMs)) },
      { name: 'first badge, new page (engine warm)', chars: FIRST_DRAFT.length, targetMs: BADGE_TARGET_MS, note: firstNote(warm, 'pack already compiled'), ...stats(warm.map((r) => r.latencyMs)) },
    );

    // ---- sizes, printed here (bench.ts's table is for times) and saved in `about`
    const added = (runs: HeapRun[], base: HeapRun[], key: keyof HeapRun, field: keyof HeapSample) => median(runs.map((r) => r[key][field])) - median(base.map((r) => r[key][field]));
    const heap = {
      runs: HEAP_REPS,
      method: 'median Runtime.getHeapUsage usedSize after GC: the whole renderer isolate, all worlds',
      withoutExtensionBytes: { beforeFocus: median(heapWithout.map((r) => r.beforeFocus.usedBytes)), afterCheck: median(heapWithout.map((r) => r.afterCheck.usedBytes)) },
      withExtensionBytes: { beforeFocus: median(heapWith.map((r) => r.beforeFocus.usedBytes)), afterCheck: median(heapWith.map((r) => r.afterCheck.usedBytes)) },
      addedBytes: { beforeFocus: added(heapWith, heapWithout, 'beforeFocus', 'usedBytes'), afterCheck: added(heapWith, heapWithout, 'afterCheck', 'usedBytes') },
      addedEmbedderBytes: { beforeFocus: added(heapWith, heapWithout, 'beforeFocus', 'embedderBytes'), afterCheck: added(heapWith, heapWithout, 'afterCheck', 'embedderBytes') },
      targetBytes: { beforeFocus: HEAP_BEFORE_FOCUS_TARGET_BYTES, afterCheck: HEAP_AFTER_CHECK_TARGET_BYTES },
      samplesAddedBytes: {
        beforeFocus: heapWith.map((r, i) => r.beforeFocus.usedBytes - heapWithout[i]!.beforeFocus.usedBytes),
        afterCheck: heapWith.map((r, i) => r.afterCheck.usedBytes - heapWithout[i]!.afterCheck.usedBytes),
      },
      typedDraftChars: shortDraft.length,
    };
    const lazyChars = probe.scriptsParsedAfterFocus.reduce((n, s) => n + s.chars, 0);
    printSizes([
      ...files.map((f) => ({ name: `injected: ${f.file}`, value: kb(f.rawBytes), target: '', ok: null, note: `gzip ${kb(f.gzipBytes)}` })),
      { name: 'injected into every page (raw)', value: kb(injectedRaw), target: `<= ${kb(INJECTED_TARGET_BYTES)}`, ok: injectedRaw <= INJECTED_TARGET_BYTES, note: `gzip ${kb(injectedGzip)}; ${files.length} file(s) from manifest content_scripts` },
      {
        name: 'JS heap added, before focus',
        value: mb(heap.addedBytes.beforeFocus),
        target: `< ${mb(HEAP_BEFORE_FOCUS_TARGET_BYTES)}`,
        ok: heap.addedBytes.beforeFocus < HEAP_BEFORE_FOCUS_TARGET_BYTES,
        note: `median of ${HEAP_REPS}: ${mb(heap.withExtensionBytes.beforeFocus)} with vs ${mb(heap.withoutExtensionBytes.beforeFocus)} without; DOM (embedder) heap ${mb(heap.addedEmbedderBytes.beforeFocus)}`,
      },
      {
        name: 'JS heap added, after typing + check',
        value: mb(heap.addedBytes.afterCheck),
        target: `< ${mb(HEAP_AFTER_CHECK_TARGET_BYTES)}`,
        ok: heap.addedBytes.afterCheck < HEAP_AFTER_CHECK_TARGET_BYTES,
        note: `${shortDraft.length}-char draft typed; ${mb(heap.withExtensionBytes.afterCheck)} with vs ${mb(heap.withoutExtensionBytes.afterCheck)} without; DOM heap ${mb(heap.addedEmbedderBytes.afterCheck)}`,
      },
      {
        name: 'extension JS loaded on first focus',
        value: kb(lazyChars),
        target: '',
        ok: null,
        note: probe.scriptsParsedAfterFocus.length ? probe.scriptsParsedAfterFocus.map((s) => `${s.file} ${kb(s.chars)}`).join(', ') : 'none (V8 parsed no further extension script into the page)',
      },
      { name: 'isolated world counted in heap', value: probe.counted ? 'yes' : 'NO', target: '', ok: null, note: `${mb(probe.seenBytes)} seen of ${mb(probe.allocatedBytes)} allocated in ReplyGuard's world` },
    ]);

    Object.assign(about, {
      chromium: chromiumVersion,
      build,
      extension: `${manifest.name} ${manifest.version}`,
      page: `tests/e2e/fixtures/${PAGE}`,
      injected: { files, rawBytes: injectedRaw, gzipBytes: injectedGzip, targetRawBytes: INJECTED_TARGET_BYTES, withinTarget: injectedRaw <= INJECTED_TARGET_BYTES },
      heap: { ...heap, withinTarget: { beforeFocus: heap.addedBytes.beforeFocus < HEAP_BEFORE_FOCUS_TARGET_BYTES, afterCheck: heap.addedBytes.afterCheck < HEAP_AFTER_CHECK_TARGET_BYTES } },
      worlds: probe,
      edits: { text: EDIT, keyDelayMs: KEY_DELAY_MS, badgeReps: BADGE_REPS, traced: TRACED_EDITS },
      suiteSeconds: 0,
      phaseSeconds,
    });
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    rmSync(snapshot, { recursive: true, force: true });
  }
  about.suiteSeconds = Math.round((performance.now() - started) / 100) / 10;
  return { rows, about };
}
