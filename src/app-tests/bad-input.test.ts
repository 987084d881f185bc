import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleGrants } from '../platform/schema.js';
import { makeUser } from '../orgs/testing.js';
import { createTestApp, multipartBody, signedIn, type TestApp } from '../testing/app.js';
import { safeNext } from '../platform/http/context.js';
import { uniqueField } from '../platform/http/errors.js';
import { pageWindow } from '../platform/http/schemas.js';

interface Route {
  method: string;
  url: string;
}

/** Every route Fastify knows, read from its route tree (`printRoutes` without a common prefix). */
function routeList(app: FastifyInstance): Route[] {
  const out: Route[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S*)(?: \(([^)]+)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    if (!m[3]) continue;
    const url = stack.join('');
    for (const method of m[3].split(',').map((s) => s.trim())) if (method !== 'HEAD' && method !== 'OPTIONS') out.push({ method, url });
  }
  return out.filter((r) => !r.url.startsWith('/assets/') && !r.url.startsWith('/api/docs') && r.url !== '/*');
}

const junkQuery =
  'page=-1&limit=1.5&offset=abc&year=0000&from=0000-00-00&to=2025-02-30&date=2025-02-30&month=13&week=99' +
  '&unit=..&institution=nope&institutionId=nope&unitId=nope&status=%F0%9F%92%A5&kind=x&next=%C3%A9%E2%80%AE&q=%E2%80%8F&sort=__proto__';
const nulQuery = 'q=a%00b&name=%00&unit=%00&next=%00&page=%00';

/** The route's address with every parameter replaced: ids by `value`, others by `other`. */
function fill(url: string, value: string, other = value): string {
  return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => (/id$/i.test(name) ? value : other)).replace(/\*$/, 'x');
}

const unknownId = '00000000-0000-4000-8000-000000000000';

/** The route's UUID parameters: names ending in `id`, except a unit page's (it takes unit codes) and a visit's (a number). */
function uuidParams(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z]+)/g)]
    .map((m) => m[1]!)
    .filter((name) => /id$/i.test(name))
    .filter((name) => !(name === 'id' && (url.startsWith('/units/:id') || url === '/api/v1/monitoring/visits/:id')));
}

function requestsFor(route: Route, csrf: string): InjectOptions[] {
  const method = route.method as InjectOptions['method'];
  const bad = fill(route.url, 'not-an-id', 'x');
  const list: InjectOptions[] = [
    { method, url: `${bad}?${junkQuery}` },
    { method, url: fill(route.url, '00000000-0000-4000-8000-000000000000', 'x') },
    { method, url: fill(route.url, 'a%00b') },
    { method, url: `${fill(route.url, '00000000-0000-4000-8000-000000000000', 'x')}?${nulQuery}` },
  ];
  if (method === 'GET') return list;
  const headers = { 'x-csrf-token': csrf };
  const nul = { name: 'a\u0000b', code: '\u0000', title: '\u0000', email: 'a\u0000@b.vn', text: '\u0000', rrule: '\u0000', next: '\u0000' };
  const broken = {
    name: 'x',
    rrule: 'FREQ=SOMETIMES;COUNT=-1',
    startsOn: '0000-01-01',
    endsOn: '2025-02-30',
    capacity: '1.5',
    year: '0000',
    quarter: '9',
    count: '-1',
    next: 'é',
  };
  list.push(
    { method, url: bad, headers, payload: nul },
    {
      method,
      url: bad,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, ...nul }).toString(),
    },
    {
      method,
      url: bad,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, ...broken }).toString(),
    },
    { method, url: fill(route.url, '00000000-0000-4000-8000-000000000000', 'x'), headers, payload: broken },
    { method, url: bad, headers: { ...headers, 'content-type': 'application/json' }, payload: '{"name": "unterminated' },
    { method, url: bad, headers: { ...headers, 'content-type': 'multipart/form-data' }, payload: 'no boundary here' },
  );
  const { payload, contentType } = multipartBody({ _csrf: csrf, name: 'a\u0000b' }, { field: 'file', name: 'x.csv', bytes: 'code,name\n' });
  list.push(
    { method, url: bad, headers: { 'content-type': contentType }, payload },
    { method, url: bad, headers: { 'content-type': contentType }, payload: payload.subarray(0, payload.length - 30) },
    { method, url: bad, headers: { ...headers, 'content-type': contentType }, payload: payload.subarray(0, 60) },
  );
  return list;
}

