/**
 * A small WebDriver BiDi client for stock Firefox (Debian's firefox-esr), for the Firefox e2e test.
 * Playwright's Firefox needs its own patched build (not available here) and its experimental BiDi
 * driver cannot install an extension, so this speaks the W3C protocol directly over Node's global
 * WebSocket: start Firefox headless with --remote-debugging-port=0 and a throw-away profile, read
 * the BiDi address it prints, open a session, install the unpacked extension temporarily
 * (webExtension.install), then drive tabs with browsingContext.*, script.callFunction and
 * input.performActions (real, trusted key and mouse events). Anything missing throws with a
 * one-line reason: e2e tests fail, never skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { SCREENSHOTS_DIR } from './harness';

/** Debian's firefox-esr unless FIREFOX_PATH points elsewhere. */
export function firefoxPath(): string {
  const path = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
  if (!existsSync(path)) {
    throw new Error(`e2e: Firefox not found at ${path} (install it with \`apt-get install firefox-esr\` or set FIREFOX_PATH)`);
  }
  return path;
}

/**
 * Profile prefs. Firefox already applies its "recommended" automation prefs when the remote agent
 * is on; these add what keeps a test browser quiet and offline: no first-run pages, telemetry,
 * update or remote-settings traffic, no default-browser prompt.
 */
const PREFS: Record<string, string | number | boolean> = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.aboutwelcome.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.disabledForTesting': true,
  'app.normandy.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'services.settings.server': 'data:,',
  'extensions.getAddons.cache.enabled': false,
  'extensions.update.enabled': false,
  // Add-ons in the profile/app scopes stay enabled; only ours is installed anyway.
  'extensions.autoDisableScopes': 0,
  // Unsigned add-ons: temporary installs never need a signature, but ESR honours this too.
  'xpinstall.signatures.required': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
};

interface BidiError {
  error: string;
  message: string;
}

/** One WebSocket connection speaking WebDriver BiDi: commands with ids, events by method. */
export class BidiConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; method: string }>();
  private readonly listeners = new Map<string, Array<(params: Record<string, unknown>) => void>>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => this.onMessage(String(event.data)));
    socket.addEventListener('close', () => {
      for (const { reject, method } of this.pending.values()) reject(new Error(`BiDi connection closed during ${method}`));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<BidiConnection> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolveOpen, rejectOpen) => {
      socket.addEventListener('open', () => resolveOpen(), { once: true });
      socket.addEventListener('error', () => rejectOpen(new Error(`cannot connect to ${url}`)), { once: true });
    });
    return new BidiConnection(socket);
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolveCommand, rejectCommand) => {
      this.pending.set(id, { resolve: resolveCommand as (value: unknown) => void, reject: rejectCommand, method });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  on(event: string, listener: (params: Record<string, unknown>) => void): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
  }

  close(): void {
    this.socket.close();
  }

  private onMessage(data: string): void {
    const message = JSON.parse(data) as { type: string; id?: number; result?: unknown; method?: string; params?: Record<string, unknown> } & Partial<BidiError>;
    if (message.type === 'event' && message.method) {
      for (const listener of this.listeners.get(message.method) ?? []) listener(message.params ?? {});
      return;
    }
    if (message.id === undefined) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.type === 'error') pending.reject(new Error(`BiDi ${pending.method}: ${message.error}: ${message.message}`));
    else pending.resolve(message.result);
  }
}

/** A function run in the page (its main world), serialised with toString(); args must be JSON. */
type PageFunction<A extends unknown[], R> = (...args: A) => R | Promise<R>;

/** WebDriver's code points for the special keys the tests press. */
const SPECIAL_KEYS = { Enter: '\uE007', Control: '\uE009', Shift: '\uE008', Escape: '\uE00C', Tab: '\uE004' } as const;

type Truthy<T> = Exclude<T, null | undefined | false | 0 | ''>;

