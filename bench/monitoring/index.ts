/**
 * Monitoring benchmarks: the province dashboard over 1,500 institutions and 10 years of daily
 * activity (over 20 million visit, loan and attendance events generated inside the database with
 * generate_series), read from the yearly rollups, against recomputing the same yearly figures
 * from the raw events in the same run; and the time to generate the province's DOCX + XLSX report.
 * Runs on PostgreSQL when DATABASE_URL is set, otherwise on embedded PGlite.
 *
 *   npx tsx bench/monitoring/index.ts
 */
import { pathToFileURL } from 'node:url';
import { systemActor } from '../../src/platform/access.js';
import { withTransaction, type Database } from '../../src/platform/db/index.js';
import { createTestDatabase } from '../../src/platform/testing/db.js';
import { dashboard } from '../../src/monitoring/reports/dashboard.js';
import { ensurePlanIndicators } from '../../src/monitoring/indicators/indicators.js';
import { generateAnnualReport } from '../../src/monitoring/reports/report.js';
import { makeInstitution, makeUnit, type TestInstitution } from '../../src/monitoring/testing.js';
import { rebuildVisitRollups, recordVisit } from '../../src/monitoring/visits/visits.js';

export interface MonitoringFigures {
  backend: string;
  institutions: number;
  events: number;
  generateSeconds: number;
  rollupSeconds: number;
  dashboardP50: number;
  dashboardP95: number;
  rawP50: number;
  rawP95: number;
  freshnessMs: number;
  docxSeconds: number;
  xlsxSeconds: number;
  docxBytes: number;
  xlsxBytes: number;
}

const INSTITUTIONS = 1500;
const FIRST_DAY = '2017-01-01';
const LAST_DAY = '2026-10-31';
const YEAR = 2026;

const types = [
  'library_commune',
  'library_commune',
  'library_commune',
  'library_school',
  'library_school',
  'culture_centre_commune',
  'culture_centre_commune',
  'library_district',
  'culture_centre_district',
  'library_university',
  'library_armed_forces',
  'memorial_house',
  'traditional_house',
] as const;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

async function seedNetwork(database: Database): Promise<{ provinceCode: string; institutions: TestInstitution[] }> {
  const db = database.db;
  const province = await makeUnit(db, { level: 'province', name: 'Tỉnh Thử Nghiệm' });
  const institutions: TestInstitution[] = [];
  institutions.push(await makeInstitution(db, { unit: province, type: 'library_provincial', name: 'Thư viện tỉnh Thử Nghiệm' }));
  institutions.push(await makeInstitution(db, { unit: province, type: 'museum_provincial', name: 'Bảo tàng tỉnh Thử Nghiệm' }));
  for (let d = 0; d < 10 && institutions.length < INSTITUTIONS; d++) {
    const district = await makeUnit(db, { level: 'district', parent: province });
    for (let c = 0; c < 15 && institutions.length < INSTITUTIONS; c++) {
      const commune = await makeUnit(db, { level: 'commune', parent: district });
      for (let i = 0; i < 10 && institutions.length < INSTITUTIONS; i++) {
        institutions.push(await makeInstitution(db, { unit: commune, type: types[(d * 150 + c * 10 + i) % types.length] ?? 'library_commune' }));
      }
    }
  }
  return { provinceCode: province.code, institutions };
}

/**
 * Raw events: for each institution and day, a visit, loan or attendance count that varies with
 * the institution, the weekday and the year, each event one row.
 */
async function generateEvents(database: Database): Promise<number> {
  await database.exec(`
    create table bench_institutions (idx int primary key, id uuid not null);
    insert into bench_institutions select row_number() over (order by id), id from institutions;
    create table bench_events (idx int not null, day date not null, kind smallint not null);
    insert into bench_events
      select i.idx, d::date, (k % 3)::smallint
      from bench_institutions i
      cross join generate_series('${FIRST_DAY}'::date, '${LAST_DAY}'::date, interval '1 day') d
      cross join lateral generate_series(1, 3 + ((i.idx + extract(dow from d)::int + extract(year from d)::int) % 3)) k;
    create index bench_events_idx on bench_events (idx, day);
  `);
  const [row] = await database.query<{ n: number }>('select count(*)::int as n from bench_events');
  return row?.n ?? 0;
}

/** Daily visit counts from the raw visit events, and their monthly and yearly totals as the platform keeps them. */
async function buildRollups(database: Database): Promise<void> {
  await database.exec(`
    insert into monitoring_visits (institution_id, day, granularity, channel, purpose, visitors, school_group_visitors, method, source, created_by)
      select b.id, e.day, 'day', 'in_person', 'unknown', count(*), 0, 'counted', 'bench', 'bench'
      from bench_events e join bench_institutions b on b.idx = e.idx where e.kind = 0 group by b.id, e.day;
  `);
  await rebuildVisitRollups(database.db);
  await database.exec('analyze monitoring_visits; analyze monitoring_visit_months; analyze monitoring_visit_years;');
}

/** Approved yearly data sets for every institution, so the report has a row per institution. */
async function approveAll(database: Database): Promise<void> {
  await database.exec(`
    insert into monitoring_periods (year, deadline, opened_by) values (${YEAR}, '${YEAR}-11-15', 'bench');
    insert into monitoring_submissions (period_id, institution_id, status, values, observed, submitted_at, first_submitted_at)
      select p.id, i.id, 'approved',
        jsonb_build_object('visitsInPerson', 1000 + (b.idx * 7) % 900, 'museumVisitors', 800 + b.idx % 300, 'programmesHeld', 1 + b.idx % 9, 'staffTrained', b.idx % 4, 'educationProgrammes', b.idx % 3),
        '{}'::jsonb, now(), now()
      from institutions i join bench_institutions b on b.id = i.id cross join monitoring_periods p where p.year = ${YEAR};
    insert into monitoring_criteria (institution_id, year, criterion, declared, evidence_text, declared_by, declared_at)
      select b.id, ${YEAR}, c, (b.idx % 5) <> 0, 'Minh chứng thử', 'bench', now()
      from bench_institutions b cross join unnest(array['lll_services', 'it_applied', 'classes_clubs', 'creative_activities']) c;
  `);
}

