import { and, asc, desc, eq, exists, gte, inArray, isNull, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { institutionScope, operableInstitutions as operableIn, unitSubtree } from '../orgs/index.js';
import { authorize, can, grantsOf, isSysadmin, roleAllows, type Actor, type Scope } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import { escapeLike, type Db } from '../platform/db/index.js';
import { ConflictError, NotFoundError, ValidationError, type Issue } from '../platform/errors.js';
import { foldVi, normalizeVi, sortKeyVi, tokensVi, toneKeyVi } from '../platform/text/index.js';
import { isDate, vnDate, vnInstant, type ProgrammeInput } from './model.js';
import { expand, scheduleIssues, type Schedule } from './recurrence.js';
import { campaigns, groupBookings, programmes, programmeSessions } from './schema.js';
import { notifyCancelled, notifySessionCancelled, promoteWaitlist } from './registrations.js';
import { isUuid, pageWindow } from '../platform/http/schemas.js';

export type ProgrammeRow = typeof programmes.$inferSelect;
export type SessionRow = typeof programmeSessions.$inferSelect;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The scope of an institution's programmes; an unknown institution is an input error on the field. */
export async function programmeScope(db: Db, institutionId: string, field = 'institutionId'): Promise<Scope> {
  const scope = await institutionScope(db, institutionId);
  if (scope.institutionPath.length === 0) throw new ValidationError([{ field, key: 'programmes.errors.noInstitution' }]);
  return scope;
}

export async function loadProgramme(db: Db, id: string): Promise<ProgrammeRow> {
  if (!isUuid(id)) throw new NotFoundError();
  const [row] = await db.select().from(programmes).where(eq(programmes.id, id)).limit(1);
  if (!row) throw new NotFoundError();
  return row;
}

/** Whether the actor runs this programme's institution. */
export async function canManage(db: Db, actor: Actor, p: Pick<ProgrammeRow, 'institutionId'>): Promise<boolean> {
  if (actor.kind === 'anonymous') return false;
  return can(actor, 'programmes.operate', await institutionScope(db, p.institutionId));
}

/** Loads a programme the actor may manage, with its scope for the audit log. */
export async function manageable(db: Db, actor: Actor, id: string): Promise<{ programme: ProgrammeRow; scope: Scope }> {
  const programme = await loadProgramme(db, id);
  const scope = await institutionScope(db, programme.institutionId);
  authorize(actor, 'programmes.operate', scope);
  return { programme, scope };
}

/** A published programme, or a draft shown only to the people who run it. */
export async function visibleProgramme(db: Db, actor: Actor, id: string): Promise<{ programme: ProgrammeRow; manager: boolean }> {
  const programme = await loadProgramme(db, id);
  const manager = await canManage(db, actor, programme);
  if (programme.status === 'draft' && !manager) throw new NotFoundError();
  return { programme, manager };
}

function durationOf(input: Pick<ProgrammeInput, 'startTime' | 'endTime'>): number {
  const [sh = 0, sm = 0] = input.startTime.split(':').map(Number);
  const [eh = 0, em = 0] = input.endTime.split(':').map(Number);
  return eh * 60 + em - (sh * 60 + sm);
}

function scheduleOf(input: ProgrammeInput): Schedule {
  const rrule = input.rrule?.trim() ? input.rrule.trim().replace(/^RRULE:/i, '') : null;
  return {
    startsAt: vnInstant(input.startDate, input.startTime),
    durationMinutes: durationOf(input),
    rrule,
    exdates: [...new Set(input.exdates ?? [])].sort(),
    openEnded: input.kind === 'club',
  };
}

async function inputIssues(db: Db, input: ProgrammeInput): Promise<Issue[]> {
  const issues: Issue[] = [];
  if (!isDate(input.startDate)) issues.push({ field: 'startDate', key: 'errors.format.date' });
  if (durationOf(input) <= 0) issues.push({ field: 'endTime', key: 'programmes.errors.endBeforeStart' });
  if (input.kind === 'event' && input.rrule?.trim()) issues.push({ field: 'rrule', key: 'programmes.errors.eventRecurs' });
  if (!normalizeVi(input.title)) issues.push({ field: 'title', key: 'errors.required' });
  if (issues.length === 0) issues.push(...scheduleIssues(scheduleOf(input)));
  if (input.campaignId) {
    const [c] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, input.campaignId)).limit(1);
    if (!c) issues.push({ field: 'campaignId', key: 'programmes.errors.noCampaign' });
  }
  return issues;
}

