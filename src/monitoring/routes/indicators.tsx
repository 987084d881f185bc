import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ValidationError, issue, type Issue } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { checkValue } from '../../platform/http/validation.js';
import { institutionTypes } from '../../orgs/index.js';
import { chartRenderer } from '../reports/charts.js';
import { placementOf } from '../indicators/compute.js';
import { overrideCriterion } from '../cycle/cycle.js';
import { indicatorDetail } from '../reports/dashboard.js';
import { evidenceByInstitution, type EvidenceRow } from '../cycle/evidence.js';
import { definitionFromForm, formValues, readIndicatorForm, type IndicatorFormValues } from '../indicators/form.js';
import { getIndicator, indicatorHistory, listIndicators, updateIndicator } from '../indicators/indicators.js';
import { criteria, IndicatorDefinition, type Criterion } from '../model.js';
import { provinceScope } from '../network.js';
import { allowedSomewhere, allowedTo, requireTo } from '../permissions.js';
import { DetailOut, IndicatorOut, IndicatorVersionOut, presentDetail, presentEvidence, presentIndicator, presentVersion } from '../presenters.js';
import { IndicatorPage } from '../views/dashboard.js';
import { IndicatorEditPage, IndicatorHistoryPage } from '../views/indicators.js';
import { CodeParams, currentYear, DashQuery, defaultUnit, errors, failed, filters, PageQuery, tags, Uuid, Year } from './common.js';
import { Nullable } from '../../platform/http/schemas.js';

