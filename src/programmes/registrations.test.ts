import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction, type Database, type Db } from '../platform/db/index.js';
import { queuedMail } from '../platform/testing/mail.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { addDays, vnDate, vnInstant } from './model.js';
import { cancelRegistration, register } from './registrations.js';
import { sendDueReminders } from './timer.js';
import { programmes, programmeSessions, registrations } from './schema.js';
import { cancelSession, listSessions, updateProgramme } from './service.js';
import { makeCitizen, makeProgramme } from './testing.js';

let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database.close();
});

const tx = <T>(fn: (t: Db) => Promise<T>) => withTransaction(db, fn);

async function mailsTo(userEmail: string): Promise<string[]> {
  return (await queuedMail(db, userEmail)).map((r) => r.subject);
}

describe('registration', () => {
  it('holds capacity under contention: 200 concurrent registrations for the last 10 seats', async () => {
    const { programme } = await makeProgramme(db, { capacity: 15 });
    const firstFive = await Promise.all(Array.from({ length: 5 }, () => makeCitizen(db)));
    for (const c of firstFive) await tx((t) => register(t, c, programme.id, {}));
    const people = await Promise.all(Array.from({ length: 200 }, () => makeCitizen(db)));
    const results = await Promise.allSettled(people.map((c) => tx((t) => register(t, c, programme.id, {}))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const rows = await db.select().from(registrations).where(eq(registrations.programmeId, programme.id));
    const late = rows.filter((r) => people.some((p) => p.userId === r.userId));
    expect(late.filter((r) => r.status === 'confirmed').length).toBe(10);
    expect(late.filter((r) => r.status === 'waitlisted').length).toBe(190);
    const [p] = await db.select().from(programmes).where(eq(programmes.id, programme.id));
    expect(p?.confirmedCount).toBe(15);
  });

  it('cancelling a seat promotes exactly one waiting person, who is told', async () => {
    const { programme } = await makeProgramme(db, { capacity: 2 });
    const [a, b, c, d] = await Promise.all([makeCitizen(db), makeCitizen(db), makeCitizen(db), makeCitizen(db)]);
    const ra = await tx((t) => register(t, a, programme.id, {}));
    await tx((t) => register(t, b, programme.id, {}));
    const rc = await tx((t) => register(t, c, programme.id, { ageGroup: '60_plus' }));
    const rd = await tx((t) => register(t, d, programme.id, {}));
    expect([rc.status, rd.status]).toEqual(['waitlisted', 'waitlisted']);
    const { promoted } = await tx((t) => cancelRegistration(t, a, ra.id));
    expect(promoted.map((r) => r.id)).toEqual([rc.id]);
    const statuses = await db
      .select({ id: registrations.id, status: registrations.status })
      .from(registrations)
      .where(eq(registrations.programmeId, programme.id));
    expect(statuses.filter((s) => s.status === 'confirmed').length).toBe(2);
    expect(statuses.find((s) => s.id === rd.id)?.status).toBe('waitlisted');
    expect(await mailsTo(c.label)).toEqual(expect.arrayContaining([expect.stringContaining('Bạn đã có chỗ')]));
    // Cancelling a waiting place frees no seat and promotes no one.
    const again = await tx((t) => cancelRegistration(t, d, rd.id));
    expect(again.promoted).toEqual([]);
  });

  it('refuses a second registration and someone else cancelling mine', async () => {
    const { programme } = await makeProgramme(db);
    const [a, b] = await Promise.all([makeCitizen(db), makeCitizen(db)]);
    const ra = await tx((t) => register(t, a, programme.id, {}));
    await expect(tx((t) => register(t, a, programme.id, {}))).rejects.toMatchObject({ status: 409 });
    await expect(tx((t) => cancelRegistration(t, b, ra.id))).rejects.toMatchObject({ status: 404 });
  });

  it('sends a confirmation, and one reminder the day before', async () => {
    const today = vnDate(new Date());
    const { programme } = await makeProgramme(db, { startDate: addDays(today, 1), rrule: 'FREQ=WEEKLY;COUNT=3' });
    const a = await makeCitizen(db);
    await tx((t) => register(t, a, programme.id, {}));
    expect(await mailsTo(a.label)).toEqual([expect.stringContaining('Đăng ký thành công')]);
    const now = vnInstant(today, '08:00');
    expect(await sendDueReminders(db, now)).toBeGreaterThanOrEqual(1);
    expect(await sendDueReminders(db, now)).toBe(0);
    expect((await mailsTo(a.label)).filter((s) => s.startsWith('Nhắc lịch')).length).toBe(1);
  });

  it('a cancelled session is told to registrants, skipped by reminders, and kept when the schedule is edited', async () => {
    const today = vnDate(new Date());
    const start = addDays(today, 1);
    const { programme, staff } = await makeProgramme(db, { startDate: start, rrule: 'FREQ=WEEKLY;COUNT=4' });
    const a = await makeCitizen(db);
    await tx((t) => register(t, a, programme.id, {}));
    const [first] = await listSessions(db, programme.id);
    await tx((t) => cancelSession(t, staff, programme.id, first!.id, 'Mất điện'));
    expect(await mailsTo(a.label)).toEqual(expect.arrayContaining([expect.stringContaining('Hủy buổi')]));
    expect(await sendDueReminders(db, vnInstant(today, '08:00'))).toBe(0);
    await tx((t) =>
      updateProgramme(t, staff, programme.id, {
        kind: 'class',
        title: programme.title,
        institutionId: programme.institutionId,
        startDate: start,
        startTime: '09:00',
        endTime: '11:00',
        capacity: 20,
        rrule: 'FREQ=WEEKLY;COUNT=5',
      }),
    );
    const sessions = await listSessions(db, programme.id);
    expect(sessions.length).toBe(5);
    expect(sessions[0]?.cancelledAt).not.toBeNull();
    expect(sessions.filter((s) => s.cancelledAt).length).toBe(1);
    const [longer] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(programmeSessions)
      .where(
        and(eq(programmeSessions.programmeId, programme.id), sql`${programmeSessions.endsAt} - ${programmeSessions.startsAt} = interval '2 hours'`),
      );
    expect(longer?.n).toBe(5);
  });

  it('a club that meets with no end date gets its next sessions as time moves on', async () => {
    const { programme } = await makeProgramme(db, { kind: 'club', rrule: 'FREQ=WEEKLY;BYDAY=SA' });
    const before = await listSessions(db, programme.id);
    await sendDueReminders(db, new Date(Date.now() + 100 * 86_400_000));
    const after = await listSessions(db, programme.id);
    expect(after.length).toBeGreaterThan(before.length + 10);
    expect(after.slice(0, before.length).map((x) => x.id)).toEqual(before.map((x) => x.id));
  });
});
