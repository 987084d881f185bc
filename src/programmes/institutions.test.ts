import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../platform/db/index.js';
import { ForbiddenError } from '../platform/errors.js';
import { createTestApp, type TestApp } from '../testing/app.js';
import { addDays, vnDate, type ProgrammeInput } from './model.js';
import { createProgramme, operableInstitutions } from './service.js';
import { makeActor, makeInstitution, makeStaff, makeUnit, signedIn } from './testing.js';

let t: TestApp;
let db: Db;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
});
afterAll(async () => {
  await t.close();
});

const input = (institutionId: string): ProgrammeInput => ({
  kind: 'event',
  title: 'Đêm thơ Nguyên tiêu',
  institutionId,
  startDate: addDays(vnDate(new Date()), 5),
  startTime: '19:00',
  endTime: '21:00',
  capacity: 100,
});

/** A district with a commune below it, an institution in each, and one in another district. */
async function area() {
  const district = await makeUnit(db, { level: 'district' });
  const commune = await makeUnit(db, { parent: district });
  const inDistrict = await makeInstitution(db, { unit: district, name: 'Nhà văn hóa huyện Thử' });
  const inCommune = await makeInstitution(db, { unit: commune, name: 'Bưu điện văn hóa xã Thử' });
  const closed = await makeInstitution(db, { unit: commune, name: 'Thư viện xã đã giải thể', closedOn: addDays(vnDate(new Date()), -10) });
  const outside = await makeInstitution(db, { name: 'Thư viện huyện khác' });
  return { district, inDistrict, inCommune, closed, outside };
}

describe('institutions offered on the new programme form', () => {
  it('a department admin gets every open institution of their unit subtree, and may create for them only', async () => {
    const { district, inDistrict, inCommune, closed, outside } = await area();
    const admin = await makeActor(db, [{ role: 'dept_admin', unit: district }]);
    const ids = (await operableInstitutions(db, admin)).map((i) => i.id);
    expect(ids.sort()).toEqual([inDistrict.id, inCommune.id].sort());
    expect(ids).not.toContain(closed.id);
    expect(ids).not.toContain(outside.id);
    expect((await createProgramme(db, admin, input(inCommune.id))).institutionId).toBe(inCommune.id);
    await expect(createProgramme(db, admin, input(outside.id))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('institution staff get their own institution; a unit officer, whose role does not run institutions, gets none', async () => {
    const { district, inDistrict } = await area();
    const { actor: staff } = await makeStaff(db, inDistrict);
    expect((await operableInstitutions(db, staff)).map((i) => i.id)).toEqual([inDistrict.id]);
    const officer = await makeActor(db, [{ role: 'unit_officer', unit: district }]);
    expect(await operableInstitutions(db, officer)).toEqual([]);
    await expect(createProgramme(db, officer, input(inDistrict.id))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('the form lists the subtree for a department admin and a forged choice outside it is refused', async () => {
    const { district, inCommune, outside } = await area();
    const admin = await signedIn(t.app, db, (await makeActor(db, [{ role: 'dept_admin', unit: district }])).userId);
    const form = await admin.get('/programmes/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(inCommune.id);
    expect(form.body).toContain('Bưu điện văn hóa xã Thử');
    expect(form.body).not.toContain(outside.id);
    const res = await admin.json('POST', '/api/v1/programmes', input(outside.id));
    expect(res.statusCode).toBe(403);
  });
});
