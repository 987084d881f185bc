import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { institutionRefs } from '../../orgs/index.js';
import type { Db } from '../../platform/db/index.js';
import type { Issue } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { formValues, programmeFromForm, renameRule, usesRepeat } from '../forms.js';
import { presentProgramme } from '../presenters.js';
import {
  cancelProgramme,
  createProgramme,
  managedProgrammes,
  manageable,
  operableInstitutions,
  searchProgrammes,
  setProgrammeStatus,
  updateProgramme,
  type ProgrammeRow,
} from '../service.js';
import { listCampaigns } from '../campaigns.js';
import { ManagePage, ProgrammeFormPage, ProgrammesPage, type Choice, type FormValues } from '../views/programmes.js';
import { CancelProgrammePage } from '../views/staff.js';
import { detailPage, IdParams, isStaff, names, NoticeQuery, requireSignedIn, unitChoices, type Body, type Q } from './common.js';

const text = Type.Optional(Type.String({ maxLength: 500 }));
const ListQuery = Type.Object({ q: text, kind: text, topic: text, audience: text, unitId: text, from: text, to: text, page: text });

async function campaignChoices(db: Db): Promise<Choice[]> {
  return (await listCampaigns(db)).map((c) => ({ value: c.id, label: c.title }));
}

async function formPage(
  req: FastifyRequest,
  reply: FastifyReply,
  action: string,
  values: FormValues,
  issues: Issue[],
  editing: boolean,
  status = 200,
) {
  const db = dbOf(req);
  const own = await operableInstitutions(db, req.actor);
  const current = typeof values.institutionId === 'string' ? values.institutionId : undefined;
  if (current && !own.some((o) => o.id === current)) {
    const extra = await institutionRefs(db, [current]);
    for (const r of extra.values()) own.push({ id: r.id, name: r.name });
  }
  return sendPage(
    reply,
    <ProgrammeFormPage
      ctx={pageContext(req)}
      action={action}
      values={values}
      issues={issues}
      institutions={own.map((i) => ({ value: i.id, label: i.name }))}
      campaigns={await campaignChoices(db)}
      editing={editing}
    />,
    status,
  );
}

function valuesOf(p: ProgrammeRow): FormValues {
  const view = presentProgramme(p, '');
  return {
    kind: p.kind,
    institutionId: p.institutionId,
    title: p.title,
    description: p.description,
    venue: p.venue ?? undefined,
    onlineUrl: p.onlineUrl ?? undefined,
    startDate: view.startDate,
    startTime: view.startTime,
    endTime: view.endTime,
    rrule: p.rrule ?? undefined,
    exdates: p.exdates.join(', '),
    capacity: String(p.capacity),
    audiences: p.audiences,
    topics: p.topics,
    fee: String(p.fee),
    accessibility: p.accessibility ?? undefined,
    imageUrl: p.imageUrl ?? undefined,
    campaignId: p.campaignId ?? undefined,
  };
}

