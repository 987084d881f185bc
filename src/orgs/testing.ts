import fs from 'node:fs';
import path from 'node:path';
import type { Actor, Grant, Role } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';
import { roleGrants, users } from '../platform/schema.js';
import { foldVi, normalizeVi, sortKeyVi } from '../platform/text/index.js';
import type { InstitutionRow, InstitutionType, UnitLevel, UnitRow } from './model.js';
import { adminUnits, institutions } from './schema.js';
import { defaultFixturesDir, fixtureFiles } from './seed.js';

/** Factories for tests: each builds what it needs, parents included, so tests never share data. */

let serial = 0;
const next = () => ++serial + Math.floor(Math.random() * 1000) * 1000;

export const fixturesDir = defaultFixturesDir;
export const haveFixtures = fixtureFiles.every((f) => fs.existsSync(path.join(fixturesDir, f)));

export function readFixture(name: string): string {
  return fs.readFileSync(path.join(fixturesDir, name), 'utf8');
}

export interface UnitSpec {
  code?: string;
  name?: string;
  kind?: string;
  level?: UnitLevel;
  parent?: UnitRow | null;
  validFrom?: string;
  validTo?: string | null;
}

const defaultKind: Record<UnitLevel, string> = { province: 'Tỉnh', district: 'Huyện', commune: 'Xã' };
const parentLevel: Record<UnitLevel, UnitLevel | null> = { province: null, district: 'province', commune: 'district' };

/** A unit in force from 2000 (unless told otherwise), with a fresh parent one level up when none is given. */
export async function makeUnit(db: Db, spec: UnitSpec = {}): Promise<UnitRow> {
  const level = spec.level ?? (spec.parent?.level === 'province' ? 'district' : spec.parent ? 'commune' : 'province');
  const above = parentLevel[level];
  const parent = spec.parent !== undefined ? spec.parent : above ? await makeUnit(db, { level: above }) : null;
  const code = spec.code ?? String(10_000_000 + next());
  const name = normalizeVi(spec.name ?? `${defaultKind[level]} Thử ${code}`);
  const [row] = await db
    .insert(adminUnits)
    .values({
      code,
      name,
      nameFolded: foldVi(name),
      sortKey: sortKeyVi(name),
      kind: spec.kind ?? defaultKind[level],
      level,
      parentId: parent?.id ?? null,
      validFrom: spec.validFrom ?? '2000-01-01',
      validTo: spec.validTo ?? null,
    })
    .returning();
  if (!row) throw new Error('unit not created');
  return row;
}

export interface InstitutionSpec {
  code?: string;
  name?: string;
  type?: InstitutionType;
  unit?: UnitRow;
  parent?: InstitutionRow | null;
  closedOn?: string | null;
}

export async function makeInstitution(db: Db, spec: InstitutionSpec = {}): Promise<InstitutionRow> {
  const unit = spec.unit ?? (await makeUnit(db, { level: 'district' }));
  const code = spec.code ?? `T-${next()}`;
  const name = normalizeVi(spec.name ?? `Thư viện thử ${code}`);
  const [row] = await db
    .insert(institutions)
    .values({
      code,
      name,
      nameFolded: foldVi(name),
      sortKey: sortKeyVi(name),
      type: spec.type ?? 'library_district',
      unitId: unit.id,
      parentId: spec.parent?.id ?? null,
      closedOn: spec.closedOn ?? null,
    })
    .returning();
  if (!row) throw new Error('institution not created');
  return row;
}

export async function makeUser(db: Db, spec: { email?: string; displayName?: string } = {}): Promise<{ id: string; email: string }> {
  const email = spec.email ?? `user${next()}@example.org`;
  const [row] = await db
    .insert(users)
    .values({ email, displayName: spec.displayName ?? 'Người thử', passwordHash: 'not-a-hash' })
    .returning();
  if (!row) throw new Error('user not created');
  return { id: row.id, email };
}

export interface GrantSpec {
  role: Role;
  institution?: InstitutionRow;
  unit?: UnitRow;
}

/** A logged-in person holding the given roles (none: a learner). */
export async function makeActor(db: Db, specs: GrantSpec[] = [], email?: string): Promise<Extract<Actor, { kind: 'user' }>> {
  const user = await makeUser(db, email ? { email } : {});
  const grants: Grant[] = [];
  for (const s of specs) {
    const g = { role: s.role, institutionId: s.institution?.id ?? null, unitId: s.unit?.id ?? null };
    await db.insert(roleGrants).values({ userId: user.id, ...g });
    grants.push(g);
  }
  return { kind: 'user', userId: user.id, grants, label: user.email };
}
