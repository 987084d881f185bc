import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/index.js';
import { DomainError } from '../../platform/errors.js';
import { createTestDatabase } from '../../platform/testing/db.js';
import { importVisitsCsv, listVisits, recordVisit, visitTotals } from './visits.js';
import { makeInstitution, makeStaff } from '../testing.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('visit counts', () => {
  it('imports a gate-counter file, keeping good rows and naming each bad row and column', async () => {
    const db = database.db;
    const museum = await makeInstitution(db, { type: 'museum_provincial' });
    const other = await makeInstitution(db);
    const staff = await makeStaff(db, [{ role: 'staff', institution: museum }]);
    const csv = [
      'Mã thiết chế,Ngày,Số lượt,Kênh,Mục đích,Đoàn học sinh,Cách đếm',
      `${museum.code},2026-03-02,120,in_person,museum_tour,40,counted`,
      `${museum.code},3/3/2026,95,,,,`,
      `${museum.code},2026-02-30,10,,,,`,
      `KHONG-CO,2026-03-04,10,,,,`,
      `${museum.code},2026-03-05,-4,,,,`,
      `${museum.code},2026-03-06,30,in_person,,50,`,
      `${other.code},2026-03-06,30,,,,`,
      `${museum.code},2026-03-07,12,digital,research,,estimated`,
      `${museum.code},2026-03-08,12,vr,,,`,
    ].join('\n');
    const report = await importVisitsCsv(db, staff, csv);
    expect(report.imported).toBe(3);
    expect(report.issues.map((i) => [i.row, i.field, i.key])).toEqual([
      [4, 'date', 'monitoring.visits.badDate'],
      [5, 'institution', 'monitoring.visits.unknownInstitution'],
      [6, 'visitors', 'monitoring.visits.badCount'],
      [7, 'schoolGroupVisitors', 'monitoring.visits.schoolAboveTotal'],
      [8, 'institution', 'monitoring.visits.notYours'],
      [10, 'channel', 'monitoring.visits.badChoice'],
    ]);
    const totals = await visitTotals(db, museum.id);
    expect(totals).toEqual([{ year: 2026, inPerson: 215, digital: 12, schoolGroups: 40, estimated: 12 }]);
    expect((await listVisits(db, museum.id)).map((v) => [v.day, v.visitors, v.source])).toEqual([
      ['2026-03-07', 12, 'csv'],
      ['2026-03-03', 95, 'csv'],
      ['2026-03-02', 120, 'csv'],
    ]);
  });

  it('refuses a file without the needed columns, naming them', async () => {
    const staff = await makeStaff(database.db, [{ role: 'staff', institution: await makeInstitution(database.db) }]);
    const err = await importVisitsCsv(database.db, staff, 'date,count\n2026-01-01,3').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).issues.map((i) => i.params?.column)).toEqual(['institution']);
  });

  it('replaces a count of the same day and keeps daily and whole-month counts from being added twice', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const staff = await makeStaff(db, [{ role: 'staff', institution: lib }]);
    await recordVisit(db, staff, { institutionId: lib.id, date: '2026-04-01', visitors: 10 });
    await recordVisit(db, staff, { institutionId: lib.id, date: '2026-04-01', visitors: 14 });
    await recordVisit(db, staff, { institutionId: lib.id, date: '2026-04-02', visitors: 6, method: 'estimated' });
    expect(await visitTotals(db, lib.id)).toEqual([{ year: 2026, inPerson: 20, digital: 0, schoolGroups: 0, estimated: 6 }]);
    const clash = await recordVisit(db, staff, { institutionId: lib.id, date: '2026-04-15', granularity: 'month', visitors: 500 }).catch(
      (e: unknown) => e,
    );
    expect((clash as DomainError).issues).toEqual([{ field: 'date', key: 'monitoring.visits.clash.month' }]);
    const outsider = await makeStaff(db, [{ role: 'staff', institution: await makeInstitution(db) }]);
    const denied = await recordVisit(db, outsider, { institutionId: lib.id, date: '2026-04-03', visitors: 1 }).catch((e: unknown) => e);
    expect((denied as DomainError).issues[0]?.key).toBe('monitoring.visits.notYours');
  });
});
