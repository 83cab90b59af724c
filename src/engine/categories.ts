/**
 * The nine finding categories. The ids are a public contract (see
 * shared/policy/categories.md): the CLI prints them, packs use them and the
 * labelled corpora are labelled with them. Never rename one.
 */
export const CATEGORIES = [
  'marking',
  'personal-data',
  'credentials',
  'internal-info',
  'unannounced',
  'legal',
  'political',
  'commitment',
  'conduct',
] as const;

export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  marking: 'Protective marking',
  'personal-data': 'Personal data',
  credentials: 'Credentials',
  'internal-info': 'Internal information',
  unannounced: 'Unannounced information',
  legal: 'Legal matters',
  political: 'Party politics',
  commitment: 'Commitment on behalf of the organisation',
  conduct: 'Tone and conduct',
};

export const SEVERITIES = ['info', 'warning', 'block'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** info and warning go up one step; block stays block. */
export function escalate(s: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.length - 1, severityRank(s) + 1)] as Severity;
}
