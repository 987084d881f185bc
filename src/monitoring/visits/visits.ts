import { parse } from 'csv-parse/sync';
import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit/index.js';
import type { Db } from '../../platform/db/index.js';
import { issue, NotFoundError, UnauthenticatedError, ValidationError, type Issue } from '../../platform/errors.js';
import { foldVi } from '../../platform/text/index.js';
import { vnToday } from '../../platform/time.js';
import { placementOf } from '../indicators/compute.js';
import { visitChannels, visitMethods, visitPurposes, type VisitInput } from '../model.js';
import type { Placement } from '../network.js';
import { allowedTo, requireTo } from '../permissions.js';
import { monitoringVisitMonths, monitoringVisits, monitoringVisitYears } from '../schema.js';

export type VisitRow = typeof monitoringVisits.$inferSelect;

interface CleanVisit {
  institutionId: string;
  day: string;
  granularity: 'day' | 'month';
  channel: string;
  purpose: string;
  visitors: number;
  schoolGroupVisitors: number;
  method: string;
}

function clean(v: VisitInput): CleanVisit {
  const granularity = v.granularity ?? 'day';
  return {
    institutionId: v.institutionId,
    day: granularity === 'month' ? `${v.date.slice(0, 7)}-01` : v.date,
    granularity,
    channel: v.channel ?? 'in_person',
    purpose: v.purpose ?? 'unknown',
    visitors: v.visitors,
    schoolGroupVisitors: v.schoolGroupVisitors ?? 0,
    method: v.method ?? 'counted',
  };
}

function checkRow(placement: Placement, actor: Actor, v: CleanVisit, field: (f: string) => string, row?: number): Issue[] {
  const out: Issue[] = [];
  if (!placement.institutions.has(v.institutionId)) out.push(issue(field('institution'), 'monitoring.visits.unknownInstitution', undefined, row));
  else if (!allowedTo(actor, 'report', placement.institutionScope(v.institutionId)))
    out.push(issue(field('institution'), 'monitoring.visits.notYours', undefined, row));
  if (v.schoolGroupVisitors > v.visitors) out.push(issue(field('schoolGroupVisitors'), 'monitoring.visits.schoolAboveTotal', undefined, row));
  if (v.day > vnToday()) out.push(issue(field('date'), 'monitoring.visits.future', undefined, row));
  return out;
}

/** The first day of the month after the one the date falls in. */
function nextMonth(day: string): string {
  const d = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 1));
  return d.toISOString().slice(0, 10);
}

/** Daily and monthly counts of one month and channel must not both exist, or they would be counted twice. */
async function granularityClashes(db: Db, rows: Array<{ v: CleanVisit; row?: number | undefined }>, field: (f: string) => string): Promise<Issue[]> {
  if (!rows.length) return [];
  const ids = [...new Set(rows.map((r) => r.v.institutionId))];
  const days = rows.map((r) => r.v.day).sort();
  const existing = await db
    .select({
      institutionId: monitoringVisits.institutionId,
      day: monitoringVisits.day,
      granularity: monitoringVisits.granularity,
      channel: monitoringVisits.channel,
    })
    .from(monitoringVisits)
    .where(
      and(
        inArray(monitoringVisits.institutionId, ids),
        gte(monitoringVisits.day, `${(days[0] ?? '').slice(0, 7)}-01`),
        lt(monitoringVisits.day, nextMonth(days[days.length - 1] ?? '')),
      ),
    );
  const seen = new Map<string, string>();
  for (const e of existing) seen.set(`${e.institutionId}:${e.day.slice(0, 7)}:${e.channel}:${e.granularity}`, e.granularity);
  const out: Issue[] = [];
  for (const { v, row } of rows) {
    const other = v.granularity === 'day' ? 'month' : 'day';
    const key = `${v.institutionId}:${v.day.slice(0, 7)}:${v.channel}`;
    if (seen.has(`${key}:${other}`)) out.push(issue(field('date'), `monitoring.visits.clash.${v.granularity}`, undefined, row));
    seen.set(`${key}:${v.granularity}`, v.granularity);
  }
  return out;
}

