import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { institutionRefs, unitPath, unitRefs, unitSubtree } from '../../orgs/index.js';
import { canSomewhere, grantsOf, type Actor } from '../../platform/access.js';
import type { Db } from '../../platform/db/index.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { submitForm } from '../../platform/http/forms.js';
import { parseForm } from '../../platform/http/validation.js';
import {
  calendarDays,
  calendarEntries,
  createMarker,
  listMarkers,
  markersBetween,
  ownEntries,
  updateMarker,
  type CalendarScope,
} from '../calendar.js';
import { icalendar } from '../ics.js';
import { addDays, isDate, MarkerInput, vnDate, weekStart } from '../model.js';
import { presentMarker } from '../presenters.js';
import { CalendarPage, MarkerEditPage, MarkersPage, monthBounds, weekBounds, type CalendarView } from '../views/calendar.js';
import { IdParams, markerValues, NoticeQuery, noticeOf, unitChoices, type Body } from './common.js';
import { isUuid, Uuid } from '../../platform/http/schemas.js';

const CalendarQuery = Type.Object({ view: Type.Optional(Type.String({ maxLength: 20 })), date: Type.Optional(Type.String({ maxLength: 40 })) });
const PlaceQuery = Type.Object({ unitId: Type.Optional(Type.String({ maxLength: 100 })) });
const UnitParams = Type.Object({ unitId: Uuid });
const InstitutionParams = Type.Object({ institutionId: Uuid });
const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

function calendarRange(view: CalendarView, date: string) {
  if (view === 'month') return monthBounds(date);
  if (view === 'week') return weekBounds(weekStart(date));
  return { from: date, to: addDays(date, 7), prev: addDays(date, -7), next: addDays(date, 7) };
}

async function calendarPage(req: FastifyRequest, reply: FastifyReply, scope: CalendarScope, title: string, base: string, unitIdsAbove: string[]) {
  const q = req.query as { view?: string; date?: string };
  const view: CalendarView = q.view === 'week' || q.view === 'list' ? q.view : 'month';
  const date = q.date && isDate(q.date) ? q.date : vnDate(new Date());
  const range = calendarRange(view, date);
  const db = dbOf(req);
  const [days, entries, markers, units] = await Promise.all([
    view === 'list' ? Promise.resolve([]) : calendarDays(db, scope, range.from, range.to, view === 'month' ? 3 : 20),
    view === 'list' ? calendarEntries(db, scope, range.from, range.to, 200) : Promise.resolve([]),
    markersBetween(db, scope, range.from, range.to, unitIdsAbove),
    unitChoices(db),
  ]);
  return sendPage(
    reply,
    <CalendarPage
      ctx={pageContext(req)}
      title={title}
      base={base}
      view={view}
      date={view === 'month' ? range.from : date}
      prev={range.prev}
      next={range.next}
      days={days}
      entries={entries}
      markers={markers}
      units={units}
      unitId={scope.kind === 'unit' ? scope.unitId : undefined}
    />,
  );
}

/** Feeds reach back a month and forward a year: what a calendar app needs, no more. */
async function sendFeed(req: FastifyRequest, reply: FastifyReply, scope: CalendarScope, name: string, unitIdsAbove: string[]) {
  const db = dbOf(req);
  const today = vnDate(new Date());
  const from = addDays(today, -31);
  const to = addDays(today, 366);
  const [entries, markers] = await Promise.all([calendarEntries(db, scope, from, to, 5000), markersBetween(db, scope, from, to, unitIdsAbove)]);
  const base = req.server.deps.config.publicUrl;
  return reply
    .type('text/calendar; charset=utf-8')
    .header('cache-control', 'public, max-age=300')
    .send(icalendar({ name, host: new URL(base).host, baseUrl: base, entries, markers }));
}

async function markerUnits(db: Db): Promise<Map<string, string>> {
  return new Map((await unitChoices(db)).map((c) => [c.value, c.label]));
}

const canEditMarkers = (actor: Actor) => canSomewhere(actor, 'units.write') || grantsOf(actor).some((g) => g.role === 'unit_officer');

