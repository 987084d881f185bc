import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { Writable } from 'node:stream';
import { makeActor, makeInstitution } from '../orgs/testing.js';
import { systemActor } from '../platform/access.js';
import type { Database } from '../platform/db/index.js';
import { auditLog } from '../platform/schema.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { toDublinCore } from './dublin-core.js';
import { exportMarc } from './export.js';
import { extract } from './extract.js';
import { importMarc, listMerges, undoMerge } from './import.js';
import { isbn13to10, normalizeIsbn, normalizeIssn } from './isbn.js';
import { parseIso2709, writeIso2709, writeIso2709Record, writeMarcXml } from './marc/index.js';
import { imports, terms } from './schema.js';
import { searchCatalogue } from './search.js';
import { addItem, getRecord, itemsOf, updateItem, withdrawItem } from './service.js';
import { testRecord } from './testing.js';

describe('ISBN and ISSN', () => {
  test.each([
    ['978-604-0-00000-2', '9786040000002'],
    ['ISBN 0-306-40615-2 (bìa mềm)', '9780306406157'],
    ['0306406152', '9780306406157'],
    ['978-0-306-40615-7 : 120000đ', '9780306406157'],
    ['978-604-0-00000-1', null],
    ['0-306-40615-3', null],
    ['không có', null],
  ])('%s → %s', (raw, expected) => expect(normalizeIsbn(raw)).toBe(expected));
  test('ISBN-13 back to ISBN-10', () => {
    expect(isbn13to10('9780306406157')).toBe('0306406152');
    expect(isbn13to10('9791234567896')).toBeNull();
  });
  test('ISSN check digit', () => {
    expect(normalizeIssn('0317-8471')).toBe('0317-8471');
    expect(normalizeIssn('03178471')).toBe('0317-8471');
    expect(normalizeIssn('0317-8472')).toBeNull();
  });
});

describe('extraction and Dublin Core', () => {
  const marc = testRecord({
    title: 'Văn hoá Việt Nam :',
    author: 'Trần, Ngọc Thêm',
    year: 1997,
    isbn: '0-306-40615-2',
    ddc: '306.09597',
    subjects: ['Văn hóa'],
  });
  test('fields drawn from MARC', () => {
    const x = extract(marc);
    expect(x.title).toBe('Văn hóa Việt Nam');
    expect(x.authors).toEqual(['Trần, Ngọc Thêm']);
    expect(x.year).toBe(1997);
    expect(x.isbns).toEqual(['9780306406157']);
    expect(x.ddcClass).toBe(3);
    expect(x.language).toBe('vie');
    expect(x.materialType).toBe('book');
    expect(x.titleFolded).toBe('van hoa viet nam');
  });
  test('material type from leader and 008', () => {
    expect(extract({ ...marc, leader: '00000nas a2200000 a 4500' }).materialType).toBe('serial');
    expect(extract({ ...marc, leader: '00000ngm a2200000 a 4500' }).materialType).toBe('video');
    expect(extract({ ...marc, leader: '00000nem a2200000 a 4500' }).materialType).toBe('map');
  });
  test('LoC crosswalk', () => {
    const dc = toDublinCore(marc);
    expect(dc.title).toEqual(['Văn hóa Việt Nam']);
    expect(dc.creator).toEqual(['Trần, Ngọc Thêm']);
    expect(dc.subject).toContain('Văn hóa');
    expect(dc.subject).toContain('306.09597');
    expect(dc.type).toEqual(['Text']);
    expect(dc.language).toEqual(['vie']);
    expect(dc.identifier).toEqual(['0-306-40615-2']);
    expect(dc.date).toEqual(['1997']);
  });
});

