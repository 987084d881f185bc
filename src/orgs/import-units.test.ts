import { and, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../platform/access.js';
import type { Database, Db } from '../platform/db/index.js';
import { auditLog } from '../platform/schema.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { importUnits, type ImportReport } from './import-units.js';
import { adminUnits, unitSuccessions } from './schema.js';
import { fixtureFiles } from './seed.js';
import { haveFixtures, readFixture } from './testing.js';

async function unitCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(adminUnits);
  return row?.n ?? 0;
}

async function byCode(db: Db, code: string) {
  return db.select().from(adminUnits).where(eq(adminUnits.code, code)).orderBy(adminUnits.validFrom);
}

const json = (name: string) => ({ format: 'json' as const, text: readFixture(name), fileName: name });

if (!haveFixtures) console.warn('Skipping the real unit-list tests: ../shared/fixtures/units is not beside the checkout.');

describe.skipIf(!haveFixtures)('the real unit lists of ../shared/fixtures/units', () => {
  let database: Database;
  let db: Db;
  const reports = new Map<string, ImportReport>();

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    for (const f of fixtureFiles) reports.set(f, await importUnits(db, systemActor, json(f)));
  });
  afterAll(() => database.close());

  it('imports every file without errors', () => {
    for (const f of fixtureFiles) expect(reports.get(f)?.errors, f).toEqual([]);
    expect(reports.get('vinh-long-2023.json')).toMatchObject({ created: 1 + 8 + 107, updated: 0 });
    expect(reports.get('vinh-long-2025.json')).toMatchObject({ created: 124, updated: 1 });
  });

  it('has old Vĩnh Long with 8 districts and 107 communes (87 Xã, 14 Phường, 6 Thị trấn), in force until 30/6/2025', async () => {
    const [province] = await byCode(db, '86');
    expect(province).toMatchObject({ level: 'province', kind: 'Tỉnh', validFrom: '2023-04-10', validTo: null });
    const districts = await db
      .select()
      .from(adminUnits)
      .where(and(eq(adminUnits.parentId, province!.id), eq(adminUnits.level, 'district')));
    expect(districts).toHaveLength(8);
    expect(districts.map((d) => d.kind).sort()).toEqual(['Huyện', 'Huyện', 'Huyện', 'Huyện', 'Huyện', 'Huyện', 'Thành phố', 'Thị xã']);
    const perDistrict: Record<string, number> = {};
    const kinds: Record<string, number> = {};
    for (const d of districts) {
      expect(d).toMatchObject({ validFrom: '2023-04-10', validTo: '2025-06-30' });
      const communes = await db.select().from(adminUnits).where(eq(adminUnits.parentId, d.id));
      perDistrict[d.code] = communes.length;
      for (const c of communes) {
        kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
        expect(c).toMatchObject({ level: 'commune', validFrom: '2023-04-10', validTo: '2025-06-30' });
      }
    }
    expect(perDistrict).toEqual({ 855: 11, 857: 15, 858: 12, 859: 20, 860: 17, 861: 8, 862: 14, 863: 10 });
    expect(kinds).toEqual({ Xã: 87, Phường: 14, 'Thị trấn': 6 });
  });

  it('continues province 86 through the change and puts the 124 communes of 2025 (105 Xã, 19 Phường) directly under it', async () => {
    const rows = await byCode(db, '86');
    expect(rows).toHaveLength(1);
    const communes = await db
      .select()
      .from(adminUnits)
      .where(and(eq(adminUnits.parentId, rows[0]!.id), eq(adminUnits.level, 'commune'), eq(adminUnits.validFrom, '2025-07-01')));
    expect(communes).toHaveLength(124);
    expect(communes.every((c) => c.validTo === null)).toBe(true);
    expect(communes.filter((c) => c.kind === 'Xã')).toHaveLength(105);
    expect(communes.filter((c) => c.kind === 'Phường')).toHaveLength(19);
  });

  it('ends Bến Tre (83) and Trà Vinh (84) on 30/6/2025 and makes them predecessors of 86', async () => {
    const [vinhLong] = await byCode(db, '86');
    for (const code of ['83', '84']) {
      const [old] = await byCode(db, code);
      expect(old).toMatchObject({ level: 'province', validTo: '2025-06-30' });
      const links = await db.select().from(unitSuccessions).where(eq(unitSuccessions.predecessorId, old!.id));
      expect(links).toEqual([expect.objectContaining({ successorId: vinhLong!.id, share: 'full', effectiveOn: '2025-07-01' })]);
    }
  });

  it('links old to new communes: 359 links, 349 full and 10 partial, after correcting 28924 as the resolution says', async () => {
    const links = await db
      .select({ share: unitSuccessions.share, level: adminUnits.level })
      .from(unitSuccessions)
      .innerJoin(adminUnits, eq(adminUnits.id, unitSuccessions.predecessorId));
    const communeLinks = links.filter((l) => l.level === 'commune');
    expect(communeLinks).toHaveLength(359);
    expect(communeLinks.filter((l) => l.share === 'full')).toHaveLength(349);
    expect(communeLinks.filter((l) => l.share === 'partial')).toHaveLength(10);
    expect(reports.get('reorganisation-2025.json')).toMatchObject({ successions: 361, errors: [] });
  });

  it('sends all of Bến Tre’s xã Hòa Lộc (28924) to Tân Thành Bình (28921), with the known issue as a note', async () => {
    const [old] = await byCode(db, '28924');
    const links = await db
      .select({ link: unitSuccessions, to: adminUnits })
      .from(unitSuccessions)
      .innerJoin(adminUnits, eq(adminUnits.id, unitSuccessions.successorId))
      .where(eq(unitSuccessions.predecessorId, old!.id));
    expect(links.map((l) => [l.to.code, l.link.share])).toEqual([['28921', 'full']]);
    expect(links[0]?.link.note).toMatch(/khoản 68/);
    const [tamBinh] = await byCode(db, '29734');
    expect(tamBinh).toMatchObject({ name: 'Xã Hòa Lộc', validTo: '2025-06-30' });
  });

  it('keeps codes that 2025 reused apart: old 28756 until 30/6/2025, the new ward from 1/7/2025', async () => {
    const rows = await byCode(db, '28756');
    expect(rows.map((r) => [r.validFrom, r.validTo])).toEqual([
      ['2023-04-10', '2025-06-30'],
      ['2025-07-01', null],
    ]);
    const [link] = await db
      .select()
      .from(unitSuccessions)
      .where(and(eq(unitSuccessions.predecessorId, rows[0]!.id), eq(unitSuccessions.successorId, rows[1]!.id)));
    expect(link?.share).toBe('full');
  });

  it('normalises the source’s whitespace and tone-mark quirks', async () => {
    expect((await byCode(db, '859'))[0]?.name).toBe('Huyện Vũng Liêm');
    expect((await byCode(db, '28945'))[0]?.name).toBe('Xã Bình Khánh');
    const [hoaLoc] = await byCode(db, '29734');
    expect(hoaLoc).toMatchObject({ name: 'Xã Hòa Lộc', nameFolded: 'xa hoa loc' });
    const oldStyle = await db.select({ n: count() }).from(adminUnits).where(eq(adminUnits.name, 'Xã Hoà Lộc'));
    expect(oldStyle[0]?.n).toBe(0);
  });

  it('changes nothing when the same files are imported again', async () => {
    const before = await unitCount(db);
    const [links] = await db.select({ n: count() }).from(unitSuccessions);
    for (const f of fixtureFiles)
      expect(await importUnits(db, systemActor, json(f)), f).toEqual({ created: 0, updated: 0, successions: 0, errors: [] });
    expect(await unitCount(db)).toBe(before);
    expect((await db.select({ n: count() }).from(unitSuccessions))[0]?.n).toBe(links?.n);
  });

  it('records each written unit in the audit log', async () => {
    const [created] = await db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'unit'), eq(auditLog.action, 'create')));
    expect(created?.n).toBe(await unitCount(db));
    const [imports] = await db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'import'), isNull(auditLog.entityId)));
    expect(imports?.n).toBe(fixtureFiles.length * 2);
  });
});

