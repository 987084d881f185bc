import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Scope } from '../platform/access.js';
import { rowsOf, type Db } from '../platform/db/index.js';
import { isUuid } from './model.js';

/** Deep enough for any real hierarchy; stops a cycle written by mistake from looping forever. */
const MAX_DEPTH = 16;

/** The unit's id followed by its ancestors' ids, nearest first. */
export async function unitPath(db: Db, unitId: string): Promise<string[]> {
  if (!isUuid(unitId)) return [];
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from admin_units where id = ${unitId}
      union all
      select u.id, u.parent_id, up.depth + 1 from admin_units u join up on u.id = up.parent_id where up.depth < ${MAX_DEPTH}
    )
    select id from up order by depth`,
  );
  return rows.map((r) => r.id);
}

/** Where a write on this unit lands: the unit and all its ancestors. */
export async function unitScope(db: Db, unitId: string): Promise<Scope> {
  return { unitPath: await unitPath(db, unitId), institutionPath: [] };
}

/** The institution and the institutions it sits in (nearest first), its unit's path, and its type (which decides the modules it may use). */
export async function institutionScope(db: Db, institutionId: string): Promise<Scope> {
  if (!isUuid(institutionId)) return { unitPath: [], institutionPath: [] };
  const rows = await rowsOf<{ id: string; unit_id: string; type: string }>(
    db,
    sql`
    with recursive up(id, parent_id, unit_id, type, depth) as (
      select id, parent_id, unit_id, type::text, 0 from institutions where id = ${institutionId}
      union all
      select i.id, i.parent_id, i.unit_id, i.type::text, up.depth + 1 from institutions i join up on i.id = up.parent_id where up.depth < ${MAX_DEPTH}
    )
    select id, unit_id, type from up order by depth`,
  );
  const own = rows[0];
  if (!own) return { unitPath: [], institutionPath: [] };
  return { unitPath: await unitPath(db, own.unit_id), institutionPath: rows.map((r) => r.id), institutionType: own.type };
}

/** A condition true for rows whose `column` is the unit or one of its descendants. */
export function inSubtree(column: AnyColumn, unitId: string): SQL {
  return sql`${column} in (
    with recursive down(id, depth) as (
      select id, 0 from admin_units where id = ${unitId}
      union all
      select u.id, down.depth + 1 from admin_units u join down on u.parent_id = down.id where down.depth < ${MAX_DEPTH}
    )
    select id from down)`;
}

/** The institution and every institution inside it, at any depth. */
export async function institutionSubtree(db: Db, institutionId: string): Promise<string[]> {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`
    with recursive down(id, depth) as (
      select id, 0 from institutions where id = ${institutionId}
      union all
      select i.id, down.depth + 1 from institutions i join down on i.parent_id = down.id where down.depth < ${MAX_DEPTH}
    )
    select id from down`,
  );
  return rows.map((r) => r.id);
}
