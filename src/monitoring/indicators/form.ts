import { issue, ValidationError, type Issue } from '../../platform/errors.js';
import { institutionTypes } from '../../orgs/index.js';
import {
  criteria,
  formulaKinds,
  measures,
  type Criterion,
  type Formula,
  type FormulaKind,
  type IndicatorDefinition,
  type Measure,
  type Target,
} from '../model.js';
import { messageKey } from '../../platform/i18n/index.js';

/** What the indicator edit page shows and sends back, every value as typed. */
export interface IndicatorFormValues {
  nameVi: string;
  nameEn: string;
  section: string;
  groupVi: string;
  groupEn: string;
  types: string[];
  kind: string;
  criterion: string;
  measure: string;
  baseYear: string;
  targets: Array<{ year: string; value: string; upper: string }>;
  note: string;
}

/** Blank target rows offered below the existing ones, so a year can be added without scripts. */
export const SPARE_TARGET_ROWS = 2;
const MAX_TARGET_ROWS = 30;

export function formValues(def: IndicatorDefinition): IndicatorFormValues {
  const f = def.formula;
  return {
    nameVi: def.name.vi,
    nameEn: def.name.en,
    section: def.section,
    groupVi: def.groupName.vi,
    groupEn: def.groupName.en,
    types: [...def.types],
    kind: f.kind,
    criterion: f.kind === 'share' || f.kind === 'count' ? f.criterion : '',
    measure: f.kind === 'sum' || f.kind === 'growth' ? f.measure : '',
    baseYear: f.kind === 'growth' ? String(f.baseYear) : '',
    targets: def.targets.map((t) => ({ year: String(t.year), value: String(t.value), upper: t.upper === undefined ? '' : String(t.upper) })),
    note: '',
  };
}

function text(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v.trim() : '';
}

/** Reads the posted page; repeated checkboxes arrive as an array, a single one as a string. */
export function readIndicatorForm(body: Record<string, unknown>): IndicatorFormValues {
  const rawTypes = body.types;
  const types = (Array.isArray(rawTypes) ? rawTypes : [rawTypes]).filter((t): t is string => typeof t === 'string' && t !== '');
  const rows = Math.min(MAX_TARGET_ROWS, Math.max(0, Number.parseInt(text(body, 'targetRows'), 10) || 0));
  const targets = Array.from({ length: rows }, (_, i) => ({
    year: text(body, `target_${i}_year`),
    value: text(body, `target_${i}_value`),
    upper: text(body, `target_${i}_upper`),
  }));
  return {
    nameVi: text(body, 'nameVi'),
    nameEn: text(body, 'nameEn'),
    section: text(body, 'section'),
    groupVi: text(body, 'groupVi'),
    groupEn: text(body, 'groupEn'),
    types,
    kind: text(body, 'kind'),
    criterion: text(body, 'criterion'),
    measure: text(body, 'measure'),
    baseYear: text(body, 'baseYear'),
    targets,
    note: text(body, 'note'),
  };
}

/** A decimal as people type it in Việt Nam or elsewhere: 70, 12,5 or 12.5. */
function decimal(raw: string): number | null {
  const t = raw.replace(/\s/g, '').replace(',', '.');
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : null;
}

function required(issues: Issue[], field: string, value: string, max: number): void {
  if (!value) issues.push(issue(field, messageKey(`monitoring.indicator.needed.${field}`)));
  else if (value.length > max) issues.push(issue(field, 'errors.maxLength', { limit: max }));
}

function formulaOf(v: IndicatorFormValues, issues: Issue[]): Formula | null {
  if (!(formulaKinds as readonly string[]).includes(v.kind)) {
    issues.push(issue('kind', 'monitoring.indicator.kindNeeded'));
    return null;
  }
  const kind = v.kind as FormulaKind;
  if (kind === 'share' || kind === 'count') {
    if (!(criteria as readonly string[]).includes(v.criterion)) {
      issues.push(issue('criterion', 'monitoring.indicator.criterionNeeded'));
      return null;
    }
    return { kind, criterion: v.criterion as Criterion };
  }
  const measure = (measures as readonly string[]).includes(v.measure) ? (v.measure as Measure) : null;
  if (!measure) issues.push(issue('measure', 'monitoring.indicator.measureNeeded'));
  if (kind === 'sum') return measure ? { kind, measure } : null;
  const base = /^\d{4}$/.test(v.baseYear) ? Number(v.baseYear) : null;
  if (base === null || base < 2000 || base > 2100)
    issues.push(issue('baseYear', v.baseYear ? 'monitoring.indicator.badYear' : 'monitoring.indicator.baseYearNeeded'));
  return measure && base !== null && base >= 2000 && base <= 2100 ? { kind, measure, baseYear: base } : null;
}

