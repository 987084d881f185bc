import { and, asc, eq, gt, inArray, isNull, or, type SQL } from 'drizzle-orm';
import { canSomewhere, grantsOf, isSysadmin, roleAllows, typeAllows, type Actor, type Permission } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';
import { vnToday } from '../platform/time.js';
import { institutionTypes, type InstitutionType } from './model.js';
import { adminUnits, institutions } from './schema.js';
import { inSubtree, institutionSubtree } from './scope.js';

/** An institution the actor may work in, with what a form needs to show and group it. */
export interface OperableInstitution {
  id: string;
  code: string;
  name: string;
  type: InstitutionType;
  unitId: string;
  unitName: string;
}

/** Rows read per query; the list itself has no limit. */
const PAGE = 500;

/**
 * Every open institution where the actor holds the permission and whose type may use it (the
 * ones of their institution grants and those inside, every one under a unit-wide grant, all for
 * a sysadmin), optionally only of the given types; by type, then in Vietnamese order.
 */
export async function operableInstitutions(
  db: Db,
  actor: Actor,
  permission: Permission,
  opts: { types?: readonly InstitutionType[] } = {},
): Promise<OperableInstitution[]> {
  if (actor.kind === 'anonymous' || !canSomewhere(actor, permission)) return [];
  const types = institutionTypes.filter((t) => typeAllows(permission, t) && (!opts.types || opts.types.includes(t)));
  if (types.length === 0) return [];
  let covered: SQL | undefined;
  if (!isSysadmin(actor)) {
    const parts: SQL[] = [];
    for (const g of grantsOf(actor)) {
      if (!roleAllows(g.role, permission)) continue;
      if (g.institutionId) parts.push(inArray(institutions.id, await institutionSubtree(db, g.institutionId)));
      if (g.unitId) parts.push(inSubtree(institutions.unitId, g.unitId));
    }
    if (parts.length === 0) return [];
    covered = or(...parts);
  }
  const where = and(inArray(institutions.type, types), or(isNull(institutions.closedOn), gt(institutions.closedOn, vnToday())), covered);
  const out: OperableInstitution[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const rows = await db
      .select({
        id: institutions.id,
        code: institutions.code,
        name: institutions.name,
        type: institutions.type,
        unitId: institutions.unitId,
        unitName: adminUnits.name,
      })
      .from(institutions)
      .innerJoin(adminUnits, eq(adminUnits.id, institutions.unitId))
      .where(where)
      .orderBy(asc(institutions.type), asc(institutions.sortKey), asc(institutions.code), asc(institutions.id))
      .limit(PAGE)
      .offset(offset);
    out.push(...rows);
    if (rows.length < PAGE) return out;
  }
}
