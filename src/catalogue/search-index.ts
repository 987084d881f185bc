/**
 * The union catalogue's search index, held in memory by each server process and derived from
 * the database (which stays the only source of truth; see search-engine.ts for how it is built
 * and kept current).
 *
 * Records get dense ordinals. Each folded word has a posting list of ordinals with a bit mask of
 * the fields it occurs in (title, authors, subjects, the rest); each word with its marks has a
 * posting list for the exact-tone bonus; each record's folded words are kept in order (a forward
 * index) for phrases and proximity. Facet values live in typed arrays, so counting them over a
 * result set of hundreds of thousands of records takes a few milliseconds. A changed record gets
 * a new ordinal and its old one is marked dead; a change of holdings only is applied in place.
 */
import { materialTypes } from './extract.js';
import type { QueryTerm } from './query.js';

/** Field bits, in weight order. */
const TITLE = 1;
const AUTHOR = 2;
const SUBJECT = 4;
const REST = 8;
const FIELD_BITS = [TITLE, AUTHOR, SUBJECT, REST] as const;
/** Field weights, as the database ranking gives them (title A 1.0, authors B 0.4, subjects C 0.2, the rest D 0.1). */
const WEIGHTS = [1, 0.4, 0.2, 0.1] as const;
const MASK = { any: TITLE | AUTHOR | SUBJECT | REST, title: TITLE, author: AUTHOR, subject: SUBJECT } as const;
/** The largest proximity bonus: below one exact-tone word, so marks still decide first. */
const MAX_PROXIMITY = 0.5;
const SORT_PREFIX = 32;

export interface IndexedRecord {
  id: string;
  titleFolded: string;
  authorFolded: string;
  subjectFolded: string;
  restFolded: string;
  toneWords: string[];
  isbns: string[];
  materialType: string;
  language: string | null;
  ddcClass: number | null;
  year: number | null;
  /** The collation sort key (sortKeyVi of the title); only its first characters are kept. */
  sortKey: string;
}

export interface Holding {
  institutionId: string;
  available: boolean;
}

export interface IndexQuery {
  terms: QueryTerm[];
  /** ISBN-13s that must all be present; a null never matches. */
  isbns: Array<string | null>;
  library?: string;
  material?: string;
  language?: string;
  ddc?: number;
  yearFrom?: number;
  yearTo?: number;
  available?: boolean;
  sort: 'relevance' | 'title' | 'year';
  /** How many of the best hits to return, in order (offset + page size). */
  limit: number;
}

export interface IndexFacets {
  total: number;
  library: Map<string, number>;
  material: Map<string, number>;
  language: Map<string, number>;
  decade: Map<number, number>;
  ddc: Map<number, number>;
  available: number;
}

export interface IndexHit {
  id: string;
  score: number;
  /** The indexed sort key prefix; equal prefixes are ordered by the full key by the caller. */
  sortPrefix: string;
  year: number | null;
}

export interface IndexResult {
  facets: IndexFacets;
  /** The best `limit` hits, in order; ties of score and sort prefix are grouped for the caller to settle. */
  hits: IndexHit[];
  /** Ids of every hit tied with the last returned one (same score, year and sort prefix), when some of them did not fit. */
  boundaryTies: string[] | null;
}

class Postings {
  ords = new Uint32Array(4);
  flags = new Uint8Array(4);
  n = 0;

  push(ord: number, flag: number): void {
    if (this.n === this.ords.length) {
      const ords = new Uint32Array(this.n * 2);
      ords.set(this.ords);
      this.ords = ords;
      const flags = new Uint8Array(this.n * 2);
      flags.set(this.flags);
      this.flags = flags;
    }
    this.ords[this.n] = ord;
    this.flags[this.n] = flag;
    this.n++;
  }
}

function grown<T extends Uint8Array | Uint16Array | Uint32Array | Int16Array | Int8Array | Float64Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** FNV-1a over the searchable parts of a record, to tell a change of text from a change of holdings. */
function fingerprint(r: IndexedRecord): number {
  const s = [r.titleFolded, r.authorFolded, r.subjectFolded, r.restFolded, r.toneWords.join(' '), r.isbns.join(' '),
    r.materialType, r.language ?? '', r.ddcClass ?? '', r.year ?? '', r.sortKey.slice(0, SORT_PREFIX)].join('\u0001');
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Sorted intersection of two ascending ordinal lists. */
function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, k);
}

