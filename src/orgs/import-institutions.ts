import { eq } from 'drizzle-orm';
import { Value } from 'typebox/value';
import { can, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { issue, type Issue } from '../platform/errors.js';
import { schemaIssues } from '../platform/http/validation.js';
import { capIssues, parseCsv } from './csv.js';
import { vnToday } from '../platform/time.js';
import { InstitutionInput, parseDate, type InstitutionRow } from './model.js';
import { auditInstitution } from './presenters.js';
import { institutions } from './schema.js';
import { institutionScope, institutionSubtree, unitScope } from './scope.js';
import { requireSomewhere } from './guard.js';
import type { ImportReport } from './import-units.js';
import { cleanInstitution, institutionValues } from './service.js';
import { UnitIndex } from './unit-index.js';

export const institutionCsvColumns = {
  required: ['code', 'name', 'type', 'unit_code'],
  optional: ['parent_code', 'address', 'phone', 'email', 'website', 'serves_public', 'opened_on', 'closed_on', 'note'],
} as const;

const columnOf: Record<string, string> = {
  code: 'code',
  name: 'name',
  type: 'type',
  unitCode: 'unit_code',
  parentCode: 'parent_code',
  address: 'address',
  phone: 'phone',
  email: 'email',
  website: 'website',
  servesPublic: 'serves_public',
  openedOn: 'opened_on',
  closedOn: 'closed_on',
  note: 'note',
};

const YES = new Set(['true', 'yes', '1', 'co', 'có', 'x']);
const NO = new Set(['false', 'no', '0', 'khong', 'không']);

/** One CSV row as the service's input, or the row's problems named by column. */
function rowInput(v: Record<string, string>, row: number): { input?: InstitutionInput; issues: Issue[] } {
  const issues: Issue[] = [];
  const date = (col: 'opened_on' | 'closed_on') => {
    const raw = v[col] ?? '';
    if (!raw) return null;
    const d = parseDate(raw);
    if (!d) issues.push(issue(col, 'orgs.import.badDate', { value: raw }, row));
    return d ?? null;
  };
  const flag = (v.serves_public ?? '').toLowerCase();
  if (flag && !YES.has(flag) && !NO.has(flag)) issues.push(issue('serves_public', 'orgs.import.badBoolean', { value: v.serves_public ?? '' }, row));
  const input = {
    code: v.code ?? '',
    name: v.name ?? '',
    type: v.type ?? '',
    unitCode: v.unit_code ?? '',
    parentCode: v.parent_code || null,
    address: v.address || null,
    phone: v.phone || null,
    email: v.email || null,
    website: v.website || null,
    servesPublic: flag ? YES.has(flag) : true,
    openedOn: date('opened_on'),
    closedOn: date('closed_on'),
    note: v.note || null,
  };
  if (issues.length === 0 && Value.Check(InstitutionInput, input)) return { input, issues };
  for (const i of schemaIssues(Value.Errors(InstitutionInput, input))) {
    const col = columnOf[i.field] ?? i.field;
    if (!issues.some((x) => x.field === col)) issues.push(issue(col, i.field === 'type' ? 'orgs.import.badType' : i.key, i.params, row));
  }
  return { issues };
}

class Rollback extends Error {}

/**
 * Loads institutions from CSV (columns in `institutionCsvColumns`) in one transaction. A code
 * already stored updates that institution when the actor may edit it; a parent must be stored
 * already or come earlier in the file. Any error and nothing is written; the report lists them all
 * (its `successions` is always 0: institutions have none).
 */
export async function importInstitutions(db: Db, actor: Actor, csvText: string, options: { demo?: boolean } = {}): Promise<ImportReport> {
  requireSomewhere(actor, 'institutions.create');
  const { rows, issues } = parseCsv(csvText, institutionCsvColumns);
  const counts = { created: 0, updated: 0, successions: 0 };
  const inputs: { row: number; input: InstitutionInput }[] = [];
  const seen = new Map<string, number>();
  // Codes of rows refused while reading: a row naming one as parent is not reported again.
  const failed = new Set<string>();
  for (const { row, values } of rows) {
    const checked = rowInput(values, row);
    issues.push(...checked.issues);
    const code = (values.code ?? '').trim().toUpperCase();
    const first = seen.get(code);
    if (code && first !== undefined) issues.push(issue('code', 'orgs.import.duplicateCode', { code, row: first }, row));
    seen.set(code, row);
    if (checked.input && first === undefined) inputs.push({ row, input: checked.input });
    else failed.add(code);
  }
  if (inputs.length === 0) return { ...counts, errors: capIssues(issues) };
  try {
    await db.transaction(async (tx) => {
      const w: Db = tx;
      const index = await UnitIndex.load(w);
      const today = vnToday();
      for (const { row, input } of inputs) {
        const data = cleanInstitution(input);
        const unit = index.current(data.unitCode, today);
        const [parent] = data.parentCode ? await w.select().from(institutions).where(eq(institutions.code, data.parentCode)) : [];
        const [existing] = await w.select().from(institutions).where(eq(institutions.code, data.code));
        const before = issues.length;
        if (!unit) issues.push(issue('unit_code', 'orgs.institution.unitUnknown', { code: data.unitCode }, row));
        const parentRefused = Boolean(data.parentCode && !parent && failed.has(data.parentCode));
        if (data.parentCode && !parent && !parentRefused)
          issues.push(issue('parent_code', 'orgs.import.parentNotEarlier', { code: data.parentCode }, row));
        if (data.openedOn && data.closedOn && data.closedOn < data.openedOn)
          issues.push(issue('closed_on', 'orgs.institution.closedBeforeOpened', undefined, row));
        if (existing && parent && (await institutionSubtree(w, existing.id)).includes(parent.id))
          issues.push(issue('parent_code', 'orgs.institution.parentCycle', undefined, row));
        if (!unit || parentRefused || issues.length > before) continue;
        const values = { ...institutionValues(data, { unit, parent }), ...(options.demo ? { isDemo: true } : {}) };
        if (existing && unchanged(existing, values)) continue;
        const target = await unitScope(w, unit.id);
        const mayWrite = existing
          ? can(actor, 'institutions.write', await institutionScope(w, existing.id)) &&
            (existing.unitId === unit.id || can(actor, 'institutions.write', target))
          : can(actor, 'institutions.create', target);
        if (!mayWrite) {
          issues.push(issue('code', 'orgs.import.forbidden', { code: data.code }, row));
          continue;
        }
        const [saved] = existing
          ? await w
              .update(institutions)
              .set({ ...values, updatedAt: new Date() })
              .where(eq(institutions.id, existing.id))
              .returning()
          : await w.insert(institutions).values(values).returning();
        if (!saved) throw new Error('write returned nothing');
        if (existing) counts.updated += 1;
        else counts.created += 1;
        await recordAudit(w, actor, {
          action: existing ? 'update' : 'create',
          entityType: 'institution',
          entityId: saved.id,
          before: existing ? auditInstitution(existing) : undefined,
          after: auditInstitution(saved),
          unitIds: target.unitPath,
          institutionId: saved.id,
        });
      }
      if (issues.length) throw new Rollback();
      await recordAudit(w, actor, { action: 'import', entityType: 'institution', after: { created: counts.created, updated: counts.updated } });
    });
  } catch (err) {
    if (err instanceof Rollback)
      return { created: 0, updated: 0, successions: 0, errors: capIssues(issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))) };
    throw err;
  }
  return { ...counts, errors: [] };
}

function unchanged(row: InstitutionRow, values: Partial<InstitutionRow>): boolean {
  return (Object.keys(values) as (keyof InstitutionRow)[]).every((k) => row[k] === values[k]);
}