/** The months and years an institution's counts touched, each once. */
function touchedPeriods(touched: Array<{ institutionId: string; day: string }>): Map<string, { months: Set<string>; years: Set<number> }> {
  const out = new Map<string, { months: Set<string>; years: Set<number> }>();
  for (const t of touched) {
    const entry = out.get(t.institutionId) ?? { months: new Set<string>(), years: new Set<number>() };
    entry.months.add(`${t.day.slice(0, 7)}-01`);
    entry.years.add(Number(t.day.slice(0, 4)));
    out.set(t.institutionId, entry);
  }
  return out;
}

/**
 * Recomputes the monthly and yearly totals of the institutions, months and years touched, in
 * the caller's transaction, so every reader sees the counts and their totals change together.
 * Call it after writing the counts: it waits for other writers of the same institution.
 */
export async function refreshVisitRollups(db: Db, touched: Array<{ institutionId: string; day: string }>): Promise<void> {
  for (const [institutionId, { months, years }] of touchedPeriods(touched)) {
    // Writers of the same institution take turns here, so two transactions never rebuild the same total at once.
    await db.execute(sql`select pg_advisory_xact_lock(hashtext('monitoring_visits'), hashtext(${institutionId}))`);
    const monthList = [...months];
    const yearList = [...years];
    await db
      .delete(monitoringVisitMonths)
      .where(and(eq(monitoringVisitMonths.institutionId, institutionId), inArray(monitoringVisitMonths.month, monthList)));
    await db.execute(sql`
      insert into monitoring_visit_months (institution_id, month, channel, visitors, school_group_visitors, estimated)
      select institution_id, date_trunc('month', day)::date, channel, sum(visitors)::int, sum(school_group_visitors)::int,
        sum(case when method = 'estimated' then visitors else 0 end)::int
      from monitoring_visits
      where institution_id = ${institutionId} and date_trunc('month', day)::date in (${sql.join(
        monthList.map((m) => sql`${m}::date`),
        sql`, `,
      )})
      group by 1, 2, 3`);
    await db
      .delete(monitoringVisitYears)
      .where(and(eq(monitoringVisitYears.institutionId, institutionId), inArray(monitoringVisitYears.year, yearList)));
    await db.execute(sql`
      insert into monitoring_visit_years (institution_id, year, channel, purpose, visitors, school_group_visitors, estimated)
      select institution_id, extract(year from day)::int, channel, purpose, sum(visitors), sum(school_group_visitors),
        sum(case when method = 'estimated' then visitors else 0 end)
      from monitoring_visits
      where institution_id = ${institutionId} and extract(year from day)::int in (${sql.join(
        yearList.map((y) => sql`${y}::int`),
        sql`, `,
      )})
      group by 1, 2, 3, 4`);
  }
}

/** Rebuilds every monthly and yearly total from the counts, after counts were loaded in bulk with SQL (as the benchmark does). */
export async function rebuildVisitRollups(db: Db): Promise<void> {
  await db.delete(monitoringVisitMonths);
  await db.delete(monitoringVisitYears);
  await db.execute(sql`
    insert into monitoring_visit_months (institution_id, month, channel, visitors, school_group_visitors, estimated)
    select institution_id, date_trunc('month', day)::date, channel, sum(visitors)::int, sum(school_group_visitors)::int,
      sum(case when method = 'estimated' then visitors else 0 end)::int
    from monitoring_visits group by 1, 2, 3`);
  await db.execute(sql`
    insert into monitoring_visit_years (institution_id, year, channel, purpose, visitors, school_group_visitors, estimated)
    select institution_id, extract(year from day)::int, channel, purpose, sum(visitors), sum(school_group_visitors),
      sum(case when method = 'estimated' then visitors else 0 end)
    from monitoring_visits group by 1, 2, 3, 4`);
}

async function store(db: Db, actor: Actor, rows: CleanVisit[], source: 'manual' | 'csv'): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((v) => ({ ...v, source, createdBy: actor.label }));
    await db
      .insert(monitoringVisits)
      .values(chunk)
      .onConflictDoUpdate({
        target: [
          monitoringVisits.institutionId,
          monitoringVisits.day,
          monitoringVisits.granularity,
          monitoringVisits.channel,
          monitoringVisits.purpose,
        ],
        set: {
          visitors: sql`excluded.visitors`,
          schoolGroupVisitors: sql`excluded.school_group_visitors`,
          method: sql`excluded.method`,
          source: sql`excluded.source`,
          createdBy: sql`excluded.created_by`,
          createdAt: sql`now()`,
        },
      });
  }
  await refreshVisitRollups(db, rows);
}

