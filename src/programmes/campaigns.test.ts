import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../platform/db/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.js';
import { auditLog } from '../platform/schema.js';
import { createTestApp, type Browser, type TestApp } from '../testing/app.js';
import { createCampaign, updateCampaign } from './campaigns.js';
import { addDays, vnDate, type CampaignEditInput } from './model.js';
import { programmes } from './schema.js';
import { cancelProgramme } from './service.js';
import { makeActor, makeCitizen, makeInstitution, makeProgramme, makeStaff, makeUnit, signedIn } from './testing.js';

let t: TestApp;
let db: Db;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
});
afterAll(async () => {
  await t.close();
});

const from = () => vnDate(new Date());
const to = () => addDays(vnDate(new Date()), 30);

/** A province with a district museum, its officer and a campaign of the province. */
async function setting() {
  const province = await makeUnit(db, { level: 'province' });
  const district = await makeUnit(db, { parent: province });
  const institution = await makeInstitution(db, { unit: district });
  const officer = await makeActor(db, [{ role: 'unit_officer', unit: province }]);
  const campaign = await createCampaign(db, officer, { title: 'Ngày Sách', unitId: province.id, startsOn: from(), endsOn: to() });
  return { province, district, institution, officer, campaign };
}

const edit = (unitId: string, over: Partial<CampaignEditInput> = {}): CampaignEditInput => ({
  title: 'Ngày Sách và Văn hóa đọc',
  description: 'Đọc sách mỗi ngày',
  unitId,
  startsOn: from(),
  endsOn: to(),
  programmeIds: [],
  ...over,
});

function put(browser: Browser, url: string, payload: Record<string, unknown>) {
  return t.app.inject({
    method: 'PUT',
    url,
    payload,
    headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': browser.csrf, accept: 'application/json' },
  });
}

