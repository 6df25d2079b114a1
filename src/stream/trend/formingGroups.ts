/**
 * Forming topics between refits (docs/design.md, "Emerging topics"): the newest documents that are
 * new (nothing the last refit saw is close to them) are kept with their vectors; each new one is
 * compared with all kept ones (one pass over at most `capacity` vectors), and two are neighbours at
 * cosine similarity >= `similarity`. A candidate with >= `minNeighbours` neighbours is dense; dense
 * candidates that are neighbours are joined (union-find), with the candidates next to them, and a
 * group of >= `minDocs` is a forming topic — DBSCAN on the ε-graph of recent new documents, kept up to
 * date document by document instead of clustering the window. A group keeps its id from batch to
 * batch while it keeps most of its members.
 */

export interface FormingOptions {
  similarity: number;
  minNeighbours: number;
  minDocs: number;
  capacity: number;
}

export interface FormingGroup {
  id: number;
  /** candidate slots, oldest first */
  slots: number[];
}

export class FormingGroups {
  private readonly vecs: Float32Array;
  private readonly seqs: Float64Array;
  private readonly ids: string[];
  private readonly texts: string[];
  private readonly nbrs: number[][];
  /** the group each slot was in at the last groups() call (0: none) */
  private readonly groupOf: Int32Array;
  private next = 0;
  private nextGroupId = 1;
  private count = 0;

  constructor(
    private readonly dim: number,
    private readonly o: FormingOptions,
  ) {
    this.vecs = new Float32Array(o.capacity * dim);
    this.seqs = new Float64Array(o.capacity).fill(-1);
    this.ids = new Array<string>(o.capacity).fill('');
    this.texts = new Array<string>(o.capacity).fill('');
    this.nbrs = Array.from({ length: o.capacity }, () => []);
    this.groupOf = new Int32Array(o.capacity);
  }

  get size(): number {
    return this.count;
  }

  /** A new candidate (L2-normalised vector); the oldest leaves when full. */
  add(seq: number, id: string, text: string, vec: Float32Array): void {
    const { dim, vecs, seqs } = this;
    const slot = this.next;
    this.next = (slot + 1) % this.o.capacity;
    if (seqs[slot]! >= 0) this.remove(slot);
    vecs.set(vec, slot * dim);
    seqs[slot] = seq;
    this.ids[slot] = id;
    this.texts[slot] = text;
    this.count++;
    const mine = this.nbrs[slot]!;
    for (let j = 0; j < this.o.capacity; j++) {
      if (j === slot || seqs[j]! < 0) continue;
      let dot = 0;
      const off = j * dim;
      for (let k = 0; k < dim; k++) dot += vec[k]! * vecs[off + k]!;
      if (dot >= this.o.similarity) {
        mine.push(j);
        this.nbrs[j]!.push(slot);
      }
    }
  }

  /** Drops the candidates up to this sequence number (a refit has seen them). */
  dropUpTo(seq: number): void {
    for (let s = 0; s < this.o.capacity; s++) if (this.seqs[s]! >= 0 && this.seqs[s]! <= seq) this.remove(s);
  }

  private remove(slot: number): void {
    for (const n of this.nbrs[slot]!) {
      const list = this.nbrs[n]!;
      const at = list.indexOf(slot);
      if (at >= 0) list.splice(at, 1);
    }
    this.nbrs[slot]!.length = 0;
    this.seqs[slot] = -1;
    this.ids[slot] = '';
    this.texts[slot] = '';
    this.groupOf[slot] = 0;
    this.count--;
  }

  /** The forming topics now, largest first, each with the id it had at the last call when most of its members were in it. */
  groups(): FormingGroup[] {
    const cap = this.o.capacity;
    const parent = Int32Array.from({ length: cap }, (_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) {
        parent[i] = parent[parent[i]!]!;
        i = parent[i]!;
      }
      return i;
    };
    const core = (s: number) => this.seqs[s]! >= 0 && this.nbrs[s]!.length >= this.o.minNeighbours;
    for (let s = 0; s < cap; s++) {
      if (!core(s)) continue;
      for (const n of this.nbrs[s]!) if (core(n)) parent[find(n)] = find(s);
    }
    const members = new Map<number, number[]>();
    for (let s = 0; s < cap; s++) {
      if (this.seqs[s]! < 0) continue;
      // a dense candidate is in its own component; another joins the component of its first dense neighbour
      const anchor = core(s) ? s : this.nbrs[s]!.find(core);
      if (anchor === undefined) continue;
      const root = find(anchor);
      let list = members.get(root);
      if (!list) members.set(root, (list = []));
      list.push(s);
    }
    const found = [...members.values()].filter((m) => m.length >= this.o.minDocs).sort((a, b) => b.length - a.length);
    const taken = new Set<number>();
    const out: FormingGroup[] = [];
    for (const slots of found) {
      const votes = new Map<number, number>();
      for (const s of slots) if (this.groupOf[s]! > 0) votes.set(this.groupOf[s]!, (votes.get(this.groupOf[s]!) ?? 0) + 1);
      let id = 0;
      let best = 0;
      for (const [g, v] of votes) if (!taken.has(g) && (v > best || (v === best && g < id))) [id, best] = [g, v];
      if (id === 0) id = this.nextGroupId++;
      taken.add(id);
      slots.sort((a, b) => this.seqs[a]! - this.seqs[b]!);
      out.push({ id, slots });
    }
    this.groupOf.fill(0);
    for (const g of out) for (const s of g.slots) this.groupOf[s] = g.id;
    return out;
  }

  doc(slot: number): { seq: number; id: string; text: string } {
    return { seq: this.seqs[slot]!, id: this.ids[slot]!, text: this.texts[slot]! };
  }
}
