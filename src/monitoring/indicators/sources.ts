import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import { programmeActivity } from '../../programmes/index.js';
import type { Criterion } from '../model.js';
import { monitoringVisitMonths, monitoringVisitYears } from '../schema.js';

/** What the platform saw an institution do in a year, by yearly form field. */
export type Observed = Record<string, number>;

/**
 * Figures the platform observes for each institution in a year: visits logged here (read from
 * the yearly totals) and programmes held here. Only institutions with something observed appear.
 */
export async function observeYear(db: Db, year: number, institutionIds?: string[]): Promise<Map<string, Observed>> {
  const out = new Map<string, Observed>();
  if (institutionIds && institutionIds.length === 0) return out;
  const y = monitoringVisitYears;
  const sums = db
    .select({
      institutionId: y.institutionId,
      channel: y.channel,
      visitors: sql<number>`sum(${y.visitors})`.as('visitors'),
      school: sql<number>`sum(${y.schoolGroupVisitors})`.as('school'),
    })
    .from(y)
    .where(and(eq(y.year, year), institutionIds ? inArray(y.institutionId, institutionIds) : undefined))
    .groupBy(y.institutionId, y.channel)
    .as('sums');
  // One JSON document instead of a row per institution: the embedded database decodes rows value by value.
  const [packed] = await db
    .select({
      rows: sql<string>`coalesce(json_agg(json_build_array(${sums.institutionId}, ${sums.channel}, ${sums.visitors}, ${sums.school})), '[]')::text`,
    })
    .from(sums);
  const visits = (JSON.parse(packed?.rows ?? '[]') as Array<[string, string, number, number]>).map(([institutionId, channel, visitors, school]) => ({
    institutionId,
    channel,
    visitors,
    school,
  }));
  addVisits(out, visits);
  await addActivity(db, out, `${year}-01-01`, `${year}-12-31`, institutionIds);
  return out;
}

/** The same for any run of whole months (a quarter), from its first day to its last, read from the monthly totals. */
export async function observeRange(db: Db, from: string, to: string, institutionIds?: string[]): Promise<Map<string, Observed>> {
  const out = new Map<string, Observed>();
  if (institutionIds && institutionIds.length === 0) return out;
  const visits = await db
    .select({
      institutionId: monitoringVisitMonths.institutionId,
      channel: monitoringVisitMonths.channel,
      visitors: sql<number>`sum(${monitoringVisitMonths.visitors})::float8`,
      school: sql<number>`sum(${monitoringVisitMonths.schoolGroupVisitors})::float8`,
    })
    .from(monitoringVisitMonths)
    .where(
      and(
        gte(monitoringVisitMonths.month, `${from.slice(0, 7)}-01`),
        lte(monitoringVisitMonths.month, `${to.slice(0, 7)}-01`),
        institutionIds ? inArray(monitoringVisitMonths.institutionId, institutionIds) : undefined,
      ),
    )
    .groupBy(monitoringVisitMonths.institutionId, monitoringVisitMonths.channel);
  addVisits(out, visits);
  await addActivity(db, out, from, to, institutionIds);
  return out;
}

function observedOf(out: Map<string, Observed>, id: string): Observed {
  let o = out.get(id);
  if (!o) {
    o = {};
    out.set(id, o);
  }
  return o;
}

function addVisits(out: Map<string, Observed>, visits: Array<{ institutionId: string; channel: string; visitors: number; school: number }>): void {
  for (const v of visits) {
    const o = observedOf(out, v.institutionId);
    if (v.channel === 'digital') o.visitsDigital = Number(v.visitors);
    else {
      o.visitsInPerson = Number(v.visitors);
      o.museumVisitors = Number(v.visitors);
      o.schoolGroupVisitors = Number(v.school);
    }
  }
}

async function addActivity(db: Db, out: Map<string, Observed>, from: string, to: string, institutionIds?: string[]): Promise<void> {
  const activity = await programmeActivity(db, { from, to, ...(institutionIds ? { institutionIds } : {}) });
  for (const a of activity) {
    if (a.programmesHeld === 0 && a.sessionsHeld === 0 && a.staffTrainingAttendance === 0) continue;
    const o = observedOf(out, a.institutionId);
    o.programmesHeld = a.programmesHeld;
    o.sessionsHeld = a.sessionsHeld;
    o.registrations = a.registrations;
    o.attendance = a.attendance;
    o.educationProgrammes = a.byKind.museum_education;
    o.classesAndClubs = a.byKind.class + a.byKind.club;
    o.staffTrained = a.staffTrainingAttendance;
  }
}

/** A criterion the platform can decide from what it observed; the key names the evidence shown. */
export interface Observer {
  criterion: Criterion;
  evidenceKey: string;
  met(o: Observed): boolean;
}

/**
 * Observers per criterion. A criterion without one (applying IT, e-library, museum grade)
 * is decided by declaration until a module that can see it adds an observer here.
 */
export const observers: readonly Observer[] = [
  { criterion: 'lll_services', evidenceKey: 'monitoring.observed.programmes', met: (o) => (o.programmesHeld ?? 0) >= 1 && (o.attendance ?? 0) > 0 },
  {
    criterion: 'creative_activities',
    evidenceKey: 'monitoring.observed.programmes',
    met: (o) => (o.programmesHeld ?? 0) >= 1 && (o.attendance ?? 0) > 0,
  },
  { criterion: 'classes_clubs', evidenceKey: 'monitoring.observed.classes', met: (o) => (o.classesAndClubs ?? 0) >= 1 && (o.attendance ?? 0) > 0 },
];

export function observerFor(criterion: Criterion): Observer | undefined {
  return observers.find((o) => o.criterion === criterion);
}
