import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/access.js';
import type { Database } from '../../platform/db/index.js';
import { createTestDatabase } from '../../platform/testing/db.js';
import { openPeriod, saveForm, transition } from './cycle.js';
import { ensurePlanIndicators } from '../indicators/indicators.js';
import { makeInstitution, makeStaff, makeUnit } from '../testing.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await ensurePlanIndicators(database.db);
});
afterAll(async () => {
  await database.close();
});

const good = { visitsInPerson: 1200, programmesHeld: 3, sessionsHeld: 6, registrations: 40, attendance: 200, staffTrained: 4 };

async function mailTo(email: string): Promise<Array<{ subject: string; body: string }>> {
  return database.query<{ subject: string; body: string }>(
    `select payload ->> 'subject' as subject, payload ->> 'bodyText' as body from jobs where kind = 'mail' and payload ->> 'recipient' = $1 order by created_at, id`,
    [email],
  );
}

async function speaksEnglish(email: string): Promise<void> {
  await database.query(`update users set locale = 'en' where email = $1`, [email]);
}

async function network() {
  const db = database.db;
  const province = await makeUnit(db, { level: 'province' });
  const district = await makeUnit(db, { level: 'district', parent: province });
  const commune = await makeUnit(db, { level: 'commune', parent: district });
  const quietCommune = await makeUnit(db, { level: 'commune', parent: district });
  const library = await makeInstitution(db, { unit: commune, type: 'library_commune', name: 'Thư viện xã Thử' });
  const quietLibrary = await makeInstitution(db, { unit: quietCommune, type: 'library_commune' });
  const provincial = await makeInstitution(db, { unit: province, type: 'library_provincial', name: 'Thư viện tỉnh Thử' });
  return {
    province,
    district,
    commune,
    library,
    quietLibrary,
    provincial,
    staff: await makeStaff(db, [{ role: 'staff', institution: library }]),
    manager: await makeStaff(db, [{ role: 'manager', institution: library }]),
    quietStaff: await makeStaff(db, [{ role: 'staff', institution: quietLibrary }]),
    provincialStaff: await makeStaff(db, [{ role: 'staff', institution: provincial }]),
    districtOfficer: await makeStaff(db, [{ role: 'unit_officer', unit: district }]),
    communeOfficer: await makeStaff(db, [{ role: 'unit_officer', unit: commune }]),
    department: await makeStaff(db, [{ role: 'dept_admin', unit: province }]),
  };
}

let year = 2040;

describe('mail about submissions', () => {
  it('tells the district officer before 1/7/2025, then the institution what became of its report, and says when it comes back fixed', async () => {
    const db = database.db;
    const n = await network();
    const period = await openPeriod(db, systemActor, { year: 2024, deadline: '2024-11-15' });
    await saveForm(db, n.staff, period.id, n.library.id, { values: good }, false);
    expect(await mailTo(n.districtOfficer.email)).toEqual([]);
    const sub = await saveForm(db, n.staff, period.id, n.library.id, { values: good }, true);

    const first = await mailTo(n.districtOfficer.email);
    expect(first.map((m) => m.subject)).toEqual(['Thư viện xã Thử đã nộp báo cáo năm 2024, chờ xem xét']);
    expect(first[0]?.body).toContain(`Thư viện xã Thử (${n.commune.name})`);
    expect(first[0]?.body).toContain(`${n.district.name} là đơn vị xem xét`);
    for (const other of [n.communeOfficer, n.department, n.staff]) expect(await mailTo(other.email)).toEqual([]);

    await transition(db, n.districtOfficer, sub.id, 'return', 'Thiếu số buổi tháng 10');
    const returned = await mailTo(n.staff.email);
    expect(returned.map((m) => m.subject)).toEqual(['Báo cáo năm 2024 được trả lại để sửa']);
    expect(returned[0]?.body).toContain('Thiếu số buổi tháng 10');
    expect((await mailTo(n.manager.email)).length).toBe(1);

    await saveForm(db, n.staff, period.id, n.library.id, { values: good }, true);
    expect((await mailTo(n.districtOfficer.email)).map((m) => m.subject)).toEqual([
      'Thư viện xã Thử đã nộp báo cáo năm 2024, chờ xem xét',
      'Thư viện xã Thử đã nộp lại báo cáo năm 2024 sau khi sửa',
    ]);
    await transition(db, n.districtOfficer, sub.id, 'accept');
    await transition(db, n.department, sub.id, 'approve');
    await transition(db, n.department, sub.id, 'reopen', 'Sai số lượt tháng 10');
    expect((await mailTo(n.staff.email)).map((m) => m.subject)).toEqual([
      'Báo cáo năm 2024 được trả lại để sửa',
      'Báo cáo năm 2024 đã được tiếp nhận',
      'Báo cáo năm 2024 đã được phê duyệt',
      'Báo cáo năm 2024 được mở lại để sửa',
    ]);
    expect((await mailTo(n.staff.email))[3]?.body).toContain('Sai số lượt tháng 10');
    expect((await mailTo(n.districtOfficer.email)).length).toBe(2);
    expect(await mailTo(n.department.email)).toEqual([]);
  });

  it('tells the commune officer after 1/7/2025, in English when that officer chose English, and names the quarter', async () => {
    const db = database.db;
    const n = await network();
    await speaksEnglish(n.communeOfficer.email);
    const period = await openPeriod(db, systemActor, { year: ++year, quarter: 2, deadline: `${year}-07-15` });
    await saveForm(db, n.staff, period.id, n.library.id, { values: good }, true);
    expect((await mailTo(n.communeOfficer.email)).map((m) => m.subject)).toEqual([`Thư viện xã Thử submitted its Q2 ${year} report for review`]);
    expect(await mailTo(n.districtOfficer.email)).toEqual([]);
  });

  it('tells the Department about institutions it reviews itself, and the nearest officers above a unit that has none', async () => {
    const db = database.db;
    const n = await network();
    const period = await openPeriod(db, systemActor, { year: ++year });
    await saveForm(db, n.provincialStaff, period.id, n.provincial.id, { values: good }, true);
    expect((await mailTo(n.department.email)).map((m) => m.subject)).toEqual([`Thư viện tỉnh Thử đã nộp báo cáo năm ${year}, chờ xem xét`]);
    await saveForm(db, n.quietStaff, period.id, n.quietLibrary.id, { values: good }, true);
    expect((await mailTo(n.districtOfficer.email)).length).toBe(1);
    expect(await mailTo(n.communeOfficer.email)).toEqual([]);
    expect((await mailTo(n.department.email)).length).toBe(1);
  });

  it('writes to the institution staff in their language and to nobody when a transition is refused', async () => {
    const db = database.db;
    const n = await network();
    await speaksEnglish(n.staff.email);
    const period = await openPeriod(db, systemActor, { year: ++year });
    const sub = await saveForm(db, n.staff, period.id, n.library.id, { values: good }, true);
    await expect(transition(db, n.quietStaff, sub.id, 'accept')).rejects.toMatchObject({ status: 403 });
    await expect(transition(db, n.communeOfficer, sub.id, 'return', '')).rejects.toMatchObject({ status: 422 });
    expect(await mailTo(n.staff.email)).toEqual([]);
    await transition(db, n.communeOfficer, sub.id, 'accept');
    expect((await mailTo(n.staff.email)).map((m) => m.subject)).toEqual([`Your ${year} report was accepted`]);
    expect((await mailTo(n.manager.email)).map((m) => m.subject)).toEqual([`Báo cáo năm ${year} đã được tiếp nhận`]);
  });
});
