import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { NotFoundError, type Issue } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { parseForm } from '../../platform/http/validation.js';
import { placementOf } from '../indicators/compute.js';
import { VisitInput } from '../model.js';
import { allowedTo, requireTo } from '../permissions.js';
import { presentVisit, presentYearVisits, VisitOut, YearVisitsOut } from '../presenters.js';
import { deleteVisit, importVisitsCsv, listVisits, recordVisit, visitTotals } from '../visits/visits.js';
import { VisitsPage } from '../views/visits.js';
import { errors, failed, PageQuery, query, tags, Uuid } from './common.js';

/** Visit counts: recorded by hand or imported from a gate counter, and an institution's totals. */
export const visitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function renderVisits(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: {
      issues?: Issue[];
      importIssues?: Issue[];
      notice?: string;
      values?: Record<string, string | undefined>;
      institutionId?: string;
      status?: number;
    } = {},
  ) {
    const db = dbOf(req);
    const placement = await placementOf(db);
    const mine = placement.network.institutions.filter((i) => allowedTo(req.actor, 'report', placement.institutionScope(i.id)));
    if (req.actor.kind === 'anonymous') requireTo(req.actor, 'report', { unitPath: [], institutionPath: [] });
    const wanted = extra.institutionId ?? query(req).institution;
    const current = mine.find((i) => i.id === wanted) ?? mine[0];
    const [recent, totals] = current ? await Promise.all([listVisits(db, current.id), visitTotals(db, current.id)]) : [[], []];
    return sendPage(
      reply,
      <VisitsPage
        ctx={pageContext(req)}
        institutions={mine}
        current={current}
        recent={recent.map(presentVisit)}
        totals={totals}
        issues={extra.issues ?? []}
        importIssues={extra.importIssues ?? []}
        notice={extra.notice}
        values={extra.values ?? {}}
      />,
      extra.status,
    );
  }

  app.get('/monitoring/visits', { schema: { hide: true, querystring: PageQuery } }, (req, reply) => renderVisits(req, reply));

  app.post('/monitoring/visits', { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    try {
      const input = parseForm(VisitInput, body);
      await inTx(req, (tx) => recordVisit(tx, req.actor, input));
      return renderVisits(req, reply, { notice: req.t('monitoring.visits.saved'), institutionId: input.institutionId });
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderVisits(req, reply, { issues, values: body, institutionId: body.institutionId, status: failed(err) });
      throw err;
    }
  });

  app.post('/monitoring/visits/import', { schema: { hide: true, querystring: PageQuery }, config: { upload: true } }, async (req, reply) => {
    const file = await req.file();
    const text = file ? (await file.toBuffer()).toString('utf8') : '';
    try {
      const report = await inTx(req, (tx) => importVisitsCsv(tx, req.actor, text));
      return renderVisits(req, reply, {
        notice: req.t('monitoring.visits.imported', { n: report.imported }),
        importIssues: report.issues,
        status: report.issues.length ? 422 : 200,
      });
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderVisits(req, reply, { importIssues: issues, status: failed(err) });
      throw err;
    }
  });

  app.post(
    '/api/v1/monitoring/visits',
    {
      schema: {
        tags,
        summary: 'Record a daily or monthly visit count',
        body: VisitInput,
        response: { 201: Type.Object({ ok: Type.Boolean() }), ...errors },
      },
    },
    async (req, reply) => {
      await inTx(req, (tx) => recordVisit(tx, req.actor, req.body));
      return reply.code(201).send({ ok: true });
    },
  );

  app.delete(
    '/api/v1/monitoring/visits/:id',
    {
      schema: {
        tags,
        summary: 'Remove a mistaken count (institution staff); the totals follow at once',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await inTx(req, (tx) => deleteVisit(tx, req.actor, req.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/monitoring/visits/import',
    {
      schema: {
        tags,
        summary: 'Import a gate-counter CSV; good rows are kept, bad rows reported by line',
        body: Type.Object({ csv: Type.String({ minLength: 1, maxLength: 20_000_000 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            imported: Type.Integer(),
            issues: Type.Array(
              Type.Object({ row: Type.Optional(Type.Integer()), field: Type.String(), code: Type.String(), message: Type.String() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const report = await inTx(req, (tx) => importVisitsCsv(tx, req.actor, req.body.csv));
      return {
        imported: report.imported,
        issues: report.issues.map((i) => ({ ...(i.row ? { row: i.row } : {}), field: i.field, code: i.key, message: req.t(i.key, i.params) })),
      };
    },
  );

  app.get(
    '/api/v1/monitoring/institutions/:id/visits',
    {
      schema: {
        tags,
        summary: 'Recent counts and yearly totals of an institution',
        params: Type.Object({ id: Uuid }),
        response: { 200: Type.Object({ recent: Type.Array(VisitOut), totals: Type.Array(YearVisitsOut) }), ...errors },
      },
    },
    async (req) => {
      const placement = await placementOf(dbOf(req));
      const scope = placement.institutionScope(req.params.id);
      if (!allowedTo(req.actor, 'oversee', scope)) requireTo(req.actor, 'report', scope);
      if (!placement.institutions.has(req.params.id)) throw new NotFoundError();
      const [recent, totals] = await Promise.all([listVisits(dbOf(req), req.params.id), visitTotals(dbOf(req), req.params.id)]);
      return { recent: recent.map(presentVisit), totals: totals.map(presentYearVisits) };
    },
  );
};
