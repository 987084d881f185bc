import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/access.js';
import type { Database } from '../../platform/db/index.js';
import { DomainError } from '../../platform/errors.js';
import { createTestDatabase } from '../../platform/testing/db.js';
import { completeness, formState, openPeriod, periodRange, saveForm, sendReportingReminders, transition, validateForm } from './cycle.js';
import { ensurePlanIndicators } from '../indicators/indicators.js';
import { fieldsFor } from '../model.js';
import { makeInstitution, makeStaff, makeUnit } from '../testing.js';
import { recordVisit } from '../visits/visits.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await ensurePlanIndicators(database.db);
});
afterAll(async () => {
  await database.close();
});

async function refused(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected the call to be refused');
}

const good = { visitsInPerson: 1200, programmesHeld: 3, sessionsHeld: 6, registrations: 40, attendance: 200, staffTrained: 4 };

/** A province with a district before the reorganisation, its commune, a district library and a commune library. */
async function network() {
  const db = database.db;
  const province = await makeUnit(db, { level: 'province' });
  const district = await makeUnit(db, { level: 'district', parent: province });
  const commune = await makeUnit(db, { level: 'commune', parent: district });
  const districtLibrary = await makeInstitution(db, { unit: district, type: 'library_district' });
  const communeLibrary = await makeInstitution(db, { unit: commune, type: 'library_commune' });
  return {
    province,
    district,
    commune,
    districtLibrary,
    communeLibrary,
    staff: await makeStaff(db, [{ role: 'staff', institution: districtLibrary }]),
    communeStaff: await makeStaff(db, [{ role: 'staff', institution: communeLibrary }]),
    districtOfficer: await makeStaff(db, [{ role: 'unit_officer', unit: district }]),
    communeOfficer: await makeStaff(db, [{ role: 'unit_officer', unit: commune }]),
    department: await makeStaff(db, [{ role: 'dept_admin', unit: province }]),
  };
}

let year = 2010;

