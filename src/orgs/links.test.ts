import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, requestPasswordReset, resetTokenValid } from '../platform/auth/service.js';
import { backup } from '../platform/backup.js';
import { registrationLinkValid, startRegistration } from '../platform/auth/registration.js';
import { LocalStore } from '../platform/storage/index.js';
import type { Database, Db } from '../platform/db/index.js';
import { translator } from '../platform/i18n/index.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { sendQueuedMail } from '../platform/testing/mail.js';
import { getInvitation, inviteStaff } from './staff.js';
import { makeActor, makeInstitution } from './testing.js';

let database: Database;
let db: Db;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suotdoi-links-'));
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const url = 'https://suotdoi.example';

/** Every row of every table, as text. */
async function everyRow(): Promise<string> {
  const tables = await database.query<{ name: string }>(
    `select relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and relkind = 'r'`,
  );
  const rows = await Promise.all(tables.map(({ name }) => database.query<{ r: string }>(`select row_to_json(t)::text as r from "${name}" t`)));
  return rows
    .flat()
    .map((x) => x.r)
    .join('\n');
}

async function backupText(name: string): Promise<string> {
  const file = path.join(dir, name);
  await backup(database, file, { store: new LocalStore(path.join(dir, 'files')) });
  return zlib.gunzipSync(fs.readFileSync(file)).toString();
}

/** Strings in the text a link could carry as its token (32 random bytes in base64url), that open an invitation, a reset or a registration. */
async function acceptedTokens(text: string): Promise<string[]> {
  const accepted: string[] = [];
  for (const candidate of new Set(text.match(/[\w-]{43}/g) ?? [])) {
    const opens =
      (await getInvitation(db, candidate))?.status === 'open' ||
      (await resetTokenValid(db, candidate)) ||
      (await registrationLinkValid(db, candidate));
    if (opens) accepted.push(candidate);
  }
  return accepted;
}

describe('one-time links', () => {
  it('are in no table and no backup, before their mail is sent or after', async () => {
    const library = await makeInstitution(db);
    const manager = await makeActor(db, [{ role: 'manager', institution: library }]);
    await inviteStaff(db, manager, { email: 'moi@example.org', role: 'staff', institutionId: library.id }, url, translator('vi'));
    await registerUser(db, { displayName: 'Quên', email: 'quen@example.org', password: 'mật khẩu cũ 1' });
    await requestPasswordReset(db, 'quen@example.org', url, { subject: 'Đặt lại', body: (link) => `Mở ${link}` });
    await startRegistration(db, { displayName: 'Mới', email: 'moi.dangky@example.org', password: 'mật khẩu mới 2' }, url, {
      confirm: { subject: 'Xác nhận', body: (link) => `Mở ${link}` },
      existing: { subject: 'Đã có', body: (a, b) => `${a} ${b}` },
    });

    expect(await acceptedTokens(await everyRow())).toEqual([]);
    expect(await acceptedTokens(await backupText('before.backup'))).toEqual([]);

    const sent = await sendQueuedMail(db);
    const tokens = sent.map((m) => /\/(?:invitations|reset-password|register\/confirm)\/([\w-]+)/.exec(m.bodyText)?.[1] ?? '');
    expect(tokens).toHaveLength(3);
    expect(tokens.every((tok) => tok.length === 43)).toBe(true);
    // The mailed tokens work, and the same search finds them in text that holds them.
    expect((await acceptedTokens(sent.map((m) => m.bodyText).join('\n'))).sort()).toEqual([...tokens].sort());

    const rows = await everyRow();
    const after = await backupText('after.backup');
    for (const token of tokens) {
      expect(rows).not.toContain(token);
      expect(after).not.toContain(token);
    }
    expect(await acceptedTokens(rows)).toEqual([]);
    expect(await acceptedTokens(after)).toEqual([]);
  });
});
