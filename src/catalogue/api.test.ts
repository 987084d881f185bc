import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeActor, makeInstitution } from '../orgs/testing.js';
import { createApiToken } from '../platform/auth/service.js';
import type { Db } from '../platform/db/index.js';
import { Browser, createTestApp, type TestApp } from '../testing/app.js';
import { marcJsonOf } from './editor.js';
import { signedIn, testRecord } from './testing.js';

let t: TestApp;
let db: Db;
beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
}, 60_000);
afterAll(async () => {
  await t.close();
});

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface ErrorBody {
  error: { code: string; message: string; issues: Array<{ field: string; code: string; message: string }> };
}

/** A JSON call as a signed-in browser (session cookie and CSRF header) or as a machine with a bearer token. */
async function call(who: Browser | string | null, method: Method, url: string, payload?: unknown) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (typeof who === 'string') headers.authorization = `Bearer ${who}`;
  else if (who) {
    headers.cookie = [...who.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    headers['x-csrf-token'] = who.csrf;
  }
  return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
}

const fieldsOf = (body: string) => (JSON.parse(body) as ErrorBody).error.issues.map((i) => `${i.field} ${i.code}`);

async function library() {
  const lib = await makeInstitution(db);
  const staff = await signedIn(t.app, db, (await makeActor(db, [{ role: 'staff', institution: lib }])).userId);
  return { lib, staff };
}