describe.skipIf(!haveFixtures)('the reorganisation mapping loaded before the old lists', () => {
  it('is refused, naming each missing district once with its row, and writes nothing', async () => {
    const database = await createTestDatabase();
    try {
      const report = await importUnits(database.db, systemActor, json('reorganisation-2025.json'));
      expect(report.created + report.updated + report.successions).toBe(0);
      const missing = report.errors.filter((e) => e.key === 'orgs.import.unitMissing');
      expect(missing).toHaveLength(26);
      expect(missing[0]).toMatchObject({ row: 1, field: 'new_to_old[0].formed_from[0].district_code', params: { code: '829' } });
      expect(report.errors).toHaveLength(26);
      expect(await unitCount(database.db)).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('gives the same units whichever list comes first', async () => {
    const database = await createTestDatabase();
    try {
      const db = database.db;
      for (const f of ['vinh-long-2025.json', 'vinh-long-2023.json', 'tra-vinh-2023.json', 'ben-tre-2023.json', 'reorganisation-2025.json']) {
        expect((await importUnits(db, systemActor, json(f))).errors, f).toEqual([]);
      }
      expect(await unitCount(db)).toBe(3 + 26 + 370 + 124);
      expect((await byCode(db, '86')).map((r) => [r.validFrom, r.validTo])).toEqual([['2023-04-10', null]]);
      expect((await byCode(db, '29551')).map((r) => r.name)).toEqual(['Phường 2', 'Phường Long Châu']);
    } finally {
      await database.close();
    }
  });
});

describe('a unit file with mistakes', () => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
  });
  afterAll(() => database.close());

  const csv = (...lines: string[]) => ({ format: 'csv' as const, text: lines.join('\n') });
  const header = 'code,name,kind,level,parent_code,valid_from,valid_to';

  async function refused(source: { format: 'csv' | 'json'; text: string }) {
    const report = await importUnits(db, systemActor, source);
    expect(report.created + report.updated + report.successions).toBe(0);
    expect(await unitCount(db)).toBe(0);
    return report.errors;
  }

  it('reports malformed JSON with its line', async () => {
    expect(await refused({ format: 'json', text: '{\n  "province": {\n    "code": "86",,\n' })).toEqual([
      expect.objectContaining({ field: 'file', key: 'orgs.import.badJson', params: { line: 3 } }),
    ]);
  });

  it('reports JSON of another shape, and a unit without a name by its path and row', async () => {
    expect(await refused({ format: 'json', text: '[1, 2]' })).toEqual([expect.objectContaining({ key: 'orgs.import.unknownShape' })]);
    const doc = {
      source: { data_date: '2023-04-10' },
      province: { code: '86', name: 'Tỉnh Vĩnh Long', type: 'Tỉnh', districts: [{ code: '855', name: '', type: 'Thành phố', communes: [] }] },
    };
    expect(await refused({ format: 'json', text: JSON.stringify(doc) })).toEqual([
      expect.objectContaining({ field: 'province.districts[0].name', row: 2, key: 'errors.required' }),
    ]);
  });

  it('reports an unclosed quote with the row and column where it starts', async () => {
    expect(
      await refused(csv(header, '86,Tỉnh Vĩnh Long,Tỉnh,province,,2023-04-10,', '855,"Thành phố Vĩnh Long,Thành phố,district,86,2023-04-10,')),
    ).toEqual([expect.objectContaining({ field: 'name', row: 2, key: 'orgs.import.badCsv' })]);
  });

  it('reports an unknown parent code on its row', async () => {
    expect(
      await refused(csv(header, '86,Tỉnh Vĩnh Long,Tỉnh,province,,2023-04-10,', '855,Thành phố Vĩnh Long,Thành phố,district,99,2023-04-10,')),
    ).toEqual([
      expect.objectContaining({ field: 'parent_code', row: 2, key: 'orgs.unit.parentUnknown', params: { code: '99', date: '2023-04-10' } }),
    ]);
  });

  it('reports a code given twice for the same start date', async () => {
    expect(await refused(csv(header, '86,Tỉnh Vĩnh Long,Tỉnh,province,,2023-04-10,', '86,Tỉnh Vĩnh Long,Tỉnh,tỉnh,,10/4/2023,'))).toEqual([
      expect.objectContaining({ field: 'code', row: 2, key: 'orgs.import.duplicateCode', params: { code: '86', row: 1 } }),
    ]);
  });

  it('reports bad dates, levels and codes, every one of them', async () => {
    const errors = await refused(csv(header, '86,Tỉnh Vĩnh Long,Tỉnh,province,,2023-02-30,', 'x1,Huyện A,Huyện,county,86,2023-04-10,soon'));
    expect(errors.map((e) => [e.row, e.field, e.key])).toEqual([
      [1, 'valid_from', 'orgs.import.badDate'],
      [2, 'code', 'orgs.import.badCode'],
      [2, 'level', 'orgs.import.badLevel'],
      [2, 'valid_to', 'orgs.import.badDate'],
    ]);
  });

  it('reports problems against the stored units together with problems of form, without repeating them for dependent rows', async () => {
    const errors = await refused(
      csv(
        header,
        '87,Tỉnh Thử,Tỉnh,county,,2023-04-10,',
        '870,Huyện Thử,Huyện,district,99,2023-04-10,',
        '871,Huyện Khác,Huyện,district,87,2023-04-10,',
      ),
    );
    expect(errors.map((e) => [e.row, e.field, e.key])).toEqual([
      [1, 'level', 'orgs.import.badLevel'],
      [2, 'parent_code', 'orgs.unit.parentUnknown'],
    ]);
  });

  it('reports a missing required column and an unknown one', async () => {
    expect(await refused(csv('code,name,kind,level,parent,valid_to', '86,Tỉnh Vĩnh Long,Tỉnh,province,,'))).toEqual([
      expect.objectContaining({ field: 'valid_from', key: 'orgs.import.missingColumn' }),
      expect.objectContaining({ field: 'parent', key: 'orgs.import.unknownColumn' }),
    ]);
  });

  it('refuses a whole file for one bad row at the end, keeping none of the good rows', async () => {
    const errors = await refused(
      csv(
        header,
        '86,Tỉnh Vĩnh Long,Tỉnh,province,,2023-04-10,',
        '855,Thành phố Vĩnh Long,Thành phố,district,86,2023-04-10,2025-06-30',
        '29542,Phường 9,Phường,commune,855,2023-04-10,2026-01-01',
      ),
    );
    expect(errors).toEqual([expect.objectContaining({ row: 3, field: 'parent_code', key: 'orgs.unit.parentPeriod' })]);
  });
});

