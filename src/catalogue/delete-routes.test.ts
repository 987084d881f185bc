import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeActor, makeInstitution } from '../orgs/testing.js';
import type { Db } from '../platform/db/index.js';
import { Browser, createTestApp, type TestApp } from '../testing/app.js';
import { addItem, createRecord, withdrawItem } from './service.js';
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

/** A library, one of its librarians signed in, and a record without copies. */
async function setting(title: string) {
  const lib = await makeInstitution(db, { name: `Thư viện xã ${title}` });
  const actor = await makeActor(db, [{ role: 'staff', institution: lib }]);
  const staff = await signedIn(t.app, db, actor.userId);
  const record = await createRecord(db, actor, lib.id, testRecord({ title, author: 'Nguyễn, Văn An', year: 2001 }));
  return { lib, actor, staff, record, url: `/catalogue/records/${record.id}` };
}

describe('deleting a record from the pages', () => {
  test('the record and edit pages link to a confirmation page, which names the record and asks for the library', async () => {
    const { lib, staff, url } = await setting('Cây lúa Vĩnh Long');
    expect((await staff.get(url)).body).toContain(`href="${url}/delete"`);
    expect((await staff.get(`${url}/edit`)).body).toContain(`href="${url}/delete"`);
    expect((await new Browser(t.app).get(url)).body).not.toContain(`${url}/delete`);

    const page = await staff.get(`${url}/delete`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Xóa biểu ghi: Cây lúa Vĩnh Long</h1>');
    expect(page.body).toContain('không hoàn tác được');
    expect(page.body).toContain(`<option value="${lib.id}">${lib.name}</option>`);
    expect(page.body).toContain(`action="${url}/delete"`);
    expect(page.body).toContain('name="_csrf"');
    expect((await staff.get(`${url}/delete?lang=en`)).body).toContain('<h1>Delete record: Cây lúa Vĩnh Long</h1>');
  });

  test('a librarian deletes a record without copies: redirected with a notice, and the record is gone', async () => {
    const { lib, staff, url } = await setting('Ca dao miền Tây');
    const done = await staff.post(`${url}/delete`, { institutionId: lib.id });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/catalogue?notice=deleted');
    expect((await staff.get('/catalogue?notice=deleted')).body).toContain('Đã xóa biểu ghi.');
    expect((await staff.get(url)).statusCode).toBe(404);
    expect((await staff.get(`${url}/delete`)).statusCode).toBe(404);
  });

  test('a record with copies, withdrawn ones too, is not deleted, and the page says how many and why', async () => {
    const { lib, actor, staff, record, url } = await setting('Đờn ca tài tử');
    await addItem(db, actor, record.id, { institutionId: lib.id, barcode: 'DC-1' });
    const withdrawn = await addItem(db, actor, record.id, { institutionId: lib.id, barcode: 'DC-2' });
    await withdrawItem(db, actor, withdrawn.id);

    const page = await staff.get(`${url}/delete`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Còn 2 bản sách gắn với biểu ghi này');
    expect(page.body).toContain('Trong số đó có 1 bản đã thanh lọc.');
    expect(page.body).not.toContain(`action="${url}/delete"`);

    const refused = await staff.post(`${url}/delete`, { institutionId: lib.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('href="#f-id"');
    expect(refused.body).toContain('id="f-id"');
    expect(refused.body).toContain('Còn 2 bản sách gắn với biểu ghi này (kể cả bản đã thanh lọc, được giữ lại để thống kê), nên không xóa được.');
    expect((await staff.get(url)).statusCode).toBe(200);
  });

  test('without the library the form is shown again naming the field', async () => {
    const { staff, url } = await setting('Hò Nam Bộ');
    const missing = await staff.post(`${url}/delete`, {});
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('<a href="#f-institutionId">Cần điền mục này</a>');
    expect(missing.body).toContain('id="f-institutionId-error"');
    const malformed = await staff.post(`${url}/delete`, { institutionId: 'thư viện' });
    expect(malformed.statusCode).toBe(422);
    expect(malformed.body).toContain('href="#f-institutionId"');
    expect((await staff.get(url)).statusCode).toBe(200);
  });

  test('learners, staff acting for another library and anonymous visitors are refused; unknown records are 404', async () => {
    const { lib, url } = await setting('Bánh dân gian');
    const learner = await signedIn(t.app, db, (await makeActor(db)).userId);
    expect((await learner.get(`${url}/delete`)).statusCode).toBe(403);
    expect((await learner.post(`${url}/delete`, { institutionId: lib.id })).statusCode).toBe(403);
    expect((await learner.post(`${url}/delete`, {})).statusCode).toBe(403);

    const otherLib = await makeInstitution(db);
    const other = await signedIn(t.app, db, (await makeActor(db, [{ role: 'staff', institution: otherLib }])).userId);
    expect((await other.post(`${url}/delete`, { institutionId: lib.id })).statusCode).toBe(403);

    const anonymous = new Browser(t.app);
    const asked = await anonymous.get(`${url}/delete`);
    expect(asked.statusCode).toBe(401);
    expect(asked.body).toContain(`/login?next=${encodeURIComponent(`${url}/delete`)}`);
    await anonymous.get('/login');
    const posted = await anonymous.post(`${url}/delete`, { institutionId: lib.id });
    expect([posted.statusCode, posted.headers.location]).toEqual([303, '/login']);
    expect((await anonymous.get(url)).statusCode).toBe(200);

    const staff = (await setting('Không liên quan')).staff;
    expect((await staff.get(`/catalogue/records/${randomUUID()}/delete`)).statusCode).toBe(404);
    expect((await staff.post(`/catalogue/records/${randomUUID()}/delete`, { institutionId: lib.id })).statusCode).toBe(404);
    expect((await staff.get('/catalogue/records/not-a-record/delete')).statusCode).toBe(400);
  });
});
