import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from './access.js';
import { recordAudit } from './audit/index.js';
import { createApiToken, createSession, registerUser, requestPasswordReset } from './auth/service.js';
import { backup, restore, RestoreError } from './backup.js';
import type { Database } from './db/index.js';
import { roleGrants } from './schema.js';
import { LocalStore, releaseFile, sha256, storeFile, type FileStore } from './storage/index.js';
import { createTestDatabase } from './testing/db.js';

let source: Database;
let target: Database;
let dir: string;
let sourceStore: FileStore;
let targetStore: FileStore;
/** Stored files of the source: a small one, one over several backup lines, and one nothing refers to any more. */
const files = [Buffer.from('Biên bản kiểm tra — tệp nhỏ'), Buffer.alloc(150 * 1024 + 7, 0xa5), Buffer.from('đã xoá')];

async function snapshot(database: Database): Promise<Record<string, string[]>> {
  const tables = await database.query<{ name: string }>(
    `select relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and relkind = 'r'`,
  );
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await database.query<{ r: string }>(`select row_to_json(t)::text as r from "${name}" t`);
    out[name] = rows.map((x) => x.r).sort();
  }
  return out;
}

beforeAll(async () => {
  [source, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suotdoi-backup-'));
  sourceStore = new LocalStore(path.join(dir, 'source-files'));
  targetStore = new LocalStore(path.join(dir, 'target-files'));
  const db = source.db;
  for (const bytes of files) await db.transaction((tx) => storeFile(tx, sourceStore, bytes));
  await db.transaction((tx) => releaseFile(tx, sha256(files[2] ?? Buffer.alloc(0))));
  const u = await registerUser(db, { displayName: 'Lê Thị Hoà "trích dẫn" \\ \n dòng mới', email: 'hoa@example.vn', password: 'mật khẩu dài lắm' });
  await db.insert(roleGrants).values({ userId: u.id, role: 'sysadmin' });
  await createSession(db, u.id, 14);
  await requestPasswordReset(db, 'hoa@example.vn', 'http://x', { subject: 's', body: (l) => l });
  const actor = { kind: 'user' as const, userId: u.id, grants: [{ role: 'sysadmin' as const, unitId: null, institutionId: null }], label: 'hoa' };
  await createApiToken(db, actor, { name: 'máy', scopes: ['read', 'orgs:write'] });
  for (let i = 0; i < 2500; i++) {
    await recordAudit(db, systemActor, {
      action: 'test',
      entityType: 'thing',
      entityId: String(i),
      before: { n: i },
      after: { n: i + 1, s: 'Đà Nẵng' },
    });
  }
});

afterAll(async () => {
  await Promise.all([source.close(), target.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('round-trip every row of every table and the stored files rows refer to', async () => {
    const file = path.join(dir, 'full.backup');
    const header = await backup(source, file, { store: sourceStore });
    expect(header.tables.find((t) => t.name === 'audit_log')?.rows).toBeGreaterThanOrEqual(2500);
    expect(header.files).toEqual({ count: 2, bytes: (files[0]?.length ?? 0) + (files[1]?.length ?? 0) });
    expect(header.missingFiles).toEqual([]);
    await restore(target, file, { store: targetStore });
    expect(await snapshot(target)).toEqual(await snapshot(source));
    for (const bytes of files.slice(0, 2)) expect((await targetStore.get(sha256(bytes)))?.equals(bytes)).toBe(true);
    expect(await targetStore.exists(sha256(files[2] ?? Buffer.alloc(0)))).toBe(false);
  });

  it('says which referenced files the store no longer has, and refuses a backup whose file bytes were damaged', async () => {
    const lost = Buffer.from('tệp bị mất khỏi kho');
    await source.db.transaction((tx) => storeFile(tx, sourceStore, lost));
    await sourceStore.delete(sha256(lost));
    const file = path.join(dir, 'lost.backup');
    expect((await backup(source, file, { store: sourceStore })).missingFiles).toEqual([sha256(lost)]);
    await source.db.transaction((tx) => releaseFile(tx, sha256(lost)));

    const before = await snapshot(target);
    const lines = zlib
      .gunzipSync(fs.readFileSync(path.join(dir, 'full.backup')))
      .toString()
      .split('\n');
    const at = lines.findIndex((l) => l.startsWith('{"storedFile":'));
    lines[at + 1] = Buffer.from('bytes that are not the file').toString('base64');
    const damaged = path.join(dir, 'damaged.backup');
    fs.writeFileSync(damaged, zlib.gzipSync(lines.join('\n')));
    await expect(restore(target, damaged, { store: targetStore, force: true })).rejects.toThrow(/is damaged/);
    expect(await snapshot(target)).toEqual(before);
  });

  it('keeps sequences going after a restore', async () => {
    await recordAudit(target.db, systemActor, { action: 'after-restore', entityType: 'thing' });
    const [row] = await target.query<{ max: number; n: number }>(`select max(id)::int as max, count(*)::int as n from audit_log`);
    expect(row?.max).toBe(row?.n);
  });

  it('refuses to overwrite a database that has data unless forced', async () => {
    const file = path.join(dir, 'again.backup');
    await backup(source, file, { store: sourceStore });
    await expect(restore(target, file, { store: targetStore })).rejects.toThrow(/not empty/);
    await restore(target, file, { store: targetStore, force: true });
    expect(await snapshot(target)).toEqual(await snapshot(source));
  });

  it('refuses a file that is not a backup, and keeps the data', async () => {
    const before = await snapshot(target);
    const junk = path.join(dir, 'junk.backup');
    fs.writeFileSync(junk, 'hello');
    await expect(restore(target, junk, { store: targetStore, force: true })).rejects.toBeInstanceOf(RestoreError);
    const other = path.join(dir, 'other.backup');
    fs.writeFileSync(other, zlib.gzipSync('{"format":"something-else"}\n'));
    await expect(restore(target, other, { store: targetStore, force: true })).rejects.toBeInstanceOf(RestoreError);
    expect(await snapshot(target)).toEqual(before);
  });

  it('leaves the old state in place when a backup breaks half-way', async () => {
    const before = await snapshot(target);
    const good = zlib
      .gunzipSync(fs.readFileSync(path.join(dir, 'full.backup')))
      .toString()
      .split('\n');
    const broken = [...good.slice(0, Math.floor(good.length / 2)), '{"id": "not a number", "oops": true'].join('\n');
    const file = path.join(dir, 'broken.backup');
    fs.writeFileSync(file, zlib.gzipSync(broken));
    await expect(restore(target, file, { store: targetStore, force: true })).rejects.toThrow();
    expect(await snapshot(target)).toEqual(before);
  });
});
