/** Small packs, signing keys and a local HTTP server for the admin-pack tests. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PackInput } from '../../src/engine/schema';
import { generateSigningKeys, importPrivateKey, signBytes } from '../../src/admin/signature';

export interface PhraseSpec {
  id: string;
  terms: string[];
  severity?: 'info' | 'warning' | 'block';
  mode?: 'enforce' | 'audit';
  category?: 'internal-info' | 'conduct' | 'commitment';
}

/** A valid pack with phrase rules; each rule's examples flag its first term. */
export function makePack(id: string, version: string, rules: PhraseSpec[], extra: Partial<PackInput> = {}): PackInput {
  return {
    id,
    name: `Pack ${id}`,
    version,
    publisher: 'Test Org',
    policy: {
      title: 'Test policy',
      version: '1',
      clauses: [{ id: 'c1', title: 'Clause one', summary: 'Keep it clean.', source: 'Test handbook' }],
    },
    rules: rules.map((r) => ({
      id: r.id,
      kind: 'phrase' as const,
      category: r.category ?? 'internal-info',
      severity: r.severity ?? 'warning',
      mode: r.mode ?? 'enforce',
      clause: 'c1',
      inflect: false,
      terms: r.terms,
      message: `"{match}" (${r.id})`,
      examples: { flag: [`About ${r.terms[0]} today.`, `${r.terms[0]}!`], pass: ['Nothing here.', 'All fine.'] },
    })),
    ...extra,
  };
}

export interface TestKeys {
  publicKey: string;
  privateKeyPem: string;
  sign(bytes: Uint8Array | string): Promise<string>;
}

export async function testKeys(): Promise<TestKeys> {
  const { publicKey, privateKeyPem } = await generateSigningKeys();
  const key = await importPrivateKey(privateKeyPem);
  return {
    publicKey,
    privateKeyPem,
    sign: (bytes) => signBytes(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes, key),
  };
}

export interface Route {
  status?: number;
  body: string | Uint8Array;
  etag?: string;
  /** Delay the answer (timeouts). */
  delayMs?: number;
}

/** A static file server on 127.0.0.1 whose files the test sets; it honours If-None-Match and logs requests. */
export interface TestServer {
  url(path: string): string;
  set(path: string, route: Route | null): void;
  requests: Array<{ path: string; ifNoneMatch: string | undefined }>;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const requests: TestServer['requests'] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname + new URL(req.url ?? '/', 'http://x').search;
    const ifNoneMatch = req.headers['if-none-match'];
    requests.push({ path, ifNoneMatch });
    const route = routes.get(path);
    const send = (): void => {
      if (!route) {
        res.writeHead(404, 'Not Found').end('not found');
        return;
      }
      if (route.etag && ifNoneMatch === route.etag) {
        res.writeHead(304, { etag: route.etag }).end();
        return;
      }
      res.writeHead(route.status ?? 200, { 'content-type': 'application/json', ...(route.etag ? { etag: route.etag } : {}) }).end(route.body);
    };
    if (route?.delayMs) setTimeout(send, route.delayMs);
    else send();
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    set: (path, route) => (route ? routes.set(path, route) : routes.delete(path)),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Map-backed KeyValueStore. */
export function memoryStore(): { get(key: string): Promise<unknown>; set(key: string, value: unknown): Promise<void>; data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (key) => structuredClone(data.get(key)),
    set: async (key, value) => void data.set(key, structuredClone(value)),
  };
}
