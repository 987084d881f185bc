import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../platform/access.js';
import type { Database, Db } from '../platform/db/index.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { importInstitutions } from './import-institutions.js';
import { institutions } from './schema.js';
import { makeActor, makeInstitution, makeUnit } from './testing.js';

let database: Database;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.close());

async function total(): Promise<number> {
  const [row] = await db.select({ n: count() }).from(institutions);
  return row?.n ?? 0;
}

describe('institution CSV', () => {
  it('creates institutions with parents from earlier rows, then updates by code, then changes nothing', async () => {
    const district = await makeUnit(db, { level: 'district', code: '70855' });
    const csv = [
      'code,name,type,unit_code,parent_code,address,phone,email,website,serves_public,opened_on,closed_on,note',
      'TTVH-70855,Trung tâm Văn hóa huyện Thử,culture_centre_district,70855,,"Số 1, đường Hoà Bình",0270 3822 123,,https://vh.example.org,,,,',
      'tv-70855,Thư viện huyện Thử,library_district,70855,TTVH-70855,,,ThuVien@Example.org,,có,02/09/1999,,',
    ];
    expect(await importInstitutions(db, systemActor, csv.join('\n'))).toEqual({ created: 2, updated: 0, successions: 0, errors: [] });
    const [library] = await db.select().from(institutions).where(eq(institutions.code, 'TV-70855'));
    const [centre] = await db.select().from(institutions).where(eq(institutions.code, 'TTVH-70855'));
    expect(library).toMatchObject({
      unitId: district.id,
      parentId: centre?.id,
      email: 'thuvien@example.org',
      openedOn: '1999-09-02',
      servesPublic: true,
    });
    expect(centre).toMatchObject({ address: 'Số 1, đường Hòa Bình', phone: '0270 3822 123' });
    expect(await importInstitutions(db, systemActor, csv.join('\n'))).toMatchObject({ created: 0, updated: 0, errors: [] });
    csv[2] = csv[2]!.replace('Thư viện huyện Thử', 'Thư viện huyện Thử nghiệm');
    expect(await importInstitutions(db, systemActor, csv.join('\n'))).toMatchObject({ created: 0, updated: 1, errors: [] });
  });

  it('lists every bad row with its column, and writes none of the good ones', async () => {
    const before = await total();
    await makeUnit(db, { level: 'district', code: '70857' });
    const report = await importInstitutions(
      db,
      systemActor,
      [
        'code,name,type,unit_code,parent_code,email,opened_on',
        'OK-1,Thư viện tốt,library_district,70857,,,',
        'BAD-1,Thư viện,library_district,99999,,,',
        'BAD-2,Thư viện,zoo,70857,,,',
        'OK-1,Thư viện lặp,library_district,70857,,,',
        'BAD-3,Thư viện,library_district,70857,LATER,,31/02/2020',
        'BAD-4,Thư viện,library_district,70857,,không-phải-email,',
        'LATER,Thư viện,library_district,70857,,,',
        ',,library_district,70857,,,',
      ].join('\n'),
    );
    expect(report.created + report.updated).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.key])).toEqual([
      [2, 'unit_code', 'orgs.institution.unitUnknown'],
      [3, 'type', 'orgs.import.badType'],
      [4, 'code', 'orgs.import.duplicateCode'],
      [5, 'opened_on', 'orgs.import.badDate'],
      [6, 'email', 'errors.format.email'],
      [8, 'code', 'errors.pattern'],
      [8, 'name', 'errors.required'],
    ]);
    expect(await total()).toBe(before);
    const second = await importInstitutions(
      db,
      systemActor,
      [
        'code,name,type,unit_code,parent_code',
        'BAD-1,Thư viện,library_district,99999,',
        'BAD-3,Thư viện,library_district,70857,LATER',
        'LATER,Thư viện,library_district,70857,',
      ].join('\n'),
    );
    expect(second.errors.map((e) => [e.row, e.field, e.key])).toEqual([
      [1, 'unit_code', 'orgs.institution.unitUnknown'],
      [2, 'parent_code', 'orgs.import.parentNotEarlier'],
    ]);
    expect(await total()).toBe(before);
  });

  it('reports a missing column, a broken quote and an empty file', async () => {
    expect((await importInstitutions(db, systemActor, 'code,name,type\nA,B,library_district')).errors).toEqual([
      expect.objectContaining({ field: 'unit_code', key: 'orgs.import.missingColumn' }),
    ]);
    expect((await importInstitutions(db, systemActor, 'code,name,type,unit_code\nA,"B,library_district,1')).errors).toEqual([
      expect.objectContaining({ row: 1, field: 'name', key: 'orgs.import.badCsv' }),
    ]);
    expect((await importInstitutions(db, systemActor, '\uFEFF  \n')).errors).toEqual([
      expect.objectContaining({ field: 'file', key: 'orgs.import.empty' }),
    ]);
  });

  it('updates an existing code only where the actor may edit it', async () => {
    const province = await makeUnit(db, { level: 'province' });
    const mine = await makeUnit(db, { parent: province });
    const theirs = await makeUnit(db, { parent: province });
    const other = await makeInstitution(db, { unit: theirs, code: 'THEIRS-1' });
    const officer = await makeActor(db, [{ role: 'unit_officer', unit: mine }]);
    const report = await importInstitutions(
      db,
      officer,
      `code,name,type,unit_code\nTHEIRS-1,Đổi tên,library_district,${theirs.code}\nMINE-1,Của tôi,library_district,${mine.code}`,
    );
    expect(report.errors).toEqual([expect.objectContaining({ row: 1, field: 'code', key: 'orgs.import.forbidden' })]);
    expect((await db.select().from(institutions).where(eq(institutions.id, other.id)))[0]?.name).toBe(other.name);
    expect(await db.select().from(institutions).where(eq(institutions.code, 'MINE-1'))).toEqual([]);
  });
});
