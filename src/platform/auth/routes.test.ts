import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access.js';
import type { Db } from '../db/index.js';
import { roleGrants, users } from '../schema.js';
import { createTestApp, signedIn, type TestApp } from '../testing/app.js';
import { createApiToken } from './service.js';

let t: TestApp;
let db: Db;
let n = 0;

beforeAll(async () => { t = await createTestApp(); db = t.database.db; });
afterAll(async () => { await t.close(); });

async function person(role?: 'staff' | 'manager'): Promise<Extract<Actor, { kind: 'user' }>> {
  const [u] = await db.insert(users).values({ email: `nguoi${++n}@example.vn`, displayName: `Người ${n}`, passwordHash: 'x' }).returning();
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