describe('import into the union catalogue', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await database.close();
  });

  test('adds, merges by ISBN / 001+003 / key, and is safe to re-run', async () => {
    const db = database.db;
    const a = await makeInstitution(db);
    const b = await makeInstitution(db);
    const first = writeIso2709([
      testRecord({
        title: 'Đất rừng phương Nam',
        author: 'Đoàn, Giỏi',
        year: 1957,
        isbn: '978-604-2-00001-7',
        copies: [{ barcode: 'A-0001', call: '895.922 Đ' }],
      }),
      testRecord({ title: 'Dế Mèn phiêu lưu ký', author: 'Tô, Hoài', year: 1941, control: ['DM1', 'VN-TV'], copies: [{}, {}] }),
      testRecord({ title: 'Tắt đèn', author: 'Ngô, Tất Tố', year: 1939, copies: [{ location: 'Kho mượn' }] }),
    ]);
    const r1 = await importMarc(db, systemActor, { bytes: first }, { libraryCode: a.code, batchSize: 2 });
    expect(r1).toMatchObject({ records: 3, added: 3, merged: 0, rejected: 0, itemsAdded: 4 });
    const again = await importMarc(db, systemActor, { bytes: first }, { libraryCode: a.code });
    expect(again).toMatchObject({ added: 0, merged: 0, unchanged: 3, itemsAdded: 0 });

    const second = writeIso2709([
      testRecord({
        title: 'Đất rừng phương Nam (tái bản)',
        author: 'Đoàn, Giỏi',
        year: 2010,
        isbn: '9786042000017',
        copies: [{ barcode: 'B-0001' }],
      }),
      testRecord({ title: 'De men phieu luu ky', control: ['DM1', 'VN-TV'], copies: [{ barcode: 'B-0002' }] }),
      testRecord({ title: 'TẮT ĐÈN', author: 'Ngô, Tất Tố', year: 1939, copies: [{ barcode: 'B-0003' }] }),
    ]);
    const r2 = await importMarc(db, systemActor, { bytes: second }, { libraryCode: b.code });
    expect(r2).toMatchObject({ added: 0, merged: 3, itemsAdded: 3 });
    const all = await searchCatalogue(db, { library: b.id });
    expect(all.total).toBe(3);
    const merges = await listMerges(db, [b.id]);
    expect(merges.map((m) => m.matchedBy).sort()).toEqual(['control', 'isbn', 'key']);

    const librarian = await makeActor(db, [{ role: 'staff', institution: b }]);
    const outsider = await makeActor(db, [{ role: 'staff', institution: a }]);
    const isbnMerge = merges.find((m) => m.matchedBy === 'isbn');
    if (!isbnMerge) throw new Error('no merge');
    await expect(undoMerge(db, outsider, isbnMerge.id)).rejects.toMatchObject({ status: 403 });
    const { recordId } = await undoMerge(db, librarian, isbnMerge.id);
    expect((await getRecord(db, recordId)).title).toBe('Đất rừng phương Nam (tái bản)');
    expect((await itemsOf(db, recordId)).map((i) => i.barcode)).toEqual(['B-0001']);
    expect((await itemsOf(db, isbnMerge.recordId)).map((i) => i.barcode)).toEqual(['A-0001']);
    await expect(undoMerge(db, librarian, isbnMerge.id)).rejects.toMatchObject({ status: 422 });
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, isbnMerge.id));
    expect(audit.map((x) => x.action)).toEqual(['catalogue.merge.undo']);
  });

  test('duplicates within one file are matched, in one batch and across batches', async () => {
    const db = database.db;
    const file = (tag: string, isbn: string) =>
      writeIso2709([
        testRecord({ title: `Nỗi buồn chiến tranh ${tag}`, author: 'Bảo, Ninh', year: 1987, isbn, copies: [{ barcode: `${tag}-1` }] }),
        testRecord({ title: `Thân phận tình yêu ${tag}`, author: 'Bảo, Ninh', year: 1991, isbn, copies: [{ barcode: `${tag}-2` }] }),
        testRecord({ title: `Mùa lá rụng trong vườn ${tag}`, author: 'Ma, Văn Kháng', year: 1985, copies: [{ barcode: `${tag}-3` }] }),
        testRecord({ title: `MÙA LÁ RỤNG TRONG VƯỜN ${tag}`, author: 'Ma, Văn Kháng', year: 1985, copies: [{ barcode: `${tag}-4` }] }),
        testRecord({ title: `Thời xa vắng ${tag}`, control: [`TXV-${tag}`, 'VN-TV'], copies: [{ barcode: `${tag}-5` }] }),
        testRecord({ title: `Thoi xa vang ${tag}`, control: [`TXV-${tag}`, 'VN-TV'], copies: [{ barcode: `${tag}-6` }] }),
        testRecord({ title: `Nỗi buồn chiến tranh (tái bản) ${tag}`, isbn }),
      ]);
    const runs = [
      ['ONE', '9786042000048', 100, false],
      ['MANY', '9786042000055', 1, false],
      ['THREAD', '9786042000062', 2, true],
    ] as const;
    for (const [tag, isbn, batchSize, worker] of runs) {
      const lib = await makeInstitution(db);
      const bytes = file(tag, isbn);
      const report = await importMarc(db, systemActor, { bytes }, { libraryCode: lib.code, batchSize, worker });
      expect(report).toMatchObject({ records: 7, added: 3, merged: 3, unchanged: 1, itemsAdded: 6, rejected: 0 });
      expect((await listMerges(db, [lib.id])).map((m) => m.matchedBy).sort()).toEqual(['control', 'isbn', 'key']);
      const again = await importMarc(db, systemActor, { bytes }, { libraryCode: lib.code, batchSize: 2 });
      expect(again).toMatchObject({ added: 0, merged: 0, unchanged: 7, itemsAdded: 0 });
    }
  });

  test('a merge within one file is undone like any other', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const staff = await makeActor(db, [{ role: 'staff', institution: lib }]);
    const bytes = writeIso2709([
      testRecord({ title: 'Cánh đồng bất tận', author: 'Nguyễn, Ngọc Tư', year: 2005, isbn: '978-604-2-00003-1', copies: [{ barcode: 'CD-1' }] }),
      testRecord({
        title: 'Cánh đồng bất tận (tái bản)',
        author: 'Nguyễn, Ngọc Tư',
        year: 2019,
        isbn: '9786042000031',
        copies: [{ barcode: 'CD-2' }],
      }),
    ]);
    await importMarc(db, systemActor, { bytes }, { libraryCode: lib.code });
    const [merge] = await listMerges(db, [lib.id]);
    if (!merge) throw new Error('no merge');
    const { recordId } = await undoMerge(db, staff, merge.id);
    expect((await getRecord(db, recordId)).title).toBe('Cánh đồng bất tận (tái bản)');
    expect((await itemsOf(db, recordId)).map((i) => i.barcode)).toEqual(['CD-2']);
    expect((await itemsOf(db, merge.recordId)).map((i) => i.barcode)).toEqual(['CD-1']);
  });

  test('a barcode held by another library is reported and that copy is left out', async () => {
    const db = database.db;
    const first = await makeInstitution(db);
    const second = await makeInstitution(db);
    await importMarc(
      db,
      systemActor,
      { bytes: writeIso2709([testRecord({ title: 'Bến không chồng', copies: [{ barcode: 'BKC-1' }] })]) },
      { libraryCode: first.code },
    );
    const bytes = writeIso2709([
      testRecord({ title: 'Mảnh đất lắm người nhiều ma', copies: [{ barcode: 'MD-1' }] }),
      testRecord({ title: 'Bến không chồng (tái bản)', copies: [{ barcode: 'bkc-1' }, { barcode: 'BKC-2' }] }),
    ]);
    const report = await importMarc(db, systemActor, { bytes }, { libraryCode: second.code });
    expect(report).toMatchObject({ added: 2, itemsAdded: 2 });
    expect(report.problems).toEqual([expect.objectContaining({ recordNumber: 2, code: 'barcode-taken' })]);
  });

  test('progress is told after each batch, with the import counted in the database and audited', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const good = Array.from({ length: 5 }, (_, i) => writeIso2709Record(testRecord({ title: `Tập san số ${i}`, control: [`TS${i}`, 'VN-TV'] })));
    const noTitle = writeIso2709Record({
      leader: '00000nam a2200000 a 4500',
      fields: [{ tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Ai đó' }] }],
    });
    const seen: Array<{ records: number; added: number; rejected: number }> = [];
    const report = await importMarc(
      db,
      systemActor,
      { bytes: Buffer.concat([...good.slice(0, 3), noTitle, ...good.slice(3)]) },
      {
        libraryCode: lib.code,
        batchSize: 2,
        onProgress: (p) => seen.push({ records: p.records, added: p.added, rejected: p.rejected }),
      },
    );
    expect(report).toMatchObject({ records: 6, added: 5, rejected: 1 });
    expect(seen).toEqual([
      { records: 2, added: 2, rejected: 0 },
      { records: 5, added: 4, rejected: 1 },
      { records: 6, added: 5, rejected: 1 },
    ]);
    const [run] = await db.select().from(imports).where(eq(imports.id, report.importId));
    expect(run).toMatchObject({ added: 5, rejected: 1, merged: 0, unchanged: 0 });
    expect(run?.finishedAt).toBeInstanceOf(Date);
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, report.importId));
    expect(audit.map((a) => a.action)).toEqual(['catalogue.import']);
  });

  test('the did-you-mean vocabulary gets the folded words of new records', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const bytes = writeIso2709([testRecord({ title: 'Những ngôi sao xa xôi', author: 'Lê, Minh Khuê', subjects: ['Truyện ngắn'] })]);
    await importMarc(db, systemActor, { bytes }, { libraryCode: lib.code });
    const words = (
      await db
        .select()
        .from(terms)
        .where(inArray(terms.term, ['nhung', 'ngoi', 'sao', 'khue', 'truyen', 'ngan', 'xa']))
    )
      .map((t) => t.term)
      .sort();
    expect(words).toEqual(['khue', 'ngan', 'ngoi', 'nhung', 'sao', 'truyen']);
  });

  test.each([false, true])('bad records are reported with number and offset; good ones go in (in a worker thread: %s)', async (worker) => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const good1 = writeIso2709Record(testRecord({ title: 'Chí Phèo', author: 'Nam, Cao', year: worker ? 1957 : 1941 }));
    const noTitle = writeIso2709Record({
      leader: '00000nam a2200000 a 4500',
      fields: [{ tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Ai đó' }] }],
    });
    const good2 = writeIso2709Record(testRecord({ title: 'Số đỏ', author: 'Vũ, Trọng Phụng', year: worker ? 1988 : 1936 }));
    const truncated = writeIso2709Record(testRecord({ title: 'Giông tố', author: 'Vũ, Trọng Phụng', year: 1936 })).subarray(0, 60);
    const bytes = Buffer.concat([good1, noTitle, good2, truncated]);
    const report = await importMarc(db, systemActor, { bytes }, { libraryCode: lib.code, worker });
    expect(report.added).toBe(2);
    expect(report.rejected).toBe(2);
    const noTitleProblem = report.problems.find((p) => p.code === 'no-title');
    expect(noTitleProblem).toMatchObject({ recordNumber: 2, offset: good1.length });
    expect(report.problems.find((p) => p.recordNumber === 4)?.code).toBe('truncated-record');
  });

  test('a large batch of records with 001/003 goes in and is matched again on a second run', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const many = writeIso2709(
      Array.from({ length: 1200 }, (_, i) => testRecord({ title: `Tài liệu số ${i}`, control: i % 2 ? [`BIG${i}`, 'VN-TV'] : [`BIG${i}`] })),
    );
    expect(await importMarc(db, systemActor, { bytes: many }, { libraryCode: lib.code, batchSize: 1000 })).toMatchObject({
      added: 1200,
      rejected: 0,
    });
    const [analyzed] = await database.query<{ at: Date | null }>(
      `select last_analyze as at from pg_stat_user_tables where relname = 'catalogue_records'`,
    );
    expect(analyzed?.at).toBeInstanceOf(Date);
    expect(await importMarc(db, systemActor, { bytes: many }, { libraryCode: lib.code, batchSize: 1000 })).toMatchObject({
      added: 0,
      unchanged: 1200,
    });
  }, 60_000);

  test('an empty file and a non-MARC file are clear errors', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const empty = await importMarc(db, systemActor, { bytes: new Uint8Array(0) }, { libraryCode: lib.code });
    expect(empty.problems[0]?.code).toBe('empty-file');
    const text = await importMarc(db, systemActor, { bytes: Buffer.from('tên,năm\nAn,2020\n') }, { libraryCode: lib.code });
    expect(text.added).toBe(0);
    expect(text.problems[0]?.code).toBe('not-marc');
  });

  test('a file the worker thread cannot read is an error that names it', async () => {
    const lib = await makeInstitution(database.db);
    await expect(
      importMarc(database.db, systemActor, { path: '/nonexistent/catalogue.mrc' }, { libraryCode: lib.code, worker: true }),
    ).rejects.toThrow(/nonexistent\/catalogue\.mrc/);
  });

  test('MARCXML is read too', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const xml = writeMarcXml([testRecord({ title: 'Nhật ký trong tù', author: 'Hồ, Chí Minh', year: 1960 })]);
    const report = await importMarc(db, systemActor, { bytes: Buffer.from(xml) }, { libraryCode: lib.code });
    expect(report.added).toBe(1);
  });

  test('only staff of the library may import, and an unknown library is named', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const other = await makeActor(db, [{ role: 'staff', institution: await makeInstitution(db) }]);
    const bytes = writeIso2709([testRecord({ title: 'Vợ nhặt' })]);
    await expect(importMarc(db, other, { bytes }, { libraryCode: lib.code })).rejects.toMatchObject({ status: 403 });
    await expect(importMarc(db, systemActor, { bytes }, { libraryCode: 'KHONG-CO' })).rejects.toMatchObject({ status: 422 });
  });

  test('items: add, edit, withdraw; barcodes unique across the province', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const staff = await makeActor(db, [{ role: 'staff', institution: lib }]);
    await importMarc(
      db,
      systemActor,
      { bytes: writeIso2709([testRecord({ title: 'Lão Hạc', author: 'Nam, Cao', year: 1943 })]) },
      { libraryCode: lib.code },
    );
    const [hit] = (await searchCatalogue(db, { q: 'lao hac' })).hits;
    if (!hit) throw new Error('not found');
    const item = await addItem(db, staff, hit.id, { institutionId: lib.id, barcode: 'lh-001', callNumber: '895.9223 N' });
    expect(item.barcode).toBe('LH-001');
    await expect(addItem(db, staff, hit.id, { institutionId: lib.id, barcode: 'LH-001' })).rejects.toMatchObject({ status: 409 });
    const outsider = await makeActor(db, [{ role: 'staff', institution: await makeInstitution(db) }]);
    await expect(updateItem(db, outsider, item.id, { barcode: 'LH-002' })).rejects.toMatchObject({ status: 403 });
    expect((await updateItem(db, staff, item.id, { barcode: 'LH-001', location: 'Kho đọc' })).location).toBe('Kho đọc');
    await withdrawItem(db, staff, item.id);
    expect(await itemsOf(db, hit.id)).toEqual([]);
  });

  test('export writes ISO 2709 and MARCXML that read back', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    await importMarc(
      db,
      systemActor,
      { bytes: writeIso2709([testRecord({ title: 'Bỉ vỏ', author: 'Nguyên, Hồng', year: 1938, copies: [{}] })]) },
      { libraryCode: lib.code },
    );
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    const report = await exportMarc(db, { libraryCode: lib.code, format: 'iso2709', out });
    expect(report.records).toBe(1);
    const back = [...parseIso2709(Buffer.concat(chunks))];
    expect(back[0]?.record?.fields.find((f) => f.tag === '245')).toBeDefined();
    const xml: string[] = [];
    const outXml = new Writable({
      write(chunk: Buffer, _enc, cb) {
        xml.push(chunk.toString());
        cb();
      },
    });
    await exportMarc(db, { libraryCode: lib.code, format: 'marcxml', out: outXml });
    expect(xml.join('')).toContain('Bỉ vỏ');
  });
});
