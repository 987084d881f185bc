import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../platform/auth/service.js';
import type { Db } from '../platform/db/index.js';
import { createTestApp, type TestApp } from '../testing/app.js';
import { addDays, vnDate } from './model.js';
import { register } from './registrations.js';
import { groupBookings, registrations } from './schema.js';
import { makeActor, makeInstitution, makeProgramme, makeUnit, type UserActor } from './testing.js';

let t: TestApp;
let db: Db;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
});
afterAll(async () => {
  await t.close();
});

/** A manager (who may make tokens) and a token of theirs with the given scopes. */
async function tokenOf(scopes: string[]): Promise<{ person: UserActor; token: string }> {
  const person = await makeActor(db, [{ role: 'manager', institution: await makeInstitution(db) }]);
  const { token } = await createApiToken(db, person, { name: `khóa ${scopes.join('+')}`, scopes });
  return { person, token };
}

function call(token: string | null, method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>) {
  return t.app.inject({
    method,
    url,
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(payload ? { payload } : {}),
  });
}

describe('API tokens and the writes a person makes for themselves', () => {
  it('a read-only token cannot register, cancel, book or answer a booking; nothing is written', async () => {
    const { programme } = await makeProgramme(db);
    const { programme: museum } = await makeProgramme(db, { kind: 'museum_education', title: 'Em làm nhà khảo cổ' });
    const { person, token } = await tokenOf(['read']);
    const res = await call(token, 'POST', `/api/v1/programmes/${programme.id}/registrations`, {});
    expect(res.statusCode).toBe(403);
    expect((JSON.parse(res.body) as { error: { message: string } }).error.message).toBe('Khóa API này không có quyền ghi dữ liệu này');
    const date = addDays(vnDate(new Date()), 7);
    expect((await call(token, 'POST', `/api/v1/programmes/${museum.id}/bookings`, { school: 'THCS Lê Lợi', pupils: 30, date })).statusCode).toBe(403);
    const own = await register(db, person, programme.id, {});
    expect((await call(token, 'DELETE', `/api/v1/registrations/${own.id}`)).statusCode).toBe(403);
    expect((await db.select().from(registrations).where(eq(registrations.id, own.id)))[0]?.status).toBe('confirmed');
    expect(await db.select().from(groupBookings).where(eq(groupBookings.userId, person.userId))).toEqual([]);
  });

  it('a token with a staff write scope but not self:write still cannot act for its owner as a citizen', async () => {
    const { programme } = await makeProgramme(db);
    const { person, token } = await tokenOf(['read', 'programmes:write']);
    expect((await call(token, 'POST', `/api/v1/programmes/${programme.id}/registrations`, {})).statusCode).toBe(403);
    const own = await register(db, person, programme.id, {});
    expect((await call(token, 'DELETE', `/api/v1/registrations/${own.id}`)).statusCode).toBe(403);
  });

  it('a token with self:write registers and cancels for its owner', async () => {
    const { programme } = await makeProgramme(db);
    const { person, token } = await tokenOf(['self:write']);
    const res = await call(token, 'POST', `/api/v1/programmes/${programme.id}/registrations`, {});
    expect(res.statusCode).toBe(201);
    const id = (JSON.parse(res.body) as { id: string }).id;
    expect((await db.select().from(registrations).where(eq(registrations.id, id)))[0]?.userId).toBe(person.userId);
    expect((await call(token, 'DELETE', `/api/v1/registrations/${id}`)).statusCode).toBe(200);
  });

  it('calendar markers of a unit need the units scope, even for an officer of that unit', async () => {
    const unit = await makeUnit(db);
    const officer = await makeActor(db, [{ role: 'unit_officer', unit }]);
    const marker = { title: 'Ngày giải phóng tỉnh', month: 4, day: 29, unitId: unit.id };
    const readOnly = (await createApiToken(db, officer, { name: 'chỉ đọc', scopes: ['read', 'self:write'] })).token;
    expect((await call(readOnly, 'POST', '/api/v1/calendar/markers', marker)).statusCode).toBe(403);
    const writer = (await createApiToken(db, officer, { name: 'đơn vị', scopes: ['orgs:write'] })).token;
    expect((await call(writer, 'POST', '/api/v1/calendar/markers', marker)).statusCode).toBe(201);
  });
});

describe('anonymous writes', () => {
  it('answer 401 on the JSON API before the body is validated or anything is looked up', async () => {
    const { programme } = await makeProgramme(db);
    for (const [method, url, body] of [
      ['POST', `/api/v1/programmes/${programme.id}/registrations`, { ageGroup: 'not-a-group', extra: 1 }],
      ['POST', '/api/v1/programmes/not-an-id/registrations', {}],
      ['DELETE', '/api/v1/registrations/00000000-0000-0000-0000-000000000000', undefined],
      ['POST', '/api/v1/calendar/markers', { title: '' }],
      ['PUT', '/api/v1/programmes/not-an-id', { nothing: true }],
    ] as const) {
      const res = await call(null, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe('unauthenticated');
    }
  });

  it('send a form page to the login page, back to where the person was', async () => {
    const { programme } = await makeProgramme(db);
    const res = await t.app.inject({
      method: 'POST',
      url: `/programmes/${programme.id}/register`,
      payload: 'ageGroup=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: `http://localhost/programmes/${programme.id}` },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/programmes/${programme.id}`)}`);
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: `/programmes/${programme.id}/register`,
      payload: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: 'https://evil.example/x' },
    });
    expect(elsewhere.headers.location).toBe('/login');
    expect(await db.select().from(registrations).where(eq(registrations.programmeId, programme.id))).toEqual([]);
  });
});
