/**
 * Which packs run, in which order, and who wins when two define the same rule.
 *
 * Precedence: the organisation's packs (remote, in packUrls order, then
 * inline), then the built-in pack (unless disableBuiltInPack), then the
 * user's own packs (only if allowUserPacks). A rule id defined by an earlier
 * pack wins: the same id in a later pack is dropped before compiling, so a
 * user pack can neither replace nor silence an organisation rule. Each pack's
 * allowlist applies to its own rules only, so a user pack's allowlist cannot
 * silence an organisation `block` rule either. Organisation packs are locked:
 * the settings page shows them and offers no switch.
 */
import { compilePack, parsePack, PackValidationError } from '../engine/compile';
import type { Severity } from '../engine/categories';
import type { Pack, Rule } from '../engine/schema';
import type { CompiledPack, Finding } from '../engine/types';
import type { ManagedPolicy } from './managed-config';

export type PackSource = 'admin' | 'builtin' | 'user';

/** A pack as delivered, not yet validated. origin says where it came from (a URL, "inline pack 2", a file name). */
export interface CandidatePack {
  origin: string;
  data: unknown;
}

export interface ActivePack {
  source: PackSource;
  origin: string;
  /** Organisation packs: the user cannot turn them off or edit them. */
  locked: boolean;
  /** The whole pack runs in audit mode (policy auditPacks): recorded, never shown. */
  audit: boolean;
  /** The pack as compiled: shadowed rules removed, audit mode applied. */
  pack: Pack;
  compiled: CompiledPack;
  /** Rule ids left out because an earlier pack defines them (or they built on such a rule). */
  shadowed: string[];
}

export interface PackSet {
  packs: ActivePack[];
  /** Packs that could not be used, one plain sentence each. */
  problems: string[];
  /** Packs left out on purpose by the policy (not errors). */
  skipped: Array<{ source: PackSource; origin: string; reason: string }>;
}

export interface PackSetInput {
  admin: CandidatePack[];
  builtin: unknown | null;
  user: CandidatePack[];
  policy: Pick<ManagedPolicy, 'disableBuiltInPack' | 'allowUserPacks' | 'auditPacks'>;
}

const SOURCE_LABEL: Record<PackSource, string> = { admin: 'Organisation pack', builtin: 'Built-in pack', user: 'Your pack' };

function label(source: PackSource, origin: string): string {
  return source === 'builtin' ? SOURCE_LABEL.builtin : `${SOURCE_LABEL[source]} ${origin}`;
}

function summarise(e: unknown): string {
  if (e instanceof PackValidationError) {
    const [first, ...rest] = e.problems;
    return `${first}${rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : ''}`;
  }
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

/**
 * Drops rules whose id an earlier pack already defines, then near rules in
 * this pack that combined a dropped rule (they cannot reach across packs).
 */
function withoutShadowed(rules: Rule[], taken: ReadonlySet<string>): { kept: Rule[]; shadowed: string[] } {
  const dropped = new Set(rules.filter((r) => taken.has(r.id)).map((r) => r.id));
  let changed = dropped.size > 0;
  while (changed) {
    changed = false;
    for (const r of rules) {
      if (r.kind === 'near' && !dropped.has(r.id) && (dropped.has(r.a) || dropped.has(r.b))) {
        dropped.add(r.id);
        changed = true;
      }
    }
  }
  return { kept: rules.filter((r) => !dropped.has(r.id)), shadowed: [...dropped] };
}

/** Resolves precedence and compiles the packs to run, in order. Never throws for a bad pack: it is reported and left out. */
export function buildPackSet(input: PackSetInput): PackSet {
  const candidates: Array<{ source: PackSource } & CandidatePack> = [
    ...input.admin.map((c) => ({ source: 'admin' as const, ...c })),
  ];
  const skipped: PackSet['skipped'] = [];
  if (input.builtin !== null && input.builtin !== undefined) {
    if (input.policy.disableBuiltInPack) skipped.push({ source: 'builtin', origin: 'built-in', reason: 'turned off by your organisation' });
    else candidates.push({ source: 'builtin', origin: 'built-in', data: input.builtin });
  }
  for (const c of input.user) {
    if (input.policy.allowUserPacks) candidates.push({ source: 'user', ...c });
    else skipped.push({ source: 'user', origin: c.origin, reason: 'your organisation does not allow your own packs' });
  }

  const packs: ActivePack[] = [];
  const problems: string[] = [];
  const ruleIds = new Set<string>();
  const packIds = new Map<string, string>();
  const audited = new Set(input.policy.auditPacks);

  for (const { source, origin, data } of candidates) {
    const name = label(source, origin);
    let parsed: Pack;
    try {
      parsed = parsePack(data);
    } catch (e) {
      problems.push(`${name} is not used: ${summarise(e)}.`);
      continue;
    }
    const earlier = packIds.get(parsed.id);
    if (earlier) {
      skipped.push({ source, origin, reason: `${earlier} already provides pack "${parsed.id}"` });
      continue;
    }
    const { kept, shadowed } = withoutShadowed(parsed.rules, ruleIds);
    const audit = audited.has(parsed.id);
    const pack: Pack = { ...parsed, rules: audit ? kept.map((r) => ({ ...r, mode: 'audit' as const })) : kept };
    let compiled: CompiledPack;
    try {
      compiled = compilePack(pack);
    } catch (e) {
      problems.push(`${name} is not used: ${summarise(e)}.`);
      continue;
    }
    packIds.set(parsed.id, name);
    for (const r of kept) ruleIds.add(r.id);
    packs.push({ source, origin, locked: source === 'admin', audit, pack, compiled, shadowed });
  }
  return { packs, problems, skipped };
}

/** What the writer sees: audit findings are recorded (history, audit endpoint) but never shown and never block. */
export function visibleFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.mode !== 'audit');
}

/** Audit findings only: for the history and the audit endpoint. */
export function auditFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.mode === 'audit');
}
