import { inArray } from 'drizzle-orm';
import type { Db } from '../platform/db/index.js';
import type { EntityNamer } from '../platform/module.js';
import { adminUnits, institutions } from './schema.js';

/** Names of institutions by id, for the audit log ("Thư viện tỉnh Vĩnh Long"). */
async function institutionNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: institutions.id, name: institutions.name }).from(institutions).where(inArray(institutions.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Names of administrative units by id, with their kind ("Xã Hòa Lộc" is stored whole). */
async function unitNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: adminUnits.id, name: adminUnits.name }).from(adminUnits).where(inArray(adminUnits.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** What the audit log shows instead of the ids of institutions and units. */
export const orgsEntityNames: EntityNamer[] = [
  { kind: 'institution', fields: ['institutionId', 'institution.parentId'], names: institutionNames },
  { kind: 'unit', fields: ['unitId', 'unit.parentId', 'predecessorId', 'successorId'], names: unitNames },
];
