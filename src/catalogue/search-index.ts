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
import { normalizeIsbn } from './isbn.js';
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
/**
 * The proximity bonus for words of an unquoted query standing together (times the best field
 * weight where they do, and the length normalisation): below the title weight, so a word in the
 * title still beats two words together in a note, and far below one exact-tone word.
 */
const PROXIMITY = 0.5;
const SORT_PREFIX = 32;
/**
 * The record's own ISBNs in the text of "the rest" (13 and 10 digits): one word per record
 * each, so they are kept in the ISBN lists only (a word that looks like one is looked up there).
 */
const ISBN_WORD = /^(?:\d{13}|\d{9}[\dx])$/;

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

/** What a search narrows to (library by institution id, material type, language code, DDC main class, years, available copies). */
export interface SearchFilters {
  library?: string;
  material?: string;
  language?: string;
  ddc?: number;
  yearFrom?: number;
  yearTo?: number;
  available?: boolean;
}

export interface IndexQuery extends SearchFilters {
  terms: QueryTerm[];
  /** ISBN-13s that must all be present; a null never matches. */
  isbns: Array<string | null>;
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

/** An ascending list of ordinals. */
class OrdList {
  ords = new Uint32Array(4);
  n = 0;

  push(ord: number): void {
    if (this.n === this.ords.length) this.ords = grown(this.ords, this.n + 1, (k) => new Uint32Array(k));
    this.ords[this.n++] = ord;
  }

  /** Drops the spare capacity (after a build). */
  trim(): void {
    if (this.ords.length > this.n) this.ords = this.ords.slice(0, this.n);
  }
}

/** Ordinals with the fields the word occurs in. */
class Postings extends OrdList {
  flags = new Uint8Array(4);

  add(ord: number, flag: number): void {
    if (this.n === this.flags.length) this.flags = grown(this.flags, this.n + 1, (k) => new Uint8Array(k));
    this.flags[this.n] = flag;
    this.push(ord);
  }

