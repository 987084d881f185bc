import { describe, expect, test } from 'vitest';
import { parseQuery } from './query.js';
import { CatalogueSearchIndex, type IndexedRecord } from './search-index.js';

const record = (id: string, title: string, extra: Partial<IndexedRecord> = {}): IndexedRecord => ({
  id, titleFolded: title, authorFolded: '', subjectFolded: '', restFolded: '', toneWords: title.split(' '), isbns: [],
  materialType: 'book', language: 'vie', ddcClass: null, year: 2020, sortKey: title, ...extra,
});

const find = (index: CatalogueSearchIndex, q: string, more: { library?: string; available?: boolean } = {}) => {
  const parsed = parseQuery(q);
  return index.search({ terms: parsed.terms, isbns: parsed.isbns, sort: 'title', limit: 10, ...more });
};

describe('the in-memory search index', () => {
  test('holdings change in place, grow and shrink', () => {
    const index = new CatalogueSearchIndex();
    index.put(record('a', 'song nuoc'), [{ institutionId: 'L1', available: false }]);
    index.put(record('b', 'song que'), [{ institutionId: 'L1', available: true }, { institutionId: 'L2', available: false }]);
    expect(find(index, 'song').facets.available).toBe(1);
    index.put(record('a', 'song nuoc'), [{ institutionId: 'L1', available: true }, { institutionId: 'L2', available: true }, { institutionId: 'L3', available: false }]);
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
    expect(find(index, 'cay').hits.map((h) => h.id).sort()).toEqual(['a', 'b']);
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
