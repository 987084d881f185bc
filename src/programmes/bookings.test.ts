import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../platform/db/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.js';
import { auditLog } from '../platform/schema.js';
import { queuedMail } from '../platform/testing/mail.js';
import { createTestApp, type TestApp } from '../testing/app.js';
import { answerBooking, createBooking } from './bookings.js';
import { addDays, vnDate } from './model.js';
import { groupBookings } from './schema.js';
import { makeCitizen, makeProgramme, makeStaff, signedIn } from './testing.js';

let t: TestApp;
let db: Db;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
});
afterAll(async () => {
  await t.close();
});

const date = () => addDays(vnDate(new Date()), 7);

async function booked() {
  const { programme, staff } = await makeProgramme(db, { kind: 'museum_education', title: 'Em làm nhà khảo cổ', startDate: date(), capacity: 40 });
  const teacher = await makeCitizen(db);
  const booking = await createBooking(db, teacher, programme.id, { school: 'Trường Tiểu học Kim Đồng', pupils: 30, date: date() });
  return { programme, staff, teacher, booking };
}

describe('declining a school-group booking', () => {
  it('the museum declines with a reason; the teacher is told it and the answer is audited', async () => {
    const { staff, teacher, booking } = await booked();
    const row = await answerBooking(db, staff, booking.id, { declineReason: '  Phòng trưng bày đang sửa chữa ' });
    expect(row).toMatchObject({ status: 'declined', note: 'Phòng trưng bày đang sửa chữa' });
    const mails = await queuedMail(db, teacher.label);
    const declined = mails.find((m) => m.subject.startsWith('Bảo tàng không nhận được đoàn'));
    expect(declined?.bodyText).toContain('Phòng trưng bày đang sửa chữa');
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'programme.booking.decline'), eq(auditLog.entityId, booking.id)));
    expect(audits.length).toBe(1);
  });

  it('needs a reason, refuses other institutions and the teacher, and a declined booking stays closed', async () => {
    const { staff, teacher, booking } = await booked();
    await expect(answerBooking(db, staff, booking.id, { declineReason: '   ' })).rejects.toBeInstanceOf(ValidationError);
    await expect(answerBooking(db, (await makeStaff(db)).actor, booking.id, { declineReason: 'Không' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(answerBooking(db, teacher, booking.id, { declineReason: 'Không' })).rejects.toBeInstanceOf(ForbiddenError);
    const [still] = await db.select().from(groupBookings).where(eq(groupBookings.id, booking.id));
    expect(still?.status).toBe('requested');
    await answerBooking(db, staff, booking.id, { declineReason: 'Kín lịch' });
    await expect(answerBooking(db, staff, booking.id, { declineReason: 'Kín lịch' })).rejects.toBeInstanceOf(ConflictError);
    await expect(answerBooking(db, staff, booking.id, { confirm: true })).rejects.toBeInstanceOf(ConflictError);
    await expect(answerBooking(db, staff, 'nope', { declineReason: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('on the staff page and through the API, with the reason required', async () => {
    const { programme, staff, booking } = await booked();
    const browser = await signedIn(t.app, db, staff.userId);
    const list = await browser.get(`/programmes/${programme.id}/registrations`);
    expect(list.body).toContain(`/programmes/${programme.id}/bookings/${booking.id}/decline`);
    expect((await browser.post(`/programmes/${programme.id}/bookings/${booking.id}/decline`, { reason: '  ' })).statusCode).toBe(422);
    expect((await browser.post(`/programmes/${programme.id}/bookings/${booking.id}/decline`, { reason: 'Kín lịch' })).statusCode).toBe(303);
    const other = await booked();
    const api = await signedIn(t.app, db, other.staff.userId);
    expect((await api.json('POST', `/api/v1/bookings/${other.booking.id}/decline`, {})).statusCode).toBe(400);
    const res = await api.json('POST', `/api/v1/bookings/${other.booking.id}/decline`, { reason: 'Kín lịch' });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ status: string; note: string }>()).toMatchObject({ status: 'declined', note: 'Kín lịch' });
    expect((await t.app.inject({ url: '/api/openapi.json' })).body).toContain('/api/v1/bookings/{id}/decline');
  });
});
