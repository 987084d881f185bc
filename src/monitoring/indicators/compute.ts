import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { loadNetwork, networkStamp } from '../../orgs/index.js';
import type { Db } from '../../platform/db/index.js';
import { measureField, referenceDate, type Criterion, type IndicatorDefinition, type IndicatorStatus, type Measure, type Target } from '../model.js';
import { criteriaOfYear, type CriterionFacts } from './declarations.js';
import { Placement } from '../network.js';
import { monitoringPeriods, monitoringSubmissions } from '../schema.js';
import { observeYear, observerFor, type Observed } from './sources.js';

export type DecisionSource = 'override' | 'observed' | 'declared' | 'none';

export interface Decision {
  met: boolean;
  source: DecisionSource;
  /** The override's reason, the declaration's evidence or the observer's evidence key. */
  note: string | null;
  url: string | null;
}

export type ValueSource = 'reported' | 'quarterly' | 'observed';

/** A yearly figure of an institution and where it came from; `quarters` lists the approved quarters summed. */
export interface MeasureValue {
  value: number;
  source: ValueSource;
  quarters?: number[];
}

/** Approved quarterly data sets of one institution in a year, added up field by field. */
export interface QuarterSums {
  values: Record<string, number>;
  /** For each field, the quarters that gave a number for it, in order. */
  quarters: Record<string, number[]>;
}

/** Everything the indicators of one year read, loaded once. */
export interface YearData {
  year: number;
  observed: Map<string, Observed>;
  /** Approved yearly submissions' values by institution. */
  approved: Map<string, Record<string, number | string | null>>;
  /** Sums of the approved quarterly data sets by institution, for figures the yearly one lacks. */
  quarterly: Map<string, QuarterSums>;
  criteria: Map<string, CriterionFacts>;
}

/** Adds up quarterly values field by field; every yearly figure an indicator follows is a count, so sums are exact. */
export function sumQuarters(
  rows: Array<{ institutionId: string; quarter: number | null; values: Record<string, number | string | null> }>,
): Map<string, QuarterSums> {
  const out = new Map<string, QuarterSums>();
  for (const r of [...rows].sort((a, b) => (a.quarter ?? 0) - (b.quarter ?? 0))) {
    const sums = out.get(r.institutionId) ?? { values: {}, quarters: {} };
    for (const [field, v] of Object.entries(r.values)) {
      if (typeof v !== 'number' || r.quarter === null) continue;
      sums.values[field] = (sums.values[field] ?? 0) + v;
      (sums.quarters[field] ??= []).push(r.quarter);
    }
    out.set(r.institutionId, sums);
  }
  return out;
}

/**
 * Loads a year. With `approvedOnly` (official reports) nothing is read beyond approved data
 * sets: what the platform observed counts only as it was recorded in an approved submission.
 */
export async function loadYear(db: Db, year: number, approvedOnly = false): Promise<YearData> {
  const [live, approvedRows, criteriaRows, quarterRows] = await Promise.all([
    approvedOnly ? Promise.resolve(new Map<string, Observed>()) : observeYear(db, year),
    db
      .select({ institutionId: monitoringSubmissions.institutionId, values: monitoringSubmissions.values, observed: monitoringSubmissions.observed })
      .from(monitoringSubmissions)
      .innerJoin(monitoringPeriods, eq(monitoringPeriods.id, monitoringSubmissions.periodId))
      .where(and(eq(monitoringPeriods.year, year), isNull(monitoringPeriods.quarter), eq(monitoringSubmissions.status, 'approved'))),
    criteriaOfYear(db, year),
    db
      .select({ institutionId: monitoringSubmissions.institutionId, quarter: monitoringPeriods.quarter, values: monitoringSubmissions.values })
      .from(monitoringSubmissions)
      .innerJoin(monitoringPeriods, eq(monitoringPeriods.id, monitoringSubmissions.periodId))
      .where(and(eq(monitoringPeriods.year, year), isNotNull(monitoringPeriods.quarter), eq(monitoringSubmissions.status, 'approved'))),
  ]);
  const observed = approvedOnly ? new Map(approvedRows.map((r) => [r.institutionId, r.observed])) : live;
  return {
    year,
    observed,
    approved: new Map(approvedRows.map((r) => [r.institutionId, r.values])),
    quarterly: sumQuarters(quarterRows),
    criteria: new Map(criteriaRows.map((c) => [`${c.institutionId}:${c.criterion}`, c])),
  };
}

export async function loadYears(db: Db, years: number[], approvedOnly = false): Promise<Map<number, YearData>> {
  const loaded = await Promise.all(years.map((y) => loadYear(db, y, approvedOnly)));
  return new Map(loaded.map((d) => [d.year, d]));
}

/** Override first; then what the platform observed; then an approved declaration with evidence. */
export function decide(data: YearData, institutionId: string, criterion: Criterion): Decision {
  const row = data.criteria.get(`${institutionId}:${criterion}`);
  if (row && row.override !== null) return { met: row.override, source: 'override', note: row.overrideReason, url: null };
  const observer = observerFor(criterion);
  const seen = data.observed.get(institutionId);
  if (observer && seen && observer.met(seen)) return { met: true, source: 'observed', note: observer.evidenceKey, url: null };
  if (row && row.declared !== null) {
    const counts = row.declared && data.approved.has(institutionId);
    return { met: counts, source: 'declared', note: row.evidenceText, url: row.evidenceUrl };
  }
  return { met: false, source: 'none', note: null, url: null };
}

/**
 * A yearly figure: the approved yearly data set's value wins; where it has none, the sum of the
 * approved quarterly data sets that give one (naming those quarters); then what the platform observed.
 */
