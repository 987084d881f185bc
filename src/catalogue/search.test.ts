import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeInstitution } from '../orgs/testing.js';
import { systemActor } from '../platform/access.js';
import type { Database } from '../platform/db/index.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { importMarc } from './import.js';
import { writeIso2709 } from './marc/index.js';
import { searchCatalogue, searchCatalogueSql } from './search.js';
import { testRecord, type RecordSpec } from './testing.js';

/** The records every case searches, by a short name. */
const catalogue: Record<string, RecordSpec> = {
  thuvien: { title: 'Thư viện và thông tin học', author: 'Nguyễn, Văn An', year: 2015, subjects: ['Thư viện học'], isbn: '978-604-0-00000-2' },
  hoa: { title: 'Hòa bình cho Tây Nguyên', author: 'Trần, Thị Hoa', year: 2001 },
  thuy: { title: 'Thủy sản đồng bằng', author: 'Lê, Quý', year: 1999, subjects: ['Nuôi trồng thủy sản'] },
  ma: { title: 'Ma', author: 'Phạm, Văn Ma', year: 2010 },
  maGrave: { title: 'Mà thôi', author: 'Đỗ, Thị Lan', year: 2011 },
  maAcute: { title: 'Má tôi', author: 'Hồ, Văn Nam', year: 2012 },
  maHook: { title: 'Mả tổ', author: 'Vũ, Hải', year: 2013 },
  maTilde: { title: 'Mã nguồn mở', author: 'Bùi, Đức', year: 2014 },
  maDot: { title: 'Mạ non', author: 'Ngô, An', year: 2016 },
  dang: { title: 'Đảng và dân', author: 'Đặng, Đình Dũng', year: 2005 },
  kieu: { title: 'Truyện Kiều', author: 'Nguyễn, Du', year: 1820, subjects: ['Văn học Việt Nam', 'Thơ'] },
  kieuStudy: { title: 'Nghiên cứu về Kiều và truyện', author: 'Lê, Văn Hòe', year: 1990, subjects: ['Phê bình văn học'] },
  lichsu: { title: 'Lịch sử Việt Nam', author: 'Trần, Trọng Kim', year: 1920, subjects: ['Lịch sử'] },
  vanhoa: { title: 'Văn hóa dân gian', author: 'Nguyễn, Thị Huệ', year: 2008, subjects: ['Văn hóa dân gian', 'Lịch sử Việt Nam'] },
  english: { title: 'Library science today', author: 'Smith, John', year: 2019, language: 'eng', isbn: '0-306-40615-2' },
  banh: { title: 'Bánh chưng ngày Tết', author: 'Lý, Thu', year: 2018, notes: ['Sách về ẩm thực cổ truyền'] },
  ba: { title: 'Ba người bạn', author: 'Mai, Chi', year: 2002 },
  baGrave: { title: 'Bà tôi', author: 'Tô, Hà', year: 2003 },
};

type Case = [query: string, expectFirst: string | null, mustInclude?: string[], mustExclude?: string[]];