function columnsOf(input: ProgrammeInput, unitId: string) {
  const title = normalizeVi(input.title);
  const description = normalizeVi(input.description ?? '');
  const venue = input.venue ? normalizeVi(input.venue) : null;
  const searchText = [title, description, venue ?? ''].join(' ');
  const schedule = scheduleOf(input);
  return {
    institutionId: input.institutionId,
    unitId,
    kind: input.kind,
    title,
    description,
    venue,
    onlineUrl: input.onlineUrl ?? null,
    startsAt: schedule.startsAt,
    durationMinutes: schedule.durationMinutes,
    rrule: schedule.rrule,
    exdates: schedule.exdates,
    capacity: input.capacity,
    audiences: [...new Set(input.audiences ?? [])],
    topics: [...new Set(input.topics ?? [])],
    fee: input.fee ?? 0,
    accessibility: input.accessibility ? normalizeVi(input.accessibility) : null,
    imageUrl: input.imageUrl ?? null,
    campaignId: input.campaignId ?? null,
    searchFolded: foldVi(searchText),
    searchTone: toneKeyVi(searchText),
    sortKey: sortKeyVi(title),
  };
}

/**
 * Brings the stored sessions in line with the schedule: new dates are added, dates the
 * schedule no longer has are removed, and sessions that stay keep their cancellations and
 * attendance.
 */
export async function materialise(db: Db, p: ProgrammeRow, now: Date = new Date()): Promise<void> {
  const wanted = expand(
    {
      startsAt: p.startsAt,
      durationMinutes: p.durationMinutes,
      rrule: p.rrule,
      exdates: p.exdates,
      openEnded: p.kind === 'club',
    },
    now,
  );
  const starts = wanted.map((o) => o.startsAt);
  await db
    .delete(programmeSessions)
    .where(and(eq(programmeSessions.programmeId, p.id), starts.length ? notInArray(programmeSessions.startsAt, starts) : undefined));
  for (let i = 0; i < wanted.length; i += 200) {
    const chunk = wanted.slice(i, i + 200);
    await db
      .insert(programmeSessions)
      .values(chunk.map((o) => ({ programmeId: p.id, startsAt: o.startsAt, endsAt: o.endsAt })))
      .onConflictDoUpdate({ target: [programmeSessions.programmeId, programmeSessions.startsAt], set: { endsAt: sql`excluded.ends_at` } });
  }
}

/** Adds the next sessions of open-ended rules (clubs) as time moves on; the daily timer calls it. */
export async function extendOpenSchedules(db: Db, now: Date): Promise<number> {
  const open = await db
    .select()
    .from(programmes)
    .where(and(eq(programmes.status, 'published'), sql`${programmes.rrule} is not null`, sql`${programmes.rrule} !~* '(COUNT|UNTIL)='`));
  for (const p of open) await materialise(db, p, now);
  return open.length;
}

function snapshot(p: ProgrammeRow) {
  const { searchFolded: _f, searchTone: _t, sortKey: _s, ...rest } = p;
  return rest;
}

