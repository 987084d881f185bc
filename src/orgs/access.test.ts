import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCatalogue } from '../catalogue/testing.js';
import { writeVisits } from '../monitoring/testing.js';
import { writeProgramme } from '../programmes/testing.js';
import { anonymous, can, typeRules, type Actor, type Permission } from '../platform/access.js';
import { createApiToken } from '../platform/auth/service.js';
import type { Database, Db } from '../platform/db/index.js';
import { DomainError } from '../platform/errors.js';
import { translator } from '../platform/i18n/index.js';
import { roleGrants } from '../platform/schema.js';
import { createTestApp, signedIn, type TestApp } from '../testing/app.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { vnToday } from '../platform/time.js';
import { importInstitutions } from './import-institutions.js';
import { importUnits, type ImportReport } from './import-units.js';
import { addDays, institutionTypes, type InstitutionRow, type UnitRow } from './model.js';
import { operableInstitutions } from './operable.js';
import { institutionScope } from './scope.js';
import { createInstitution, createUnit, updateInstitution, updateUnit } from './service.js';
import { inviteStaff, revokeGrant } from './staff.js';
import { makeActor, makeInstitution, makeUnit, makeUser } from './testing.js';

/**
 * Every write of this module × every role, allowed or denied in the service layer:
 * a district officer of 857 may not touch what lies in 855.
 */

const actorNames = [
  'sysadmin',
  'dept_admin(86)',
  'unit_officer(855)',
  'unit_officer(857)',
  'manager(A)',
  'staff(A)',
  'learner',
  'anonymous',
] as const;
type ActorName = (typeof actorNames)[number];
const operations = [
  'createUnit',
  'updateUnit',
  'createInstitution',
  'updateInstitution',
  'inviteStaff',
  'revokeGrant',
  'importUnits',
  'importInstitutions',
] as const;
type Operation = (typeof operations)[number];

// Y: allowed; N: denied. Institution A is the district library of 855; the units created sit in 855.
const matrix: Record<ActorName, string> = {
  //                     cU uU cI uI iS rG iU iI
  sysadmin: 'Y  Y  Y  Y  Y  Y  Y  Y',
  'dept_admin(86)': 'Y  Y  Y  Y  Y  Y  Y  Y',
  'unit_officer(855)': 'N  N  Y  Y  Y  Y  N  Y',
  'unit_officer(857)': 'N  N  N  N  N  N  N  N',
  'manager(A)': 'N  N  N  Y  Y  Y  N  N',
  'staff(A)': 'N  N  N  N  N  N  N  N',
  learner: 'N  N  N  N  N  N  N  N',
  anonymous: 'N  N  N  N  N  N  N  N',
};

let database: Database;
let db: Db;
let province: UnitRow;
let d855: UnitRow;
let commune855: UnitRow;
let libraryA: InstitutionRow;
const actors = new Map<ActorName, Actor>();

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  province = await makeUnit(db, { level: 'province', code: '86' });
  d855 = await makeUnit(db, { parent: province, code: '855', name: 'Thành phố Vĩnh Long', kind: 'Thành phố' });
  const d857 = await makeUnit(db, { parent: province, code: '857', name: 'Huyện Long Hồ' });
  commune855 = await makeUnit(db, { parent: d855, code: '29542', name: 'Phường 9', kind: 'Phường' });
  libraryA = await makeInstitution(db, { unit: d855, code: 'TV-855', type: 'library_district' });
  actors.set('sysadmin', await makeActor(db, [{ role: 'sysadmin' }]));
  actors.set('dept_admin(86)', await makeActor(db, [{ role: 'dept_admin', unit: province }]));
  actors.set('unit_officer(855)', await makeActor(db, [{ role: 'unit_officer', unit: d855 }]));
  actors.set('unit_officer(857)', await makeActor(db, [{ role: 'unit_officer', unit: d857 }]));
  actors.set('manager(A)', await makeActor(db, [{ role: 'manager', institution: libraryA }]));
  actors.set('staff(A)', await makeActor(db, [{ role: 'staff', institution: libraryA }]));
  actors.set('learner', await makeActor(db));
  actors.set('anonymous', anonymous);
});
afterAll(() => database.close());

let serial = 0;
const t = translator('vi');

