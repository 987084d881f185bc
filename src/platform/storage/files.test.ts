import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/index.js';
import { createTestDatabase } from '../testing/db.js';
import { referencedFiles, releaseFile, storeFile, sweepFiles } from './files.js';
import { LocalStore } from './local.js';
import { storedFiles } from './schema.js';

let database: Database;
let dir: string;
let store: LocalStore;
beforeAll(async () => {
  database = await createTestDatabase();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'suotdoi-files-'));
  store = new LocalStore(dir);
});
afterAll(async () => {
  await database.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const refs = async (hash: string) => (await database.db.select().from(storedFiles).where(eq(storedFiles.hash, hash)))[0]?.refs;

describe('counted references to stored files', () => {
  it('keeps a file two rows share until both let go, then the sweep removes it', async () => {
    const db = database.db;
    const bytes = Buffer.from('cùng một tệp, hai minh chứng');
    const a = await db.transaction((tx) => storeFile(tx, store, bytes));
    const b = await db.transaction((tx) => storeFile(tx, store, Readable.from([bytes])));
    expect(b).toEqual(a);
    expect(await refs(a.hash)).toBe(2);

    await db.transaction((tx) => releaseFile(tx, a.hash));
    expect(await sweepFiles(db, store)).toBe(0);
    expect(await store.exists(a.hash)).toBe(true);

    await db.transaction((tx) => releaseFile(tx, a.hash));
    expect(await refs(a.hash)).toBe(0);
    expect((await referencedFiles(db)).map((f) => f.hash)).not.toContain(a.hash);
    expect(await sweepFiles(db, store)).toBe(1);
    expect(await store.exists(a.hash)).toBe(false);
    expect(await refs(a.hash)).toBeUndefined();
  });

  it('counts nothing when the transaction that stored the file rolls back', async () => {
    const db = database.db;
    const bytes = Buffer.from('tệp của một giao dịch bị huỷ');
    await expect(
      db.transaction(async (tx) => {
        await storeFile(tx, store, bytes);
        throw new Error('the row could not be written');
      }),
    ).rejects.toThrow('the row could not be written');
    expect((await referencedFiles(db)).map((f) => f.size)).not.toContain(bytes.length);
  });

  it('lists the referenced files in hash order, a page at a time', async () => {
    const db = database.db;
    for (const n of [1, 2, 3]) await db.transaction((tx) => storeFile(tx, store, Buffer.from(`trang ${n}`)));
    const all = await referencedFiles(db);
    expect(all.map((f) => f.hash)).toEqual([...all.map((f) => f.hash)].sort());
    const [first] = await referencedFiles(db, '', 1);
    expect(await referencedFiles(db, first?.hash ?? '', 10)).toEqual(all.slice(1));
  });
});
