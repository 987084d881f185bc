import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { vnToday } from '../../platform/time.js';
import { DigitalVisitCounter, PROVINCIAL } from './digital.js';
import { makeInstitution, makeStaff, makeUnit } from '../testing.js';
import { recordVisit } from './visits.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const phone = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36';

function view(url: string, address: string, userAgent: string) {
  return t.app.inject({ method: 'GET', url, remoteAddress: address, headers: { 'user-agent': userAgent } });
}

async function digitalRows(institutionId: string) {
  return t.database.query<Record<string, unknown>>(
    `select day::text as day, granularity, channel, purpose, visitors, school_group_visitors, method, source, created_by from monitoring_visits where institution_id = $1 and channel = 'digital' order by day`,
    [institutionId],
  );
}

describe('digital visits of the public catalogue', () => {
  it('counts each browser once a day per target, forgets everything at midnight and hands counts over once', () => {
    let day = '2026-05-01';
    const counter = new DigitalVisitCounter(() => day);
    expect(counter.count(PROVINCIAL, '10.0.0.1', firefox)).toBe(true);
    expect(counter.count(PROVINCIAL, '10.0.0.1', firefox)).toBe(false);
    expect(counter.count(PROVINCIAL, '10.0.0.1', phone)).toBe(true);
    expect(counter.count(PROVINCIAL, '10.0.0.2', firefox)).toBe(true);
    expect(counter.count('lib-1', '10.0.0.1', firefox)).toBe(true);
    day = '2026-05-02';
    expect(counter.count(PROVINCIAL, '10.0.0.1', firefox)).toBe(true);
    expect(counter.take()).toEqual([
      { day: '2026-05-01', target: PROVINCIAL, sessions: 3 },
      { day: '2026-05-01', target: 'lib-1', sessions: 1 },
      { day: '2026-05-02', target: PROVINCIAL, sessions: 1 },
    ]);
    expect(counter.take()).toEqual([]);
    counter.restore([{ day: '2026-05-02', target: PROVINCIAL, sessions: 2 }]);
    expect(counter.take()).toEqual([{ day: '2026-05-02', target: PROVINCIAL, sessions: 2 }]);
  });

  it('stores sessions as counted digital visits of the provincial library, or of the library a search is limited to, with nothing personal', async () => {
    const db = t.database.db;
    const province = await makeUnit(db, { level: 'province' });
    const provincial = await makeInstitution(db, { unit: province, type: 'library_provincial' });
    const district = await makeInstitution(db, { type: 'library_district' });
    await t.app.flushDigitalVisits();

    expect((await view('/catalogue', '10.1.0.1', firefox)).statusCode).toBe(200);
    await view('/catalogue?q=lich+su', '10.1.0.1', firefox);
    await view('/catalogue', '10.1.0.1', phone);
    await view('/catalogue', '10.1.0.2', firefox);
    await view(`/catalogue?q=sach&library=${district.id}`, '10.1.0.1', firefox);
    await view('/catalogue', '10.1.0.3', 'Googlebot/2.1 (+http://www.google.com/bot.html)');
    await view('/catalogue', '10.1.0.4', '');
    await view('/catalogue/import', '10.1.0.5', firefox);
    await view('/monitoring', '10.1.0.6', firefox);
    await view('/catalogue/records/00000000-0000-4000-8000-000000000000', '10.1.0.7', firefox);

    expect(await t.app.flushDigitalVisits()).toBe(4);
    const today = vnToday();
    const [row] = await digitalRows(provincial.id);
    expect(row).toMatchObject({
      day: today,
      granularity: 'day',
      channel: 'digital',
      purpose: 'unknown',
      visitors: 3,
      method: 'counted',
      source: 'opac',
      created_by: 'system',
    });
    expect(
      Object.values(row ?? {})
        .map(String)
        .join(' '),
    ).not.toMatch(/10\.1\.0|Mozilla/);
    expect((await digitalRows(district.id)).map((r) => r.visitors)).toEqual([1]);

    // The same browsers again the same day add nothing; a new one adds to the day's row.
    await view('/catalogue', '10.1.0.1', firefox);
    await view('/catalogue', '10.1.0.9', firefox);
    expect(await t.app.flushDigitalVisits()).toBe(1);
    expect((await digitalRows(provincial.id)).map((r) => r.visitors)).toEqual([4]);
    const [year] = await t.database.query<{ visitors: number }>(
      `select visitors::int from monitoring_visit_years where institution_id = $1 and channel = 'digital'`,
      [provincial.id],
    );
    expect(year?.visitors).toBe(4);
  });

  it('leaves a month alone when staff entered a whole-month digital count for it', async () => {
    const db = t.database.db;
    const lib = await makeInstitution(db, { type: 'library_district' });
    const staff = await makeStaff(db, [{ role: 'staff', institution: lib }]);
    await recordVisit(db, staff, { institutionId: lib.id, date: vnToday(), granularity: 'month', channel: 'digital', visitors: 900 });
    await t.app.flushDigitalVisits();
    await view(`/catalogue?library=${lib.id}`, '10.2.0.1', firefox);
    expect(await t.app.flushDigitalVisits()).toBe(0);
    expect((await digitalRows(lib.id)).map((r) => [r.granularity, r.visitors])).toEqual([['month', 900]]);
  });

  it('leaves a day alone when staff entered its digital count by hand', async () => {
    const db = t.database.db;
    const lib = await makeInstitution(db, { type: 'library_district' });
    const staff = await makeStaff(db, [{ role: 'staff', institution: lib }]);
    await recordVisit(db, staff, { institutionId: lib.id, date: vnToday(), granularity: 'day', channel: 'digital', visitors: 40 });
    await t.app.flushDigitalVisits();
    await view(`/catalogue?library=${lib.id}`, '10.2.0.2', firefox);
    expect(await t.app.flushDigitalVisits()).toBe(0);
    expect((await digitalRows(lib.id)).map((r) => [r.granularity, r.visitors])).toEqual([['day', 40]]);
  });
});