describe('JSON write API: records', () => {
  test('create from MARC-in-JSON or the quick form, read back as MARC-in-JSON, replace, delete', async () => {
    const { lib, staff } = await library();
    const marc = marcJsonOf(testRecord({ title: 'Truyện Kiều', author: 'Nguyễn, Du', year: 1820 }));
    const created = await call(staff, 'POST', '/api/v1/catalogue/records', { institutionId: lib.id, marc });
    expect(created.statusCode).toBe(201);
    const record = created.json<{ id: string; title: string; authors: string[] }>();
    expect(record).toMatchObject({ title: 'Truyện Kiều', authors: ['Nguyễn, Du'] });
    const back = await call(null, 'GET', `/api/v1/catalogue/records/${record.id}/marc.json`);
    expect(back.json<{ fields: Array<Record<string, unknown>> }>().fields).toContainEqual({
      '245': { ind1: '1', ind2: '0', subfields: [{ a: 'Truyện Kiều' }] },
    });

    const simple = await call(staff, 'POST', '/api/v1/catalogue/records', {
      institutionId: lib.id,
      simple: { title: 'Số đỏ', author: 'Vũ, Trọng Phụng', year: 1936, subjects: 'Tiểu thuyết' },
    });
    expect(simple.statusCode).toBe(201);
    expect(simple.json<{ subjects: string[]; year: number }>()).toMatchObject({ subjects: ['Tiểu thuyết'], year: 1936 });

    const replaced = await call(staff, 'PUT', `/api/v1/catalogue/records/${record.id}`, {
      institutionId: lib.id,
      simple: { title: 'Truyện Kiều (tái bản)', year: 2015 },
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json<{ title: string }>().title).toBe('Truyện Kiều (tái bản)');

    expect((await call(staff, 'DELETE', `/api/v1/catalogue/records/${record.id}?institutionId=${lib.id}`)).statusCode).toBe(204);
    expect((await call(null, 'GET', `/api/v1/catalogue/records/${record.id}`)).statusCode).toBe(404);
  });

  test('bad input names the field: 400 for the wrong shape, 422 for broken cataloguing rules', async () => {
    const { lib, staff } = await library();
    const noLibrary = await call(staff, 'POST', '/api/v1/catalogue/records', { institutionId: 'thư viện', simple: { title: 'X' } });
    expect(noLibrary.statusCode).toBe(400);
    expect(fieldsOf(noLibrary.body)).toEqual(['institutionId errors.format.uuid']);
    const badYear = await call(staff, 'POST', '/api/v1/catalogue/records', { institutionId: lib.id, simple: { title: 'X', year: 99 } });
    expect(badYear.statusCode).toBe(400);
    expect(fieldsOf(badYear.body)).toContain('simple.year errors.minimum');
    const unknown = await call(staff, 'POST', '/api/v1/catalogue/records', { institutionId: lib.id, simple: { title: 'X', tittle: 'Y' } });
    expect(unknown.statusCode).toBe(400);
    expect(fieldsOf(unknown.body)).toContain('simple.tittle errors.unknownField');

    const neither = await call(staff, 'POST', '/api/v1/catalogue/records', { institutionId: lib.id });
    expect(neither.statusCode).toBe(422);
    expect(fieldsOf(neither.body)).toEqual(['marc catalogue.api.marcOrSimple']);
    const both = await call(staff, 'POST', '/api/v1/catalogue/records', {
      institutionId: lib.id,
      simple: { title: 'X' },
      marc: marcJsonOf(testRecord({ title: 'Y' })),
    });
    expect(both.statusCode).toBe(422);
    const badIsbn = await call(staff, 'POST', '/api/v1/catalogue/records', {
      institutionId: lib.id,
      simple: { title: 'X', isbn: '978-604-0-00000-1' },
    });
    expect(fieldsOf(badIsbn.body)).toEqual(['simple.isbn catalogue.editor.badIsbn']);

    const noTitle = await call(staff, 'POST', '/api/v1/catalogue/records', {
      institutionId: lib.id,
      marc: {
        leader: '00000nam a2200000 i 4500',
        fields: [{ '008': '260101s2020    vm            000 0 vie d' }, { '100': { ind1: 'X', ind2: ' ', subfields: [{ a: 'Ai' }] } }],
      },
    });
    expect(noTitle.statusCode).toBe(422);
    const body = JSON.parse(noTitle.body) as ErrorBody;
    expect(body.error.issues.map((i) => `${i.field} ${i.code}`)).toEqual([
      'marc.fields.1.ind1 catalogue.editor.badIndicator',
      'marc.fields catalogue.editor.need245',
    ]);
    expect(body.error.issues[1]?.message).toBe('Thiếu nhan đề: trường 245 $a là bắt buộc.');
    const twoTags = await call(staff, 'POST', '/api/v1/catalogue/records', {
      institutionId: lib.id,
      marc: { leader: '00000nam a2200000 i 4500', fields: [{ '008': 'x', '245': 'y' }] },
    });
    expect(twoTags.statusCode).toBe(400);
    expect(fieldsOf(twoTags.body)[0]).toMatch(/^marc\.fields\.0/);
    const badTag = await call(staff, 'POST', '/api/v1/catalogue/records', {
      institutionId: lib.id,
      marc: {
        leader: '00000nam a2200000 i 4500',
        fields: [{ '008': '260101s2020    vm            000 0 vie d' }, { '245': { ind1: '0', ind2: '0', subfields: [{ a: 'X' }] } }, { '24': 'x' }],
      },
    });
    expect(badTag.statusCode).toBe(422);
    expect(fieldsOf(badTag.body)).toEqual(['marc.fields.2 catalogue.editor.badTag']);
    const malformed = await call(staff, 'PUT', '/api/v1/catalogue/records/not-a-record', { institutionId: lib.id, simple: { title: 'X' } });
    expect(malformed.statusCode).toBe(400);
    expect(fieldsOf(malformed.body)).toEqual(['params.id errors.format.uuid']);
  });

  test('staff of another library, citizens and read-only tokens are refused; a record with copies is not deleted, and says why', async () => {
    const { lib, staff } = await library();
    const other = await library();
    const citizen = await signedIn(t.app, db, (await makeActor(db)).userId);
    const input = { institutionId: lib.id, simple: { title: 'Nhật ký trong tù' } };
    const anonymous = new Browser(t.app);
    await anonymous.get('/login');
    expect((await call(anonymous, 'POST', '/api/v1/catalogue/records', input)).statusCode).toBe(401);
    // Whether the record exists or not, an anonymous write is told the same.
    expect((await call(anonymous, 'DELETE', `/api/v1/catalogue/records/${randomUUID()}?institutionId=${lib.id}`)).statusCode).toBe(401);
    expect((await call(anonymous, 'POST', `/api/v1/catalogue/items/${randomUUID()}/withdraw`, {})).statusCode).toBe(401);
    // Without a cookie or a CSRF token, still nobody: 401 before the CSRF check.
    expect((await call(null, 'POST', '/api/v1/catalogue/records', input)).statusCode).toBe(401);
    expect((await call(citizen, 'POST', '/api/v1/catalogue/records', input)).statusCode).toBe(403);
    expect((await call(other.staff, 'POST', '/api/v1/catalogue/records', input)).statusCode).toBe(403);

    const id = (await call(staff, 'POST', '/api/v1/catalogue/records', input)).json<{ id: string }>().id;
    expect((await call(staff, 'POST', `/api/v1/catalogue/records/${id}/items`, { institutionId: lib.id, barcode: 'NK-1' })).statusCode).toBe(201);
    const notHolder = await call(other.staff, 'PUT', `/api/v1/catalogue/records/${id}`, { institutionId: other.lib.id, simple: { title: 'Đổi' } });
    expect(notHolder.statusCode).toBe(409);
    expect(fieldsOf(notHolder.body)).toEqual(['institution catalogue.record.notHolder']);
    expect((await call(other.staff, 'PUT', `/api/v1/catalogue/records/${id}`, { institutionId: lib.id, simple: { title: 'Đổi' } })).statusCode).toBe(
      403,
    );
    expect((await call(other.staff, 'DELETE', `/api/v1/catalogue/records/${id}?institutionId=${lib.id}`)).statusCode).toBe(403);

    const held = await call(staff, 'DELETE', `/api/v1/catalogue/records/${id}?institutionId=${lib.id}`);
    expect(held.statusCode).toBe(409);
    expect((JSON.parse(held.body) as ErrorBody).error).toMatchObject({
      message: 'Không xóa được biểu ghi',
      issues: [
        {
          field: 'id',
          code: 'catalogue.record.hasItems',
          message: 'Còn 1 bản sách gắn với biểu ghi này (kể cả bản đã thanh lọc, được giữ lại để thống kê), nên không xóa được.',
        },
      ],
    });
    expect((await call(staff, 'DELETE', `/api/v1/catalogue/records/${id}`)).statusCode).toBe(400);

    const manager = await makeActor(db, [{ role: 'manager', institution: lib }]);
    const readOnly = (await createApiToken(db, manager, { name: 'đọc', scopes: ['read'] })).token;
    const writer = (await createApiToken(db, manager, { name: 'ghi', scopes: ['catalogue:write'] })).token;
    expect((await call(readOnly, 'POST', '/api/v1/catalogue/records', input)).statusCode).toBe(403);
    expect((await call(writer, 'POST', '/api/v1/catalogue/records', input)).statusCode).toBe(201);
    expect((await call(writer, 'POST', '/api/v1/catalogue/records', { ...input, institutionId: other.lib.id })).statusCode).toBe(403);
  });
});

describe('JSON write API: copies', () => {
  test('add, edit and withdraw a copy; barcodes stay unique; another library cannot touch it', async () => {
    const { lib, staff } = await library();
    const other = await library();
    const id = (await call(staff, 'POST', '/api/v1/catalogue/records', { institutionId: lib.id, simple: { title: 'Dế mèn phiêu lưu ký' } })).json<{
      id: string;
    }>().id;
    const bad = await call(staff, 'POST', `/api/v1/catalogue/records/${id}/items`, { institutionId: lib.id, barcode: 'có dấu', price: -1 });
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(expect.arrayContaining(['barcode errors.pattern', 'price errors.minimum']));
    expect((await call(other.staff, 'POST', `/api/v1/catalogue/records/${id}/items`, { institutionId: lib.id, barcode: 'DM-1' })).statusCode).toBe(
      403,
    );

    const added = await call(staff, 'POST', `/api/v1/catalogue/records/${id}/items`, {
      institutionId: lib.id,
      barcode: 'dm-1',
      callNumber: '895.9223 T',
      price: 45000,
    });
    expect(added.statusCode).toBe(201);
    const item = added.json<{ id: string; barcode: string; library: { name: string } }>();
    expect(item).toMatchObject({ barcode: 'DM-1', library: { name: lib.name } });
    const taken = await call(other.staff, 'POST', `/api/v1/catalogue/records/${id}/items`, { institutionId: other.lib.id, barcode: 'DM-1' });
    expect(taken.statusCode).toBe(409);
    expect(fieldsOf(taken.body)).toEqual(['barcode catalogue.item.barcodeTaken']);

    expect((await call(other.staff, 'PUT', `/api/v1/catalogue/items/${item.id}`, { barcode: 'DM-1', status: 'lost' })).statusCode).toBe(403);
    const edited = await call(staff, 'PUT', `/api/v1/catalogue/items/${item.id}`, { barcode: 'DM-1', location: 'Kho thiếu nhi', status: 'on_loan' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<{ status: string; location: string }>()).toMatchObject({ status: 'on_loan', location: 'Kho thiếu nhi' });
    expect(fieldsOf((await call(staff, 'PUT', `/api/v1/catalogue/items/${item.id}`, { barcode: 'DM-1', status: 'missing' })).body)).toEqual([
      'status errors.choice',
    ]);

    expect((await call(other.staff, 'POST', `/api/v1/catalogue/items/${item.id}/withdraw`, {})).statusCode).toBe(403);
    const withdrawn = await call(staff, 'POST', `/api/v1/catalogue/items/${item.id}/withdraw`, { note: 'Rách' });
    expect(withdrawn.json<{ status: string }>().status).toBe('withdrawn');
    expect((await call(null, 'GET', `/api/v1/catalogue/items/${item.id}`)).json<{ status: string }>().status).toBe('withdrawn');
    expect((await call(null, 'GET', `/api/v1/catalogue/records/${id}/items`)).json<unknown[]>()).toEqual([]);
    expect((await call(staff, 'DELETE', `/api/v1/catalogue/records/${id}?institutionId=${lib.id}`)).statusCode).toBe(409);
    expect((await call(staff, 'PUT', '/api/v1/catalogue/items/00000000-0000-4000-8000-000000000000', { barcode: 'X' })).statusCode).toBe(404);
  });

  test('the write API is in OpenAPI, with bearer and session security', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { tags?: string[]; security?: unknown[] }>>;
    }>();
    for (const [path, method] of [
      ['/api/v1/catalogue/records', 'post'],
      ['/api/v1/catalogue/records/{id}', 'put'],
      ['/api/v1/catalogue/records/{id}', 'delete'],
      ['/api/v1/catalogue/records/{id}/items', 'post'],
      ['/api/v1/catalogue/items/{id}', 'put'],
      ['/api/v1/catalogue/items/{id}/withdraw', 'post'],
      ['/api/v1/catalogue/export', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['catalogue']);
      expect(doc.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([{ bearer: [] }, { session: [] }]);
    }
  });
});

describe('the audit log', () => {
  test('shows catalogue writes with localised verbs and item types', async () => {
    const { lib, staff } = await library();
    const id = (await call(staff, 'POST', '/api/v1/catalogue/records', { institutionId: lib.id, simple: { title: 'Vang bóng một thời' } })).json<{
      id: string;
    }>().id;
    await call(staff, 'DELETE', `/api/v1/catalogue/records/${id}?institutionId=${lib.id}`);
    const manager = await signedIn(t.app, db, (await makeActor(db, [{ role: 'manager', institution: lib }])).userId);
    const page = await manager.get(`/audit?entityId=${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong>Xóa</strong> · Biểu ghi thư mục:');
    expect(page.body).toContain('<strong>Tạo mới</strong> · Biểu ghi thư mục:');
  });
});
