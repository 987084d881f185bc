import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../platform/auth/service.js';
import { roleGrants } from '../platform/schema.js';
import { sendQueuedMail } from '../platform/testing/mail.js';
import { Browser, createTestApp, type TestApp } from '../testing/app.js';
import type { InstitutionRow, UnitRow } from './model.js';
import { makeActor, makeInstitution, makeUnit, type GrantSpec } from './testing.js';

let t: TestApp;
let province: UnitRow;
let d855: UnitRow;
let d857: UnitRow;
let libraryA: InstitutionRow;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  province = await makeUnit(db, { level: 'province', code: '86', name: 'Tỉnh Vĩnh Long' });
  d855 = await makeUnit(db, { parent: province, code: '855', name: 'Thành phố Vĩnh Long', kind: 'Thành phố' });
  d857 = await makeUnit(db, { parent: province, code: '857', name: 'Huyện Long Hồ' });
  await makeUnit(db, { parent: d855, code: '29542', name: 'Phường 9', kind: 'Phường' });
  libraryA = await makeInstitution(db, { unit: d855, code: 'TV-855', name: 'Thư viện thành phố Vĩnh Long', type: 'library_district' });
});
afterAll(async () => {
  await t.close();
});

/** A browser with a live session for a new person holding these roles. */
async function signedIn(grants: GrantSpec[] = [], email?: string): Promise<Browser> {
  const actor = await makeActor(t.database.db, grants, email);
  const session = await createSession(t.database.db, actor.userId, 1);
  const b = new Browser(t.app);
  b.cookies.set('sd_session', session.token);
  b.csrf = session.csrfToken;
  return b;
}