export interface LogEntry {
  level: string;
  text: string;
  source: string;
}

/** One top-level tab. */
export class FirefoxTab {
  constructor(
    private readonly bidi: BidiConnection,
    readonly context: string,
  ) {}

  async navigate(url: string): Promise<void> {
    await this.bidi.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' });
  }

  /**
   * Runs fn in the page's main world and returns its (JSON) result. ReplyGuard's own content script
   * runs in an isolated world: the test sees what it does only through the shared DOM (attributes,
   * open shadow roots), never through its JS globals.
   */
  async evaluate<A extends unknown[], R>(fn: PageFunction<A, R>, ...args: A): Promise<R> {
    return this.run<R>(fn.toString(), args);
  }

  /** Calls the function whose source is given with JSON args; returns its JSON-decoded result. */
  private async run<R>(source: string, args: unknown[]): Promise<R> {
    // __name: bundlers that keep function names (esbuild keepNames, as tsx uses) wrap named inner
    // functions in __name(...), a helper that exists in this module but not in the page.
    const functionDeclaration = `async (...json) => {
      const __name = (f) => f;
      return JSON.stringify(await (${source})(...json.map((arg) => JSON.parse(arg)))) ?? 'null';
    }`;
    const reply = await this.bidi.send<{ type: string; result?: { value?: string }; exceptionDetails?: { text?: string } }>('script.callFunction', {
      functionDeclaration,
      target: { context: this.context },
      awaitPromise: true,
      arguments: args.map((value) => ({ type: 'string', value: JSON.stringify(value) })),
    });
    if (reply.type === 'exception') throw new Error(`page script threw: ${reply.exceptionDetails?.text ?? 'unknown error'}`);
    return JSON.parse(reply.result?.value ?? 'null') as R;
  }

