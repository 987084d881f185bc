import type { Scope } from '../platform/access.js';
import type { Network, NetworkInstitution, NetworkUnit } from '../orgs/index.js';

/**
 * The administrative network read once, answering "where did this institution sit on that day"
 * across reorganisations by following unit successions forward or backward.
 */
export class Placement {
  readonly units = new Map<string, NetworkUnit>();
  readonly institutions = new Map<string, NetworkInstitution>();
  private readonly successors = new Map<string, string[]>();
  private readonly predecessors = new Map<string, string[]>();

  constructor(readonly network: Network) {
    for (const u of network.units) this.units.set(u.id, u);
    for (const i of network.institutions) this.institutions.set(i.id, i);
    const full = [...network.successions].sort((a, b) => (a.share === b.share ? 0 : a.share === 'full' ? -1 : 1));
    for (const s of full) {
      this.successors.set(s.predecessorId, [...(this.successors.get(s.predecessorId) ?? []), s.successorId]);
      this.predecessors.set(s.successorId, [...(this.predecessors.get(s.successorId) ?? []), s.predecessorId]);
    }
  }

  /** The unit in force on `on` that continues (or preceded) the given unit. */
  unitOn(unitId: string, on: string): NetworkUnit | undefined {
    let unit = this.units.get(unitId);
    const seen = new Set<string>();
    while (unit && !seen.has(unit.id)) {
      seen.add(unit.id);
      if (unit.validTo !== null && unit.validTo < on) {
        const next = this.successors.get(unit.id)?.[0];
        if (!next) return unit;
        unit = this.units.get(next);
      } else if (unit.validFrom > on) {
        const prev = this.predecessors.get(unit.id)?.[0];
        if (!prev) return unit;
        unit = this.units.get(prev);
      } else {
        return unit;
      }
    }
    return unit;
  }

  /** The unit and its ancestors, nearest first, as in force on `on`. */
  chainOn(unitId: string, on: string): NetworkUnit[] {
    const out: NetworkUnit[] = [];
    let unit = this.unitOn(unitId, on);
    while (unit && out.length < 16) {
      out.push(unit);
      unit = unit.parentId ? this.unitOn(unit.parentId, on) : undefined;
    }
    return out;
  }

  /**
   * The institution's unit of the given level on that day. An institution sitting above that
   * level (or still attached to a unit of the old map) rolls up to its own unit, below the province
   * when it can.
   */
  rollupUnit(institutionId: string, level: NetworkUnit['level'], on: string): NetworkUnit | undefined {
    const inst = this.institutions.get(institutionId);
    if (!inst) return undefined;
    const chain = this.chainOn(inst.unitId, on);
    return chain.find((u) => u.level === level) ?? chain.find((u) => u.level !== 'province') ?? chain[0];
  }

  private readonly memberCache = new Map<string, Set<string>>();

  /** The institutions inside the unit (or the unit that continued or preceded it) on that day. */
  members(unitId: string, on: string): Set<string> {
    const key = `${unitId}@${on}`;
    const cached = this.memberCache.get(key);
    if (cached) return cached;
    const target = this.unitOn(unitId, on);
    const chains = new Map<string, string[]>();
    const out = new Set<string>();
    if (target) {
      for (const inst of this.network.institutions) {
        let chain = chains.get(inst.unitId);
        if (!chain) {
          chain = this.chainOn(inst.unitId, on).map((u) => u.id);
          chains.set(inst.unitId, chain);
        }
        if (chain.includes(target.id)) out.add(inst.id);
      }
    }
    this.memberCache.set(key, out);
    return out;
  }

  /** Whether the institution lay inside the unit (or the unit's successor/predecessor) on that day. */
  within(institutionId: string, unitId: string, on: string): boolean {
    return this.members(unitId, on).has(institutionId);
  }

  /** Open on the reference day: opened on or before it and not closed by then. */
  static openOn(i: NetworkInstitution, on: string): boolean {
    return (i.openedOn === null || i.openedOn <= on) && (i.closedOn === null || i.closedOn > on);
  }

  private withSuccessors(ids: string[]): string[] {
    const out = new Set(ids);
    const queue = [...ids];
    while (queue.length) {
      const id = queue.pop() ?? '';
      for (const next of this.successors.get(id) ?? [])
        if (!out.has(next)) {
          out.add(next);
          queue.push(next);
        }
    }
    return [...out];
  }

  private ancestors(unitId: string): string[] {
    const out: string[] = [];
    let unit = this.units.get(unitId);
    while (unit && out.length < 16) {
      out.push(unit.id);
      unit = unit.parentId ? this.units.get(unit.parentId) : undefined;
    }
    return out;
  }

  /** Where a write on the unit lands, including the units that took over its ancestors. */
  unitScope(unitId: string): Scope {
    return { unitPath: this.withSuccessors(this.ancestors(unitId)), institutionPath: [] };
  }

  /** Where a write on the institution lands: it, the institutions it sits in, and its units. */
  institutionScope(institutionId: string): Scope {
    const path: string[] = [];
    let inst = this.institutions.get(institutionId);
    while (inst && path.length < 16) {
      path.push(inst.id);
      inst = inst.parentId ? this.institutions.get(inst.parentId) : undefined;
    }
    const own = this.institutions.get(institutionId);
    return { unitPath: own ? this.unitScope(own.unitId).unitPath : [], institutionPath: path, ...(own ? { institutionType: own.type } : {}) };
  }

  unitByCode(code: string, on: string): NetworkUnit | undefined {
    const matches = this.network.units.filter((u) => u.code === code);
    return (
      matches.find((u) => u.validFrom <= on && (u.validTo === null || u.validTo >= on)) ??
      [...matches].sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0]
    );
  }
}

/** The Department's scope: the province-level units (before and after a reorganisation). */
export function provinceScope(placement: Placement): Scope {
  return { unitPath: placement.network.units.filter((u) => u.level === 'province').map((u) => u.id), institutionPath: [] };
}