describe('the reporting cycle', () => {
  it('goes from draft to approved, refusing every step taken by the wrong person or from the wrong state', async () => {
    const db = database.db;
    const n = await network();
    const period = await openPeriod(db, systemActor, { year: 2024 });
    expect(period.deadline).toBe('2024-11-15');

    expect((await refused(saveForm(db, n.communeStaff, period.id, n.districtLibrary.id, { values: good }, true))).status).toBe(403);
    const draft = await saveForm(db, n.staff, period.id, n.districtLibrary.id, { values: { visitsInPerson: 10 } }, false);
    expect(draft.status).toBe('draft');
    expect((await refused(transition(db, n.districtOfficer, draft.id, 'accept'))).code).toBe('conflict');
    const submitted = await saveForm(db, n.staff, period.id, n.districtLibrary.id, { values: good }, true);
    expect(submitted.status).toBe('submitted');
    expect((await refused(saveForm(db, n.staff, period.id, n.districtLibrary.id, { values: good }, false))).key).toBe(
      'monitoring.submission.underReview',
    );

    expect((await refused(transition(db, n.communeOfficer, submitted.id, 'accept'))).status).toBe(403);
    expect((await refused(transition(db, n.staff, submitted.id, 'accept'))).status).toBe(403);
    expect((await refused(transition(db, n.districtOfficer, submitted.id, 'approve'))).status).toBe(403);
    const noComment = await refused(transition(db, n.districtOfficer, submitted.id, 'return', '  '));
    expect(noComment.issues[0]).toMatchObject({ field: 'comment', key: 'monitoring.submission.commentNeeded' });
    expect((await transition(db, n.districtOfficer, submitted.id, 'return', 'Số lượt thiếu tháng 10')).status).toBe('returned');

    await saveForm(db, n.staff, period.id, n.districtLibrary.id, { values: { ...good, visitsInPerson: 1500 } }, true);
    expect((await refused(transition(db, n.department, submitted.id, 'approve'))).key).toBe('monitoring.submission.badTransition');
    expect((await transition(db, n.districtOfficer, submitted.id, 'accept')).status).toBe('accepted');
    expect((await transition(db, n.department, submitted.id, 'approve')).status).toBe('approved');

    for (const who of [n.staff, n.department]) {
      const e = await refused(saveForm(db, who, period.id, n.districtLibrary.id, { values: good }, false));
      expect([403, 409]).toContain(e.status);
    }
    expect((await refused(saveForm(db, n.staff, period.id, n.districtLibrary.id, { values: good }, false))).key).toBe('monitoring.submission.locked');
    expect((await refused(transition(db, n.department, submitted.id, 'approve'))).code).toBe('conflict');
    expect((await refused(transition(db, n.districtOfficer, submitted.id, 'reopen', 'Sai số'))).status).toBe(403);
    expect((await refused(transition(db, n.department, submitted.id, 'reopen'))).issues[0]?.key).toBe('monitoring.submission.reasonNeeded');
    expect((await transition(db, n.department, submitted.id, 'reopen', 'Sai số lượt tháng 10')).status).toBe('returned');

    const state = await formState(db, n.staff, period.id, n.districtLibrary.id);
    expect(state.values.visitsInPerson).toBe(1500);
    expect(state.events.map((e) => e.action)).toEqual(['save', 'submit', 'return', 'submit', 'accept', 'approve', 'reopen']);
    const audit = await database.query<{ action: string }>(`select action from audit_log where entity_id = $1 order by id`, [submitted.id]);
    expect(audit.map((a) => a.action)).toEqual([
      'monitoring.submission.save',
      'monitoring.submission.submit',
      'monitoring.submission.return',
      'monitoring.submission.submit',
      'monitoring.submission.accept',
      'monitoring.submission.approve',
      'monitoring.submission.reopen',
    ]);
    const mail = await database.query(`select payload ->> 'subject' as subject from jobs where kind = 'mail' and payload ->> 'recipient' = $1`, [
      n.staff.email,
    ]);
    expect(mail.length).toBe(4);
  });

  it("sends a commune library's report to the district before 1/7/2025 and to the commune after", async () => {
    const db = database.db;
    const n = await network();
    const before = await openPeriod(db, systemActor, { year: ++year, deadline: '2024-11-15' });
    const s1 = await saveForm(db, n.communeStaff, before.id, n.communeLibrary.id, { values: good }, true);
    expect((await refused(transition(db, n.communeOfficer, s1.id, 'accept'))).status).toBe(403);
    expect((await transition(db, n.districtOfficer, s1.id, 'accept')).status).toBe('accepted');
    const after = await openPeriod(db, systemActor, { year: ++year, deadline: '2025-11-15' });
    const s2 = await saveForm(db, n.communeStaff, after.id, n.communeLibrary.id, { values: good }, true);
    expect((await transition(db, n.communeOfficer, s2.id, 'accept')).status).toBe('accepted');
  });

  it('lets only the Department open a period, once', async () => {
    const db = database.db;
    const n = await network();
    expect((await refused(openPeriod(db, n.districtOfficer, { year: 2040 }))).status).toBe(403);
    await openPeriod(db, n.department, { year: 2041 });
    expect((await refused(openPeriod(db, n.department, { year: 2041 }))).issues[0]).toMatchObject({ field: 'year', key: 'monitoring.period.exists' });
  });
});

describe('observed values on the form', () => {
  it('pre-fills a yearly or quarterly form with the visits logged in its months, marked as observed', async () => {
    const db = database.db;
    const n = await network();
    for (const [date, visitors] of [
      ['2026-02-10', 30],
      ['2026-03-31', 20],
      ['2026-04-01', 7],
    ] as const) {
      await recordVisit(db, n.staff, { institutionId: n.districtLibrary.id, date, visitors });
    }
    expect(periodRange({ year: 2026, quarter: 1 })).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    const q1 = await openPeriod(db, systemActor, { year: 2026, quarter: 1 });
    expect(q1.deadline).toBe('2026-04-15');
    const quarter = await formState(db, n.staff, q1.id, n.districtLibrary.id);
    expect(quarter.observed.visitsInPerson).toBe(50);
    expect(quarter.values.visitsInPerson).toBe(50);
    const yearly = await openPeriod(db, systemActor, { year: 2026 });
    const state = await formState(db, n.staff, yearly.id, n.districtLibrary.id);
    expect(state.observed.visitsInPerson).toBe(57);
    await saveForm(db, n.staff, yearly.id, n.districtLibrary.id, { values: { ...good, visitsInPerson: 60 } }, false);
    const saved = await formState(db, n.staff, yearly.id, n.districtLibrary.id);
    expect([saved.values.visitsInPerson, saved.observed.visitsInPerson]).toEqual([60, 57]);
    expect((await refused(formState(db, n.communeStaff, yearly.id, n.districtLibrary.id))).status).toBe(403);
  });
});