/** The calendar of a province, a place or an institution, as pages and iCalendar feeds, and the days marked on it. */
export const calendarPages: FastifyPluginAsyncTypebox = async (app) => {
  const page = { schema: { hide: true, querystring: CalendarQuery } };
  app.get('/calendar', page, async (req, reply) => calendarPage(req, reply, { kind: 'all' }, req.t('programmes.calendar.title'), '/calendar', []));

  app.get('/calendar/place', { schema: { hide: true, querystring: PlaceQuery } }, async (req, reply) => {
    const { unitId } = req.query;
    return reply.redirect(unitId && isUuid(unitId) ? `/calendar/units/${unitId}` : '/calendar', 303);
  });

  app.get('/calendar/units/:unitId', { schema: { ...page.schema, params: UnitParams } }, async (req, reply) => {
    const db = dbOf(req);
    const unit = (await unitRefs(db, [req.params.unitId])).get(req.params.unitId);
    if (!unit) return reply.callNotFound();
    return calendarPage(
      req,
      reply,
      { kind: 'unit', unitId: unit.id, subtree: await unitSubtree(db, unit.id) },
      req.t('programmes.calendar.ofPlace', { name: unit.name }),
      `/calendar/units/${unit.id}`,
      await unitPath(db, unit.id),
    );
  });

  app.get('/calendar/institutions/:institutionId', { schema: { ...page.schema, params: InstitutionParams } }, async (req, reply) => {
    const db = dbOf(req);
    const inst = (await institutionRefs(db, [req.params.institutionId])).get(req.params.institutionId);
    if (!inst) return reply.callNotFound();
    return calendarPage(
      req,
      reply,
      { kind: 'institution', institutionId: inst.id },
      req.t('programmes.calendar.ofInstitution', { name: inst.name }),
      `/calendar/institutions/${inst.id}`,
      await unitPath(db, inst.unitId),
    );
  });

  app.get('/calendar/feed.ics', { schema: { hide: true } }, async (req, reply) =>
    sendFeed(req, reply, { kind: 'all' }, req.t('programmes.calendar.title'), []),
  );

  app.get('/calendar/units/:unitId/feed.ics', { schema: { hide: true, params: UnitParams } }, async (req, reply) => {
    const db = dbOf(req);
    const unit = (await unitRefs(db, [req.params.unitId])).get(req.params.unitId);
    if (!unit) return reply.callNotFound();
    return sendFeed(
      req,
      reply,
      { kind: 'unit', unitId: unit.id, subtree: await unitSubtree(db, unit.id) },
      req.t('programmes.calendar.ofPlace', { name: unit.name }),
      await unitPath(db, unit.id),
    );
  });

  app.get('/calendar/institutions/:institutionId/feed.ics', { schema: { hide: true, params: InstitutionParams } }, async (req, reply) => {
    const db = dbOf(req);
    const inst = (await institutionRefs(db, [req.params.institutionId])).get(req.params.institutionId);
    if (!inst) return reply.callNotFound();
    return sendFeed(
      req,
      reply,
      { kind: 'institution', institutionId: inst.id },
      req.t('programmes.calendar.ofInstitution', { name: inst.name }),
      await unitPath(db, inst.unitId),
    );
  });

  app.get('/my/calendar/:token/feed.ics', { schema: { hide: true, params: TokenParams } }, async (req, reply) => {
    const entries = await ownEntries(dbOf(req), req.params.token);
    const base = req.server.deps.config.publicUrl;
    return reply
      .type('text/calendar; charset=utf-8')
      .header('cache-control', 'private, max-age=300')
      .send(icalendar({ name: req.t('programmes.my.title'), host: new URL(base).host, baseUrl: base, entries }));
  });

  app.get('/calendar/markers', { schema: { hide: true, querystring: NoticeQuery } }, async (req, reply) => {
    const db = dbOf(req);
    return sendPage(
      reply,
      <MarkersPage
        ctx={pageContext(req)}
        markers={(await listMarkers(db)).map(presentMarker)}
        units={await markerUnits(db)}
        issues={[]}
        values={{}}
        notice={noticeOf(req)}
        canEdit={canEditMarkers(req.actor)}
      />,
    );
  });

  app.post('/calendar/markers', { schema: { hide: true } }, async (req, reply) =>
    submitForm(req, reply, {
      schema: MarkerInput,
      run: (tx, input) => createMarker(tx, req.actor, input),
      redirect: () => '/calendar/markers?notice=marker',
      redisplay: async (issues, values) => {
        const db = dbOf(req);
        return (
          <MarkersPage
            ctx={pageContext(req)}
            markers={(await listMarkers(db)).map(presentMarker)}
            units={await markerUnits(db)}
            issues={issues}
            values={values}
            canEdit={canEditMarkers(req.actor)}
          />
        );
      },
    }),
  );

  app.get('/calendar/markers/:id', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const db = dbOf(req);
    const m = (await listMarkers(db)).find((x) => x.id === req.params.id);
    if (!m) return reply.callNotFound();
    const values = {
      title: m.title,
      day: String(m.day),
      month: String(m.month),
      year: m.year ? String(m.year) : undefined,
      days: String(m.days),
      unitId: m.unitId ?? undefined,
      hidden: m.hidden ? 'true' : undefined,
    };
    return sendPage(reply, <MarkerEditPage ctx={pageContext(req)} id={m.id} values={values} issues={[]} units={await markerUnits(db)} />);
  });

  // An unticked "hidden" box sends nothing, which here means "shown": the form is read with that default.
  app.post('/calendar/markers/:id', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      const input = parseForm(MarkerInput, { hidden: 'false', ...body });
      await inTx(req, (tx) => updateMarker(tx, req.actor, req.params.id, input));
      return reply.redirect('/calendar/markers?notice=marker', 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues)
        return sendPage(
          reply,
          <MarkerEditPage
            ctx={pageContext(req)}
            id={req.params.id}
            values={markerValues(body)}
            issues={issues}
            units={await markerUnits(dbOf(req))}
          />,
          422,
        );
      throw err;
    }
  });
};
