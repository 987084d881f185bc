import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeInstitution } from '../orgs/testing.js';
import { systemActor } from '../platform/access.js';
import type { Database, Db } from '../platform/db/index.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { importMarc } from './import.js';
import { items } from './schema.js';
import { writeIso2709 } from './marc/index.js';
import { searchCatalogue, searchCatalogueSql, type SearchInput, type SearchResult } from './search.js';
import { createRecord, deleteRecord, updateRecord, withdrawItem } from './service.js';
import { testRecord, type RecordSpec } from './testing.js';

const WORDS = [
  'văn',
  'hóa',
  'lịch',
  'sử',
  'việt',
  'nam',
  'ma',
  'mà',
  'má',
  'thư',
  'viện',
  'đồng',
  'bằng',
  'sông',
  'cửu',
  'long',
  'giáo',
  'dục',
  'trẻ',
  'em',
  'nông',
  'nghiệp',
];
const AUTHORS = ['Nguyễn, Văn An', 'Trần, Thị Hoa', 'Lê, Quý Đôn', 'Phạm, Văn Đồng', 'Đặng, Thùy Trâm'];
const LANGUAGES = ['vie', 'vie', 'vie', 'eng', 'fre'];

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function catalogue(n: number, seed: number, barcodePrefix: string): RecordSpec[] {
  const random = seeded(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)] as T;
  const words = (k: number) => Array.from({ length: k }, () => pick(WORDS)).join(' ');
  return Array.from({ length: n }, (_, i) => ({
    title: `${words(2 + Math.floor(random() * 4))} ${i % 7 === 0 ? 'tập 1' : ''}`.trim(),
    author: pick(AUTHORS),
    year: 1960 + Math.floor(random() * 65),
    language: pick(LANGUAGES),
    subjects: random() < 0.6 ? [words(2)] : [],
    ...(random() < 0.5 ? { ddc: `${Math.floor(random() * 10)}95.9` } : {}),
    copies: Array.from({ length: 1 + Math.floor(random() * 2) }, (_, c) => ({ barcode: `${barcodePrefix}-${i}-${c}`, call: `V${i}` })),
  }));
}

const QUERIES: SearchInput[] = [
  {},
  { q: 'van hoa' },
  { q: 'văn hóa' },
  { q: 'lich su viet nam' },
  { q: '"viet nam"' },
  { q: 'ma' },
  { q: 'mà' },
  { q: 'tác giả: nguyễn' },
  { q: 'title:song' },
  { q: 'chủ đề: giáo dục' },
  { q: 'dong bang song cuu long' },
  { q: 'xyz' },
  { q: 'van', language: 'eng' },
  { q: 'hoa', available: true },
  { q: 'nam', yearFrom: 1980, yearTo: 1999 },
  { q: 'thu vien', ddc: 3 },
  { material: 'book' },
  { q: 'tap 1' },
];

function comparable(r: SearchResult) {
  return { total: r.total, facets: r.facets };
}

describe('the in-memory index answers as SQL does', () => {
  let database: Database;
  let db: Db;
  let libraries: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    const libs = await Promise.all([makeInstitution(db), makeInstitution(db), makeInstitution(db)]);
    libraries = libs.map((l) => l.id);
    for (const [i, lib] of libs.entries()) {
      const specs = catalogue(150, i + 1, `B${i}`);
      await importMarc(db, systemActor, { bytes: writeIso2709(specs.map(testRecord)) }, { libraryCode: lib.code });
    }
    await db.execute(
      sql`update catalogue_items set status = case when random() < 0.3 then 'on_loan'::catalogue_item_status when random() < 0.1 then 'withdrawn'::catalogue_item_status else status end`,
    );
  }, 120_000);
  afterAll(async () => {
    await database.close();
  });

  test.each(QUERIES.map((q) => [JSON.stringify(q), q] as const))('totals and facets: %s', async (_name, q) => {
    expect(comparable(await searchCatalogue(db, { ...q, pageSize: 100 }))).toEqual(comparable(await searchCatalogueSql(db, { ...q, pageSize: 100 })));
  });

  test('library and availability filters', async () => {
    for (const library of libraries) {
      for (const q of [{ library }, { library, available: true }, { library, q: 'viet nam' }]) {
        expect(comparable(await searchCatalogue(db, q))).toEqual(comparable(await searchCatalogueSql(db, q)));
      }
    }
  });

  test.each(['title', 'year'] as const)('the same order when sorting by %s, page after page', async (sort) => {
    for (const q of [{}, { q: 'viet' }, { q: 'ma' }]) {
      for (const page of [1, 2, 5]) {
        const input = { ...q, sort, page, pageSize: 17 };
        expect((await searchCatalogue(db, input)).hits.map((h) => h.id)).toEqual((await searchCatalogueSql(db, input)).hits.map((h) => h.id));
      }
    }
  });

  test('the same hits by relevance, exact-tone matches first', async () => {
    const narrow = { q: 'mà', language: 'eng', pageSize: 100 };
    const fromSql = await searchCatalogueSql(db, narrow);
    expect(fromSql.total).toBeLessThan(100);
    expect(new Set((await searchCatalogue(db, narrow)).hits.map((h) => h.id))).toEqual(new Set(fromSql.hits.map((h) => h.id)));
    const fromIndex = await searchCatalogue(db, { q: 'mà', pageSize: 100 });
    const firstWithout = fromIndex.hits.findIndex((h) => !/\bmà\b/iu.test(h.title) && !h.authors.some((a) => /\bmà\b/iu.test(a)));
    const lastWith = fromIndex.hits.map((h) => /\bmà\b/iu.test(h.title)).lastIndexOf(true);
    expect(firstWithout === -1 || lastWith < firstWithout).toBe(true);
  });
});

