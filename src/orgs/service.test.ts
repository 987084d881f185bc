import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../platform/access.js';
import type { Database, Db } from '../platform/db/index.js';
import { ConflictError, ValidationError } from '../platform/errors.js';
import { auditLog } from '../platform/schema.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { institutionScope, unitScope } from './scope.js';
import {
  addSuccession,
  createInstitution,
  createUnit,
  getInstitution,
  getUnit,
  grantLabels,
  listInstitutions,
  listUnits,
  networkCounts,
  updateInstitution,
  updateUnit,
} from './service.js';
import { makeActor, makeInstitution, makeUnit } from './testing.js';

let database: Database;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.close());

async function issuesOf(p: Promise<unknown>): Promise<Array<{ field: string; key: string }>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw new Error(`expected issues, got ${String(err)}`);
  return err.issues.map((i) => ({ field: i.field, key: i.key }));
}

describe('units', () => {
  it('creates a unit under a parent, normalising its name and kind, and audits it', async () => {
    const province = await makeUnit(db, { level: 'province' });
    const row = await createUnit(db, systemActor, {
      code: ' 80855 ',
      name: 'Huyện  Hoà Bình ',
      kind: 'huyen',
      level: 'district',
      parentCode: province.code,
      validFrom: '2010-01-01',
    });
    expect(row).toMatchObject({
      code: '80855',
      name: 'Huyện Hòa Bình',
      kind: 'Huyện',
      nameFolded: 'huyen hoa binh',
      parentId: province.id,
      validTo: null,
    });
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'unit'), eq(auditLog.entityId, row.id)));
    expect(entry).toMatchObject({ action: 'create', actorLabel: 'cli', unitIds: [row.id, province.id] });
  });

  it('refuses a unit that does not fit its place, naming each field', async () => {
    const province = await makeUnit(db, { level: 'province', validFrom: '2020-01-01', validTo: '2025-06-30' });
    const district = await makeUnit(db, { parent: province, validFrom: '2020-01-01', validTo: '2025-06-30' });
    const base = { name: 'Xã Thử', kind: 'Xã', level: 'commune', validFrom: '2021-01-01' };
    expect(await issuesOf(createUnit(db, systemActor, { ...base, code: '81001' }))).toEqual([{ field: 'parentCode', key: 'errors.required' }]);
    expect(await issuesOf(createUnit(db, systemActor, { ...base, code: '81002', parentCode: '999999' }))).toEqual([
      { field: 'parentCode', key: 'orgs.unit.parentUnknown' },
    ]);
    expect(await issuesOf(createUnit(db, systemActor, { ...base, code: '81003', parentCode: district.code, validTo: '2026-01-01' }))).toEqual([
      { field: 'parentCode', key: 'orgs.unit.parentPeriod' },
    ]);
    expect(
      await issuesOf(createUnit(db, systemActor, { ...base, code: '81004', kind: 'Huyện', parentCode: district.code, validTo: '2020-12-31' })),
    ).toEqual([
      { field: 'kind', key: 'orgs.unit.kindLevel' },
      { field: 'validTo', key: 'orgs.unit.periodOrder' },
    ]);
    expect(
      await issuesOf(createUnit(db, systemActor, { ...base, code: '81005', level: 'district', kind: 'Huyện', parentCode: district.code })),
    ).toEqual([{ field: 'parentCode', key: 'orgs.unit.parentLevel' }]);
    expect(
      await issuesOf(createUnit(db, systemActor, { ...base, code: '81006', level: 'province', kind: 'Tỉnh', parentCode: province.code })),
    ).toEqual([{ field: 'parentCode', key: 'orgs.unit.provinceParent' }]);
    const garbage = await issuesOf(createUnit(db, systemActor, { code: 'x', name: '', kind: '', level: 'city', validFrom: '2021-02-30', extra: 1 }));
    expect(garbage).toEqual(
      expect.arrayContaining([
        { field: 'code', key: 'errors.pattern' },
        { field: 'name', key: 'errors.required' },
        { field: 'level', key: 'errors.choice' },
        { field: 'validFrom', key: 'errors.format.date' },
      ]),
    );
    expect(garbage.map((i) => i.field)).toContain('extra');
  });

  it('lets a code be reused only by a unit in another period, and a commune sit directly in a province', async () => {
    const province = await makeUnit(db, { level: 'province' });
    const old = await createUnit(db, systemActor, {
      code: '82001',
      name: 'Xã Cũ',
      kind: 'Xã',
      level: 'commune',
      parentCode: province.code,
      validFrom: '2020-01-01',
      validTo: '2025-06-30',
    });
    expect(
      await issuesOf(
        createUnit(db, systemActor, {
          code: '82001',
          name: 'Phường Mới',
          kind: 'Phường',
          level: 'commune',
          parentCode: province.code,
          validFrom: '2025-06-01',
        }),
      ),
    ).toEqual([{ field: 'code', key: 'orgs.unit.codeOverlap' }]);
    const reused = await createUnit(db, systemActor, {
      code: '82001',
      name: 'Phường Mới',
      kind: 'Phường',
      level: 'commune',
      parentCode: province.code,
      validFrom: '2025-07-01',
    });
    expect(reused.id).not.toBe(old.id);
  });

  it('keeps children inside a changed period, and records before and after', async () => {
    const province = await makeUnit(db, { level: 'province' });
    const district = await makeUnit(db, { parent: province });
    await makeUnit(db, { parent: district, validFrom: '2000-01-01', validTo: null });
    expect(await issuesOf(updateUnit(db, systemActor, district.id, { validTo: '2025-06-30' }))).toEqual([
      { field: 'validTo', key: 'orgs.unit.childrenOutside' },
    ]);
    const renamed = await updateUnit(db, systemActor, district.id, { name: 'Huyện Đổi Tên' });
    expect(renamed).toMatchObject({ name: 'Huyện Đổi Tên', parentId: province.id, code: district.code });
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, district.id), eq(auditLog.action, 'update')));
    expect(entry?.before).toMatchObject({ name: district.name });
    expect(entry?.after).toMatchObject({ name: 'Huyện Đổi Tên' });
  });

  it('records successions only between a unit that ended and one that began', async () => {
    const province = await makeUnit(db, { level: 'province' });
    const old = await makeUnit(db, { parent: province, level: 'commune', validTo: '2025-06-30' });
    const young = await makeUnit(db, { parent: province, level: 'commune', validFrom: '2025-07-01' });
    expect(await issuesOf(addSuccession(db, systemActor, { predecessorId: old.id, successorId: young.id, effectiveOn: '2025-08-01' }))).toEqual([
      { field: 'predecessorId', key: 'orgs.succession.predecessorPeriod' },
    ]);
    const link = await addSuccession(db, systemActor, { predecessorId: old.id, successorId: young.id, effectiveOn: '2025-07-01', share: 'partial' });
    expect(link).toMatchObject({ share: 'partial' });
    const detail = await getUnit(db, young.id);
    expect(detail.predecessors.map((p) => [p.unit.id, p.link.share])).toEqual([[old.id, 'partial']]);
    expect((await getUnit(db, old.id)).successors.map((s) => s.unit.id)).toEqual([young.id]);
  });

  it('finds units without diacritics, ranks exact tones first, and filters by level and date', async () => {
    const province = await makeUnit(db, { level: 'province', name: 'Tỉnh Tìm Kiếm' });
    await makeUnit(db, { parent: province, level: 'commune', name: 'Xã Ba Hòn Ngàn' });
    await makeUnit(db, { parent: province, level: 'commune', name: 'Xã Bà Hòn Ngàn' });
    await makeUnit(db, { parent: province, level: 'commune', name: 'Xã Cũ Hòn Ngàn', validTo: '2010-01-01' });
    const plain = await listUnits(db, { q: 'hon ngan' });
    expect(plain.items.map((i) => i.unit.name)).toEqual(['Xã Ba Hòn Ngàn', 'Xã Bà Hòn Ngàn']);
    const toned = await listUnits(db, { q: 'Bà hòn ngàn' });
    expect(toned.items.map((i) => i.unit.name)).toEqual(['Xã Bà Hòn Ngàn', 'Xã Ba Hòn Ngàn']);
    expect((await listUnits(db, { q: 'hon ngan', at: '2005-01-01' })).total).toBe(3);
    expect((await listUnits(db, { q: 'hon ngan', at: 'all', level: 'province' })).total).toBe(0);
    expect((await listUnits(db, { parentId: province.id, at: 'all' })).total).toBe(3);
  });
});

