import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ValidationError } from '../errors.js';
import { dbOf, pageContext, sendPage } from '../http/context.js';
import { parseForm } from '../http/validation.js';
import { AuditQuery, checkAuditQuery } from './filter.js';
import { assertAuditReader, listAudit } from './index.js';
import './messages.js';
import { nameOf, resolveNames } from './names.js';
import { AuditEntryOut, presentAuditRows } from './present.js';
import { AuditPage, type Chip } from './views.js';

async function entriesFor(req: FastifyRequest, q: AuditQuery) {
  const result = await listAudit(dbOf(req), req.actor, q);
  return { ...result, entries: await presentAuditRows(dbOf(req), req.t, req.locale, result.rows) };
}

/** The filters set by following a link, named. */
async function chipsFor(req: FastifyRequest, q: AuditQuery, entries: AuditEntryOut[]): Promise<Chip[]> {
  const wanted = new Map<string, Set<string>>();
  if (q.actorId) wanted.set('user', new Set([q.actorId]));
  if (q.institutionId) wanted.set('institution', new Set([q.institutionId]));
  const names = await resolveNames(dbOf(req), wanted);
  const chips: Chip[] = [];
  if (q.actorId) chips.push({ param: 'actorId', label: nameOf(names, 'user', q.actorId) ?? entries[0]?.actor ?? q.actorId });
  if (q.institutionId)
    chips.push({ param: 'institutionId', label: nameOf(names, 'institution', q.institutionId) ?? entries[0]?.institutionName ?? q.institutionId });
  if (q.entityId) chips.push({ param: 'entityId', label: entries[0]?.entityName ?? q.entityId });
  return chips;
}

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit', { schema: { hide: true } }, async (req, reply) => {
    const typed = Object.fromEntries(
      Object.entries(req.query as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    assertAuditReader(req.actor);
    let q: AuditQuery;
    try {
      q = checkAuditQuery(parseForm(AuditQuery, req.query));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const chips = (['actorId', 'institutionId', 'entityId'] as const).filter((p) => typed[p]).map((p) => ({ param: p, label: typed[p] as string }));
      return sendPage(
        reply,
        <AuditPage ctx={pageContext(req)} q={typed} chips={chips} entries={[]} total={0} page={1} pageSize={50} issues={e.issues} />,
        400,
      );
    }
    const result = await entriesFor(req, q);
    return sendPage(reply, <AuditPage ctx={pageContext(req)} q={typed} chips={await chipsFor(req, q, result.entries)} {...result} />);
  });

  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log entries the caller may read, newest first, with labels and names in the language asked for',
        querystring: AuditQuery,
        response: { 200: Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), entries: Type.Array(AuditEntryOut) }) },
      },
    },
    async (req) => {
      const result = await entriesFor(req, checkAuditQuery(req.query));
      return { total: result.total, page: result.page, pageSize: result.pageSize, entries: result.entries };
    },
  );
};
