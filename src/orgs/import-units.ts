import { and, eq } from 'drizzle-orm';
import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { can, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { issue, type Issue } from '../platform/errors.js';
import { schemaIssues } from '../platform/http/validation.js';
import { capIssues, csvHasColumns, parseCsv } from './csv.js';
import { addDays, kindFromName, parseDate, parseLevel, THREE_LEVEL_END, type UnitLevel, type UnitRow } from './model.js';
import { auditUnit, type SuccessionRow } from './presenters.js';
import { adminUnits, unitSuccessions } from './schema.js';
import { requireSomewhere } from './guard.js';
import { canonicalKind, placementIssues, successionIssues, unitNameColumns, type UnitField } from './service.js';
import { UnitIndex } from './unit-index.js';

export interface ImportReport {
  /** Units written for the first time. */
  created: number;
  /** Existing units whose data changed. */
  updated: number;
  /** Succession links written for the first time or changed. */
  successions: number;
  /** Everything wrong with the file; when there is any, nothing was written. */
  errors: Issue[];
}

export interface UnitSource {
  format: 'json' | 'csv';
  text: string;
  fileName?: string | undefined;
}

/**
 * How a planned unit meets the units already stored:
 * - exact: the unit with the same code and start date (CSV rows);
 * - overlap: the unit with the same code and level whose period overlaps (a snapshot widens it);
 * - continue: as overlap, or a period that ends the day before or starts the day after (a
 *   province that goes on through a reorganisation);
 * - ensure: any unit with the code in force on `on`; created only when there is none, never changed;
 * - require: as ensure, but never created: missing is an error.
 */
type Mode = 'exact' | 'overlap' | 'continue' | 'ensure' | 'require';

interface PlannedUnit {
  row: number;
  field: (f: UnitField) => string;
  mode: Mode;
  /** The day an ensure/require unit must be in force. */
  on: string;
  code: string;
  name: string;
  kind: string;
  level: UnitLevel;
  parentCode: string | null;
  validFrom: string;
  validTo: string | null;
}

interface PlannedLink {
  row: number;
  field: { predecessor: string; successor: string };
  predecessorCode: string;
  successorCode: string;
  effectiveOn: string;
  share: 'full' | 'partial';
  note: string | null;
}

interface Plan {
  units: PlannedUnit[];
  links: PlannedLink[];
  /** Problems found while reading the file. */
  issues: Issue[];
  /** Codes of the rows refused while reading: what hangs on them is not checked further. */
  failed?: string[];
}

function report(errors: Issue[], counts = { created: 0, updated: 0, successions: 0 }): ImportReport {
  return { ...counts, errors: capIssues(errors) };
}

function check(schema: TSchema, value: unknown, path: string, row?: number): Issue[] {
  if (Value.Check(schema, value)) return [];
  return schemaIssues(Value.Errors(schema, value)).map((i) => issue(i.field === 'body' ? path : `${path}.${i.field}`, i.key, i.params, row));
}

const JsonCode = Type.String({ pattern: '^[0-9]{2,10}$' });
const JsonName = Type.String({ minLength: 1, maxLength: 200 });
const JsonUnit = Type.Object({ code: JsonCode, name: JsonName, type: Type.String({ minLength: 1, maxLength: 40 }) });
const JsonDistrict = Type.Object({ ...JsonUnit.properties, communes: Type.Array(Type.Unknown()) });
const JsonDate = Type.String({ format: 'date' });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonField(path: string): (f: UnitField) => string {
  const names: Record<UnitField, string> = {
    code: 'code',
    kind: 'type',
    level: 'type',
    parentCode: 'code',
    validFrom: 'valid_from',
    validTo: 'valid_to',
  };
  return (f) => (f === 'validFrom' || f === 'validTo' ? names[f] : `${path}.${names[f]}`);
}

// ---------------------------------------------------------------- JSON: snapshots

/**
 * A unit list of one province as in `../shared/fixtures/units/*-2023.json` (province →
 * districts → communes) or `vinh-long-2025.json` (province → communes). Its units are in force
 * from `valid_from`, else the source's `data_date` (the day the list vouches for); until
 * `valid_to`, else 30/6/2025 for a three-level list (districts were abolished then) and open
 * for a two-level one. The province continues across lists; a district or commune is the same
 * unit only where its periods overlap, since 2025 reused old codes for new communes.
 */
function planSnapshot(doc: Record<string, unknown>): Plan {
  const issues: Issue[] = [];
  const units: PlannedUnit[] = [];
  const source = isRecord(doc.source) ? doc.source : {};
  const fromRaw = doc.valid_from ?? source.data_date;
  const from = typeof fromRaw === 'string' ? parseDate(fromRaw) : undefined;
  if (!from) issues.push(issue(doc.valid_from !== undefined ? 'valid_from' : 'source.data_date', 'orgs.import.snapshotDate'));
  const province = doc.province as Record<string, unknown>;
  const threeLevel = Array.isArray(province.districts);
  const toRaw = doc.valid_to;
  const to = toRaw === undefined ? (threeLevel ? THREE_LEVEL_END : null) : typeof toRaw === 'string' ? parseDate(toRaw) : undefined;
  if (to === undefined) issues.push(issue('valid_to', 'errors.format.date'));
  if (!from || to === undefined) return { units, links: [], issues };
  const seen = new Map<string, number>();
  const failed: string[] = [];
  let row = 0;
  const add = (value: unknown, path: string, level: UnitLevel, parentCode: string | null, schema: TSchema): boolean => {
    row += 1;
    const found = check(schema, value, path, row);
    if (found.length) {
      issues.push(...found);
      if (isRecord(value) && typeof value.code === 'string') failed.push(value.code);
      return false;
    }
    const u = value as { code: string; name: string; type: string };
    const first = seen.get(u.code);
    if (first !== undefined) issues.push(issue(`${path}.code`, 'orgs.import.duplicateCode', { code: u.code, row: first }, row));
    seen.set(u.code, row);
    units.push({
      row,
      field: jsonField(path),
      mode: level === 'province' ? 'continue' : 'overlap',
      on: from,
      code: u.code,
      name: u.name,
      kind: canonicalKind(u.type),
      level,
      parentCode,
      validFrom: from,
      validTo: to,
    });
    return true;
  };
  if (!add(province, 'province', 'province', null, JsonUnit)) return { units, links: [], issues, failed };
  const provinceCode = (province as { code: string }).code;
  if (threeLevel) {
    (province.districts as unknown[]).forEach((d, i) => {
      const path = `province.districts[${i}]`;
      if (!add(d, path, 'district', provinceCode, JsonDistrict)) return;
      const district = d as { code: string; communes: unknown[] };
      district.communes.forEach((c, j) => add(c, `${path}.communes[${j}]`, 'commune', district.code, JsonUnit));
    });
  } else {
    const communes = province.communes;
    if (!Array.isArray(communes)) issues.push(issue('province.communes', 'errors.type', { type: 'array' }, 1));
    else communes.forEach((c, j) => add(c, `province.communes[${j}]`, 'commune', provinceCode, JsonUnit));
  }
  return { units, links: [], issues, failed };
}

// ---------------------------------------------------------------- JSON: the 2025 reorganisation

const OldUnit = Type.Object({
  code: JsonCode,
  name: JsonName,
  district_code: JsonCode,
  province_code: JsonCode,
  merge: Type.Union([Type.Literal('full'), Type.Literal('partial')]),
});
const NewUnit = Type.Object({ code: JsonCode, name: JsonName, formed_from: Type.Array(Type.Unknown(), { minItems: 1 }) });
const ProvinceRef = Type.Object({ code: JsonCode, name: JsonName });
const Reorganisation = Type.Object({
  effective_date: JsonDate,
  new_province: ProvinceRef,
  old_provinces: Type.Array(ProvinceRef, { minItems: 1 }),
  new_to_old: Type.Array(Type.Unknown(), { minItems: 1 }),
  old_to_new: Type.Optional(Type.Array(Type.Object({ code: JsonCode, becomes: Type.Array(JsonCode) }))),
  known_issues: Type.Optional(
    Type.Array(
      Type.Object({
        old_code: JsonCode,
        resolution_says: Type.Array(JsonCode, { minItems: 1 }),
        note: Type.Optional(Type.String({ maxLength: 5000 })),
      }),
    ),
  ),
  source: Type.Object({ old_units: Type.Object({ data_date: JsonDate }) }),
});

interface ReorganisationDoc {
  effective_date: string;
  new_province: { code: string; name: string };
  old_provinces: { code: string; name: string }[];
  new_to_old: {
    code: string;
    name: string;
    formed_from: { code: string; name: string; district_code: string; province_code: string; merge: 'full' | 'partial' }[];
  }[];
  old_to_new?: { code: string; becomes: string[] }[];
  known_issues?: { old_code: string; resolution_says: string[]; note?: string }[];
  source: { old_units: { data_date: string } };
}

/**
 * The old → new mapping of a reorganisation, as `reorganisation-2025.json`: each new commune
 * is a successor of the old communes it was formed from (`full` or `partial` as the source
 * says), the old provinces are predecessors of the new one, and the province that keeps its
 * code simply continues. Old units not stored yet are created from the mapping (in force from
 * the old-unit list's date to the day before the change) under their stored districts; new
 * communes not stored yet are created under the new province. A `known_issues` entry replaces
 * the source's links of its old unit with the ones the resolution gives (`full` when there is
 * one), noted on each link.
 */
function planReorganisation(raw: Record<string, unknown>): Plan {
  const issues = check(Reorganisation, raw, 'file');
  if (issues.length) return { units: [], links: [], issues: issues.map((i) => ({ ...i, field: i.field.replace(/^file\./, '') })) };
  const doc = raw as unknown as ReorganisationDoc;
  const effective = doc.effective_date;
  const dayBefore = addDays(effective, -1);
  const oldFrom = doc.source.old_units.data_date;
  const units: PlannedUnit[] = [];
  const provinceLinks: PlannedLink[] = [];
  const links: PlannedLink[] = [];
  const nameOf = (path: string) => (f: UnitField) => `${path}.${f === 'parentCode' ? 'district_code' : f === 'code' ? 'code' : 'name'}`;
  const newCode = doc.new_province.code;
  doc.old_provinces.forEach((p, i) => {
    units.push({
      row: i + 1,
      field: nameOf(`old_provinces[${i}]`),
      mode: p.code === newCode ? 'continue' : 'ensure',
      on: dayBefore,
      code: p.code,
      name: p.name,
      kind: kindFromName(p.name, 'province') ?? 'Tỉnh',
      level: 'province',
      parentCode: null,
      validFrom: oldFrom,
      validTo: dayBefore,
    });
    if (p.code !== newCode) {
      provinceLinks.push({
        row: i + 1,
        field: { predecessor: `old_provinces[${i}].code`, successor: 'new_province.code' },
        predecessorCode: p.code,
        successorCode: newCode,
        effectiveOn: effective,
        share: 'full',
        note: null,
      });
    }
  });
  units.push({
    row: 1,
    field: nameOf('new_province'),
    mode: 'continue',
    on: effective,
    code: newCode,
    name: doc.new_province.name,
    kind: kindFromName(doc.new_province.name, 'province') ?? 'Tỉnh',
    level: 'province',
    parentCode: null,
    validFrom: effective,
    validTo: null,
  });
  const districts = new Set<string>();
  const olds = new Set<string>();
  const news: PlannedUnit[] = [];
  doc.new_to_old.forEach((n, i) => {
    const path = `new_to_old[${i}]`;
    const found = check(NewUnit, n, path, i + 1);
    if (found.length) {
      issues.push(...found);
      return;
    }
    news.push({
      row: i + 1,
      field: nameOf(path),
      mode: 'ensure',
      on: effective,
      code: n.code,
      name: n.name,
      kind: kindFromName(n.name, 'commune') ?? '',
      level: 'commune',
      parentCode: newCode,
      validFrom: effective,
      validTo: null,
    });
    n.formed_from.forEach((o, j) => {
      const at = `${path}.formed_from[${j}]`;
      const bad = check(OldUnit, o, at, i + 1);
      if (bad.length) {
        issues.push(...bad);
        return;
      }
      if (!districts.has(o.district_code)) {
        districts.add(o.district_code);
        units.push({
          row: i + 1,
          field: (f) => (f === 'code' ? `${at}.district_code` : `${at}.${f}`),
          mode: 'require',
          on: dayBefore,
          code: o.district_code,
          name: '',
          kind: '',
          level: 'district',
          parentCode: o.province_code,
          validFrom: oldFrom,
          validTo: dayBefore,
        });
      }
      if (!olds.has(o.code)) {
        olds.add(o.code);
        units.push({
          row: i + 1,
          field: nameOf(at),
          mode: 'ensure',
          on: dayBefore,
          code: o.code,
          name: o.name,
          kind: kindFromName(o.name, 'commune') ?? '',
          level: 'commune',
          parentCode: o.district_code,
          validFrom: oldFrom,
          validTo: dayBefore,
        });
      }
      if (links.some((l) => l.predecessorCode === o.code && l.successorCode === n.code)) {
        issues.push(issue(`${at}.code`, 'orgs.import.duplicateLink', { from: o.code, to: n.code }, i + 1));
        return;
      }
      links.push({
        row: i + 1,
        field: { predecessor: `${at}.code`, successor: `${path}.code` },
        predecessorCode: o.code,
        successorCode: n.code,
        effectiveOn: effective,
        share: o.merge,
        note: null,
      });
    });
  });
  units.push(...news);
  if (doc.old_to_new) issues.push(...mappingMismatches(doc.old_to_new, links));
  (doc.known_issues ?? []).forEach((k, i) => {
    const mine = links.filter((l) => l.predecessorCode === k.old_code);
    const first = mine[0];
    if (!first) {
      issues.push(issue(`known_issues[${i}].old_code`, 'orgs.import.knownIssueUnmatched', { code: k.old_code }, i + 1));
      return;
    }
    const corrected = k.resolution_says.map((to): PlannedLink => ({
      ...(mine.find((l) => l.successorCode === to) ?? { ...first, successorCode: to }),
      share: k.resolution_says.length === 1 ? 'full' : 'partial',
      note: k.note ?? null,
    }));
    links.splice(0, links.length, ...links.filter((l) => l.predecessorCode !== k.old_code), ...corrected);
  });
  return { units, links: [...provinceLinks, ...links], issues };
}

/** The two directions of a mapping must list the same (old, new) pairs. */
function mappingMismatches(oldToNew: { code: string; becomes: string[] }[], links: PlannedLink[]): Issue[] {
  const forward = new Set(links.map((l) => `${l.predecessorCode}>${l.successorCode}`));
  const backward = new Set(oldToNew.flatMap((o) => o.becomes.map((b) => `${o.code}>${b}`)));
  const out: Issue[] = [];
  oldToNew.forEach((o, i) => {
    for (const b of o.becomes) {
      if (!forward.has(`${o.code}>${b}`)) out.push(issue(`old_to_new[${i}].becomes`, 'orgs.import.mappingMismatch', { from: o.code, to: b }, i + 1));
    }
  });
  for (const l of links) {
    if (!backward.has(`${l.predecessorCode}>${l.successorCode}`))
      out.push(issue(l.field.predecessor, 'orgs.import.mappingMismatch', { from: l.predecessorCode, to: l.successorCode }, l.row));
  }
  return out;
}

function planJson(text: string): Plan {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : 1;
    return { units: [], links: [], issues: [issue('file', 'orgs.import.badJson', { line })] };
  }
  if (isRecord(doc) && 'new_to_old' in doc) return planReorganisation(doc);
  if (isRecord(doc) && isRecord(doc.province) && ('districts' in doc.province || 'communes' in doc.province)) return planSnapshot(doc);
  return { units: [], links: [], issues: [issue('file', 'orgs.import.unknownShape')] };
}

