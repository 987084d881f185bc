import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, type Actor } from '../platform/access.js';
import type { Database, Db } from '../platform/db/index.js';
import { DomainError } from '../platform/errors.js';
import { translator } from '../platform/i18n/index.js';
import { roleGrants } from '../platform/schema.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { importInstitutions } from './import-institutions.js';
import { importUnits, type ImportReport } from './import-units.js';
import type { InstitutionRow, UnitRow } from './model.js';
import { createInstitution, createUnit, updateInstitution, updateUnit } from './service.js';
import { inviteStaff, revokeGrant } from './staff.js';
import { makeActor, makeInstitution, makeUnit, makeUser } from './testing.js';

/**
 * Every write of this module × every role, allowed or denied in the service layer:
 * a district officer of 857 may not touch what lies in 855.
 */

const actorNames = ['sysadmin', 'dept_admin(86)', 'unit_officer(855)', 'unit_officer(857)', 'manager(A)', 'staff(A)', 'learner', 'anonymous'] as const;
type ActorName = (typeof actorNames)[number];
const operations = ['createUnit', 'updateUnit', 'createInstitution', 'updateInstitution', 'inviteStaff', 'revokeGrant', 'importUnits', 'importInstitutions'] as const;
type Operation = (typeof operations)[number];

// Y: allowed; N: denied. Institution A is the district library of 855; the units created sit in 855.
const matrix: Record<ActorName, string> = {
  //                     cU uU cI uI iS rG iU iI
  'sysadmin':           'Y  Y  Y  Y  Y  Y  Y  Y',
  'dept_admin(86)':     'Y  Y  Y  Y  Y  Y  Y  Y',
  'unit_officer(855)':  'N  N  Y  Y  Y  Y  N  Y',
  'unit_officer(857)':  'N  N  N  N  N  N  N  N',
  'manager(A)':         'N  N  N  Y  Y  Y  N  N',
  'staff(A)':           'N  N  N  N  N  N  N  N',
  'learner':            'N  N  N  N  N  N  N  N',
  'anonymous':          'N  N  N  N  N  N  N  N',
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
      return createUnit(tx, actor, { code: `${90000 + n}`, name: `Phường Thử ${n}`, kind: 'Phường', level: 'commune', parentCode: '855', validFrom: '2000-01-01' });
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
      return importUnits(tx, actor, { format: 'csv', text: `code,name,kind,level,parent_code,valid_from,valid_to\n${91000 + n},Xã Nhập ${n},Xã,commune,855,2000-01-01,` });
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
  await db.transaction(async (tx) => {
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
  }).catch((err: unknown) => {
    if (!(err instanceof Undo)) throw err;
  });
  return result;
}

const cases = actorNames.flatMap((actor) => {
  const marks = matrix[actor].split(/\s+/);
  return operations.map((op, i) => ({
    actor, op, expected: marks[i] === 'Y' ? 'allowed' : actor === 'anonymous' ? 'unauthenticated' : 'forbidden',
  }));
});

describe('the access matrix of units, institutions and staff', () => {
  it.each(cases)('$actor → $op: $expected', async ({ actor, op, expected }) => {
    expect(await outcome(op, actors.get(actor)!)).toBe(expected);
  });
});
