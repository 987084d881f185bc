import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../db/index.js';
import { sendQueuedMail } from '../testing/mail.js';
import { users } from '../schema.js';
import { createTestDatabase } from '../testing/db.js';
import { authenticate, type LoginContext } from './login.js';
import { registerUser, requestPasswordReset, resetPassword } from './service.js';

let database: Database;
let db: Db;
let n = 0;
const policy = { maxFailures: 3, lockMinutes: 15 };
const password = 'ngựa ô đúng chỗ';

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database.close();
});

async function account(): Promise<string> {
  const email = `dangnhap${++n}@example.vn`;
  await registerUser(db, { displayName: `Người ${n}`, email, password });
  return email;
}

async function keyOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return (err as { key?: string }).key ?? String(err);
  }
}

const from = (ip: string, device?: string): LoginContext => ({ ip, ...(device ? { device } : {}) });

describe('logging in', () => {
  it('logs in by email or phone and gives a known-device token', async () => {
    await registerUser(db, { displayName: 'C', email: 'c@example.vn', phone: '0987654321', password });
    const r = await authenticate(db, 'C@example.vn', password, policy, from('10.0.0.1'));
    expect(r.user.email).toBe('c@example.vn');
    expect(r.device.length).toBeGreaterThan(20);
    await expect(authenticate(db, '0987 654 321', password, policy, from('10.0.0.1'))).resolves.toMatchObject({ user: { phone: '+84987654321' } });
  });

  it('answers a wrong password the same whether the account exists, is locked or is disabled', async () => {
    const email = await account();
    const disabled = await account();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.email, disabled));
    expect(await keyOf(authenticate(db, email, 'sai mật khẩu', policy, from('10.0.1.1')))).toBe('auth.badCredentials');
    expect(await keyOf(authenticate(db, 'khong-co@example.vn', 'sai mật khẩu', policy, from('10.0.1.1')))).toBe('auth.badCredentials');
    expect(await keyOf(authenticate(db, disabled, 'sai mật khẩu', policy, from('10.0.1.1')))).toBe('auth.badCredentials');
    await db
      .update(users)
      .set({ lockedUntil: new Date(Date.now() + 600_000) })
      .where(eq(users.email, email));
    expect(await keyOf(authenticate(db, email, 'sai mật khẩu', policy, from('10.0.1.2')))).toBe('auth.badCredentials');
    // Only someone who knows the password learns more.
    expect(await keyOf(authenticate(db, email, password, policy, from('10.0.1.3')))).toBe('auth.locked');
    expect(await keyOf(authenticate(db, disabled, password, policy, from('10.0.1.3')))).toBe('auth.disabled');
  });

  it('slows one identifier from one address after a few tries, for an unknown account too, without slowing the owner elsewhere', async () => {
    const email = await account();
    for (const who of [email, 'chua-dang-ky@example.vn']) {
      for (let i = 0; i < 4; i++)
        expect(await keyOf(authenticate(db, who, `sai ${i}`, { maxFailures: 100, lockMinutes: 15 }, from('10.0.2.1')))).toBe('auth.badCredentials');
      const refused = await authenticate(db, who, password, policy, from('10.0.2.1')).catch((e: unknown) => e);
      expect(refused).toMatchObject({ key: 'auth.tooManyTries', status: 429 });
      expect((refused as { params: { seconds: number } }).params.seconds).toBeGreaterThan(0);
    }
    expect(await keyOf(authenticate(db, email, password, policy, from('10.0.2.2')))).toBe('ok');
    // Another account from the slowed address is not slowed.
    expect(await keyOf(authenticate(db, await account(), password, policy, from('10.0.2.1')))).toBe('ok');
  });

  it('slows an address that tries many accounts', async () => {
    for (let i = 0; i < 50; i++) await keyOf(authenticate(db, `nguoi-la-${i}@example.vn`, 'đoán bừa', policy, from('10.0.3.1')));
    const email = await account();
    expect(await keyOf(authenticate(db, email, password, policy, from('10.0.3.1')))).toBe('auth.tooManyTries');
    expect(await keyOf(authenticate(db, email, password, policy, from('10.0.3.2')))).toBe('ok');
  });

  it('locks the account after wrong passwords from strangers, but not for a browser that logged in before', async () => {
    const email = await account();
    const { device } = await authenticate(db, email, password, policy, from('10.0.4.1'));
    for (const ip of ['10.0.4.20', '10.0.4.21', '10.0.4.22'])
      expect(await keyOf(authenticate(db, email, 'đoán', policy, from(ip)))).toBe('auth.badCredentials');
    expect(await keyOf(authenticate(db, email, password, policy, from('10.0.4.23')))).toBe('auth.locked');
    expect(await keyOf(authenticate(db, email, password, policy, from('10.0.4.23', 'a-made-up-device-token')))).toBe('auth.locked');
    const back = await authenticate(db, email, password, policy, from('10.0.4.99', device));
    expect(back.device).toBe(device);
    // The owner mistyping on their own browser does not lock the account either.
    const other = await account();
    const mine = (await authenticate(db, other, password, policy, from('10.0.4.2'))).device;
    for (let i = 0; i < 3; i++) await keyOf(authenticate(db, other, `gõ nhầm ${i}`, policy, from(`10.0.4.${30 + i}`, mine)));
    expect(await keyOf(authenticate(db, other, password, policy, from('10.0.4.40')))).toBe('ok');
  });

  it('a password reset lifts the lock and forgets the known browsers', async () => {
    const email = await account();
    const { device } = await authenticate(db, email, password, policy, from('10.0.5.1'));
    for (const ip of ['10.0.5.20', '10.0.5.21', '10.0.5.22']) await keyOf(authenticate(db, email, 'đoán', policy, from(ip)));
    expect(await keyOf(authenticate(db, email, password, policy, from('10.0.5.23')))).toBe('auth.locked');
    await requestPasswordReset(db, email, 'http://x', { subject: 'r', body: (l) => l });
    const sent = await sendQueuedMail(db);
    const token = /reset-password\/([\w-]+)/.exec(sent.find((m) => m.recipient === email)?.bodyText ?? '')?.[1] ?? '';
    await resetPassword(db, token, 'mật khẩu mới tinh');
    const after = await authenticate(db, email, 'mật khẩu mới tinh', policy, from('10.0.5.24', device));
    expect(after.device).not.toBe(device);
  });
});
