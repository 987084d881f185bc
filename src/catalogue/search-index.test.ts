import { describe, expect, test } from 'vitest';
import { foldVi, toneKeyVi } from '../platform/text/index.js';
import { parseQuery } from './query.js';
import { CatalogueSearchIndex, type IndexedRecord } from './search-index.js';

const record = (id: string, title: string, extra: Partial<IndexedRecord> = {}): IndexedRecord => ({
  id,
  titleFolded: title,
  authorFolded: '',
  subjectFolded: '',
  restFolded: '',
  toneWords: title.split(' '),
  isbns: [],
  materialType: 'book',
  language: 'vie',
  ddcClass: null,
  year: 2020,
  sortKey: title,
  ...extra,
});

const find = (index: CatalogueSearchIndex, q: string, more: { library?: string; available?: boolean } = {}) => {
  const parsed = parseQuery(q);
  return index.search({ terms: parsed.terms, isbns: parsed.isbns, sort: 'title', limit: 10, ...more });
};

describe('the in-memory search index', () => {
  test('holdings change in place, grow and shrink', () => {
    const index = new CatalogueSearchIndex();
    index.put(record('a', 'song nuoc'), [{ institutionId: 'L1', available: false }]);
    index.put(record('b', 'song que'), [
      { institutionId: 'L1', available: true },
      { institutionId: 'L2', available: false },
    ]);
    expect(find(index, 'song').facets.available).toBe(1);
    index.put(record('a', 'song nuoc'), [
      { institutionId: 'L1', available: true },
      { institutionId: 'L2', available: true },
      { institutionId: 'L3', available: false },
    ]);
    const r = find(index, 'song');
    expect(r.facets.available).toBe(2);
    expect(Object.fromEntries(r.facets.library)).toEqual({ L1: 2, L2: 2, L3: 1 });
    expect(find(index, 'song', { library: 'L3' }).hits.map((h) => h.id)).toEqual(['a']);
    expect(find(index, 'song', { library: 'L2', available: true }).hits.map((h) => h.id)).toEqual(['a']);
    index.put(record('a', 'song nuoc'), []);
    expect(Object.fromEntries(find(index, 'song').facets.library)).toEqual({ L1: 1, L2: 1 });
    expect(index.count).toBe(2);
  });

  test('a changed text replaces the old one; removed records are gone; a compacted index still grows', () => {
    const index = new CatalogueSearchIndex();
    index.put(record('a', 'cay lua'), []);
    index.put(record('b', 'cay dua'), []);
    index.compact();
    index.put(record('a', 'cay mia'), []);
    expect(find(index, 'lua').facets.total).toBe(0);
    expect(
      find(index, 'cay')
        .hits.map((h) => h.id)
        .sort(),
    ).toEqual(['a', 'b']);
    index.remove('b');
    expect(find(index, 'cay').hits.map((h) => h.id)).toEqual(['a']);
    expect(index.deadShare).toBeCloseTo(2 / 3);
    for (let i = 0; i < 100; i++) index.put(record(`n${i}`, `cay so ${i}`), [{ institutionId: 'L1', available: true }]);
    expect(find(index, 'cay').facets.total).toBe(101);
  });

  test('a phrase matches words in order within one field only', () => {
    const index = new CatalogueSearchIndex();
    index.put(record('a', 'lich su', { authorFolded: 'viet nam' }), []);
    index.put(record('b', 'lich su viet nam'), []);
    expect(find(index, '"su viet"').hits.map((h) => h.id)).toEqual(['b']);
    expect(find(index, 'su viet').facets.total).toBe(2);
  });
});

test('a quoted ISBN is found through the ISBN lists', () => {
  const index = new CatalogueSearchIndex();
  index.put(record('a', 'sach', { isbns: ['9786040000002'], restFolded: 'nxb tre 9786040000002 6040000007' }), []);
  expect(find(index, '"9786040000002"').hits.map((h) => h.id)).toEqual(['a']);
  expect(find(index, 'tre').hits.map((h) => h.id)).toEqual(['a']);
});