describe('scopes', () => {
  it('walks up units and institutions with their parents', async () => {
    const commune = await makeUnit(db, { level: 'commune' });
    const district = commune.parentId!;
    const province = (await getUnit(db, district)).unit.parentId!;
    expect((await unitScope(db, commune.id)).unitPath).toEqual([commune.id, district, province]);
    const centre = await makeInstitution(db, { unit: commune, type: 'culture_centre_commune' });
    const library = await makeInstitution(db, { unit: commune, parent: centre, type: 'library_commune' });
    expect(await institutionScope(db, library.id)).toEqual({
      unitPath: [commune.id, district, province],
      institutionPath: [library.id, centre.id],
      institutionType: 'library_commune',
    });
    expect((await institutionScope(db, centre.id)).institutionType).toBe('culture_centre_commune');
    expect(await unitScope(db, 'not-an-id')).toEqual({ unitPath: [], institutionPath: [] });
  });
});

describe('institutions', () => {
  it('creates an institution by unit and parent codes, normalised, and audits it', async () => {
    const district = await makeUnit(db, { level: 'district' });
    const centre = await makeInstitution(db, { unit: district, type: 'culture_centre_district' });
    const row = await createInstitution(db, systemActor, {
      code: 'tv-x1',
      name: ' Thư viện  huyện Thử ',
      type: 'library_district',
      unitCode: district.code,
      parentCode: centre.code.toLowerCase(),
      email: 'ThuVien@Example.ORG',
      website: 'https://thuvien.example.org',
      openedOn: '1999-09-02',
    });
    expect(row).toMatchObject({
      code: 'TV-X1',
      name: 'Thư viện huyện Thử',
      email: 'thuvien@example.org',
      parentId: centre.id,
      unitId: district.id,
      servesPublic: true,
    });
    const detail = await getInstitution(db, row.id);
    expect(detail.ancestors.map((a) => a.id)).toEqual([centre.id]);
    expect(detail.unitPath.at(-1)?.id).toBe(district.id);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.entityId, row.id));
    expect(entry).toMatchObject({ action: 'create', entityType: 'institution', institutionId: row.id });
  });

  it('names every problem: unknown unit and parent, dates, duplicate code, email, a loop of parents', async () => {
    const district = await makeUnit(db, { level: 'district' });
    expect(
      await issuesOf(
        createInstitution(db, systemActor, {
          code: 'TV-X2',
          name: 'Thư viện',
          type: 'library_district',
          unitCode: '99999999',
          parentCode: 'NOPE',
          openedOn: '2020-01-01',
          closedOn: '2019-01-01',
        }),
      ),
    ).toEqual([
      { field: 'unitCode', key: 'orgs.institution.unitUnknown' },
      { field: 'parentCode', key: 'orgs.institution.parentUnknown' },
      { field: 'closedOn', key: 'orgs.institution.closedBeforeOpened' },
    ]);
    expect(
      await issuesOf(createInstitution(db, systemActor, { code: 'TV-X3', name: 'A', type: 'zoo', unitCode: district.code, email: 'not-mail' })),
    ).toEqual([
      { field: 'type', key: 'errors.choice' },
      { field: 'email', key: 'errors.format.email' },
    ]);
    const a = await makeInstitution(db, { unit: district });
    expect(
      await issuesOf(createInstitution(db, systemActor, { code: a.code, name: 'B', type: 'library_district', unitCode: district.code })),
    ).toEqual([{ field: 'code', key: 'orgs.institution.codeTaken' }]);
    const b = await makeInstitution(db, { unit: district, parent: a });
    expect(await issuesOf(updateInstitution(db, systemActor, a.id, { parentCode: b.code }))).toEqual([
      { field: 'parentCode', key: 'orgs.institution.parentCycle' },
    ]);
  });

  it('keeps an institution in its old unit when a newer unit has taken over the code', async () => {
    const province = await makeUnit(db, { level: 'province' });
    const old = await makeUnit(db, { parent: province, level: 'commune', code: '83001', validTo: '2025-06-30' });
    await makeUnit(db, { parent: province, level: 'commune', code: '83001', validFrom: '2025-07-01' });
    const inst = await makeInstitution(db, { unit: old });
    const updated = await updateInstitution(db, systemActor, inst.id, { name: 'Tên mới', unitCode: '83001' });
    expect(updated.unitId).toBe(old.id);
  });

  it('lists a unit’s subtree, by type, open ones unless asked, in Vietnamese order', async () => {
    const province = await makeUnit(db, { level: 'province' });
    const district = await makeUnit(db, { parent: province });
    const commune = await makeUnit(db, { parent: district });
    await makeInstitution(db, { unit: province, name: 'Đài tưởng niệm', type: 'memorial_house' });
    await makeInstitution(db, { unit: commune, name: 'Điểm bưu điện văn hóa', type: 'commune_cultural_post_office' });
    await makeInstitution(db, { unit: district, name: 'Dạ hội', type: 'culture_centre_district' });
    await makeInstitution(db, { unit: commune, name: 'Ấp văn hóa', type: 'culture_centre_commune', closedOn: '2001-01-01' });
    const names = async (f: Parameters<typeof listInstitutions>[1]) => (await listInstitutions(db, f)).items.map((i) => i.institution.name);
    expect(await names({ unit: province.id })).toEqual(['Dạ hội', 'Đài tưởng niệm', 'Điểm bưu điện văn hóa']);
    expect(await names({ unit: district.code })).toEqual(['Dạ hội', 'Điểm bưu điện văn hóa']);
    expect(await names({ unit: province.id, status: 'all' })).toEqual(['Ấp văn hóa', 'Dạ hội', 'Đài tưởng niệm', 'Điểm bưu điện văn hóa']);
    expect(await names({ unit: province.id, type: 'memorial_house' })).toEqual(['Đài tưởng niệm']);
    expect(await names({ unit: province.id, q: 'buu dien' })).toEqual(['Điểm bưu điện văn hóa']);
    expect(await names({ unit: 'no-such-unit' })).toEqual([]);
  });
});

