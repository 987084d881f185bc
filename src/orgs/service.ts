import { and, asc, count, desc, eq, gt, inArray, isNull, lte, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { authorize, everywhere, type Actor, type Grant, type Scope } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { ConflictError, issue, NotFoundError, ValidationError, type Issue } from '../platform/errors.js';
import { pageWindow } from '../platform/http/schemas.js';
import { checkValue } from '../platform/http/validation.js';
import { foldVi, normalizeVi, sortKeyVi, tokensVi } from '../platform/text/index.js';
import { vnToday } from '../platform/time.js';
import {
  covers,
  inForce,
  InstitutionInput,
  InstitutionPatch,
  isUuid,
  kindsByLevel,
  levelRank,
  overlaps,
  addDays,
  SuccessionInput,
  UnitInput,
  UnitPatch,
  type InstitutionRow,
  type UnitLevel,
  type UnitRow,
} from './model.js';
import {
  auditInstitution,
  auditUnit,
  type InstitutionDetail,
  type InstitutionItem,
  type Linked,
  type SuccessionRow,
  type UnitDetail,
  type UnitItem,
} from './presenters.js';
import { requireSomewhere } from './guard.js';
import { adminUnits, institutions, unitSuccessions } from './schema.js';
import { institutionScope, institutionSubtree, inSubtree, unitPath, unitScope } from './scope.js';
import { messageKey } from '../platform/i18n/index.js';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Text search: every word of the query appears in the name, with or without marks ("thu vien
 * vinh long" finds "Thư viện thành phố Vĩnh Long"), or the query is the code. Names that have
 * the words typed with marks, with the same marks, come first ("bà" before "ba").
 */
function textSearch(c: { folded: AnyColumn; raw: AnyColumn; code: AnyColumn }, q: string | undefined): { where: SQL | undefined; rank: SQL[] } {
  const words = q ? tokensVi(q) : [];
  if (!q || words.length === 0) return { where: undefined, rank: [] };
  const like = (w: string) => `%${foldVi(w).replace(/[%_\\]/g, '\\$&')}%`;
  const where = or(and(...words.map((w) => sql`${c.folded} like ${like(w)}`)), sql`lower(${c.code}) = ${q.trim().toLowerCase()}`);
  const toned = words.filter((w) => foldVi(w) !== w);
  const missing = toned.map((w) => sql`(strpos(lower(${c.raw}), ${w}) = 0)::int`);
  return { where, rank: missing.length ? [sql`(${sql.join(missing, sql` + `)})`] : [] };
}

// ---------------------------------------------------------------- units

export type UnitField = 'code' | 'kind' | 'level' | 'parentCode' | 'validFrom' | 'validTo';

export interface PlacementCheck {
  unit: { code: string; level: UnitLevel; kind: string; validFrom: string; validTo: string | null; parentCode: string | null };
  /** The unit the parent code names, in force when the unit starts. */
  parent: UnitRow | undefined;
  /** Other units with the same code. */
  sameCode: UnitRow[];
  /** Units that have this one as parent (when updating). */
  children: UnitRow[];
}

/**
 * The rules a unit's place must follow, whoever writes it (form, API or import): its kind fits
 * its level; its parent is one level up (a commune may sit directly in the province, as it
 * does from 1/7/2025) and in force for its whole period; no other unit has the code in an
 * overlapping period; its children stay inside its period.
 */
export function placementIssues(c: PlacementCheck, field: (f: UnitField) => string, row?: number): Issue[] {
  const out: Issue[] = [];
  const add = (f: UnitField, key: string, params?: Record<string, string | number>) => out.push(issue(field(f), messageKey(key), params, row));
  const { unit, parent } = c;
  if (!kindsByLevel[unit.level].includes(unit.kind)) add('kind', 'orgs.unit.kindLevel', { kinds: kindsByLevel[unit.level].join(', ') });
  if (unit.validTo !== null && unit.validTo < unit.validFrom) add('validTo', 'orgs.unit.periodOrder');
  if (unit.level === 'province' && unit.parentCode) add('parentCode', 'orgs.unit.provinceParent');
  if (unit.level !== 'province' && !unit.parentCode) add('parentCode', 'errors.required');
  if (unit.parentCode && !parent) add('parentCode', 'orgs.unit.parentUnknown', { code: unit.parentCode, date: unit.validFrom });
  if (parent && unit.level !== 'province') {
    if (levelRank[parent.level] >= levelRank[unit.level]) add('parentCode', 'orgs.unit.parentLevel', { code: parent.code });
    else if (!covers(parent, unit))
      add('parentCode', 'orgs.unit.parentPeriod', { code: parent.code, from: parent.validFrom, to: parent.validTo ?? '…' });
  }
  const clash = c.sameCode.find((o) => overlaps(o, unit));
  if (clash) add('code', 'orgs.unit.codeOverlap', { code: unit.code, from: clash.validFrom, to: clash.validTo ?? '…' });
  const outside = c.children.find((ch) => !covers(unit, ch));
  if (outside) add('validTo', 'orgs.unit.childrenOutside', { code: outside.code });
  return out;
}

/** A kind as people type it ("thi tran", "Thị Trấn") in its canonical spelling, or as given. */
export function canonicalKind(value: string): string {
  const folded = foldVi(value);
  return (
    Object.values(kindsByLevel)
      .flat()
      .find((k) => foldVi(k) === folded) ?? normalizeVi(value)
  );
}

export function unitNameColumns(name: string) {
  const clean = normalizeVi(name);
  return { name: clean, nameFolded: foldVi(clean), sortKey: sortKeyVi(clean) };
}

/** The unit with this code in force on the date; without a date, the one in force today or else the latest. */
export async function findUnitByCode(db: Db, code: string, on?: string): Promise<UnitRow | undefined> {
  const rows = await db.select().from(adminUnits).where(eq(adminUnits.code, code.trim())).orderBy(desc(adminUnits.validFrom));
  if (on) return rows.find((r) => inForce(r, on));
  return rows.find((r) => inForce(r, vnToday())) ?? rows[0];
}

/** The id of the unit with this code in force at that moment (else today, else the latest); null if none. */
export async function unitIdByCode(db: Db, code: string, at?: Date): Promise<string | null> {
  return (await findUnitByCode(db, code, at ? vnToday(at) : undefined))?.id ?? null;
}

/** The id of the institution with this code; null if none. */
export async function institutionIdByCode(db: Db, code: string): Promise<string | null> {
  const [row] = await db.select({ id: institutions.id }).from(institutions).where(eq(institutions.code, code.trim().toUpperCase()));
  return row?.id ?? null;
}

/** Where a write on a unit lands: under its parent; a province is its own scope. */
export async function unitWriteScope(db: Db, unit: Pick<UnitRow, 'id' | 'parentId'>): Promise<Scope> {
  return unitScope(db, unit.parentId ?? unit.id);
}

async function loadUnit(db: Db, id: string): Promise<UnitRow> {
  const [row] = isUuid(id) ? await db.select().from(adminUnits).where(eq(adminUnits.id, id)) : [];
  if (!row) throw new NotFoundError('orgs.unit.notFound');
  return row;
}

async function unitsById(db: Db, ids: string[]): Promise<Map<string, UnitRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(adminUnits)
    .where(inArray(adminUnits.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

async function successionsOf(db: Db, ids: string[]): Promise<{ predecessors: Map<string, Linked[]>; successors: Map<string, Linked[]> }> {
  const predecessors = new Map<string, Linked[]>();
  const successors = new Map<string, Linked[]>();
  if (ids.length === 0) return { predecessors, successors };
  const links: SuccessionRow[] = await db
    .select()
    .from(unitSuccessions)
    .where(or(inArray(unitSuccessions.successorId, ids), inArray(unitSuccessions.predecessorId, ids)));
  const units = await unitsById(
    db,
    links.flatMap((l) => [l.predecessorId, l.successorId]),
  );
  const push = (map: Map<string, Linked[]>, key: string, unit: UnitRow | undefined, link: SuccessionRow) => {
    if (unit) map.set(key, [...(map.get(key) ?? []), { unit, link }]);
  };
  for (const link of links) {
    push(predecessors, link.successorId, units.get(link.predecessorId), link);
    push(successors, link.predecessorId, units.get(link.successorId), link);
  }
  const byCode = (a: Linked, b: Linked) => a.unit.sortKey.localeCompare(b.unit.sortKey) || a.unit.code.localeCompare(b.unit.code);
  for (const list of [...predecessors.values(), ...successors.values()]) list.sort(byCode);
  return { predecessors, successors };
}

export interface UnitFilter {
  q?: string | undefined;
  level?: UnitLevel | undefined;
  /** A date (YYYY-MM-DD), or 'all' for every period; today by default. */
  at?: string | undefined;
  parentId?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

function inForceSql(on: string): SQL | undefined {
  return and(lte(adminUnits.validFrom, on), or(isNull(adminUnits.validTo), sql`${adminUnits.validTo} >= ${on}`));
}

export async function listUnits(db: Db, f: UnitFilter): Promise<Page<UnitItem>> {
  const { page, pageSize, offset } = pageWindow(f, 50, 500);
  const parent = alias(adminUnits, 'parent');
  const search = textSearch({ folded: adminUnits.nameFolded, raw: adminUnits.name, code: adminUnits.code }, f.q);
  const where = and(
    f.level ? eq(adminUnits.level, f.level) : undefined,
    f.at === 'all' ? undefined : inForceSql(f.at ?? vnToday()),
    f.parentId ? (isUuid(f.parentId) ? eq(adminUnits.parentId, f.parentId) : sql`false`) : undefined,
    search.where,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({ unit: adminUnits, parent })
      .from(adminUnits)
      .leftJoin(parent, eq(parent.id, adminUnits.parentId))
      .where(where)
      .orderBy(...search.rank, asc(adminUnits.level), asc(adminUnits.sortKey), asc(adminUnits.code), asc(adminUnits.validFrom))
      .limit(pageSize)
      .offset(offset),
    db.select({ n: count() }).from(adminUnits).where(where),
  ]);
  const links = await successionsOf(
    db,
    rows.map((r) => r.unit.id),
  );
  return {
    items: rows.map((r) => ({
      unit: r.unit,
      parent: r.parent,
      predecessors: links.predecessors.get(r.unit.id) ?? [],
      successors: links.successors.get(r.unit.id) ?? [],
    })),
    total: total?.n ?? 0,
    page,
    pageSize,
  };
}

export async function getUnit(db: Db, id: string): Promise<UnitDetail> {
  const unit = await loadUnit(db, id);
  const ids = await unitPath(db, unit.id);
  const [ancestors, children, inside, links] = await Promise.all([
    unitsById(db, ids.slice(1)),
    db
      .select()
      .from(adminUnits)
      .where(eq(adminUnits.parentId, unit.id))
      .orderBy(asc(adminUnits.level), asc(adminUnits.sortKey), asc(adminUnits.code)),
    db.select().from(institutions).where(eq(institutions.unitId, unit.id)).orderBy(asc(institutions.sortKey), asc(institutions.code)),
    successionsOf(db, [unit.id]),
  ]);
  const path = ids
    .slice(1)
    .reverse()
    .map((a) => ancestors.get(a))
    .filter((u): u is UnitRow => Boolean(u));
  return {
    unit,
    parent: path.at(-1) ?? null,
    path,
    children,
    institutions: inside,
    predecessors: links.predecessors.get(unit.id) ?? [],
    successors: links.successors.get(unit.id) ?? [],
  };
}

const apiUnitField = (f: UnitField) => f;

function cleanUnit(data: UnitInput) {
  return {
    code: data.code.trim(),
    ...unitNameColumns(data.name),
    kind: canonicalKind(data.kind),
    level: data.level,
    parentCode: data.parentCode?.trim() || null,
    validFrom: data.validFrom,
    validTo: data.validTo ?? null,
  };
}

async function sameCode(db: Db, code: string, except?: string): Promise<UnitRow[]> {
  const rows = await db.select().from(adminUnits).where(eq(adminUnits.code, code));
  return rows.filter((r) => r.id !== except);
}

/** Resolves the parent code, refusing an unknown one before any access decision depends on it. */
async function resolveParent(db: Db, parentCode: string | null, validFrom: string): Promise<UnitRow | undefined> {
  if (!parentCode) return undefined;
  const parent = await findUnitByCode(db, parentCode, validFrom);
  if (!parent) throw new ValidationError([issue('parentCode', 'orgs.unit.parentUnknown', { code: parentCode, date: validFrom })]);
  return parent;
}

/** Input is checked here, wherever it comes from (form, API, command line). */
export async function createUnit(db: Db, actor: Actor, input: unknown): Promise<UnitRow> {
  requireSomewhere(actor, 'units.write');
  const data = cleanUnit(checkValue(UnitInput, input));
  const parent = await resolveParent(db, data.parentCode, data.validFrom);
  const scope = parent ? await unitScope(db, parent.id) : everywhere;
  authorize(actor, 'units.write', scope);
  const issues = placementIssues({ unit: data, parent, sameCode: await sameCode(db, data.code), children: [] }, apiUnitField);
  if (issues.length) throw new ValidationError(issues);
  const { parentCode: _code, ...values } = data;
  const [row] = await db
    .insert(adminUnits)
    .values({ ...values, parentId: parent?.id ?? null })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await recordAudit(db, actor, {
    action: 'create',
    entityType: 'unit',
    entityId: row.id,
    after: auditUnit(row),
    unitIds: [row.id, ...scope.unitPath],
  });
  return row;
}

export async function updateUnit(db: Db, actor: Actor, id: string, patch: unknown): Promise<UnitRow> {
  requireSomewhere(actor, 'units.write');
  const existing = await loadUnit(db, id);
  const scope = await unitWriteScope(db, existing);
  authorize(actor, 'units.write', scope);
  const given = checkValue(UnitPatch, patch);
  const currentParent = existing.parentId ? await loadUnit(db, existing.parentId) : undefined;
  const data = cleanUnit(
    checkValue(UnitInput, {
      code: existing.code,
      name: existing.name,
      kind: existing.kind,
      level: existing.level,
      parentCode: currentParent?.code ?? null,
      validFrom: existing.validFrom,
      validTo: existing.validTo,
      ...given,
    }),
  );
  const parentChanged = given.parentCode !== undefined && (given.parentCode?.trim() || null) !== (currentParent?.code ?? null);
  const parent = parentChanged ? await resolveParent(db, data.parentCode, data.validFrom) : currentParent;
  if (parent && parent.id !== existing.parentId) authorize(actor, 'units.write', await unitScope(db, parent.id));
  const children = await db.select().from(adminUnits).where(eq(adminUnits.parentId, existing.id));
  const issues = placementIssues({ unit: data, parent, sameCode: await sameCode(db, data.code, existing.id), children }, apiUnitField);
  if (issues.length) throw new ValidationError(issues);
  const { parentCode: _code, ...values } = data;
  const [row] = await db
    .update(adminUnits)
    .set({ ...values, parentId: parent?.id ?? null, updatedAt: new Date() })
    .where(eq(adminUnits.id, existing.id))
    .returning();
  if (!row) throw new NotFoundError('orgs.unit.notFound');
  await recordAudit(db, actor, {
    action: 'update',
    entityType: 'unit',
    entityId: row.id,
    before: auditUnit(existing),
    after: auditUnit(row),
    unitIds: await unitPath(db, row.id),
  });
  return row;
}

export async function addSuccession(db: Db, actor: Actor, input: unknown): Promise<SuccessionRow> {
  requireSomewhere(actor, 'units.write');
  const data = checkValue(SuccessionInput, input);
  const units = await unitsById(db, [data.predecessorId, data.successorId]);
  const predecessor = units.get(data.predecessorId);
  const successor = units.get(data.successorId);
  const issues: Issue[] = [];
  if (!predecessor) issues.push(issue('predecessorId', 'orgs.unit.notFound'));
  if (!successor) issues.push(issue('successorId', 'orgs.unit.notFound'));
  if (!predecessor || !successor) throw new ValidationError(issues);
  authorize(actor, 'units.write', await unitWriteScope(db, successor));
  issues.push(...successionIssues(predecessor, successor, data.effectiveOn, { predecessor: 'predecessorId', successor: 'successorId' }));
  if (issues.length) throw new ValidationError(issues);
  const values = { effectiveOn: data.effectiveOn, share: data.share ?? 'full', note: data.note ?? null };
  const [link] = await db
    .insert(unitSuccessions)
    .values({ predecessorId: predecessor.id, successorId: successor.id, ...values })
    .onConflictDoUpdate({ target: [unitSuccessions.predecessorId, unitSuccessions.successorId], set: values })
    .returning();
  if (!link) throw new Error('insert returned nothing');
  await recordAudit(db, actor, {
    action: 'add_succession',
    entityType: 'unit',
    entityId: successor.id,
    after: { predecessorId: predecessor.id, ...values },
    unitIds: await unitPath(db, successor.id),
  });
  return link;
}

/** A predecessor is in force the day before the change, its successor on the day, and they differ. */
export function successionIssues(
  predecessor: UnitRow,
  successor: UnitRow,
  effectiveOn: string,
  field: { predecessor: string; successor: string },
  row?: number,
): Issue[] {
  const out: Issue[] = [];
  if (predecessor.id === successor.id) out.push(issue(field.successor, 'orgs.succession.self', undefined, row));
  const dayBefore = addDays(effectiveOn, -1);
  if (!inForce(predecessor, dayBefore))
    out.push(issue(field.predecessor, 'orgs.succession.predecessorPeriod', { code: predecessor.code, date: dayBefore }, row));
  if (!inForce(successor, effectiveOn))
    out.push(issue(field.successor, 'orgs.succession.successorPeriod', { code: successor.code, date: effectiveOn }, row));
  return out;
}

// ---------------------------------------------------------------- institutions

export interface InstitutionFilter {
  q?: string | undefined;
  type?: InstitutionRow['type'] | undefined;
  /** A unit id or code: institutions in it or anywhere below it. */
  unit?: string | undefined;
  /** 'open' (default) hides institutions closed before today. */
  status?: 'open' | 'all' | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

async function unitIdOf(db: Db, unit: string): Promise<string | undefined> {
  if (isUuid(unit)) return unit;
  return (await findUnitByCode(db, unit))?.id;
}

export async function listInstitutions(db: Db, f: InstitutionFilter): Promise<Page<InstitutionItem>> {
  const { page, pageSize, offset } = pageWindow(f, 50, 500);
  const parent = alias(institutions, 'parent_institution');
  const search = textSearch({ folded: institutions.nameFolded, raw: institutions.name, code: institutions.code }, f.q);
  const unitId = f.unit ? await unitIdOf(db, f.unit) : undefined;
  const today = vnToday();
  const where = and(
    f.type ? eq(institutions.type, f.type) : undefined,
    f.unit ? (unitId ? inSubtree(institutions.unitId, unitId) : sql`false`) : undefined,
    f.status === 'all' ? undefined : or(isNull(institutions.closedOn), gt(institutions.closedOn, today)),
    search.where,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({ institution: institutions, unit: adminUnits, parent })
      .from(institutions)
      .innerJoin(adminUnits, eq(adminUnits.id, institutions.unitId))
      .leftJoin(parent, eq(parent.id, institutions.parentId))
      .where(where)
      .orderBy(...search.rank, asc(institutions.sortKey), asc(institutions.code))
      .limit(pageSize)
      .offset(offset),
    db.select({ n: count() }).from(institutions).where(where),
  ]);
  return { items: rows, total: total?.n ?? 0, page, pageSize };
}

async function loadInstitution(db: Db, id: string): Promise<InstitutionRow> {
  const [row] = isUuid(id) ? await db.select().from(institutions).where(eq(institutions.id, id)) : [];
  if (!row) throw new NotFoundError('orgs.institution.notFound');
  return row;
}

export async function getInstitution(db: Db, id: string): Promise<InstitutionDetail> {
  const institution = await loadInstitution(db, id);
  const scope = await institutionScope(db, institution.id);
  const [units, around, children] = await Promise.all([
    unitsById(db, scope.unitPath),
    scope.institutionPath.length > 1
      ? db
          .select()
          .from(institutions)
          .where(inArray(institutions.id, scope.institutionPath.slice(1)))
      : Promise.resolve([]),
    db.select().from(institutions).where(eq(institutions.parentId, institution.id)).orderBy(asc(institutions.sortKey), asc(institutions.code)),
  ]);
  const unitPathRows = [...scope.unitPath]
    .reverse()
    .map((u) => units.get(u))
    .filter((u): u is UnitRow => Boolean(u));
  const byId = new Map(around.map((r) => [r.id, r]));
  const ancestors = scope.institutionPath
    .slice(1)
    .reverse()
    .map((i) => byId.get(i))
    .filter((i): i is InstitutionRow => Boolean(i));
  const unit = units.get(institution.unitId);
  if (!unit) throw new NotFoundError('orgs.unit.notFound');
  return { institution, unit, parent: ancestors.at(-1) ?? null, unitPath: unitPathRows, ancestors, children };
}

function optionalText(value: string | null | undefined): string | null {
  const clean = value ? normalizeVi(value) : '';
  return clean || null;
}

export function cleanInstitution(data: InstitutionInput) {
  const name = normalizeVi(data.name);
  return {
    code: data.code.trim().toUpperCase(),
    name,
    nameFolded: foldVi(name),
    sortKey: sortKeyVi(name),
    type: data.type,
    unitCode: data.unitCode.trim(),
    parentCode: data.parentCode?.trim().toUpperCase() || null,
    address: optionalText(data.address),
    phone: data.phone?.trim() || null,
    email: data.email?.trim().toLowerCase() || null,
    website: data.website?.trim() || null,
    servesPublic: data.servesPublic ?? true,
    openedOn: data.openedOn ?? null,
    closedOn: data.closedOn ?? null,
    note: optionalText(data.note),
  };
}

export type CleanInstitution = ReturnType<typeof cleanInstitution>;

export interface InstitutionRefs {
  unit: UnitRow | undefined;
  parent: InstitutionRow | undefined;
}

/**
 * Looks up the unit and parent an institution names and checks its dates; every problem at once.
 * When updating, the codes of its current unit and parent keep naming them, even if the unit has
 * since been replaced by a newer unit with the same code.
 */
async function resolveInstitution(db: Db, data: CleanInstitution, current?: InstitutionRefs): Promise<{ refs: InstitutionRefs; issues: Issue[] }> {
  const unit = current?.unit?.code === data.unitCode ? current.unit : await findUnitByCode(db, data.unitCode);
  const [parent] = !data.parentCode
    ? []
    : current?.parent?.code === data.parentCode
      ? [current.parent]
      : await db.select().from(institutions).where(eq(institutions.code, data.parentCode));
  const issues: Issue[] = [];
  if (!unit) issues.push(issue('unitCode', 'orgs.institution.unitUnknown', { code: data.unitCode }));
  if (data.parentCode && !parent) issues.push(issue('parentCode', 'orgs.institution.parentUnknown', { code: data.parentCode }));
  if (data.openedOn && data.closedOn && data.closedOn < data.openedOn) issues.push(issue('closedOn', 'orgs.institution.closedBeforeOpened'));
  return { refs: { unit, parent }, issues };
}

export function institutionValues(data: CleanInstitution, refs: InstitutionRefs & { unit: UnitRow }) {
  const { unitCode: _u, parentCode: _p, ...values } = data;
  return { ...values, unitId: refs.unit.id, parentId: refs.parent?.id ?? null };
}

/** The input checked against the schema, or its problems together with unknown unit and parent codes. */
async function checkInstitution(db: Db, input: unknown): Promise<InstitutionInput> {
  try {
    return checkValue(InstitutionInput, input);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const raw = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
    const failed = new Set(err.issues.map((i) => i.field));
    const text = (f: 'unitCode' | 'parentCode') => (!failed.has(f) && typeof raw[f] === 'string' ? raw[f].trim() : '');
    const more: Issue[] = [];
    if (text('unitCode') && !(await findUnitByCode(db, text('unitCode'))))
      more.push(issue('unitCode', 'orgs.institution.unitUnknown', { code: text('unitCode') }));
    const parentCode = text('parentCode').toUpperCase();
    if (parentCode && !(await institutionIdByCode(db, parentCode)))
      more.push(issue('parentCode', 'orgs.institution.parentUnknown', { code: parentCode }));
    throw new ValidationError([...err.issues, ...more]);
  }
}

export async function createInstitution(db: Db, actor: Actor, input: unknown): Promise<InstitutionRow> {
  requireSomewhere(actor, 'institutions.create');
  const data = cleanInstitution(await checkInstitution(db, input));
  const { refs, issues } = await resolveInstitution(db, data);
  if (!refs.unit || issues.length) throw new ValidationError(issues);
  const scope = await unitScope(db, refs.unit.id);
  authorize(actor, 'institutions.create', scope);
  const [taken] = await db.select({ id: institutions.id }).from(institutions).where(eq(institutions.code, data.code));
  if (taken) throw new ConflictError([issue('code', 'orgs.institution.codeTaken', { code: data.code })]);
  const [row] = await db
    .insert(institutions)
    .values(institutionValues(data, { ...refs, unit: refs.unit }))
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await recordAudit(db, actor, {
    action: 'create',
    entityType: 'institution',
    entityId: row.id,
    after: auditInstitution(row),
    unitIds: scope.unitPath,
    institutionId: row.id,
  });
  return row;
}

function toInput(row: InstitutionRow, unitCode: string, parentCode: string | null): InstitutionInput {
  return {
    code: row.code,
    name: row.name,
    type: row.type,
    unitCode,
    parentCode,
    address: row.address,
    phone: row.phone,
    email: row.email,
    website: row.website,
    servesPublic: row.servesPublic,
    openedOn: row.openedOn,
    closedOn: row.closedOn,
    note: row.note,
  };
}

export async function updateInstitution(db: Db, actor: Actor, id: string, patch: unknown): Promise<InstitutionRow> {
  requireSomewhere(actor, 'institutions.write');
  const existing = await loadInstitution(db, id);
  const scope = await institutionScope(db, existing.id);
  authorize(actor, 'institutions.write', scope);
  const given = checkValue(InstitutionPatch, patch);
  const [unit] = await db.select().from(adminUnits).where(eq(adminUnits.id, existing.unitId));
  const [parent] = existing.parentId ? await db.select().from(institutions).where(eq(institutions.id, existing.parentId)) : [];
  const data = cleanInstitution(await checkInstitution(db, { ...toInput(existing, unit?.code ?? '', parent?.code ?? null), ...given }));
  const { refs, issues } = await resolveInstitution(db, data, { unit, parent });
  if (refs.parent && (await institutionSubtree(db, existing.id)).includes(refs.parent.id)) {
    issues.push(issue('parentCode', 'orgs.institution.parentCycle'));
  }
  if (!refs.unit || issues.length) throw new ValidationError(issues);
  if (refs.unit.id !== existing.unitId) authorize(actor, 'institutions.write', await unitScope(db, refs.unit.id));
  if (data.code !== existing.code) {
    const [taken] = await db.select({ id: institutions.id }).from(institutions).where(eq(institutions.code, data.code));
    if (taken) throw new ConflictError([issue('code', 'orgs.institution.codeTaken', { code: data.code })]);
  }
  const [row] = await db
    .update(institutions)
    .set({ ...institutionValues(data, { ...refs, unit: refs.unit }), updatedAt: new Date() })
    .where(eq(institutions.id, existing.id))
    .returning();
  if (!row) throw new NotFoundError('orgs.institution.notFound');
  await recordAudit(db, actor, {
    action: 'update',
    entityType: 'institution',
    entityId: row.id,
    before: auditInstitution(existing),
    after: auditInstitution(row),
    unitIds: (await institutionScope(db, row.id)).unitPath,
    institutionId: row.id,
  });
  return row;
}

// ---------------------------------------------------------------- summaries for other modules

/** Units in force on the day and institutions open on it, for the home page. */
export async function networkCounts(db: Db, at: Date): Promise<{ units: number; institutions: number }> {
  const day = vnToday(at);
  const [[units], [open]] = await Promise.all([
    db.select({ n: count() }).from(adminUnits).where(inForceSql(day)),
    db
      .select({ n: count() })
      .from(institutions)
      .where(
        and(or(isNull(institutions.openedOn), lte(institutions.openedOn, day)), or(isNull(institutions.closedOn), gt(institutions.closedOn, day))),
      ),
  ]);
  return { units: units?.n ?? 0, institutions: open?.n ?? 0 };
}

/** Names and links of the institutions and units that role grants point at, keyed by their id. */
export async function grantLabels(db: Db, grants: Grant[]): Promise<Map<string, { href: string; label: string }>> {
  const institutionIds = grants.map((g) => g.institutionId).filter((v): v is string => Boolean(v));
  const unitIds = grants.map((g) => g.unitId).filter((v): v is string => Boolean(v));
  const [insts, units] = await Promise.all([
    institutionIds.length
      ? db.select({ id: institutions.id, name: institutions.name }).from(institutions).where(inArray(institutions.id, institutionIds))
      : Promise.resolve([]),
    unitIds.length
      ? db.select({ id: adminUnits.id, name: adminUnits.name }).from(adminUnits).where(inArray(adminUnits.id, unitIds))
      : Promise.resolve([]),
  ]);
  const labels = new Map<string, { href: string; label: string }>();
  for (const i of insts) labels.set(i.id, { href: `/institutions/${i.id}`, label: i.name });
  for (const u of units) labels.set(u.id, { href: `/units/${u.id}`, label: u.name });
  return labels;
}