// ---------------------------------------------------------------- CSV

export const unitCsvColumns = { required: ['code', 'name', 'kind', 'level', 'valid_from'], optional: ['parent_code', 'valid_to'] } as const;
export const successionCsvColumns = { required: ['predecessor_code', 'successor_code', 'effective_on'], optional: ['share', 'note'] } as const;

const CODE = /^[0-9]{2,10}$/;

const csvUnitField = (f: UnitField): string =>
  ({ code: 'code', kind: 'kind', level: 'level', parentCode: 'parent_code', validFrom: 'valid_from', validTo: 'valid_to' })[f];

/** Units, one a row: code,name,kind,level,parent_code,valid_from,valid_to; the same code and valid_from update the stored unit. */
function planUnitCsv(text: string): Plan {
  const { rows, issues } = parseCsv(text, unitCsvColumns);
  const units: PlannedUnit[] = [];
  const failed: string[] = [];
  const seen = new Map<string, number>();
  for (const { row, values: v } of rows) {
    const before = issues.length;
    const code = v.code ?? '';
    const level = parseLevel(v.level ?? '');
    const validFrom = parseDate(v.valid_from ?? '');
    const validTo = v.valid_to ? parseDate(v.valid_to) : null;
    const parentCode = v.parent_code || null;
    if (!CODE.test(code)) issues.push(issue('code', code ? 'orgs.import.badCode' : 'errors.required', undefined, row));
    if (!v.name) issues.push(issue('name', 'errors.required', undefined, row));
    else if (v.name.length > 200) issues.push(issue('name', 'errors.maxLength', { limit: 200 }, row));
    if (!v.kind) issues.push(issue('kind', 'errors.required', undefined, row));
    if (!level) issues.push(issue('level', 'orgs.import.badLevel', { value: v.level ?? '' }, row));
    if (!validFrom) issues.push(issue('valid_from', v.valid_from ? 'orgs.import.badDate' : 'errors.required', { value: v.valid_from ?? '' }, row));
    if (validTo === undefined) issues.push(issue('valid_to', 'orgs.import.badDate', { value: v.valid_to ?? '' }, row));
    if (parentCode && !CODE.test(parentCode)) issues.push(issue('parent_code', 'orgs.import.badCode', undefined, row));
    const key = `${code}@${validFrom ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) issues.push(issue('code', 'orgs.import.duplicateCode', { code, row: first }, row));
    seen.set(key, row);
    if (issues.length > before || !level || !validFrom || validTo === undefined) {
      failed.push(code);
      continue;
    }
    units.push({
      row,
      field: csvUnitField,
      mode: 'exact',
      on: validFrom,
      code,
      ...unitNameColumns(v.name ?? ''),
      kind: canonicalKind(v.kind ?? ''),
      level,
      parentCode,
      validFrom,
      validTo,
    });
  }
  return { units, links: [], issues, failed };
}

/** Successions, one a row: predecessor_code,successor_code,effective_on,share,note. */
function planSuccessionCsv(text: string): Plan {
  const { rows, issues } = parseCsv(text, successionCsvColumns);
  const links: PlannedLink[] = [];
  const seen = new Map<string, number>();
  for (const { row, values: v } of rows) {
    const before = issues.length;
    const effectiveOn = parseDate(v.effective_on ?? '');
    const share = (v.share || 'full').toLowerCase();
    if (!CODE.test(v.predecessor_code ?? ''))
      issues.push(issue('predecessor_code', v.predecessor_code ? 'orgs.import.badCode' : 'errors.required', undefined, row));
    if (!CODE.test(v.successor_code ?? ''))
      issues.push(issue('successor_code', v.successor_code ? 'orgs.import.badCode' : 'errors.required', undefined, row));
    if (!effectiveOn)
      issues.push(issue('effective_on', v.effective_on ? 'orgs.import.badDate' : 'errors.required', { value: v.effective_on ?? '' }, row));
    if (share !== 'full' && share !== 'partial') issues.push(issue('share', 'orgs.import.badShare', { value: v.share ?? '' }, row));
    if ((v.note ?? '').length > 2000) issues.push(issue('note', 'errors.maxLength', { limit: 2000 }, row));
    const key = `${v.predecessor_code ?? ''}>${v.successor_code ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined)
      issues.push(issue('successor_code', 'orgs.import.duplicateLink', { from: v.predecessor_code ?? '', to: v.successor_code ?? '' }, row));
    seen.set(key, row);
    if (issues.length > before || !effectiveOn) continue;
    links.push({
      row,
      field: { predecessor: 'predecessor_code', successor: 'successor_code' },
      predecessorCode: v.predecessor_code ?? '',
      successorCode: v.successor_code ?? '',
      effectiveOn,
      share: share === 'partial' ? 'partial' : 'full',
      note: v.note || null,
    });
  }
  return { units: [], links, issues };
}

