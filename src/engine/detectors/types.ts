import type { z } from 'zod';
import type { LocalHit, SentenceInput } from '../types';

/**
 * A built-in detector: code for what a regex cannot judge well (is this
 * phone number a mobile or a council helpline? is this word profane?).
 * One detector per file in src/engine/detectors/, registered in index.ts.
 */
export interface Detector<O = unknown> {
  name: string;
  description: string;
  /** Validates the rule's `options`; its errors are shown to pack authors. */
  options: z.ZodType<O>;
  /**
   * A second opinion (the classifier): its finding is dropped when another
   * rule of the same category already flagged the draft (check.ts).
   */
  secondOpinion?: boolean;
  create(options: O): {
    keywords: string[] | null;
    find(s: SentenceInput): LocalHit[];
    /** Given, the detector reads the whole draft instead (offsets into the draft) and find is not used. */
    findInDocument?(text: string): LocalHit[];
  };
}

export function defineDetector<O>(d: Detector<O>): Detector<O> {
  return d;
}