describe('the index follows every write', () => {
  let database: Database;
  let db: Db;
  let library: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    library = (await makeInstitution(db)).id;
  });
  afterAll(async () => {
    await database.close();
  });

  const ids = async (q: string) => (await searchCatalogue(db, { q })).hits.map((h) => h.id);

  test('new, edited and deleted records, and withdrawn copies', async () => {
    expect(await ids('chim lạc')).toEqual([]);
    const record = await createRecord(db, systemActor, library, testRecord({ title: 'Chim Lạc trên trống đồng' }));
    expect(await ids('chim lac')).toEqual([record.id]);
    await updateRecord(db, systemActor, record.id, library, testRecord({ title: 'Cánh cò trên đồng' }));
    expect(await ids('chim lac')).toEqual([]);
    expect(await ids('canh co')).toEqual([record.id]);
    await deleteRecord(db, systemActor, record.id, library);
    expect(await ids('canh co')).toEqual([]);

    const lib = await makeInstitution(db);
    await importMarc(
      db,
      systemActor,
      { bytes: writeIso2709([testRecord({ title: 'Hoa sen Đồng Tháp', copies: [{ barcode: 'SEN-1' }] })]) },
      { libraryCode: lib.code },
    );
    const found = await searchCatalogue(db, { q: 'hoa sen' });
    expect(found.total).toBe(1);
    expect(found.facets.available).toBe(1);
    const [item] = await db.select({ id: items.id }).from(items).where(eq(items.barcode, 'SEN-1'));
    await withdrawItem(db, systemActor, item?.id ?? '');
    const after = await searchCatalogue(db, { q: 'hoa sen' });
    expect(after.facets.available).toBe(0);
    expect(after.facets.library).toEqual([]);
  });

  test.skipIf(!process.env.DATABASE_URL)('a transaction that commits after a later one is not missed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const inserted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const slow = db.transaction(async (tx) => {
      await createRecord(tx, systemActor, library, testRecord({ title: 'Đi xe bò' }));
      started();
      await gate;
    });
    await inserted;
    await createRecord(db, systemActor, library, testRecord({ title: 'Đi xe ba' }));
    // Words of under three letters, so that the two writers do not wait on the same did-you-mean terms.
    expect((await searchCatalogue(db, { q: 'di xe' })).hits.map((h) => h.title)).toEqual(['Đi xe ba']);
    release();
    await slow;
    expect((await searchCatalogue(db, { q: 'di xe', sort: 'title' })).hits.map((h) => h.title)).toEqual(['Đi xe ba', 'Đi xe bò']);
  });
});

describe('ranking', () => {
  let database: Database;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    const lib = await makeInstitution(db);
    const specs: RecordSpec[] = [
      { title: 'Nam bộ xưa và lịch sử khai hoang của người Việt', year: 2001 },
      { title: 'Lịch sử Việt Nam thời cận đại', year: 2002 },
      { title: 'Việt Nam, đất nước và con người', subjects: ['Lịch sử'], year: 2003 },
    ];
    await importMarc(db, systemActor, { bytes: writeIso2709(specs.map(testRecord)) }, { libraryCode: lib.code });
  });
  afterAll(async () => {
    await database.close();
  });

  test('words of an unquoted query that stand together rank first', async () => {
    const titles = (await searchCatalogue(db, { q: 'viet nam lich su' })).hits.map((h) => h.title);
    expect(titles[0]).toBe('Lịch sử Việt Nam thời cận đại');
    expect(titles).toHaveLength(3);
  });

  test('a title match ranks above a subject match', async () => {
    const titles = (await searchCatalogue(db, { q: 'lich su' })).hits.map((h) => h.title);
    expect(titles.indexOf('Việt Nam, đất nước và con người')).toBe(2);
  });
});
