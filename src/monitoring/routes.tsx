import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { grantsOf } from '../platform/access.js';
import { DomainError, ValidationError, issue, type Issue } from '../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../platform/http/context.js';
import { checkValue, parseForm } from '../platform/http/validation.js';
import { registerNav } from '../platform/web/layout.js';
import { vnToday } from '../platform/time.js';
import { monitoredInstitutionTypes } from '../orgs/index.js';
import { chartRenderer } from './charts.js';
import { placementOf } from './compute.js';
import {
  completeness, formState, listPeriods, openPeriod, overrideCriterion, saveForm, transition, worklist, type FormInput,
} from './cycle.js';
import { dashboard, indicatorDetail } from './dashboard.js';
import { evidenceRoutes } from './evidence-routes.js';
import { evidenceByInstitution, type EvidenceRow } from './evidence.js';
import { definitionFromForm, formValues, readIndicatorForm, type IndicatorFormValues } from './indicator-form.js';
import { ensurePlanIndicators, getIndicator, indicatorHistory, listIndicators, updateIndicator } from './indicators.js';
import { criteria, IndicatorDefinition, VisitInput, type Criterion } from './model.js';
import { provinceScope } from './network.js';
import { allowedSomewhere, allowedTo, requireTo } from './permissions.js';
import {
  CompletenessOut, DashboardOut, DetailOut, IndicatorOut, IndicatorVersionOut, PeriodOut, presentCompleteness, presentDashboard, presentDetail, presentForm,
  presentIndicator, presentPeriod, presentSubmission, presentVersion, presentVisit, presentYearVisits, SubmissionOut, VisitOut, YearVisitsOut,
} from './presenters.js';
import { generateAnnualReport } from './report.js';
import { deleteVisit, importVisitsCsv, listVisits, recordVisit, visitTotals } from './visits.js';
import { CompletenessPage, FormPage, PeriodsPage, ReportPage } from './views/cycle.js';
import { DashboardPage, IndicatorPage } from './views/dashboard.js';
import { IndicatorEditPage, IndicatorHistoryPage } from './views/indicators.js';
import { VisitsPage } from './views/visits.js';
import './messages.js';
import { ErrorOut } from '../platform/http/schemas.js';

registerNav({ href: '/monitoring', key: 'monitoring.nav', order: 70, visible: (ctx) => allowedSomewhere(ctx.actor, 'oversee') || allowedSomewhere(ctx.actor, 'report') });
registerNav({ href: '/transparency', key: 'monitoring.nav.public', order: 71 });

const tags = ['monitoring'];
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const UnitCode = Type.String({ pattern: '^[0-9]{2,10}$', maxLength: 10 });
const TypeName = Type.String({ enum: [...monitoredInstitutionTypes] });
const DashQuery = Type.Object({ year: Type.Optional(Year), unit: Type.Optional(UnitCode), type: Type.Optional(TypeName) });
const Uuid = Type.String({ format: 'uuid' });
const errors = { 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut };

function currentYear(): number {
  return Number(vnToday().slice(0, 4));
}

function query(req: FastifyRequest): Record<string, string | undefined> {
  return (req.query ?? {}) as Record<string, string | undefined>;
}

/** Reads the page filters leniently: a bad value falls back to the default instead of failing. */
function filters(req: FastifyRequest): { year: number; unit?: string | undefined; type?: string | undefined } {
  const q = query(req);
  const year = /^(20\d\d|2100)$/.test(q.year ?? '') ? Number(q.year) : currentYear();
  const unit = /^\d{2,10}$/.test(q.unit?.trim() ?? '') ? q.unit?.trim() : undefined;
  const type = (monitoredInstitutionTypes as readonly string[]).includes(q.type ?? '') ? q.type : undefined;
  return { year, unit, type };
}

/** An officer's own unit: the unit of their first unit-scoped grant below the province, if any. */
async function defaultUnit(req: FastifyRequest): Promise<string | undefined> {
  const placement = await placementOf(dbOf(req));
  if (allowedTo(req.actor, 'oversee', provinceScope(placement))) return undefined;
  const grant = grantsOf(req.actor).find((g) => g.unitId && placement.units.get(g.unitId));
  return grant?.unitId ? placement.units.get(grant.unitId)?.code : undefined;
}

