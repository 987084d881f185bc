import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from './db/index.js';
import { users } from './schema.js';
import { createTestDatabase } from './testing/db.js';
import {
  can,
  canGrant,
  canSomewhere,
  systemActor,
  anonymous,
  tokenScopes,
  typeAllows,
  type Actor,
  type Grant,
  type Permission,
  type Scope,
} from './access.js';

const P = 'province-86';
const D855 = 'district-855';
const D857 = 'district-857';
const C855 = 'commune-in-855';
const LIB = 'library-in-855';
const BRANCH = 'branch-inside-library';

const user = (...grants: Grant[]): Actor => ({ kind: 'user', userId: 'u', grants, label: 'u' });
const g = (role: Grant['role'], where: { unit?: string; inst?: string } = {}): Grant => ({
  role,
  unitId: where.unit ?? null,
  institutionId: where.inst ?? null,
});

const inCommune: Scope = { unitPath: [C855, D855, P], institutionPath: [] };
const library: Scope = { unitPath: [C855, D855, P], institutionPath: [LIB], institutionType: 'library_district' };
const museum: Scope = { unitPath: [C855, D855, P], institutionPath: ['museum-in-855'], institutionType: 'museum_provincial' };
const branch: Scope = { unitPath: [C855, D855, P], institutionPath: [BRANCH, LIB] };
const other: Scope = { unitPath: [D857, P], institutionPath: ['library-in-857'] };
const province: Scope = { unitPath: [P], institutionPath: [] };

describe('can', () => {
  const cases: Array<[string, Actor, Permission, Scope, boolean]> = [
    ['system', systemActor, 'units.write', province, true],
    ['anonymous', anonymous, 'institutions.write', library, false],
    ['learner', user(), 'institutions.write', library, false],
    ['sysadmin anywhere', user(g('sysadmin')), 'units.write', other, true],
    ['dept admin in province', user(g('dept_admin', { unit: P })), 'units.write', inCommune, true],
    ['dept admin of another province', user(g('dept_admin', { unit: 'province-83' })), 'units.write', inCommune, false],
    ['officer in own district', user(g('unit_officer', { unit: D855 })), 'institutions.write', library, true],
    ['officer in another district', user(g('unit_officer', { unit: D857 })), 'institutions.write', library, false],
    ['officer may not edit units', user(g('unit_officer', { unit: D855 })), 'units.write', inCommune, false],
    ['officer creates in own district', user(g('unit_officer', { unit: D855 })), 'institutions.create', inCommune, true],
    ['manager edits own institution', user(g('manager', { inst: LIB })), 'institutions.write', library, true],
    ['manager edits a branch inside it', user(g('manager', { inst: LIB })), 'institutions.write', branch, true],
    ['manager of branch cannot edit parent', user(g('manager', { inst: BRANCH })), 'institutions.write', library, false],
    ['manager cannot create institutions', user(g('manager', { inst: LIB })), 'institutions.create', inCommune, false],
    ['staff cannot edit institution', user(g('staff', { inst: LIB })), 'institutions.write', library, false],
    ['staff catalogues in own library', user(g('staff', { inst: LIB })), 'catalogue.write', library, true],
    ['staff does not catalogue in another', user(g('staff', { inst: LIB })), 'catalogue.write', other, false],
    ['a library catalogues no museum objects', user(g('staff', { inst: LIB })), 'museum.write', library, false],
    ['a library runs programmes', user(g('staff', { inst: LIB })), 'programmes.operate', library, true],
    ['a museum catalogues no books, even for a sysadmin', user(g('sysadmin')), 'catalogue.write', museum, false],
    ['nor for the operator at the command line', systemActor, 'catalogue.write', museum, false],
    ['a museum catalogues its objects', user(g('dept_admin', { unit: P })), 'museum.write', museum, true],
    ['a unit-wide write has no type to check', user(g('dept_admin', { unit: P })), 'catalogue.write', inCommune, true],
    ['officers do not operate institutions', user(g('unit_officer', { unit: D855 })), 'programmes.operate', library, false],
    ['second grant counts', user(g('staff', { inst: 'x' }), g('unit_officer', { unit: D857 })), 'institutions.write', other, true],
  ];
  it.each(cases)('%s', (_name, actor, permission, scope, expected) => {
    expect(can(actor, permission, scope)).toBe(expected);
  });

  it('limits a token to its scopes, and to its owner’s grants', () => {
    const token = (scopes: string[], grants: Grant[]): Actor => ({ kind: 'token', tokenId: 't', userId: 'u', scopes, grants, label: 't' });
    expect(can(token(['read'], [g('sysadmin')]), 'institutions.write', library)).toBe(false);
    expect(can(token(['orgs:write'], [g('sysadmin')]), 'institutions.write', library)).toBe(true);
    expect(can(token(['orgs:write'], [g('unit_officer', { unit: D857 })]), 'institutions.write', library)).toBe(false);
    expect(canSomewhere(token(['read'], [g('sysadmin')]), 'institutions.write')).toBe(false);
    expect(can(token(['catalogue:write'], [g('staff', { inst: LIB })]), 'catalogue.write', library)).toBe(true);
    expect(can(token(['catalogue:write'], [g('staff', { inst: LIB })]), 'programmes.operate', library)).toBe(false);
    expect(can(token(['programmes:write'], [g('staff', { inst: LIB })]), 'programmes.operate', library)).toBe(true);
  });
});

