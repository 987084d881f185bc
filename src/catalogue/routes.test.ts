import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeActor, makeInstitution } from '../orgs/testing.js';
import type { Db } from '../platform/db/index.js';
import { Browser, createTestApp, type TestApp } from '../testing/app.js';
import { writeIso2709 } from './marc/index.js';
import { signedIn, testRecord, upload } from './testing.js';

let t: TestApp;
let db: Db;
beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe('catalogue pages and API', () => {
  test('a librarian imports a file; a citizen finds it without marks, narrows, opens the record', async () => {
    const lib = await makeInstitution(db, { name: 'Thư viện huyện Long Hồ' });
    const actor = await makeActor(db, [{ role: 'staff', institution: lib }]);
    const staff = await signedIn(t.app, db, actor.userId);
    const form = await staff.get('/catalogue/import');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(lib.code);
    const bytes = writeIso2709([
      testRecord({
        title: 'Địa chí Vĩnh Long',
        author: 'Nguyễn, Văn Hải',
        year: 2005,
        ddc: '959.78',
        copies: [{ barcode: 'VL-1', call: '959.78 Đ', location: 'Kho địa chí' }],
      }),
      testRecord({ title: 'Vĩnh Long xưa và nay', author: 'Trần, Hoa', year: 2015, language: 'eng', copies: [{ barcode: 'VL-2' }] }),
      { leader: '00000nam a2200000 a 4500', fields: [{ tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Không nhan đề' }] }] },
    ]);
    const res = await upload(staff, '/catalogue/import', { name: 'vinhlong.mrc', bytes }, { library: lib.code, encoding: '' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Thêm mới: 2');
    expect(res.body).toContain('Bị từ chối: 1');
    expect(res.body).toContain('Thiếu nhan đề (trường 245 $a).');

    const citizen = new Browser(t.app);
    const results = await citizen.get('/catalogue?q=dia chi vinh long');
    expect(results.statusCode).toBe(200);
    expect(results.body).toContain('Địa chí Vĩnh Long');
    expect(results.body).toContain('Thư viện huyện Long Hồ');
    const all = await citizen.get('/catalogue?q=vinh long');
    expect(all.body).toContain('Tìm thấy 2 biểu ghi');
    const narrowed = await citizen.get('/catalogue?q=vinh long&language=eng');
    expect(narrowed.body).toContain('Tìm thấy 1 biểu ghi');
    const api = await t.app.inject({ url: '/api/v1/catalogue/search?q=dia%20chi' });
    const found = api.json<{ total: number; items: Array<{ id: string; url: string }>; facets: { library: Array<{ label: string }> } }>();
    expect(found.total).toBe(1);
    expect(found.facets.library[0]?.label).toBe('Thư viện huyện Long Hồ');
    const id = found.items[0]?.id ?? '';
    const record = await citizen.get(`/catalogue/records/${id}`);
    expect(record.statusCode).toBe(200);
    expect(record.body).toContain('959.78 Đ');
    expect(record.body).toContain('Kho địa chí');
    expect(record.body).toContain('Có sẵn');
    expect((await citizen.get(`/catalogue/records/${id}/marc`)).body).toContain('Địa chí Vĩnh Long');
    expect((await citizen.get(`/catalogue/records/${id}/dc`)).body).toContain('dc:title');
    const json = await t.app.inject({ url: `/api/v1/catalogue/records/${id}` });
    expect(json.json<{ dublinCore: { title: string[] } }>().dublinCore.title).toEqual(['Địa chí Vĩnh Long']);
    const items = await t.app.inject({ url: `/api/v1/catalogue/records/${id}/items` });
    expect(items.json<Array<{ barcode: string }>>()[0]?.barcode).toBe('VL-1');
    expect((await t.app.inject({ url: `/api/v1/catalogue/records/${id}/marc.xml` })).body).toContain('<collection');
  });

  test('citizens cannot import; bad input is a 4xx, never a 500', async () => {
    const citizen = new Browser(t.app);
    await citizen.get('/catalogue');
    expect((await citizen.get('/catalogue/import')).statusCode).toBe(401);
    expect((await citizen.get('/catalogue/records/not-an-id')).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/catalogue/search?page=0' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/catalogue/search?q=%22%27%5C%3A%26%7C!' })).statusCode).toBe(200);
    const outsider = await signedIn(t.app, db, (await makeActor(db, [{ role: 'staff', institution: await makeInstitution(db) }])).userId);
    const other = await makeInstitution(db);
    const res = await upload(
      outsider,
      '/catalogue/import',
      { name: 'x.mrc', bytes: writeIso2709([testRecord({ title: 'Thử' })]) },
      { library: other.code },
    );
    expect(res.statusCode).toBe(403);
    const empty = await upload(outsider, '/catalogue/import', { name: 'x.mrc', bytes: new Uint8Array(0) }, { library: other.code });
    expect(empty.statusCode).toBe(422);
  });

  test('staff add, edit and withdraw a copy', async () => {
    const lib = await makeInstitution(db);
    const actor = await makeActor(db, [{ role: 'staff', institution: lib }]);
    const staff = await signedIn(t.app, db, actor.userId);
    await upload(
      staff,
      '/catalogue/import',
      { name: 'a.mrc', bytes: writeIso2709([testRecord({ title: 'Quê nội', author: 'Võ, Quảng', year: 1974 })]) },
      { library: lib.code },
    );
    const id = (await t.app.inject({ url: '/api/v1/catalogue/search?q=que noi' })).json<{ items: Array<{ id: string }> }>().items[0]?.id ?? '';
    expect((await staff.get(`/catalogue/records/${id}/items/new`)).statusCode).toBe(200);
    const bad = await staff.post(`/catalogue/records/${id}/items/new`, { institutionId: lib.id, barcode: 'có dấu' });
    expect(bad.statusCode).toBe(422);
    const ok = await staff.post(`/catalogue/records/${id}/items/new`, { institutionId: lib.id, barcode: 'QN-1', callNumber: '895.9223 V' });
    expect(ok.statusCode).toBe(303);
    const itemId = (await t.app.inject({ url: `/api/v1/catalogue/records/${id}/items` })).json<Array<{ id: string }>>()[0]?.id ?? '';
    expect((await staff.post(`/catalogue/items/${itemId}/edit`, { barcode: 'QN-1', location: 'Kho thiếu nhi', status: 'on_loan' })).statusCode).toBe(
      303,
    );
    expect((await staff.get(`/catalogue/records/${id}`)).body).toContain('Đang cho mượn');
    expect((await staff.post(`/catalogue/items/${itemId}/withdraw`, {})).statusCode).toBe(303);
    expect((await t.app.inject({ url: `/api/v1/catalogue/records/${id}/items` })).json<unknown[]>()).toEqual([]);
  });

  test('the API is in OpenAPI under the catalogue tag', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
    expect(doc.paths['/api/v1/catalogue/search']?.get?.tags).toEqual(['catalogue']);
    expect(doc.paths['/api/v1/catalogue/records/{id}']?.get?.tags).toEqual(['catalogue']);
  });
});

describe('cataloguing pages', () => {
  test('the simple form and the MARC editor create and edit records; labels print as Code 128', async () => {
    const lib = await makeInstitution(db);
    const actor = await makeActor(db, [{ role: 'staff', institution: lib }]);
    const staff = await signedIn(t.app, db, actor.userId);
    expect((await staff.get('/catalogue/records/new')).statusCode).toBe(200);
    const bad = await staff.post('/catalogue/records/new', { institutionId: lib.id, title: '', isbn: '123' });
    expect(bad.statusCode).toBe(422);
    const created = await staff.post('/catalogue/records/new', {
      institutionId: lib.id,
      title: 'Gió lạnh đầu mùa',
      author: 'Thạch, Lam',
      year: '1937',
      subjects: 'Truyện ngắn',
    });
    expect(created.statusCode).toBe(303);
    const url = created.headers.location?.split('?')[0] ?? '';
    expect((await staff.get(url)).body).toContain('Gió lạnh đầu mùa');
    const form = await staff.get(`${url}/edit`);
    expect(form.statusCode).toBe(200);
    const rows: Record<string, string> = { institutionId: lib.id, leader: '00000nam a2200000 i 4500', rows: '3' };
    rows['tag.0'] = '008';
    rows['data.0'] = '260101s1937    vm            000 0 vie d';
    rows['tag.1'] = '245';
    rows['ind1.1'] = '1';
    rows['ind2.1'] = '0';
    rows['data.1'] = '$aGió lạnh đầu mùa (tái bản)';
    rows['tag.2'] = '100';
    rows['ind1.2'] = '1';
    rows['data.2'] = 'Thạch Lam';
    const invalid = await staff.post(`${url}/edit`, rows);
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('Dòng 3');
    rows['data.2'] = '$aThạch, Lam';
    expect((await staff.post(`${url}/edit`, rows)).statusCode).toBe(303);
    expect((await staff.get(url)).body).toContain('Gió lạnh đầu mùa (tái bản)');
    const id = url.split('/').pop() ?? '';
    await staff.post(`/catalogue/records/${id}/items/new`, { institutionId: lib.id, barcode: 'GL-0001' });
    const labels = await staff.get(`/catalogue/records/${id}/labels`);
    expect(labels.statusCode).toBe(200);
    expect(labels.body).toContain('<svg');
    expect(labels.body).toContain('GL-0001');
  });
});