  override trim(): void {
    super.trim();
    if (this.flags.length > this.n) this.flags = this.flags.slice(0, this.n);
  }
}

function grown<T extends Uint8Array | Uint16Array | Uint32Array | Int16Array | Int8Array | Float32Array>(
  a: T,
  need: number,
  make: (n: number) => T,
): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** FNV-1a over the searchable parts of a record, to tell a change of text from a change of holdings. */
function fingerprint(r: IndexedRecord): number {
  const s = [
    r.titleFolded,
    r.authorFolded,
    r.subjectFolded,
    r.restFolded,
    r.toneWords.join(' '),
    r.isbns.join(' '),
    r.materialType,
    r.language ?? '',
    r.ddcClass ?? '',
    r.year ?? '',
    r.sortKey.slice(0, SORT_PREFIX),
  ].join('\u0001');
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Sorted intersection of two ascending ordinal lists, written to `out` (which may be `a` itself). */
function intersect(a: Uint32Array, b: Uint32Array, out: Uint32Array): Uint32Array {
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
  /** Each record's holdings, as library * 2 + available, at holdStart[ord] in the pool, holdCount[ord] of them. */
  private holdStart = new Uint32Array(1024);
  private holdCount = new Uint8Array(1024);
  private holdPool = new Uint32Array(1 << 12);
  private holdUsed = 0;
  private readonly sortPrefix: string[] = [];
  /** Forward index: each record's words as term id * 4 + field number, in order. */
  private tokens = new Uint32Array(1 << 16);
  private tokenCount = 0;
  private tokenStart = new Uint32Array(1024);
  private tokenEnd = new Uint32Array(1024);
  /** Where each record's words of "the rest" begin: proximity looks at titles, authors and subjects only. */
  private tokenMainEnd = new Uint32Array(1024);
  /** Length normalisation as ts_rank's: 1 / (1 + ln(1 + words in the record)). */
  private norm = new Float32Array(1024);
  /**
   * Arrays a search works in, kept between searches (a search runs to its end before the next
   * one starts): candidates and hits, their sort keys, and exact-tone points and field weights
   * by ordinal (all zero between searches).
   */
  private scratch = {
    candidates: new Uint32Array(0),
    hits: new Uint32Array(0),
    keys: new Float64Array(0),
    points: new Uint16Array(0),
    weights: new Float64Array(0),
  };
  private readonly termIds = new Map<string, number>();
  private readonly postings: Postings[] = [];
  private readonly tonePostings = new Map<string, OrdList>();
  private readonly isbnPostings = new Map<string, OrdList>();
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
    for (const w of r.toneWords) this.listIn(this.tonePostings, w).push(ord);
    for (const isbn of new Set(r.isbns)) this.listIn(this.isbnPostings, isbn).push(ord);
  }

  remove(id: string): void {
    const ord = this.ordinalOf.get(id);
    if (ord !== undefined) this.kill(ord);
  }

  private kill(ord: number): void {
    this.ordinalOf.delete(this.ids[ord] as string);
    this.dead[ord] = 1;
    this.deadCount++;
    this.holdCount[ord] = 0;
  }

  private ensureCapacity(n: number): void {
    this.dead = grown(this.dead, n, (k) => new Uint8Array(k));
    this.hash = grown(this.hash, n, (k) => new Uint32Array(k));
    this.material = grown(this.material, n, (k) => new Uint8Array(k));
    this.language = grown(this.language, n, (k) => new Uint16Array(k));
    this.ddc = grown(this.ddc, n, (k) => new Int8Array(k));
    this.year = grown(this.year, n, (k) => new Int16Array(k));
    this.holdStart = grown(this.holdStart, n, (k) => new Uint32Array(k));
    this.holdCount = grown(this.holdCount, n, (k) => new Uint8Array(k));
    this.tokenStart = grown(this.tokenStart, n, (k) => new Uint32Array(k));
    this.tokenEnd = grown(this.tokenEnd, n, (k) => new Uint32Array(k));
    this.tokenMainEnd = grown(this.tokenMainEnd, n, (k) => new Uint32Array(k));
    this.norm = grown(this.norm, n, (k) => new Float32Array(k));
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

  private listIn(map: Map<string, OrdList>, key: string): OrdList {
    let list = map.get(key);
    if (!list) {
      list = new OrdList();
      map.set(key, list);
    }
    return list;
  }

  /** Drops the spare capacity of every list; for an index that was just built. */
  compact(): void {
    for (const p of this.postings) p.trim();
    for (const l of this.tonePostings.values()) l.trim();
    for (const l of this.isbnPostings.values()) l.trim();
    this.tokens = this.tokens.slice(0, this.tokenCount);
    this.holdPool = this.holdPool.slice(0, this.holdUsed);
  }

  private setHoldings(ord: number, holdings: Holding[]): void {
    const codes = new Map<number, number>();
    for (const h of holdings) {
      const lib = this.idOf(this.libraryIds, this.libraries, h.institutionId);
      codes.set(lib, (codes.get(lib) ?? 0) | (h.available ? 1 : 0));
    }
    const n = Math.min(codes.size, 255);
    if (n > (this.holdCount[ord] as number)) {
      this.holdPool = grown(this.holdPool, this.holdUsed + n, (k) => new Uint32Array(k));
      this.holdStart[ord] = this.holdUsed;
      this.holdUsed += n;
    }
    let at = this.holdStart[ord] as number;
    for (const [lib, avail] of [...codes].slice(0, n)) this.holdPool[at++] = lib * 2 + avail;
    this.holdCount[ord] = n;
  }

  private addText(ord: number, parts: string[]): void {
    const words = parts.map((text) => (text ? text.split(' ') : []));
    const total = words.reduce((n, w) => n + w.length, 0);
    this.tokens = grown(this.tokens, this.tokenCount + total, (k) => new Uint32Array(k));
    this.tokenStart[ord] = this.tokenCount;
    const seen: number[] = [];
    const flagOf: number[] = [];
    for (let field = 0; field < words.length; field++) {
      if (field === 3) this.tokenMainEnd[ord] = this.tokenCount;
      const bit = FIELD_BITS[field] as number;
      for (const w of words[field] as string[]) {
        if (!w || (field === 3 && ISBN_WORD.test(w))) continue;
        let term = this.termIds.get(w);
        if (term === undefined) {
          term = this.postings.length;
          this.termIds.set(w, term);
          this.postings.push(new Postings());
        }
        const at = seen.indexOf(term);
        if (at < 0) {
          seen.push(term);
          flagOf.push(bit);
        } else flagOf[at] = (flagOf[at] as number) | bit;
        this.tokens[this.tokenCount++] = term * 4 + field;
      }
    }
    this.tokenEnd[ord] = this.tokenCount;
    this.norm[ord] = 1 / (1 + Math.log(1 + this.tokenCount - this.tokenStart[ord]));
    for (let i = 0; i < seen.length; i++) (this.postings[seen[i] as number] as Postings).add(ord, flagOf[i] as number);
  }

  /** Ordinals matching one query term (a word or a phrase) in its field. */
  private matchTerm(t: QueryTerm): Uint32Array {
    const mask = MASK[t.field];
    const lists: Postings[] = [];
    for (const w of t.folded) {
      const id = this.termIds.get(w);
      if (id !== undefined) lists.push(this.postings[id] as Postings);
      else if (ISBN_WORD.test(w) && t.folded.length === 1 && mask & REST) return this.isbnMatches(w);
      else return new Uint32Array(0);
    }
    lists.sort((a, b) => a.n - b.n);
    if (lists.length === 1 && mask === MASK.any) return (lists[0] as Postings).ords.subarray(0, (lists[0] as Postings).n);
    let acc: Uint32Array | null = null;
    for (const p of lists) {
      const own = new Uint32Array(p.n);
      let k = 0;
      for (let i = 0; i < p.n; i++) if ((p.flags[i] as number) & mask) own[k++] = p.ords[i] as number;
      acc = acc ? intersect(acc, own.subarray(0, k), acc) : own.subarray(0, k);
      if (!acc.length) return acc;
    }
    if (!acc || t.folded.length < 2) return acc ?? new Uint32Array(0);
    const ids = t.folded.map((w) => this.termIds.get(w) as number);
    const out = new Uint32Array(acc.length);
    let k = 0;
    for (const ord of acc) if (this.phraseAt(ord, ids, mask) > 0) out[k++] = ord;
    return out.subarray(0, k);
  }

  /** Records whose ISBN is this 13- or 10-digit word. */
  private isbnMatches(word: string): Uint32Array {
    const isbn = normalizeIsbn(word);
    const list = isbn ? this.isbnPostings.get(isbn) : undefined;
    return list ? list.ords.slice(0, list.n) : new Uint32Array(0);
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

  /** The best field weight at which word b directly follows word a (titles, authors and subjects up to `end`); 0 if nowhere. */
  private adjacentAt(ord: number, a: number, b: number, end: number): number {
    const { tokens } = this;
    let best = 0;
    for (let i = this.tokenStart[ord] as number; i + 1 < end; i++) {
      const t = tokens[i] as number;
      const u = tokens[i + 1] as number;
      if (t >>> 2 === a && u >>> 2 === b && (t & 3) === (u & 3)) best = Math.max(best, WEIGHTS[t & 3] as number);
    }
    return best;
  }

  /** Whether the record has a copy (an available one, if asked) at the library, or at any library when lib < 0. */
  private libraryHeld(ord: number, lib: number, needAvailable: boolean): boolean {
    const start = this.holdStart[ord] as number;
    const end = start + (this.holdCount[ord] as number);
    for (let i = start; i < end; i++) {
      const code = this.holdPool[i] as number;
      if ((lib < 0 || code >> 1 === lib) && (!needAvailable || (code & 1) === 1)) return true;
    }
    return false;
  }

  /** Runs a query: exact facets over every hit and the best `limit` hits in order. */
  search(q: IndexQuery): IndexResult {
    const lib = q.library === undefined ? -2 : (this.libraryIds.get(q.library) ?? -3);
    const material = q.material === undefined ? -1 : (this.materialIds.get(q.material) ?? -2);
    const language = q.language === undefined ? -1 : this.languageIds.has(q.language) ? (this.languageIds.get(q.language) as number) + 1 : -2;
    const facets: IndexFacets = {
      total: 0,
      library: new Map(),
      material: new Map(),
      language: new Map(),
      decade: new Map(),
      ddc: new Map(),
      available: 0,
    };
    if (lib === -3 || material === -2 || language === -2) return { facets, hits: [], boundaryTies: null };
    this.growScratch();
    const candidates = this.candidates(q);
    const n = candidates ? candidates.length : this.size;
    const hits = this.scratch.hits;
    let count = 0;
    const libCounts = new Uint32Array(this.libraries.length);
    const materialCounts = new Uint32Array(256);
    const languageCounts = new Uint32Array(this.languages.length + 1);
    // Counts by DDC class + 1 (0: none) and by year / 10 (0: no year; years are below 3,277).
    const ddcCounts = new Uint32Array(11);
    const decadeCounts = new Uint32Array(3277);
    const yearFrom = q.yearFrom ?? -32768;
    const yearTo = q.yearTo ?? 32767;
    const yearFiltered = q.yearFrom !== undefined || q.yearTo !== undefined;
    const { dead, holdStart, holdCount, holdPool } = this;
    const materials = this.material;
    const languages = this.language;
    const ddcs = this.ddc;
    const years = this.year;
    const ddc = q.ddc ?? -2;
    const needAvailable = q.available === true;
    const filtered = material >= 0 || language >= 0 || ddc !== -2 || yearFiltered || lib >= 0 || needAvailable;
    for (let c = 0; c < n; c++) {
      const ord = candidates ? (candidates[c] as number) : c;
      if (dead[ord]) continue;
      if (filtered) {
        if (material >= 0 && materials[ord] !== material) continue;
        if (language >= 0 && languages[ord] !== language) continue;
        if (ddc !== -2 && ddcs[ord] !== ddc) continue;
        const year = years[ord] as number;
        if (yearFiltered && (year === 0 || year < yearFrom || year > yearTo)) continue;
        if (lib >= 0 && !this.libraryHeld(ord, lib, false)) continue;
        if (needAvailable && !this.libraryHeld(ord, lib >= 0 ? lib : -1, true)) continue;
      }
      hits[count++] = ord;
    }
    let available = 0;
    for (let h = 0; h < count; h++) {
      const ord = hits[h] as number;
      materialCounts[materials[ord] as number]!++;
      languageCounts[languages[ord] as number]!++;
      ddcCounts[(ddcs[ord] as number) + 1]!++;
      decadeCounts[((years[ord] as number) / 10) | 0]!++;
      const start = holdStart[ord] as number;
      const end = start + (holdCount[ord] as number);
      let any = 0;
      for (let i = start; i < end; i++) {
        const code = holdPool[i] as number;
        libCounts[code >> 1]!++;
        any |= code & 1;
      }
      available += any;
    }
    facets.total = count;
    facets.available = available;
    libCounts.forEach((k, i) => k && facets.library.set(this.libraries[i] as string, k));
    materialCounts.forEach((k, i) => k && i < materialTypes.length && facets.material.set(materialTypes[i] as string, k));
    languageCounts.forEach((k, i) => k && i > 0 && facets.language.set(this.languages[i - 1] as string, k));
    ddcCounts.forEach((k, i) => k && i > 0 && facets.ddc.set(i - 1, k));
    decadeCounts.forEach((k, i) => k && i > 0 && facets.decade.set(i * 10, k));
    return { facets, ...this.best(q, hits.subarray(0, count)) };
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
    const [first, ...rest] = lists as [Uint32Array, ...Uint32Array[]];
    // The first intersection goes to scratch space and the next ones narrow it in place.
    return rest.reduce((acc, l) => intersect(acc, l, acc === first ? this.scratch.candidates : acc), first);
  }

  private best(q: IndexQuery, hits: Uint32Array): Omit<IndexResult, 'facets'> {
    // The order: the key (relevance, or year with no year last) descending, then sort prefix, then id.
    const scores = q.sort === 'relevance' && q.terms.length ? this.scores(q, hits) : null;
    const key = scores ?? this.scratch.keys.fill(0, 0, hits.length).subarray(0, hits.length);
    if (q.sort === 'year')
      hits.forEach((ord, i) => {
        key[i] = this.year[ord] || -32768;
      });
    const { sortPrefix, ids } = this;
    const better = (i: number, j: number) => {
      const d = (key[i] as number) - (key[j] as number);
      if (d) return d > 0;
      const a = hits[i] as number;
      const b = hits[j] as number;
      const pa = sortPrefix[a] as string;
      const pb = sortPrefix[b] as string;
      if (pa !== pb) return pa < pb;
      return (ids[a] as string) < (ids[b] as string);
    };
    const top = selectTop(hits.length, Math.min(q.limit, hits.length), better, key);
    const toHit = (i: number): IndexHit => {
      const ord = hits[i] as number;
      return { id: ids[ord] as string, score: scores ? (key[i] as number) : 0, sortPrefix: sortPrefix[ord] as string, year: this.year[ord] || null };
    };
    const last = top[top.length - 1];
    let boundaryTies: string[] | null = null;
    if (last !== undefined && top.length < hits.length) {
      const lastKey = key[last] as number;
      const lastPrefix = sortPrefix[hits[last] as number];
      const same = (i: number) => key[i] === lastKey && sortPrefix[hits[i] as number] === lastPrefix;
      const ties: string[] = [];
      for (let i = 0; i < hits.length; i++) if (same(i)) ties.push(ids[hits[i] as number] as string);
      if (ties.length > top.filter(same).length) boundaryTies = ties;
    }
    return { hits: top.map(toHit), boundaryTies };
  }

  /**
   * Relevance of each hit: one point per query word found with the very same marks, then the
   * best field weight of each query word (normalised by the record's length), then a bonus when
   * the words of an unquoted query stand next to each other in one field. The bonus is only
   * worked out where it can change the order of the best hits.
   */
  private scores(q: IndexQuery, hits: Uint32Array): Float64Array {
    // Points and weights are added up by ordinal in scratch arrays (every entry of each list,
    // without branches), then read for the hits, and cleared again.
    const { points, weights } = this.scratch;
    const toneLists: OrdList[] = [];
    for (const w of new Set(q.terms.flatMap((t) => t.tones))) {
      const list = this.tonePostings.get(w);
      if (!list) continue;
      const { ords, n } = list;
      for (let i = 0; i < n; i++) points[ords[i] as number]!++;
      toneLists.push(list);
    }
    const wordLists: OrdList[] = [];
    const words = q.terms.flatMap((t) => t.folded.map((w) => ({ term: this.termIds.get(w), mask: MASK[t.field] })));
    for (const { term, mask } of words) {
      if (term === undefined) continue;
      const p = this.postings[term] as Postings;
      const { ords, flags, n } = p;
      for (let i = 0; i < n; i++)
        weights[ords[i] as number] = (weights[ords[i] as number] as number) + (FIELD_WEIGHT[(flags[i] as number) & mask] as number);
      wordLists.push(p);
    }
    const n = hits.length;
    const scores = this.scratch.keys.subarray(0, n);
    const wordCount = Math.max(1, words.length);
    const { norm } = this;
    for (let i = 0; i < n; i++) {
      const ord = hits[i] as number;
      scores[i] = (points[ord] as number) + ((weights[ord] as number) / wordCount) * (norm[ord] as number);
    }
    clear(points, toneLists, this.size);
    clear(weights, wordLists, this.size);
    const loose = q.terms.filter((t) => !t.phrase && t.folded.length === 1);
    if (loose.length < 2) return scores;
    this.addProximity(
      loose.map((t) => this.termIds.get(t.folded[0] as string) ?? -1),
      Math.min(q.limit, n),
      hits,
      scores,
    );
    return scores;
  }

  /** Makes the scratch arrays as long as the ordinals. */
  private growScratch(): void {
    if (this.scratch.hits.length >= this.size) return;
    const n = Math.max(this.size, this.scratch.hits.length * 2);
    this.scratch = {
      candidates: new Uint32Array(n),
      hits: new Uint32Array(n),
      keys: new Float64Array(n),
      points: new Uint16Array(n),
      weights: new Float64Array(n),
    };
  }

  /**
   * Adds the proximity bonus (at most PROXIMITY * norm) where it can matter: a hit whose score
   * plus the most it could gain stays below the `k`-th best score known so far cannot reach the
   * best `k`, so it is skipped. The floor starts at the `k`-th best score without the bonus and
   * rises as hits with the bonus are worked out.
   */
  private addProximity(ids: number[], k: number, hits: Uint32Array, scores: Float64Array): void {
    const top = selectTop(hits.length, k, (i, j) => (scores[i] as number) > (scores[j] as number), scores);
    let floor = scores[top[top.length - 1] as number] ?? 0;
    const best = new Float64Array(k);
    let filled = 0;
    const { norm, tokenMainEnd } = this;
    for (let i = 0; i < hits.length; i++) {
      const ord = hits[i] as number;
      const most = PROXIMITY * (norm[ord] as number);
      const base = scores[i] as number;
      if (base + most < floor) continue;
      const end = tokenMainEnd[ord] as number;
      let adjacent = 0;
      for (let p = 0; p + 1 < ids.length; p++) adjacent += this.adjacentAt(ord, ids[p] as number, ids[p + 1] as number, end);
      const exact = base + (most * adjacent) / (ids.length - 1);
      scores[i] = exact;
      if (filled < k) {
        best[filled++] = exact;
        if (filled === k) {
          best.sort();
          floor = Math.max(floor, best[0] as number);
        }
      } else if (exact > (best[0] as number)) {
        // Keep the k best exact scores ascending; the floor is the lowest of them.
        let at = 1;
        while (at < k && (best[at] as number) < exact) {
          best[at - 1] = best[at] as number;
          at++;
        }
        best[at - 1] = exact;
        floor = Math.max(floor, best[0] as number);
      }
    }
  }
}

/** Sets the entries of the lists' ordinals back to zero (the whole array at once when the lists are long). */
function clear(byOrdinal: Uint16Array | Float64Array, lists: OrdList[], size: number): void {
  if (lists.reduce((n, l) => n + l.n, 0) > size / 4) byOrdinal.fill(0, 0, size);
  else for (const { ords, n } of lists) for (let i = 0; i < n; i++) byOrdinal[ords[i] as number] = 0;
}

/** The weight of a word by the fields it occurs in (a bit mask): its best field's. */
const FIELD_WEIGHT = Float64Array.from({ length: 16 }, (_, f) => WEIGHTS[f & TITLE ? 0 : f & AUTHOR ? 1 : f & SUBJECT ? 2 : 3] as number);

/**
 * Indexes of the best `k` of `n` elements in order, by a strict "better" comparison (a bounded
 * heap) whose first criterion is a higher `key`: once the heap is full, an element with a lower
 * key than its worst is passed over without a comparison.
 */
function selectTop(n: number, k: number, better: (i: number, j: number) => boolean, key: Float64Array): number[] {
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
  let floor = -Infinity;
  for (let i = 0; i < n; i++) {
    if ((key[i] as number) < floor) continue;
    if (heap.length < k) {
      heap.push(i);
      up(heap.length - 1);
      if (heap.length === k) floor = key[heap[0] as number] as number;
    } else if (better(i, heap[0] as number)) {
      heap[0] = i;
      down(0);
      floor = key[heap[0]] as number;
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
