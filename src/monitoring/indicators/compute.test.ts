import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/access.js';
import type { Database } from '../../platform/db/index.js';
import { createTestDatabase } from '../../platform/testing/db.js';
import { evaluate, loadYears, placementOf, statusOf, targetFor } from './compute.js';
import { overrideCriterion } from '../cycle/cycle.js';
import { dashboard, indicatorDetail } from '../reports/dashboard.js';
import { ensurePlanIndicators, getIndicator, indicatorHistory, listIndicators, updateIndicator } from './indicators.js';
import type { DomainError } from '../../platform/errors.js';
import { planIndicators } from './seed.js';
import { makeInstitution, makeStaff, makeUnit, succeed } from '../testing.js';
import { recordVisit } from '../visits/visits.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await ensurePlanIndicators(database.db);
});
afterAll(async () => {
  await database.close();
});

const met = (institutionId: string, year: number, criterion: 'lll_services' | 'it_applied' = 'lll_services', value = true) =>
  overrideCriterion(database.db, systemActor, { institutionId, year, criterion, met: value, reason: 'Kiểm tra thực tế' });

async function value(code: string, year: number, unitId: string, on = `${year}-12-31`) {
  const db = database.db;
  const ind = await getIndicator(db, code);
  const years = await loadYears(db, [2023, 2024, 2025, 2026]);
  return evaluate(await placementOf(db), ind.definition, year, years, { unitId, on });
}

describe('the plan seeded as indicators', () => {
  it('holds every target of section II.2 with its group and 2025/2030 values', async () => {
    const rows = await listIndicators(database.db);
    expect(rows).toHaveLength(planIndicators.length);
    const targets = Object.fromEntries(rows.map((r) => [r.code, r.definition.targets.map((t) => [t.year, t.value, t.upper ?? null])]));
    expect(targets['lll.district']).toEqual([
      [2025, 70, null],
      [2030, 90, null],
    ]);
    expect(targets['lll.commune']).toEqual([
      [2025, 40, null],
      [2030, 60, null],
    ]);
    expect(targets['lll.university']).toEqual([
      [2025, 90, null],
      [2030, 100, null],
    ]);
    expect(targets['lll.armed_forces']).toEqual([
      [2025, 80, null],
      [2030, 100, null],
    ]);
    expect(targets['lll.school']).toEqual([
      [2025, 70, null],
      [2030, 90, null],
    ]);
    expect(targets['it.district']).toEqual([
      [2025, 60, null],
      [2030, 70, null],
    ]);
    expect(targets['it.commune']).toEqual([
      [2025, 20, null],
      [2030, 30, null],
    ]);
    expect(targets['it.armed_forces']).toEqual([
      [2025, 80, null],
      [2030, 80, null],
    ]);
    expect(targets['it.school']).toEqual([
      [2025, 70, null],
      [2030, 80, null],
    ]);
    expect(targets['visits.libraries']).toEqual([
      [2025, 10, null],
      [2030, 10, 15],
    ]);
    expect(targets['museum.education']).toEqual([
      [2025, 1, null],
      [2030, 3, 5],
    ]);
    expect(targets['visits.museums']).toEqual([
      [2025, 10, null],
      [2030, 10, 15],
    ]);
    expect(targets['museum.grade2']).toEqual([[2025, 1, null]]);
    expect(targets['centres.district']).toEqual([
      [2025, 80, null],
      [2030, 100, null],
    ]);
    expect(targets['centres.commune']).toEqual([
      [2025, 70, null],
      [2030, 100, null],
    ]);
    await ensurePlanIndicators(database.db);
    expect(await listIndicators(database.db)).toHaveLength(planIndicators.length);
  });
});

describe('editing indicators', () => {
  it('keeps every version, audits it, and refuses stale, unauthorised or bad edits naming the field', async () => {
    const db = database.db;
    const province = await makeUnit(db, { level: 'province' });
    const district = await makeUnit(db, { level: 'district', parent: province });
    const dept = await makeStaff(db, [{ role: 'dept_admin', unit: province }]);
    const officer = await makeStaff(db, [{ role: 'unit_officer', unit: district }]);
    const current = await getIndicator(db, 'lll.commune');
    const definition = {
      ...current.definition,
      targets: [
        { year: 2025, value: 40 },
        { year: 2027, value: 50 },
        { year: 2030, value: 60 },
      ],
    };
    const fail = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error('expected a refusal');
        },
        (e: unknown) => e as DomainError,
      );

    expect((await fail(updateIndicator(db, officer, 'lll.commune', { definition, expectedVersion: current.version, note: 'x' }))).status).toBe(403);
    const bad = await fail(
      updateIndicator(db, dept, 'lll.commune', {
        definition: { ...definition, types: ['library_moon'], targets: [{ year: 2025, value: 140 }] },
        expectedVersion: current.version,
        note: 'x',
      }),
    );
    expect(bad.issues.map((i) => [i.field, i.key])).toEqual([
      ['types.0', 'monitoring.indicator.badType'],
      ['targets.0.value', 'errors.maximum'],
    ]);
    const saved = await updateIndicator(db, dept, 'lll.commune', { definition, expectedVersion: current.version, note: 'Chỉ tiêu trung gian 2027' });
    expect(saved.version).toBe(current.version + 1);
    expect((await fail(updateIndicator(db, dept, 'lll.commune', { definition, expectedVersion: current.version, note: 'x' }))).status).toBe(409);
    const history = await indicatorHistory(db, saved.id);
    expect(history.map((h) => [h.version, h.note])).toEqual([
      [current.version + 1, 'Chỉ tiêu trung gian 2027'],
      [current.version, 'QĐ 596/QĐ-UBND'],
    ]);
    const audit = await database.query<{ action: string }>('select action from audit_log where entity_id = $1', ['lll.commune']);
    expect(audit.map((a) => a.action)).toEqual(['monitoring.indicator.update']);
    await updateIndicator(db, dept, 'lll.commune', { definition: current.definition, expectedVersion: saved.version, note: 'Trả lại như Kế hoạch' });
  });
});

