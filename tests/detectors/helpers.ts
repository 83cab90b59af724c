import { SentenceWords } from '../../src/engine/context';
import { DETECTORS } from '../../src/engine/detectors';
import type { LocalHit, SentenceInput } from '../../src/engine/types';

/** One sentence as the engine hands it to a detector (no compromise parse: detectors never need one). */
export function sentence(text: string): SentenceInput {
  return {
    text,
    lower: text.toLowerCase(),
    words: new SentenceWords(text),
    nlp: () => {
      throw new Error('detectors must not parse');
    },
  };
}

/** Creates a registered detector with its options validated the way a pack's rule would be. */
export function detector(name: string, options: Record<string, unknown> = {}) {
  const d = DETECTORS[name];
  if (!d) throw new Error(`no detector "${name}"`);
  const inst = d.create(d.options.parse(options));
  return {
    keywords: inst.keywords,
    /** The detector's hits on one sentence, as [text, start, end], honouring its keyword prefilter. */
    hits(text: string): Array<[string, number, number]> {
      const s = sentence(text);
      if (inst.keywords && !inst.keywords.some((k) => s.lower.includes(k))) return [];
      return inst.find(s).map((h: LocalHit) => [text.slice(h.start, h.end), h.start, h.end]);
    },
    texts(text: string): string[] {
      return this.hits(text).map(([t]) => t);
    },
  };
}

/** The first error message when validating a detector's options. */
export function optionsError(name: string, options: unknown): string | undefined {
  const r = DETECTORS[name]!.options.safeParse(options);
  return r.success ? undefined : r.error.issues[0]!.message;
}