describe('a unit CSV', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('creates, then updates by code and start date, then changes nothing', async () => {
    const db = database.db;
    const lines = [
      'code;name;kind;level;parent_code;valid_from;valid_to',
      '86;Tỉnh Vĩnh Long;Tỉnh;tinh;;2023-04-10;',
      '855;Thành phố   Vĩnh Long;thanh pho;huyện;86;2023-04-10;30/06/2025',
      '29566;Phường Tân Hoà;Phường;xã;855;2023-04-10;2025-06-30',
    ];
    expect(await importUnits(db, systemActor, { format: 'csv', text: lines.join('\r\n') })).toEqual({
      created: 3,
      updated: 0,
      successions: 0,
      errors: [],
    });
    const [ward] = await byCode(db, '29566');
    expect(ward).toMatchObject({ name: 'Phường Tân Hòa', kind: 'Phường', level: 'commune', validTo: '2025-06-30' });
    expect((await byCode(db, '855'))[0]).toMatchObject({ name: 'Thành phố Vĩnh Long', kind: 'Thành phố' });
    lines[3] = '29566;Phường Tân Hòa;Phường;commune;855;2023-04-10;2025-06-01';
    expect(await importUnits(db, systemActor, { format: 'csv', text: lines.join('\n') })).toMatchObject({ created: 0, updated: 1, errors: [] });
    expect(await importUnits(db, systemActor, { format: 'csv', text: lines.join('\n') })).toMatchObject({ created: 0, updated: 0, errors: [] });
  });

  it('links successors from a successions CSV', async () => {
    const db = database.db;
    const units = [
      'code,name,kind,level,parent_code,valid_from,valid_to',
      '70,Tỉnh Thử,Tỉnh,province,,2023-04-10,',
      '70001,Xã Cũ,Xã,commune,70,2023-04-10,2025-06-01',
      '70002,Phường Mới,Phường,commune,70,2025-07-01,',
    ];
    expect(await importUnits(db, systemActor, { format: 'csv', text: units.join('\n') })).toMatchObject({ created: 3, errors: [] });
    const links = ['predecessor_code,successor_code,effective_on,share,note', '70001,70002,2025-07-01,partial,"thử, một phần"'];
    const missing = await importUnits(db, systemActor, { format: 'csv', text: links.join('\n') });
    expect(missing.errors).toEqual([expect.objectContaining({ row: 1, field: 'predecessor_code', key: 'orgs.import.unitUnknown' })]);
    links[1] = '70001,70002,2025-06-02,partial,"thử, một phần"';
    const early = await importUnits(db, systemActor, { format: 'csv', text: links.join('\n') });
    expect(early.errors).toEqual([expect.objectContaining({ row: 1, field: 'successor_code', key: 'orgs.import.unitUnknown' })]);
    units[2] = '70001,Xã Cũ,Xã,commune,70,2023-04-10,2025-06-30';
    expect(await importUnits(db, systemActor, { format: 'csv', text: units.join('\n') })).toMatchObject({ updated: 1, errors: [] });
    links[1] = '70001,70002,2025-07-01,partial,"thử, một phần"';
    expect(await importUnits(db, systemActor, { format: 'csv', text: links.join('\n') })).toMatchObject({ successions: 1, errors: [] });
    const [link] = await db.select().from(unitSuccessions);
    expect(link).toMatchObject({ share: 'partial', note: 'thử, một phần', effectiveOn: '2025-07-01' });
    expect(await importUnits(db, systemActor, { format: 'csv', text: links.join('\n') })).toMatchObject({ successions: 0, errors: [] });
  });
});

