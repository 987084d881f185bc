import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeActor, makeInstitution, makeUnit } from '../orgs/testing.js';
import type { Db } from '../platform/db/index.js';
import { Browser, createTestApp, type TestApp } from '../testing/app.js';
import { exportMarc } from './export.js';
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

/** A library with a librarian and the records of a small MARC file imported. */
async function stocked(titles: string[]) {
  const lib = await makeInstitution(db, { name: 'Thư viện huyện Mang Thít' });
  const staff = await signedIn(t.app, db, (await makeActor(db, [{ role: 'staff', institution: lib }])).userId);
  const bytes = writeIso2709(titles.map((title, i) => testRecord({ title, author: 'Nguyễn, Văn A', copies: [{ barcode: `${lib.code}-${i}` }] })));
  expect((await upload(staff, '/catalogue/import', { name: 'a.mrc', bytes }, { library: lib.code })).statusCode).toBe(200);
  return { lib, staff };
}

const records = (bytes: Buffer) => bytes.filter((b) => b === 0x1d).length;

describe('exporting the catalogue', () => {
  test('the export page is linked from cataloguing and lists the libraries the librarian works for', async () => {
    const { lib, staff } = await stocked(['Cá bống mú', 'Chim sáo']);
    expect((await staff.get('/catalogue/import')).body).toContain('href="/catalogue/export"');
    const page = await staff.get('/catalogue/export');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`${lib.name} (${lib.code}) — 2 biểu ghi`);
    expect(page.body).toMatch(/<option value="\*" selected>Cả mục lục liên hợp \([0-9.]+ biểu ghi\)<\/option>/);
    expect(page.body).toContain('action="/catalogue/export/file"');
  });

  test("a library's records download as ISO 2709 and MARCXML, streamed as a file", async () => {
    const { lib, staff } = await stocked(['Đất rừng phương Nam', 'Đoàn binh Tây tiến', 'Hòn đất']);
    await stocked(['Sách của thư viện khác']);
    const iso = await staff.get(`/catalogue/export/file?library=${lib.code}&format=iso2709`);
    expect(iso.statusCode).toBe(200);
    expect(iso.headers['content-type']).toBe('application/marc');
    expect(iso.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="${lib.code.toLowerCase()}-\\d{4}-\\d{2}-\\d{2}\\.mrc"$`));
    expect(records(iso.rawPayload)).toBe(3);
    expect(iso.rawPayload.toString('utf8')).toContain('Đất rừng phương Nam');
    expect(iso.rawPayload.toString('utf8')).not.toContain('Sách của thư viện khác');

    const xml = await staff.get(`/api/v1/catalogue/export?library=${lib.code}&format=marcxml`);
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toBe('application/marcxml+xml; charset=utf-8');
    expect(xml.body.match(/<record>/g)).toHaveLength(3);
    expect(xml.body).toMatch(/<\/collection>\s*$/);

    const all = await staff.get('/catalogue/export/file?library=*&format=iso2709');
    expect(all.statusCode).toBe(200);
    expect(all.rawPayload.toString('utf8')).toContain('Sách của thư viện khác');
    const union = await staff.get('/api/v1/catalogue/export?format=marcxml');
    expect(union.statusCode).toBe(200);
    expect(union.body).toContain('Sách của thư viện khác');
    expect(union.headers['content-disposition']).toMatch(/filename="muc-luc-lien-hop-/);
  });

  test('staff of another library, citizens and anonymous visitors are refused; bad input is named', async () => {
    const { lib } = await stocked(['Tuổi thơ dữ dội']);
    const { staff: outsider } = await stocked(['Khác']);
    expect((await outsider.get(`/catalogue/export/file?library=${lib.code}&format=iso2709`)).statusCode).toBe(403);
    expect((await outsider.get(`/api/v1/catalogue/export?library=${lib.code}&format=iso2709`)).statusCode).toBe(403);
    const officer = await signedIn(t.app, db, (await makeActor(db, [{ role: 'unit_officer', unit: await makeUnit(db) }])).userId);
    expect((await officer.get('/catalogue/export')).statusCode).toBe(403);
    expect((await officer.get('/api/v1/catalogue/export?format=iso2709')).statusCode).toBe(403);
    const citizen = await signedIn(t.app, db, (await makeActor(db)).userId);
    expect((await citizen.get('/catalogue/export')).statusCode).toBe(403);
    expect((await new Browser(t.app).get('/catalogue/export')).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/catalogue/export?format=iso2709' })).statusCode).toBe(401);

    const unknown = await outsider.get('/catalogue/export/file?library=KHONG-CO&format=iso2709');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('Không có thư viện mã KHONG-CO.');
    expect(unknown.body).toContain('class="error-summary"');
    const badFormat = await outsider.get('/catalogue/export/file?format=pdf');
    expect(badFormat.statusCode).toBe(422);
    expect(badFormat.body).toContain('href="#f-format"');
    const api = await outsider.get('/api/v1/catalogue/export?format=pdf', { accept: 'application/json' });
    expect(api.statusCode).toBe(400);
    expect(api.json<{ error: { issues: Array<{ field: string }> } }>().error.issues.map((i) => i.field)).toEqual(['querystring.format']);
    const apiUnknown = await outsider.get('/api/v1/catalogue/export?library=KHONG-CO&format=marcxml');
    expect(apiUnknown.statusCode).toBe(422);
    expect(apiUnknown.json<{ error: { issues: Array<{ field: string }> } }>().error.issues.map((i) => i.field)).toEqual(['library']);
  });
});

describe('a download the client gives up on', () => {
  test('stops the export instead of waiting for ever', async () => {
    const { lib } = await stocked(['Mảnh đất lắm người nhiều ma', 'Thời xa vắng']);
    const stuck = new Writable({ highWaterMark: 1, write: () => undefined });
    const gone = new AbortController();
    const running = exportMarc(db, { libraryCode: lib.code, format: 'iso2709', out: stuck, signal: gone.signal });
    await new Promise((r) => setTimeout(r, 50));
    gone.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('record page and import page', () => {
  test('the record page cites the record in APA and Vancouver styles', async () => {
    const { staff } = await stocked(['Nhật ký Đặng Thùy Trâm']);
    const id =
      (await t.app.inject({ url: '/api/v1/catalogue/search?q=nhat ky dang thuy tram' })).json<{ items: Array<{ id: string }> }>().items[0]?.id ?? '';
    const page = await staff.get(`/catalogue/records/${id}`);
    expect(page.body).toContain('Kiểu APA (ấn bản 7)');
    expect(page.body).toContain('Kiểu Vancouver');
    expect(page.body).toContain('Nguyễn VA. Nhật ký Đặng Thùy Trâm. Hà Nội: Nxb. Trẻ; 2020.');
  });

  test('the import form carries a progress bar for the upload script, and works without it', async () => {
    const { staff } = await stocked(['Bỉ vỏ']);
    const form = await staff.get('/catalogue/import');
    expect(form.body).toContain('data-upload-progress="upload-progress"');
    expect(form.body).toMatch(/<div class="upload-progress" id="upload-progress" hidden[^>]*>/);
    expect(form.body).toContain('data-uploaded="Đã tải lên {percent}%"');
    expect(form.body).toContain('<script src="/assets/upload-progress.js" defer></script>');
    const script = await t.app.inject({ url: '/assets/upload-progress.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['content-security-policy'] ?? '').not.toContain('unsafe-inline');
  });
});