describe('the index against a plain reading of every record', () => {
  // Words with their marks; the folded form is what the index stores as text.
  const vocabulary = ['sông', 'song', 'sóng', 'nước', 'nuoc', 'lúa', 'lua', 'văn', 'hóa', 'hoa', 'việt', 'nam', 'lịch', 'sử', 'mà', 'má', 'ma'];
  const libraries = ['L1', 'L2', 'L3'];
  const seeded = (seed: number) => () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    return ((seed >>> 0) % 1_000_003) / 1_000_003;
  };

  interface Doc {
    record: IndexedRecord;
    fields: string[][];
    holdings: Array<{ institutionId: string; available: boolean }>;
  }

  function makeDocs(random: () => number, n: number): Doc[] {
    const pick = () => vocabulary[Math.floor(random() * vocabulary.length)] as string;
    const words = (most: number) => Array.from({ length: Math.floor(random() * (most + 1)) }, pick);
    return Array.from({ length: n }, (_, i) => {
      const fields = [[pick(), ...words(4)], words(2), words(3), words(3)];
      const folded = fields.map((f) => f.map(foldVi));
      const holdings = libraries.filter(() => random() < 0.4).map((institutionId) => ({ institutionId, available: random() < 0.5 }));
      const record: IndexedRecord = {
        id: `r${String(i).padStart(5, '0')}`,
        titleFolded: folded[0]!.join(' '),
        authorFolded: folded[1]!.join(' '),
        subjectFolded: folded[2]!.join(' '),
        restFolded: folded[3]!.join(' '),
        toneWords: [...new Set(fields.flat().map(toneKeyVi))],
        isbns: [],
        materialType: random() < 0.8 ? 'book' : 'map',
        language: 'vie',
        ddcClass: null,
        year: 1990 + Math.floor(random() * 30),
        sortKey: `k${Math.floor(random() * 50)}`,
      };
      return { record, fields: folded, holdings };
    });
  }

  /** Score by the rules, worked out record by record (field weights 1, 0.4, 0.2, 0.1; one point per exact-tone word; proximity in the first three fields). */
  function expected(docs: Doc[], q: string, k: number, filter: { library?: string; available?: boolean }) {
    const parsed = parseQuery(q);
    const words = parsed.terms.map((t) => t.folded[0] as string);
    const weights = [1, 0.4, 0.2, 0.1];
    const matches = docs.filter(
      (d) =>
        words.every((w) => d.fields.some((f) => f.includes(w))) &&
        (!filter.library || d.holdings.some((h) => h.institutionId === filter.library)) &&
        (!filter.available || d.holdings.some((h) => h.available && (!filter.library || h.institutionId === filter.library))),
    );
    const scored = matches.map((d) => {
      let points = 0;
      for (const tone of new Set(parsed.terms.flatMap((t) => t.tones))) if (d.record.toneWords.includes(tone)) points++;
      let weight = 0;
      for (const w of words) weight += weights[d.fields.findIndex((f) => f.includes(w))] as number;
      const norm = Math.fround(1 / (1 + Math.log(1 + d.fields.flat().length)));
      let score = points + (weight / Math.max(1, words.length)) * norm;
      if (words.length >= 2) {
        let adjacent = 0;
        for (let p = 0; p + 1 < words.length; p++) {
          let best = 0;
          d.fields.slice(0, 3).forEach((f, field) => {
            for (let i = 0; i + 1 < f.length; i++)
              if (f[i] === words[p] && f[i + 1] === words[p + 1]) best = Math.max(best, weights[field] as number);
          });
          adjacent += best;
        }
        const most = 0.5 * norm;
        score += (most * adjacent) / (words.length - 1);
      }
      return { id: d.record.id, sortKey: d.record.sortKey, score };
    });
    scored.sort((a, b) => b.score - a.score || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0) || (a.id < b.id ? -1 : 1));
    return {
      total: matches.length,
      available: matches.filter((d) => d.holdings.some((h) => h.available)).length,
      top: scored.slice(0, k).map((s) => s.id),
    };
  }

  test('totals, availability and the best hits in order, query after query as the index grows', () => {
    const random = seeded(42);
    const index = new CatalogueSearchIndex();
    const docs: Doc[] = [];
    for (let round = 0; round < 6; round++) {
      for (const d of makeDocs(random, 150 + round * 200)) {
        const doc = { ...d, record: { ...d.record, id: `${round}-${d.record.id}` } };
        docs.push(doc);
        index.put(doc.record, doc.holdings);
      }
      for (let i = 0; i < 25; i++) {
        const q = Array.from({ length: 1 + Math.floor(random() * 3) }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');
        const filter = {
          ...(random() < 0.3 ? { library: libraries[Math.floor(random() * 3)] } : {}),
          ...(random() < 0.3 ? { available: true } : {}),
        };
        const k = 1 + Math.floor(random() * 12);
        const parsed = parseQuery(q);
        const got = index.search({ terms: parsed.terms, isbns: parsed.isbns, sort: 'relevance', limit: k, ...filter });
        const want = expected(docs, q, k, filter);
        expect({ q, total: got.facets.total, available: got.facets.available, top: got.hits.map((h) => h.id) }).toEqual({ q, ...want });
      }
    }
  });
});
