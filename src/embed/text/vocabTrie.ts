/**
 * WordPiece's vocabulary lookup for the fast tokenizer (wordPiece.ts): greedy longest-match-first
 * as a walk in a vocabulary trie on typed arrays (no substring per attempt). Over
 * max_input_chars_per_word code points → [UNK]; else the longest vocabulary prefix, then the
 * longest `##` piece, …; a word with an unmatchable rest → [UNK].
 */

/**
 * The vocabulary as a trie over UTF-16 units, children in one open-addressing hash table
 * (parent node, unit) → child; a node's token id or -1. Word-initial pieces hang from the root,
 * `##` pieces from the node of the prefix `##`.
 */
export class VocabTrie {
  private keyNode: Int32Array;
  private keyUnit: Int32Array;
  private child: Int32Array;
  private mask: number;
  private tokenId: Int32Array;
  private nodes = 1;
  private readonly contRoot: number;

  constructor(vocab: Record<string, number>, prefix: string) {
    const entries = Object.entries(vocab);
    let units = 0;
    for (const [t] of entries) units += t.length;
    const maxNodes = units + prefix.length + 2;
    let cap = 1;
    while (cap < maxNodes * 2) cap <<= 1;
    this.mask = cap - 1;
    this.keyNode = new Int32Array(cap).fill(-1);
    this.keyUnit = new Int32Array(cap);
    this.child = new Int32Array(cap);
    this.tokenId = new Int32Array(maxNodes).fill(-1);
    for (const [t, id] of entries) {
      let node = 0;
      for (let j = 0; j < t.length; j++) node = this.insert(node, t.charCodeAt(j));
      // on a duplicate, the Map built from the same object keeps the value it was given
      this.tokenId[node] = id;
    }
    let node = 0;
    for (let j = 0; j < prefix.length; j++) node = this.insert(node, prefix.charCodeAt(j));
    this.contRoot = node;
  }

  private slot(node: number, unit: number): number {
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca6b)) & this.mask;
    while (this.keyNode[h] !== -1 && (this.keyNode[h] !== node || this.keyUnit[h] !== unit)) h = (h + 1) & this.mask;
    return h;
  }

  private insert(node: number, unit: number): number {
    const h = this.slot(node, unit);
    if (this.keyNode[h] === -1) {
      this.keyNode[h] = node;
      this.keyUnit[h] = unit;
      this.child[h] = this.nodes++;
    }
    return this.child[h]!;
  }

  private next(node: number, unit: number): number {
    const h = this.slot(node, unit);
    return this.keyNode[h] === -1 ? -1 : this.child[h]!;
  }

  /** WordPiece of s[from, to) (`chars` code points): greedy longest match first, [UNK] for the whole word when a rest matches nothing. */
  encodeWord(s: string, from: number, to: number, chars: number, maxChars: number, unk: number, push: (id: number) => void): void {
    if (chars > maxChars) {
      push(unk);
      return;
    }
    // pieces are pushed only once the whole word is known to match: collect them first
    let count = 0;
    let start = from;
    while (start < to) {
      let node = start === from ? 0 : this.contRoot;
      let bestEnd = -1;
      let bestId = -1;
      for (let j = start; j < to; j++) {
        node = this.next(node, s.charCodeAt(j));
        if (node < 0) break;
        const id = this.tokenId[node]!;
        // an end inside a surrogate pair is no code-point boundary
        if (id >= 0 && !(j + 1 < to && isLowSurrogate(s.charCodeAt(j + 1)))) {
          bestEnd = j + 1;
          bestId = id;
        }
      }
      if (bestId < 0) {
        push(unk);
        return;
      }
      pieces[count++] = bestId;
      if (count === pieces.length) pieces = growPieces(pieces);
      start = bestEnd;
    }
    for (let p = 0; p < count; p++) push(pieces[p]!);
  }
}

let pieces: Int32Array = new Int32Array(256);
function growPieces(p: Int32Array): Int32Array {
  const b = new Int32Array(p.length * 2);
  b.set(p);
  return b;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
