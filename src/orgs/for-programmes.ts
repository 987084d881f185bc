import { and, asc, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { inSubtree } from './scope.js';
import type { Db } from '../platform/db/index.js';
import { adminUnits, institutions } from './schema.js';

/** What the programmes module shows of an institution. */
export interface ProgrammeInstitutionRef {
  id: string;
  name: string;
  unitId: string;
}

/** Names and units of the given institutions (read-only), keyed by id. */
export async function programmeInstitutionRefs(db: Db, ids: string[]): Promise<Map<string, ProgrammeInstitutionRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: institutions.id, name: institutions.name, unitId: institutions.unitId })
    .from(institutions).where(inArray(institutions.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

export interface ProgrammeUnitRef {
  id: string;
  name: string;
  level: 'province' | 'district' | 'commune';
  parentId: string | null;
}

/** Units in force on the day, in Vietnamese order, for place filters and calendar pickers. */
export async function programmeUnitOptions(db: Db, on: string): Promise<ProgrammeUnitRef[]> {
  return db.select({ id: adminUnits.id, name: adminUnits.name, level: adminUnits.level, parentId: adminUnits.parentId })
    .from(adminUnits)
    .where(and(lte(adminUnits.validFrom, on), or(isNull(adminUnits.validTo), sql`${adminUnits.validTo} >= ${on}`)))
    .orderBy(asc(adminUnits.level), asc(adminUnits.sortKey));
}

/** Units by id (any period). */
export async function programmeUnitRefs(db: Db, ids: string[]): Promise<Map<string, ProgrammeUnitRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: adminUnits.id, name: adminUnits.name, level: adminUnits.level, parentId: adminUnits.parentId })
    .from(adminUnits).where(inArray(adminUnits.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The unit and every unit below it, at any depth. */
export async function programmeUnitSubtree(db: Db, unitId: string): Promise<string[]> {
  const rows = await db.select({ id: adminUnits.id }).from(adminUnits).where(inSubtree(adminUnits.id, unitId));
  return rows.map((r) => r.id);
}

/** The unit's id followed by its ancestors' ids, nearest first. */
export { unitPath as programmeUnitPath } from './scope.js';
