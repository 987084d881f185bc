import { systemActor, type Actor, type Grant, type Role } from '../platform/access.js';
import { registerUser } from '../platform/auth/service.js';
import type { Db } from '../platform/db/index.js';
import { roleGrants } from '../platform/schema.js';
import { vnToday } from '../platform/time.js';
import { addSuccession, createInstitution, createUnit, type InstitutionType } from '../orgs/index.js';
import { recordVisit } from './visits/visits.js';

/** Test factories: each makes what it needs through the orgs module's public functions, parents included. */

let serial = 0;
const next = () => `${++serial}${Math.floor(Math.random() * 9000) + 1000}`;

export interface TestUnit {
  id: string;
  code: string;
  name: string;
  level: 'province' | 'district' | 'commune';
}

const kind = { province: 'Tỉnh', district: 'Huyện', commune: 'Xã' } as const;

export async function makeUnit(
  db: Db,
  spec: { level?: TestUnit['level']; parent?: TestUnit | null; validFrom?: string; validTo?: string | null; name?: string; code?: string } = {},
): Promise<TestUnit> {
  const level = spec.level ?? (spec.parent?.level === 'province' ? 'district' : spec.parent ? 'commune' : 'province');
  const parentLevel = level === 'commune' ? 'district' : level === 'district' ? 'province' : null;
  const validFrom = spec.validFrom ?? '2000-01-01';
  const parent =
    spec.parent !== undefined
      ? spec.parent
      : parentLevel
        ? await makeUnit(db, { level: parentLevel, validFrom, validTo: spec.validTo ?? null })
        : null;
  const code = spec.code ?? `9${next()}`;
  const row = await createUnit(db, systemActor, {
    code,
    name: spec.name ?? `${kind[level]} Thử ${code}`,
    kind: kind[level],
    level,
    parentCode: parent?.code ?? null,
    validFrom,
    validTo: spec.validTo ?? null,
  });
  return { id: row.id, code: row.code, name: row.name, level };
}

export async function succeed(db: Db, predecessor: TestUnit, successor: TestUnit, effectiveOn = '2025-07-01'): Promise<void> {
  await addSuccession(db, systemActor, { predecessorId: predecessor.id, successorId: successor.id, effectiveOn });
}

export interface TestInstitution {
  id: string;
  code: string;
  name: string;
  type: InstitutionType;
}

export async function makeInstitution(
  db: Db,
  spec: { type?: InstitutionType; unit?: TestUnit; openedOn?: string | null; closedOn?: string | null; name?: string } = {},
): Promise<TestInstitution> {
  const unit = spec.unit ?? (await makeUnit(db, { level: 'district' }));
  const code = `TT-${next()}`;
  const row = await createInstitution(db, systemActor, {
    code,
    name: spec.name ?? `Thiết chế thử ${code}`,
    type: spec.type ?? 'library_district',
    unitCode: unit.code,
    ...(spec.openedOn ? { openedOn: spec.openedOn } : {}),
    ...(spec.closedOn ? { closedOn: spec.closedOn } : {}),
  });
  return { id: row.id, code: row.code, name: row.name, type: row.type };
}

/** A person with a password and the given roles, as an actor and as login details. */
export async function makeStaff(
  db: Db,
  grants: Array<{ role: Role; institution?: TestInstitution; unit?: TestUnit }>,
): Promise<Extract<Actor, { kind: 'user' }> & { email: string; password: string }> {
  const email = `nguoi${next()}@example.org`;
  const password = 'mat-khau-thu-1';
  const user = await registerUser(db, { displayName: `Cán bộ ${email}`, email, password, locale: 'vi' });
  const out: Grant[] = [];
  for (const g of grants) {
    const grant = { role: g.role, institutionId: g.institution?.id ?? null, unitId: g.unit?.id ?? null };
    await db.insert(roleGrants).values({ userId: user.id, ...grant });
    out.push(grant);
  }
  return { kind: 'user', userId: user.id, grants: out, label: email, email, password };
}

/** One monitoring write (today's visitors) at the institution, for the access matrix across modules. */
export function writeVisits(db: Db, actor: Actor, institutionId: string): Promise<unknown> {
  return recordVisit(db, actor, { institutionId, date: vnToday(), visitors: 3 });
}
