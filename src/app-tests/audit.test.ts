import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, roleGrants, users } from '../platform/schema.js';
import { createTestApp, signedIn, type Browser, type TestApp } from '../testing/app.js';
import { registerEntityNamer } from '../platform/audit/names.js';

let t: TestApp;
let admin: Browser;
let adminId: string;
let lanId: string;
const LIBRARY = '11111111-1111-4111-8111-111111111111';
const MUSEUM = '22222222-2222-4222-8222-222222222222';

interface Entry {
  actor: string;
  entityName: string | null;
  institutionName: string | null;
  changes: { field: string; label: string; before: string | null; after: string | null }[];
}
interface Listing {
  total: number;
  entries: Entry[];
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const [a, l] = await db
    .insert(users)
    .values([
      { email: 'admin@example.vn', displayName: 'Quản trị Hoa', passwordHash: 'x' },
      { email: 'lan@example.vn', displayName: 'Nguyễn Thị Lan', passwordHash: 'x' },
    ])
    .returning();
  adminId = a!.id;
  lanId = l!.id;
  await db.insert(roleGrants).values({ userId: adminId, role: 'sysadmin' });
  registerEntityNamer({
    kind: 'institution',
    fields: ['institutionId', 'institution.parentId'],
    names: async (_db, ids) =>
      new Map(ids.flatMap((id): [string, string][] => (id === LIBRARY ? [[id, 'Thư viện tỉnh']] : id === MUSEUM ? [[id, 'Bảo tàng tỉnh']] : []))),
  });
  await db.insert(auditLog).values([
    {
      at: new Date('2026-03-01T10:00:00+07:00'),
      actorUserId: adminId,
      actorLabel: 'Quản trị Hoa',
      action: 'orgs.institution.update',
      entityType: 'institution',
      entityId: LIBRARY,
      institutionId: LIBRARY,
      before: { name: 'Thư viện cũ', servesPublic: false, updatedAt: '2026-01-01T00:00:00Z' },
      after: { name: 'Thư viện tỉnh', servesPublic: true, updatedAt: '2026-03-01T03:00:00Z' },
    },
    {
      at: new Date('2026-03-02T23:30:00+07:00'),
      actorUserId: lanId,
      actorLabel: 'Nguyễn Thị Lan',
      action: 'orgs.grant.grant',
      entityType: 'role_grant',
      entityId: '33333333-3333-4333-8333-333333333333',
      institutionId: MUSEUM,
      before: null,
      after: { userId: adminId, role: 'manager', institutionId: MUSEUM },
    },
    {
      at: new Date('2026-03-03T00:30:00+07:00'),
      actorUserId: lanId,
      actorLabel: 'Nguyễn Thị Lan',
      action: 'catalogue.record.delete',
      entityType: 'catalogue_record',
      entityId: '44444444-4444-4444-8444-444444444444',
      institutionId: LIBRARY,
      before: { title: 'Truyện Kiều' },
      after: null,
    },
  ]);
  admin = await signedIn(t.app, db, adminId);
});
afterAll(async () => {
  await t.close();
});

async function list(query: string): Promise<Listing> {
  const res = await admin.json('GET', `/api/v1/audit${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Listing>();
}

describe('the audit log people can read', () => {
  it('shows changes as field labels with old → new values, names instead of ids, and leaves out bookkeeping', async () => {
    const { entries } = await list('?entityType=institution');
    expect(entries[0]).toMatchObject({ actor: 'Quản trị Hoa', entityName: 'Thư viện tỉnh', institutionName: 'Thư viện tỉnh' });
    expect(entries[0]?.changes).toEqual([
      { field: 'name', label: 'Tên', before: 'Thư viện cũ', after: 'Thư viện tỉnh' },
      { field: 'servesPublic', label: 'Phục vụ công chúng', before: 'Không', after: 'Có' },
    ]);
    const [grant] = (await list('?entityType=role_grant')).entries;
    expect(grant?.changes).toEqual(
      expect.arrayContaining([
        { field: 'userId', label: 'Người dùng', before: null, after: 'Quản trị Hoa' },
        { field: 'institutionId', label: 'Thiết chế', before: null, after: 'Bảo tàng tỉnh' },
      ]),
    );
    const page = await admin.get('/audit');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<span class="changes__field">Tên</span>');
    expect(page.body).toContain('Thư viện cũ');
    expect(page.body).not.toContain('updatedAt');
    expect(page.body).toContain('<span class="changes__field">Người dùng</span>: <span class="changes__new">Quản trị Hoa</span>');
    expect(page.body).not.toContain(`>${adminId}<`);
  });

  it('filters by person, institution, kind and date, and pages', async () => {
    expect((await list(`?actorId=${lanId}`)).total).toBe(2);
    expect((await list('?actor=lan')).total).toBe(2);
    expect((await list(`?institutionId=${LIBRARY}`)).total).toBe(2);
    expect((await list(`?institutionId=${MUSEUM}&actorId=${adminId}`)).total).toBe(0);
    expect((await list('?entityType=catalogue_record')).entries.map((e) => e.entityName)).toEqual(['Truyện Kiều']);
    expect((await list('?from=2026-03-02&to=2026-03-02')).entries.map((e) => e.actor)).toEqual(['Nguyễn Thị Lan']);
    expect((await list('?from=2026-03-03')).total).toBe(1);
    const second = await list('?pageSize=1&page=2');
    expect(second.total).toBe(3);
    expect(second.entries).toHaveLength(1);
    expect(second.entries[0]?.changes.map((c) => c.label)).toEqual(expect.arrayContaining(['Người dùng', 'Vai trò']));
    const page = await admin.get(`/audit?institutionId=${MUSEUM}`);
    expect(page.body).toContain('Bảo tàng tỉnh <span aria-hidden="true">×</span>');
    expect(page.body).toContain('1 kết quả');
  });

  it('answers bad filters with the field named, never 500', async () => {
    const cases: [string, string][] = [
      ['?from=2026-02-30', 'from'],
      ['?from=hôm qua', 'from'],
      ['?to=0000-01-01', 'to'],
      ['?from=2026-03-05&to=2026-03-01', 'to'],
      ['?actorId=42', 'actorId'],
      ['?institutionId=not-an-id', 'institutionId'],
      ['?page=0', 'page'],
      ['?pageSize=abc', 'pageSize'],
    ];
    for (const [query, field] of cases) {
      const api = await admin.json('GET', `/api/v1/audit${encodeURI(query)}`);
      expect([400, 422], `${query}: ${api.body}`).toContain(api.statusCode);
      const fields = api.json<{ error: { issues: { field: string }[] } }>().error.issues.map((i) => i.field.replace(/^querystring\./, ''));
      expect(fields, query).toContain(field);
      const page = await admin.get(`/audit${encodeURI(query)}`);
      expect(page.statusCode, query).toBe(400);
      expect(page.body, query).toContain(`href="#f-${field}"`);
    }
  });
});
