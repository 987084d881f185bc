import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access.js';
import type { Database, Db } from '../db/index.js';
import { DomainError, ValidationError } from '../errors.js';
import { roleGrants, sessions, users } from '../schema.js';
import { createTestDatabase } from '../testing/db.js';
import { queuedMail, sendQueuedMail } from '../testing/mail.js';
import { authenticate } from './login.js';
import {
  createApiToken,
  createSession,
  destroySession,
  loadSession,
  registerUser,
  requestPasswordReset,
  resetPassword,
  resetTokenValid,
  revokeApiToken,
  tokenActor,
} from './service.js';

let database: Database;
let db: Db;
const policy = { maxFailures: 3, lockMinutes: 15 };
const mail = { subject: 'Đặt lại mật khẩu', body: (link: string) => `Mở ${link}` };

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database.close();
});

async function issuesOf(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err.issues.map((i) => `${i.field}:${i.key}`);
    throw err;
  }
  return [];
}

describe('registration', () => {
  it('creates a learner with email, normalising it', async () => {
    const u = await registerUser(db, { displayName: '  Nguyễn   Văn An ', email: 'An.Nguyen@Example.VN ', password: 'mật khẩu dài' });
    expect(u).toMatchObject({ displayName: 'Nguyễn Văn An', email: 'an.nguyen@example.vn', phone: null });
    const [row] = await db.select().from(users).where(eq(users.id, u.id));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('accepts a phone number in the usual ways and stores one form', async () => {
    const u = await registerUser(db, { displayName: 'Trần Thị Bình', phone: '0912 345 678', password: 'mười hai ký tự' });
    expect(u.phone).toBe('+84912345678');
    expect(await issuesOf(registerUser(db, { displayName: 'X', phone: '+84912345678', password: 'mười hai ký tự' }))).toEqual([
      'phone:auth.phoneTaken',
    ]);
  });

  it.each([
    ['nothing', {}, ['displayName:errors.required', 'password:errors.required']],
    ['no email nor phone', { displayName: 'A', password: 'mười hai ký tự' }, ['email:auth.emailOrPhone']],
    ['short password', { displayName: 'A', email: 'a@b.vn', password: '123' }, ['password:errors.minLength']],
    ['nine characters', { displayName: 'A', email: 'a@b.vn', password: 'chín ký t' }, ['password:errors.minLength']],
    ['only spaces', { displayName: 'A', email: 'a@b.vn', password: ' '.repeat(12) }, ['password:auth.password.blank']],
    ['a common password', { displayName: 'A', email: 'a@b.vn', password: 'Password123' }, ['password:auth.password.common']],
    ['another common one', { displayName: 'A', email: 'a@b.vn', password: '1234567890' }, ['password:auth.password.common']],
    [
      'a bad email and a common password at once',
      { displayName: 'A', email: 'x', password: 'qwertyuiop' },
      ['email:errors.format.email', 'password:auth.password.common'],
    ],
    ['bad email', { displayName: 'A', email: 'not-an-email', password: 'mười hai ký tự' }, ['email:errors.format.email']],
    ['bad phone', { displayName: 'A', phone: '12ab', password: 'mười hai ký tự' }, ['phone:errors.pattern']],
    ['too long name', { displayName: 'x'.repeat(121), email: 'long@b.vn', password: 'mười hai ký tự' }, ['displayName:errors.maxLength']],
    ['too long password', { displayName: 'A', email: 'lp@b.vn', password: 'x'.repeat(201) }, ['password:errors.maxLength']],
  ])('refuses %s, naming the field', async (_n, input, expected) => {
    const got = await issuesOf(registerUser(db, input as Parameters<typeof registerUser>[1]));
    expect(got.sort()).toEqual([...expected].sort());
  });

  it('refuses a taken email whatever its case', async () => {
    await registerUser(db, { displayName: 'A', email: 'taken@example.vn', password: 'mười hai ký tự' });
    expect(await issuesOf(registerUser(db, { displayName: 'B', email: 'TAKEN@example.vn', password: 'mười hai ký tự' }))).toEqual([
      'email:auth.emailTaken',
    ]);
  });
});

describe('sessions', () => {
  it('keeps sessions server-side and forgets them on logout', async () => {
    const u = await registerUser(db, { displayName: 'E', email: 'e@example.vn', password: 'mười hai ký tự' });
    const s = await createSession(db, u.id, 14, 'test');
    const loaded = await loadSession(db, s.token);
    expect(loaded?.user.id).toBe(u.id);
    expect(loaded?.csrfToken).toBe(s.csrfToken);
    const stored = await db.select().from(sessions).where(eq(sessions.userId, u.id));
    expect(stored[0]?.idHash).not.toBe(s.token);
    await destroySession(db, s.token);
    expect(await loadSession(db, s.token)).toBeNull();
    expect(await loadSession(db, 'made-up')).toBeNull();
  });
});

describe('password reset', () => {
  it('mails a one-time link through the outbox; the new password works and old sessions end', async () => {
    const u = await registerUser(db, { displayName: 'F', email: 'f@example.vn', password: 'old password' });
    const s = await createSession(db, u.id, 14);
    await requestPasswordReset(db, 'f@example.vn', 'http://localhost:3000', mail);
    await requestPasswordReset(db, 'unknown@example.vn', 'http://localhost:3000', mail);
    const sent = await sendQueuedMail(db);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.recipient).toBe('f@example.vn');
    const token = /reset-password\/([\w-]+)/.exec(sent[0]?.bodyText ?? '')?.[1] ?? '';
    await expect(resetPassword(db, token, 'short')).rejects.toBeInstanceOf(ValidationError);
    expect(await issuesOf(resetPassword(db, token, 'iloveyou12'))).toEqual(['password:auth.password.common']);
    await resetPassword(db, token, 'new password');
    await expect(authenticate(db, 'f@example.vn', 'new password', policy)).resolves.toMatchObject({ user: { id: u.id } });
    expect(await loadSession(db, s.token)).toBeNull();
    await expect(resetPassword(db, token, 'another one')).rejects.toMatchObject({ key: 'auth.resetExpired' });
  });

  it('revokes the account’s API tokens, its sessions and every other reset link it has', async () => {
    const u = await registerUser(db, { displayName: 'F2', email: 'f2@example.vn', password: 'old password' });
    await db.insert(roleGrants).values({ userId: u.id, role: 'manager', institutionId: '00000000-0000-4000-8000-000000000002' });
    const me: Actor = {
      kind: 'user',
      userId: u.id,
      grants: [{ role: 'manager', institutionId: '00000000-0000-4000-8000-000000000002', unitId: null }],
      label: 'f2',
    };
    const { token: apiToken } = await createApiToken(db, me, { name: 'Máy chủ trường', scopes: ['read'] });
    const other = await registerUser(db, { displayName: 'F3', email: 'f3@example.vn', password: 'old password' });
    const { token: otherToken } = await createApiToken(db, { ...me, userId: other.id }, { name: 'Khác', scopes: ['read'] });
    const sessionsBefore = [await createSession(db, u.id, 14), await createSession(db, u.id, 14)];
    const otherSession = await createSession(db, other.id, 14);
    for (let i = 0; i < 3; i++) await requestPasswordReset(db, 'f2@example.vn', 'http://x', mail);
    await requestPasswordReset(db, 'f3@example.vn', 'http://x', mail);
    const sent = await sendQueuedMail(db);
    const links = sent.map((m) => ({ to: m.recipient, token: /reset-password\/([\w-]+)/.exec(m.bodyText)?.[1] ?? '' }));
    const mine = links.filter((l) => l.to === 'f2@example.vn').map((l) => l.token);
    expect(mine).toHaveLength(3);
    await resetPassword(db, mine[1] ?? '', 'a brand new one');
    expect(await tokenActor(db, apiToken)).toBeNull();
    for (const s of sessionsBefore) expect(await loadSession(db, s.token)).toBeNull();
    for (const t of [mine[0], mine[2]]) expect(await resetTokenValid(db, t ?? '')).toBe(false);
    // Another person's links, sessions and keys are untouched.
    expect(await resetTokenValid(db, links.find((l) => l.to === 'f3@example.vn')?.token ?? '')).toBe(true);
    expect(await loadSession(db, otherSession.token)).not.toBeNull();
    expect(await tokenActor(db, otherToken)).not.toBeNull();
  });

  it('retries a failed send and records the error', async () => {
    const u = await registerUser(db, { displayName: 'G', email: 'g@example.vn', password: 'mười hai ký tự' });
    await requestPasswordReset(db, 'g@example.vn', 'http://x', mail);
    await expect(sendQueuedMail(db, { send: () => Promise.reject(new Error('SMTP down')) })).resolves.toEqual([]);
    const [row] = await database.query(`select status, attempts, last_error from jobs where payload ->> 'recipient' = 'g@example.vn'`);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'SMTP down' });
    expect((await queuedMail(db, 'g@example.vn'))[0]?.bodyText).toBe('Mở {{link}}');
    expect(u.id).toBeTruthy();
  });
});

