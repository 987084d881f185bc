import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/access.js';
import type { Database } from '../../platform/db/index.js';
import { createTestDatabase } from '../../platform/testing/db.js';
import { evaluate, loadYears, placementOf, sumQuarters } from '../indicators/compute.js';
import { openPeriod, saveForm, transition, type PeriodRow } from '../cycle/cycle.js';
import { indicatorDetail } from './dashboard.js';
import { ensurePlanIndicators, getIndicator } from '../indicators/indicators.js';
import { presentDetail, valueSourceText } from '../presenters.js';
import { translator } from '../../platform/i18n/index.js';
import { makeInstitution, makeStaff, makeUnit, type TestInstitution } from '../testing.js';
import '../messages.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await ensurePlanIndicators(database.db);
});
afterAll(async () => {
  await database.close();
});

const library = (visitsInPerson: number) => ({ visitsInPerson, programmesHeld: 0, staffTrained: 0 });
const museum = (educationProgrammes: number) => ({
  museumVisitors: 100,
  programmesHeld: 5,
  sessionsHeld: 5,
  attendance: 50,
  educationProgrammes,
  staffTrained: 0,
});

describe('quarterly data sets feeding the yearly indicators', () => {
  it('adds up approved quarters field by field and names the quarters', () => {
    const sums = sumQuarters([
      { institutionId: 'a', quarter: 4, values: { visitsInPerson: 300, attendance: null } },
      { institutionId: 'a', quarter: 1, values: { visitsInPerson: 200, attendance: 7 } },
      { institutionId: 'a', quarter: 2, values: { visitsInPerson: 250, note: 'x' } },
      { institutionId: 'b', quarter: 3, values: { visitsInPerson: 0 } },
    ]);
    expect(sums.get('a')).toEqual({ values: { visitsInPerson: 750, attendance: 7 }, quarters: { visitsInPerson: [1, 2, 4], attendance: [1] } });
    expect(sums.get('b')).toEqual({ values: { visitsInPerson: 0 }, quarters: { visitsInPerson: [3] } });
  });

  it('uses the yearly form first, then the sum of approved quarters, never unapproved ones; exact sums and growth', async () => {
    const db = database.db;
    const province = await makeUnit(db, { level: 'province' });
    const district = await makeUnit(db, { level: 'district', parent: province });
    const yearly = await makeInstitution(db, { unit: district, type: 'library_district', name: 'Thư viện nộp báo cáo năm' });
    const quarterly = await makeInstitution(db, { unit: district, type: 'library_district', name: 'Thư viện nộp báo cáo quý' });
    const silent = await makeInstitution(db, { unit: district, type: 'library_district' });
    const museumInst = await makeInstitution(db, { unit: province, type: 'museum_provincial' });
    const dept = await makeStaff(db, [{ role: 'dept_admin', unit: province }]);
    const staffOf = new Map<string, Awaited<ReturnType<typeof makeStaff>>>();
    for (const i of [yearly, quarterly, silent, museumInst]) staffOf.set(i.id, await makeStaff(db, [{ role: 'staff', institution: i }]));

    const periods = new Map<string, PeriodRow>();
    const period = async (year: number, quarter?: number) => {
      const key = `${year}/${quarter ?? 0}`;
      const found = periods.get(key) ?? (await openPeriod(db, systemActor, { year, ...(quarter ? { quarter } : {}) }));
      periods.set(key, found);
      return found;
    };
    const file = async (inst: TestInstitution, year: number, quarter: number | undefined, values: Record<string, number>, approve = true) => {
      const staff = staffOf.get(inst.id);
      if (!staff) throw new Error('no staff');
      const sub = await saveForm(db, staff, (await period(year, quarter)).id, inst.id, { values }, true);
      if (!approve) return;
      await transition(db, dept, sub.id, 'accept');
      await transition(db, dept, sub.id, 'approve');
    };

    await file(yearly, 2024, undefined, library(800));
    for (const q of [1, 2, 3, 4]) await file(quarterly, 2024, q, library(100));
    await file(yearly, 2025, undefined, library(1000));
    for (const q of [1, 2, 3, 4]) await file(yearly, 2025, q, library(300));
    await file(quarterly, 2025, 1, library(200));
    await file(quarterly, 2025, 2, library(250));
    await file(quarterly, 2025, 3, library(999), false);
    await file(quarterly, 2025, 4, library(300));
    await file(museumInst, 2025, 1, museum(1));
    await file(museumInst, 2025, 3, museum(2));
    await file(museumInst, 2025, 4, museum(4), false);

    const placement = await placementOf(db);
    for (const approvedOnly of [true, false]) {
      const years = await loadYears(db, [2024, 2025], approvedOnly);
      const sel = { unitId: district.id, on: '2025-12-31' };
      const visits = (await getIndicator(db, 'visits.libraries')).definition;
      const v2025 = evaluate(placement, visits, 2025, years, sel);
      expect(Object.fromEntries(v2025.rows.map((r) => [r.institutionId, r.value]))).toEqual({
        [yearly.id]: { value: 1000, source: 'reported' },
        [quarterly.id]: { value: 750, source: 'quarterly', quarters: [1, 2, 4] },
        [silent.id]: null,
      });
      expect([v2025.numerator, v2025.denominator]).toEqual([1750, 1200]);
      // (1750 / 1200 − 1) × 100 = 45.8333… → 45.8
      expect(v2025.value).toBe(45.8);
      const edu = evaluate(placement, (await getIndicator(db, 'museum.education')).definition, 2025, years, {
        unitId: province.id,
        on: '2025-12-31',
      });
      expect(edu.value).toBe(3);
      expect(edu.rows[0]?.value).toEqual({ value: 3, source: 'quarterly', quarters: [1, 3] });
    }

    const detail = await indicatorDetail(db, dept, 'visits.libraries', { year: 2025, unit: district.code });
    const row = presentDetail(detail, 'vi').institutions.find((i) => i.institution.id === quarterly.id);
    expect(row).toMatchObject({ value: 750, source: 'quarterly', quarters: [1, 2, 4] });
    const shown = detail.rows.find((r) => r.institutionId === quarterly.id)?.value;
    expect(shown && valueSourceText(translator('vi'), shown)).toBe('Tổng 3/4 báo cáo quý đã duyệt (Q1, Q2, Q4)');
    expect(shown && valueSourceText(translator('en'), shown)).toBe('Sum of 3 of 4 approved quarterly reports (Q1, Q2, Q4)');
  });
});