describe('bad input on every route never answers 5xx', () => {
  let t: TestApp;
  let routes: Route[];
  let adminId: string;
  beforeAll(async () => {
    t = await createTestApp();
    routes = routeList(t.app);
    const admin = await makeUser(t.database.db, { email: 'root@bad-input.test' });
    await t.database.db.insert(roleGrants).values({ userId: admin.id, role: 'sysadmin', institutionId: null, unitId: null });
    adminId = admin.id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('lists the OpenAPI document’s routes and the page routes', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const known = new Set(routes.map((r) => `${r.method} ${r.url}`));
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.length).toBeGreaterThan(20);
    const text = JSON.stringify(doc);
    expect(Object.keys((doc as { components?: { schemas?: object } }).components?.schemas ?? {})).toContain('ErrorOut');
    expect(text.match(/"error":\{"type":"object"/g)).toHaveLength(1);
    expect(text.match(/"#\/components\/schemas\/ErrorOut"/g)?.length).toBeGreaterThan(20);
    const components = Object.keys((doc as { components?: { schemas?: object } }).components?.schemas ?? {});
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]));
    expect([...refs].filter((r) => !components.includes(r!))).toEqual([]);
    expect(text).not.toMatch(/"\$ref":"(?!#\/components\/schemas\/)/);
    expect(documented.filter((r) => !known.has(r))).toEqual([]);
    expect(routes.some((r) => r.method === 'GET' && r.url === '/login')).toBe(true);
    expect(routes.some((r) => r.method === 'POST' && r.url === '/catalogue/import')).toBe(true);
  });

  it('names the field holding a NUL character, in the query, the path, a form, a JSON body and a multipart field', async () => {
    const b = await signedIn(t.app, t.database.db, adminId);
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const api = await t.app.inject({ url: '/api/v1/institutions?q=a%00', headers: { cookie } });
    expect(api.statusCode).toBe(400);
    expect(api.json()).toMatchObject({ error: { code: 'validation', issues: [{ field: 'querystring.q', code: 'errors.nul' }] } });
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie, 'x-csrf-token': b.csrf },
      payload: { code: '99', name: 'a\u0000' },
    });
    expect(json.json()).toMatchObject({ error: { issues: [{ field: 'name', code: 'errors.nul' }] } });
    const form = await b.post('/login', { identifier: 'x\u0000y', password: 'p' });
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('identifier');
    const part = await b.upload('/units/import', { field: 'file', name: 'u.csv', bytes: 'code,name\n' }, { note: 'a\u0000' });
    expect(part.statusCode).toBe(400);
    expect(part.body).toContain('note');
  });

  it('takes an upload’s CSRF token from its first field or a header, never from the address', async () => {
    const b = await signedIn(t.app, t.database.db, adminId);
    const file = { field: 'file', name: 'u.csv', bytes: 'nothing useful' };
    expect((await b.upload('/units/import', file)).statusCode).toBe(422);
    expect((await b.upload('/units/import', file, {}, { csrf: 'wrong' })).statusCode).toBe(403);
    expect((await b.upload(`/units/import?_csrf=${b.csrf}`, file, {}, { csrf: false })).statusCode).toBe(403);
    const { payload, contentType } = multipartBody({}, file);
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/units/import',
          payload,
          headers: { cookie, 'content-type': contentType, 'x-csrf-token': b.csrf },
        })
      ).statusCode,
    ).toBe(422);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/units/import',
          payload: 'x',
          headers: { cookie, 'content-type': 'multipart/form-data', 'x-csrf-token': b.csrf },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await t.app.inject({ method: 'POST', url: '/login', payload, headers: { cookie, 'content-type': contentType, 'x-csrf-token': b.csrf } }))
        .statusCode,
    ).toBe(415);
  });

  it('reads the field of a unique violation from its detail or its constraint, keeps next to ASCII paths and pages from 1', () => {
    expect(uniqueField('Key (code)=(X01) already exists.', 'institutions_code_key')).toBe('code');
    expect(uniqueField('Key (period_id, institution_id)=(a, b) already exists.', undefined)).toBe('periodId');
    expect(uniqueField('Key (code, valid_from)=(89, 2025-07-01) already exists.', undefined)).toBe('code');
    expect(uniqueField(undefined, 'users_email_key')).toBe('email');
    expect(pageWindow({})).toEqual({ page: 1, pageSize: 20, offset: 0 });
    expect(pageWindow({ page: 3, pageSize: 500 }, 50, 200)).toEqual({ page: 3, pageSize: 200, offset: 400 });
    expect(pageWindow({ page: 0, pageSize: 0 })).toEqual({ page: 1, pageSize: 1, offset: 0 });
    expect(safeNext('/account?tab=1')).toBe('/account?tab=1');
    expect(safeNext('/tài-khoản')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('//evil.example')).toBe('/');
  });

  it('answers 400 naming the parameter for a malformed id on every route, and 404 for a well-formed unknown one', async () => {
    const b = await signedIn(t.app, t.database.db, adminId);
    const headers = { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': b.csrf };
    const failures: string[] = [];
    const withIds = routes.filter((r) => uuidParams(r.url).length > 0);
    expect(withIds.length).toBeGreaterThan(60);
    for (const route of withIds) {
      const method = route.method as InjectOptions['method'];
      for (const name of uuidParams(route.url)) {
        const url = route.url.replace(/:([A-Za-z]+)/g, (_m, p: string) => (p === name ? 'abc' : p === 'criterion' ? 'lll_services' : unknownId));
        const res = await t.app.inject({ method, url, headers });
        const named = route.url.startsWith('/api/')
          ? res.json<{ error?: { issues?: Array<{ field: string }> } }>().error?.issues?.[0]?.field
          : `params.${name}`;
        if (res.statusCode !== 400 || named !== `params.${name}`)
          failures.push(`${route.method} ${url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
      if (method !== 'GET') continue;
      const url = route.url.replace(/:([A-Za-z]+)/g, (_m, p: string) => (p === 'criterion' ? 'lll_services' : unknownId));
      const res = await t.app.inject({ method, url, headers });
      if (res.statusCode !== 404) failures.push(`${route.method} ${url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    for (const [url, status] of [
      ['/api/v1/monitoring/visits/abc', 400],
      ['/api/v1/monitoring/visits/1.5', 400],
      ['/api/v1/monitoring/visits/999999', 404],
    ] as const) {
      const res = await t.app.inject({ method: 'DELETE', url, headers });
      if (res.statusCode !== status) failures.push(`DELETE ${url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('refuses decimals where the API wants whole numbers', async () => {
    const b = await signedIn(t.app, t.database.db, adminId);
    const headers = { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': b.csrf };
    const cases: Array<[InjectOptions['method'], string, Record<string, unknown>?]> = [
      ['GET', '/api/v1/programmes?pageSize=2.5'],
      ['GET', '/api/v1/institutions?page=1.5'],
      ['GET', '/api/v1/audit?pageSize=10.5'],
      ['GET', '/api/v1/catalogue/search?q=a&page=1.5'],
      ['GET', '/api/v1/monitoring/dashboard?year=2025.5'],
      ['GET', '/api/v1/monitoring/reports/annual?year=2025.5'],
      ['POST', '/api/v1/monitoring/periods', { year: 2025.5, quarter: 1 }],
      ['POST', '/api/v1/monitoring/periods', { year: 2025, quarter: 1.5 }],
      ['POST', '/api/v1/monitoring/visits', { institutionId: unknownId, date: '2025-03-01', visitors: 1.5 }],
      ['POST', '/api/v1/programmes', { title: 'x', capacity: 2.5 }],
      ['POST', '/api/v1/calendar/markers', { name: 'x', month: 1.5, day: 1 }],
      ['PUT', `/api/v1/monitoring/periods/${unknownId}/institutions/${unknownId}`, { values: { visitsInPerson: 10.5 } }],
      ['POST', `/api/v1/programmes/${unknownId}/bookings`, { school: 'x', pupils: 10.5, date: '2025-03-01' }],
    ];
    const failures: string[] = [];
    for (const [method, url, payload] of cases) {
      const res = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      const fields = res.json<{ error?: { issues?: Array<{ field: string }> } }>().error?.issues?.map((i) => i.field) ?? [];
      if (![400, 422].includes(res.statusCode) || fields.length === 0) failures.push(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  });

  for (const who of ['anonymous', 'sysadmin'] as const) {
    it(`as ${who}`, async () => {
      const failures: string[] = [];
      for (const route of routes.filter((r) => !r.url.endsWith('/logout'))) {
        const browser = who === 'sysadmin' ? await signedIn(t.app, t.database.db, adminId) : null;
        const cookie = browser ? [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : '';
        for (const req of requestsFor(route, browser?.csrf ?? '')) {
          const res = await t.app.inject({ ...req, headers: { ...(req.headers ?? {}), ...(cookie ? { cookie } : {}) } });
          if (res.statusCode >= 500)
            failures.push(
              `${route.method} ${route.url} ← ${typeof req.url === 'string' ? req.url : ''} ${typeof req.payload === 'string' ? req.payload.slice(0, 60) : ''}: ${res.statusCode} ${res.body.slice(0, 200)}`,
            );
        }
      }
      expect(failures).toEqual([]);
    }, 600_000);
  }
});
