/**
 * What the settings page lists about packs, worked out from two stored things: the background's
 * AdminStatus (browser.storage.local, ADMIN_STATUS_KEY: the packs in use, the organisation's
 * policy, remote update results) and the user's own packs (src/settings/user-packs.ts, which
 * include the ones switched off, which the status never lists).
 *
 * The status is written by our own background, but storage can hold anything (an older build, a
 * damaged profile), so it is checked with zod before use; a status that does not fit is reported
 * in one sentence and the page still shows the user's packs.
 */
import { z } from 'zod';
import type { AdminStatus } from '../../admin/admin-runtime';
import type { ManagedKey } from '../../admin/managed-config';
import type { StoredUserPack } from '../../settings/user-packs';

const RemoteState = z.object({
  url: z.string(),
  ok: z.boolean(),
  message: z.string(),
  checkedAt: z.number(),
  active: z
    .object({ packId: z.string(), name: z.string(), version: z.string(), keyId: z.string(), fetchedAt: z.number() })
    .nullable(),
});

const StatusPack = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  publisher: z.string(),
  source: z.enum(['admin', 'builtin', 'user']),
  origin: z.string(),
  locked: z.boolean(),
  audit: z.boolean(),
  rules: z.number(),
  shadowed: z.array(z.string()),
});

/** The parts of AdminStatus this page reads (z.object drops the rest: a newer background may add fields). */
const AdminStatusView = z.object({
  managed: z.boolean(),
  policy: z.object({
    packUrls: z.array(z.string()),
    inlinePacks: z.array(z.unknown()),
    disableBuiltInPack: z.boolean(),
    allowUserPacks: z.boolean(),
    allowOverride: z.object({ info: z.boolean(), warning: z.boolean(), block: z.boolean() }),
    failMode: z.enum(['open', 'closed']),
    siteAllowlist: z.array(z.string()),
    siteBlocklist: z.array(z.string()),
    historyRetentionDays: z.number(),
    storeFullText: z.boolean(),
    auditEndpoint: z.string().nullable(),
    auditPacks: z.array(z.string()),
    packPublicKeys: z.array(z.string()),
  }),
  configured: z.array(z.string()),
  policyProblems: z.array(z.string()),
  remote: z.array(RemoteState),
  packs: z.array(StatusPack),
  packProblems: z.array(z.string()),
  skipped: z.array(z.object({ source: z.enum(['admin', 'builtin', 'user']), origin: z.string(), reason: z.string() })),
  holdPosts: z.boolean(),
  updatedAt: z.number(),
});

export type StatusView = Omit<z.infer<typeof AdminStatusView>, 'configured'> & { configured: ManagedKey[] };

export type StatusRead =
  /** The background has not written a status yet (it is starting). */
  | { state: 'missing' }
  | { state: 'ok'; status: StatusView }
  | { state: 'damaged'; problem: string };

/** Checks the stored AdminStatus; never throws. */
export function readStatus(raw: unknown): StatusRead {
  if (raw === undefined || raw === null) return { state: 'missing' };
  const parsed = AdminStatusView.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` ("${issue.path.join('.')}")` : '';
    return { state: 'damaged', problem: `ReplyGuard's saved status could not be read${where}, so the list of packs may be incomplete. It is rewritten when the packs next change.` };
  }
  return { state: 'ok', status: parsed.data as StatusView };
}

// Compile-time check that the view still matches what the background writes.
const _statusFits: (s: AdminStatus) => z.input<typeof AdminStatusView> = (s) => s;
void _statusFits;

export type PackSourceKind = 'admin' | 'builtin' | 'user';

export interface PackRow {
  /** Stable key for lists and test ids: "<source>:<origin>". */
  key: string;
  source: PackSourceKind;
  /** Pack id when known (a remote pack that never downloaded has none). */
  id: string | null;
  name: string;
  version: string | null;
  publisher: string | null;
  /** Where it came from, in words: a URL, "in the policy", a file name. */
  origin: string;
  /** How its contents are vouched for, in words. */
  signing: string;
  signed: boolean;
  /** The organisation's packs: no way to turn them off here. */
  locked: boolean;
  /**
   * on: in use; off: the user switched it off; not-used: it should run but does not (reason says
   * why: an update failed before any good copy, invalid, not allowed...); pending: just turned on
   * or imported, the background has not picked it up yet.
   */
  state: 'on' | 'off' | 'not-used' | 'pending';
  reason: string | null;
  /** Trial mode: its findings are recorded, never shown to the writer. */
  audit: boolean;
  rules: number | null;
  /** Rules left out because a pack higher up defines the same rule id. */
  shadowed: number;
  /** The last remote update (organisation packs from a URL). */
  update: { at: number; ok: boolean; message: string } | null;
  /** When the user imported it. */
  importedAt: number | null;
}

export interface BuiltinInfo {
  id: string;
  name: string;
  version: string;
  publisher: string;
}

const LABEL_PREFIX: Record<PackSourceKind, string> = { admin: 'Organisation pack', builtin: 'Built-in pack', user: 'Your pack' };

/** pack-set.ts writes "<label> <origin> is not used: <why>." for a pack it could not use. */
function problemFor(status: StatusView | null, source: PackSourceKind, origin: string): string | null {
  if (!status) return null;
  const prefix = source === 'builtin' ? `${LABEL_PREFIX.builtin} is not used: ` : `${LABEL_PREFIX[source]} ${origin} is not used: `;
  const line = status.packProblems.find((p) => p.startsWith(prefix));
  return line ? line.slice(prefix.length) : null;
}

function ruleCount(pack: StoredUserPack['pack']): number | null {
  const rules = (pack as { rules?: unknown }).rules;
  return Array.isArray(rules) ? rules.length : null;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Every pack the page lists, in precedence order: the organisation's (remote in packUrls order,
 * then inline), the built-in pack, then the user's own in the order they were imported.
 */