/** Records one count (replacing the count of the same day, channel and purpose). */
export async function recordVisit(db: Db, actor: Actor, input: VisitInput): Promise<CleanVisit> {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError();
  const placement = await placementOf(db);
  const v = clean(input);
  const field = (f: string) => f;
  const issues = [...checkRow(placement, actor, v, field)];
  if (issues.some((i) => i.key === 'monitoring.visits.notYours')) throw new ValidationError(issues);
  issues.push(...(await granularityClashes(db, [{ v }], field)));
  if (issues.length) throw new ValidationError(issues);
  await store(db, actor, [v], 'manual');
  await recordAudit(db, actor, {
    action: 'monitoring.visits.record',
    entityType: 'monitoring_visits',
    entityId: v.institutionId,
    after: v,
    institutionId: v.institutionId,
    unitIds: placement.institutionScope(v.institutionId).unitPath,
  });
  return v;
}

/** Removes one count (a mistaken entry) and its share of the totals; staff of the institution only. */
export async function deleteVisit(db: Db, actor: Actor, id: number): Promise<VisitRow> {
  const placement = await placementOf(db);
  const [row] = await db.select().from(monitoringVisits).where(eq(monitoringVisits.id, id));
  if (!row) throw new NotFoundError('monitoring.visits.notFound');
  const scope = placement.institutionScope(row.institutionId);
  requireTo(actor, 'report', scope);
  await db.delete(monitoringVisits).where(eq(monitoringVisits.id, id));
  await refreshVisitRollups(db, [row]);
  await recordAudit(db, actor, {
    action: 'monitoring.visits.delete',
    entityType: 'monitoring_visits',
    entityId: String(id),
    before: row,
    institutionId: row.institutionId,
    unitIds: scope.unitPath,
  });
  return row;
}

const headerAliases: Record<string, string> = {
  institution: 'institution',
  ma_thiet_che: 'institution',
  ma_don_vi: 'institution',
  code: 'institution',
  date: 'date',
  ngay: 'date',
  day: 'date',
  visitors: 'visitors',
  count: 'visitors',
  so_luot: 'visitors',
  luot: 'visitors',
  channel: 'channel',
  kenh: 'channel',
  purpose: 'purpose',
  muc_dich: 'purpose',
  school_group_visitors: 'schoolGroupVisitors',
  school: 'schoolGroupVisitors',
  doan_hoc_sinh: 'schoolGroupVisitors',
  method: 'method',
  cach_dem: 'method',
  granularity: 'granularity',
  ky: 'granularity',
};

function headerKey(h: string): string {
  return (
    headerAliases[
      foldVi(h)
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_|_$/g, '')
    ] ?? h
  );
}

function parseDay(value: string): string | undefined {
  const v = value.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  const ym = /^(\d{4})-(\d{2})$/.exec(v);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : vn ? [vn[3], vn[2], vn[1]] : ym ? [ym[1], ym[2], '01'] : [];
  if (!y || !m || !d) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return date.toISOString().slice(0, 10);
}

export interface ImportReport {
  imported: number;
  issues: Issue[];
}

/**
 * Imports a gate-counter CSV: a header row, then one count per row (institution code, date,
 * visitors; optionally channel, purpose, school groups, method, granularity). Good rows are kept;
 * each bad row is reported by its line number and column.
 */
