/** The one place detectors are registered. */
import type { Detector } from './types';

export const DETECTORS: Record<string, Detector<any>> = {};

export function registerDetector(d: Detector<any>): void {
  DETECTORS[d.name] = d;
}
