import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, type TestApp } from '../testing/app.js';
import { makeInstitution, makeStaff, makeUnit } from './testing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function as(person: { email: string; password: string }): Promise<Browser> {
  const b = new Browser(t.app);
  await b.login(person.email, person.password);
  return b;
}

describe('monitoring pages and API', () => {
  it('runs a data set through the pages: fill, submit, return, fix, accept, approve; the dashboard and public page change', async () => {
    const db = t.database.db;
    const province = await makeUnit(db, { level: 'province', name: 'Tỉnh Thử Nghiệm' });
    const district = await makeUnit(db, { level: 'district', parent: province, name: 'Huyện Thử' });
    const lib = await makeInstitution(db, { unit: district, type: 'library_district', name: 'Thư viện huyện Thử' });
    const staff = await as(await makeStaff(db, [{ role: 'staff', institution: lib }]));
    const officer = await as(await makeStaff(db, [{ role: 'unit_officer', unit: district }]));
    const dept = await as(await makeStaff(db, [{ role: 'dept_admin', unit: province }]));

    const bad = await dept.post('/monitoring/periods', { year: 'năm' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#f-year"');
    expect((await dept.post('/monitoring/periods', { year: '2024' })).statusCode).toBe(200);
    const periods = await dept.json('GET', '/api/v1/monitoring/periods');
    const period = periods.json<{ periods: Array<{ id: string; year: number; deadline: string }> }>().periods.find((p) => p.year === 2024);
    expect(period?.deadline).toBe('2024-11-15');
    const formUrl = `/monitoring/periods/${period?.id}/institutions/${lib.id}`;

    expect((await staff.get('/monitoring/periods')).body).toContain('Thư viện huyện Thử');
    const form = await staff.get(formUrl);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="visitsInPerson"');
    const invalid = await staff.post(formUrl, {
      intent: 'submit',
      visitsInPerson: '-5',
      programmesHeld: '2',
      sessionsHeld: '2',
      registrations: '5',
      attendance: '50',
      staffTrained: '1',
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('href="#f-visitsInPerson"');
    expect(invalid.body).toContain('href="#f-attendance"');
    const fields = {
      visitsInPerson: '900',
      programmesHeld: '2',
      sessionsHeld: '4',
      registrations: '20',
      attendance: '60',
      staffTrained: '1',
      decl_lll_services: 'true',
      evidence_lll_services: 'Lớp kỹ năng đọc',
    };
    expect((await staff.post(formUrl, { intent: 'save', ...fields })).statusCode).toBe(303);
    expect((await staff.post(formUrl, { intent: 'submit', ...fields })).statusCode).toBe(303);

    expect((await officer.post(`${formUrl}/return`, { comment_return: '' })).statusCode).toBe(422);
    expect((await officer.post(`${formUrl}/return`, { comment_return: 'Thiếu số buổi' })).statusCode).toBe(303);
    expect(t.sent.length + (await t.database.query(`select 1 from jobs where kind = 'mail'`)).length).toBeGreaterThan(0);
    const returned = await staff.get(formUrl);
    expect(returned.body).toContain('Thiếu số buổi');
    expect((await staff.post(formUrl, { intent: 'submit', ...fields, sessionsHeld: '5' })).statusCode).toBe(303);
    expect((await officer.post(`${formUrl}/accept`, {})).statusCode).toBe(303);
    expect((await officer.post(`${formUrl}/approve`, {})).statusCode).toBe(403);

    const before = await dept.json('GET', `/api/v1/monitoring/dashboard?year=2024&unit=${province.code}`);
    const lllBefore = before.json<{ indicators: Array<{ code: string; value: number | null }> }>().indicators.find((i) => i.code === 'lll.district');
    expect(lllBefore?.value).toBe(0);
    expect((await dept.post(`${formUrl}/approve`, {})).statusCode).toBe(303);
    const after = await dept.json('GET', `/api/v1/monitoring/dashboard?year=2024&unit=${province.code}`);
    expect(
      after.json<{ indicators: Array<{ code: string; value: number | null; status: string }> }>().indicators.find((i) => i.code === 'lll.district'),
    ).toMatchObject({ value: 100, status: 'met' });
    const locked = await staff.post(formUrl, { intent: 'save', ...fields });
    expect(locked.statusCode).toBe(409);

    const page = await dept.get(`/monitoring?year=2024&unit=${province.code}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg');
    expect(page.body).not.toContain('style="');
    const detail = await dept.get(`/monitoring/indicators/lll.district?year=2024&unit=${province.code}`);
    expect(detail.body).toContain('Thư viện huyện Thử');
    expect(detail.body).toContain('Lớp kỹ năng đọc');

    const pub = await new Browser(t.app).get(`/transparency?year=2024&unit=${province.code}`);
    expect(pub.statusCode).toBe(200);
    expect(pub.body).not.toContain('Thư viện huyện Thử');
    expect((await new Browser(t.app).get('/monitoring')).statusCode).toBe(401);

    const docx = await dept.get(`/monitoring/report/annual.docx?year=2024&unit=${province.code}`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    const xlsx = await dept.json('GET', `/api/v1/monitoring/reports/annual?year=2024&unit=${province.code}&format=xlsx`);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    const c = await dept.json('GET', `/api/v1/monitoring/periods/${period?.id}/completeness?unit=${province.code}`);
    expect(c.json<{ total: { expected: number; submitted: number; approved: number } }>().total).toMatchObject({
      expected: 1,
      submitted: 1,
      approved: 1,
    });
  });

  it('records visits and imports a CSV through the API, reporting bad rows by line', async () => {
    const db = t.database.db;
    const lib = await makeInstitution(db);
    const staff = await as(await makeStaff(db, [{ role: 'staff', institution: lib }]));
    const one = await staff.json('POST', '/api/v1/monitoring/visits', {
      institutionId: lib.id,
      date: '2026-05-04',
      visitors: 33,
      purpose: 'reading',
    });
    expect(one.statusCode).toBe(201);
    const bad = await staff.json('POST', '/api/v1/monitoring/visits', { institutionId: lib.id, date: '2026-05-04', visitors: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { issues: Array<{ field: string }> } }>().error.issues[0]?.field).toBe('visitors');
    const imp = await staff.json('POST', '/api/v1/monitoring/visits/import', {
      csv: `institution,date,visitors\n${lib.code},2026-05-05,10\n${lib.code},hôm qua,4\n`,
    });
    expect(imp.json()).toMatchObject({ imported: 1, issues: [{ row: 3, field: 'date', code: 'monitoring.visits.badDate' }] });
    const totals = await staff.json('GET', `/api/v1/monitoring/institutions/${lib.id}/visits`);
    expect(totals.json<{ totals: unknown[] }>().totals).toEqual([{ year: 2026, inPerson: 43, digital: 0, schoolGroups: 0, estimated: 0 }]);
    const page = await staff.get('/monitoring/visits');
    expect(page.body).toContain('43');
  });

  it('publishes the API in the OpenAPI document under the monitoring tag', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { tags?: string[] }>>;
    }>();
    const paths = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/v1/monitoring'));
    expect(paths.length).toBeGreaterThanOrEqual(12);
    expect(paths.every(([, ops]) => Object.values(ops).every((o) => o.tags?.includes('monitoring')))).toBe(true);
  });
});