  /** Polls fn in the page until it returns a truthy value; throws `what` after timeoutMs. */
  async waitFor<A extends unknown[], R>(what: string, timeoutMs: number, fn: PageFunction<A, R>, ...args: A): Promise<Truthy<R>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.evaluate(fn, ...args);
      if (value) return value as Truthy<R>;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Types text with real key events (one keyDown/keyUp per character) into the focused element. */
  async type(text: string): Promise<void> {
    const actions = [...text].flatMap((ch) => [
      { type: 'keyDown', value: ch },
      { type: 'keyUp', value: ch },
    ]);
    await this.bidi.send('input.performActions', { context: this.context, actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  /**
   * Presses one key with optional modifiers held, e.g. press('Enter') or press('z', ['Control']).
   * Special keys are WebDriver's code points (https://w3c.github.io/webdriver/#keyboard-actions).
   */
  async press(key: string, modifiers: Array<keyof typeof SPECIAL_KEYS> = []): Promise<void> {
    const value = key in SPECIAL_KEYS ? SPECIAL_KEYS[key as keyof typeof SPECIAL_KEYS] : key;
    const held = modifiers.map((m) => SPECIAL_KEYS[m]);
    const actions = [
      ...held.map((v) => ({ type: 'keyDown', value: v })),
      { type: 'keyDown', value },
      { type: 'keyUp', value },
      ...held.reverse().map((v) => ({ type: 'keyUp', value: v })),
    ];
    await this.bidi.send('input.performActions', { context: this.context, actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  /** Moves the mouse to viewport coordinates (hover). */
  async move(x: number, y: number): Promise<void> {
    await this.bidi.send('input.performActions', {
      context: this.context,
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          parameters: { pointerType: 'mouse' },
          actions: [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport' }],
        },
      ],
    });
  }

  /** A real mouse click at viewport coordinates (CSS pixels). */
  async click(x: number, y: number): Promise<void> {
    await this.bidi.send('input.performActions', {
      context: this.context,
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          parameters: { pointerType: 'mouse' },
          actions: [
            { type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport' },
            { type: 'pointerDown', button: 0 },
            { type: 'pointerUp', button: 0 },
          ],
        },
      ],
    });
    await this.bidi.send('input.releaseActions', { context: this.context });
  }

  /**
   * Clicks the centre of the element that `locate` returns in the page (it may reach into open
   * shadow roots; like evaluate, it is serialised, so it gets its values as JSON args); throws if
   * there is none or it has no box.
   */
  async clickElement<A extends unknown[]>(what: string, locate: (...args: A) => Element | null | undefined, ...args: A): Promise<void> {
    const centre = await this.run<{ x: number; y: number } | null>(
      `(...args) => {
        const el = (${locate.toString()})(...args);
        if (!el) return null;
        el.scrollIntoView({ block: 'center' });
        const r = el.getBoundingClientRect();
        return r.width && r.height ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
      }`,
      args,
    );
    if (!centre) throw new Error(`cannot click ${what}: not found or not displayed`);
    await this.click(centre.x, centre.y);
  }

  /** Saves a PNG of the viewport to screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const { data } = await this.bidi.send<{ data: string }>('browsingContext.captureScreenshot', { context: this.context });
    await mkdir(SCREENSHOTS_DIR, { recursive: true });
    const path = join(SCREENSHOTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await writeFile(path, Buffer.from(data, 'base64'));
    return path;
  }

  async close(): Promise<void> {
    await this.bidi.send('browsingContext.close', { context: this.context }).catch(() => undefined);
  }
}

export interface FirefoxSession {
  bidi: BidiConnection;
  /** The add-on id Firefox reports for the installed extension (the manifest's gecko id). */
  extensionId: string;
  /** Firefox's version string from session.new. */
  browserVersion: string;
  /** ms from spawning Firefox to the extension being installed. */
  startupMs: number;
  /** Console messages and uncaught errors from pages (log.entryAdded). */
  logs: LogEntry[];
  /** What Firefox printed (stdout and stderr), for failure messages. */
  output(): string;
  newTab(): Promise<FirefoxTab>;
  /** Ends the session, stops Firefox and deletes the profile; safe to call twice. */
  close(): Promise<void>;
}

/** Waits for Firefox to print its BiDi address (it picks a free port for --remote-debugging-port=0). */
function bidiAddress(child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolveAddress, rejectAddress) => {
    const timer = setTimeout(() => finish(new Error(`no BiDi address within ${timeoutMs} ms`)), timeoutMs);
    const onData = () => {
      const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output());
      if (match) finish(null, match[1]);
    };
    const onExit = (code: number | null) => finish(new Error(`Firefox exited (code ${code}) before BiDi started`));
    function finish(error: Error | null, address?: string) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) rejectAddress(error);
      else resolveAddress(address!);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

export interface PrivateFirefoxInstall {
  /** The launcher to start (a copy of the real one), for launchFirefoxWithExtension's `executable`. */
  executable: string;
  /** Deletes the private install dir (the real install is never touched). */
  dispose(): Promise<void>;
}

/**
 * A throw-away Firefox "install dir" whose distribution/policies.json holds the given enterprise
 * policies, so a test exercises the real policies.json route without writing a system path.
 * Firefox finds its install dir from the launcher's own path (/proc/self/exe, symlinks resolved),
 * so the small launcher is copied and everything else (libxul.so, omni.ja, browser/, ...) is
 * symlinked to the real install. Note that on Linux /etc/firefox/policies/policies.json, if it
 * exists, is read instead of any distribution/policies.json: the caller should refuse to run then.
 */
export async function privateFirefoxInstallWithPolicies(policies: Record<string, unknown>): Promise<PrivateFirefoxInstall> {
  const launcher = realpathSync(firefoxPath());
  const installDir = dirname(launcher);
  const dir = await mkdtemp(join(tmpdir(), 'replyguard-e2e-firefox-install-'));
  try {
    for (const entry of await readdir(installDir)) {
      if (entry === basename(launcher) || entry === 'distribution') continue;
      await symlink(join(installDir, entry), join(dir, entry));
    }
    await copyFile(launcher, join(dir, basename(launcher)));
    await mkdir(join(dir, 'distribution'));
    await writeFile(join(dir, 'distribution', 'policies.json'), JSON.stringify({ policies }, null, 2));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`e2e: cannot make a private Firefox install from ${installDir}: ${String(error)}`);
  }
  return { executable: join(dir, basename(launcher)), dispose: () => rm(dir, { recursive: true, force: true }) };
}

export interface LaunchOptions {
  startTimeoutMs?: number;
  /** The Firefox to start instead of firefoxPath(), e.g. privateFirefoxInstallWithPolicies().executable. */
  executable?: string;
  /** Extra profile prefs, added to (and overriding) the defaults. */
  prefs?: Record<string, string | number | boolean>;
  /** Extra command-line arguments, e.g. --remote-allow-system-access to open moz-extension:// pages. */
  args?: string[];
}

/** Starts headless Firefox with a fresh profile and installs the unpacked extension temporarily. */
export async function launchFirefoxWithExtension(extensionDir: string, options: LaunchOptions = {}): Promise<FirefoxSession> {
  const dir = resolve(extensionDir);
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`e2e: no built Firefox extension at ${dir} (run \`npm run build:firefox\` first)`);
  }
  const executable = options.executable ?? firefoxPath();
  const started = Date.now();
  const profileDir = await mkdtemp(join(tmpdir(), 'replyguard-e2e-firefox-'));
  await writeFile(
    join(profileDir, 'user.js'),
    Object.entries({ ...PREFS, ...options.prefs })
      .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
      .join('\n') + '\n',
  );