function multipart(fileName: string, content: string): { payload: string; contentType: string } {
  const boundary = '----suotdoi-test-boundary';
  const payload = [
    `--${boundary}`,
    `Content-Disposition: form-data; name="file"; filename="${fileName}"`,
    'Content-Type: text/plain',
    '',
    content,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(b: Browser, url: string, fileName: string, content: string) {
  return b.upload(url, { field: 'file', name: fileName, bytes: content, type: 'text/plain' });
}

describe('pages', () => {
  it('lists and shows units and institutions to anyone, in Vietnamese, with table headers and the current menu entry', async () => {
    const b = new Browser(t.app);
    const units = await b.get('/units?q=vinh long&level=district');
    expect(units.statusCode).toBe(200);
    expect(units.body).toContain('<a href="/units" aria-current="page">');
    expect(units.body).toContain('<th scope="col">Mã</th>');
    expect(units.body).toContain('Thành phố Vĩnh Long');
    expect(units.body).not.toContain('Huyện Long Hồ');
    expect(units.body).not.toContain('/units/new');
    const unit = await b.get(`/units/${d855.id}`);
    expect(unit.statusCode).toBe(200);
    expect(unit.body).toContain('Phường 9');
    expect(unit.body).toContain(libraryA.name);
    const list = await b.get('/institutions?q=thu vien vinh long');
    expect(list.body).toContain(libraryA.name);
    const page = await b.get(`/institutions/${libraryA.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(`/institutions/${libraryA.id}/edit`);
    expect((await b.get('/units/not-a-unit')).statusCode).toBe(404);
    expect((await b.get('/units?at=2025-02-30')).statusCode).toBe(422);
  });

  it('shows edit links, staff and history only to those allowed', async () => {
    const own = await signedIn([{ role: 'unit_officer', unit: d855 }]);
    const ownPage = (await own.get(`/institutions/${libraryA.id}`)).body;
    expect(ownPage).toContain(`/institutions/${libraryA.id}/edit`);
    expect(ownPage).toContain('id="staff-title"');
    expect(ownPage).toContain(`/audit?entityType=institution&amp;entityId=${libraryA.id}`);
    const other = await signedIn([{ role: 'unit_officer', unit: d857 }]);
    const otherPage = (await other.get(`/institutions/${libraryA.id}`)).body;
    expect(otherPage).not.toContain('/edit');
    expect(otherPage).not.toContain('id="staff-title"');
    expect((await other.get(`/institutions/${libraryA.id}/edit`)).statusCode).toBe(403);
    expect(
      (await other.post(`/institutions/${libraryA.id}`, { code: 'TV-855', name: 'Đổi', type: 'library_district', unitCode: '855' })).statusCode,
    ).toBe(403);
    expect((await new Browser(t.app).get('/units/new')).statusCode).toBe(401);
  });

  it('re-renders a refused form with the values typed and the errors linked to their fields', async () => {
    const admin = await signedIn([{ role: 'dept_admin', unit: province }]);
    const res = await admin.post('/institutions', {
      code: 'TV-MOI',
      name: 'Thư viện mới',
      type: 'library_commune',
      unitCode: '99999',
      email: 'khong-hop-le',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('href="#f-unitCode"');
    expect(res.body).toContain('href="#f-email"');
    expect(res.body).toContain('value="Thư viện mới"');
    const ok = await admin.post('/institutions', {
      code: 'TV-MOI',
      name: 'Thư viện mới',
      type: 'library_commune',
      unitCode: '29542',
      servesPublic: 'true',
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toMatch(/^\/institutions\/[0-9a-f-]{36}\?saved=1$/);
    const unitForm = await admin.post('/units', {
      code: '29545',
      name: 'Phường 5',
      kind: 'Phường',
      level: 'commune',
      parentCode: '855',
      validFrom: '2000-01-01',
      validTo: '1999-01-01',
    });
    expect(unitForm.statusCode).toBe(422);
    expect(unitForm.body).toContain('href="#f-validTo"');
  });

  it('imports a unit file uploaded as multipart, listing row errors and writing nothing on error', async () => {
    const admin = await signedIn([{ role: 'dept_admin', unit: province }]);
    expect((await admin.get('/units/import')).body).toContain('enctype="multipart/form-data"');
    const header = 'code,name,kind,level,parent_code,valid_from,valid_to';
    const bad = await upload(
      admin,
      '/units/import',
      'xa.csv',
      `${header}\n29548,Phường 1,Phường,commune,855,2000-01-01,\n29551,Phường 2,Phường,commune,999,2000-01-01,`,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('<td>2</td><td><code>parent_code</code></td>');
    expect((await admin.get('/units?q=phuong 1')).body).not.toContain('Phường 1<');
    const good = await upload(admin, '/units/import', 'xa.csv', `${header}\n29548,Phường 1,Phường,commune,855,2000-01-01,`);
    expect(good.statusCode).toBe(200);
    expect(good.body).toContain('Đã nhập: 1 mục mới, 0 mục cập nhật.');
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/units/import',
      ...multipart('x.csv', header),
      headers: { cookie: `sd_session=${admin.cookies.get('sd_session') ?? ''}`, 'content-type': multipart('x.csv', header).contentType },
    });
    expect(noToken.statusCode).toBe(403);
    const binary = await upload(admin, '/institutions/import', 'x.csv', '\u00ff');
    expect([200, 422]).toContain(binary.statusCode);
  });

  it('invites by email; the link asks to log in, then the invited person accepts', async () => {
    const manager = await signedIn([{ role: 'manager', institution: libraryA }]);
    const refused = await manager.post(`/institutions/${libraryA.id}/staff/invite`, { email: 'sai', role: 'staff' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('href="#f-email"');
    const sent = await manager.post(`/institutions/${libraryA.id}/staff/invite`, { email: 'ban.moi@example.org', role: 'staff' });
    expect(sent.statusCode).toBe(303);
    const mail = (await sendQueuedMail(t.database.db)).find((m) => m.recipient === 'ban.moi@example.org');
    const token = /\/invitations\/([\w-]+)/.exec(mail?.bodyText ?? '')?.[1] ?? '';
    const visitor = await new Browser(t.app).get(`/invitations/${token}`);
    expect(visitor.body).toContain(`/login?next=${encodeURIComponent(`/invitations/${token}`)}`);
    const invitee = await signedIn([], 'ban.moi@example.org');
    const accepted = await invitee.post(`/invitations/${token}`, {});
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/institutions/${libraryA.id}`);
    const staffPage = (await manager.get(`/institutions/${libraryA.id}`)).body;
    expect(staffPage).toContain('ban.moi@example.org');
    const [grant] = await t.database.db.select().from(roleGrants).where(eq(roleGrants.institutionId, libraryA.id)).orderBy(roleGrants.createdAt);
    expect(grant).toBeDefined();
    expect((await new Browser(t.app).get('/invitations/khong-co-thu-moi-nay')).statusCode).toBe(404);
  });
});

describe('JSON API', () => {
  it('lists, shows and documents units and institutions', async () => {
    const b = new Browser(t.app);
    const list = await b.json('GET', '/api/v1/units?level=district&at=all');
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: Array<{ code: string; nameFolded?: string }> }>().items.map((u) => u.code)).toEqual(['857', '855']);
    expect(list.json<{ items: Array<Record<string, unknown>> }>().items[0]).not.toHaveProperty('sortKey');
    const one = await b.json('GET', `/api/v1/institutions/${libraryA.id}`);
    expect(one.json()).toMatchObject({ code: 'TV-855', unit: { code: '855' }, unitPath: [{ code: '86' }, { code: '855' }] });
    const spec = (await b.get('/api/openapi.json')).json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
    for (const path of [
      '/api/v1/units',
      '/api/v1/units/{id}',
      '/api/v1/units/import',
      '/api/v1/institutions',
      '/api/v1/institutions/{id}',
      '/api/v1/institutions/import',
      '/api/v1/invitations',
      '/api/v1/invitations/{token}/accept',
    ]) {
      expect(Object.values(spec.paths[path] ?? {})[0]?.tags, path).toEqual(['orgs']);
    }
  });

  it('answers bad input with 400 or 422 naming the field, and never 500', async () => {
    const admin = await signedIn([{ role: 'sysadmin' }]);
    const empty = await admin.json('POST', '/api/v1/units', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ error: { issues: Array<{ field: string }> } }>().error.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining(['code', 'name', 'level', 'validFrom']),
    );
    const wrong = await admin.json('POST', '/api/v1/institutions', { code: 5, name: ['x'], type: 'zoo', unitCode: {}, servesPublic: 'maybe' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ error: { issues: Array<{ field: string }> } }>().error.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining(['type', 'unitCode', 'servesPublic']),
    );
    const long = await admin.json('POST', '/api/v1/institutions', {
      code: 'TV-DAI',
      name: 'x'.repeat(10_000),
      type: 'library_school',
      unitCode: '855',
    });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ error: { issues: [{ field: 'name', code: 'errors.maxLength' }] } });
    const unknown = await admin.json('POST', '/api/v1/institutions', {
      code: 'TV-LA',
      name: 'Thư viện lạ',
      type: 'library_school',
      unitCode: '12345',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({
      error: { issues: [{ field: 'unitCode', code: 'orgs.institution.unitUnknown', message: 'Không có đơn vị hành chính mã 12345' }] },
    });
    const duplicate = await admin.json('POST', '/api/v1/institutions', { code: 'TV-855', name: 'Trùng', type: 'library_school', unitCode: '855' });
    expect(duplicate.statusCode).toBe(409);
    const importBad = await admin.json('POST', '/api/v1/units/import', { format: 'csv', text: 'code,name\n"x' });
    expect(importBad.statusCode).toBe(422);
    expect(importBad.json()).toMatchObject({ error: { issues: [{ field: 'code', row: 1, code: 'orgs.import.badCsv' }] } });
    expect((await admin.json('GET', '/api/v1/units/abc')).statusCode).toBe(400);
    expect((await admin.json('GET', '/api/v1/units/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const garbage: unknown[] = [
      null,
      'text',
      42,
      [],
      { a: 1 },
      { code: '\u0000'.repeat(50) },
      { format: 'xml', text: '' },
      { csv: '' },
      { email: 'x@y.z', role: 'sysadmin' },
    ];
    const routes: Array<['POST' | 'PATCH', string]> = [
      ['POST', '/api/v1/units'],
      ['PATCH', `/api/v1/units/${d855.id}`],
      ['POST', '/api/v1/units/import'],
      ['POST', '/api/v1/unit-successions'],
      ['POST', '/api/v1/institutions'],
      ['PATCH', `/api/v1/institutions/${libraryA.id}`],
      ['POST', '/api/v1/institutions/import'],
      ['POST', '/api/v1/invitations'],
      ['POST', '/api/v1/invitations/not-a-real-token/accept'],
    ];
    for (const [method, url] of routes) {
      for (const body of garbage) {
        const res = await admin.json(method, url, body);
        expect([400, 401, 403, 404, 409, 415, 422], `${method} ${url} ${JSON.stringify(body)}`).toContain(res.statusCode);
      }
    }
  });

  it('creates and changes through the API with scope checks', async () => {
    const officer = await signedIn([{ role: 'unit_officer', unit: d857 }]);
    const denied = await officer.json('PATCH', `/api/v1/institutions/${libraryA.id}`, { note: 'không được' });
    expect(denied.statusCode).toBe(403);
    const created = await officer.json('POST', '/api/v1/institutions', {
      code: 'TV-857',
      name: 'Thư viện huyện Long Hồ',
      type: 'library_district',
      unitCode: '857',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const changed = await officer.json('PATCH', `/api/v1/institutions/${id}`, { phone: '0270 3850 000' });
    expect(changed.json()).toMatchObject({ phone: '0270 3850 000', unit: { code: '857' } });
    const anonymousWrite = await new Browser(t.app).json('POST', '/api/v1/institutions', {
      code: 'X-1',
      name: 'X',
      type: 'library_school',
      unitCode: '857',
    });
    expect([401, 403]).toContain(anonymousWrite.statusCode);
    const invite = await officer.json('POST', '/api/v1/invitations', { email: 'can.bo@example.org', role: 'unit_officer', unitId: d857.id });
    expect(invite.statusCode).toBe(201);
    expect(invite.json()).not.toHaveProperty('tokenHash');
  });
});
