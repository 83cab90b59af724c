/**
 * The one place detectors are registered: import the detector's file and
 * add it to this map. A pack names a detector by its key.
 */
import type { Detector } from './types';

export const DETECTORS: Record<string, Detector<any>> = {};
