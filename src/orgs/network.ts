import { asc, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.js';
import type { InstitutionType, UnitLevel } from './model.js';
import { adminUnits, institutions, unitSuccessions } from './schema.js';

export interface NetworkUnit {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  parentId: string | null;
  validFrom: string;
  validTo: string | null;
}

export interface NetworkSuccession {
  predecessorId: string;
  successorId: string;
  effectiveOn: string;
  share: string;
}

export interface NetworkInstitution {
  id: string;
  code: string;
  name: string;
  type: InstitutionType;
  unitId: string;
  parentId: string | null;
  openedOn: string | null;
  closedOn: string | null;
  sortKey: string;
}

export interface Network {
  units: NetworkUnit[];
  successions: NetworkSuccession[];
  institutions: NetworkInstitution[];
}

/** Every unit, succession and institution, read-only, for placing institutions in units over time (one query at a time, so it can run inside a transaction). */
export async function loadNetwork(db: Db): Promise<Network> {
  const units = await db
    .select({
      id: adminUnits.id,
      code: adminUnits.code,
      name: adminUnits.name,
      level: adminUnits.level,
      parentId: adminUnits.parentId,
      validFrom: adminUnits.validFrom,
      validTo: adminUnits.validTo,
    })
    .from(adminUnits)
    .orderBy(asc(adminUnits.sortKey));
  const successions = await db
    .select({
      predecessorId: unitSuccessions.predecessorId,
      successorId: unitSuccessions.successorId,
      effectiveOn: unitSuccessions.effectiveOn,
      share: unitSuccessions.share,
    })
    .from(unitSuccessions);
  const insts = await db
    .select({
      id: institutions.id,
      code: institutions.code,
      name: institutions.name,
      type: institutions.type,
      unitId: institutions.unitId,
      parentId: institutions.parentId,
      openedOn: institutions.openedOn,
      closedOn: institutions.closedOn,
      sortKey: institutions.sortKey,
    })
    .from(institutions)
    .orderBy(asc(institutions.sortKey), asc(institutions.code));
  return { units, successions, institutions: insts };
}

/**
 * A stamp that changes whenever a unit, succession or institution is added, removed or edited,
 * so a reader may keep the network in memory and reload it only when the stamp moves.
 */
export async function networkStamp(db: Db): Promise<string> {
  const [row] = await db
    .select({
      stamp: sql<string>`(select count(*) || ':' || coalesce(max(${adminUnits.updatedAt})::text, '') from ${adminUnits})
      || '|' || (select count(*) || ':' || coalesce(max(${institutions.updatedAt})::text, '') from ${institutions})
      || '|' || (select count(*) || ':' || coalesce(max(${unitSuccessions.effectiveOn})::text, '') from ${unitSuccessions})`,
    })
    .from(sql`(select 1) as one`);
  return row?.stamp ?? '';
}