function declarationsFrom(body: Record<string, string | undefined>, list: readonly Criterion[]): FormInput['declarations'] {
  const out: NonNullable<FormInput['declarations']> = {};
  for (const c of list) {
    if (!(`decl_${c}` in body) && !(`evidence_${c}` in body) && !(`evidenceUrl_${c}` in body)) continue;
    out[c] = { declared: body[`decl_${c}`] === 'true', evidenceText: body[`evidence_${c}`] ?? null, evidenceUrl: body[`evidenceUrl_${c}`] ?? null };
  }
  return out;
}

async function renderForm(req: FastifyRequest, reply: FastifyReply, periodId: string, institutionId: string, extra: { issues?: Issue[]; notice?: string; input?: Record<string, string | undefined>; status?: number } = {}) {
  const f = await formState(dbOf(req), req.actor, periodId, institutionId);
  return sendPage(reply, <FormPage ctx={pageContext(req)} f={f} issues={extra.issues ?? []} notice={extra.notice} input={extra.input} />, extra.status);
}

/** The status of a refused form: 422 for bad input, 409 when the data is locked or under review. */
function failed(err: unknown): number {
  return err instanceof DomainError ? err.status : 422;
}

const formNotices: Record<string, string> = {
  saved: 'monitoring.submission.saved', submitted: 'monitoring.submission.submitted', return: 'monitoring.submission.done.return',
  accept: 'monitoring.submission.done.accept', approve: 'monitoring.submission.done.approve', reopen: 'monitoring.submission.done.reopen',
};

