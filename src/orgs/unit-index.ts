import type { Db } from '../platform/db/index.js';
import { addDays, inForce, type Period, type UnitRow } from './model.js';
import { adminUnits } from './schema.js';

/**
 * Every unit in memory, kept in step with the writes of an import so that each row sees the
 * rows before it. A province has a few hundred units over all its periods.
 */
export class UnitIndex {
  private readonly byId = new Map<string, UnitRow>();
  private readonly byCode = new Map<string, UnitRow[]>();

  static async load(db: Db): Promise<UnitIndex> {
    const index = new UnitIndex();
    for (const row of await db.select().from(adminUnits)) index.put(row);
    return index;
  }

  put(row: UnitRow): void {
    const old = this.byId.get(row.id);
    if (old)
      this.byCode.set(
        old.code,
        (this.byCode.get(old.code) ?? []).filter((r) => r.id !== row.id),
      );
    this.byId.set(row.id, row);
    this.byCode.set(row.code, [...(this.byCode.get(row.code) ?? []), row]);
  }

  get(id: string): UnitRow | undefined {
    return this.byId.get(id);
  }

  withCode(code: string): UnitRow[] {
    return this.byCode.get(code) ?? [];
  }

  /** The unit with this code in force on the day. */
  find(code: string, on: string): UnitRow | undefined {
    return this.withCode(code).find((r) => inForce(r, on));
  }

  /** The unit with this code whose period overlaps the given one (or, with `touching`, ends the day before or starts the day after it). */
  matching(code: string, level: UnitRow['level'], p: Period, touching: boolean): UnitRow | undefined {
    const from = touching ? addDays(p.validFrom, -1) : p.validFrom;
    const to = p.validTo === null ? null : touching ? addDays(p.validTo, 1) : p.validTo;
    return this.withCode(code).find((r) => r.level === level && (r.validTo === null || r.validTo >= from) && (to === null || r.validFrom <= to));
  }

  /** What a code means without a date: the unit in force on `today`, else the latest one (as findUnitByCode). */
  current(code: string, today: string): UnitRow | undefined {
    const rows = [...this.withCode(code)].sort((a, b) => b.validFrom.localeCompare(a.validFrom));
    return rows.find((r) => inForce(r, today)) ?? rows[0];
  }

  children(id: string): UnitRow[] {
    return [...this.byId.values()].filter((r) => r.parentId === id);
  }

  /** The unit's id and its ancestors' ids, nearest first (what unitScope answers from the database). */
  path(id: string): string[] {
    const out: string[] = [];
    for (let cur = this.byId.get(id); cur && !out.includes(cur.id); cur = cur.parentId ? this.byId.get(cur.parentId) : undefined) out.push(cur.id);
    return out;
  }
}
