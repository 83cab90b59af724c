/** detector: a named built-in detector (src/engine/detectors/) with options. */
import { DETECTORS } from '../detectors';
import type { DetectorRule } from '../schema';
import type { RuleKind } from '../types';
import { PackCompileError } from '../types';

export const detectorKind: RuleKind<DetectorRule> = {
  kind: 'detector',
  compile(rule) {
    const d = DETECTORS[rule.detector];
    if (!d)
      throw new PackCompileError(rule.id, 'detector', `unknown detector "${rule.detector}" (expected one of: ${Object.keys(DETECTORS).join(', ')})`);
    const parsed = d.options.safeParse(rule.options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new PackCompileError(rule.id, ['options', ...issue.path].join('.'), issue.message);
    }
    const inst = d.create(parsed.data);
    if (inst.findInDocument) {
      const whole = inst.findInDocument.bind(inst);
      return { scope: 'document', find: (text) => whole(text) };
    }
    return { scope: 'sentence', keywords: inst.keywords, find: (s) => inst.find(s) };
  },
};