/**
 * Turns the page into a definition, or throws every problem at once, each named by the field
 * it is in (target rows as `target_<row>_year|value|upper`). Blank target rows are skipped.
 */
export function definitionFromForm(v: IndicatorFormValues): IndicatorDefinition {
  const issues: Issue[] = [];
  required(issues, 'nameVi', v.nameVi, 300);
  required(issues, 'nameEn', v.nameEn, 300);
  required(issues, 'section', v.section, 40);
  required(issues, 'groupVi', v.groupVi, 300);
  required(issues, 'groupEn', v.groupEn, 300);
  required(issues, 'note', v.note, 1000);
  const types = [...new Set(v.types)];
  if (!types.length) issues.push(issue('types', 'monitoring.indicator.typesNeeded'));
  for (const t of types)
    if (!(institutionTypes as readonly string[]).includes(t)) issues.push(issue('types', 'monitoring.indicator.badType', { type: t }));
  const formula = formulaOf(v, issues);
  const targets: Target[] = [];
  const seen = new Map<number, number>();
  v.targets.forEach((row, i) => {
    if (!row.year && !row.value && !row.upper) return;
    const year = /^\d{4}$/.test(row.year) ? Number(row.year) : null;
    if (!row.year) issues.push(issue(`target_${i}_year`, 'monitoring.indicator.yearNeeded'));
    else if (year === null || year < 2000 || year > 2100) issues.push(issue(`target_${i}_year`, 'monitoring.indicator.badYear'));
    else if (seen.has(year)) issues.push(issue(`target_${i}_year`, 'monitoring.indicator.duplicateYear', { year }));
    const value = decimal(row.value);
    if (!row.value) issues.push(issue(`target_${i}_value`, 'monitoring.indicator.valueNeeded'));
    else if (value === null) issues.push(issue(`target_${i}_value`, 'monitoring.indicator.badNumber'));
    else if (value > (formula?.kind === 'share' ? 100 : 1_000_000))
      issues.push(issue(`target_${i}_value`, 'errors.maximum', { limit: formula?.kind === 'share' ? 100 : 1_000_000 }));
    const upper = row.upper ? decimal(row.upper) : undefined;
    if (upper === null) issues.push(issue(`target_${i}_upper`, 'monitoring.indicator.badNumber'));
    else if (upper !== undefined && value !== null && upper < value) issues.push(issue(`target_${i}_upper`, 'monitoring.indicator.upperBelow'));
    else if (upper !== undefined && upper > 1_000_000) issues.push(issue(`target_${i}_upper`, 'errors.maximum', { limit: 1_000_000 }));
    if (year !== null && !seen.has(year)) seen.set(year, i);
    if (year !== null && value !== null && upper !== null) targets.push({ year, value, ...(upper !== undefined ? { upper } : {}) });
  });
  if (issues.length || !formula) throw new ValidationError(issues);
  return { name: { vi: v.nameVi, en: v.nameEn }, section: v.section, groupName: { vi: v.groupVi, en: v.groupEn }, types, formula, targets };
}

/** The parts of a definition that differ between two versions, as message keys of the edit page. */
export function changedParts(before: IndicatorDefinition | undefined, after: IndicatorDefinition): string[] {
  if (!before) return [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const parts: Array<[string, unknown, unknown]> = [
    ['monitoring.indicator.nameVi', before.name.vi, after.name.vi],
    ['monitoring.indicator.nameEn', before.name.en, after.name.en],
    ['monitoring.indicator.section', before.section, after.section],
    ['monitoring.indicator.group', before.groupName, after.groupName],
    ['monitoring.indicator.types', [...before.types].sort(), [...after.types].sort()],
    ['monitoring.indicator.kind', before.formula, after.formula],
    ['monitoring.indicator.targets', before.targets, after.targets],
  ];
  return parts.filter(([, a, b]) => !same(a, b)).map(([key]) => key);
}
