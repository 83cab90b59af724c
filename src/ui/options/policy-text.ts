/**
 * The organisation's policy settings in plain words, for the "Set by your organisation" list: one
 * line per key the administrator set, saying what it means for the writer, not its JSON.
 */
import type { ManagedKey } from '../../admin/managed-config';
import { SEVERITY_LABELS } from '../finding-item';
import type { StatusView } from './pack-rows';

type Policy = StatusView['policy'];

const OVERRIDABLE = ['block', 'warning'] as const;
/** As the popup and the in-page card name them (SEVERITY_LABELS): "Must fix", "Warning". */
const OVERRIDE_NAMES: Record<(typeof OVERRIDABLE)[number], string> = {
  block: `"${SEVERITY_LABELS.block.toLowerCase()}" findings`,
  warning: `${SEVERITY_LABELS.warning.toLowerCase()}s`,
};

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function list(items: readonly string[], none: string): string {
  return items.length ? items.join(', ') : none;
}

const DESCRIBE: Record<ManagedKey, { label: string; value(p: Policy): string }> = {
  packUrls: { label: 'Organisation packs downloaded from', value: (p) => list(p.packUrls, 'no addresses') },
  packPublicKeys: { label: 'Trusted signing keys', value: (p) => count(p.packPublicKeys.length, 'key') },
  inlinePacks: { label: 'Packs written into the policy', value: (p) => count(p.inlinePacks.length, 'pack') },
  disableBuiltInPack: {
    label: 'Built-in pack',
    value: (p) => (p.disableBuiltInPack ? "Turned off: only your organisation's packs run" : 'On'),
  },
  allowUserPacks: {
    label: 'Your own packs',
    value: (p) => (p.allowUserPacks ? 'Allowed' : 'Not allowed: you cannot import packs, and packs you imported earlier do not run'),
  },
  allowOverride: {
    label: '"Post anyway"',
    value: (p) => {
      // Notes (info) never stop a post, so only the two severities that count are described.
      const allowed = OVERRIDABLE.filter((s) => p.allowOverride[s]).map((s) => OVERRIDE_NAMES[s]);
      const refused = OVERRIDABLE.filter((s) => !p.allowOverride[s]).map((s) => OVERRIDE_NAMES[s]);
      if (!refused.length) return 'Allowed for every finding, with a reason';
      if (!allowed.length) return 'Not allowed: every flag must be fixed before posting';
      return `Allowed past ${allowed.join(' and ')} (with a reason), not past ${refused.join(' and ')}`;
    },
  },
  failMode: {
    label: "If your organisation's pack cannot be loaded",
    value: (p) => (p.failMode === 'closed' ? 'Posts are held until it loads' : 'Drafts are checked with the packs that are available'),
  },
  siteAllowlist: { label: 'ReplyGuard always checks (and only checks) these sites', value: (p) => list(p.siteAllowlist, 'none') },
  siteBlocklist: { label: 'ReplyGuard never checks these sites', value: (p) => list(p.siteBlocklist, 'none') },
  historyRetentionDays: {
    label: 'Flagged drafts are kept for',
    value: (p) => (p.historyRetentionDays === 0 ? 'Not kept at all' : count(p.historyRetentionDays, 'day')),
  },
  storeFullText: {
    label: 'Flagged drafts are saved',
    value: (p) => (p.storeFullText ? 'In full' : 'With the flagged words hidden'),
  },
  auditEndpoint: {
    label: 'Reports about flags are sent to',
    value: (p) => p.auditEndpoint ?? 'nowhere (no valid address was given)',
  },
  auditPacks: { label: 'Packs on trial (recorded, never shown to you)', value: (p) => list(p.auditPacks, 'none') },
};

export interface PolicyLine {
  key: ManagedKey;
  label: string;
  value: string;
}

/** One line per setting the organisation set, in the order the policy format lists them. */
export function policyLines(status: StatusView): PolicyLine[] {
  const order = Object.keys(DESCRIBE) as ManagedKey[];
  return order
    .filter((key) => status.configured.includes(key))
    .map((key) => ({ key, label: DESCRIBE[key].label, value: DESCRIBE[key].value(status.policy) }));
}
