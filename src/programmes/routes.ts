import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { institutionRefs, unitRefs, unitSubtree, unitPath } from '../orgs/index.js';
import { dbOf } from '../platform/http/context.js';
import { canSomewhere } from '../platform/access.js';
import { registerNav } from '../platform/web/layout.js';
import { programmeApi } from './api.js';
import { calendarEntries, markersBetween, ownEntries, seedNationalDays, type CalendarScope } from './calendar.js';
import { icalendar } from './ics.js';
import { addDays, vnDate } from './model.js';
import { programmeImages } from './images.js';
import { programmePages } from './pages.js';
import { activityCsv, activityXlsx, programmeActivity, requireStaffAnywhere, statsFilter } from './stats.js';
import './messages.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const checkinJs = fs.readFileSync(path.join(here, 'assets/checkin.js'), 'utf8');
const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

registerNav({ href: '/programmes', key: 'programmes.nav.programmes', order: 40 });
registerNav({ href: '/calendar', key: 'programmes.nav.calendar', order: 41 });
registerNav({ href: '/programmes/manage', key: 'programmes.nav.manage', order: 42, visible: (ctx) => canSomewhere(ctx.actor, 'programmes.operate') });

/** Feeds reach back a month and forward a year: what a calendar app needs, no more. */
async function sendFeed(req: FastifyRequest, reply: FastifyReply, scope: CalendarScope, name: string, unitIdsAbove: string[]) {
  const db = dbOf(req);
  const today = vnDate(new Date());
  const from = addDays(today, -31);
  const to = addDays(today, 366);
  const [entries, markers] = await Promise.all([calendarEntries(db, scope, from, to, 5000), markersBetween(db, scope, from, to, unitIdsAbove)]);
  const base = req.server.deps.config.publicUrl;
  return reply.type('text/calendar; charset=utf-8').header('cache-control', 'public, max-age=300')
    .send(icalendar({ name, host: new URL(base).host, baseUrl: base, entries, markers }));
}

export const programmesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await seedNationalDays(app.deps.database.db);
  await app.register(programmePages);
  await app.register(programmeApi);
  await app.register(programmeImages);
  const hide = { schema: { hide: true } };

  app.get('/programmes/assets/checkin.js', hide, (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(checkinJs));

  app.get('/calendar/feed.ics', hide, async (req, reply) => sendFeed(req, reply, { kind: 'all' }, req.t('programmes.calendar.title'), []));

  app.get<{ Params: { unitId: string } }>('/calendar/units/:unitId/feed.ics', hide, async (req, reply) => {
    const db = dbOf(req);
    const unit = isUuid(req.params.unitId) ? (await unitRefs(db, [req.params.unitId])).get(req.params.unitId) : undefined;
    if (!unit) return reply.callNotFound();
    return sendFeed(req, reply, { kind: 'unit', unitId: unit.id, subtree: await unitSubtree(db, unit.id) }, req.t('programmes.calendar.ofPlace', { name: unit.name }), await unitPath(db, unit.id));
  });

  app.get<{ Params: { institutionId: string } }>('/calendar/institutions/:institutionId/feed.ics', hide, async (req, reply) => {
    const db = dbOf(req);
    const inst = isUuid(req.params.institutionId) ? (await institutionRefs(db, [req.params.institutionId])).get(req.params.institutionId) : undefined;
    if (!inst) return reply.callNotFound();
    return sendFeed(req, reply, { kind: 'institution', institutionId: inst.id }, req.t('programmes.calendar.ofInstitution', { name: inst.name }), await unitPath(db, inst.unitId));
  });

  app.get<{ Params: { token: string } }>('/my/calendar/:token/feed.ics', hide, async (req, reply) => {
    const entries = await ownEntries(dbOf(req), req.params.token);
    const base = req.server.deps.config.publicUrl;
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300')
      .send(icalendar({ name: req.t('programmes.my.title'), host: new URL(base).host, baseUrl: base, entries }));
  });

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/programmes/stats.${format}`, hide, async (req, reply) => {
      requireStaffAnywhere(req.actor);
      const db = dbOf(req);
      const f = statsFilter(req.query as Record<string, string | undefined>);
      const unitIds = f.unitId && isUuid(f.unitId) ? await unitSubtree(db, f.unitId) : undefined;
      const rows = await programmeActivity(db, { from: f.from, to: f.to, ...(unitIds ? { unitIds } : {}) });
      const refs = await institutionRefs(db, rows.map((r) => r.institutionId));
      const names = new Map([...refs].map(([id, r]) => [id, r.name]));
      const file = `hoat-dong-${f.from}-${f.to}.${format}`;
      reply.header('content-disposition', `attachment; filename="${file}"`).header('cache-control', 'no-store');
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(activityCsv(rows, req.t, names));
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await activityXlsx(rows, req.t, names, f));
    });
  }
};
