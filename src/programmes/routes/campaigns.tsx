import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { unitScope } from '../../orgs/index.js';
import { can, canSomewhere, type Actor } from '../../platform/access.js';
import type { Issue } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { submitForm } from '../../platform/http/forms.js';
import { parseForm } from '../../platform/http/validation.js';
import { campaignCandidates, createCampaign, editableCampaign, getCampaign, listCampaigns, updateCampaign } from '../campaigns.js';
import { campaignFromForm } from '../forms.js';
import { CampaignEditInput, CampaignInput } from '../model.js';
import { presentCampaign, presentProgramme } from '../presenters.js';
import { searchProgrammes } from '../service.js';
import { CampaignEditPage, CampaignPage, CampaignsPage } from '../views/other.js';
import { IdParams, names, NoticeQuery, noticeOf, unitChoices, type Body, type Q } from './common.js';

const canCreateCampaign = (actor: Actor) => canSomewhere(actor, 'institutions.create');

async function campaignsPage(req: FastifyRequest, issues: Issue[], values: Q) {
  const db = dbOf(req);
  return (
    <CampaignsPage
      ctx={pageContext(req)}
      campaigns={(await listCampaigns(db)).map((c) => presentCampaign(c))}
      canCreate={canCreateCampaign(req.actor)}
      units={await unitChoices(db)}
      issues={issues}
      values={values}
    />
  );
}

async function campaignEditPage(
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
  issues: Issue[],
  form: Record<string, unknown> | null,
  status = 200,
) {
  const db = dbOf(req);
  const campaign = await editableCampaign(db, req.actor, id);
  const rows = await campaignCandidates(db, campaign.unitId, campaign.id);
  const inst = await names(db, rows);
  const checked = form ? (form.programmeIds as string[]) : rows.filter((r) => r.campaignId === campaign.id).map((r) => r.id);
  const values = form
    ? Object.fromEntries(
        Object.entries(form)
          .filter(([k]) => k !== 'programmeIds')
          .map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
      )
    : {
        title: campaign.title,
        description: campaign.description ?? undefined,
        unitId: campaign.unitId,
        startsOn: campaign.startsOn,
        endsOn: campaign.endsOn,
      };
  return sendPage(
    reply,
    <CampaignEditPage
      ctx={pageContext(req)}
      id={campaign.id}
      units={await unitChoices(db)}
      issues={issues}
      values={values}
      checked={checked}
      candidates={rows.map((r) => ({ value: r.id, label: `${r.title} — ${inst.get(r.institutionId) ?? ''}` }))}
    />,
    status,
  );
}

/** Campaigns: programmes of many institutions gathered under one theme and period, with their totals. */
export const campaignPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/campaigns', { schema: { hide: true } }, async (req, reply) => sendPage(reply, await campaignsPage(req, [], {})));

  app.post('/campaigns', { schema: { hide: true } }, async (req, reply) =>
    submitForm(req, reply, {
      schema: CampaignInput,
      run: (tx, input) => createCampaign(tx, req.actor, input),
      redirect: (row) => `/campaigns/${row.id}`,
      redisplay: (issues, values) => campaignsPage(req, issues, values),
    }),
  );

  app.get('/campaigns/:id', { schema: { hide: true, params: IdParams, querystring: NoticeQuery } }, async (req, reply) => {
    const db = dbOf(req);
    const { campaign, totals } = await getCampaign(db, req.params.id);
    const found = await searchProgrammes(db, { campaignId: campaign.id, from: campaign.startsOn, pageSize: 100 });
    const inst = await names(
      db,
      found.items.map((i) => i.programme),
    );
    const canEdit = req.actor.kind !== 'anonymous' && can(req.actor, 'institutions.create', await unitScope(db, campaign.unitId));
    return sendPage(
      reply,
      <CampaignPage
        ctx={pageContext(req)}
        campaign={presentCampaign(campaign)}
        totals={totals}
        canEdit={canEdit}
        notice={noticeOf(req)}
        items={found.items.map((i) => presentProgramme(i.programme, inst.get(i.programme.institutionId) ?? '', i.nextSession))}
      />,
    );
  });

  app.get('/campaigns/:id/edit', { schema: { hide: true, params: IdParams } }, async (req, reply) =>
    campaignEditPage(req, reply, req.params.id, [], null),
  );

  // The programmes ticked come as a repeated field, gathered by campaignFromForm before the schema reads them.
  app.post('/campaigns/:id/edit', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const form = campaignFromForm((req.body ?? {}) as Body);
    try {
      const input = parseForm(CampaignEditInput, form);
      await inTx(req, (tx) => updateCampaign(tx, req.actor, req.params.id, input));
      return reply.redirect(`/campaigns/${req.params.id}?notice=campaignSaved`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return campaignEditPage(req, reply, req.params.id, issues, form, 422);
      throw err;
    }
  });
};