  let printed = '';
  const child = spawn(executable, ['--headless', '--no-remote', '--remote-debugging-port=0', ...(options.args ?? []), '-profile', profileDir, 'about:blank'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  const collect = (chunk: Buffer) => {
    // Keep the tail only: Firefox can be chatty over a long run.
    printed = (printed + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const spawnError = new Promise<never>((_, rejectSpawn) => child.once('error', rejectSpawn));

  let bidi: BidiConnection | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (bidi) {
      // browser.close ends Firefox cleanly; the socket closes under the reply, so do not wait on it.
      await Promise.race([bidi.send('browser.close').catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
      bidi.close();
    }
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await rm(profileDir, { recursive: true, force: true });
  };

  try {
    const address = await Promise.race([bidiAddress(child, () => printed, options.startTimeoutMs ?? 60_000), spawnError]);
    bidi = await BidiConnection.connect(`${address}/session`);
    const session = await bidi.send<{ capabilities: { browserVersion: string } }>('session.new', { capabilities: {} });
    const logs: LogEntry[] = [];
    bidi.on('log.entryAdded', (params) => {
      logs.push({ level: String(params.level), text: String(params.text), source: JSON.stringify(params.source ?? {}) });
    });
    await bidi.send('session.subscribe', { events: ['log.entryAdded'] });
    const { extension } = await bidi.send<{ extension: string }>('webExtension.install', { extensionData: { type: 'path', path: dir } });
    const connection = bidi;
    return {
      bidi: connection,
      extensionId: extension,
      browserVersion: session.capabilities.browserVersion,
      startupMs: Date.now() - started,
      logs,
      output: () => printed,
      async newTab() {
        const { context } = await connection.send<{ context: string }>('browsingContext.create', { type: 'tab' });
        return new FirefoxTab(connection, context);
      },
      close,
    };
  } catch (error) {
    const tail = printed.trim().split('\n').slice(-5).join(' | ');
    await close();
    throw new Error(`e2e: could not start Firefox at ${executable} with the extension from ${dir}: ${String(error)}${tail ? ` (Firefox said: ${tail})` : ''}`);
  }
}