export class CatalogueSearchIndex {
  private size = 0;
  private readonly ids: string[] = [];
  private readonly ordinalOf = new Map<string, number>();
  private dead = new Uint8Array(1024);
  private deadCount = 0;
  private hash = new Uint32Array(1024);
  private material = new Uint8Array(1024);
  private language = new Uint16Array(1024);
  private ddc = new Int8Array(1024);
  private year = new Int16Array(1024);
  /** One holding per record: (library + 1) * 2 + available, 0 for none; records held by several libraries are in `moreHoldings`. */
  private holding = new Uint32Array(1024);
  private readonly moreHoldings = new Map<number, Uint32Array>();
  private readonly sortPrefix: string[] = [];
  /** Forward index: each record's words as term id * 4 + field number, in order. */
  private tokens = new Uint32Array(1 << 16);
  private tokenCount = 0;
  private tokenStart = new Uint32Array(1024);
  private tokenEnd = new Uint32Array(1024);
  private readonly termIds = new Map<string, number>();
  private readonly postings: Postings[] = [];
  private readonly tonePostings = new Map<string, Postings>();
  private readonly isbnPostings = new Map<string, Postings>();
  private readonly languages: string[] = [];
  private readonly languageIds = new Map<string, number>();
  private readonly libraries: string[] = [];
  private readonly libraryIds = new Map<string, number>();
  private readonly materialIds = new Map<string, number>(materialTypes.map((m, i) => [m, i]));

  /** Records in the index (live ones). */
  get count(): number {
    return this.size - this.deadCount;
  }

  /** The share of ordinals that are dead; a rebuild pays off when it is large. */
  get deadShare(): number {
    return this.size ? this.deadCount / this.size : 0;
  }

  has(id: string): boolean {
    return this.ordinalOf.has(id);
  }

  /** Adds or replaces a record with its holdings. */
  put(r: IndexedRecord, holdings: Holding[]): void {
    const old = this.ordinalOf.get(r.id);
    const h = fingerprint(r);
    if (old !== undefined && this.hash[old] === h) {
      this.setHoldings(old, holdings);
      return;
    }
    if (old !== undefined) this.kill(old);
    const ord = this.size++;
    this.ensureCapacity(this.size);
    this.ids[ord] = r.id;
    this.ordinalOf.set(r.id, ord);
    this.hash[ord] = h;
    this.material[ord] = this.materialIds.get(r.materialType) ?? 255;
    this.language[ord] = r.language ? this.idOf(this.languageIds, this.languages, r.language) + 1 : 0;
    this.ddc[ord] = r.ddcClass ?? -1;
    this.year[ord] = r.year ?? 0;
    this.sortPrefix[ord] = r.sortKey.length > SORT_PREFIX ? r.sortKey.slice(0, SORT_PREFIX) : r.sortKey;
    this.setHoldings(ord, holdings);
    this.addText(ord, [r.titleFolded, r.authorFolded, r.subjectFolded, r.restFolded]);
    for (const w of r.toneWords) this.postingsIn(this.tonePostings, w).push(ord, 0);
    for (const isbn of new Set(r.isbns)) this.postingsIn(this.isbnPostings, isbn).push(ord, 0);
  }

  remove(id: string): void {
    const ord = this.ordinalOf.get(id);
    if (ord !== undefined) this.kill(ord);
  }

  private kill(ord: number): void {
    this.ordinalOf.delete(this.ids[ord] as string);
    this.dead[ord] = 1;
    this.deadCount++;
    this.moreHoldings.delete(ord);
    this.holding[ord] = 0;
  }

  private ensureCapacity(n: number): void {
    this.dead = grown(this.dead, n, (k) => new Uint8Array(k));
    this.hash = grown(this.hash, n, (k) => new Uint32Array(k));
    this.material = grown(this.material, n, (k) => new Uint8Array(k));
    this.language = grown(this.language, n, (k) => new Uint16Array(k));
    this.ddc = grown(this.ddc, n, (k) => new Int8Array(k));
    this.year = grown(this.year, n, (k) => new Int16Array(k));
    this.holding = grown(this.holding, n, (k) => new Uint32Array(k));
    this.tokenStart = grown(this.tokenStart, n, (k) => new Uint32Array(k));
    this.tokenEnd = grown(this.tokenEnd, n, (k) => new Uint32Array(k));
  }

