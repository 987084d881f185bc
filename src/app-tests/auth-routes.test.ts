import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';
import { roleGrants, users } from '../platform/schema.js';
import { createTestApp, signedIn, type TestApp } from '../testing/app.js';
import { hashPassword, verifyPassword } from '../platform/auth/passwords.js';
import { createApiToken } from '../platform/auth/service.js';

let t: TestApp;
let db: Db;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
});
afterAll(async () => {
  await t.close();
});

async function person(role?: 'staff' | 'manager'): Promise<Extract<Actor, { kind: 'user' }>> {
  const [u] = await db
    .insert(users)
    .values({ email: `nguoi${++n}@example.vn`, displayName: `Người ${n}`, passwordHash: 'x' })
    .returning();
  if (!u) throw new Error('no user');
  const grants = role ? [{ role, institutionId: '00000000-0000-4000-8000-000000000001', unitId: null }] : [];
  for (const g of grants) await db.insert(roleGrants).values({ userId: u.id, ...g });
  return { kind: 'user', userId: u.id, grants, label: u.email ?? '' };
}

describe('who may make API tokens', () => {
  it('roles without tokens.create see no token form and are refused by the API', async () => {
    for (const who of [await person(), await person('staff')]) {
      const b = await signedIn(t.app, db, who.userId);
      expect((await b.get('/account')).body).not.toContain('/account/tokens');
      expect((await b.json('POST', '/api/v1/tokens', { name: 'x', scopes: ['read'] })).statusCode).toBe(403);
      expect((await b.post('/account/tokens', { name: 'x', scope_read: 'true', expiresInDays: '30' })).statusCode).toBe(403);
    }
    const manager = await signedIn(t.app, db, (await person('manager')).userId);
    expect((await manager.get('/account')).body).toContain('/account/tokens');
    expect((await manager.json('POST', '/api/v1/tokens', { name: 'Trường THPT', scopes: ['read'] })).statusCode).toBe(201);
  });

  it('a token without a write scope is refused every write', async () => {
    const { token } = await createApiToken(db, await person('manager'), { name: 'chỉ đọc', scopes: ['read'] });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
  });
});

describe('changing the password', () => {
  it('needs the current password and follows the rule; other sessions end, this one stays', async () => {
    const [u] = await db
      .insert(users)
      .values({ email: 'doi-mat-khau@example.vn', displayName: 'Đổi', passwordHash: await hashPassword('mật khẩu cũ đây') })
      .returning();
    const here = await signedIn(t.app, db, u?.id ?? '');
    const elsewhere = await signedIn(t.app, db, u?.id ?? '');
    expect((await here.get('/account')).body).toContain('/account/password');
    const wrong = await here.post('/account/password', { current: 'không phải', password: 'mật khẩu mới tinh' });
    expect([wrong.statusCode, wrong.body.includes('Mật khẩu hiện tại không đúng')]).toEqual([422, true]);
    const common = await here.json('PUT', '/api/v1/me/password', { current: 'mật khẩu cũ đây', password: 'iloveyou123' });
    expect(common.statusCode).toBe(422);
    expect(common.json<{ error: { issues: { field: string; code: string }[] } }>().error.issues).toMatchObject([
      { field: 'password', code: 'auth.password.common' },
    ]);
    const ok = await here.post('/account/password', { current: 'mật khẩu cũ đây', password: 'mật khẩu mới tinh' });
    expect(ok.statusCode).toBe(200);
    expect((await here.get('/account')).statusCode).toBe(200);
    expect((await elsewhere.get('/account')).statusCode).toBe(401);
    const [row] = await db
      .select()
      .from(users)
      .where(eq(users.id, u?.id ?? ''));
    expect(await verifyPassword(row?.passwordHash ?? '', 'mật khẩu mới tinh')).toBe(true);
    const anonymous = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      payload: { nothing: 1 },
      headers: { accept: 'application/json' },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
