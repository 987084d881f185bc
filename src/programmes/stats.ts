// ExcelJS is loaded when a workbook is made, not at start-up.
import { and, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { grantsOf, requireUser, type Actor } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';
import { ForbiddenError } from '../platform/errors.js';
import type { Translate } from '../platform/i18n/index.js';
import { addDays, ageGroups, isDate, programmeKinds, topics, vnDate, vnInstant, type ProgrammeKind } from './model.js';
import { attendance, groupBookings, programmes, programmeSessions, registrations } from './schema.js';
import { messageKey } from '../platform/i18n/index.js';

export interface ProgrammeActivity {
  institutionId: string;
  programmesHeld: number;
  sessionsHeld: number;
  registrations: number;
  attendance: number;
  byKind: Record<ProgrammeKind, number>;
  byTopic: Record<string, number>;
  attendanceByAgeGroup: Record<string, number>;
  staffTrainingAttendance: number;
}

export interface ActivityFilter {
  /** First day, YYYY-MM-DD (Vietnam time). */
  from: string;
  /** Last day, inclusive. */
  to: string;
  institutionIds?: string[];
  /** Restricts to programmes of these units (a unit's subtree, resolved by the caller). */
  unitIds?: string[];
  campaignId?: string;
}

function empty(institutionId: string): ProgrammeActivity {
  return {
    institutionId,
    programmesHeld: 0,
    sessionsHeld: 0,
    registrations: 0,
    attendance: 0,
    byKind: Object.fromEntries(programmeKinds.map((k) => [k, 0])) as Record<ProgrammeKind, number>,
    byTopic: Object.fromEntries(topics.map((k) => [k, 0])),
    attendanceByAgeGroup: {},
    staffTrainingAttendance: 0,
  };
}

/**
 * What each institution held in a period. A programme is held when it is published and has
 * at least one session in the period that was not cancelled; sessions and attendance count
 * the sessions in the period; registrations are the confirmed seats of the programmes held
 * plus the pupils of school groups confirmed for a day in the period; attendance counts
 * people (a school group counts its pupils), by age group where known ("unknown" otherwise).
 */
export async function programmeActivity(db: Db, f: ActivityFilter): Promise<ProgrammeActivity[]> {
  const start = vnInstant(f.from);
  const end = vnInstant(addDays(f.to, 1));
  if (f.institutionIds && f.institutionIds.length === 0) return [];
  const scope: SQL | undefined = and(
    eq(programmes.status, 'published'),
    f.institutionIds ? inArray(programmes.institutionId, f.institutionIds) : undefined,
    f.unitIds ? (f.unitIds.length ? inArray(programmes.unitId, f.unitIds) : sql`false`) : undefined,
    f.campaignId ? eq(programmes.campaignId, f.campaignId) : undefined,
  );
  const inPeriod = and(scope, isNull(programmeSessions.cancelledAt), gte(programmeSessions.startsAt, start), lt(programmeSessions.startsAt, end));
  const held = await db
    .select({
      id: programmes.id,
      institutionId: programmes.institutionId,
      kind: programmes.kind,
      topics: programmes.topics,
      audiences: programmes.audiences,
      sessions: sql<number>`count(*)::int`,
    })
    .from(programmeSessions)
    .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
    .where(inPeriod)
    .groupBy(programmes.id);
  const out = new Map<string, ProgrammeActivity>((f.institutionIds ?? []).map((id) => [id, empty(id)]));
  const of = (id: string) => {
    let a = out.get(id);
    if (!a) out.set(id, (a = empty(id)));
    return a;
  };
  for (const p of held) {
    const a = of(p.institutionId);
    a.programmesHeld++;
    a.sessionsHeld += p.sessions;
    a.byKind[p.kind]++;
    for (const t of p.topics) a.byTopic[t] = (a.byTopic[t] ?? 0) + 1;
  }
  const heldIds = held.map((p) => p.id);
  if (heldIds.length) {
    const [regs, pupils, present] = await Promise.all([
      db
        .select({ institutionId: programmes.institutionId, n: sql<number>`count(*)::int` })
        .from(registrations)
        .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
        .where(and(inArray(registrations.programmeId, heldIds), eq(registrations.status, 'confirmed')))
        .groupBy(programmes.institutionId),
      db
        .select({ institutionId: programmes.institutionId, n: sql<number>`coalesce(sum(${groupBookings.pupils}), 0)::int` })
        .from(groupBookings)
        .innerJoin(programmes, eq(programmes.id, groupBookings.programmeId))
        .where(
          and(
            inArray(groupBookings.programmeId, heldIds),
            eq(groupBookings.status, 'confirmed'),
            gte(groupBookings.requestedDate, f.from),
            sql`${groupBookings.requestedDate} <= ${f.to}`,
          ),
        )
        .groupBy(programmes.institutionId),
      db
        .select({
          institutionId: programmes.institutionId,
          ageGroup: attendance.ageGroup,
          staff: sql<boolean>`'staff' = any(${programmes.audiences})`,
          n: sql<number>`sum(${attendance.headcount})::int`,
        })
        .from(attendance)
        .innerJoin(programmeSessions, eq(programmeSessions.id, attendance.sessionId))
        .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
        .where(inPeriod)
        .groupBy(programmes.institutionId, attendance.ageGroup, sql`'staff' = any(${programmes.audiences})`),
    ]);
    for (const r of regs) of(r.institutionId).registrations += r.n;
    for (const r of pupils) of(r.institutionId).registrations += r.n;
    for (const r of present) {
      const a = of(r.institutionId);
      a.attendance += r.n;
      const group = r.ageGroup ?? 'unknown';
      a.attendanceByAgeGroup[group] = (a.attendanceByAgeGroup[group] ?? 0) + r.n;
      if (r.staff) a.staffTrainingAttendance += r.n;
    }
  }
  return [...out.values()];
}

export interface ActivityTotals {
  programmesHeld: number;
  sessionsHeld: number;
  registrations: number;
  attendance: number;
  staffTrainingAttendance: number;
}

export function totalsOf(rows: ProgrammeActivity[]): ActivityTotals {
  return rows.reduce(
    (t, r) => ({
      programmesHeld: t.programmesHeld + r.programmesHeld,
      sessionsHeld: t.sessionsHeld + r.sessionsHeld,
      registrations: t.registrations + r.registrations,
      attendance: t.attendance + r.attendance,
      staffTrainingAttendance: t.staffTrainingAttendance + r.staffTrainingAttendance,
    }),
    { programmesHeld: 0, sessionsHeld: 0, registrations: 0, attendance: 0, staffTrainingAttendance: 0 },
  );
}

/** The export columns: heading key and value of each. */
function columns(t: Translate, names: Map<string, string>) {
  const cols: Array<[string, (r: ProgrammeActivity) => string | number]> = [
    [t('programmes.stats.institution'), (r) => names.get(r.institutionId) ?? r.institutionId],
    [t('programmes.stats.programmesHeld'), (r) => r.programmesHeld],
    [t('programmes.stats.sessionsHeld'), (r) => r.sessionsHeld],
    [t('programmes.stats.registrations'), (r) => r.registrations],
    [t('programmes.stats.attendance'), (r) => r.attendance],
    [t('programmes.stats.staffTraining'), (r) => r.staffTrainingAttendance],
    ...programmeKinds.map((k): [string, (r: ProgrammeActivity) => number] => [t(`programmes.kind.${k}`), (r) => r.byKind[k]]),
    ...topics.map((k): [string, (r: ProgrammeActivity) => number] => [t(`programmes.topic.${k}`), (r) => r.byTopic[k] ?? 0]),
    ...[...ageGroups, 'unknown'].map((k): [string, (r: ProgrammeActivity) => number] => [
      t(messageKey(`programmes.age.${k}`)),
      (r) => r.attendanceByAgeGroup[k] ?? 0,
    ]),
  ];
  return cols;
}

function csvCell(v: string | number): string {
  const s = String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV with a BOM so spreadsheet programs read the Vietnamese letters right. */
export function activityCsv(rows: ProgrammeActivity[], t: Translate, names: Map<string, string>): string {
  const cols = columns(t, names);
  const lines = [cols.map(([h]) => csvCell(h)).join(','), ...rows.map((r) => cols.map(([, v]) => csvCell(v(r))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function activityXlsx(
  rows: ProgrammeActivity[],
  t: Translate,
  names: Map<string, string>,
  period: { from: string; to: string },
): Promise<Buffer> {
  const cols = columns(t, names);
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(t('programmes.stats.sheet'));
  sheet.addRow([t('programmes.stats.period', period)]);
  const head = sheet.addRow(cols.map(([h]) => h));
  head.font = { bold: true };
  for (const r of rows) sheet.addRow(cols.map(([, v]) => v(r)));
  sheet.getColumn(1).width = 40;
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Statistics are for staff (any role); the figures hold no personal data. */
export function requireStaffAnywhere(actor: Actor): void {
  requireUser(actor);
  if (grantsOf(actor).length === 0) throw new ForbiddenError();
}

/** The period and place of a statistics page from its query: this year so far by default. */
export function statsFilter(q: Record<string, string | undefined>): { from: string; to: string; unitId?: string | undefined } {
  const today = vnDate(new Date());
  return {
    from: q.from && isDate(q.from) ? q.from : `${today.slice(0, 4)}-01-01`,
    to: q.to && isDate(q.to) ? q.to : today,
    unitId: q.unitId && /^[0-9a-f-]{36}$/i.test(q.unitId) ? q.unitId : undefined,
  };
}

/** Sums of the by-topic and by-age-group counts over institutions. */
export function breakdownOf(rows: ProgrammeActivity[]): { byTopic: Record<string, number>; byAge: Record<string, number> } {
  const byTopic: Record<string, number> = {};
  const byAge: Record<string, number> = {};
  for (const r of rows) {
    for (const [k, n] of Object.entries(r.byTopic)) byTopic[k] = (byTopic[k] ?? 0) + n;
    for (const [k, n] of Object.entries(r.attendanceByAgeGroup)) byAge[k] = (byAge[k] ?? 0) + n;
  }
  return { byTopic, byAge };
}