/** Programmes: the public list and page, the staff's list, the programme form, publishing and cancelling. */
export const programmePages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/programmes', { schema: { hide: true, querystring: ListQuery } }, async (req, reply) => {
    const q = req.query;
    const db = dbOf(req);
    const values = { q: q.q, kind: q.kind, topic: q.topic, audience: q.audience, unitId: q.unitId, from: q.from, to: q.to };
    const found = await searchProgrammes(db, { ...values, page: Number(q.page) || 1 });
    const inst = await names(
      db,
      found.items.map((i) => i.programme),
    );
    return sendPage(
      reply,
      <ProgrammesPage
        ctx={pageContext(req)}
        values={values}
        total={found.total}
        page={found.page}
        pageSize={found.pageSize}
        items={found.items.map((i) => presentProgramme(i.programme, inst.get(i.programme.institutionId) ?? '', i.nextSession))}
        units={await unitChoices(db)}
        staff={isStaff(req.actor)}
      />,
    );
  });

  app.get('/programmes/manage', { schema: { hide: true } }, async (req, reply) => {
    requireSignedIn(req);
    const db = dbOf(req);
    const rows = await managedProgrammes(db, req.actor);
    const inst = await names(db, rows);
    const canCreate = (await operableInstitutions(db, req.actor)).length > 0;
    return sendPage(
      reply,
      <ManagePage ctx={pageContext(req)} items={rows.map((r) => presentProgramme(r, inst.get(r.institutionId) ?? ''))} canCreate={canCreate} />,
    );
  });

  app.get('/programmes/new', { schema: { hide: true } }, async (req, reply) => {
    requireSignedIn(req);
    const own = await operableInstitutions(dbOf(req), req.actor);
    return formPage(
      req,
      reply,
      '/programmes',
      { kind: 'class', institutionId: own[0]?.id, capacity: '20', fee: '0', startTime: '08:00', endTime: '10:00' },
      [],
      false,
    );
  });

  // The programme form has repeated fields and a repeat rule built from several inputs, read by programmeFromForm.
  app.post('/programmes', { schema: { hide: true } }, async (req, reply) => {
    requireSignedIn(req);
    const body = (req.body ?? {}) as Body;
    try {
      const row = await inTx(req, (tx) => createProgramme(tx, req.actor, programmeFromForm(body)));
      return reply.redirect(`/programmes/${row.id}?notice=created`, 303);
    } catch (err) {
      const issues = issuesOf(usesRepeat(body) ? renameRule(err) : err);
      if (issues) return formPage(req, reply, '/programmes', formValues(body), issues, false, 422);
      throw err;
    }
  });

  app.get('/programmes/:id', { schema: { hide: true, params: IdParams, querystring: NoticeQuery } }, async (req, reply) =>
    detailPage(req, reply, req.params.id),
  );

  app.get('/programmes/:id/edit', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const { programme } = await manageable(dbOf(req), req.actor, req.params.id);
    return formPage(req, reply, `/programmes/${programme.id}`, valuesOf(programme), [], true);
  });

  app.post('/programmes/:id', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    await manageable(dbOf(req), req.actor, req.params.id);
    try {
      await inTx(req, (tx) => updateProgramme(tx, req.actor, req.params.id, programmeFromForm(body)));
      return reply.redirect(`/programmes/${req.params.id}?notice=saved`, 303);
    } catch (err) {
      const issues = issuesOf(usesRepeat(body) ? renameRule(err) : err);
      if (issues) return formPage(req, reply, `/programmes/${req.params.id}`, formValues(body), issues, true, 422);
      throw err;
    }
  });

  for (const [path, status, notice] of [
    ['publish', 'published', 'published'],
    ['unpublish', 'draft', 'unpublished'],
  ] as const) {
    app.post(`/programmes/:id/${path}`, { schema: { hide: true, params: IdParams } }, async (req, reply) => {
      await inTx(req, (tx) => setProgrammeStatus(tx, req.actor, req.params.id, status));
      return reply.redirect(`/programmes/${req.params.id}?notice=${notice}`, 303);
    });
  }

  app.get('/programmes/:id/cancel', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const db = dbOf(req);
    const { programme } = await manageable(db, req.actor, req.params.id);
    if (programme.status === 'cancelled') return reply.redirect(`/programmes/${programme.id}`, 303);
    const inst = await names(db, [programme]);
    return sendPage(
      reply,
      <CancelProgrammePage
        ctx={pageContext(req)}
        p={presentProgramme(programme, inst.get(programme.institutionId) ?? '')}
        registrants={programme.confirmedCount}
      />,
    );
  });

  app.post('/programmes/:id/cancel', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const body = (req.body ?? {}) as Q;
    await inTx(req, (tx) => cancelProgramme(tx, req.actor, req.params.id, body.reason?.trim() || undefined));
    return reply.redirect(`/programmes/${req.params.id}?notice=programmeCancelled`, 303);
  });
};