/** The same yearly totals the dashboard reads, recomputed from every raw visit event. */
async function rawYearly(database: Database): Promise<Map<string, number>> {
  const rows = await database.query<{ id: string; year: number; visits: number }>(`
    select b.id, extract(year from e.day)::int as year, count(*)::int as visits
    from bench_events e join bench_institutions b on b.idx = e.idx
    where e.kind = 0 group by 1, 2`);
  return new Map(rows.map((r) => [`${r.id}:${r.year}`, r.visits]));
}

/** Refuses to report figures when the yearly totals differ from the raw recomputation anywhere. */
async function checkRollups(database: Database, raw: Map<string, number>): Promise<void> {
  const rows = await database.query<{ id: string; year: number; visits: number }>(`
    select institution_id as id, year, sum(visitors)::int as visits from monitoring_visit_years group by 1, 2`);
  const bad = rows.filter((r) => raw.get(`${r.id}:${r.year}`) !== r.visits);
  if (bad.length || rows.length !== raw.size)
    throw new Error(`yearly totals differ from the raw events (${bad.length} of ${rows.length} rows, ${raw.size} expected)`);
}

export async function benchMonitoring(): Promise<MonitoringFigures> {
  const database = await createTestDatabase();
  try {
    const db = database.db;
    await ensurePlanIndicators(db);
    const { provinceCode, institutions } = await seedNetwork(database);
    const [events, generateMs] = await timed(() => generateEvents(database));
    const [, rollupMs] = await timed(() => buildRollups(database));
    await approveAll(database);

    for (let i = 0; i < 3; i++) await dashboard(db, systemActor, { year: YEAR, unit: provinceCode });
    const dashTimes: number[] = [];
    for (let i = 0; i < 25; i++) dashTimes.push((await timed(() => dashboard(db, systemActor, { year: YEAR, unit: provinceCode })))[1]);
    const rawTimes: number[] = [];
    await checkRollups(database, await rawYearly(database));
    for (let i = 0; i < 5; i++) rawTimes.push((await timed(() => rawYearly(database)))[1]);

    const lib = institutions[0];
    if (!lib) throw new Error('no institution');
    const before = await dashboard(db, systemActor, { year: 2025, unit: provinceCode });
    const t0 = performance.now();
    await withTransaction(db, (tx) => recordVisit(tx, systemActor, { institutionId: lib.id, date: '2025-06-10', visitors: 5000 }));
    const after = await dashboard(db, systemActor, { year: 2025, unit: provinceCode });
    const freshnessMs = performance.now() - t0;
    const changed =
      before.indicators.find((s) => s.indicator.code === 'visits.libraries')?.numerator !==
      after.indicators.find((s) => s.indicator.code === 'visits.libraries')?.numerator;
    if (!changed) throw new Error('the dashboard did not see a visit recorded a moment before');

    const [docx, docxMs] = await timed(() => generateAnnualReport(db, systemActor, { year: YEAR, unitCode: provinceCode, format: 'docx' }));
    const [xlsx, xlsxMs] = await timed(() => generateAnnualReport(db, systemActor, { year: YEAR, unitCode: provinceCode, format: 'xlsx' }));
    const d = [...dashTimes].sort((a, b) => a - b);
    const r = [...rawTimes].sort((a, b) => a - b);
    return {
      backend: database.kind,
      institutions: institutions.length,
      events,
      generateSeconds: generateMs / 1000,
      rollupSeconds: rollupMs / 1000,
      dashboardP50: percentile(d, 50),
      dashboardP95: percentile(d, 95),
      rawP50: percentile(r, 50),
      rawP95: percentile(r, 95),
      freshnessMs,
      docxSeconds: docxMs / 1000,
      xlsxSeconds: xlsxMs / 1000,
      docxBytes: docx.length,
      xlsxBytes: xlsx.length,
    };
  } finally {
    await database.close();
  }
}

export function printMonitoring(f: MonitoringFigures): void {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(
    `monitoring (${f.backend}): ${f.institutions} institutions, ${f.events.toLocaleString('en')} events generated in ${f.generateSeconds.toFixed(1)} s, rollups built in ${f.rollupSeconds.toFixed(1)} s`,
  );
  console.log(`  province dashboard from yearly rollups: p50 ${ms(f.dashboardP50)}, p95 ${ms(f.dashboardP95)} (goal ≤ 200 ms)`);
  console.log(
    `  same yearly figures recomputed from raw events: p50 ${ms(f.rawP50)}, p95 ${ms(f.rawP95)} — rollups ${(f.rawP95 / f.dashboardP95).toFixed(1)}× faster at p95`,
  );
  console.log(`  a visit recorded is on the dashboard ${ms(f.freshnessMs)} later (rollups kept on write)`);
  console.log(
    `  province report: DOCX ${f.docxSeconds.toFixed(2)} s (${Math.round(f.docxBytes / 1024)} KiB), XLSX ${f.xlsxSeconds.toFixed(2)} s (${Math.round(f.xlsxBytes / 1024)} KiB)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printMonitoring(await benchMonitoring());
}
