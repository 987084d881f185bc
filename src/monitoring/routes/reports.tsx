import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { dbOf, pageContext, sendPage } from '../../platform/http/context.js';
import { institutionTypes } from '../../orgs/index.js';
import { chartRenderer } from '../reports/charts.js';
import { placementOf } from '../indicators/compute.js';
import { dashboard } from '../reports/dashboard.js';
import { allowedSomewhere } from '../permissions.js';
import { DashboardOut, presentDashboard } from '../presenters.js';
import { generateAnnualReport } from '../reports/report.js';
import { ReportPage } from '../views/cycle.js';
import { DashboardPage } from '../views/dashboard.js';
import { currentYear, DashQuery, defaultUnit, errors, filters, PageQuery, sendFile, tags, UnitCode, Year } from './common.js';

/** The dashboard, the public transparency page and the yearly report, as pages and JSON. */
export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/monitoring', { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
    if (!allowedSomewhere(req.actor, 'oversee') && allowedSomewhere(req.actor, 'report')) return reply.redirect('/monitoring/periods', 303);
    const f = filters(req);
    const unit = f.unit ?? (await defaultUnit(req));
    const board = await dashboard(dbOf(req), req.actor, { ...f, unit });
    const ctx = pageContext(req);
    const links = [
      { href: '/monitoring/periods', label: ctx.t('monitoring.period.title') },
      { href: '/monitoring/report', label: ctx.t('monitoring.report.title') },
      ...(allowedSomewhere(req.actor, 'report') ? [{ href: '/monitoring/visits', label: ctx.t('monitoring.visits.title') }] : []),
    ];
    return sendPage(
      reply,
      <DashboardPage
        ctx={ctx}
        charts={await chartRenderer()}
        board={board}
        types={[...institutionTypes]}
        links={links}
        publicView={false}
        title={ctx.t('monitoring.dashboard.title')}
        lead={ctx.t('monitoring.dashboard.lead', { year: board.year })}
      />,
    );
  });

  app.get('/transparency', { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
    const f = filters(req);
    const board = await dashboard(dbOf(req), null, { ...f, approvedOnly: true });
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <DashboardPage
        ctx={ctx}
        charts={await chartRenderer()}
        board={board}
        types={[...institutionTypes]}
        links={[]}
        publicView
        title={ctx.t('monitoring.public.title')}
        lead={ctx.t('monitoring.public.lead')}
      />,
    );
  });

  app.get('/monitoring/report', { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
    const f = filters(req);
    const unit =
      f.unit ??
      (await defaultUnit(req)) ??
      (await placementOf(dbOf(req))).network.units.find((u) => u.level === 'province' && u.validTo === null)?.code ??
      '';
    return sendPage(reply, <ReportPage ctx={pageContext(req)} year={f.year} unit={unit} />);
  });

  for (const format of ['docx', 'xlsx'] as const) {
    app.get(`/monitoring/report/annual.${format}`, { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
      const f = filters(req);
      const unit =
        f.unit ??
        (await defaultUnit(req)) ??
        (await placementOf(dbOf(req))).network.units.find((u) => u.level === 'province' && u.validTo === null)?.code ??
        '';
      const buf = await generateAnnualReport(dbOf(req), req.actor, { year: f.year, unitCode: unit, format });
      return sendFile(reply, buf, format, `bao-cao-${f.year}-${unit}`);
    });
  }

  app.get(
    '/api/v1/monitoring/dashboard',
    {
      schema: {
        tags,
        summary: 'Indicators with value, targets, status and trend (officers: their unit)',
        querystring: DashQuery,
        response: { 200: DashboardOut, ...errors },
      },
    },
    async (req) => {
      const unit = req.query.unit ?? (await defaultUnit(req));
      return presentDashboard(
        await dashboard(dbOf(req), req.actor, { year: req.query.year ?? currentYear(), unit, type: req.query.type }),
        req.locale,
      );
    },
  );

  app.get(
    '/api/v1/monitoring/public',
    {
      schema: {
        tags,
        summary: 'Aggregated figures from approved data, without personal data',
        querystring: DashQuery,
        response: { 200: DashboardOut, ...errors },
      },
    },
    async (req) =>
      presentDashboard(
        await dashboard(dbOf(req), null, { year: req.query.year ?? currentYear(), unit: req.query.unit, type: req.query.type, approvedOnly: true }),
        req.locale,
      ),
  );

  app.get(
    '/api/v1/monitoring/reports/annual',
    {
      schema: {
        tags,
        summary: 'The yearly report from approved data: DOCX (Decree 30/2020 layout) or XLSX annexes',
        querystring: Type.Object({ year: Year, unit: UnitCode, format: Type.Union([Type.Literal('docx'), Type.Literal('xlsx')]) }),
        produces: [
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ],
      },
    },
    async (req, reply) => {
      const buf = await generateAnnualReport(dbOf(req), req.actor, { year: req.query.year, unitCode: req.query.unit, format: req.query.format });
      return sendFile(reply, buf, req.query.format, `bao-cao-${req.query.year}-${req.query.unit}`);
    },
  );
};
