import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction, type Database } from '../../platform/db/index.js';
import type { DomainError } from '../../platform/errors.js';
import { createTestDatabase } from '../../platform/testing/db.js';
import { observeYear } from '../indicators/sources.js';
import { deleteVisit, importVisitsCsv, listVisits, rebuildVisitRollups, recordVisit, visitTotals } from './visits.js';
import { makeInstitution, makeStaff, type TestInstitution } from '../testing.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

type Totals = Array<[year: number, channel: string, purpose: string, visitors: number, school: number, estimated: number]>;

/** The yearly totals as kept, for some institutions. */
async function kept(institutions: TestInstitution[]): Promise<Totals> {
  const rows = await database.query<{ year: number; channel: string; purpose: string; visitors: number; school: number; estimated: number }>(
    `
    select year, channel, purpose, visitors::int, school_group_visitors::int as school, estimated::int
    from monitoring_visit_years where institution_id = any($1::uuid[]) order by 1, 2, 3, 4`,
    [institutions.map((i) => i.id)],
  );
  return rows.map((r) => [r.year, r.channel, r.purpose, r.visitors, r.school, r.estimated]);
}

/** The same totals recomputed from every stored count. */
async function raw(institutions: TestInstitution[]): Promise<Totals> {
  const rows = await database.query<{ year: number; channel: string; purpose: string; visitors: number; school: number; estimated: number }>(
    `
    select extract(year from day)::int as year, channel, purpose, sum(visitors)::int as visitors, sum(school_group_visitors)::int as school,
      sum(case when method = 'estimated' then visitors else 0 end)::int as estimated
    from monitoring_visits where institution_id = any($1::uuid[]) group by 1, 2, 3 order by 1, 2, 3, 4`,
    [institutions.map((i) => i.id)],
  );
  return rows.map((r) => [r.year, r.channel, r.purpose, r.visitors, r.school, r.estimated]);
}

async function monthsMatch(institutions: TestInstitution[]): Promise<void> {
  const params = [institutions.map((i) => i.id)];
  const keptMonths = await database.query(
    `select institution_id, month::text, channel, visitors, school_group_visitors, estimated from monitoring_visit_months
    where institution_id = any($1::uuid[]) order by 1, 2, 3`,
    params,
  );
  const rawMonths = await database.query(
    `select institution_id, date_trunc('month', day)::date::text as month, channel, sum(visitors)::int as visitors,
      sum(school_group_visitors)::int as school_group_visitors, sum(case when method = 'estimated' then visitors else 0 end)::int as estimated
    from monitoring_visits where institution_id = any($1::uuid[]) group by 1, 2, 3 order by 1, 2, 3`,
    params,
  );
  expect(keptMonths).toEqual(rawMonths);
}

