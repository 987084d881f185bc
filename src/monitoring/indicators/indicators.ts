import { asc, desc, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit/index.js';
import type { Db } from '../../platform/db/index.js';
import { ConflictError, issue, NotFoundError, ValidationError } from '../../platform/errors.js';
import { checkValue } from '../../platform/http/validation.js';
import { normalizeVi } from '../../platform/text/index.js';
import { institutionTypes } from '../../orgs/index.js';
import { placementOf } from './compute.js';
import { IndicatorDefinition } from '../model.js';
import { provinceScope } from '../network.js';
import { requireTo } from '../permissions.js';
import { monitoringIndicators, monitoringIndicatorVersions } from '../schema.js';
import { planIndicators } from './seed.js';

export type IndicatorRow = typeof monitoringIndicators.$inferSelect;
export type IndicatorVersionRow = typeof monitoringIndicatorVersions.$inferSelect;

/** Adds the plan's indicators that are missing; never changes one an administrator edited. */
export async function ensurePlanIndicators(db: Db): Promise<void> {
  const existing = new Set((await db.select({ code: monitoringIndicators.code }).from(monitoringIndicators)).map((r) => r.code));
  let position = 0;
  for (const seed of planIndicators) {
    position += 10;
    if (existing.has(seed.code)) continue;
    const [row] = await db
      .insert(monitoringIndicators)
      .values({ code: seed.code, position, definition: seed.definition })
      .onConflictDoNothing()
      .returning();
    if (row)
      await db
        .insert(monitoringIndicatorVersions)
        .values({ indicatorId: row.id, version: 1, definition: seed.definition, changedBy: 'seed', note: 'QĐ 596/QĐ-UBND' });
  }
}

export async function listIndicators(db: Db): Promise<IndicatorRow[]> {
  return db
    .select()
    .from(monitoringIndicators)
    .where(isNull(monitoringIndicators.retiredAt))
    .orderBy(asc(monitoringIndicators.position), asc(monitoringIndicators.code));
}

export async function getIndicator(db: Db, code: string): Promise<IndicatorRow> {
  const [row] = await db.select().from(monitoringIndicators).where(eq(monitoringIndicators.code, code));
  if (!row) throw new NotFoundError('monitoring.indicator.notFound');
  return row;
}

export async function indicatorHistory(db: Db, indicatorId: string): Promise<IndicatorVersionRow[]> {
  return db
    .select()
    .from(monitoringIndicatorVersions)
    .where(eq(monitoringIndicatorVersions.indicatorId, indicatorId))
    .orderBy(desc(monitoringIndicatorVersions.version));
}

function normalise(def: IndicatorDefinition): IndicatorDefinition {
  const issues = [];
  for (const [i, t] of def.types.entries()) {
    if (!(institutionTypes as readonly string[]).includes(t)) issues.push(issue(`types.${i}`, 'monitoring.indicator.badType', { type: t }));
  }
  const years = new Set<number>();
  for (const [i, t] of def.targets.entries()) {
    if (years.has(t.year)) issues.push(issue(`targets.${i}.year`, 'monitoring.indicator.duplicateYear', { year: t.year }));
    years.add(t.year);
    if (def.formula.kind === 'share' && t.value > 100) issues.push(issue(`targets.${i}.value`, 'errors.maximum', { limit: 100 }));
    if (t.upper !== undefined && t.upper < t.value) issues.push(issue(`targets.${i}.upper`, 'monitoring.indicator.upperBelow'));
  }
  if (issues.length) throw new ValidationError(issues);
  return {
    ...def,
    name: { vi: normalizeVi(def.name.vi), en: def.name.en.trim() },
    groupName: { vi: normalizeVi(def.groupName.vi), en: def.groupName.en.trim() },
    targets: [...def.targets].sort((a, b) => a.year - b.year),
  };
}

/**
 * Replaces an indicator's definition as a new version. `expectedVersion` guards against two
 * administrators editing at once; the note says why it changed.
 */
export async function updateIndicator(
  db: Db,
  actor: Actor,
  code: string,
  input: { definition: unknown; expectedVersion: number; note: string },
): Promise<IndicatorRow> {
  requireTo(actor, 'administer', provinceScope(await placementOf(db)));
  const current = await getIndicator(db, code);
  if (current.version !== input.expectedVersion)
    throw new ConflictError([issue('expectedVersion', 'monitoring.indicator.staleVersion', { version: current.version })]);
  const definition = normalise(checkValue(IndicatorDefinition, input.definition));
  const version = current.version + 1;
  const [row] = await db
    .update(monitoringIndicators)
    .set({ definition, version, updatedAt: new Date() })
    .where(eq(monitoringIndicators.id, current.id))
    .returning();
  await db.insert(monitoringIndicatorVersions).values({ indicatorId: current.id, version, definition, note: input.note, changedBy: actor.label });
  await recordAudit(db, actor, {
    action: 'monitoring.indicator.update',
    entityType: 'monitoring_indicator',
    entityId: code,
    before: current.definition,
    after: { definition, note: input.note, version },
  });
  if (!row) throw new NotFoundError('monitoring.indicator.notFound');
  return row;
}
