import type { Actor } from '../../platform/access.js';
import type { Db } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { evaluate, loadYears, placementOf, statusOf, type Row, type Selection, type YearData } from '../indicators/compute.js';
import { getIndicator, listIndicators, type IndicatorRow } from '../indicators/indicators.js';
import { referenceDate, rollupLevel, type IndicatorStatus } from '../model.js';
import type { Placement } from '../network.js';
import { provinceScope } from '../network.js';
import { requireTo } from '../permissions.js';
import type { NetworkInstitution, NetworkUnit } from '../../orgs/index.js';

export const FIRST_YEAR = 2023;

export interface Point {
  year: number;
  value: number | null;
}

export interface IndicatorSummary {
  indicator: IndicatorRow;
  year: number;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  target2025: { value: number; upper?: number | undefined } | null;
  target2030: { value: number; upper?: number | undefined } | null;
  status: IndicatorStatus;
  series: Point[];
}

export interface DashboardQuery {
  year: number;
  /** A unit code; the province when absent. */
  unit?: string | undefined;
  type?: string | undefined;
}

export interface Dashboard {
  year: number;
  unit: NetworkUnit | undefined;
  type: string | undefined;
  indicators: IndicatorSummary[];
}

function yearsUpTo(year: number, from = FIRST_YEAR): number[] {
  const out: number[] = [];
  for (let y = Math.min(from, year); y <= year; y++) out.push(y);
  return out;
}

function summarise(placement: Placement, ind: IndicatorRow, year: number, years: Map<number, YearData>, sel: Selection): IndicatorSummary {
  const def = ind.definition;
  const values = [...years.keys()]
    .sort((a, b) => a - b)
    .filter((y) => y <= year)
    .map((y) => evaluate(placement, def, y, years, sel));
  const series = values.map((v) => ({ year: v.year, value: v.value }));
  const current = values.find((v) => v.year === year) ?? evaluate(placement, def, year, years, sel);
  const first = series.find((p) => p.value !== null);
  const baseline = first && first.value !== null ? { year: first.year, value: first.value } : undefined;
  const target = (y: number) => {
    const t = def.targets.find((x) => x.year === y);
    return t ? { value: t.value, upper: t.upper } : null;
  };
  return {
    indicator: ind,
    year,
    value: current.value,
    numerator: current.numerator,
    denominator: current.denominator,
    target2025: target(2025),
    target2030: target(2030),
    status: statusOf(def.targets, year, current.value, baseline),
    series,
  };
}

/** Resolves a unit code to the unit in force at the end of the year (or the one that last had it). */
export function resolveUnit(placement: Placement, code: string | undefined, year: number): NetworkUnit | undefined {
  if (!code) return undefined;
  const unit = placement.unitByCode(code, referenceDate(year));
  if (!unit) throw new NotFoundError('monitoring.unit.notFound');
  return unit;
}

/** Who may look at a unit's figures: officers of that unit or above, the Department everywhere. */
function checkView(actor: Actor, placement: Placement, unit: NetworkUnit | undefined): void {
  requireTo(actor, 'oversee', unit ? placement.unitScope(unit.id) : provinceScope(placement));
}

/**
 * Every indicator for a year with its targets, status and a series comparable across the
 * reorganisation: each year counts the institutions that lie in the chosen unit as the map
 * stood at the end of the chosen year.
 */
export async function dashboard(db: Db, actor: Actor | null, q: DashboardQuery & { approvedOnly?: boolean }): Promise<Dashboard> {
  const placement = await placementOf(db);
  const unit = resolveUnit(placement, q.unit, q.year);
  if (actor) checkView(actor, placement, unit);
  const [indicators, years] = await Promise.all([listIndicators(db), loadYears(db, yearsUpTo(q.year), q.approvedOnly)]);
  const sel: Selection = { unitId: unit?.id, type: q.type, on: referenceDate(q.year) };
  return { year: q.year, unit, type: q.type, indicators: indicators.map((ind) => summarise(placement, ind, q.year, years, sel)) };
}

export interface Breakdown {
  key: string;
  label: string;
  code?: string | undefined;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

export interface IndicatorDetail {
  summary: IndicatorSummary;
  unit: NetworkUnit | undefined;
  type: string | undefined;
  level: 'district' | 'commune';
  byUnit: Breakdown[];
  byType: Breakdown[];
  rows: Array<Row & { institution: NetworkInstitution; unit: NetworkUnit | undefined }>;
}

function detailOf(
  placement: Placement,
  ind: IndicatorRow,
  years: Map<number, YearData>,
  q: DashboardQuery,
  unit: NetworkUnit | undefined,
): IndicatorDetail {
  const on = referenceDate(q.year);
  const sel: Selection = { unitId: unit?.id, type: q.type, on };
  const summary = summarise(placement, ind, q.year, years, sel);
  const current = evaluate(placement, ind.definition, q.year, years, sel);
  const level = rollupLevel(q.year);
  const rows = current.rows.map((r) => {
    const inst = placement.institutions.get(r.institutionId);
    if (!inst) throw new NotFoundError();
    return { ...r, institution: inst, unit: placement.rollupUnit(r.institutionId, level, on) };
  });
  const units = new Map<string, NetworkUnit>();
  for (const r of rows) if (r.unit) units.set(r.unit.id, r.unit);
  const byUnit = [...units.values()]
    .map((u) => {
      const v = evaluate(placement, ind.definition, q.year, years, { unitId: u.id, type: q.type, on });
      return { key: u.id, code: u.code, label: u.name, value: v.value, numerator: v.numerator, denominator: v.denominator };
    })
    .sort((a, b) => a.label.localeCompare(b.label, 'vi'));
  const byType = ind.definition.types
    .map((t) => {
      const v = evaluate(placement, ind.definition, q.year, years, { unitId: unit?.id, type: t, on });
      return { key: t, label: t, value: v.value, numerator: v.numerator, denominator: v.denominator };
    })
    .filter((b) => (b.denominator ?? 0) > 0 || b.value !== null);
  return { summary, unit, type: q.type, level, byUnit, byType, rows };
}

/** One indicator drilled down: by the units of the year's level, by institution type, and the institutions behind it. */
export async function indicatorDetail(db: Db, actor: Actor, code: string, q: DashboardQuery & { approvedOnly?: boolean }): Promise<IndicatorDetail> {
  const placement = await placementOf(db);
  const unit = resolveUnit(placement, q.unit, q.year);
  checkView(actor, placement, unit);
  const ind = await getIndicator(db, code);
  const years = await loadYears(db, yearsUpTo(q.year), q.approvedOnly);
  return detailOf(placement, ind, years, q, unit);
}

/** Every indicator drilled down, reading the network and the years once (for reports). */
export async function allDetails(
  db: Db,
  actor: Actor,
  q: DashboardQuery & { approvedOnly?: boolean },
  onProgress?: (done: number, total: number) => void,
): Promise<{ unit: NetworkUnit | undefined; details: IndicatorDetail[] }> {
  const placement = await placementOf(db);
  const unit = resolveUnit(placement, q.unit, q.year);
  checkView(actor, placement, unit);
  const [indicators, years] = await Promise.all([listIndicators(db), loadYears(db, yearsUpTo(q.year), q.approvedOnly)]);
  const details: IndicatorDetail[] = [];
  for (const ind of indicators) {
    details.push(detailOf(placement, ind, years, q, unit));
    onProgress?.(details.length, indicators.length);
  }
  return { unit, details };
}
