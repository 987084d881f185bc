import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ValidationError, issue, type Issue } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { parseForm } from '../../platform/http/validation.js';
import { vnToday } from '../../platform/time.js';
import { placementOf } from '../indicators/compute.js';
import { completeness, formState, listPeriods, openPeriod, saveForm, transition, worklist, type FormInput } from '../cycle/cycle.js';
import type { Criterion } from '../model.js';
import { provinceScope } from '../network.js';
import { allowedSomewhere, allowedTo, requireTo } from '../permissions.js';
import { CompletenessOut, PeriodOut, presentCompleteness, presentForm, presentPeriod, presentSubmission, SubmissionOut } from '../presenters.js';
import { CompletenessPage, FormPage, PeriodsPage } from '../views/cycle.js';
import { currentYear, defaultUnit, errors, failed, filters, FormParams, PageQuery, query, tags, UnitCode, Uuid, Year } from './common.js';
import { Nullable } from '../../platform/http/schemas.js';
import { messageKey } from '../../platform/i18n/index.js';

function declarationsFrom(body: Record<string, string | undefined>, list: readonly Criterion[]): FormInput['declarations'] {
  const out: NonNullable<FormInput['declarations']> = {};
  for (const c of list) {
    if (!(`decl_${c}` in body) && !(`evidence_${c}` in body) && !(`evidenceUrl_${c}` in body)) continue;
    out[c] = { declared: body[`decl_${c}`] === 'true', evidenceText: body[`evidence_${c}`] ?? null, evidenceUrl: body[`evidenceUrl_${c}`] ?? null };
  }
  return out;
}

async function renderForm(
  req: FastifyRequest,
  reply: FastifyReply,
  periodId: string,
  institutionId: string,
  extra: { issues?: Issue[]; notice?: string; input?: Record<string, string | undefined>; status?: number } = {},
) {
  const f = await formState(dbOf(req), req.actor, periodId, institutionId);
  return sendPage(
    reply,
    <FormPage ctx={pageContext(req)} f={f} issues={extra.issues ?? []} notice={extra.notice} input={extra.input} />,
    extra.status,
  );
}

const formNotices: Record<string, string> = {
  saved: 'monitoring.submission.saved',
  submitted: 'monitoring.submission.submitted',
  return: 'monitoring.submission.done.return',
  accept: 'monitoring.submission.done.accept',
  approve: 'monitoring.submission.done.approve',
  reopen: 'monitoring.submission.done.reopen',
};