export function measureOf(data: YearData, institutionId: string, measure: Measure): MeasureValue | null {
  const field = measureField[measure];
  const reported = data.approved.get(institutionId)?.[field];
  if (typeof reported === 'number') return { value: reported, source: 'reported' };
  const quarters = data.quarterly.get(institutionId);
  const summed = quarters?.values[field];
  if (summed !== undefined) return { value: summed, source: 'quarterly', quarters: quarters?.quarters[field] ?? [] };
  const seen = data.observed.get(institutionId)?.[field];
  return typeof seen === 'number' ? { value: seen, source: 'observed' } : null;
}

export interface Selection {
  /** A unit; institutions inside it (through successions) on the day `on`. */
  unitId?: string | undefined;
  type?: string | undefined;
  /** The day whose map of units decides what "inside the unit" means, so a series stays comparable. */
  on: string;
}

/** The institutions an indicator covers in a year: of its types, open on the year's last day, inside the selection. */
export function covered(placement: Placement, def: IndicatorDefinition, year: number, sel: Selection): string[] {
  const ref = referenceDate(year);
  return placement.network.institutions
    .filter(
      (i) =>
        def.types.includes(i.type) &&
        (!sel.type || i.type === sel.type) &&
        Placement.openOn(i, ref) &&
        (!sel.unitId || placement.within(i.id, sel.unitId, sel.on)),
    )
    .map((i) => i.id);
}

export interface Row {
  institutionId: string;
  decision?: Decision;
  value?: MeasureValue | null;
}

export interface YearValue {
  year: number;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  rows: Row[];
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function total(data: YearData, ids: string[], measure: Measure): { sum: number; rows: Row[]; any: boolean } {
  let sum = 0;
  let any = false;
  const rows = ids.map((id) => {
    const v = measureOf(data, id, measure);
    if (v) {
      sum += v.value;
      any = true;
    }
    return { institutionId: id, value: v };
  });
  return { sum, rows, any };
}

/**
 * The value of an indicator in a year. Shares of an empty group are null (no data), never 0%.
 * Growth is the average yearly (compound) growth from the first year with data at or after
 * the base year, over however many years lie between, so a missing year does not break it.
 */
export function evaluate(placement: Placement, def: IndicatorDefinition, year: number, years: Map<number, YearData>, sel: Selection): YearValue {
  const data = years.get(year);
  const ids = covered(placement, def, year, sel);
  const empty: YearValue = { year, value: null, numerator: null, denominator: null, rows: [] };
  if (!data) return empty;
  const f = def.formula;
  if (f.kind === 'share' || f.kind === 'count') {
    const rows = ids.map((id) => ({ institutionId: id, decision: decide(data, id, f.criterion) }));
    const met = rows.filter((r) => r.decision.met).length;
    if (f.kind === 'count') return { year, value: met, numerator: met, denominator: ids.length, rows };
    return { year, value: ids.length ? round((met * 100) / ids.length) : null, numerator: met, denominator: ids.length, rows };
  }
  if (f.kind === 'sum') {
    const t = total(data, ids, f.measure);
    return { year, value: t.any ? t.sum : null, numerator: null, denominator: null, rows: t.rows };
  }
  const now = total(data, ids, f.measure);
  if (!now.any) return { ...empty, rows: now.rows };
  for (let base = f.baseYear; base < year; base++) {
    const baseData = years.get(base);
    if (!baseData) continue;
    const then = total(baseData, covered(placement, def, base, sel), f.measure);
    if (!then.any) continue;
    if (then.sum <= 0) return { year, value: null, numerator: now.sum, denominator: then.sum, rows: now.rows };
    const growth = (Math.pow(now.sum / then.sum, 1 / (year - base)) - 1) * 100;
    return { year, value: round(growth), numerator: now.sum, denominator: then.sum, rows: now.rows };
  }
  return { year, value: null, numerator: now.sum, denominator: null, rows: now.rows };
}

/** The target for a year: set directly, or on the straight line between the targets around it. */
export function targetFor(targets: Target[], year: number, baseline?: { year: number; value: number }): number | null {
  const sorted = [...targets].sort((a, b) => a.year - b.year);
  const exact = sorted.find((t) => t.year === year);
  if (exact) return exact.value;
  const next = sorted.find((t) => t.year > year);
  const prev = [...sorted].reverse().find((t) => t.year < year);
  if (prev && next) return prev.value + ((next.value - prev.value) * (year - prev.year)) / (next.year - prev.year);
  if (prev) return prev.value;
  if (next && baseline && baseline.year < year)
    return baseline.value + ((next.value - baseline.value) * (year - baseline.year)) / (next.year - baseline.year);
  return next ? next.value : null;
}

/**
 * Met: the value already reaches the next target the plan sets (or the last one, once past it).
 * On track: it reaches this year's point on the path towards that target. Behind: neither.
 */
export function statusOf(targets: Target[], year: number, value: number | null, baseline?: { year: number; value: number }): IndicatorStatus {
  if (value === null) return 'no_data';
  const sorted = [...targets].sort((a, b) => a.year - b.year);
  const goal = sorted.find((t) => t.year >= year) ?? sorted[sorted.length - 1];
  if (!goal) return 'no_data';
  if (value >= goal.value) return 'met';
  const path = targetFor(targets, year, baseline);
  return path !== null && value >= path ? 'on_track' : 'behind';
}

const placements = new WeakMap<Db, { stamp: string; placement: Placement }>();

/** The network, kept per database handle and reloaded as soon as a unit or institution changes. */
export async function placementOf(db: Db): Promise<Placement> {
  const stamp = await networkStamp(db);
  const cached = placements.get(db);
  if (cached && cached.stamp === stamp) return cached.placement;
  const placement = new Placement(await loadNetwork(db));
  placements.set(db, { stamp, placement });
  return placement;
}