describe('API tokens', () => {
  it('are shown once, act with the owner’s grants within their scopes, and can be revoked', async () => {
    const u = await registerUser(db, { displayName: 'H', email: 'h@example.vn', password: 'mười hai ký tự' });
    await db.insert(roleGrants).values({ userId: u.id, role: 'sysadmin' });
    const actor: Actor = { kind: 'user', userId: u.id, grants: [{ role: 'sysadmin', unitId: null, institutionId: null }], label: 'h' };
    const { token, view } = await createApiToken(db, actor, { name: 'Trường THPT', scopes: ['read'] });
    expect(token.startsWith('sd_')).toBe(true);
    expect(view.prefix).toBe(token.slice(0, 10));
    const machine = await tokenActor(db, token);
    expect(machine).toMatchObject({ kind: 'token', userId: u.id, scopes: ['read'] });
    expect(await tokenActor(db, `${token}x`)).toBeNull();
    await revokeApiToken(db, actor, view.id);
    expect(await tokenActor(db, token)).toBeNull();
  });

  it('refuses bad input and people without a staff role', async () => {
    const learner: Actor = { kind: 'user', userId: '00000000-0000-0000-0000-000000000000', grants: [], label: 'l' };
    await expect(createApiToken(db, learner, { name: 'x', scopes: ['read'] })).rejects.toMatchObject({ status: 403 });
    const admin: Actor = {
      kind: 'user',
      userId: '00000000-0000-0000-0000-000000000000',
      grants: [{ role: 'sysadmin', unitId: null, institutionId: null }],
      label: 'a',
    };
    expect(await issuesOf(createApiToken(db, admin, { name: '', scopes: [] }))).toEqual(['name:errors.required', 'scopes:errors.minItems']);
    expect(await issuesOf(createApiToken(db, admin, { name: 'x', scopes: ['root'] }))).toEqual(['scopes.0:errors.choice']);
  });
});