function planCsv(text: string): Plan {
  return csvHasColumns(text, ['predecessor_code', 'successor_code']) ? planSuccessionCsv(text) : planUnitCsv(text);
}

// ---------------------------------------------------------------- writing

class Rollback extends Error {}

function unionPeriod(a: UnitRow, p: PlannedUnit): { validFrom: string; validTo: string | null } {
  return {
    validFrom: a.validFrom < p.validFrom ? a.validFrom : p.validFrom,
    validTo: a.validTo === null || p.validTo === null ? null : a.validTo > p.validTo ? a.validTo : p.validTo,
  };
}

/**
 * Writes the plan in a savepoint, checking each row against what is stored and what the rows
 * before it wrote; any problem, found here or while reading, and all of it is rolled back.
 */
async function applyPlan(db: Db, actor: Actor, plan: Plan, fileName: string | undefined): Promise<ImportReport> {
  const issues: Issue[] = [...plan.issues];
  const counts = { created: 0, updated: 0, successions: 0 };
  try {
    await db.transaction(async (tx) => {
      const w: Db = tx;
      const index = await UnitIndex.load(w);
      const allowed = (scopeOf: string | null): boolean =>
        can(actor, 'units.write', { unitPath: scopeOf ? index.path(scopeOf) : [], institutionPath: [] });
      // Codes already reported: what hangs on them is skipped, not reported again.
      const failed = new Set<string>(plan.failed);
      for (const p of plan.units) {
        if (p.parentCode && failed.has(p.parentCode)) {
          failed.add(p.code);
          continue;
        }
        const before = issues.length;
        await applyUnit(w, actor, index, p, issues, counts, allowed);
        if (issues.length > before) failed.add(p.code);
      }
      const stored = new Map((await w.select().from(unitSuccessions)).map((l) => [`${l.predecessorId}>${l.successorId}`, l]));
      for (const l of plan.links) {
        if (!failed.has(l.predecessorCode) && !failed.has(l.successorCode)) await applyLink(w, actor, index, l, stored, issues, counts, allowed);
      }
      if (issues.length) throw new Rollback();
      await recordAudit(w, actor, { action: 'import', entityType: 'unit', after: { fileName: fileName ?? null, ...counts } });
    });
  } catch (err) {
    if (err instanceof Rollback) return report(issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)));
    throw err;
  }
  return report([], counts);
}