const cases: Case[] = [
  ['thu vien', 'thuvien'],
  ['Thư viện', 'thuvien'],
  ['THƯ VIỆN', 'thuvien'],
  ['THU VIEN', 'thuvien'],
  ['thư viên', 'thuvien'],
  ['thu\u031b vie\u0323\u0302n', 'thuvien'],
  ['hoà bình', 'hoa'],
  ['hòa bình', 'hoa'],
  ['hoa binh', 'hoa'],
  ['thuỷ sản', 'thuy'],
  ['thủy sản', 'thuy'],
  ['thuy san', 'thuy'],
  ['mà', 'maGrave', ['ma', 'maAcute', 'maHook', 'maTilde', 'maDot']],
  ['má', 'maAcute', ['ma', 'maGrave']],
  ['mả', 'maHook', ['maTilde']],
  ['mã', 'maTilde', ['maHook']],
  ['mạ', 'maDot', ['maGrave']],
  ['ma', 'ma', ['maGrave', 'maAcute', 'maHook', 'maTilde', 'maDot']],
  ['dang', 'dang'],
  ['đảng', 'dang'],
  ['Đảng', 'dang'],
  ['dang dinh dung', 'dang'],
  ['tác giả: Nguyễn Du', 'kieu', [], ['kieuStudy']],
  ['author:nguyen du', 'kieu'],
  ['tac gia: nguyen du', 'kieu'],
  ['nhan đề: kiều', 'kieu', ['kieuStudy']],
  ['title:kieu', 'kieu', ['kieuStudy']],
  ['kiều', 'kieu', ['kieuStudy']],
  ['"truyện kiều"', 'kieu', [], ['kieuStudy']],
  ['"truyen kieu"', 'kieu', [], ['kieuStudy']],
  ['chủ đề: lịch sử', 'lichsu', ['vanhoa']],
  ['subject:"van hoa dan gian"', 'vanhoa', [], ['lichsu']],
  ['lịch sử việt nam', 'lichsu', ['vanhoa']],
  ['isbn:978-604-0-00000-2', 'thuvien'],
  ['isbn: 9786040000002', 'thuvien'],
  ['9786040000002', 'thuvien'],
  ['isbn:0306406152', 'english'],
  ['isbn:978-0-306-40615-7', 'english'],
  ['0-306-40615-2', 'english'],
  ['library science', 'english'],
  ['am thuc', 'banh'],
  ['bánh chưng', 'banh'],
  ['bà', 'baGrave', ['ba']],
  ['ba', 'ba', ['baGrave']],
  ['không có gì như thế', null],
  ['isbn:978-604-0-00000-1', null],
];

describe.each([
  ['in-memory index', searchCatalogue],
  ['SQL', searchCatalogueSql],
])('Vietnamese search (%s)', (_engine, searchCatalogue) => {
  let database: Database;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    database = await createTestDatabase();
    const lib = await makeInstitution(database.db);
    const names = Object.keys(catalogue);
    await importMarc(
      database.db,
      systemActor,
      { bytes: writeIso2709(names.map((n) => testRecord({ ...(catalogue[n] as RecordSpec), copies: [{}] }))) },
      { libraryCode: lib.code },
    );
    const found = await searchCatalogue(database.db, { pageSize: 100 });
    for (const hit of found.hits) {
      const name = names.find((n) => catalogue[n]?.title === hit.title);
      if (name) ids.set(hit.id, name);
    }
  }, 60_000);
  afterAll(async () => {
    await database.close();
  });

  test('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  test.each(cases)('%s', async (q, first, include = [], exclude = []) => {
    const result = await searchCatalogue(database.db, { q, pageSize: 100 });
    const names = result.hits.map((h) => ids.get(h.id));
    if (first === null) {
      expect(names).toEqual([]);
      return;
    }
    expect(names[0]).toBe(first);
    for (const n of include) expect(names).toContain(n);
    for (const n of exclude) expect(names).not.toContain(n);
    expect(result.total).toBe(names.length);
  });

  test('facets count the whole result set', async () => {
    const result = await searchCatalogue(database.db, { q: 'ma', pageSize: 2 });
    expect(result.hits).toHaveLength(2);
    expect(result.total).toBeGreaterThanOrEqual(6);
    expect(result.facets.material).toEqual([{ value: 'book', count: result.total }]);
    expect(result.facets.available).toBe(result.total);
    expect(result.facets.library[0]?.count).toBe(result.total);
  });

  test('filters narrow by language, year and class', async () => {
    expect((await searchCatalogue(database.db, { language: 'eng' })).total).toBe(1);
    const old = await searchCatalogue(database.db, { yearTo: 1950, sort: 'year' });
    expect(old.hits.map((h) => h.year)).toEqual([1920, 1820]);
    const byTitle = await searchCatalogue(database.db, { q: 'ma', sort: 'title' });
    expect(byTitle.hits[0]?.title).toBe('Ma');
  });

  test('did you mean suggests a known word for a typo', async () => {
    const result = await searchCatalogue(database.db, { q: 'thuong vienn' });
    expect(result.total).toBe(0);
    expect(result.suggestion).toContain('vien');
  });
});
