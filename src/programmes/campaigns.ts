import { desc, eq } from 'drizzle-orm';
import { unitScope } from '../orgs/index.js';
import { authorize, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { normalizeVi } from '../platform/text/index.js';
import type { CampaignInput } from './model.js';
import { campaigns } from './schema.js';
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
  const [row] = await db.insert(campaigns).values({
    title, description: input.description ? normalizeVi(input.description) : null, unitId: input.unitId, startsOn: input.startsOn, endsOn: input.endsOn,
  }).returning();
  if (!row) throw new Error('insert returned nothing');
  await recordAudit(db, actor, { action: 'programme.campaign.create', entityType: 'programme_campaign', entityId: row.id, after: row, unitIds: scope.unitPath });
  return row;
}

export async function listCampaigns(db: Db): Promise<CampaignRow[]> {
  return db.select().from(campaigns).orderBy(desc(campaigns.startsOn)).limit(200);
}

export async function getCampaign(db: Db, id: string): Promise<{ campaign: CampaignRow; totals: ActivityTotals }> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError();
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
  if (!campaign) throw new NotFoundError();
  const rows = await programmeActivity(db, { from: campaign.startsOn, to: campaign.endsOn, campaignId: campaign.id });
  return { campaign, totals: totalsOf(rows) };
}
