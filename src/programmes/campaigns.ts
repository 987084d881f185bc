import { and, desc, eq, inArray, ne, notInArray } from 'drizzle-orm';
import { unitSubtree, unitScope } from '../orgs/index.js';
import { authorize, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { NotFoundError, ValidationError, type Issue } from '../platform/errors.js';
import { normalizeVi } from '../platform/text/index.js';
import type { CampaignEditInput, CampaignInput } from './model.js';
import { campaigns, programmes } from './schema.js';
import { programmeActivity, totalsOf, type ActivityTotals } from './stats.js';

export type CampaignRow = typeof campaigns.$inferSelect;

/** Campaigns are run by the officers of a unit (a district, the province's Department). */
export async function createCampaign(db: Db, actor: Actor, input: CampaignInput): Promise<CampaignRow> {
  const scope = await unitScope(db, input.unitId);
  if (scope.unitPath.length === 0) throw new ValidationError([{ field: 'unitId', key: 'programmes.errors.noUnit' }]);
  authorize(actor, 'institutions.create', scope);
  if (input.endsOn < input.startsOn) throw new ValidationError([{ field: 'endsOn', key: 'programmes.errors.endBeforeStart' }]);
  const title = normalizeVi(input.title);
  if (!title) throw new ValidationError([{ field: 'title', key: 'errors.required' }]);
  const [row] = await db
    .insert(campaigns)
    .values({
      title,
      description: input.description ? normalizeVi(input.description) : null,
      unitId: input.unitId,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await recordAudit(db, actor, {
    action: 'programme.campaign.create',
    entityType: 'programme_campaign',
    entityId: row.id,
    after: row,
    unitIds: scope.unitPath,
  });
  return row;
}

async function loadCampaign(db: Db, id: string): Promise<CampaignRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError();
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
  if (!campaign) throw new NotFoundError();
  return campaign;
}

/** Loads a campaign the actor may edit: officers of its unit, as for creating one. */
export async function editableCampaign(db: Db, actor: Actor, id: string): Promise<CampaignRow> {
  const campaign = await loadCampaign(db, id);
  authorize(actor, 'institutions.create', await unitScope(db, campaign.unitId));
  return campaign;
}

/** The programmes a campaign of this unit may take in: those of institutions in its subtree, not cancelled, plus its own. */
export async function campaignCandidates(db: Db, unitId: string, campaignId: string): Promise<Array<typeof programmes.$inferSelect>> {
  const units = await unitSubtree(db, unitId);
  if (units.length === 0) return [];
  const rows = await db
    .select()
    .from(programmes)
    .where(and(inArray(programmes.unitId, units), ne(programmes.status, 'cancelled')))
    .orderBy(programmes.sortKey)
    .limit(500);
  const own = await db.select().from(programmes).where(eq(programmes.campaignId, campaignId));
  const seen = new Set(rows.map((r) => r.id));
  return [...rows, ...own.filter((r) => !seen.has(r.id))];
}

/** Edits a campaign and sets exactly which programmes belong to it; officers of the old and the new unit only. */
export async function updateCampaign(db: Db, actor: Actor, id: string, input: CampaignEditInput): Promise<CampaignRow> {
  const before = await editableCampaign(db, actor, id);
  const scope = await unitScope(db, input.unitId);
  if (scope.unitPath.length === 0) throw new ValidationError([{ field: 'unitId', key: 'programmes.errors.noUnit' }]);
  authorize(actor, 'institutions.create', scope);
  const issues: Issue[] = [];
  const title = normalizeVi(input.title);
  if (!title) issues.push({ field: 'title', key: 'errors.required' });
  if (input.endsOn < input.startsOn) issues.push({ field: 'endsOn', key: 'programmes.errors.endBeforeStart' });
  const ids = [...new Set(input.programmeIds)];
  const beforeIds = (await db.select({ id: programmes.id }).from(programmes).where(eq(programmes.campaignId, id))).map((r) => r.id);
  if (ids.length) {
    const units = new Set(await unitSubtree(db, input.unitId));
    const found = await db
      .select({ id: programmes.id, unitId: programmes.unitId, status: programmes.status })
      .from(programmes)
      .where(inArray(programmes.id, ids));
    const fits = new Set(found.filter((p) => units.has(p.unitId) && (p.status !== 'cancelled' || beforeIds.includes(p.id))).map((p) => p.id));
    if (ids.some((x) => !fits.has(x))) issues.push({ field: 'programmeIds', key: 'programmes.errors.campaignProgramme' });
  }
  if (issues.length) throw new ValidationError(issues);
  const [row] = await db
    .update(campaigns)
    .set({
      title,
      description: input.description ? normalizeVi(input.description) || null : null,
      unitId: input.unitId,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      updatedAt: new Date(),
    })
    .where(eq(campaigns.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  await db
    .update(programmes)
    .set({ campaignId: null, updatedAt: new Date() })
    .where(and(eq(programmes.campaignId, id), ids.length ? notInArray(programmes.id, ids) : undefined));
  if (ids.length) await db.update(programmes).set({ campaignId: id, updatedAt: new Date() }).where(inArray(programmes.id, ids));
  await recordAudit(db, actor, {
    action: 'programme.campaign.update',
    entityType: 'programme_campaign',
    entityId: id,
    before: { ...before, programmeIds: beforeIds.sort() },
    after: { ...row, programmeIds: ids.sort() },
    unitIds: [...new Set([...scope.unitPath, ...(await unitScope(db, before.unitId)).unitPath])],
  });
  return row;
}

export async function listCampaigns(db: Db): Promise<CampaignRow[]> {
  return db.select().from(campaigns).orderBy(desc(campaigns.startsOn)).limit(200);
}

export async function getCampaign(db: Db, id: string): Promise<{ campaign: CampaignRow; totals: ActivityTotals }> {
  const campaign = await loadCampaign(db, id);
  const rows = await programmeActivity(db, { from: campaign.startsOn, to: campaign.endsOn, campaignId: campaign.id });
  return { campaign, totals: totalsOf(rows) };
}