describe('indicator arithmetic', () => {
  it('gives no value (not 0%) for a share whose group is empty', async () => {
    const province = await makeUnit(database.db, { level: 'province' });
    const v = await value('lll.commune', 2026, province.id);
    expect(v).toMatchObject({ value: null, numerator: 0, denominator: 0 });
    expect(
      statusOf(
        [
          { year: 2025, value: 40 },
          { year: 2030, value: 60 },
        ],
        2026,
        v.value,
      ),
    ).toBe('no_data');
  });

  it('counts institutions open on the last day of the year: closed ones drop out, new ones count', async () => {
    const district = await makeUnit(database.db, { level: 'district' });
    const a = await makeInstitution(database.db, { unit: district });
    const closed = await makeInstitution(database.db, { unit: district, closedOn: '2026-06-30' });
    const opened = await makeInstitution(database.db, { unit: district, openedOn: '2026-03-01' });
    await met(a.id, 2026);
    await met(closed.id, 2026);
    await met(a.id, 2025);
    const v2026 = await value('lll.district', 2026, district.id);
    expect(v2026).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
    expect(v2026.rows.map((r) => r.institutionId).sort()).toEqual([a.id, opened.id].sort());
    const v2025 = await value('lll.district', 2025, district.id);
    expect(v2025).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
    expect(v2025.rows.map((r) => r.institutionId).sort()).toEqual([a.id, closed.id].sort());
  });

  it('averages yearly growth over the years between, when a year is missing', async () => {
    const district = await makeUnit(database.db, { level: 'district' });
    const lib = await makeInstitution(database.db, { unit: district });
    for (const [date, visitors] of [
      ['2023-03-01', 1000],
      ['2025-03-01', 1210],
      ['2026-03-01', 1331],
    ] as const) {
      await recordVisit(database.db, systemActor, { institutionId: lib.id, date, granularity: 'month', visitors });
    }
    expect((await value('visits.libraries', 2024, district.id)).value).toBeNull();
    expect(await value('visits.libraries', 2025, district.id)).toMatchObject({ value: 10, numerator: 1210, denominator: 1000 });
    expect(await value('visits.libraries', 2026, district.id)).toMatchObject({ value: 10, numerator: 1331, denominator: 1000 });
    expect((await value('visits.libraries', 2023, district.id)).value).toBeNull();
  });

  it('rolls up by district before 1/7/2025 and by the merged commune after, with a comparable series', async () => {
    const db = database.db;
    const oldProvince = await makeUnit(db, { level: 'province', validTo: '2025-06-30' });
    const district = await makeUnit(db, { level: 'district', parent: oldProvince, validTo: '2025-06-30' });
    const c1 = await makeUnit(db, { level: 'commune', parent: district, validTo: '2025-06-30' });
    const c2 = await makeUnit(db, { level: 'commune', parent: district, validTo: '2025-06-30' });
    const newProvince = await makeUnit(db, { level: 'province', validFrom: '2025-07-01' });
    const merged = await makeUnit(db, { level: 'commune', parent: newProvince, validFrom: '2025-07-01' });
    await succeed(db, oldProvince, newProvince);
    await succeed(db, c1, merged);
    await succeed(db, c2, merged);
    const l1 = await makeInstitution(db, { unit: c1, type: 'library_commune' });
    const l2 = await makeInstitution(db, { unit: c2, type: 'library_commune' });
    await met(l1.id, 2024);
    await met(l1.id, 2025);
    await met(l2.id, 2025);

    const y2024 = await indicatorDetail(db, systemActor, 'lll.commune', { year: 2024, unit: oldProvince.code });
    expect(y2024.level).toBe('district');
    expect(y2024.byUnit.map((b) => [b.code, b.numerator, b.denominator, b.value])).toEqual([[district.code, 1, 2, 50]]);

    const y2025 = await indicatorDetail(db, systemActor, 'lll.commune', { year: 2025, unit: newProvince.code });
    expect(y2025.level).toBe('commune');
    expect(y2025.byUnit.map((b) => [b.code, b.numerator, b.denominator, b.value])).toEqual([[merged.code, 2, 2, 100]]);
    expect(y2025.summary.series.filter((p) => p.year >= 2024)).toEqual([
      { year: 2024, value: 50 },
      { year: 2025, value: 100 },
    ]);

    const board = await dashboard(db, systemActor, { year: 2025, unit: merged.code });
    const commune = board.indicators.find((s) => s.indicator.code === 'lll.commune');
    expect(commune).toMatchObject({ value: 100, numerator: 2, denominator: 2, status: 'met' });
    expect(commune?.series.find((p) => p.year === 2024)?.value).toBe(50);
  });

  it('sets the status against the next target and the path towards it', () => {
    const targets = [
      { year: 2025, value: 70 },
      { year: 2030, value: 90 },
    ];
    expect(targetFor(targets, 2027)).toBe(78);
    expect(statusOf(targets, 2025, 70)).toBe('met');
    expect(statusOf(targets, 2027, 80)).toBe('on_track');
    expect(statusOf(targets, 2027, 77)).toBe('behind');
    expect(statusOf(targets, 2027, 90)).toBe('met');
    expect(statusOf(targets, 2024, 60, { year: 2023, value: 50 })).toBe('on_track');
    expect(statusOf(targets, 2024, 55, { year: 2023, value: 50 })).toBe('behind');
    expect(statusOf(targets, 2031, 89)).toBe('behind');
  });
});
