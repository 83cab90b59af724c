/**
 * The one place detectors are registered: import the detector's file and
 * add it to this map. A pack names a detector by its key.
 */
import { classifierDetector } from './classifier';
import { emailDetector } from './email';
import { evaluationDetector } from './evaluation';
import { phoneDetector } from './phone';
import { profanityDetector } from './profanity';
import { shoutingDetector } from './shouting';
import type { Detector } from './types';

export const DETECTORS: Record<string, Detector<any>> = {
  classifier: classifierDetector,
  email: emailDetector,
  evaluation: evaluationDetector,
  phone: phoneDetector,
  profanity: profanityDetector,
  shouting: shoutingDetector,
};