async function applyUnit(
  db: Db,
  actor: Actor,
  index: UnitIndex,
  p: PlannedUnit,
  issues: Issue[],
  counts: { created: number; updated: number },
  allowed: (scopeOf: string | null) => boolean,
): Promise<void> {
  if (p.mode === 'require' || p.mode === 'ensure') {
    if (index.find(p.code, p.on)) return;
    if (p.mode === 'require') {
      issues.push(issue(p.field('code'), 'orgs.import.unitMissing', { code: p.code, date: p.on }, p.row));
      return;
    }
  }
  const match =
    p.mode === 'exact'
      ? index.withCode(p.code).find((r) => r.validFrom === p.validFrom)
      : p.mode === 'overlap' || p.mode === 'continue'
        ? index.matching(p.code, p.level, p, p.mode === 'continue')
        : undefined;
  const period = match && p.mode !== 'exact' ? unionPeriod(match, p) : { validFrom: p.validFrom, validTo: p.validTo };
  const parent = p.parentCode ? index.find(p.parentCode, period.validFrom) : undefined;
  const found = placementIssues(
    {
      unit: { code: p.code, level: p.level, kind: p.kind, parentCode: p.parentCode, ...period },
      parent,
      sameCode: index.withCode(p.code).filter((r) => r.id !== match?.id),
      children: match ? index.children(match.id) : [],
    },
    p.field,
    p.row,
  );
  if (found.length) {
    issues.push(...found);
    return;
  }
  const values = { code: p.code, ...unitNameColumns(p.name), kind: p.kind, level: p.level, parentId: parent?.id ?? null, ...period };
  if (
    match &&
    match.name === values.name &&
    match.kind === values.kind &&
    match.level === values.level &&
    match.parentId === values.parentId &&
    match.validFrom === values.validFrom &&
    match.validTo === values.validTo
  )
    return;
  if (!allowed(parent?.id ?? match?.id ?? null) || (match && !allowed(match.parentId ?? match.id))) {
    issues.push(issue(p.field('code'), 'orgs.import.forbidden', { code: p.code }, p.row));
    return;
  }
  const [row] = match
    ? await db
        .update(adminUnits)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(adminUnits.id, match.id))
        .returning()
    : await db.insert(adminUnits).values(values).returning();
  if (!row) throw new Error('write returned nothing');
  index.put(row);
  if (match) counts.updated += 1;
  else counts.created += 1;
  await recordAudit(db, actor, {
    action: match ? 'update' : 'create',
    entityType: 'unit',
    entityId: row.id,
    before: match ? auditUnit(match) : undefined,
    after: auditUnit(row),
    unitIds: index.path(row.id),
  });
}

