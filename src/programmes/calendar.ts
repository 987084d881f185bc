import { randomBytes } from 'node:crypto';
import { and, asc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { institutionRefs, unitSubtree, unitPath } from '../orgs/index.js';
import { canSomewhere, requireUser, requireWriteScope, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.js';
import { normalizeVi } from '../platform/text/index.js';
import { addDays, vnDate, vnInstant, type MarkerInput } from './model.js';
import { calendarFeeds, calendarMarkers, programmes, programmeSessions, registrations } from './schema.js';

export type MarkerRow = typeof calendarMarkers.$inferSelect;

/** Whose calendar: the whole province, one unit's subtree, or one institution. */
export type CalendarScope =
  | { kind: 'all' }
  /** `subtree`: the unit and the units below it, when the caller has them already. */
  | { kind: 'unit'; unitId: string; subtree?: string[] }
  | { kind: 'institution'; institutionId: string };

export interface CalendarEntry {
  sessionId: string;
  programmeId: string;
  title: string;
  kind: string;
  institutionId: string;
  institutionName: string;
  venue: string | null;
  onlineUrl: string | null;
  description: string;
  startsAt: Date;
  endsAt: Date;
  cancelled: boolean;
  updatedAt: Date;
}

async function scopeCondition(db: Db, scope: CalendarScope): Promise<SQL | undefined> {
  if (scope.kind === 'institution') return eq(programmes.institutionId, scope.institutionId);
  if (scope.kind === 'unit') {
    const ids = scope.subtree ?? (await unitSubtree(db, scope.unitId));
    return ids.length ? inArray(programmes.unitId, ids) : sql`false`;
  }
  return undefined;
}

/** Sessions of published programmes in [from, to) (Vietnam dates), oldest first. */
export async function calendarEntries(db: Db, scope: CalendarScope, from: string, to: string, limit = 5000): Promise<CalendarEntry[]> {
  const rows = await db
    .select({
      sessionId: programmeSessions.id,
      programmeId: programmes.id,
      title: programmes.title,
      kind: programmes.kind,
      institutionId: programmes.institutionId,
      venue: programmes.venue,
      onlineUrl: programmes.onlineUrl,
      description: programmes.description,
      startsAt: programmeSessions.startsAt,
      endsAt: programmeSessions.endsAt,
      cancelledAt: programmeSessions.cancelledAt,
      updatedAt: programmes.updatedAt,
    })
    .from(programmeSessions)
    .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
    .where(
      and(
        eq(programmes.status, 'published'),
        await scopeCondition(db, scope),
        gte(programmeSessions.startsAt, vnInstant(from)),
        lt(programmeSessions.startsAt, vnInstant(to)),
      ),
    )
    .orderBy(asc(programmeSessions.startsAt), asc(programmes.sortKey))
    .limit(limit);
  const names = await institutionRefs(
    db,
    rows.map((r) => r.institutionId),
  );
  return rows.map(({ cancelledAt, ...r }) => ({ ...r, cancelled: Boolean(cancelledAt), institutionName: names.get(r.institutionId)?.name ?? '' }));
}

export interface DaySummary {
  date: string;
  count: number;
  first: CalendarEntry[];
}

/**
 * A month or week at a glance: per day, how many sessions and the first few. Only those few
 * are read, so a province with tens of thousands of sessions a year stays fast.
 */
export async function calendarDays(db: Db, scope: CalendarScope, from: string, to: string, perDay = 3): Promise<DaySummary[]> {
  const where = and(
    eq(programmes.status, 'published'),
    isNull(programmeSessions.cancelledAt),
    await scopeCondition(db, scope),
    gte(programmeSessions.startsAt, vnInstant(from)),
    lt(programmeSessions.startsAt, vnInstant(to)),
  );
  const day = sql<string>`((${programmeSessions.startsAt} at time zone 'UTC') + interval '7 hours')::date::text`;
  const ranked = db
    .select({
      sessionId: sql<string>`${programmeSessions.id}`.as('session_id'),
      programmeId: sql<string>`${programmes.id}`.as('programme_id'),
      title: sql<string>`${programmes.title}`.as('title'),
      kind: sql<string>`${programmes.kind}`.as('kind'),
      institutionId: sql<string>`${programmes.institutionId}`.as('institution_id'),
      startsAt: sql<string>`${programmeSessions.startsAt}`.as('starts_at'),
      endsAt: sql<string>`${programmeSessions.endsAt}`.as('ends_at'),
      day: day.as('day'),
      rn: sql<number>`row_number() over (partition by ${day} order by ${programmeSessions.startsAt}, ${programmes.sortKey})`.as('rn'),
      n: sql<number>`count(*) over (partition by ${day})`.as('n'),
    })
    .from(programmeSessions)
    .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
    .where(where)
    .as('ranked');
  const rows = await db
    .select()
    .from(ranked)
    .where(sql`${ranked.rn} <= ${perDay}`)
    .orderBy(asc(ranked.day), asc(ranked.rn));
  const names = await institutionRefs(
    db,
    rows.map((r) => r.institutionId),
  );
  const out: DaySummary[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) out.push({ date: d, count: 0, first: [] });
  const byDate = new Map(out.map((s) => [s.date, s]));
  for (const r of rows) {
    const s = byDate.get(r.day);
    if (!s) continue;
    s.count = Number(r.n);
    s.first.push({
      sessionId: r.sessionId,
      programmeId: r.programmeId,
      title: r.title,
      kind: r.kind,
      institutionId: r.institutionId,
      institutionName: names.get(r.institutionId)?.name ?? '',
      venue: null,
      onlineUrl: null,
      description: '',
      startsAt: new Date(r.startsAt),
      endsAt: new Date(r.endsAt),
      cancelled: false,
      updatedAt: new Date(r.startsAt),
    });
  }
  return out;
}

/** The national and international days the plan names, preloaded and editable. */
export const nationalDays: Array<{ key: string; title: string; month: number; day: number; days: number }> = [
  { key: 'vn_book_day', title: 'Ngày Sách và Văn hóa đọc Việt Nam', month: 4, day: 21, days: 1 },
  { key: 'world_book_day', title: 'Ngày Sách và Bản quyền thế giới', month: 4, day: 23, days: 1 },
  { key: 'museum_day', title: 'Ngày Quốc tế Bảo tàng', month: 5, day: 18, days: 1 },
  { key: 'lifelong_learning_week', title: 'Tuần lễ hưởng ứng học tập suốt đời', month: 10, day: 1, days: 7 },
  { key: 'heritage_day', title: 'Ngày Di sản văn hóa Việt Nam', month: 11, day: 23, days: 1 },
];

/** Puts the national days in place once; edits made later are kept. */
export async function seedNationalDays(db: Db): Promise<void> {
  await db.insert(calendarMarkers).values(nationalDays).onConflictDoNothing();
}

export interface MarkerDay {
  marker: MarkerRow;
  date: string;
}

/** The markers falling in [from, to): national ones everywhere, local ones on their unit's calendars. */
export async function markersBetween(db: Db, scope: CalendarScope, from: string, to: string, unitIdsAbove: string[] = []): Promise<MarkerDay[]> {
  let local: SQL | undefined;
  if (scope.kind === 'unit')
    local = inArray(calendarMarkers.unitId, [...new Set([...(scope.subtree ?? (await unitSubtree(db, scope.unitId))), ...unitIdsAbove])]);
  else if (scope.kind === 'institution') local = unitIdsAbove.length ? inArray(calendarMarkers.unitId, unitIdsAbove) : undefined;
  else local = sql`true`;
  const rows = await db
    .select()
    .from(calendarMarkers)
    .where(and(eq(calendarMarkers.hidden, false), local ? or(isNull(calendarMarkers.unitId), local) : isNull(calendarMarkers.unitId)));
  const out: MarkerDay[] = [];
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(to.slice(0, 4));
  for (const m of rows) {
    for (let y = firstYear; y <= lastYear; y++) {
      if (m.year && m.year !== y) continue;
      const start = `${y}-${String(m.month).padStart(2, '0')}-${String(m.day).padStart(2, '0')}`;
      for (let i = 0; i < m.days; i++) {
        const date = addDays(start, i);
        if (date >= from && date < to) out.push({ marker: m, date });
      }
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

export async function listMarkers(db: Db): Promise<MarkerRow[]> {
  return db.select().from(calendarMarkers).orderBy(asc(calendarMarkers.month), asc(calendarMarkers.day), asc(calendarMarkers.title));
}

/**
 * National days are edited by the Department (or a system administrator); local
 * anniversaries by the officers of their unit and above.
 */
async function authorizeMarker(db: Db, actor: Actor, unitId: string | null): Promise<string[]> {
  // The unit officers' grants are read directly below, so a token is held to the scope for units here.
  requireWriteScope(actor, 'orgs:write');
  if (!unitId) {
    if (!canSomewhere(actor, 'units.write')) throw new ForbiddenError();
    return [];
  }
  const path = await unitPath(db, unitId);
  if (path.length === 0) throw new ValidationError([{ field: 'unitId', key: 'programmes.errors.noUnit' }]);
  const grants = actor.grants.filter((g) => g.role === 'sysadmin' || (g.unitId && path.includes(g.unitId) && g.role !== 'staff'));
  if (grants.length === 0) throw new ForbiddenError();
  return path;
}

function markerValues(input: MarkerInput) {
  const probe = `2024-${String(input.month).padStart(2, '0')}-${String(input.day).padStart(2, '0')}`;
  if (vnDate(vnInstant(probe)) !== probe) throw new ValidationError([{ field: 'day', key: 'programmes.errors.noSuchDay' }]);
  return {
    title: normalizeVi(input.title),
    description: input.description ? normalizeVi(input.description) : null,
    month: input.month,
    day: input.day,
    days: input.days ?? 1,
    year: input.year ?? null,
    unitId: input.unitId ?? null,
    hidden: input.hidden ?? false,
  };
}

export async function createMarker(db: Db, actor: Actor, input: MarkerInput): Promise<MarkerRow> {
  const path = await authorizeMarker(db, actor, input.unitId ?? null);
  const [row] = await db.insert(calendarMarkers).values(markerValues(input)).returning();
  if (!row) throw new Error('insert returned nothing');
  await recordAudit(db, actor, { action: 'programme.marker.create', entityType: 'calendar_marker', entityId: row.id, after: row, unitIds: path });
  return row;
}

export async function updateMarker(db: Db, actor: Actor, id: string, input: MarkerInput): Promise<MarkerRow> {
  const [before] = /^[0-9a-f-]{36}$/i.test(id) ? await db.select().from(calendarMarkers).where(eq(calendarMarkers.id, id)).limit(1) : [];
  if (!before) throw new NotFoundError();
  await authorizeMarker(db, actor, before.unitId);
  const path = await authorizeMarker(db, actor, input.unitId ?? null);
  const [row] = await db
    .update(calendarMarkers)
    .set({ ...markerValues(input), updatedAt: new Date() })
    .where(eq(calendarMarkers.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, { action: 'programme.marker.update', entityType: 'calendar_marker', entityId: id, before, after: row, unitIds: path });
  return row;
}

/** The secret feed address of a citizen's own registrations, made on first use. */
export async function feedToken(db: Db, actor: Actor): Promise<string> {
  requireUser(actor);
  const [existing] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, actor.userId)).limit(1);
  if (existing) return existing.token;
  const token = randomBytes(24).toString('base64url');
  await db.insert(calendarFeeds).values({ userId: actor.userId, token }).onConflictDoNothing();
  const [row] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, actor.userId)).limit(1);
  return row?.token ?? token;
}

/** The sessions of the programmes a citizen holds a seat in, for their own feed. */
export async function ownEntries(db: Db, token: string): Promise<CalendarEntry[]> {
  const [feed] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.token, token)).limit(1);
  if (!feed) throw new NotFoundError();
  const since = new Date(Date.now() - 60 * 86_400_000);
  const rows = await db
    .select({
      sessionId: programmeSessions.id,
      programmeId: programmes.id,
      title: programmes.title,
      kind: programmes.kind,
      institutionId: programmes.institutionId,
      venue: programmes.venue,
      onlineUrl: programmes.onlineUrl,
      description: programmes.description,
      startsAt: programmeSessions.startsAt,
      endsAt: programmeSessions.endsAt,
      cancelledAt: programmeSessions.cancelledAt,
      updatedAt: programmes.updatedAt,
    })
    .from(registrations)
    .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
    .innerJoin(programmeSessions, eq(programmeSessions.programmeId, programmes.id))
    .where(
      and(
        eq(registrations.userId, feed.userId),
        eq(registrations.status, 'confirmed'),
        eq(programmes.status, 'published'),
        gte(programmeSessions.startsAt, since),
      ),
    )
    .orderBy(asc(programmeSessions.startsAt))
    .limit(2000);
  const names = await institutionRefs(
    db,
    rows.map((r) => r.institutionId),
  );
  return rows.map(({ cancelledAt, ...r }) => ({ ...r, cancelled: Boolean(cancelledAt), institutionName: names.get(r.institutionId)?.name ?? '' }));
}