function run(op: Operation, actor: Actor, tx: Db): Promise<unknown> {
  const n = ++serial;
  switch (op) {
    case 'createUnit':
      return createUnit(tx, actor, {
        code: `${90000 + n}`,
        name: `Phường Thử ${n}`,
        kind: 'Phường',
        level: 'commune',
        parentCode: '855',
        validFrom: '2000-01-01',
      });
    case 'updateUnit':
      return updateUnit(tx, actor, commune855.id, { name: `Phường 9 (${n})` });
    case 'createInstitution':
      return createInstitution(tx, actor, { code: `TV-T${n}`, name: `Tủ sách ${n}`, type: 'library_private_community', unitCode: '855' });
    case 'updateInstitution':
      return updateInstitution(tx, actor, libraryA.id, { note: `ghi chú ${n}` });
    case 'inviteStaff':
      return inviteStaff(tx, actor, { email: `moi${n}@example.org`, role: 'staff', institutionId: libraryA.id }, 'http://localhost:3000', t);
    case 'revokeGrant':
      return (async () => {
        const user = await makeUser(tx);
        const [grant] = await tx.insert(roleGrants).values({ userId: user.id, role: 'staff', institutionId: libraryA.id }).returning();
        return revokeGrant(tx, actor, grant!.id);
      })();
    case 'importUnits':
      return importUnits(tx, actor, {
        format: 'csv',
        text: `code,name,kind,level,parent_code,valid_from,valid_to\n${91000 + n},Xã Nhập ${n},Xã,commune,855,2000-01-01,`,
      });
    case 'importInstitutions':
      return importInstitutions(tx, actor, `code,name,type,unit_code\nTV-N${n},Tủ sách nhập ${n},library_private_community,855`);
  }
}

class Undo extends Error {}

function isReport(value: unknown): value is ImportReport {
  return typeof value === 'object' && value !== null && 'errors' in value && Array.isArray(value.errors);
}

/** Runs one write and undoes it, so that every case starts from the same data. */
async function outcome(op: Operation, actor: Actor): Promise<'allowed' | 'forbidden' | 'unauthenticated'> {
  let result: 'allowed' | 'forbidden' | 'unauthenticated' = 'allowed';
  await db
    .transaction(async (tx) => {
      try {
        const value = await run(op, actor, tx);
        if (isReport(value) && value.errors.length) {
          expect(value.errors.every((e) => e.key === 'orgs.import.forbidden')).toBe(true);
          result = 'forbidden';
        }
      } catch (err) {
        if (!(err instanceof DomainError) || (err.status !== 401 && err.status !== 403)) throw err;
        result = err.status === 401 ? 'unauthenticated' : 'forbidden';
      }
      throw new Undo();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Undo)) throw err;
    });
  return result;
}

const cases = actorNames.flatMap((actor) => {
  const marks = matrix[actor].split(/\s+/);
  return operations.map((op, i) => ({
    actor,
    op,
    expected: marks[i] === 'Y' ? 'allowed' : actor === 'anonymous' ? 'unauthenticated' : 'forbidden',
  }));
});

describe('the access matrix of units, institutions and staff', () => {
  it.each(cases)('$actor → $op: $expected', async ({ actor, op, expected }) => {
    expect(await outcome(op, actors.get(actor)!)).toBe(expected);
  });
});

/**
 * Every module's write × role × where it lands, through the services (and a few through HTTP).
 * A and B are district libraries of 855 and 857, M the provincial museum in 855, C a commune
 * library inside 855, X a library of another province. Circulation, digital and museum have no
 * service yet: their permissions are checked on the scope the services will use.
 */
const moduleActors = ['sysadmin', 'dept_admin(86)', 'unit_officer(855)', 'manager(A)', 'staff(A)', 'staff(M)', 'learner', 'anonymous'] as const;
type ModuleActor = (typeof moduleActors)[number];
const targets = ['A', 'B', 'M', 'C', 'X'] as const;
type Target = (typeof targets)[number];
const writes = ['catalogue', 'circulation', 'digital', 'museum', 'programmes', 'monitoring'] as const;
type Write = (typeof writes)[number];

