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
import { createTestDatabase } from './testing/db.js';

let source: Database;
let target: Database;
let dir: string;

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
  const db = source.db;
  const u = await registerUser(db, { displayName: 'Lê Thị Hoà "trích dẫn" \\ \n dòng mới', email: 'hoa@example.vn', password: 'mật khẩu dài lắm' });
  await db.insert(roleGrants).values({ userId: u.id, role: 'sysadmin' });
  await createSession(db, u.id, 14);
  await requestPasswordReset(db, 'hoa@example.vn', 'http://x', { subject: 's', body: (l) => l });
  const actor = { kind: 'user' as const, userId: u.id, grants: [{ role: 'sysadmin' as const, unitId: null, institutionId: null }], label: 'hoa' };
  await createApiToken(db, actor, { name: 'máy', scopes: ['read', 'orgs:write'] });
  for (let i = 0; i < 2500; i++) {
    await recordAudit(db, systemActor, { action: 'test', entityType: 'thing', entityId: String(i), before: { n: i }, after: { n: i + 1, s: 'Đà Nẵng' } });
  }
});

afterAll(async () => {
  await Promise.all([source.close(), target.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('round-trip every row of every table', async () => {
    const file = path.join(dir, 'full.backup');
    const header = await backup(source, file);
    expect(header.tables.find((t) => t.name === 'audit_log')?.rows).toBeGreaterThanOrEqual(2500);
    await restore(target, file);
    expect(await snapshot(target)).toEqual(await snapshot(source));
  });

  it('keeps sequences going after a restore', async () => {
    await recordAudit(target.db, systemActor, { action: 'after-restore', entityType: 'thing' });
    const [row] = await target.query<{ max: number; n: number }>(`select max(id)::int as max, count(*)::int as n from audit_log`);
    expect(row?.max).toBe(row?.n);
  });

  it('refuses to overwrite a database that has data unless forced', async () => {
    const file = path.join(dir, 'again.backup');
    await backup(source, file);
    await expect(restore(target, file)).rejects.toThrow(/not empty/);
    await restore(target, file, { force: true });
    expect(await snapshot(target)).toEqual(await snapshot(source));
  });

  it('refuses a file that is not a backup, and keeps the data', async () => {
    const before = await snapshot(target);
    const junk = path.join(dir, 'junk.backup');
    fs.writeFileSync(junk, 'hello');
    await expect(restore(target, junk, { force: true })).rejects.toBeInstanceOf(RestoreError);
    const other = path.join(dir, 'other.backup');
    fs.writeFileSync(other, zlib.gzipSync('{"format":"something-else"}\n'));
    await expect(restore(target, other, { force: true })).rejects.toBeInstanceOf(RestoreError);
    expect(await snapshot(target)).toEqual(before);
  });

  it('leaves the old state in place when a backup breaks half-way', async () => {
    const before = await snapshot(target);
    const good = zlib.gunzipSync(fs.readFileSync(path.join(dir, 'full.backup'))).toString().split('\n');
    const broken = [...good.slice(0, Math.floor(good.length / 2)), '{"id": "not a number", "oops": true'].join('\n');
    const file = path.join(dir, 'broken.backup');
    fs.writeFileSync(file, zlib.gzipSync(broken));
    await expect(restore(target, file, { force: true })).rejects.toThrow();
    expect(await snapshot(target)).toEqual(before);
  });
});
