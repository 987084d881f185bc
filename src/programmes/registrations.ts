import { randomBytes } from 'node:crypto';
import { and, asc, eq, gte, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import { institutionScope } from '../orgs/index.js';
import { authorize, can, requireUser, requireWriteScope, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { ConflictError, NotFoundError, UnauthenticatedError } from '../platform/errors.js';
import { addDays, vnDate, vnInstant, type RegistrationInput } from './model.js';
import { contactsOf, tell, when } from './notify.js';
import { groupBookings, programmes, programmeSessions, registrations, reminders } from './schema.js';
import { isUuid } from '../platform/http/schemas.js';

export type RegistrationRow = typeof registrations.$inferSelect;
type ProgrammeRow = typeof programmes.$inferSelect;
type SessionRow = typeof programmeSessions.$inferSelect;

/** A short code for the QR label and for typing by hand: no look-alike letters. */
export function newCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(10);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Locks the programme row: every change of seats happens under this lock, in one transaction. */
async function lockProgramme(db: Db, id: string): Promise<ProgrammeRow> {
  const [row] = await db.select().from(programmes).where(eq(programmes.id, id)).for('update');
  if (!row) throw new NotFoundError();
  return row;
}

async function nextSessionOf(db: Db, programmeId: string, now: Date): Promise<SessionRow | undefined> {
  const [s] = await db
    .select()
    .from(programmeSessions)
    .where(and(eq(programmeSessions.programmeId, programmeId), isNull(programmeSessions.cancelledAt), gte(programmeSessions.endsAt, now)))
    .orderBy(asc(programmeSessions.startsAt))
    .limit(1);
  return s;
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * Registers the actor for a programme (the whole series of a class, the membership of a
 * club): a seat if one is free, otherwise a place on the waitlist. The seat is taken by one
 * conditional update of the programme row, so concurrent registrations queue on that row and
 * never oversell; only when it is full is the row locked to put the person on the waitlist.
 */
export async function register(
  db: Db,
  actor: Actor,
  programmeId: string,
  input: RegistrationInput,
  now: Date = new Date(),
): Promise<RegistrationRow> {
  requireWriteScope(actor, 'self:write');
  if (!isUuid(programmeId)) throw new NotFoundError();
  const [p] = await db.select().from(programmes).where(eq(programmes.id, programmeId)).limit(1);
  if (!p || p.status !== 'published') throw new NotFoundError();
  if (p.kind === 'museum_education') throw new ConflictError([{ field: 'programme', key: 'programmes.errors.bookInstead' }]);
  const nextSession = await nextSessionOf(db, p.id, now);
  if (!nextSession) throw new ConflictError([{ field: 'programme', key: 'programmes.errors.over' }]);
  const nextStart = nextSession.startsAt;
  const takeSeat = () =>
    db
      .update(programmes)
      .set({ confirmedCount: sql`${programmes.confirmedCount} + 1` })
      .where(and(eq(programmes.id, p.id), lt(programmes.confirmedCount, programmes.capacity)))
      .returning({ id: programmes.id });
  let [seat] = await takeSeat();
  if (!seat) {
    await lockProgramme(db, p.id);
    [seat] = await takeSeat();
  }
  const status = seat ? 'confirmed' : 'waitlisted';
  let row: RegistrationRow | undefined;
  try {
    [row] = await db
      .insert(registrations)
      .values({
        programmeId: p.id,
        userId: actor.userId,
        status,
        ageGroup: input.ageGroup ?? null,
        code: newCode(),
      })
      .returning();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError([{ field: 'programme', key: 'programmes.errors.alreadyRegistered' }]);
    throw err;
  }
  if (!row) throw new Error('insert returned nothing');
  const contact = (await contactsOf(db, [actor.userId])).get(actor.userId);
  await tell(db, contact, status === 'confirmed' ? 'confirmed' : 'waitlisted', { title: p.title, when: when(contact, nextStart), code: row.code });
  return row;
}

/** Fills free seats from the waitlist, oldest first, telling each person promoted. Call under the lock. */
export async function promoteWaitlist(db: Db, programmeId: string, now: Date = new Date()): Promise<RegistrationRow[]> {
  const p = await lockProgramme(db, programmeId);
  const free = p.capacity - p.confirmedCount;
  if (free <= 0) return [];
  const waiting = await db
    .select()
    .from(registrations)
    .where(and(eq(registrations.programmeId, programmeId), eq(registrations.status, 'waitlisted')))
    .orderBy(asc(registrations.createdAt), asc(registrations.id))
    .limit(free);
  if (waiting.length === 0) return [];
  const promoted = await db
    .update(registrations)
    .set({ status: 'confirmed', updatedAt: now })
    .where(
      inArray(
        registrations.id,
        waiting.map((w) => w.id),
      ),
    )
    .returning();
  await db
    .update(programmes)
    .set({ confirmedCount: sql`${programmes.confirmedCount} + ${promoted.length}` })
    .where(eq(programmes.id, programmeId));
  const contacts = await contactsOf(
    db,
    promoted.map((r) => r.userId),
  );
  const next = await nextSessionOf(db, programmeId, now);
  for (const r of promoted) {
    const contact = contacts.get(r.userId);
    await tell(db, contact, 'promoted', { title: p.title, when: next ? when(contact, next.startsAt) : '', code: r.code });
  }
  return promoted;
}

export async function loadRegistration(db: Db, id: string): Promise<RegistrationRow> {
  if (!isUuid(id)) throw new NotFoundError();
  const [row] = await db.select().from(registrations).where(eq(registrations.id, id)).limit(1);
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * Cancels a registration: its holder may, and so may the programme's staff. A freed seat
 * goes to the first person waiting.
 */
export async function cancelRegistration(db: Db, actor: Actor, id: string): Promise<{ registration: RegistrationRow; promoted: RegistrationRow[] }> {
  requireUser(actor);
  const found = await loadRegistration(db, id);
  const p = await lockProgramme(db, found.programmeId);
  const own = found.userId === actor.userId;
  const scope = await institutionScope(db, p.institutionId);
  if (own) {
    requireWriteScope(actor, 'self:write');
  } else {
    if (!can(actor, 'programmes.operate', scope)) throw new NotFoundError();
    authorize(actor, 'programmes.operate', scope);
  }
  const [current] = await db.select().from(registrations).where(eq(registrations.id, id)).limit(1);
  if (!current || current.status === 'cancelled') return { registration: current ?? found, promoted: [] };
  const [row] = await db
    .update(registrations)
    .set({ status: 'cancelled', cancelledAt: new Date(), updatedAt: new Date() })
    .where(eq(registrations.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  if (current.status === 'confirmed') {
    await db
      .update(programmes)
      .set({ confirmedCount: sql`${programmes.confirmedCount} - 1` })
      .where(eq(programmes.id, p.id));
  }
  if (!own) {
    await recordAudit(db, actor, {
      action: 'programme.registration.cancel',
      entityType: 'programme_registration',
      entityId: id,
      before: { status: current.status },
      after: { status: 'cancelled' },
      unitIds: scope.unitPath,
      institutionId: p.institutionId,
    });
  }
  const promoted = await promoteWaitlist(db, p.id);
  return { registration: row, promoted };
}

/** Tells the registrants and the school groups booked that day that a session will not take place. */
export async function notifySessionCancelled(db: Db, p: ProgrammeRow, s: SessionRow): Promise<void> {
  await notifyCancelled(db, p, [s], 'sessionCancelled', s.cancelReason);
}

/**
 * Tells each confirmed registrant, and each teacher with a live booking on one of the sessions'
 * days, once: `kind` is the mail (sessionCancelled, programmeCancelled), dated by the first session.
 */
export async function notifyCancelled(db: Db, p: ProgrammeRow, sessions: SessionRow[], kind: string, reason: string | null): Promise<void> {
  const first = sessions[0];
  if (!first) return;
  const regs = await db
    .select()
    .from(registrations)
    .where(and(eq(registrations.programmeId, p.id), eq(registrations.status, 'confirmed')));
  const days = [...new Set(sessions.map((s) => vnDate(s.startsAt)))];
  const bookings = await db
    .select()
    .from(groupBookings)
    .where(
      and(
        eq(groupBookings.programmeId, p.id),
        inArray(groupBookings.status, kind === 'sessionCancelled' ? ['confirmed'] : ['requested', 'confirmed', 'proposed']),
        inArray(groupBookings.requestedDate, days),
      ),
    );
  const contacts = await contactsOf(db, [...regs.map((r) => r.userId), ...bookings.map((b) => b.userId)]);
  const seen = new Set<string>();
  for (const userId of [...regs.map((r) => r.userId), ...bookings.map((b) => b.userId)]) {
    if (seen.has(userId)) continue;
    seen.add(userId);
    const contact = contacts.get(userId);
    await tell(db, contact, kind, { title: p.title, when: when(contact, first.startsAt), reason: reason ?? '' });
  }
}

/**
 * Sends the day-before reminders: every confirmed registrant of a published programme with
 * a session tomorrow (Vietnam time), once per session.
 */
export async function remindTomorrow(db: Db, now: Date = new Date()): Promise<number> {
  const tomorrow = addDays(vnDate(now), 1);
  const due = await db
    .select({ registration: registrations, session: programmeSessions, programme: programmes })
    .from(programmeSessions)
    .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
    .innerJoin(registrations, eq(registrations.programmeId, programmes.id))
    .where(
      and(
        eq(programmes.status, 'published'),
        isNull(programmeSessions.cancelledAt),
        eq(registrations.status, 'confirmed'),
        gte(programmeSessions.startsAt, vnInstant(tomorrow)),
        lt(programmeSessions.startsAt, vnInstant(addDays(tomorrow, 1))),
        sql`not exists (select 1 from ${reminders} where ${reminders.registrationId} = ${registrations.id} and ${reminders.sessionId} = ${programmeSessions.id})`,
      ),
    );
  if (due.length === 0) return 0;
  const contacts = await contactsOf(
    db,
    due.map((d) => d.registration.userId),
  );
  let sent = 0;
  for (const d of due) {
    const [claimed] = await db
      .insert(reminders)
      .values({ registrationId: d.registration.id, sessionId: d.session.id })
      .onConflictDoNothing()
      .returning();
    if (!claimed) continue;
    const contact = contacts.get(d.registration.userId);
    await tell(db, contact, 'reminder', {
      title: d.programme.title,
      when: when(contact, d.session.startsAt),
      place: d.programme.venue ?? d.programme.onlineUrl ?? '',
      code: d.registration.code,
    });
    sent++;
  }
  return sent;
}

export interface OwnRegistration {
  registration: RegistrationRow;
  programme: ProgrammeRow;
  nextSession: Date | null;
}

/** A citizen's own registrations, newest first; no one else's. */
export async function myRegistrations(db: Db, actor: Actor, now: Date = new Date()): Promise<OwnRegistration[]> {
  requireUser(actor);
  const next = sql<Date | null>`(select min(${programmeSessions.startsAt}) from ${programmeSessions}
    where ${programmeSessions.programmeId} = ${programmes.id} and ${programmeSessions.cancelledAt} is null and ${programmeSessions.endsAt} >= ${now.toISOString()}::timestamptz)`;
  const rows = await db
    .select({ registration: registrations, programme: programmes, next })
    .from(registrations)
    .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
    .where(eq(registrations.userId, actor.userId))
    .orderBy(sql`${registrations.status} = 'cancelled'`, sql`${next} asc nulls last`);
  return rows.map((r) => ({ registration: r.registration, programme: r.programme, nextSession: r.next ? new Date(r.next) : null }));
}

export interface RosterEntry {
  registration: RegistrationRow;
  name: string;
}

/** Confirmed and waiting registrants of a programme, for its staff. */
export async function roster(db: Db, actor: Actor, programmeId: string): Promise<{ confirmed: RosterEntry[]; waitlisted: RosterEntry[] }> {
  const [p] = await db.select().from(programmes).where(eq(programmes.id, programmeId)).limit(1);
  if (!p) throw new NotFoundError();
  const scope = await institutionScope(db, p.institutionId);
  if (actor.kind === 'anonymous') throw new UnauthenticatedError();
  if (!can(actor, 'programmes.operate', scope)) throw new NotFoundError();
  const rows = await db
    .select()
    .from(registrations)
    .where(and(eq(registrations.programmeId, programmeId), ne(registrations.status, 'cancelled')))
    .orderBy(asc(registrations.createdAt), asc(registrations.id));
  const contacts = await contactsOf(
    db,
    rows.map((r) => r.userId),
  );
  const entries = rows.map((r) => ({ registration: r, name: contacts.get(r.userId)?.displayName ?? '' }));
  return {
    confirmed: entries.filter((e) => e.registration.status === 'confirmed'),
    waitlisted: entries.filter((e) => e.registration.status === 'waitlisted'),
  };
}

/** The actor's registration for a programme that is not cancelled, if any. */
export async function activeRegistration(db: Db, programmeId: string, userId: string): Promise<RegistrationRow | undefined> {
  const [row] = await db
    .select()
    .from(registrations)
    .where(and(eq(registrations.programmeId, programmeId), eq(registrations.userId, userId), ne(registrations.status, 'cancelled')))
    .limit(1);
  return row;
}

/** 1 for the first person waiting. */
export async function waitlistPosition(db: Db, r: RegistrationRow): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(registrations)
    .where(
      and(
        eq(registrations.programmeId, r.programmeId),
        eq(registrations.status, 'waitlisted'),
        sql`(${registrations.createdAt}, ${registrations.id}) <= (select r.created_at, r.id from programme_registrations r where r.id = ${r.id})`,
      ),
    );
  return row?.n ?? 1;
}
