/** What the writer sees of the engine's findings. Type-only engine imports: nothing is bundled. */
import type { Finding } from '../engine/types';

export type Severity = Finding['severity'];

/** Findings the writer is shown: audit-mode findings are recorded, never shown. */
export function visible(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.mode === 'enforce');
}

/** Shown findings that count as a flag (warning or block): these stop a submission. */
export function flags(findings: readonly Finding[]): Finding[] {
  return visible(findings).filter((f) => f.severity === 'warning' || f.severity === 'block');
}

export function highestSeverity(findings: readonly Finding[]): Severity | 'none' {
  if (findings.some((f) => f.severity === 'block')) return 'block';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  if (findings.some((f) => f.severity === 'info')) return 'info';
  return 'none';
}

/**
 * Whether "Post anyway" may be offered past these findings: every shown flag has a severity the
 * organisation's policy lets the writer override (its allowOverride, per severity), and no pack
 * or rule forbids overriding it (the finding's overridable: false).
 */
export function overridable(findings: readonly Finding[], allowOverride: Record<Severity, boolean>): boolean {
  return flags(findings).every((f) => allowOverride[f.severity] && f.overridable !== false);
}