/** The reporting cycle: periods, an institution's data set, its review and approval, and who is late. */
export const cycleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function renderPeriods(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { issues?: Issue[]; notice?: string; values?: Record<string, string | undefined>; status?: number } = {},
  ) {
    const db = dbOf(req);
    const placement = await placementOf(db);
    if (req.actor.kind === 'anonymous') requireTo(req.actor, 'report', { unitPath: [], institutionPath: [] });
    const periods = await listPeriods(db);
    const worklists = await Promise.all(
      periods.map(async (period) => ({
        period: presentPeriod(period),
        items: await worklist(db, req.actor, period.id),
        canOversee: allowedSomewhere(req.actor, 'oversee'),
      })),
    );
    return sendPage(
      reply,
      <PeriodsPage
        ctx={pageContext(req)}
        periods={periods.map(presentPeriod)}
        worklists={worklists}
        canOpen={allowedTo(req.actor, 'administer', provinceScope(placement))}
        issues={extra.issues ?? []}
        notice={extra.notice}
        values={extra.values ?? { year: String(currentYear()) }}
      />,
      extra.status,
    );
  }

  app.get('/monitoring/periods', { schema: { hide: true, querystring: PageQuery } }, (req, reply) => renderPeriods(req, reply));

  app.post('/monitoring/periods', { schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    try {
      const form = parseForm(
        Type.Object({
          year: Year,
          quarter: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
          deadline: Type.Optional(Type.String({ format: 'date' })),
        }),
        body,
      );
      await inTx(req, (tx) => openPeriod(tx, req.actor, form));
      return renderPeriods(req, reply, { notice: req.t('monitoring.period.opened') });
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderPeriods(req, reply, { issues, values: body, status: failed(err) });
      throw err;
    }
  });

  app.get(
    '/monitoring/periods/:id/institutions/:institutionId',
    { schema: { hide: true, params: FormParams, querystring: PageQuery } },
    (req, reply) => {
      const n = query(req).notice;
      const key = n ? formNotices[n] : undefined;
      return renderForm(req, reply, req.params.id, req.params.institutionId, key ? { notice: req.t(messageKey(key)) } : {});
    },
  );

  app.post('/monitoring/periods/:id/institutions/:institutionId', { schema: { hide: true, params: FormParams } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const submit = body.intent === 'submit';
    const f = await formState(dbOf(req), req.actor, req.params.id, req.params.institutionId);
    const values: Record<string, unknown> = {};
    for (const field of f.fields) values[field.name] = body[field.name] ?? '';
    try {
      await inTx(req, (tx) =>
        saveForm(
          tx,
          req.actor,
          req.params.id,
          req.params.institutionId,
          {
            values,
            declarations: declarationsFrom(
              body,
              f.criteria.map((c) => c.criterion),
            ),
          },
          submit,
        ),
      );
      return reply.redirect(
        `/monitoring/periods/${req.params.id}/institutions/${req.params.institutionId}?notice=${submit ? 'submitted' : 'saved'}`,
        303,
      );
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderForm(req, reply, req.params.id, req.params.institutionId, { issues, input: body, status: failed(err) });
      throw err;
    }
  });

  app.post(
    '/monitoring/periods/:id/institutions/:institutionId/:action',
    {
      schema: {
        hide: true,
        params: Type.Object({
          id: Uuid,
          institutionId: Uuid,
          action: Type.Union([Type.Literal('return'), Type.Literal('accept'), Type.Literal('approve'), Type.Literal('reopen')]),
        }),
      },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, string | undefined>;
      const f = await formState(dbOf(req), req.actor, req.params.id, req.params.institutionId);
      try {
        if (!f.submission) throw new ValidationError([issue('status', 'monitoring.submission.notFound')]);
        const id = f.submission.id;
        await inTx(req, (tx) => transition(tx, req.actor, id, req.params.action, body[`comment_${req.params.action}`]));
        return reply.redirect(`/monitoring/periods/${req.params.id}/institutions/${req.params.institutionId}?notice=${req.params.action}`, 303);
      } catch (err) {
        const issues = issuesOf(err);
        if (issues)
          return renderForm(req, reply, req.params.id, req.params.institutionId, {
            issues: issues.map((i) => (i.field === 'comment' ? { ...i, field: `comment_${req.params.action}` } : i)),
            status: failed(err),
          });
        throw err;
      }
    },
  );

  app.get(
    '/monitoring/periods/:id/completeness',
    { schema: { hide: true, params: Type.Object({ id: Uuid }), querystring: PageQuery } },
    async (req, reply) => {
      const db = dbOf(req);
      const placement = await placementOf(db);
      const f = filters(req);
      const unitCode = f.unit ?? (await defaultUnit(req));
      const unit = unitCode ? placement.unitByCode(unitCode, vnToday()) : undefined;
      const c = await completeness(db, req.actor, req.params.id, unit?.id);
      return sendPage(reply, <CompletenessPage ctx={pageContext(req)} c={c} unit={unitCode} />);
    },
  );

  app.get(
    '/api/v1/monitoring/periods',
    { schema: { tags, summary: 'Reporting periods', response: { 200: Type.Object({ periods: Type.Array(PeriodOut) }) } } },
    async (req) => ({ periods: (await listPeriods(dbOf(req))).map(presentPeriod) }),
  );

  app.post(
    '/api/v1/monitoring/periods',
    {
      schema: {
        tags,
        summary: 'Open a reporting period (Department); the deadline defaults to 15 November',
        body: Type.Object(
          { year: Year, quarter: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })), deadline: Type.Optional(Type.String({ format: 'date' })) },
          { additionalProperties: false },
        ),
        response: { 201: PeriodOut, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(presentPeriod(await inTx(req, (tx) => openPeriod(tx, req.actor, req.body)))),
  );

  app.get(
    '/api/v1/monitoring/periods/:id/institutions/:institutionId',
    {
      schema: {
        tags,
        summary: "An institution's data set for a period, with observed values and what the caller may do",
        params: FormParams,
        response: { 200: SubmissionOut, ...errors },
      },
    },
    async (req) => presentForm(await formState(dbOf(req), req.actor, req.params.id, req.params.institutionId)),
  );

  app.put(
    '/api/v1/monitoring/periods/:id/institutions/:institutionId',
    {
      schema: {
        tags,
        summary: 'Save the data set as a draft, or save and submit it (institution staff)',
        params: FormParams,
        body: Type.Object(
          {
            values: Type.Record(Type.String(), Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000 }))),
            declarations: Type.Optional(
              Type.Record(
                Type.String(),
                Type.Object({
                  declared: Type.Boolean(),
                  evidenceText: Type.Optional(Nullable(Type.String())),
                  evidenceUrl: Type.Optional(Nullable(Type.String())),
                }),
              ),
            ),
            submit: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: SubmissionOut, ...errors },
      },
    },
    async (req) => {
      await inTx(req, (tx) =>
        saveForm(
          tx,
          req.actor,
          req.params.id,
          req.params.institutionId,
          { values: req.body.values, declarations: req.body.declarations },
          req.body.submit ?? false,
        ),
      );
      return presentForm(await formState(dbOf(req), req.actor, req.params.id, req.params.institutionId));
    },
  );

  app.post(
    '/api/v1/monitoring/submissions/:id/transitions',
    {
      schema: {
        tags,
        summary: 'Return (with a comment), accept, approve, or reopen (with a reason) a data set',
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            action: Type.Union([Type.Literal('return'), Type.Literal('accept'), Type.Literal('approve'), Type.Literal('reopen')]),
            comment: Type.Optional(Type.String({ maxLength: 4000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ id: Type.String(), status: Type.String(), submittedAt: Nullable(Type.String()) }),
          ...errors,
        },
      },
    },
    async (req) => presentSubmission(await inTx(req, (tx) => transition(tx, req.actor, req.params.id, req.body.action, req.body.comment))),
  );

  app.get(
    '/api/v1/monitoring/periods/:id/completeness',
    {
      schema: {
        tags,
        summary: 'Expected, submitted and on-time data sets by unit and type, and who is late',
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ unit: Type.Optional(UnitCode) }),
        response: { 200: CompletenessOut, ...errors },
      },
    },
    async (req) => {
      const placement = await placementOf(dbOf(req));
      const code = req.query.unit ?? (await defaultUnit(req));
      const unit = code ? placement.unitByCode(code, vnToday()) : undefined;
      return presentCompleteness(await completeness(dbOf(req), req.actor, req.params.id, unit?.id));
    },
  );
};