describe('typeAllows', () => {
  it('lets the institution type decide the modules it uses', () => {
    expect(typeAllows('catalogue.write', 'library_school')).toBe(true);
    expect(typeAllows('catalogue.write', 'memorial_house')).toBe(false);
    expect(typeAllows('circulation.operate', 'culture_centre_district')).toBe(false);
    expect(typeAllows('museum.write', 'traditional_house')).toBe(true);
    expect(typeAllows('museum.write', 'library_commune')).toBe(false);
    expect(typeAllows('digital.write', 'museum_provincial')).toBe(true);
    expect(typeAllows('digital.write', 'culture_centre_provincial')).toBe(false);
    expect(typeAllows('programmes.operate', 'culture_centre_commune')).toBe(true);
    expect(typeAllows('monitoring.report', 'memorial_house')).toBe(true);
  });
});

describe('canGrant', () => {
  it.each([
    ['manager invites staff to own institution', user(g('manager', { inst: LIB })), 'staff', library, true],
    ['manager invites manager to own institution', user(g('manager', { inst: LIB })), 'manager', library, true],
    ['manager cannot make unit officers', user(g('manager', { inst: LIB })), 'unit_officer', library, false],
    ['manager cannot invite elsewhere', user(g('manager', { inst: LIB })), 'staff', other, false],
    ['staff cannot invite', user(g('staff', { inst: LIB })), 'staff', library, false],
    ['officer invites manager in district', user(g('unit_officer', { unit: D855 })), 'manager', library, true],
    ['officer cannot make dept admins', user(g('unit_officer', { unit: D855 })), 'dept_admin', province, false],
    ['dept admin cannot make sysadmins', user(g('dept_admin', { unit: P })), 'sysadmin', province, false],
    ['sysadmin makes sysadmins', user(g('sysadmin')), 'sysadmin', province, true],
  ] as const)('%s', (_n, actor, role, scope, expected) => {
    expect(canGrant(actor, role, scope)).toBe(expected);
  });
});

describe('the migration to permissions per module', () => {
  it('gives a token made with the old operate:write scope the scopes of every module, and leaves others alone', async () => {
    const dir = path.resolve('migrations');
    const file = fs.readdirSync(dir).find((f) => /^\d{4}_perms\.sql$/.test(f));
    expect(file).toBeDefined();
    const database = await createTestDatabase();
    try {
      const { db } = database;
      const [user] = await db.insert(users).values({ displayName: 'Khóa cũ', email: 'khoa.cu@example.org', passwordHash: 'x' }).returning();
      await db.execute(sql`insert into api_tokens (name, prefix, token_hash, scopes, user_id) values
        ('cũ', 'a', 'h1', ${sql.raw("array['read','operate:write']")}, ${user!.id}), ('đọc', 'b', 'h2', ${sql.raw("array['read']")}, ${user!.id})`);
      await db.execute(sql.raw(fs.readFileSync(path.join(dir, file!), 'utf8')));
      const rows = await rowsOf<{ name: string; scopes: string[] }>(db, sql`select name, scopes from api_tokens order by prefix`);
      expect(rows).toEqual([
        { name: 'cũ', scopes: ['catalogue:write', 'circulation:write', 'digital:write', 'museum:write', 'programmes:write', 'read'] },
        { name: 'đọc', scopes: ['read'] },
      ]);
      for (const scope of rows[0]!.scopes) expect(Object.keys(tokenScopes)).toContain(scope);
    } finally {
      await database.close();
    }
  });
});