describe('yearly visit totals', () => {
  it('follow every insert, edit, delete and import exactly, in the same transaction', async () => {
    const db = database.db;
    const lib = await makeInstitution(db, { type: 'library_district' });
    const museum = await makeInstitution(db, { type: 'museum_provincial' });
    const staff = await makeStaff(db, [
      { role: 'staff', institution: lib },
      { role: 'staff', institution: museum },
    ]);
    const both = [lib, museum];

    await recordVisit(db, staff, { institutionId: lib.id, date: '2025-12-31', visitors: 40, purpose: 'reading' });
    await recordVisit(db, staff, { institutionId: lib.id, date: '2026-01-02', visitors: 25, purpose: 'reading' });
    await recordVisit(db, staff, { institutionId: lib.id, date: '2026-01-03', visitors: 15, purpose: 'borrowing', method: 'estimated' });
    await recordVisit(db, staff, { institutionId: lib.id, date: '2026-02-01', granularity: 'month', channel: 'digital', visitors: 300 });
    await recordVisit(db, staff, { institutionId: museum.id, date: '2026-03-10', visitors: 90, schoolGroupVisitors: 60, purpose: 'museum_tour' });
    expect(await kept(both)).toEqual(await raw(both));
    expect(await kept([lib])).toEqual([
      [2025, 'in_person', 'reading', 40, 0, 0],
      [2026, 'digital', 'unknown', 300, 0, 0],
      [2026, 'in_person', 'borrowing', 15, 0, 15],
      [2026, 'in_person', 'reading', 25, 0, 0],
    ]);

    // An edit replaces the day's count: the totals move by the difference only.
    await recordVisit(db, staff, { institutionId: lib.id, date: '2026-01-02', visitors: 31, purpose: 'reading' });
    expect(await kept(both)).toEqual(await raw(both));
    expect((await kept([lib])).find((r) => r[0] === 2026 && r[2] === 'reading')).toEqual([2026, 'in_person', 'reading', 31, 0, 0]);

    // A delete takes the count out; the year's row goes when nothing is left in it.
    const lastYear = (await listVisits(db, lib.id)).find((v) => v.day === '2025-12-31');
    if (!lastYear) throw new Error('missing count');
    await deleteVisit(db, staff, lastYear.id);
    expect(await kept(both)).toEqual(await raw(both));
    expect((await kept([lib])).filter((r) => r[0] === 2025)).toEqual([]);

    // An import across two years and two institutions, with a bad row left out.
    const csv = [
      'institution,date,visitors,channel,purpose,school_group_visitors,method',
      `${lib.code},2026-01-03,20,in_person,borrowing,,estimated`,
      `${lib.code},2024-12-30,7,in_person,learning,,`,
      `${museum.code},2026-03-11,110,in_person,museum_tour,70,`,
      `${museum.code},2026-03-12,abc,,,,`,
    ].join('\n');
    const report = await importVisitsCsv(db, staff, csv);
    expect(report.imported).toBe(3);
    expect(await kept(both)).toEqual(await raw(both));
    expect(await kept([museum])).toEqual([[2026, 'in_person', 'museum_tour', 200, 130, 0]]);
    await monthsMatch(both);

    expect(await visitTotals(db, lib.id)).toEqual([
      { year: 2026, inPerson: 51, digital: 300, schoolGroups: 0, estimated: 20 },
      { year: 2024, inPerson: 7, digital: 0, schoolGroups: 0, estimated: 0 },
    ]);
    const seen = await observeYear(db, 2026, [lib.id, museum.id]);
    expect(seen.get(lib.id)).toEqual({ visitsInPerson: 51, museumVisitors: 51, schoolGroupVisitors: 0, visitsDigital: 300 });
    expect(seen.get(museum.id)).toEqual({ visitsInPerson: 200, museumVisitors: 200, schoolGroupVisitors: 130 });
  });

  it('are rebuilt from the counts to the same numbers', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const staff = await makeStaff(db, [{ role: 'staff', institution: lib }]);
    await recordVisit(db, staff, { institutionId: lib.id, date: '2024-05-05', visitors: 12 });
    await recordVisit(db, staff, { institutionId: lib.id, date: '2024-06-06', visitors: 8, method: 'estimated' });
    const before = await kept([lib]);
    await rebuildVisitRollups(db);
    expect(await kept([lib])).toEqual(before);
    expect(before).toEqual([[2024, 'in_person', 'unknown', 20, 0, 8]]);
    await monthsMatch([lib]);
  });

  it('stay exact when several transactions write counts of one institution at once', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const staff = await makeStaff(db, [{ role: 'staff', institution: lib }]);
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((d) =>
        withTransaction(db, (tx) => recordVisit(tx, staff, { institutionId: lib.id, date: `2026-03-0${d}`, visitors: d * 10 })),
      ),
    );
    expect(await kept([lib])).toEqual(await raw([lib]));
    expect(await kept([lib])).toEqual([[2026, 'in_person', 'unknown', 210, 0, 0]]);
  });

  it("lets only the institution's staff delete a count", async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const staff = await makeStaff(db, [{ role: 'staff', institution: lib }]);
    const outsider = await makeStaff(db, [{ role: 'staff', institution: await makeInstitution(db) }]);
    await recordVisit(db, staff, { institutionId: lib.id, date: '2026-02-02', visitors: 5 });
    const [row] = await listVisits(db, lib.id);
    if (!row) throw new Error('missing count');
    const denied = await deleteVisit(db, outsider, row.id).catch((e: unknown) => e);
    expect((denied as DomainError).status).toBe(403);
    const missing = await deleteVisit(db, staff, row.id + 1_000_000).catch((e: unknown) => e);
    expect((missing as DomainError).status).toBe(404);
    expect(await kept([lib])).toEqual([[2026, 'in_person', 'unknown', 5, 0, 0]]);
  });
});