export async function createProgramme(db: Db, actor: Actor, input: ProgrammeInput): Promise<ProgrammeRow> {
  const scope = await programmeScope(db, input.institutionId);
  authorize(actor, 'programmes.operate', scope);
  const issues = await inputIssues(db, input);
  if (issues.length) throw new ValidationError(issues);
  const unitId = scope.unitPath[0];
  if (!unitId) throw new ValidationError([{ field: 'institutionId', key: 'programmes.errors.noInstitution' }]);
  const [row] = await db
    .insert(programmes)
    .values({
      ...columnsOf(input, unitId),
      createdBy: actor.kind === 'user' || actor.kind === 'token' ? actor.userId : null,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await materialise(db, row);
  await recordAudit(db, actor, {
    action: 'programme.create',
    entityType: 'programme',
    entityId: row.id,
    after: snapshot(row),
    unitIds: scope.unitPath,
    institutionId: row.institutionId,
  });
  return row;
}

export async function updateProgramme(db: Db, actor: Actor, id: string, input: ProgrammeInput): Promise<ProgrammeRow> {
  const { programme: before, scope } = await manageable(db, actor, id);
  await db.execute(sql`select id from programmes where id = ${id} for update`);
  if (input.institutionId !== before.institutionId) {
    authorize(actor, 'programmes.operate', await programmeScope(db, input.institutionId));
  }
  const issues = await inputIssues(db, input);
  if (input.capacity < before.confirmedCount) {
    issues.push({ field: 'capacity', key: 'programmes.errors.capacityBelowConfirmed', params: { count: before.confirmedCount } });
  }
  if (input.kind !== before.kind && before.confirmedCount > 0) issues.push({ field: 'kind', key: 'programmes.errors.kindLocked' });
  if (issues.length) throw new ValidationError(issues);
  const target = input.institutionId === before.institutionId ? scope : await institutionScope(db, input.institutionId);
  const [row] = await db
    .update(programmes)
    .set({ ...columnsOf(input, target.unitPath[0] ?? before.unitId), updatedAt: new Date() })
    .where(eq(programmes.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  await materialise(db, row);
  await promoteWaitlist(db, row.id);
  await recordAudit(db, actor, {
    action: 'programme.update',
    entityType: 'programme',
    entityId: id,
    before: snapshot(before),
    after: snapshot(row),
    unitIds: target.unitPath,
    institutionId: row.institutionId,
  });
  return row;
}

export async function setProgrammeStatus(db: Db, actor: Actor, id: string, status: 'published' | 'draft'): Promise<ProgrammeRow> {
  const { programme: before, scope } = await manageable(db, actor, id);
  if (before.status === 'cancelled') throw new ConflictError([{ field: 'status', key: 'programmes.errors.cancelled' }]);
  const [row] = await db
    .update(programmes)
    .set({
      status,
      updatedAt: new Date(),
      ...(status === 'published' && !before.publishedAt ? { publishedAt: new Date() } : {}),
    })
    .where(eq(programmes.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, {
    action: status === 'published' ? 'programme.publish' : 'programme.unpublish',
    entityType: 'programme',
    entityId: id,
    before: { status: before.status },
    after: { status },
    unitIds: scope.unitPath,
    institutionId: row.institutionId,
  });
  return row;
}

export async function listSessions(db: Db, programmeId: string): Promise<SessionRow[]> {
  return db.select().from(programmeSessions).where(eq(programmeSessions.programmeId, programmeId)).orderBy(asc(programmeSessions.startsAt));
}

export async function loadSession(db: Db, programmeId: string, sessionId: string): Promise<SessionRow> {
  if (!isUuid(sessionId)) throw new NotFoundError();
  const [row] = await db
    .select()
    .from(programmeSessions)
    .where(and(eq(programmeSessions.id, sessionId), eq(programmeSessions.programmeId, programmeId)))
    .limit(1);
  if (!row) throw new NotFoundError();
  return row;
}

/** Cancels one session; everyone registered (and any school group booked that day) is told. */
export async function cancelSession(db: Db, actor: Actor, programmeId: string, sessionId: string, reason: string | undefined): Promise<SessionRow> {
  const { programme, scope } = await manageable(db, actor, programmeId);
  const session = await loadSession(db, programmeId, sessionId);
  if (session.cancelledAt) return session;
  const [row] = await db
    .update(programmeSessions)
    .set({ cancelledAt: new Date(), cancelReason: reason ? normalizeVi(reason) : null })
    .where(eq(programmeSessions.id, sessionId))
    .returning();
  if (!row) throw new NotFoundError();
  if (programme.status === 'published') await notifySessionCancelled(db, programme, row);
  await recordAudit(db, actor, {
    action: 'programme.session.cancel',
    entityType: 'programme_session',
    entityId: sessionId,
    after: { programmeId, startsAt: row.startsAt, reason: row.cancelReason },
    unitIds: scope.unitPath,
    institutionId: programme.institutionId,
  });
  return row;
}

/**
 * Cancels a whole programme: it stays visible as cancelled, its sessions still ahead are
 * cancelled, registrants and teachers with a live booking on those days are told once, and
 * those bookings are cancelled.
 */
export async function cancelProgramme(db: Db, actor: Actor, id: string, reason: string | undefined, now: Date = new Date()): Promise<ProgrammeRow> {
  const { programme: before, scope } = await manageable(db, actor, id);
  await db.execute(sql`select id from programmes where id = ${id} for update`);
  const [current] = await db.select({ status: programmes.status }).from(programmes).where(eq(programmes.id, id)).limit(1);
  if (current?.status === 'cancelled') throw new ConflictError([{ field: 'status', key: 'programmes.errors.cancelled' }]);
  const why = reason ? normalizeVi(reason) || null : null;
  const [row] = await db.update(programmes).set({ status: 'cancelled', updatedAt: now }).where(eq(programmes.id, id)).returning();
  if (!row) throw new NotFoundError();
  const sessions = await db
    .update(programmeSessions)
    .set({ cancelledAt: now, cancelReason: why })
    .where(and(eq(programmeSessions.programmeId, id), isNull(programmeSessions.cancelledAt), gte(programmeSessions.startsAt, now)))
    .returning();
  sessions.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  await notifyCancelled(db, row, sessions, 'programmeCancelled', why);
  const days = [...new Set(sessions.map((s) => vnDate(s.startsAt)))];
  if (days.length) {
    await db
      .update(groupBookings)
      .set({ status: 'cancelled', updatedAt: now })
      .where(
        and(
          eq(groupBookings.programmeId, id),
          inArray(groupBookings.status, ['requested', 'confirmed', 'proposed']),
          inArray(groupBookings.requestedDate, days),
        ),
      );
  }
  await recordAudit(db, actor, {
    action: 'programme.cancel',
    entityType: 'programme',
    entityId: id,
    before: { status: before.status },
    after: { status: row.status, reason: why, sessionsCancelled: sessions.length },
    unitIds: scope.unitPath,
    institutionId: row.institutionId,
  });
  return row;
}

export interface ProgrammeFilter {
  q?: string | undefined;
  kind?: string | undefined;
  topic?: string | undefined;
  audience?: string | undefined;
  unitId?: string | undefined;
  institutionId?: string | undefined;
  campaignId?: string | undefined;
  /** YYYY-MM-DD; with `to`, programmes with a session in those days (Vietnam time). */
  from?: string | undefined;
  to?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface ProgrammeItem {
  programme: ProgrammeRow;
  nextSession: Date | null;
}

/** The public search: published programmes with a session ahead (or in the chosen days), and cancelled ones that had one. */
export async function searchProgrammes(db: Db, f: ProgrammeFilter, now: Date = new Date()): Promise<Page<ProgrammeItem>> {
  const { page, pageSize, offset } = pageWindow(f);
  const from = f.from && isDate(f.from) ? vnInstant(f.from) : now;
  const to = f.to && isDate(f.to) ? vnInstant(f.to) : null;
  const sessionWindow = and(
    eq(programmeSessions.programmeId, programmes.id),
    isNull(programmeSessions.cancelledAt),
    gte(programmeSessions.endsAt, from),
    to ? lt(programmeSessions.startsAt, new Date(to.getTime() + 86_400_000)) : undefined,
  );
  const units = f.unitId && isUuid(f.unitId) ? await unitSubtree(db, f.unitId) : null;
  const words = f.q ? tokensVi(f.q).map(foldVi) : [];
  const tone = f.q ? toneKeyVi(f.q) : '';
  const anySessionWindow = and(
    eq(programmeSessions.programmeId, programmes.id),
    gte(programmeSessions.endsAt, from),
    to ? lt(programmeSessions.startsAt, new Date(to.getTime() + 86_400_000)) : undefined,
  );
  const where = and(
    or(
      and(
        eq(programmes.status, 'published'),
        exists(
          db
            .select({ one: sql`1` })
            .from(programmeSessions)
            .where(sessionWindow),
        ),
      ),
      and(
        eq(programmes.status, 'cancelled'),
        exists(
          db
            .select({ one: sql`1` })
            .from(programmeSessions)
            .where(anySessionWindow),
        ),
      ),
    ),
    f.kind ? sql`${programmes.kind}::text = ${f.kind}` : undefined,
    f.topic ? sql`${f.topic} = any(${programmes.topics})` : undefined,
    f.audience ? sql`${f.audience} = any(${programmes.audiences})` : undefined,
    units ? (units.length ? inArray(programmes.unitId, units) : sql`false`) : undefined,
    f.institutionId ? (isUuid(f.institutionId) ? eq(programmes.institutionId, f.institutionId) : sql`false`) : undefined,
    f.campaignId ? (isUuid(f.campaignId) ? eq(programmes.campaignId, f.campaignId) : sql`false`) : undefined,
    ...words.map((w) => sql`${programmes.searchFolded} like ${`%${escapeLike(w)}%`}`),
  );
  const next = sql<Date | null>`(select min(${programmeSessions.startsAt}) from ${programmeSessions} where ${sessionWindow})`;
  const rank: SQL[] = tone ? [sql`(${programmes.searchTone} like ${`%${escapeLike(tone)}%`}) desc`] : [];
  const [rows, [total]] = await Promise.all([
    db
      .select({ programme: programmes, next })
      .from(programmes)
      .where(where)
      .orderBy(...rank, sql`${next} asc nulls last`, asc(programmes.sortKey))
      .limit(pageSize)
      .offset(offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(programmes)
      .where(where),
  ]);
  return {
    items: rows.map((r) => ({ programme: r.programme, nextSession: r.next ? new Date(r.next) : null })),
    total: total?.n ?? 0,
    page,
    pageSize,
  };
}

/** The institutions whose programmes the actor runs, from their grants; sysadmins and unit grants see by unit. */
export async function managedProgrammes(db: Db, actor: Actor): Promise<ProgrammeRow[]> {
  if (actor.kind === 'anonymous') return [];
  const grants = grantsOf(actor).filter((g) => roleAllows(g.role, 'programmes.operate'));
  if (!isSysadmin(actor) && grants.length === 0) return [];
  const parts: SQL[] = [];
  const institutionIds = grants.map((g) => g.institutionId).filter((x): x is string => Boolean(x));
  if (institutionIds.length) parts.push(inArray(programmes.institutionId, institutionIds));
  for (const g of grants) {
    if (g.unitId) {
      const ids = await unitSubtree(db, g.unitId);
      if (ids.length) parts.push(inArray(programmes.unitId, ids));
    }
  }
  const where = isSysadmin(actor)
    ? undefined
    : parts.length
      ? sql.join(
          parts.map((p) => sql`(${p})`),
          sql` or `,
        )
      : sql`false`;
  return db.select().from(programmes).where(where).orderBy(desc(programmes.updatedAt)).limit(500);
}

/** The open institutions an actor may create programmes for, every one of them, by type and name. */
export async function operableInstitutions(db: Db, actor: Actor): Promise<Array<{ id: string; name: string }>> {
  return (await operableIn(db, actor, 'programmes.operate')).map(({ id, name }) => ({ id, name }));
}

/** The Vietnamese calendar day of each session, for booking dates. */
export function offeredDates(sessions: SessionRow[], now: Date): string[] {
  const today = vnDate(now);
  return [
    ...new Set(
      sessions
        .filter((s) => !s.cancelledAt)
        .map((s) => vnDate(s.startsAt))
        .filter((d) => d >= today),
    ),
  ];
}