// Per write, one mark per target in the order A B M C X.
const moduleMatrix: Record<ModuleActor, Record<Write, string>> = {
  sysadmin: { catalogue: 'YYNYY', circulation: 'YYNYY', digital: 'YYYYY', museum: 'NNYNN', programmes: 'YYYYY', monitoring: 'YYYYY' },
  'dept_admin(86)': { catalogue: 'YYNYN', circulation: 'YYNYN', digital: 'YYYYN', museum: 'NNYNN', programmes: 'YYYYN', monitoring: 'YYYYN' },
  'unit_officer(855)': { catalogue: 'NNNNN', circulation: 'NNNNN', digital: 'NNNNN', museum: 'NNNNN', programmes: 'NNNNN', monitoring: 'NNNNN' },
  'manager(A)': { catalogue: 'YNNNN', circulation: 'YNNNN', digital: 'YNNNN', museum: 'NNNNN', programmes: 'YNNNN', monitoring: 'YNNNN' },
  'staff(A)': { catalogue: 'YNNNN', circulation: 'YNNNN', digital: 'YNNNN', museum: 'NNNNN', programmes: 'YNNNN', monitoring: 'YNNNN' },
  'staff(M)': { catalogue: 'NNNNN', circulation: 'NNNNN', digital: 'NNYNN', museum: 'NNYNN', programmes: 'NNYNN', monitoring: 'NNYNN' },
  learner: { catalogue: 'NNNNN', circulation: 'NNNNN', digital: 'NNNNN', museum: 'NNNNN', programmes: 'NNNNN', monitoring: 'NNNNN' },
  anonymous: { catalogue: 'NNNNN', circulation: 'NNNNN', digital: 'NNNNN', museum: 'NNNNN', programmes: 'NNNNN', monitoring: 'NNNNN' },
};

const scoped: Partial<Record<Write, Permission>> = { circulation: 'circulation.operate', digital: 'digital.write', museum: 'museum.write' };