export async function importVisitsCsv(db: Db, actor: Actor, text: string): Promise<ImportReport> {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError();
  const placement = await placementOf(db);
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      delimiter: text.includes(';') && !text.includes(',') ? ';' : ',',
    });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new ValidationError([issue('file', 'monitoring.visits.csvUnreadable', undefined, line)]);
  }
  const [header, ...body] = records;
  if (!header) throw new ValidationError([issue('file', 'monitoring.visits.csvEmpty')]);
  const cols = header.map(headerKey);
  const missing = ['institution', 'date', 'visitors'].filter((c) => !cols.includes(c));
  if (missing.length) throw new ValidationError(missing.map((c) => issue('file', 'monitoring.visits.csvMissingColumn', { column: c }, 1)));
  const byCode = new Map(placement.network.institutions.map((i) => [i.code.toLowerCase(), i.id]));
  const issues: Issue[] = [];
  const good: Array<{ v: CleanVisit; row: number }> = [];
  body.forEach((cells, idx) => {
    const row = idx + 2;
    const get = (c: string) => (cells[cols.indexOf(c)] ?? '').trim();
    const rowIssues: Issue[] = [];
    const institutionId = byCode.get(get('institution').toLowerCase());
    if (!institutionId) rowIssues.push(issue('institution', 'monitoring.visits.unknownInstitution', { code: get('institution') }, row));
    const day = parseDay(get('date'));
    if (!day) rowIssues.push(issue('date', 'monitoring.visits.badDate', { value: get('date') }, row));
    const count = (name: string, optional: boolean): number => {
      const raw = get(name).replace(/[.\s]/g, '');
      if (raw === '' && optional) return 0;
      if (!/^\d+$/.test(raw) || Number(raw) > 1_000_000) {
        rowIssues.push(issue(name, 'monitoring.visits.badCount', { value: get(name) }, row));
        return 0;
      }
      return Number(raw);
    };
    const visitors = count('visitors', false);
    const schoolGroupVisitors = count('schoolGroupVisitors', true);
    const choice = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
      const raw = foldVi(get(name)).replace(/[\s-]+/g, '_');
      if (!raw) return fallback;
      if ((allowed as readonly string[]).includes(raw)) return raw as T;
      rowIssues.push(issue(name, 'monitoring.visits.badChoice', { value: get(name), allowed: allowed.join(', ') }, row));
      return fallback;
    };
    const channel = choice('channel', visitChannels, 'in_person');
    const purpose = choice('purpose', visitPurposes, 'unknown');
    const method = choice('method', visitMethods, 'counted');
    const granularity = choice('granularity', ['day', 'month'] as const, get('date').length === 7 ? 'month' : 'day');
    if (!institutionId || !day || rowIssues.length) {
      issues.push(...rowIssues);
      return;
    }
    const v = clean({ institutionId, date: day, granularity, channel, purpose, visitors, schoolGroupVisitors, method });
    const more = checkRow(placement, actor, v, (f) => f, row);
    if (more.length) {
      issues.push(...more);
      return;
    }
    good.push({ v, row });
  });
  const clashes = await granularityClashes(db, good, (f) => f);
  const clashRows = new Set(clashes.map((c) => c.row));
  issues.push(...clashes);
  const keep = good.filter((g) => !clashRows.has(g.row)).map((g) => g.v);
  if (keep.length) {
    await store(db, actor, keep, 'csv');
    await recordAudit(db, actor, {
      action: 'monitoring.visits.import',
      entityType: 'monitoring_visits',
      after: { rows: keep.length, rejected: issues.length },
    });
  }
  return { imported: keep.length, issues: issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)) };
}

export async function listVisits(db: Db, institutionId: string, limit = 60): Promise<VisitRow[]> {
  return db
    .select()
    .from(monitoringVisits)
    .where(eq(monitoringVisits.institutionId, institutionId))
    .orderBy(desc(monitoringVisits.day), desc(monitoringVisits.id))
    .limit(limit);
}

export interface YearVisits {
  year: number;
  inPerson: number;
  digital: number;
  schoolGroups: number;
  estimated: number;
}

/** Yearly totals of an institution from the yearly rollups. */
export async function visitTotals(db: Db, institutionId: string): Promise<YearVisits[]> {
  const rows = await db
    .select({
      year: monitoringVisitYears.year,
      channel: monitoringVisitYears.channel,
      visitors: sql<number>`sum(${monitoringVisitYears.visitors})::float8`,
      school: sql<number>`sum(${monitoringVisitYears.schoolGroupVisitors})::float8`,
      estimated: sql<number>`sum(${monitoringVisitYears.estimated})::float8`,
    })
    .from(monitoringVisitYears)
    .where(eq(monitoringVisitYears.institutionId, institutionId))
    .groupBy(monitoringVisitYears.year, monitoringVisitYears.channel)
    .orderBy(desc(monitoringVisitYears.year));
  const out = new Map<number, YearVisits>();
  for (const r of rows) {
    const y = out.get(r.year) ?? { year: r.year, inPerson: 0, digital: 0, schoolGroups: 0, estimated: 0 };
    if (r.channel === 'digital') y.digital += Number(r.visitors);
    else {
      y.inPerson += Number(r.visitors);
      y.schoolGroups += Number(r.school);
    }
    y.estimated += Number(r.estimated);
    out.set(r.year, y);
  }
  return [...out.values()];
}