/** Indicators: one drilled down, an officer's override, the Department's edits and their history. */
export const indicatorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function renderIndicator(
    req: FastifyRequest,
    reply: FastifyReply,
    code: string,
    extra: { issues?: Issue[]; notice?: string; status?: number } = {},
  ) {
    const f = filters(req);
    const unit = f.unit ?? (await defaultUnit(req));
    const db = dbOf(req);
    const detail = await indicatorDetail(db, req.actor, code, { ...f, unit });
    const placement = await placementOf(db);
    const formula = detail.summary.indicator.definition.formula;
    const found =
      formula.kind === 'share' || formula.kind === 'count'
        ? await evidenceByInstitution(db, f.year, formula.criterion)
        : new Map<string, EvidenceRow[]>();
    const evidence = new Map([...found].map(([id, files]) => [id, files.map(presentEvidence)]));
    return sendPage(
      reply,
      <IndicatorPage
        ctx={pageContext(req)}
        charts={await chartRenderer()}
        detail={detail}
        year={f.year}
        issues={extra.issues ?? []}
        notice={extra.notice}
        canOverride={allowedSomewhere(req.actor, 'review')}
        canEdit={allowedTo(req.actor, 'administer', provinceScope(placement))}
        evidence={evidence}
      />,
      extra.status,
    );
  }

  app.get('/monitoring/indicators/:code', { schema: { hide: true, params: CodeParams, querystring: PageQuery } }, (req, reply) =>
    renderIndicator(req, reply, req.params.code),
  );

  app.post('/monitoring/indicators/:code/override', { schema: { hide: true, params: CodeParams, querystring: PageQuery } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const ind = await getIndicator(dbOf(req), req.params.code);
    const f = ind.definition.formula;
    const met = Object.entries(body).find(([k]) => k.startsWith('met_'))?.[1];
    const reason = Object.entries(body).find(([k]) => k.startsWith('reason_'))?.[1] ?? '';
    try {
      if (f.kind !== 'share' && f.kind !== 'count') throw new ValidationError([issue('criterion', 'errors.invalid')]);
      const input = checkValue(Type.Object({ institutionId: Uuid }), { institutionId: body.institutionId });
      await inTx(req, (tx) =>
        overrideCriterion(tx, req.actor, {
          institutionId: input.institutionId,
          year: filters(req).year,
          criterion: f.criterion,
          met: met === 'clear' ? null : met === 'true',
          reason,
        }),
      );
      return reply.redirect(
        `/monitoring/indicators/${encodeURIComponent(req.params.code)}${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}#institutions`,
        303,
      );
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderIndicator(req, reply, req.params.code, { issues, status: failed(err) });
      throw err;
    }
  });

  async function renderEdit(
    req: FastifyRequest,
    reply: FastifyReply,
    code: string,
    extra: { values?: IndicatorFormValues; issues?: Issue[]; status?: number } = {},
  ) {
    const ind = await getIndicator(dbOf(req), code);
    return sendPage(
      reply,
      <IndicatorEditPage
        ctx={pageContext(req)}
        indicator={presentIndicator(ind)}
        values={extra.values ?? formValues(ind.definition)}
        issues={extra.issues ?? []}
        types={institutionTypes}
      />,
      extra.status,
    );
  }

  app.get('/monitoring/indicators/:code/edit', { schema: { hide: true, params: CodeParams } }, async (req, reply) => {
    requireTo(req.actor, 'administer', provinceScope(await placementOf(dbOf(req))));
    return renderEdit(req, reply, req.params.code);
  });

  app.post('/monitoring/indicators/:code/edit', { schema: { hide: true, params: CodeParams, querystring: PageQuery } }, async (req, reply) => {
    requireTo(req.actor, 'administer', provinceScope(await placementOf(dbOf(req))));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = readIndicatorForm(body);
    try {
      const expectedVersion = checkValue(Type.Integer({ minimum: 1 }), Number(body.expectedVersion));
      const definition = definitionFromForm(values);
      const row = await inTx(req, (tx) => updateIndicator(tx, req.actor, req.params.code, { definition, expectedVersion, note: values.note }));
      return renderIndicator(req, reply, row.code, { notice: req.t('monitoring.indicator.saved', { version: row.version }) });
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderEdit(req, reply, req.params.code, { values, issues, status: failed(err) });
      throw err;
    }
  });

  app.get('/monitoring/indicators/:code/history', { schema: { hide: true, params: CodeParams } }, async (req, reply) => {
    const db = dbOf(req);
    const placement = await placementOf(db);
    if (!allowedSomewhere(req.actor, 'oversee')) requireTo(req.actor, 'oversee', provinceScope(placement));
    const ind = await getIndicator(db, req.params.code);
    return sendPage(
      reply,
      <IndicatorHistoryPage
        ctx={pageContext(req)}
        indicator={presentIndicator(ind)}
        history={(await indicatorHistory(db, ind.id)).map(presentVersion)}
        canEdit={allowedTo(req.actor, 'administer', provinceScope(placement))}
      />,
    );
  });

  app.get(
    '/api/v1/monitoring/indicators',
    { schema: { tags, summary: 'Indicator definitions', response: { 200: Type.Object({ indicators: Type.Array(IndicatorOut) }) } } },
    async () => ({ indicators: (await listIndicators(app.deps.database.db)).map(presentIndicator) }),
  );

  app.get(
    '/api/v1/monitoring/indicators/:code',
    {
      schema: {
        tags,
        summary: 'One indicator drilled down by unit, type and institution',
        params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
        querystring: DashQuery,
        response: { 200: DetailOut, ...errors },
      },
    },
    async (req) => {
      const unit = req.query.unit ?? (await defaultUnit(req));
      return presentDetail(
        await indicatorDetail(dbOf(req), req.actor, req.params.code, { year: req.query.year ?? currentYear(), unit, type: req.query.type }),
        req.locale,
      );
    },
  );

  app.get(
    '/api/v1/monitoring/indicators/:code/versions',
    {
      schema: {
        tags,
        summary: 'Every version of an indicator definition (officers and the Department: it names who changed it)',
        params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
        response: { 200: Type.Object({ versions: Type.Array(IndicatorVersionOut) }), ...errors },
      },
    },
    async (req) => {
      if (!allowedSomewhere(req.actor, 'oversee')) requireTo(req.actor, 'oversee', provinceScope(await placementOf(dbOf(req))));
      const ind = await getIndicator(dbOf(req), req.params.code);
      return { versions: (await indicatorHistory(dbOf(req), ind.id)).map(presentVersion) };
    },
  );

  app.put(
    '/api/v1/monitoring/indicators/:code',
    {
      schema: {
        tags,
        summary: 'Replace an indicator definition as a new version (Department)',
        params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
        body: Type.Object(
          { definition: IndicatorDefinition, expectedVersion: Type.Integer({ minimum: 1 }), note: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: IndicatorOut, ...errors },
      },
    },
    async (req) => presentIndicator(await inTx(req, (tx) => updateIndicator(tx, req.actor, req.params.code, req.body))),
  );

  app.post(
    '/api/v1/monitoring/criteria/overrides',
    {
      schema: {
        tags,
        summary: 'Override a criterion for an institution and year, with a reason (officer above)',
        body: Type.Object(
          {
            institutionId: Uuid,
            year: Year,
            criterion: Type.String({ enum: [...criteria] }),
            met: Nullable(Type.Boolean()),
            reason: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            institutionId: Type.String(),
            year: Type.Integer(),
            criterion: Type.String(),
            override: Nullable(Type.Boolean()),
            reason: Nullable(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const row = await inTx(req, (tx) => overrideCriterion(tx, req.actor, { ...req.body, criterion: req.body.criterion as Criterion }));
      return { institutionId: row.institutionId, year: row.year, criterion: row.criterion, override: row.override, reason: row.overrideReason };
    },
  );
};
