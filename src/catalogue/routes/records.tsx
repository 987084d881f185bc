import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSomewhere } from '../../platform/access.js';
import { dbOf, pageContext, sendPage } from '../../platform/http/context.js';
import { citationVancouver } from '../citation.js';
import { toDublinCore } from '../dublin-core.js';
import { recordFile } from '../export.js';
import { presentRecord, RecordOut } from '../presenters.js';
import { getRecord, itemsOf } from '../service.js';
import { DcPage, MarcPage, RecordPage } from '../views/opac.js';
import { errors, IdParams, NoticeQuery, presentedItems, tags } from './common.js';

/** A bibliographic record: its page, its MARC and Dublin Core views, and the same as JSON, MARCXML and ISO 2709. */
export const recordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/catalogue/records/:id',
    {
      schema: { tags, summary: 'A bibliographic record, with its Dublin Core view', params: IdParams, response: { 200: RecordOut, ...errors } },
    },
    async (req) => presentRecord(await getRecord(dbOf(req), req.params.id)),
  );

  app.get('/api/v1/catalogue/records/:id/marc.xml', { schema: { tags, summary: 'A record as MARCXML', params: IdParams } }, async (req, reply) => {
    const record = await getRecord(dbOf(req), req.params.id);
    return reply.type('application/marcxml+xml; charset=utf-8').send(recordFile(record.marc, 'marcxml'));
  });

  app.get(
    '/api/v1/catalogue/records/:id/marc.mrc',
    { schema: { tags, summary: 'A record as ISO 2709 (MARC 21, UTF-8)', params: IdParams } },
    async (req, reply) => {
      const record = await getRecord(dbOf(req), req.params.id);
      return reply
        .type('application/marc')
        .header('content-disposition', `attachment; filename="${record.id}.mrc"`)
        .send(recordFile(record.marc, 'iso2709'));
    },
  );

  app.get('/catalogue/records/:id', { schema: { hide: true, params: IdParams, querystring: NoticeQuery } }, async (req, reply) => {
    const db = dbOf(req);
    const record = await getRecord(db, req.params.id);
    const items = await presentedItems(db, await itemsOf(db, record.id));
    const permalink = new URL(`/catalogue/records/${record.id}`, req.server.deps.config.publicUrl).toString();
    const notice = req.query.notice === 'saved' ? req.t('catalogue.notice.saved') : undefined;
    const view = presentRecord(record);
    return sendPage(
      reply,
      <RecordPage
        ctx={pageContext(req)}
        record={view}
        vancouver={citationVancouver(view, record.marc)}
        items={items}
        permalink={permalink}
        staff={canSomewhere(req.actor, 'catalogue.write')}
        notice={notice}
      />,
    );
  });

  app.get('/catalogue/records/:id/marc', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const record = await getRecord(dbOf(req), req.params.id);
    return sendPage(reply, <MarcPage ctx={pageContext(req)} record={presentRecord(record)} marc={record.marc} />);
  });

  app.get('/catalogue/records/:id/dc', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const record = await getRecord(dbOf(req), req.params.id);
    return sendPage(reply, <DcPage ctx={pageContext(req)} record={presentRecord(record)} dc={toDublinCore(record.marc)} />);
  });
};