async function applyLink(
  db: Db,
  actor: Actor,
  index: UnitIndex,
  l: PlannedLink,
  stored: Map<string, SuccessionRow>,
  issues: Issue[],
  counts: { successions: number },
  allowed: (scopeOf: string | null) => boolean,
): Promise<void> {
  const dayBefore = addDays(l.effectiveOn, -1);
  const predecessor = index.find(l.predecessorCode, dayBefore);
  const successor = index.find(l.successorCode, l.effectiveOn);
  if (!predecessor) issues.push(issue(l.field.predecessor, 'orgs.import.unitUnknown', { code: l.predecessorCode, date: dayBefore }, l.row));
  if (!successor) issues.push(issue(l.field.successor, 'orgs.import.unitUnknown', { code: l.successorCode, date: l.effectiveOn }, l.row));
  if (!predecessor || !successor) return;
  const found = successionIssues(predecessor, successor, l.effectiveOn, l.field, l.row);
  if (found.length) {
    issues.push(...found);
    return;
  }
  const key = `${predecessor.id}>${successor.id}`;
  const old = stored.get(key);
  const values = { effectiveOn: l.effectiveOn, share: l.share, note: l.note };
  if (old && old.effectiveOn === values.effectiveOn && old.share === values.share && old.note === values.note) return;
  if (!allowed(successor.parentId ?? successor.id)) {
    issues.push(issue(l.field.successor, 'orgs.import.forbidden', { code: successor.code }, l.row));
    return;
  }
  const [link] = old
    ? await db
        .update(unitSuccessions)
        .set(values)
        .where(and(eq(unitSuccessions.predecessorId, predecessor.id), eq(unitSuccessions.successorId, successor.id)))
        .returning()
    : await db
        .insert(unitSuccessions)
        .values({ predecessorId: predecessor.id, successorId: successor.id, ...values })
        .returning();
  if (!link) throw new Error('write returned nothing');
  stored.set(key, link);
  counts.successions += 1;
  await recordAudit(db, actor, {
    action: 'add_succession',
    entityType: 'unit',
    entityId: successor.id,
    before: old ?? undefined,
    after: link,
    unitIds: index.path(successor.id),
  });
}

/**
 * Loads a unit list (JSON snapshot, reorganisation mapping, or CSV of units or of successions)
 * in one transaction: any error and nothing is written, and the report lists every error with
 * its row and field. Running it again changes nothing.
 */
export async function importUnits(db: Db, actor: Actor, source: UnitSource): Promise<ImportReport> {
  requireSomewhere(actor, 'units.write');
  const plan = source.format === 'json' ? planJson(source.text) : planCsv(source.text);
  if (plan.units.length === 0 && plan.links.length === 0) return report(plan.issues);
  return applyPlan(db, actor, plan, source.fileName);
}