export function packRows(status: StatusView | null, userPacks: readonly StoredUserPack[], builtin: BuiltinInfo): PackRow[] {
  const rows: PackRow[] = [];
  const active = status?.packs ?? [];
  const skippedReason = (source: PackSourceKind, origin: string) =>
    status?.skipped.find((s) => s.source === source && s.origin === origin)?.reason ?? null;

  // The organisation's packs from URLs: one row per URL, whether or not a good copy exists.
  for (const remote of status?.remote ?? []) {
    const pack = active.find((p) => p.source === 'admin' && p.origin === remote.url);
    const skipped = skippedReason('admin', remote.url);
    rows.push({
      key: `admin:${remote.url}`,
      source: 'admin',
      id: pack?.id ?? remote.active?.packId ?? null,
      name: pack?.name ?? remote.active?.name ?? 'Organisation pack (not downloaded yet)',
      version: pack?.version ?? remote.active?.version ?? null,
      publisher: pack?.publisher ?? null,
      origin: remote.url,
      signing: remote.active ? `Signed by your organisation (key ${remote.active.keyId})` : 'Must be signed by your organisation',
      signed: !!remote.active,
      locked: true,
      state: pack ? 'on' : 'not-used',
      reason: pack
        ? null
        : skipped
          ? capitalise(skipped)
          : (problemFor(status, 'admin', remote.url) ??
            // The last update line says what went wrong; the status need not repeat it.
            (remote.active ? remote.message : 'No good copy has been downloaded yet (see the last update).')),
      audit: pack?.audit ?? false,
      rules: pack?.rules ?? null,
      shadowed: pack?.shadowed.length ?? 0,
      update: { at: remote.checkedAt, ok: remote.ok, message: remote.message },
      importedAt: null,
    });
  }

  // Packs written into the policy itself: trusted as the policy is, no signature.
  (status?.policy.inlinePacks ?? []).forEach((_, i) => {
    const origin = `inline pack ${i + 1}`;
    const pack = active.find((p) => p.source === 'admin' && p.origin === origin);
    const skipped = skippedReason('admin', origin);
    rows.push({
      key: `admin:${origin}`,
      source: 'admin',
      id: pack?.id ?? null,
      name: pack?.name ?? `Organisation pack ${i + 1} in the policy`,
      version: pack?.version ?? null,
      publisher: pack?.publisher ?? null,
      origin: "Written into your organisation's policy",
      signing: 'No signature needed: it is part of the policy itself',
      signed: false,
      locked: true,
      state: pack ? 'on' : 'not-used',
      reason: pack ? null : (skipped ? capitalise(skipped) : (problemFor(status, 'admin', origin) ?? 'It could not be used.')),
      audit: pack?.audit ?? false,
      rules: pack?.rules ?? null,
      shadowed: pack?.shadowed.length ?? 0,
      update: null,
      importedAt: null,
    });
  });

  const builtinPack = active.find((p) => p.source === 'builtin');
  const builtinSkipped = skippedReason('builtin', 'built-in');
  rows.push({
    key: 'builtin:built-in',
    source: 'builtin',
    id: builtinPack?.id ?? builtin.id,
    name: builtinPack?.name ?? builtin.name,
    version: builtinPack?.version ?? builtin.version,
    publisher: builtinPack?.publisher ?? builtin.publisher,
    origin: 'Comes with ReplyGuard',
    signing: 'Part of the extension (checked by the browser when ReplyGuard is installed)',
    signed: false,
    locked: false,
    state: !status || builtinPack ? 'on' : 'not-used',
    reason: builtinSkipped ? capitalise(builtinSkipped) : (problemFor(status, 'builtin', 'built-in') ?? (status && !builtinPack ? 'It could not be used.' : null)),
    audit: builtinPack?.audit ?? false,
    rules: builtinPack?.rules ?? null,
    shadowed: builtinPack?.shadowed.length ?? 0,
    update: null,
    importedAt: null,
  });

  for (const user of userPacks) {
    const pack = active.find((p) => p.source === 'user' && p.id === user.id);
    const skipped = skippedReason('user', user.fileName);
    const problem = problemFor(status, 'user', user.fileName);
    let state: PackRow['state'];
    let reason: string | null = null;
    if (!user.enabled) state = 'off';
    else if (status && !status.policy.allowUserPacks) {
      state = 'not-used';
      reason = 'Your organisation does not allow your own packs.';
    } else if (pack) state = 'on';
    else if (skipped || problem) {
      state = 'not-used';
      reason = skipped ? capitalise(skipped) : problem;
    } else state = 'pending';
    rows.push({
      key: `user:${user.id}`,
      source: 'user',
      id: user.id,
      name: user.pack.name,
      version: user.pack.version,
      publisher: user.pack.publisher,
      origin: `Imported from ${user.fileName}`,
      signing: 'Not signed (imported by you)',
      signed: false,
      locked: false,
      state,
      reason,
      audit: pack?.audit ?? false,
      rules: pack?.rules ?? ruleCount(user.pack),
      shadowed: pack?.shadowed.length ?? 0,
      update: null,
      importedAt: user.importedAt,
    });
  }
  return rows;
}

/** Pack ids the user cannot import a pack under, with who uses them. */
export function reservedPackIds(status: StatusView | null, builtin: BuiltinInfo): Map<string, string> {
  const reserved = new Map<string, string>([[builtin.id, 'the built-in pack']]);
  for (const p of status?.packs ?? []) if (p.source === 'admin') reserved.set(p.id, "your organisation's pack");
  for (const r of status?.remote ?? []) if (r.active) reserved.set(r.active.packId, "your organisation's pack");
  return reserved;
}