describe('summaries for other modules', () => {
  it('counts units in force and institutions open on a day, and labels grants', async () => {
    const fresh = await createTestDatabase();
    try {
      const d = fresh.db;
      const province = await makeUnit(d, { level: 'province', validFrom: '2020-01-01' });
      const district = await makeUnit(d, { parent: province, validFrom: '2020-01-01', validTo: '2025-06-30' });
      await makeInstitution(d, { unit: district, closedOn: '2025-07-01' });
      const open = await makeInstitution(d, { unit: province });
      expect(await networkCounts(d, new Date('2024-01-01T12:00:00+07:00'))).toEqual({ units: 2, institutions: 2 });
      expect(await networkCounts(d, new Date('2025-07-01T12:00:00+07:00'))).toEqual({ units: 1, institutions: 1 });
      const labels = await grantLabels(d, [
        { role: 'manager', institutionId: open.id, unitId: null },
        { role: 'unit_officer', institutionId: null, unitId: district.id },
      ]);
      expect(labels.get(open.id)).toEqual({ href: `/institutions/${open.id}`, label: open.name });
      expect(labels.get(district.id)).toEqual({ href: `/units/${district.id}`, label: district.name });
      const officer = await makeActor(d, [{ role: 'unit_officer', unit: district }]);
      expect(officer.grants).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});
