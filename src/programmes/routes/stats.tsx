import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { institutionRefs, unitSubtree } from '../../orgs/index.js';
import type { Issue } from '../../platform/errors.js';
import { dbOf, pageContext, sendPage } from '../../platform/http/context.js';
import { activityCsv, activityXlsx, programmeActivity, requireStaffAnywhere, statsFilter, totalsOf } from '../stats.js';
import { StatsPage } from '../views/other.js';
import { unitChoices } from './common.js';
import { isUuid } from '../../platform/http/schemas.js';

const text = Type.Optional(Type.String({ maxLength: 100 }));
const StatsQuery = Type.Object({ from: text, to: text, unitId: text });

/** What institutions held and who came, for a period and a place: as a page, CSV or a spreadsheet. */
export const statsPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/programmes/stats', { schema: { hide: true, querystring: StatsQuery } }, async (req, reply) => {
    requireStaffAnywhere(req.actor);
    const db = dbOf(req);
    const f = statsFilter(req.query);
    const unitIds = f.unitId ? await unitSubtree(db, f.unitId) : undefined;
    const issues: Issue[] = f.to < f.from ? [{ field: 'to', key: 'programmes.errors.endBeforeStart' }] : [];
    const rows = issues.length ? [] : await programmeActivity(db, { from: f.from, to: f.to, ...(unitIds ? { unitIds } : {}) });
    const refs = await institutionRefs(
      db,
      rows.map((r) => r.institutionId),
    );
    const nameMap = new Map([...refs].map(([id, r]) => [id, r.name]));
    return sendPage(
      reply,
      <StatsPage
        ctx={pageContext(req)}
        rows={rows}
        names={nameMap}
        totals={totalsOf(rows)}
        values={f}
        units={await unitChoices(db)}
        issues={issues}
      />,
      issues.length ? 422 : 200,
    );
  });

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/programmes/stats.${format}`, { schema: { hide: true, querystring: StatsQuery } }, async (req, reply) => {
      requireStaffAnywhere(req.actor);
      const db = dbOf(req);
      const f = statsFilter(req.query);
      const unitIds = f.unitId && isUuid(f.unitId) ? await unitSubtree(db, f.unitId) : undefined;
      const rows = await programmeActivity(db, { from: f.from, to: f.to, ...(unitIds ? { unitIds } : {}) });
      const refs = await institutionRefs(
        db,
        rows.map((r) => r.institutionId),
      );
      const names = new Map([...refs].map(([id, r]) => [id, r.name]));
      const file = `hoat-dong-${f.from}-${f.to}.${format}`;
      reply.header('content-disposition', `attachment; filename="${file}"`).header('cache-control', 'no-store');
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(activityCsv(rows, req.t, names));
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await activityXlsx(rows, req.t, names, f));
    });
  }
};
