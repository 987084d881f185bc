import { and, asc, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { inSubtree } from './scope.js';
import type { Db } from '../platform/db/index.js';
import { adminUnits, institutions } from './schema.js';

/** What another module shows of an institution it refers to. */
export interface InstitutionRef {
  id: string;
  name: string;
  unitId: string;
}

/** Names and units of the given institutions (read-only), keyed by id. */
export async function institutionRefs(db: Db, ids: string[]): Promise<Map<string, InstitutionRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: institutions.id, name: institutions.name, unitId: institutions.unitId })
    .from(institutions)
    .where(inArray(institutions.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

/** What another module shows of a unit it refers to. */
export interface UnitRef {
  id: string;
  name: string;
  level: 'province' | 'district' | 'commune';
  parentId: string | null;
}

/** Units in force on the day, by level and in Vietnamese order, for place filters and pickers. */
export async function unitOptions(db: Db, on: string): Promise<UnitRef[]> {
  return db
    .select({ id: adminUnits.id, name: adminUnits.name, level: adminUnits.level, parentId: adminUnits.parentId })
    .from(adminUnits)
    .where(and(lte(adminUnits.validFrom, on), or(isNull(adminUnits.validTo), sql`${adminUnits.validTo} >= ${on}`)))
    .orderBy(asc(adminUnits.level), asc(adminUnits.sortKey));
}

/** Units by id (any period). */
export async function unitRefs(db: Db, ids: string[]): Promise<Map<string, UnitRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: adminUnits.id, name: adminUnits.name, level: adminUnits.level, parentId: adminUnits.parentId })
    .from(adminUnits)
    .where(inArray(adminUnits.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The unit and every unit below it, at any depth. */
export async function unitSubtree(db: Db, unitId: string): Promise<string[]> {
  const rows = await db.select({ id: adminUnits.id }).from(adminUnits).where(inSubtree(adminUnits.id, unitId));
  return rows.map((r) => r.id);
}
