import { and, asc, eq, inArray, isNotNull, notInArray, sql } from 'drizzle-orm';
import { requireUser, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { ConflictError, ValidationError } from '../platform/errors.js';
import { normalizeVi } from '../platform/text/index.js';
import { vnDate, type WalkInInput } from './model.js';
import { contactsOf } from './notify.js';
import { attendance, groupBookings, registrations } from './schema.js';
import { loadSession, manageable, type ProgrammeRow, type SessionRow } from './service.js';

export interface SessionRosterEntry {
  registrationId: string;
  name: string;
  code: string;
  present: boolean;
}

export interface SessionSheet {
  programme: ProgrammeRow;
  session: SessionRow;
  entries: SessionRosterEntry[];
  bookings: Array<{ id: string; school: string; className: string | null; pupils: number; present: boolean }>;
  walkIns: Array<{ id: string; name: string; ageGroup: string | null }>;
  present: number;
}

async function staffSession(db: Db, actor: Actor, programmeId: string, sessionId: string) {
  const { programme, scope } = await manageable(db, actor, programmeId);
  const session = await loadSession(db, programmeId, sessionId);
  return { programme, scope, session };
}

/** The attendance sheet of one session: confirmed registrants, school groups that day, walk-ins. */
export async function sessionSheet(db: Db, actor: Actor, programmeId: string, sessionId: string): Promise<SessionSheet> {
  const { programme, session } = await staffSession(db, actor, programmeId, sessionId);
  const [regs, marks, bookings] = await Promise.all([
    db
      .select()
      .from(registrations)
      .where(and(eq(registrations.programmeId, programmeId), eq(registrations.status, 'confirmed')))
      .orderBy(asc(registrations.createdAt)),
    db.select().from(attendance).where(eq(attendance.sessionId, sessionId)).orderBy(asc(attendance.checkedInAt)),
    db
      .select()
      .from(groupBookings)
      .where(
        and(
          eq(groupBookings.programmeId, programmeId),
          eq(groupBookings.status, 'confirmed'),
          eq(groupBookings.requestedDate, vnDate(session.startsAt)),
        ),
      ),
  ]);
  const contacts = await contactsOf(
    db,
    regs.map((r) => r.userId),
  );
  const presentRegs = new Set(marks.map((m) => m.registrationId).filter(Boolean));
  const presentBookings = new Set(marks.map((m) => m.bookingId).filter(Boolean));
  return {
    programme,
    session,
    entries: regs.map((r) => ({
      registrationId: r.id,
      name: contacts.get(r.userId)?.displayName ?? '',
      code: r.code,
      present: presentRegs.has(r.id),
    })),
    bookings: bookings.map((b) => ({ id: b.id, school: b.school, className: b.className, pupils: b.pupils, present: presentBookings.has(b.id) })),
    walkIns: marks.filter((m) => m.walkInName).map((m) => ({ id: m.id, name: m.walkInName ?? '', ageGroup: m.ageGroup })),
    present: marks.reduce((n, m) => n + m.headcount, 0),
  };
}

/** Checks in the holder of a registration code (scanned from the QR code or typed). */
export async function checkIn(
  db: Db,
  actor: Actor,
  programmeId: string,
  sessionId: string,
  rawCode: string,
): Promise<{ name: string; already: boolean }> {
  requireUser(actor);
  const { programme, scope, session } = await staffSession(db, actor, programmeId, sessionId);
  if (session.cancelledAt) throw new ConflictError([{ field: 'code', key: 'programmes.errors.sessionCancelled' }]);
  const code = rawCode
    .trim()
    .toUpperCase()
    .replace(/^.*[/=]/, '');
  const [reg] = await db.select().from(registrations).where(eq(registrations.code, code)).limit(1);
  if (!reg || reg.programmeId !== programme.id) throw new ValidationError([{ field: 'code', key: 'programmes.errors.unknownCode' }]);
  if (reg.status !== 'confirmed') throw new ValidationError([{ field: 'code', key: 'programmes.errors.notConfirmed' }]);
  const name = (await contactsOf(db, [reg.userId])).get(reg.userId)?.displayName ?? '';
  const [row] = await db
    .insert(attendance)
    .values({
      sessionId,
      registrationId: reg.id,
      ageGroup: reg.ageGroup,
      method: 'qr',
      checkedInBy: actor.userId,
    })
    .onConflictDoNothing()
    .returning();
  if (row) {
    await recordAudit(db, actor, {
      action: 'programme.attendance.checkin',
      entityType: 'programme_session',
      entityId: sessionId,
      after: { registrationId: reg.id },
      unitIds: scope.unitPath,
      institutionId: programme.institutionId,
    });
  }
  return { name, already: !row };
}

/**
 * Saves the tick list: the ticked registrations and school groups are present, the others
 * are not (walk-ins stay as they are).
 */
export async function saveTickList(
  db: Db,
  actor: Actor,
  programmeId: string,
  sessionId: string,
  present: { registrationIds: string[]; bookingIds: string[] },
): Promise<void> {
  requireUser(actor);
  const { programme, scope, session } = await staffSession(db, actor, programmeId, sessionId);
  if (session.cancelledAt) throw new ConflictError([{ field: 'present', key: 'programmes.errors.sessionCancelled' }]);
  const regs = await db
    .select()
    .from(registrations)
    .where(and(eq(registrations.programmeId, programmeId), eq(registrations.status, 'confirmed')));
  const valid = regs.filter((r) => present.registrationIds.includes(r.id));
  const bookings = await db
    .select()
    .from(groupBookings)
    .where(
      and(
        eq(groupBookings.programmeId, programmeId),
        eq(groupBookings.status, 'confirmed'),
        eq(groupBookings.requestedDate, vnDate(session.startsAt)),
      ),
    );
  const validBookings = bookings.filter((b) => present.bookingIds.includes(b.id));
  await db.delete(attendance).where(
    and(
      eq(attendance.sessionId, sessionId),
      isNotNull(attendance.registrationId),
      valid.length
        ? notInArray(
            attendance.registrationId,
            valid.map((r) => r.id),
          )
        : undefined,
    ),
  );
  await db.delete(attendance).where(
    and(
      eq(attendance.sessionId, sessionId),
      isNotNull(attendance.bookingId),
      validBookings.length
        ? notInArray(
            attendance.bookingId,
            validBookings.map((b) => b.id),
          )
        : undefined,
    ),
  );
  if (valid.length) {
    await db
      .insert(attendance)
      .values(
        valid.map((r) => ({
          sessionId,
          registrationId: r.id,
          ageGroup: r.ageGroup,
          method: 'list',
          checkedInBy: actor.userId,
        })),
      )
      .onConflictDoNothing();
  }
  for (const b of validBookings) {
    await db
      .insert(attendance)
      .values({ sessionId, bookingId: b.id, ageGroup: '6_14', headcount: b.pupils, method: 'list', checkedInBy: actor.userId })
      .onConflictDoNothing();
  }
  await recordAudit(db, actor, {
    action: 'programme.attendance.list',
    entityType: 'programme_session',
    entityId: sessionId,
    after: { registrationIds: valid.map((r) => r.id), bookingIds: validBookings.map((b) => b.id) },
    unitIds: scope.unitPath,
    institutionId: programme.institutionId,
  });
}

export async function addWalkIn(db: Db, actor: Actor, programmeId: string, sessionId: string, input: WalkInInput): Promise<void> {
  requireUser(actor);
  const { programme, scope, session } = await staffSession(db, actor, programmeId, sessionId);
  if (session.cancelledAt) throw new ConflictError([{ field: 'name', key: 'programmes.errors.sessionCancelled' }]);
  const name = normalizeVi(input.name);
  if (!name) throw new ValidationError([{ field: 'name', key: 'errors.required' }]);
  const [row] = await db
    .insert(attendance)
    .values({
      sessionId,
      walkInName: name,
      ageGroup: input.ageGroup ?? null,
      method: 'walk_in',
      checkedInBy: actor.userId,
    })
    .returning();
  await recordAudit(db, actor, {
    action: 'programme.attendance.walkin',
    entityType: 'programme_session',
    entityId: sessionId,
    after: { attendanceId: row?.id, ageGroup: input.ageGroup ?? null },
    unitIds: scope.unitPath,
    institutionId: programme.institutionId,
  });
}

/** Total present per session, for the staff lists. */
export async function presentCounts(db: Db, sessionIds: string[]): Promise<Map<string, number>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db
    .select({ sessionId: attendance.sessionId, n: sql<number>`sum(${attendance.headcount})::int` })
    .from(attendance)
    .where(inArray(attendance.sessionId, sessionIds))
    .groupBy(attendance.sessionId);
  return new Map(rows.map((r) => [r.sessionId, r.n]));
}