describe('form validation', () => {
  const fields = fieldsFor('library_district');

  it('names each bad field', () => {
    const r = validateForm(fields, { values: { visitsInPerson: -3, programmesHeld: 'nhiều', staffTrained: 200000 } }, false, []);
    expect(r.issues).toEqual([
      { field: 'visitsInPerson', key: 'monitoring.form.nonNegative' },
      { field: 'programmesHeld', key: 'monitoring.form.wholeNumber' },
      { field: 'staffTrained', key: 'errors.maximum', params: { limit: 100000 } },
    ]);
  });

  it('checks required fields, cross-field rules and evidence only when submitting', () => {
    const values = { visitsInPerson: 10, programmesHeld: 2, sessionsHeld: 3, registrations: 10, attendance: 31 };
    expect(validateForm(fields, { values }, false, []).issues).toEqual([]);
    const r = validateForm(fields, { values, declarations: { it_applied: { declared: true } } }, true, ['it_applied']);
    expect(r.issues).toEqual([
      { field: 'staffTrained', key: 'errors.required' },
      { field: 'attendance', key: 'monitoring.form.attendanceAbove', params: { limit: 30 } },
      { field: 'evidence_it_applied', key: 'monitoring.form.evidenceNeeded' },
    ]);
    expect(validateForm(fields, { values: { ...values, attendance: 30, staffTrained: 0 } }, true, []).issues).toEqual([]);
    expect(validateForm(fields, { values: { ...values, museumVisitors: 3 } }, false, []).issues).toEqual([
      { field: 'museumVisitors', key: 'errors.unknownField' },
    ]);
  });

  it('keeps museum school groups within the visitors', () => {
    const r = validateForm(
      fieldsFor('museum_provincial'),
      { values: { museumVisitors: 100, schoolGroupVisitors: 120, programmesHeld: 0, staffTrained: 0 } },
      true,
      [],
    );
    expect(r.issues).toEqual([{ field: 'schoolGroupVisitors', key: 'monitoring.visits.schoolAboveTotal' }]);
  });
});

describe('completeness and reminders', () => {
  it('counts expected, submitted and on time by unit and type, and lists who is late', async () => {
    const db = database.db;
    const n = await network();
    const period = await openPeriod(db, systemActor, { year: ++year, deadline: '2024-11-15' });
    await saveForm(db, n.staff, period.id, n.districtLibrary.id, { values: good }, true);
    const c = await completeness(db, n.department, period.id, n.province.id, new Date('2026-01-10T03:00:00Z'));
    expect(c.total).toMatchObject({ expected: 2, submitted: 1, onTime: 0 });
    expect(c.byUnit.map((u) => [u.key, u.expected, u.submitted])).toEqual([[n.district.code, 2, 1]]);
    expect(c.byType.map((u) => [u.key, u.expected, u.submitted])).toEqual([
      ['library_commune', 1, 0],
      ['library_district', 1, 1],
    ]);
    expect(c.late.map((l) => [l.institution.code, l.status])).toEqual(
      expect.arrayContaining([
        [n.communeLibrary.code, 'missing'],
        [n.districtLibrary.code, 'submitted'],
      ]),
    );
    expect((await refused(completeness(db, n.communeOfficer, period.id, n.province.id))).status).toBe(403);
  });

  it('reminds those who have not submitted 14, 7 and 1 days before, once each', async () => {
    const db = database.db;
    const n = await network();
    const period = await openPeriod(db, systemActor, { year: ++year, deadline: '2030-11-15' });
    await saveForm(db, n.staff, period.id, n.districtLibrary.id, { values: good }, true);
    const at = (d: string) => new Date(`${d}T02:00:00Z`);
    const count = async () =>
      (
        await database.query<{ n: number }>(`select count(*)::int as n from jobs where kind = 'mail' and payload ->> 'recipient' = $1`, [
          n.communeStaff.email,
        ])
      )[0]?.n;
    await sendReportingReminders(db, at('2030-10-31'));
    expect(await count()).toBe(0);
    await sendReportingReminders(db, at('2030-11-01'));
    expect(await count()).toBe(1);
    await sendReportingReminders(db, at('2030-11-02'));
    expect(await count()).toBe(1);
    await sendReportingReminders(db, at('2030-11-08'));
    await sendReportingReminders(db, at('2030-11-14'));
    await sendReportingReminders(db, at('2030-11-14'));
    expect(await count()).toBe(3);
    await sendReportingReminders(db, at('2030-11-16'));
    expect(await count()).toBe(3);
    const staffMail = await database.query<{ n: number }>(
      `select count(*)::int as n from jobs where kind = 'mail' and payload ->> 'recipient' = $1`,
      [n.staff.email],
    );
    expect(staffMail[0]?.n).toBe(0);
  });
});