describe('a reorganisation mapping that names units not stored yet', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('creates the missing old communes under their district, the old province, and the new commune under the new province', async () => {
    const db = database.db;
    const districts = [
      'code,name,kind,level,parent_code,valid_from,valid_to',
      '71,Tỉnh Cũ,Tỉnh,province,,2020-01-01,2025-06-30',
      '710,Huyện Cũ,Huyện,district,71,2020-01-01,2025-06-30',
      '72,Tỉnh Mới,Tỉnh,province,,2020-01-01,',
    ];
    expect(await importUnits(db, systemActor, { format: 'csv', text: districts.join('\n') })).toMatchObject({ created: 3, errors: [] });
    const mapping = {
      source: { old_units: { data_date: '2025-03-01' } },
      effective_date: '2025-07-01',
      new_province: { code: '72', name: 'Tỉnh Mới' },
      old_provinces: [
        { code: '71', name: 'Tỉnh Cũ' },
        { code: '72', name: 'Tỉnh Mới' },
      ],
      new_to_old: [
        {
          code: '71001',
          name: 'Phường  Hoà Bình',
          formed_from: [
            { code: '71001', name: 'Xã Hoà Bình', district_code: '710', province_code: '71', merge: 'full' },
            { code: '71002', name: 'Thị trấn Cũ', district_code: '710', province_code: '71', merge: 'partial' },
          ],
        },
      ],
      old_to_new: [
        { code: '71001', becomes: ['71001'] },
        { code: '71002', becomes: ['71001'] },
      ],
    };
    const report = await importUnits(db, systemActor, { format: 'json', text: JSON.stringify(mapping) });
    expect(report).toEqual({ created: 3, updated: 0, successions: 3, errors: [] });
    const [oldWard, newWard] = await byCode(db, '71001');
    expect(oldWard).toMatchObject({ name: 'Xã Hòa Bình', kind: 'Xã', validFrom: '2025-03-01', validTo: '2025-06-30' });
    expect(newWard).toMatchObject({ name: 'Phường Hòa Bình', kind: 'Phường', validFrom: '2025-07-01', validTo: null });
    expect((await byCode(db, '71002'))[0]).toMatchObject({ kind: 'Thị trấn' });
    expect(await importUnits(db, systemActor, { format: 'json', text: JSON.stringify(mapping) })).toEqual({
      created: 0,
      updated: 0,
      successions: 0,
      errors: [],
    });
    const mismatched = { ...mapping, old_to_new: [{ code: '71001', becomes: ['71001', '71009'] }] };
    const refused = await importUnits(db, systemActor, { format: 'json', text: JSON.stringify(mismatched) });
    expect(refused.errors.map((e) => [e.field, e.key])).toEqual([
      ['old_to_new[0].becomes', 'orgs.import.mappingMismatch'],
      ['new_to_old[0].formed_from[1].code', 'orgs.import.mappingMismatch'],
    ]);
  });
});