describe('the access matrix of every module’s writes', () => {
  let app: TestApp;
  let mdb: Db;
  const places = new Map<Target, InstitutionRow>();
  const people = new Map<ModuleActor, Actor>();

  beforeAll(async () => {
    app = await createTestApp();
    mdb = app.database.db;
    const p86 = await makeUnit(mdb, { level: 'province' });
    const d855 = await makeUnit(mdb, { parent: p86 });
    const d857 = await makeUnit(mdb, { parent: p86 });
    const c855 = await makeUnit(mdb, { parent: d855 });
    const p83 = await makeUnit(mdb, { level: 'province' });
    places.set('A', await makeInstitution(mdb, { unit: d855, type: 'library_district', name: 'Thư viện huyện A' }));
    places.set('B', await makeInstitution(mdb, { unit: d857, type: 'library_district', name: 'Thư viện huyện B' }));
    places.set('M', await makeInstitution(mdb, { unit: d855, type: 'museum_provincial', name: 'Bảo tàng M' }));
    places.set('C', await makeInstitution(mdb, { unit: c855, type: 'library_commune', name: 'Thư viện xã C' }));
    places.set('X', await makeInstitution(mdb, { unit: p83, type: 'library_provincial', name: 'Thư viện tỉnh X' }));
    people.set('sysadmin', await makeActor(mdb, [{ role: 'sysadmin' }]));
    people.set('dept_admin(86)', await makeActor(mdb, [{ role: 'dept_admin', unit: p86 }]));
    people.set('unit_officer(855)', await makeActor(mdb, [{ role: 'unit_officer', unit: d855 }]));
    people.set('manager(A)', await makeActor(mdb, [{ role: 'manager', institution: places.get('A')! }]));
    people.set('staff(A)', await makeActor(mdb, [{ role: 'staff', institution: places.get('A')! }]));
    people.set('staff(M)', await makeActor(mdb, [{ role: 'staff', institution: places.get('M')! }]));
    people.set('learner', await makeActor(mdb));
    people.set('anonymous', anonymous);
  });
  afterAll(() => app.close());

  async function attempt(write: Write, actor: Actor, institutionId: string): Promise<'allowed' | 'forbidden' | 'unauthenticated'> {
    const permission = scoped[write];
    if (permission) {
      if (actor.kind === 'anonymous') return 'unauthenticated';
      return can(actor, permission, await institutionScope(mdb, institutionId)) ? 'allowed' : 'forbidden';
    }
    let result: 'allowed' | 'forbidden' | 'unauthenticated' = 'allowed';
    await mdb
      .transaction(async (tx) => {
        try {
          if (write === 'catalogue') await writeCatalogue(tx, actor, institutionId);
          else if (write === 'programmes') await writeProgramme(tx, actor, institutionId);
          else await writeVisits(tx, actor, institutionId);
        } catch (err) {
          const notYours = err instanceof DomainError && err.status === 422 && err.issues?.some((i) => i.key === 'monitoring.visits.notYours');
          if (!(err instanceof DomainError) || (err.status !== 401 && err.status !== 403 && !notYours)) throw err;
          result = err.status === 401 ? 'unauthenticated' : 'forbidden';
        }
        throw new Undo();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Undo)) throw err;
      });
    return result;
  }

  const moduleCases = moduleActors.flatMap((actor) =>
    writes.flatMap((write) =>
      targets.map((target, i) => ({
        actor,
        write,
        target,
        expected: moduleMatrix[actor][write][i] === 'Y' ? 'allowed' : actor === 'anonymous' ? 'unauthenticated' : 'forbidden',
      })),
    ),
  );

  it.each(moduleCases)('$actor → $write at $target: $expected', async ({ actor, write, target, expected }) => {
    expect(await attempt(write, people.get(actor)!, places.get(target)!.id)).toBe(expected);
  });

  it('names only real institution types in the type rules', () => {
    for (const types of Object.values(typeRules)) for (const t of types) expect(institutionTypes).toContain(t);
  });

  it('offers each form the institutions its permission and type allow, every one of them', async () => {
    const ids = async (name: ModuleActor, permission: Permission) =>
      (await operableInstitutions(mdb, people.get(name)!, permission)).map((i) => i.id).sort();
    const id = (t: Target) => places.get(t)!.id;
    expect(await ids('dept_admin(86)', 'catalogue.write')).toEqual(expect.arrayContaining([id('A'), id('B'), id('C')]));
    expect(await ids('dept_admin(86)', 'catalogue.write')).not.toContain(id('M'));
    expect(await ids('dept_admin(86)', 'catalogue.write')).not.toContain(id('X'));
    expect(await ids('staff(M)', 'catalogue.write')).toEqual([]);
    expect(await ids('staff(M)', 'museum.write')).toEqual([id('M')]);
    expect(await ids('staff(A)', 'programmes.operate')).toEqual([id('A')]);
    expect(await ids('unit_officer(855)', 'programmes.operate')).toEqual([]);
  });

  it('holds through HTTP: a museum’s staff cannot catalogue, a library’s can, a programmes token cannot', async () => {
    const record = (institutionId: string) => ({ institutionId, simple: { title: 'Thử quyền qua API' } });
    const museumStaff = await signedIn(app.app, mdb, (people.get('staff(M)') as Extract<Actor, { kind: 'user' }>).userId);
    const libraryStaff = await signedIn(app.app, mdb, (people.get('staff(A)') as Extract<Actor, { kind: 'user' }>).userId);
    expect((await museumStaff.json('POST', '/api/v1/catalogue/records', record(places.get('M')!.id))).statusCode).toBe(403);
    expect((await museumStaff.json('POST', '/api/v1/catalogue/records', record(places.get('A')!.id))).statusCode).toBe(403);
    expect((await libraryStaff.json('POST', '/api/v1/catalogue/records', record(places.get('A')!.id))).statusCode).toBe(201);
    const token = (await createApiToken(mdb, people.get('manager(A)')!, { name: 'lịch', scopes: ['programmes:write'] })).token;
    const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const asToken = (url: string, payload: unknown) => app.app.inject({ method: 'POST', url, headers: bearer, payload: JSON.stringify(payload) });
    expect((await asToken('/api/v1/catalogue/records', record(places.get('A')!.id))).statusCode).toBe(403);
    expect(
      (
        await asToken('/api/v1/programmes', {
          kind: 'event',
          title: 'Đêm thơ',
          institutionId: places.get('A')!.id,
          startDate: addDays(vnToday(), 5),
          startTime: '19:00',
          endTime: '21:00',
          capacity: 50,
        })
      ).statusCode,
    ).toBe(201);
  });
});
