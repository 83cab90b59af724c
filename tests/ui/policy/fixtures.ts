/** Policy viewer test data: packs as the background's policy host describes them. */
import { packView } from '../../../src/background/policy-host';
import type { PolicyPackView, PolicyResponse } from '../../../src/background/protocol';
import { parsePack } from '../../../src/engine/compile';
import type { PackInput } from '../../../src/engine/schema';

/** An organisation pack: a policy URL, a clause with its own URL, a near rule, an audit rule, a clause with no rules. */
export const ORG_PACK: PackInput = {
  id: 'org.social',
  name: 'Example Council pack',
  version: '3.2.1',
  publisher: 'Example Council',
  description: 'How Example Council staff reply online.',
  policy: {
    title: 'Example Council social media policy',
    version: '2026-04',
    url: 'https://intranet.example.org/policy',
    clauses: [
      { id: 'secrets', title: 'Keep project names quiet', summary: 'Code names stay internal.', source: 'Staff handbook 4.2' },
      {
        id: 'courts',
        title: 'No comment on court cases',
        summary: 'Say nothing about cases before the courts.',
        source: 'Contempt of Court Act 1981',
        url: 'https://intranet.example.org/courts',
      },
      { id: 'future', title: 'A clause for later', summary: 'Nothing checks this yet.', source: 'Board minute 12' },
    ],
  },
  rules: [
    {
      id: 'org.codename',
      kind: 'phrase',
      category: 'internal-info',
      severity: 'block',
      clause: 'secrets',
      terms: ['Project Falcon'],
      message: '"{match}" is an internal code name.',
      suggestion: 'Call it "the new service".',
      fix: { kind: 'replace', text: 'the new service' },
      allowOverride: false,
      examples: { flag: ['Project Falcon launches soon.', 'About Project Falcon: yes.'], pass: ['The new service launches soon.', 'A falcon flew by.'] },
    },
    {
      id: 'org.trial-word',
      kind: 'phrase',
      category: 'legal',
      clause: 'courts',
      terms: ['trial'],
      standalone: false,
      message: '"{match}" names a court case.',
      examples: { flag: ['The trial opens.', 'A trial date.'], pass: ['Nothing here.', 'All fine.'] },
    },
    {
      id: 'org.guilty-word',
      kind: 'phrase',
      category: 'legal',
      clause: 'courts',
      terms: ['guilty'],
      standalone: false,
      message: '"{match}" judges guilt.',
      examples: { flag: ['He is guilty.', 'Guilty!'], pass: ['Nothing here.', 'All fine.'] },
    },
    {
      id: 'org.trial-opinion',
      kind: 'near',
      category: 'legal',
      severity: 'warning',
      clause: 'courts',
      a: 'org.trial-word',
      b: 'org.guilty-word',
      within: 8,
      message: 'An opinion on a case before the courts ("{match}").',
      suggestion: 'Say you cannot comment while the case is ongoing.',
      examples: { flag: ['At the trial he will be found guilty.', 'Guilty, and the trial will show it.'], pass: ['The trial opens today.', 'Guilty pleasures.'] },
    },
    {
      id: 'org.rumour',
      kind: 'phrase',
      category: 'unannounced',
      severity: 'info',
      mode: 'audit',
      clause: 'secrets',
      terms: ['rumour'],
      message: 'A rumour: "{match}".',
      fix: { kind: 'redact' },
      examples: { flag: ['A rumour.', 'Rumour has it.'], pass: ['Nothing here.', 'All fine.'] },
    },
  ],
};

export function orgPackView(overrides: Partial<PolicyPackView> = {}): PolicyPackView {
  return {
    ...packView({ source: 'admin', origin: 'https://packs.example.org/social.json', locked: true, audit: false, pack: parsePack(ORG_PACK), shadowed: [] }),
    ...overrides,
  };
}

/** A second, user pack with one clause and one rule. */
export function userPackView(): PolicyPackView {
  const input: PackInput = {
    id: 'mine',
    name: 'My words',
    version: '0.1.0',
    publisher: 'Sam Writer',
    policy: {
      title: 'My own reminders',
      version: '1',
      clauses: [{ id: 'tone', title: 'Stay friendly', summary: 'No sarcasm.', source: 'Me' }],
    },
    rules: [
      {
        id: 'mine.sarcasm',
        kind: 'phrase',
        category: 'conduct',
        clause: 'tone',
        terms: ['obviously'],
        message: '"{match}" can sound sarcastic.',
        examples: { flag: ['Obviously you did not read it.', 'That is obviously wrong.'], pass: ['Thanks for reading.', 'That is right.'] },
      },
    ],
  };
  return packView({ source: 'user', origin: 'my-words.json', locked: false, audit: false, pack: parsePack(input), shadowed: ['org.codename'] });
}

export function policyReply(packs: PolicyPackView[] = [orgPackView(), userPackView()], problems: string[] = []): PolicyResponse {
  return { ok: true, packs, problems };
}
