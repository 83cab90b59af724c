/**
 * The engine host: runs in the background service worker, compiles the pack once (lazily, on the
 * first check) and answers check requests from content scripts. check() memoises sentence results
 * per compiled pack, so re-checking a draft after a keystroke only re-analyses the changed
 * sentence.
 */
import { check } from '../engine/check';
import { compilePack } from '../engine/compile';
import type { PackInput } from '../engine/schema';
import type { CompiledPack } from '../engine/types';
import { CHECK_MESSAGE, WARM_MESSAGE, type CheckResponse } from './protocol';

/** Exercises every rule kind once (the NLP rules load compromise on first use). */
const WARM_UP_TEXT = 'Thanks for your message: we will look into this and reply to you by Friday.';

export interface EngineHost {
  /** A promise of the reply for a check or warm request; undefined for any other message. */
  handle(message: unknown): Promise<CheckResponse> | undefined;
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, '; ');
}

export function createEngineHost(loadPack: () => unknown | Promise<unknown>): EngineHost {
  let compiled: Promise<CompiledPack> | undefined;
  const pack = (): Promise<CompiledPack> =>
    (compiled ??= Promise.resolve()
      .then(loadPack)
      .then((input) => compilePack(input as PackInput)));

  return {
    handle(message) {
      const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
      if (type === WARM_MESSAGE) {
        return pack().then(
          (p): CheckResponse => (check(p, WARM_UP_TEXT), { ok: true, findings: [] }),
          (error): CheckResponse => ({ ok: false, error: `the rule pack could not be loaded: ${oneLine(error)}` }),
        );
      }
      if (type !== CHECK_MESSAGE) return undefined;
      const text = (message as { text?: unknown }).text;
      if (typeof text !== 'string') return Promise.resolve({ ok: false, error: 'check: "text" must be a string' });
      return pack().then(
        (p): CheckResponse => {
          try {
            return { ok: true, findings: check(p, text) };
          } catch (error) {
            return { ok: false, error: `check failed: ${oneLine(error)}` };
          }
        },
        (error): CheckResponse => ({ ok: false, error: `the rule pack could not be loaded: ${oneLine(error)}` }),
      );
    },
  };
}
