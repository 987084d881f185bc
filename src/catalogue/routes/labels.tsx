import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../../platform/access.js';
import { dbOf, pageContext, sendPage } from '../../platform/http/context.js';
import { libraryNames } from '../libraries.js';
import { getItem, getRecord, itemsOf, type ItemRow } from '../service.js';
import { LabelsPage, type Label } from '../views/labels.js';
import { IdParams } from './common.js';

export const labelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const labelsOf = async (db: ReturnType<typeof dbOf>, title: string, rows: ItemRow[]): Promise<Label[]> => {
    const names = await libraryNames(
      db,
      rows.map((r) => r.institutionId),
    );
    return rows.map((r) => ({ barcode: r.barcode, callNumber: r.callNumber, title, library: names.get(r.institutionId) ?? '' }));
  };

  app.get('/catalogue/items/:id/label', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    const db = dbOf(req);
    const item = await getItem(db, req.params.id);
    const record = await getRecord(db, item.recordId);
    return sendPage(reply, <LabelsPage ctx={pageContext(req)} title={record.title} labels={await labelsOf(db, record.title, [item])} />);
  });

  app.get('/catalogue/records/:id/labels', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    const db = dbOf(req);
    const record = await getRecord(db, req.params.id);
    return sendPage(
      reply,
      <LabelsPage ctx={pageContext(req)} title={record.title} labels={await labelsOf(db, record.title, await itemsOf(db, record.id))} />,
    );
  });
};
