/**
 * Messages between the content script and the background engine host. Type-only for the content
 * script (it imports nothing from the engine at run time, so the injected bundle stays small).
 */
import type { Finding } from '../engine/types';

export const CHECK_MESSAGE = 'check';
/** Sent when a reply field is first focused: compile the pack and load the NLP before typing. */
export const WARM_MESSAGE = 'warm';
/** Sent once when the content script starts: does the policy let ReplyGuard run on this page? */
export const SITE_MESSAGE = 'site';

/** Content script -> background: check this draft against the active pack. */
export interface CheckRequest {
  type: typeof CHECK_MESSAGE;
  text: string;
}

export interface WarmRequest {
  type: typeof WARM_MESSAGE;
}

export interface SiteRequest {
  type: typeof SITE_MESSAGE;
}

/** Background -> content script: what the organisation's policy decides for the sender's page. */
export interface SiteSettings {
  /** False on a blocklisted site (or one missing from an allowlist): no checks at all. */
  enabled: boolean;
  /** Per severity: may the writer "Post anyway" past a finding of it. */
  allowOverride: Record<Finding['severity'], boolean>;
}

/** Background -> content script. The draft never leaves the browser. */
export type CheckResponse = { ok: true; findings: Finding[] } | { ok: false; error: string };
