import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../platform/db/index.js';
import { ForbiddenError, ValidationError } from '../platform/errors.js';
import { auditLog } from '../platform/schema.js';
import { createTestApp, type Browser, type TestApp } from '../testing/app.js';
import { storageFor, sweepFiles, type FileStore } from '../platform/storage/index.js';
import { adoptLegacyImages, imageKind, maxImageBytes, saveProgrammeImage } from './routes/images.js';
import { programmes } from './schema.js';
import { makeProgramme, makeStaff, signedIn } from './testing.js';

let t: TestApp;
let db: Db;
let dataDir: string;
let store: FileStore;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'suotdoi-images-'));
  t = await createTestApp({ DATA_DIR: dataDir });
  db = t.database.db;
  store = storageFor(t.app.deps.config);
});
afterAll(async () => {
  await t.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(64, 1)]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), Buffer.alloc(64, 3)]);

async function upload(b: Browser, url: string, fileName: string, content: Buffer, csrf = b.csrf) {
  return b.upload(url, { field: 'image', name: fileName, bytes: content, type: 'image/png' }, {}, { csrf });
}

describe('programme images', () => {
  it('recognises JPEG, PNG and WebP by their first bytes, not their names', async () => {
    expect(await imageKind(jpeg)).toBe('jpg');
    expect(await imageKind(png)).toBe('png');
    expect(await imageKind(webp)).toBe('webp');
    expect(await imageKind(Buffer.from('GIF89a......'))).toBeNull();
    expect(await imageKind(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(await imageKind(Buffer.alloc(0))).toBeNull();
  });

  it('stores an image by its content hash, sets it on the programme and audits; staff of the programme only', async () => {
    const { programme, staff } = await makeProgramme(db);
    const row = await saveProgrammeImage(db, staff, programme.id, webp, store);
    expect(row.imageUrl).toMatch(/^\/programmes\/images\/[0-9a-f]{64}\.webp$/);
    const stored = await store.get(path.basename(row.imageUrl ?? '', '.webp'));
    expect(stored?.equals(webp)).toBe(true);
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'programme.image'), eq(auditLog.entityId, programme.id)));
    expect(audits.length).toBe(1);
    await expect(saveProgrammeImage(db, (await makeStaff(db)).actor, programme.id, png, store)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses an empty file, a file over 2 MB and a file that is not an image whatever its name', async () => {
    const { programme, staff } = await makeProgramme(db);
    for (const bytes of [Buffer.alloc(0), Buffer.concat([png, Buffer.alloc(maxImageBytes)]), Buffer.from('<?php echo 1;')]) {
      await expect(saveProgrammeImage(db, staff, programme.id, bytes, store)).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('the upload page takes a multipart form with the CSRF token as its first field, never in its address, and serves the image with a long cache', async () => {
    const { programme, staff } = await makeProgramme(db);
    const browser = await signedIn(t.app, db, staff.userId);
    const form = await browser.get(`/programmes/${programme.id}/image`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('enctype="multipart/form-data"');
    expect(form.body).toMatch(new RegExp(`action="/programmes/${programme.id}/image"[^>]*><input type="hidden" name="_csrf"`));
    expect(form.body).not.toContain('?_csrf=');
    expect((await upload(browser, `/programmes/${programme.id}/image`, 'anh.png', Buffer.from('not an image'))).statusCode).toBe(422);
    expect(
      (await upload(browser, `/programmes/${programme.id}/image`, 'anh.jpg', Buffer.concat([jpeg, Buffer.alloc(maxImageBytes)]))).statusCode,
    ).toBe(422);
    expect((await upload(browser, `/programmes/${programme.id}/image`, 'anh.jpg', jpeg, 'wrong')).statusCode).toBe(403);
    const ok = await upload(browser, `/programmes/${programme.id}/image`, 'ảnh lớp học.png', jpeg);
    expect(ok.statusCode).toBe(303);
    const page = await browser.get(`/programmes/${programme.id}`);
    const src = /src="(\/programmes\/images\/[0-9a-f]{64}\.jpg)"/.exec(page.body)?.[1];
    expect(src).toBeDefined();
    const served = await t.app.inject({ url: src ?? '' });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['cache-control']).toContain('max-age=31536000');
    expect(served.rawPayload.equals(jpeg)).toBe(true);
    expect((await t.app.inject({ url: '/programmes/images/..%2F..%2Fsecret.jpg' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/programmes/images/${'0'.repeat(64)}.png` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: (src ?? '').replace('.jpg', '.png') })).statusCode).toBe(404);
  });

  it('outsiders cannot reach the upload page; the image URL field still works, also for an uploaded picture', async () => {
    const { programme, staff } = await makeProgramme(db);
    const outsider = await signedIn(t.app, db, (await makeStaff(db)).actor.userId);
    expect((await outsider.get(`/programmes/${programme.id}/image`)).statusCode).toBe(403);
    expect((await upload(outsider, `/programmes/${programme.id}/image`, 'a.png', png)).statusCode).toBe(403);
    const browser = await signedIn(t.app, db, staff.userId);
    const row = await saveProgrammeImage(db, staff, programme.id, png, store);
    const edit = await browser.get(`/programmes/${programme.id}/edit`);
    expect(edit.body).toContain(row.imageUrl ?? 'missing');
    const body = {
      kind: 'class',
      title: programme.title,
      institutionId: programme.institutionId,
      startDate: '2030-01-07',
      startTime: '09:00',
      endTime: '10:30',
      capacity: 20,
    };
    const put = (imageUrl: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/programmes/${programme.id}`,
        payload: { ...body, imageUrl },
        headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': browser.csrf, accept: 'application/json' },
      });
    expect((await put(row.imageUrl ?? '')).statusCode).toBe(200);
    expect((await put('https://example.org/anh.jpg')).statusCode).toBe(200);
    expect((await put('//example.org/anh.jpg')).statusCode).toBe(400);
    expect((await put('javascript:alert(1)')).statusCode).toBe(400);
  });

  it('lets a replaced image go, serves only what a programme shows, and moves images kept before the storage into it', async () => {
    const { programme, staff } = await makeProgramme(db);
    const first = await saveProgrammeImage(db, staff, programme.id, Buffer.concat([png, Buffer.from('lần một')]), store);
    const firstHash = path.basename(first.imageUrl ?? '', '.png');
    await saveProgrammeImage(db, staff, programme.id, Buffer.concat([png, Buffer.from('lần hai')]), store);
    await sweepFiles(db, store);
    expect(await store.exists(firstHash)).toBe(false);
    expect((await t.app.inject({ url: first.imageUrl ?? '' })).statusCode).toBe(404);

    const { hash: unshown } = await store.put(Buffer.concat([png, Buffer.from('tệp của ai khác')]));
    expect((await t.app.inject({ url: `/programmes/images/${unshown}.png` })).statusCode).toBe(404);

    const legacy = path.join(dataDir, 'uploads', 'programmes');
    await fs.mkdir(legacy, { recursive: true });
    await fs.writeFile(path.join(legacy, 'abcdef0123456789abcdef0123456789.webp'), webp);
    const { programme: old } = await makeProgramme(db);
    await db.update(programmes).set({ imageUrl: '/programmes/images/abcdef0123456789abcdef0123456789.webp' }).where(eq(programmes.id, old.id));
    expect(await adoptLegacyImages(db, store, dataDir)).toBe(1);
    expect(await adoptLegacyImages(db, store, dataDir)).toBe(0);
    const [moved] = await db.select().from(programmes).where(eq(programmes.id, old.id));
    expect(moved?.imageUrl).toMatch(/^\/programmes\/images\/[0-9a-f]{64}\.webp$/);
    expect((await t.app.inject({ url: moved?.imageUrl ?? '' })).rawPayload.equals(webp)).toBe(true);
    expect(await fs.readdir(legacy)).toEqual([]);
  });
});
