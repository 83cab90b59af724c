/**
 * Messages between the content script and the background engine host. Type-only for the content
 * script (it imports nothing from the engine at run time, so the injected bundle stays small).
 */
import type { Finding } from '../engine/types';

export const CHECK_MESSAGE = 'check';
/** Sent when a reply field is first focused: compile the pack and load the NLP before typing. */
export const WARM_MESSAGE = 'warm';

/** Content script -> background: check this draft against the active pack. */
export interface CheckRequest {
  type: typeof CHECK_MESSAGE;
  text: string;
}

export interface WarmRequest {
  type: typeof WARM_MESSAGE;
}

/** Background -> content script. The draft never leaves the browser. */
export type CheckResponse = { ok: true; findings: Finding[] } | { ok: false; error: string };
