/**
 * The keyword prefilter: one Aho-Corasick pass over a sentence tells which
 * rules have a keyword in it, so rules whose keywords are absent cost
 * nothing. (Testing each of a thousand keywords with includes() cost more
 * than most rules themselves.) Keywords and sentences are compared in
 * keywordForm (text.ts).
 */

/** A trie node while the index is built. */
interface Node {
  next: Map<number, number>;
  fail: number;
  /** Rule indexes whose keyword ends here (including via fail links, merged at build time). */
  rules: number[];
}

/** Code units below this leave the root through a direct table rather than a search. */
const ROOT_TABLE = 128;

/**
 * The automaton is built with Map nodes, then packed into a few typed arrays:
 * a check reads one node per character of the sentence, and between two
 * sentences the rules run and push the automaton out of the CPU caches, so
 * thousands of scattered Map objects cost far more in a real check than in a
 * tight loop. Packed, it is a few hundred kilobytes read in order.
 */
export class KeywordIndex {
  /** Rules without keywords: they run on every sentence. */
  readonly always: number[] = [];
  /** Node n's transitions are labels/targets[edgeStart[n] .. edgeStart[n + 1]), sorted by label. */
  private edgeStart: Int32Array;
  private labels: Uint16Array;
  private targets: Int32Array;
  /** The root's transitions for code units below ROOT_TABLE (0: stay at the root). */
  private rootTable: Int32Array;
  private fail: Int32Array;
  /** Node n marks rules outRules[outStart[n] .. outStart[n + 1]). */
  private outStart: Int32Array;
  private outRules: Int32Array;

  constructor(keywordsByRule: Array<string[] | null | undefined>) {
    const nodes: Node[] = [{ next: new Map(), fail: 0, rules: [] }];
    keywordsByRule.forEach((keywords, rule) => {
      if (!keywords) {
        if (keywords === null) this.always.push(rule);
        return;
      }
      for (const k of keywords) if (k) add(nodes, k, rule);
    });
    link(nodes);

    this.edgeStart = new Int32Array(nodes.length + 1);
    this.outStart = new Int32Array(nodes.length + 1);
    let edges = 0;
    let outs = 0;
    nodes.forEach((node, n) => {
      this.edgeStart[n] = edges;
      this.outStart[n] = outs;
      edges += node.next.size;
      outs += node.rules.length;
    });
    this.edgeStart[nodes.length] = edges;
    this.outStart[nodes.length] = outs;
    this.labels = new Uint16Array(edges);
    this.targets = new Int32Array(edges);
    this.outRules = new Int32Array(outs);
    this.fail = new Int32Array(nodes.length);
    this.rootTable = new Int32Array(ROOT_TABLE);
    nodes.forEach((node, n) => {
      let e = this.edgeStart[n]!;
      for (const [label, to] of [...node.next].sort((a, b) => a[0] - b[0])) {
        this.labels[e] = label;
        this.targets[e++] = to;
        if (n === 0 && label < ROOT_TABLE) this.rootTable[label] = to;
      }
      this.outRules.set(node.rules, this.outStart[n]!);
      this.fail[n] = node.fail;
    });
  }

  /** The node reached from node n by code unit ch, or -1. */
  private step(n: number, ch: number): number {
    if (n === 0 && ch < ROOT_TABLE) return this.rootTable[ch]! || -1;
    let lo = this.edgeStart[n]!;
    let hi = this.edgeStart[n + 1]! - 1;
    const labels = this.labels;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const l = labels[mid]!;
      if (l === ch) return this.targets[mid]!;
      if (l < ch) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Marks in `out` every rule with a keyword in `text` (already in keywordForm).
   * Works on UTF-16 code units: for well-formed strings a keyword occurs as
   * code units exactly where it occurs as characters.
   */
  matchInto(text: string, out: Uint8Array): void {
    const { fail, outStart, outRules } = this;
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      let to = this.step(n, ch);
      while (to < 0 && n !== 0) {
        n = fail[n]!;
        to = this.step(n, ch);
      }
      n = to < 0 ? 0 : to;
      for (let r = outStart[n]!, end = outStart[n + 1]!; r < end; r++) out[outRules[r]!] = 1;
    }
  }
}

function add(nodes: Node[], keyword: string, rule: number): void {
  let n = 0;
  for (let i = 0; i < keyword.length; i++) {
    const ch = keyword.charCodeAt(i);
    let to = nodes[n]!.next.get(ch);
    if (to === undefined) {
      to = nodes.length;
      nodes.push({ next: new Map(), fail: 0, rules: [] });
      nodes[n]!.next.set(ch, to);
    }
    n = to;
  }
  const rules = nodes[n]!.rules;
  if (!rules.includes(rule)) rules.push(rule);
}

/** Breadth-first failure links, merging each node's rules with its fail node's. */
function link(nodes: Node[]): void {
  const queue: number[] = [...nodes[0]!.next.values()];
  for (let q = 0; q < queue.length; q++) {
    const node = nodes[queue[q]!]!;
    for (const [ch, to] of node.next) {
      let f = node.fail;
      while (f !== 0 && !nodes[f]!.next.has(ch)) f = nodes[f]!.fail;
      const fto = nodes[f]!.next.get(ch);
      const target = nodes[to]!;
      target.fail = fto !== undefined && fto !== to ? fto : 0;
      for (const r of nodes[target.fail]!.rules) if (!target.rules.includes(r)) target.rules.push(r);
      queue.push(to);
    }
  }
}
