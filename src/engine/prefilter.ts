/**
 * The keyword prefilter: one Aho-Corasick pass over a sentence tells which
 * rules have a keyword in it, so rules whose keywords are absent cost
 * nothing. (Testing each of a thousand keywords with includes() cost more
 * than most rules themselves.) Keywords and sentences are compared in
 * keywordForm (text.ts).
 */

interface Node {
  /** Transitions by UTF-16 code unit (numbers, not one-character strings: no string is made per character). */
  next: Map<number, number>;
  fail: number;
  /** Rule indexes whose keyword ends here (including via fail links, merged at build time). */
  rules: number[];
}

export class KeywordIndex {
  private nodes: Node[] = [{ next: new Map(), fail: 0, rules: [] }];
  /** Rules without keywords: they run on every sentence. */
  readonly always: number[] = [];

  constructor(keywordsByRule: Array<string[] | null | undefined>) {
    keywordsByRule.forEach((keywords, rule) => {
      if (!keywords) {
        if (keywords === null) this.always.push(rule);
        return;
      }
      for (const k of keywords) if (k) this.add(k, rule);
    });
    this.link();
  }

  private add(keyword: string, rule: number): void {
    let n = 0;
    for (let i = 0; i < keyword.length; i++) {
      const ch = keyword.charCodeAt(i);
      let to = this.nodes[n]!.next.get(ch);
      if (to === undefined) {
        to = this.nodes.length;
        this.nodes.push({ next: new Map(), fail: 0, rules: [] });
        this.nodes[n]!.next.set(ch, to);
      }
      n = to;
    }
    const rules = this.nodes[n]!.rules;
    if (!rules.includes(rule)) rules.push(rule);
  }

  /** Breadth-first failure links, merging each node's rules with its fail node's. */
  private link(): void {
    const queue: number[] = [];
    for (const to of this.nodes[0]!.next.values()) queue.push(to);
    for (let q = 0; q < queue.length; q++) {
      const node = this.nodes[queue[q]!]!;
      for (const [ch, to] of node.next) {
        let f = node.fail;
        while (f !== 0 && !this.nodes[f]!.next.has(ch)) f = this.nodes[f]!.fail;
        const fto = this.nodes[f]!.next.get(ch);
        const target = this.nodes[to]!;
        target.fail = fto !== undefined && fto !== to ? fto : 0;
        for (const r of this.nodes[target.fail]!.rules) if (!target.rules.includes(r)) target.rules.push(r);
        queue.push(to);
      }
    }
  }

  /**
   * Marks in `out` every rule with a keyword in `text` (already in keywordForm).
   * Works on UTF-16 code units: for well-formed strings a keyword occurs as
   * code units exactly where it occurs as characters.
   */
  matchInto(text: string, out: Uint8Array): void {
    const nodes = this.nodes;
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      let to = nodes[n]!.next.get(ch);
      while (to === undefined && n !== 0) {
        n = nodes[n]!.fail;
        to = nodes[n]!.next.get(ch);
      }
      n = to ?? 0;
      const rules = nodes[n]!.rules;
      for (let r = 0; r < rules.length; r++) out[rules[r]!] = 1;
    }
  }
}