describe('editing a campaign', () => {
  it('changes title, period and description, sets exactly which programmes belong, and is audited', async () => {
    const { province, institution, officer, campaign } = await setting();
    const { programme: kept } = await makeProgramme(db, { institution, staff: (await makeStaff(db, institution)).actor, campaignId: campaign.id });
    const { programme: added } = await makeProgramme(db, { institution, staff: (await makeStaff(db, institution)).actor });
    const { programme: dropped } = await makeProgramme(db, { institution, staff: (await makeStaff(db, institution)).actor, campaignId: campaign.id });
    const row = await updateCampaign(db, officer, campaign.id, edit(province.id, { endsOn: addDays(to(), 10), programmeIds: [kept.id, added.id] }));
    expect(row).toMatchObject({ title: 'Ngày Sách và Văn hóa đọc', description: 'Đọc sách mỗi ngày', endsOn: addDays(to(), 10) });
    const members = await db.select({ id: programmes.id }).from(programmes).where(eq(programmes.campaignId, campaign.id));
    expect(members.map((m) => m.id).sort()).toEqual([kept.id, added.id].sort());
    const [d] = await db.select().from(programmes).where(eq(programmes.id, dropped.id));
    expect(d?.campaignId).toBeNull();
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'programme.campaign.update'), eq(auditLog.entityId, campaign.id)));
    expect(audits.length).toBe(1);
  });

  it('refuses institution staff, citizens and officers of another unit, and unknown campaigns', async () => {
    const { province, institution, campaign } = await setting();
    const staff = (await makeStaff(db, institution)).actor;
    const otherOfficer = await makeActor(db, [{ role: 'unit_officer', unit: await makeUnit(db, { level: 'province' }) }]);
    for (const actor of [staff, await makeCitizen(db), otherOfficer]) {
      await expect(updateCampaign(db, actor, campaign.id, edit(province.id))).rejects.toBeInstanceOf(ForbiddenError);
    }
    await expect(updateCampaign(db, otherOfficer, 'nope', edit(province.id))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('an officer cannot move the campaign to a unit outside their own', async () => {
    const { campaign, officer } = await setting();
    const elsewhere = await makeUnit(db, { level: 'province' });
    await expect(updateCampaign(db, officer, campaign.id, edit(elsewhere.id))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('names the field for an empty title, an end before the start, and programmes outside the area or cancelled', async () => {
    const { province, campaign, officer } = await setting();
    const { programme: outside } = await makeProgramme(db);
    const { programme: cancelled, staff } = await makeProgramme(db, {
      institution: await makeInstitution(db, { unit: await makeUnit(db, { parent: province }) }),
    });
    await cancelProgramme(db, staff, cancelled.id, undefined);
    const fieldsOf = async (input: Partial<CampaignEditInput>) => {
      const err = await updateCampaign(db, officer, campaign.id, edit(province.id, input)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).issues.map((i) => i.field);
    };
    expect(await fieldsOf({ title: '   ' })).toEqual(['title']);
    expect(await fieldsOf({ startsOn: to(), endsOn: from() })).toEqual(['endsOn']);
    expect(await fieldsOf({ programmeIds: [outside.id] })).toEqual(['programmeIds']);
    expect(await fieldsOf({ programmeIds: [cancelled.id] })).toEqual(['programmeIds']);
    expect(await fieldsOf({ programmeIds: ['00000000-0000-4000-8000-000000000000'] })).toEqual(['programmeIds']);
  });
});

describe('editing a campaign on the web and through the API', () => {
  it('the page form saves, shows the ticked programmes, and redisplays errors', async () => {
    const { province, institution, officer, campaign } = await setting();
    const { programme } = await makeProgramme(db, { title: 'Thi kể chuyện sách', institution, staff: (await makeStaff(db, institution)).actor });
    const browser = await signedIn(t.app, db, officer.userId);
    expect((await browser.get(`/campaigns/${campaign.id}`)).body).toContain(`/campaigns/${campaign.id}/edit`);
    const form = await browser.get(`/campaigns/${campaign.id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Thi kể chuyện sách');
    const bad = await browser.post(`/campaigns/${campaign.id}/edit`, { title: 'Ngày Sách', unitId: province.id, startsOn: to(), endsOn: from() });
    expect(bad.statusCode).toBe(422);
    const ok = await browser.post(`/campaigns/${campaign.id}/edit`, {
      title: 'Ngày Sách 2027',
      unitId: province.id,
      startsOn: from(),
      endsOn: to(),
      programmeIds: programme.id,
    });
    expect(ok.statusCode).toBe(303);
    const [p] = await db.select().from(programmes).where(eq(programmes.id, programme.id));
    expect(p?.campaignId).toBe(campaign.id);
    const again = await browser.get(`/campaigns/${campaign.id}/edit`);
    expect(again.body).toMatch(new RegExp(`value="${programme.id}"[^>]*checked`));
    const outsider = await signedIn(t.app, db, (await makeCitizen(db)).userId);
    expect((await outsider.get(`/campaigns/${campaign.id}/edit`)).statusCode).toBe(403);
    expect((await outsider.get(`/campaigns/${campaign.id}`)).body).not.toContain(`/campaigns/${campaign.id}/edit`);
  });

  it('PUT /api/v1/campaigns/:id edits, checks its body and access, and is in OpenAPI', async () => {
    const { province, officer, campaign } = await setting();
    const api = await signedIn(t.app, db, officer.userId);
    const res = await put(api, `/api/v1/campaigns/${campaign.id}`, edit(province.id));
    expect(res.statusCode).toBe(200);
    expect(res.json<{ title: string }>().title).toBe('Ngày Sách và Văn hóa đọc');
    expect((await put(api, `/api/v1/campaigns/${campaign.id}`, edit(province.id, { programmeIds: ['x'] }))).statusCode).toBe(400);
    expect((await put(api, `/api/v1/campaigns/${campaign.id}`, { title: 'x' })).statusCode).toBe(400);
    const citizen = await signedIn(t.app, db, (await makeCitizen(db)).userId);
    expect((await put(citizen, `/api/v1/campaigns/${campaign.id}`, edit(province.id))).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/openapi.json' })).body).toContain('"put"');
  });
});
