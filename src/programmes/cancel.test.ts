import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../platform/db/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors.js';
import { auditLog } from '../platform/schema.js';
import { queuedMail } from '../platform/testing/mail.js';
import { createTestApp, type TestApp } from '../testing/app.js';
import { createBooking } from './bookings.js';
import { addDays, vnDate } from './model.js';
import { register } from './registrations.js';
import { groupBookings } from './schema.js';
import { cancelProgramme, cancelSession, listSessions, searchProgrammes, setProgrammeStatus } from './service.js';
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

const subjectsTo = async (recipient: string) => (await queuedMail(db, recipient)).map((r) => r.subject);

describe('cancelling a whole programme', () => {
  it('cancels every session ahead, tells each registrant and booked school once, and is audited', async () => {
    const title = 'Câu lạc bộ cờ tướng mùa thu';
    const { programme, staff } = await makeProgramme(db, { title, rrule: 'FREQ=WEEKLY;COUNT=4' });
    const [a, b] = [await makeCitizen(db), await makeCitizen(db)];
    await register(db, a, programme.id, {});
    await register(db, b, programme.id, {});
    const row = await cancelProgramme(db, staff, programme.id, '  Sửa chữa nhà văn hóa ');
    expect(row.status).toBe('cancelled');
    const sessions = await listSessions(db, programme.id);
    expect(sessions.length).toBe(4);
    expect(sessions.every((s) => s.cancelledAt && s.cancelReason === 'Sửa chữa nhà văn hóa')).toBe(true);
    expect(await subjectsTo(a.label)).toEqual(expect.arrayContaining([`Hủy chương trình: ${title}`]));
    expect((await subjectsTo(b.label)).filter((s) => s.startsWith('Hủy chương trình')).length).toBe(1);
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'programme.cancel'), eq(auditLog.entityId, programme.id)));
    expect(audits.length).toBe(1);
  });

  it('tells a teacher with a booking on a cancelled day and cancels that booking', async () => {
    const date = addDays(vnDate(new Date()), 7);
    const { programme, staff } = await makeProgramme(db, { kind: 'museum_education', startDate: date, capacity: 40 });
    const teacher = await makeCitizen(db);
    const booking = await createBooking(db, teacher, programme.id, { school: 'Trường Tiểu học Lê Lợi', pupils: 30, date });
    await cancelProgramme(db, staff, programme.id, undefined);
    expect(await subjectsTo(teacher.label)).toEqual(expect.arrayContaining([expect.stringContaining('Hủy chương trình')]));
    const [after] = await db.select().from(groupBookings).where(eq(groupBookings.id, booking.id));
    expect(after?.status).toBe('cancelled');
  });

  it('leaves past and already-cancelled sessions as they were', async () => {
    const { programme, staff } = await makeProgramme(db, { rrule: 'FREQ=WEEKLY;COUNT=3' });
    const [first] = await listSessions(db, programme.id);
    await cancelSession(db, staff, programme.id, first!.id, 'Mưa bão');
    await cancelProgramme(db, staff, programme.id, 'Hết kinh phí');
    const sessions = await listSessions(db, programme.id);
    expect(sessions.map((s) => s.cancelReason)).toEqual(['Mưa bão', 'Hết kinh phí', 'Hết kinh phí']);
  });

  it('refuses staff of another institution, a second cancel, and publishing afterwards', async () => {
    const { programme, staff } = await makeProgramme(db);
    const outsider = (await makeStaff(db)).actor;
    await expect(cancelProgramme(db, outsider, programme.id, undefined)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(cancelProgramme(db, await makeCitizen(db), programme.id, undefined)).rejects.toBeInstanceOf(ForbiddenError);
    await cancelProgramme(db, staff, programme.id, undefined);
    await expect(cancelProgramme(db, staff, programme.id, undefined)).rejects.toBeInstanceOf(ConflictError);
    await expect(setProgrammeStatus(db, staff, programme.id, 'published')).rejects.toBeInstanceOf(ConflictError);
  });

  it('an unknown or malformed id is not found', async () => {
    const { actor } = await makeStaff(db);
    await expect(cancelProgramme(db, actor, 'not-a-uuid', undefined)).rejects.toBeInstanceOf(NotFoundError);
    await expect(cancelProgramme(db, actor, '00000000-0000-4000-8000-000000000000', undefined)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('shows in search as cancelled, without a next session', async () => {
    const title = 'Lớp thư pháp Hán Nôm hủy giữa chừng';
    const { programme, staff } = await makeProgramme(db, { title });
    await cancelProgramme(db, staff, programme.id, undefined);
    const found = await searchProgrammes(db, { q: 'thư pháp Hán Nôm hủy giữa chừng' });
    const item = found.items.find((i) => i.programme.id === programme.id);
    expect(item?.programme.status).toBe('cancelled');
    expect(item?.nextSession).toBeNull();
  });
});

describe('cancelling a programme on the web and through the API', () => {
  it('the page asks for confirmation, then the second POST cancels; the page shows it as cancelled', async () => {
    const { programme, staff } = await makeProgramme(db, { title: 'Lớp múa dân gian' });
    const browser = await signedIn(t.app, db, staff.userId);
    const detail = await browser.get(`/programmes/${programme.id}`);
    expect(detail.body).toContain(`/programmes/${programme.id}/cancel`);
    const confirm = await browser.get(`/programmes/${programme.id}/cancel`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Xác nhận hủy chương trình');
    const done = await browser.post(`/programmes/${programme.id}/cancel`, { reason: 'Giáo viên nghỉ' });
    expect(done.statusCode).toBe(303);
    const after = await browser.get(`/programmes/${programme.id}?notice=programmeCancelled`);
    expect(after.body).toContain('Đã hủy chương trình');
    expect(after.body).not.toContain(`/programmes/${programme.id}/publish`);
    const again = await browser.get(`/programmes/${programme.id}/cancel`);
    expect(again.statusCode).toBe(303);
  });

  it('the confirm page and the POST refuse people who do not run the programme; the POST needs the CSRF token', async () => {
    const { programme } = await makeProgramme(db);
    const outsider = await signedIn(t.app, db, (await makeStaff(db)).actor.userId);
    expect((await outsider.get(`/programmes/${programme.id}/cancel`)).statusCode).toBe(403);
    expect((await outsider.post(`/programmes/${programme.id}/cancel`, {})).statusCode).toBe(403);
    expect((await outsider.post(`/programmes/${programme.id}/cancel`, {}, { csrf: false })).statusCode).toBe(403);
    const forged = await t.app.inject({ method: 'POST', url: `/programmes/${programme.id}/cancel`, payload: {} });
    expect([forged.statusCode, forged.headers.location]).toEqual([303, '/login']);
  });

  it('POST /api/v1/programmes/:id/cancel cancels, validates its body and is in the OpenAPI document', async () => {
    const { programme, staff } = await makeProgramme(db);
    const api = await signedIn(t.app, db, staff.userId);
    expect((await api.json('POST', `/api/v1/programmes/${programme.id}/cancel`, { reason: 'x'.repeat(1001) })).statusCode).toBe(400);
    expect((await api.json('POST', `/api/v1/programmes/${programme.id}/cancel`, { other: 1 })).statusCode).toBe(400);
    const res = await api.json('POST', `/api/v1/programmes/${programme.id}/cancel`, { reason: 'Hết kinh phí' });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ status: string }>().status).toBe('cancelled');
    expect((await api.json('POST', `/api/v1/programmes/${programme.id}/cancel`, {})).statusCode).toBe(409);
    const doc = await t.app.inject({ url: '/api/openapi.json' });
    expect(doc.body).toContain('/api/v1/programmes/{id}/cancel');
  });
});
