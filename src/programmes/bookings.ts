import { and, desc, eq } from 'drizzle-orm';
import { requireUser, requireWriteScope, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { normalizeVi } from '../platform/text/index.js';
import { vnDate, type BookingInput } from './model.js';
import { contactsOf, tell } from './notify.js';
import { groupBookings, programmes } from './schema.js';
import { listSessions, manageable, offeredDates, type ProgrammeRow } from './service.js';
import { isUuid } from '../platform/http/schemas.js';

export type BookingRow = typeof groupBookings.$inferSelect;

async function checkDate(db: Db, p: ProgrammeRow, date: string, field: string, now: Date): Promise<void> {
  if (date < vnDate(now)) throw new ValidationError([{ field, key: 'programmes.errors.dateInPast' }]);
  const offered = offeredDates(await listSessions(db, p.id), now);
  if (!offered.includes(date)) throw new ValidationError([{ field, key: 'programmes.errors.dateNotOffered' }]);
}

/** A teacher books a museum education programme for a class on one of its offered dates. */
export async function createBooking(db: Db, actor: Actor, programmeId: string, input: BookingInput, now: Date = new Date()): Promise<BookingRow> {
  requireWriteScope(actor, 'self:write');
  if (!isUuid(programmeId)) throw new NotFoundError();
  const [p] = await db.select().from(programmes).where(eq(programmes.id, programmeId)).limit(1);
  if (!p || p.status !== 'published') throw new NotFoundError();
  if (p.kind !== 'museum_education') throw new ConflictError([{ field: 'programme', key: 'programmes.errors.notBookable' }]);
  if (input.pupils > p.capacity) throw new ValidationError([{ field: 'pupils', key: 'errors.maximum', params: { limit: p.capacity } }]);
  await checkDate(db, p, input.date, 'date', now);
  const school = normalizeVi(input.school);
  if (!school) throw new ValidationError([{ field: 'school', key: 'errors.required' }]);
  const [row] = await db
    .insert(groupBookings)
    .values({
      programmeId,
      userId: actor.userId,
      school,
      className: input.className ? normalizeVi(input.className) : null,
      pupils: input.pupils,
      requestedDate: input.date,
      note: input.note ? normalizeVi(input.note) : null,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  const contact = (await contactsOf(db, [actor.userId])).get(actor.userId);
  await tell(db, contact, 'bookingReceived', { title: p.title, date: row.requestedDate, pupils: row.pupils });
  return row;
}

async function loadBooking(db: Db, id: string): Promise<BookingRow> {
  if (!isUuid(id)) throw new NotFoundError();
  const [row] = await db.select().from(groupBookings).where(eq(groupBookings.id, id)).limit(1);
  if (!row) throw new NotFoundError();
  return row;
}

export type BookingAnswer = { confirm: true } | { proposeDate: string; note?: string | undefined } | { declineReason: string };

const answerAction = {
  confirmed: 'programme.booking.confirm',
  proposed: 'programme.booking.propose',
  declined: 'programme.booking.decline',
} as const;
const answerMail = { confirmed: 'bookingConfirmed', proposed: 'bookingProposed', declined: 'bookingDeclined' } as const;

/**
 * The museum answers a booking: confirms the date asked for, proposes another offered date,
 * or declines it with a reason the teacher is told (kept as the booking's note).
 */
export async function answerBooking(db: Db, actor: Actor, id: string, answer: BookingAnswer, now: Date = new Date()): Promise<BookingRow> {
  const before = await loadBooking(db, id);
  const { programme, scope } = await manageable(db, actor, before.programmeId);
  if (before.status === 'cancelled' || before.status === 'declined')
    throw new ConflictError([{ field: 'status', key: 'programmes.errors.bookingClosed' }]);
  let patch: Partial<BookingRow>;
  if ('confirm' in answer) {
    patch = { status: 'confirmed', proposedDate: null };
  } else if ('declineReason' in answer) {
    const reason = normalizeVi(answer.declineReason);
    if (!reason) throw new ValidationError([{ field: 'reason', key: 'errors.required' }]);
    patch = { status: 'declined', proposedDate: null, note: reason };
  } else {
    await checkDate(db, programme, answer.proposeDate, 'date', now);
    patch = { status: 'proposed', proposedDate: answer.proposeDate, note: answer.note ? normalizeVi(answer.note) : before.note };
  }
  const [row] = await db
    .update(groupBookings)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(groupBookings.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  const contact = (await contactsOf(db, [row.userId])).get(row.userId);
  const status = row.status as keyof typeof answerMail;
  await tell(db, contact, answerMail[status], {
    title: programme.title,
    date: row.requestedDate,
    proposed: row.proposedDate ?? '',
    pupils: row.pupils,
    reason: row.note ?? '',
  });
  await recordAudit(db, actor, {
    action: answerAction[status],
    entityType: 'programme_booking',
    entityId: id,
    before: { status: before.status, date: before.requestedDate },
    after: { status: row.status, proposedDate: row.proposedDate, ...(status === 'declined' ? { reason: row.note } : {}) },
    unitIds: scope.unitPath,
    institutionId: programme.institutionId,
  });
  return row;
}

/** The teacher accepts the museum's proposed date (the booking is then confirmed) or cancels. */
export async function teacherAnswer(db: Db, actor: Actor, id: string, accept: boolean): Promise<BookingRow> {
  requireWriteScope(actor, 'self:write');
  const before = await loadBooking(db, id);
  if (before.userId !== actor.userId) throw new NotFoundError();
  if (accept && (before.status !== 'proposed' || !before.proposedDate))
    throw new ConflictError([{ field: 'status', key: 'programmes.errors.nothingProposed' }]);
  const [row] = await db
    .update(groupBookings)
    .set(
      accept
        ? { status: 'confirmed', requestedDate: before.proposedDate ?? before.requestedDate, proposedDate: null, updatedAt: new Date() }
        : { status: 'cancelled', updatedAt: new Date() },
    )
    .where(eq(groupBookings.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  return row;
}

export async function bookingsOf(db: Db, actor: Actor, programmeId: string): Promise<BookingRow[]> {
  await manageable(db, actor, programmeId);
  return db.select().from(groupBookings).where(eq(groupBookings.programmeId, programmeId)).orderBy(desc(groupBookings.createdAt));
}

export async function myBookings(db: Db, actor: Actor): Promise<Array<{ booking: BookingRow; programme: ProgrammeRow }>> {
  requireUser(actor);
  return db
    .select({ booking: groupBookings, programme: programmes })
    .from(groupBookings)
    .innerJoin(programmes, eq(programmes.id, groupBookings.programmeId))
    .where(and(eq(groupBookings.userId, actor.userId)))
    .orderBy(desc(groupBookings.createdAt));
}