export const monitoringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await ensurePlanIndicators(app.deps.database.db);
  await app.register(evidenceRoutes);

  // ------------------------------------------------------------ pages

  app.get('/monitoring', { schema: { hide: true } }, async (req, reply) => {
    if (!allowedSomewhere(req.actor, 'oversee') && allowedSomewhere(req.actor, 'report')) return reply.redirect('/monitoring/periods', 303);
    const f = filters(req);
    const unit = f.unit ?? await defaultUnit(req);
    const board = await dashboard(dbOf(req), req.actor, { ...f, unit });
    const ctx = pageContext(req);
    const links = [
      { href: '/monitoring/periods', label: ctx.t('monitoring.period.title') },
      { href: '/monitoring/report', label: ctx.t('monitoring.report.title') },
      ...(allowedSomewhere(req.actor, 'report') ? [{ href: '/monitoring/visits', label: ctx.t('monitoring.visits.title') }] : []),
    ];
    return sendPage(reply, <DashboardPage ctx={ctx} charts={await chartRenderer()} board={board} types={[...monitoredInstitutionTypes]} links={links} publicView={false}
      title={ctx.t('monitoring.dashboard.title')} lead={ctx.t('monitoring.dashboard.lead', { year: board.year })} />);
  });

  app.get('/transparency', { schema: { hide: true } }, async (req, reply) => {
    const f = filters(req);
    const board = await dashboard(dbOf(req), null, { ...f, approvedOnly: true });
    const ctx = pageContext(req);
    return sendPage(reply, <DashboardPage ctx={ctx} charts={await chartRenderer()} board={board} types={[...monitoredInstitutionTypes]} links={[]} publicView
      title={ctx.t('monitoring.public.title')} lead={ctx.t('monitoring.public.lead')} />);
  });

  async function renderIndicator(req: FastifyRequest, reply: FastifyReply, code: string, extra: { issues?: Issue[]; notice?: string; status?: number } = {}) {
    const f = filters(req);
    const unit = f.unit ?? await defaultUnit(req);
    const db = dbOf(req);
    const detail = await indicatorDetail(db, req.actor, code, { ...f, unit });
    const placement = await placementOf(db);
    const formula = detail.summary.indicator.definition.formula;
    const evidence = formula.kind === 'share' || formula.kind === 'count' ? await evidenceByInstitution(db, f.year, formula.criterion) : new Map<string, EvidenceRow[]>();
    return sendPage(reply, <IndicatorPage ctx={pageContext(req)} charts={await chartRenderer()} detail={detail} year={f.year} issues={extra.issues ?? []} notice={extra.notice}
      canOverride={allowedSomewhere(req.actor, 'review')} canEdit={allowedTo(req.actor, 'administer', provinceScope(placement))} evidence={evidence} />, extra.status);
  }

  app.get<{ Params: { code: string } }>('/monitoring/indicators/:code', { schema: { hide: true } }, (req, reply) => renderIndicator(req, reply, req.params.code));

  app.post<{ Params: { code: string } }>('/monitoring/indicators/:code/override', { schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const ind = await getIndicator(dbOf(req), req.params.code);
    const f = ind.definition.formula;
    const met = Object.entries(body).find(([k]) => k.startsWith('met_'))?.[1];
    const reason = Object.entries(body).find(([k]) => k.startsWith('reason_'))?.[1] ?? '';
    try {
      if (f.kind !== 'share' && f.kind !== 'count') throw new ValidationError([issue('criterion', 'errors.invalid')]);
      const input = checkValue(Type.Object({ institutionId: Uuid }), { institutionId: body.institutionId });
      await inTx(req, (tx) => overrideCriterion(tx, req.actor, {
        institutionId: input.institutionId, year: filters(req).year, criterion: f.criterion, met: met === 'clear' ? null : met === 'true', reason,
      }));
      return reply.redirect(`/monitoring/indicators/${encodeURIComponent(req.params.code)}${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}#institutions`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderIndicator(req, reply, req.params.code, { issues, status: failed(err) });
      throw err;
    }
  });

  async function renderEdit(req: FastifyRequest, reply: FastifyReply, code: string, extra: { values?: IndicatorFormValues; issues?: Issue[]; status?: number } = {}) {
    const ind = await getIndicator(dbOf(req), code);
    return sendPage(reply, <IndicatorEditPage ctx={pageContext(req)} indicator={ind} values={extra.values ?? formValues(ind.definition)} issues={extra.issues ?? []}
      types={monitoredInstitutionTypes} />, extra.status);
  }

  const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 60 }) });

  app.get('/monitoring/indicators/:code/edit', { schema: { hide: true, params: CodeParams } }, async (req, reply) => {
    requireTo(req.actor, 'administer', provinceScope(await placementOf(dbOf(req))));
    return renderEdit(req, reply, req.params.code);
  });

  app.post('/monitoring/indicators/:code/edit', { schema: { hide: true, params: CodeParams } }, async (req, reply) => {
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
    return sendPage(reply, <IndicatorHistoryPage ctx={pageContext(req)} indicator={ind} history={await indicatorHistory(db, ind.id)}
      canEdit={allowedTo(req.actor, 'administer', provinceScope(placement))} />);
  });

  async function renderVisits(req: FastifyRequest, reply: FastifyReply, extra: { issues?: Issue[]; importIssues?: Issue[]; notice?: string; values?: Record<string, string | undefined>; institutionId?: string; status?: number } = {}) {
    const db = dbOf(req);
    const placement = await placementOf(db);
    const mine = placement.network.institutions.filter((i) => allowedTo(req.actor, 'report', placement.institutionScope(i.id)));
    if (req.actor.kind === 'anonymous') requireTo(req.actor, 'report', { unitPath: [], institutionPath: [] });
    const wanted = extra.institutionId ?? query(req).institution;
    const current = mine.find((i) => i.id === wanted) ?? mine[0];
    const [recent, totals] = current ? await Promise.all([listVisits(db, current.id), visitTotals(db, current.id)]) : [[], []];
    return sendPage(reply, <VisitsPage ctx={pageContext(req)} institutions={mine} current={current} recent={recent} totals={totals} issues={extra.issues ?? []}
      importIssues={extra.importIssues ?? []} notice={extra.notice} values={extra.values ?? {}} />, extra.status);
  }

  app.get('/monitoring/visits', { schema: { hide: true } }, (req, reply) => renderVisits(req, reply));

  app.post('/monitoring/visits', { schema: { hide: true } }, async (req, reply) => {
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

  app.post('/monitoring/visits/import', { schema: { hide: true }, config: { upload: true } }, async (req, reply) => {
    const file = await req.file();
    const text = file ? (await file.toBuffer()).toString('utf8') : '';
    try {
      const report = await inTx(req, (tx) => importVisitsCsv(tx, req.actor, text));
      return renderVisits(req, reply, { notice: req.t('monitoring.visits.imported', { n: report.imported }), importIssues: report.issues, status: report.issues.length ? 422 : 200 });
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderVisits(req, reply, { importIssues: issues, status: failed(err) });
      throw err;
    }
  });

  async function renderPeriods(req: FastifyRequest, reply: FastifyReply, extra: { issues?: Issue[]; notice?: string; values?: Record<string, string | undefined>; status?: number } = {}) {
    const db = dbOf(req);
    const placement = await placementOf(db);
    if (req.actor.kind === 'anonymous') requireTo(req.actor, 'report', { unitPath: [], institutionPath: [] });
    const periods = await listPeriods(db);
    const worklists = await Promise.all(periods.map(async (period) => ({ period, items: await worklist(db, req.actor, period.id), canOversee: allowedSomewhere(req.actor, 'oversee') })));
    return sendPage(reply, <PeriodsPage ctx={pageContext(req)} periods={periods} worklists={worklists} canOpen={allowedTo(req.actor, 'administer', provinceScope(placement))}
      issues={extra.issues ?? []} notice={extra.notice} values={extra.values ?? { year: String(currentYear()) }} />, extra.status);
  }

  app.get('/monitoring/periods', { schema: { hide: true } }, (req, reply) => renderPeriods(req, reply));

  app.post('/monitoring/periods', { schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    try {
      const form = parseForm(Type.Object({ year: Year, quarter: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })), deadline: Type.Optional(Type.String({ format: 'date' })) }), body);
      await inTx(req, (tx) => openPeriod(tx, req.actor, form));
      return renderPeriods(req, reply, { notice: req.t('monitoring.period.opened') });
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderPeriods(req, reply, { issues, values: body, status: failed(err) });
      throw err;
    }
  });

  const FormParams = Type.Object({ id: Uuid, institutionId: Uuid });

  app.get('/monitoring/periods/:id/institutions/:institutionId', { schema: { hide: true, params: FormParams } }, (req, reply) => {
    const n = query(req).notice;
    const key = n ? formNotices[n] : undefined;
    return renderForm(req, reply, req.params.id, req.params.institutionId, key ? { notice: req.t(key) } : {});
  });

  app.post('/monitoring/periods/:id/institutions/:institutionId', { schema: { hide: true, params: FormParams } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const submit = body.intent === 'submit';
    const f = await formState(dbOf(req), req.actor, req.params.id, req.params.institutionId);
    const values: Record<string, unknown> = {};
    for (const field of f.fields) values[field.name] = body[field.name] ?? '';
    try {
      await inTx(req, (tx) => saveForm(tx, req.actor, req.params.id, req.params.institutionId, { values, declarations: declarationsFrom(body, f.criteria.map((c) => c.criterion)) }, submit));
      return reply.redirect(`/monitoring/periods/${req.params.id}/institutions/${req.params.institutionId}?notice=${submit ? 'submitted' : 'saved'}`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderForm(req, reply, req.params.id, req.params.institutionId, { issues, input: body, status: failed(err) });
      throw err;
    }
  });

  app.post('/monitoring/periods/:id/institutions/:institutionId/:action', {
    schema: { hide: true, params: Type.Object({ id: Uuid, institutionId: Uuid, action: Type.Union([Type.Literal('return'), Type.Literal('accept'), Type.Literal('approve'), Type.Literal('reopen')]) }) },
  }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const f = await formState(dbOf(req), req.actor, req.params.id, req.params.institutionId);
    try {
      if (!f.submission) throw new ValidationError([issue('status', 'monitoring.submission.notFound')]);
      const id = f.submission.id;
      await inTx(req, (tx) => transition(tx, req.actor, id, req.params.action, body[`comment_${req.params.action}`]));
      return reply.redirect(`/monitoring/periods/${req.params.id}/institutions/${req.params.institutionId}?notice=${req.params.action}`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderForm(req, reply, req.params.id, req.params.institutionId, { issues: issues.map((i) => (i.field === 'comment' ? { ...i, field: `comment_${req.params.action}` } : i)), status: failed(err) });
      throw err;
    }
  });

  app.get('/monitoring/periods/:id/completeness', { schema: { hide: true, params: Type.Object({ id: Uuid }) } }, async (req, reply) => {
    const db = dbOf(req);
    const placement = await placementOf(db);
    const f = filters(req);
    const unitCode = f.unit ?? await defaultUnit(req);
    const unit = unitCode ? placement.unitByCode(unitCode, vnToday()) : undefined;
    const c = await completeness(db, req.actor, req.params.id, unit?.id);
    return sendPage(reply, <CompletenessPage ctx={pageContext(req)} c={c} unit={unitCode} />);
  });

  app.get('/monitoring/report', { schema: { hide: true } }, async (req, reply) => {
    const f = filters(req);
    const unit = f.unit ?? await defaultUnit(req) ?? (await placementOf(dbOf(req))).network.units.find((u) => u.level === 'province' && u.validTo === null)?.code ?? '';
    return sendPage(reply, <ReportPage ctx={pageContext(req)} year={f.year} unit={unit} />);
  });

  for (const format of ['docx', 'xlsx'] as const) {
    app.get(`/monitoring/report/annual.${format}`, { schema: { hide: true } }, async (req, reply) => {
      const f = filters(req);
      const unit = f.unit ?? await defaultUnit(req) ?? (await placementOf(dbOf(req))).network.units.find((u) => u.level === 'province' && u.validTo === null)?.code ?? '';
      const buf = await generateAnnualReport(dbOf(req), req.actor, { year: f.year, unitCode: unit, format });
      return sendFile(reply, buf, format, `bao-cao-${f.year}-${unit}`);
    });
  }

  // ------------------------------------------------------------ JSON API

  app.get('/api/v1/monitoring/dashboard', {
    schema: { tags, summary: 'Indicators with value, targets, status and trend (officers: their unit)', querystring: DashQuery, response: { 200: DashboardOut, ...errors } },
  }, async (req) => {
    const unit = req.query.unit ?? await defaultUnit(req);
    return presentDashboard(await dashboard(dbOf(req), req.actor, { year: req.query.year ?? currentYear(), unit, type: req.query.type }), req.locale);
  });

  app.get('/api/v1/monitoring/public', {
    schema: { tags, summary: 'Aggregated figures from approved data, without personal data', querystring: DashQuery, response: { 200: DashboardOut, ...errors } },
  }, async (req) => presentDashboard(await dashboard(dbOf(req), null, { year: req.query.year ?? currentYear(), unit: req.query.unit, type: req.query.type, approvedOnly: true }), req.locale));

  app.get('/api/v1/monitoring/indicators', { schema: { tags, summary: 'Indicator definitions', response: { 200: Type.Object({ indicators: Type.Array(IndicatorOut) }) } } },
    async () => ({ indicators: (await listIndicators(app.deps.database.db)).map(presentIndicator) }));

  app.get('/api/v1/monitoring/indicators/:code', {
    schema: { tags, summary: 'One indicator drilled down by unit, type and institution', params: Type.Object({ code: Type.String({ maxLength: 60 }) }), querystring: DashQuery, response: { 200: DetailOut, ...errors } },
  }, async (req) => {
    const unit = req.query.unit ?? await defaultUnit(req);
    return presentDetail(await indicatorDetail(dbOf(req), req.actor, req.params.code, { year: req.query.year ?? currentYear(), unit, type: req.query.type }), req.locale);
  });

  app.get('/api/v1/monitoring/indicators/:code/versions', {
    schema: { tags, summary: 'Every version of an indicator definition (officers and the Department: it names who changed it)', params: Type.Object({ code: Type.String({ maxLength: 60 }) }), response: { 200: Type.Object({ versions: Type.Array(IndicatorVersionOut) }), ...errors } },
  }, async (req) => {
    if (!allowedSomewhere(req.actor, 'oversee')) requireTo(req.actor, 'oversee', provinceScope(await placementOf(dbOf(req))));
    const ind = await getIndicator(dbOf(req), req.params.code);
    return { versions: (await indicatorHistory(dbOf(req), ind.id)).map(presentVersion) };
  });

  app.put('/api/v1/monitoring/indicators/:code', {
    schema: {
      tags, summary: 'Replace an indicator definition as a new version (Department)', params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
      body: Type.Object({ definition: IndicatorDefinition, expectedVersion: Type.Integer({ minimum: 1 }), note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: IndicatorOut, ...errors },
    },
  }, async (req) => presentIndicator(await inTx(req, (tx) => updateIndicator(tx, req.actor, req.params.code, req.body))));

  app.post('/api/v1/monitoring/criteria/overrides', {
    schema: {
      tags, summary: 'Override a criterion for an institution and year, with a reason (officer above)',
      body: Type.Object({ institutionId: Uuid, year: Year, criterion: Type.String({ enum: [...criteria] }), met: Type.Union([Type.Boolean(), Type.Null()]), reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ institutionId: Type.String(), year: Type.Integer(), criterion: Type.String(), override: Type.Union([Type.Boolean(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]) }), ...errors },
    },
  }, async (req) => {
    const row = await inTx(req, (tx) => overrideCriterion(tx, req.actor, { ...req.body, criterion: req.body.criterion as Criterion }));
    return { institutionId: row.institutionId, year: row.year, criterion: row.criterion, override: row.override, reason: row.overrideReason };
  });

  app.post('/api/v1/monitoring/visits', {
    schema: { tags, summary: 'Record a daily or monthly visit count', body: VisitInput, response: { 201: Type.Object({ ok: Type.Boolean() }), ...errors } },
  }, async (req, reply) => {
    await inTx(req, (tx) => recordVisit(tx, req.actor, req.body));
    return reply.code(201).send({ ok: true });
  });

  app.delete('/api/v1/monitoring/visits/:id', {
    schema: { tags, summary: 'Remove a mistaken count (institution staff); the totals follow at once', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 204: Type.Null(), ...errors } },
  }, async (req, reply) => {
    await inTx(req, (tx) => deleteVisit(tx, req.actor, req.params.id));
    return reply.code(204).send(null);
  });

  app.post('/api/v1/monitoring/visits/import', {
    schema: {
      tags, summary: 'Import a gate-counter CSV; good rows are kept, bad rows reported by line',
      body: Type.Object({ csv: Type.String({ minLength: 1, maxLength: 20_000_000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ imported: Type.Integer(), issues: Type.Array(Type.Object({ row: Type.Optional(Type.Integer()), field: Type.String(), code: Type.String(), message: Type.String() })) }), ...errors },
    },
  }, async (req) => {
    const report = await inTx(req, (tx) => importVisitsCsv(tx, req.actor, req.body.csv));
    return { imported: report.imported, issues: report.issues.map((i) => ({ ...(i.row ? { row: i.row } : {}), field: i.field, code: i.key, message: req.t(i.key, i.params) })) };
  });

  app.get('/api/v1/monitoring/institutions/:id/visits', {
    schema: { tags, summary: 'Recent counts and yearly totals of an institution', params: Type.Object({ id: Uuid }), response: { 200: Type.Object({ recent: Type.Array(VisitOut), totals: Type.Array(YearVisitsOut) }), ...errors } },
  }, async (req) => {
    const placement = await placementOf(dbOf(req));
    const scope = placement.institutionScope(req.params.id);
    if (!allowedTo(req.actor, 'oversee', scope)) requireTo(req.actor, 'report', scope);
    const [recent, totals] = await Promise.all([listVisits(dbOf(req), req.params.id), visitTotals(dbOf(req), req.params.id)]);
    return { recent: recent.map(presentVisit), totals: totals.map(presentYearVisits) };
  });

  app.get('/api/v1/monitoring/periods', { schema: { tags, summary: 'Reporting periods', response: { 200: Type.Object({ periods: Type.Array(PeriodOut) }) } } },
    async (req) => ({ periods: (await listPeriods(dbOf(req))).map(presentPeriod) }));

  app.post('/api/v1/monitoring/periods', {
    schema: {
      tags, summary: 'Open a reporting period (Department); the deadline defaults to 15 November',
      body: Type.Object({ year: Year, quarter: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })), deadline: Type.Optional(Type.String({ format: 'date' })) }, { additionalProperties: false }),
      response: { 201: PeriodOut, ...errors },
    },
  }, async (req, reply) => reply.code(201).send(presentPeriod(await inTx(req, (tx) => openPeriod(tx, req.actor, req.body)))));

  app.get('/api/v1/monitoring/periods/:id/institutions/:institutionId', {
    schema: { tags, summary: 'An institution\'s data set for a period, with observed values and what the caller may do', params: FormParams, response: { 200: SubmissionOut, ...errors } },
  }, async (req) => presentForm(await formState(dbOf(req), req.actor, req.params.id, req.params.institutionId)));

  app.put('/api/v1/monitoring/periods/:id/institutions/:institutionId', {
    schema: {
      tags, summary: 'Save the data set as a draft, or save and submit it (institution staff)', params: FormParams,
      body: Type.Object({
        values: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
        declarations: Type.Optional(Type.Record(Type.String(), Type.Object({ declared: Type.Boolean(), evidenceText: Type.Optional(Type.Union([Type.String(), Type.Null()])), evidenceUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])) }))),
        submit: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 200: SubmissionOut, ...errors },
    },
  }, async (req) => {
    await inTx(req, (tx) => saveForm(tx, req.actor, req.params.id, req.params.institutionId, { values: req.body.values, declarations: req.body.declarations }, req.body.submit ?? false));
    return presentForm(await formState(dbOf(req), req.actor, req.params.id, req.params.institutionId));
  });

  app.post('/api/v1/monitoring/submissions/:id/transitions', {
    schema: {
      tags, summary: 'Return (with a comment), accept, approve, or reopen (with a reason) a data set', params: Type.Object({ id: Uuid }),
      body: Type.Object({ action: Type.Union([Type.Literal('return'), Type.Literal('accept'), Type.Literal('approve'), Type.Literal('reopen')]), comment: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.String(), status: Type.String(), submittedAt: Type.Union([Type.String(), Type.Null()]) }), ...errors },
    },
  }, async (req) => presentSubmission(await inTx(req, (tx) => transition(tx, req.actor, req.params.id, req.body.action, req.body.comment))));

  app.get('/api/v1/monitoring/periods/:id/completeness', {
    schema: { tags, summary: 'Expected, submitted and on-time data sets by unit and type, and who is late', params: Type.Object({ id: Uuid }), querystring: Type.Object({ unit: Type.Optional(UnitCode) }), response: { 200: CompletenessOut, ...errors } },
  }, async (req) => {
    const placement = await placementOf(dbOf(req));
    const code = req.query.unit ?? await defaultUnit(req);
    const unit = code ? placement.unitByCode(code, vnToday()) : undefined;
    return presentCompleteness(await completeness(dbOf(req), req.actor, req.params.id, unit?.id));
  });

  app.get('/api/v1/monitoring/reports/annual', {
    schema: {
      tags, summary: 'The yearly report from approved data: DOCX (Decree 30/2020 layout) or XLSX annexes',
      querystring: Type.Object({ year: Year, unit: UnitCode, format: Type.Union([Type.Literal('docx'), Type.Literal('xlsx')]) }),
      produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    },
  }, async (req, reply) => {
    const buf = await generateAnnualReport(dbOf(req), req.actor, { year: req.query.year, unitCode: req.query.unit, format: req.query.format });
    return sendFile(reply, buf, req.query.format, `bao-cao-${req.query.year}-${req.query.unit}`);
  });
};

const mime = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

function sendFile(reply: FastifyReply, buf: Buffer, format: 'docx' | 'xlsx', name: string): FastifyReply {
  return reply.type(mime[format]).header('content-disposition', `attachment; filename="${name}.${format}"`).header('cache-control', 'no-store').send(buf);
}