  private idOf(ids: Map<string, number>, names: string[], name: string): number {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      ids.set(name, id);
    }
    return id;
  }

  private postingsIn(map: Map<string, Postings>, key: string): Postings {
    let p = map.get(key);
    if (!p) {
      p = new Postings();
      map.set(key, p);
    }
    return p;
  }

  private setHoldings(ord: number, holdings: Holding[]): void {
    const codes = new Map<number, number>();
    for (const h of holdings) {
      const lib = this.idOf(this.libraryIds, this.libraries, h.institutionId);
      codes.set(lib, (codes.get(lib) ?? 0) | (h.available ? 1 : 0));
    }
    const packed = [...codes].map(([lib, avail]) => (lib + 1) * 2 + avail);
    this.holding[ord] = packed[0] ?? 0;
    if (packed.length > 1) this.moreHoldings.set(ord, Uint32Array.from(packed.slice(1)));
    else this.moreHoldings.delete(ord);
  }

  private addText(ord: number, parts: string[]): void {
    const flags = new Map<number, number>();
    this.tokenStart[ord] = this.tokenCount;
    parts.forEach((text, field) => {
      if (!text) return;
      for (const w of text.split(' ')) {
        if (!w) continue;
        let term = this.termIds.get(w);
        if (term === undefined) {
          term = this.postings.length;
          this.termIds.set(w, term);
          this.postings.push(new Postings());
        }
        flags.set(term, (flags.get(term) ?? 0) | (FIELD_BITS[field] as number));
        this.tokens = grown(this.tokens, this.tokenCount + 1, (k) => new Uint32Array(k));
        this.tokens[this.tokenCount++] = term * 4 + field;
      }
    });
    this.tokenEnd[ord] = this.tokenCount;
    for (const [term, flag] of flags) (this.postings[term] as Postings).push(ord, flag);
  }

  /** Ordinals matching one query term (a word or a phrase) in its field. */
  private matchTerm(t: QueryTerm): Uint32Array {
    const mask = MASK[t.field];
    const lists: Postings[] = [];
    for (const w of t.folded) {
      const id = this.termIds.get(w);
      if (id === undefined) return new Uint32Array(0);
      lists.push(this.postings[id] as Postings);
    }
    lists.sort((a, b) => a.n - b.n);
    let acc: Uint32Array | null = null;
    for (const p of lists) {
      const own = new Uint32Array(p.n);
      let k = 0;
      for (let i = 0; i < p.n; i++) if ((p.flags[i] as number) & mask) own[k++] = p.ords[i] as number;
      acc = acc ? intersect(acc, own.subarray(0, k)) : own.subarray(0, k);
      if (!acc.length) return acc;
    }
    if (!acc || t.folded.length < 2) return acc ?? new Uint32Array(0);
    const ids = t.folded.map((w) => this.termIds.get(w) as number);
    const out = new Uint32Array(acc.length);
    let k = 0;
    for (const ord of acc) if (this.phraseAt(ord, ids, mask) > 0) out[k++] = ord;
    return out.subarray(0, k);
  }

  /** The best field weight at which the words appear adjacent and in order in one field; 0 if nowhere. */
  private phraseAt(ord: number, ids: number[], mask: number): number {
    const start = this.tokenStart[ord] as number;
    const end = this.tokenEnd[ord] as number;
    let best = 0;
    for (let i = start; i + ids.length <= end; i++) {
      const first = this.tokens[i] as number;
      if (first >>> 2 !== ids[0]) continue;
      const field = first & 3;
      if (!(mask & (FIELD_BITS[field] as number))) continue;
      let ok = true;
      for (let j = 1; j < ids.length && ok; j++) {
        const tok = this.tokens[i + j] as number;
        ok = tok >>> 2 === ids[j] && (tok & 3) === field;
      }
      if (ok) best = Math.max(best, WEIGHTS[field] as number);
    }
    return best;
  }

  private libraryHeld(ord: number, lib: number, needAvailable: boolean): boolean {
    const test = (code: number) => code !== 0 && (lib < 0 || (code >> 1) - 1 === lib) && (!needAvailable || (code & 1) === 1);
    if (test(this.holding[ord] as number)) return true;
    const more = this.moreHoldings.get(ord);
    return more ? more.some(test) : false;
  }

  /** Runs a query: exact facets over every hit and the best `limit` hits in order. */
  search(q: IndexQuery): IndexResult {
    const candidates = this.candidates(q);
    const lib = q.library === undefined ? -2 : this.libraryIds.get(q.library) ?? -3;
    const material = q.material === undefined ? -1 : this.materialIds.get(q.material) ?? -2;
    const language = q.language === undefined ? -1 : this.languageIds.has(q.language) ? (this.languageIds.get(q.language) as number) + 1 : -2;
    const facets: IndexFacets = { total: 0, library: new Map(), material: new Map(), language: new Map(), decade: new Map(), ddc: new Map(), available: 0 };
    if (lib === -3 || material === -2 || language === -2) return { facets, hits: [], boundaryTies: null };
    const libCounts = new Uint32Array(this.libraries.length);
    const materialCounts = new Uint32Array(256);
    const languageCounts = new Uint32Array(this.languages.length + 1);
    const ddcCounts = new Uint32Array(10);
    const decadeCounts = new Map<number, number>();
    const hits: number[] = [];
    const visit = (ord: number) => {
      if (this.dead[ord]) return;
      if (material >= 0 && this.material[ord] !== material) return;
      if (language >= 0 && this.language[ord] !== language) return;
      if (q.ddc !== undefined && this.ddc[ord] !== q.ddc) return;
      const year = this.year[ord] as number;
      if (q.yearFrom !== undefined && (year === 0 || year < q.yearFrom)) return;
      if (q.yearTo !== undefined && (year === 0 || year > q.yearTo)) return;
      if (lib >= 0 && !this.libraryHeld(ord, lib, false)) return;
      if (q.available && !this.libraryHeld(ord, lib >= 0 ? lib : -1, true)) return;
      hits.push(ord);
      materialCounts[this.material[ord] as number]!++;
      languageCounts[this.language[ord] as number]!++;
      const d = this.ddc[ord] as number;
      if (d >= 0) ddcCounts[d]!++;
      if (year !== 0) {
        const decade = Math.floor(year / 10) * 10;
        decadeCounts.set(decade, (decadeCounts.get(decade) ?? 0) + 1);
      }
      let anyAvailable = false;
      const h = this.holding[ord] as number;
      if (h) {
        libCounts[(h >> 1) - 1]!++;
        anyAvailable = (h & 1) === 1;
        const more = this.moreHoldings.get(ord);
        if (more) {
          for (const code of more) {
            libCounts[(code >> 1) - 1]!++;
            anyAvailable ||= (code & 1) === 1;
          }
        }
      }
      if (anyAvailable) facets.available++;
    };
    if (candidates) for (const ord of candidates) visit(ord);
    else for (let ord = 0; ord < this.size; ord++) visit(ord);
    facets.total = hits.length;
    libCounts.forEach((n, i) => n && facets.library.set(this.libraries[i] as string, n));
    materialCounts.forEach((n, i) => n && i < materialTypes.length && facets.material.set(materialTypes[i] as string, n));
    languageCounts.forEach((n, i) => n && i > 0 && facets.language.set(this.languages[i - 1] as string, n));
    ddcCounts.forEach((n, i) => n && facets.ddc.set(i, n));
    facets.decade = decadeCounts;
    return { facets, ...this.best(q, hits) };
  }

  /** Ordinals matching every term and ISBN (ascending), or null when the query has none (every record). */
  private candidates(q: IndexQuery): Uint32Array | null {
    const lists: Uint32Array[] = [];
    for (const isbn of q.isbns) {
      const p = isbn ? this.isbnPostings.get(isbn) : undefined;
      if (!p) return new Uint32Array(0);
      lists.push(p.ords.subarray(0, p.n));
    }
    for (const t of q.terms) lists.push(this.matchTerm(t));
    if (!lists.length) return null;
    lists.sort((a, b) => a.length - b.length);
    return lists.reduce((acc, l) => intersect(acc, l));
  }

  private best(q: IndexQuery, hits: number[]): Omit<IndexResult, 'facets'> {
    const scores = q.sort === 'relevance' && q.terms.length ? this.scores(q, hits) : null;
    const score = (i: number) => (scores ? (scores[i] as number) : 0);
    const yearKey = (ord: number) => (q.sort === 'year' ? -(this.year[ord] || -32768) : 0);
    // Order: score desc, then (for year) year desc with no year last, then sort prefix, then id.
    const better = (i: number, j: number) => {
      const a = hits[i] as number;
      const b = hits[j] as number;
      const ds = score(i) - score(j);
      if (ds) return ds > 0;
      const dy = yearKey(a) - yearKey(b);
      if (dy) return dy < 0;
      const pa = this.sortPrefix[a] as string;
      const pb = this.sortPrefix[b] as string;
      if (pa !== pb) return pa < pb;
      return (this.ids[a] as string) < (this.ids[b] as string);
    };
    const top = selectTop(hits.length, Math.min(q.limit, hits.length), better);
    const toHit = (i: number): IndexHit => {
      const ord = hits[i] as number;
      return { id: this.ids[ord] as string, score: score(i), sortPrefix: this.sortPrefix[ord] as string, year: this.year[ord] || null };
    };
    const last = top[top.length - 1];
    let boundaryTies: string[] | null = null;
    if (last !== undefined && top.length < hits.length) {
      const same = (i: number) => score(i) === score(last) && yearKey(hits[i] as number) === yearKey(hits[last] as number)
        && this.sortPrefix[hits[i] as number] === this.sortPrefix[hits[last] as number];
      const ties: string[] = [];
      for (let i = 0; i < hits.length; i++) if (same(i)) ties.push(this.ids[hits[i] as number] as string);
      const inTop = top.filter(same).length;
      if (ties.length > inTop) boundaryTies = ties;
    }
    return { hits: top.map(toHit), boundaryTies };
  }

  /**
   * Relevance of each hit: one point per query word found with the very same marks, then the
   * best field weight of each query word (normalised by the record's length), then a bonus when
   * the words of an unquoted query stand next to each other in one field. The bonus is only
   * worked out where it can change the order of the best hits.
   */
  private scores(q: IndexQuery, hits: number[]): Float64Array {
    const tone = new Float64Array(hits.length);
    for (const w of new Set(q.terms.flatMap((t) => t.tones))) {
      const p = this.tonePostings.get(w);
      if (p) walk(p, hits, (i) => { tone[i] = (tone[i] as number) + 1; });
    }
    const weight = new Float64Array(hits.length);
    const words = q.terms.flatMap((t) => t.folded.map((w) => ({ term: this.termIds.get(w), mask: MASK[t.field] })));
    for (const { term, mask } of words) {
      if (term === undefined) continue;
      walk(this.postings[term] as Postings, hits, (i, flags) => {
        const own = flags & mask;
        weight[i] = (weight[i] as number) + (WEIGHTS[own & TITLE ? 0 : own & AUTHOR ? 1 : own & SUBJECT ? 2 : 3] as number);
      });
    }
    const scores = new Float64Array(hits.length);
    hits.forEach((ord, i) => {
      const length = (this.tokenEnd[ord] as number) - (this.tokenStart[ord] as number);
      scores[i] = (tone[i] as number) + (weight[i] as number) / Math.max(1, words.length) / (1 + Math.log(1 + length));
    });
    const loose = q.terms.filter((t) => !t.phrase && t.folded.length === 1);
    if (loose.length < 2) return scores;
    const ids = loose.map((t) => this.termIds.get(t.folded[0] as string) ?? -1);
    const top = selectTop(hits.length, Math.min(q.limit, hits.length), (i, j) => (scores[i] as number) > (scores[j] as number));
    const floor = (scores[top[top.length - 1] as number] ?? 0) - MAX_PROXIMITY;
    hits.forEach((ord, i) => {
      if ((scores[i] as number) < floor) return;
      let adjacent = 0;
      for (let p = 0; p + 1 < ids.length; p++) adjacent += this.phraseAt(ord, [ids[p] as number, ids[p + 1] as number], MASK.any);
      scores[i] = (scores[i] as number) + (MAX_PROXIMITY * adjacent) / (ids.length - 1);
    });
    return scores;
  }
}

/** Calls `fn` for each hit (ascending ordinals) found in the posting list, with its field flags: a merge of two sorted lists. */
function walk(p: Postings, hits: number[], fn: (hitIndex: number, flags: number) => void): void {
  let i = 0;
  let j = 0;
  while (i < p.n && j < hits.length) {
    const a = p.ords[i] as number;
    const b = hits[j] as number;
    if (a === b) {
      fn(j, p.flags[i] as number);
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
}

/** Indexes of the best `k` of `n` elements in order, by a strict "better" comparison (a bounded heap). */
function selectTop(n: number, k: number, better: (i: number, j: number) => boolean): number[] {
  if (k <= 0) return [];
  const heap: number[] = [];
  const worse = (i: number, j: number) => better(j, i);
  const up = (c: number) => {
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!worse(heap[c] as number, heap[p] as number)) break;
      [heap[c], heap[p]] = [heap[p] as number, heap[c] as number];
      c = p;
    }
  };
  const down = (c: number) => {
    for (;;) {
      const l = 2 * c + 1;
      const r = l + 1;
      let m = c;
      if (l < heap.length && worse(heap[l] as number, heap[m] as number)) m = l;
      if (r < heap.length && worse(heap[r] as number, heap[m] as number)) m = r;
      if (m === c) return;
      [heap[c], heap[m]] = [heap[m] as number, heap[c] as number];
      c = m;
    }
  };
  for (let i = 0; i < n; i++) {
    if (heap.length < k) {
      heap.push(i);
      up(heap.length - 1);
    } else if (better(i, heap[0] as number)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
