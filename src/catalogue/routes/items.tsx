import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../../platform/access.js';
import { issue, ValidationError, type Issue } from '../../platform/errors.js';
import { dbOf, inTx, pageContext, sendPage } from '../../platform/http/context.js';
import { submitForm } from '../../platform/http/forms.js';
import { operableLibraries } from '../libraries.js';
import { ItemForm } from '../model.js';
import { ItemOut, presentRecord } from '../presenters.js';
import { addItem, getItem, getRecord, itemsOf, itemStatuses, updateItem, withdrawItem, type ItemRow } from '../service.js';
import { ItemFormPage, type ItemFormValues } from '../views/staff.js';
import { errors, IdParams, presentedItems, tags } from './common.js';

async function itemPage(req: FastifyRequest, recordId: string, item: ItemRow | undefined, values: ItemFormValues, issues?: Issue[]) {
  const db = dbOf(req);
  const record = presentRecord(await getRecord(db, recordId));
  const libraries = await operableLibraries(db, req.actor);
  const view = item ? (await presentedItems(db, [item]))[0] : undefined;
  return (
    <ItemFormPage ctx={pageContext(req)} record={record} item={view} libraries={libraries} statuses={itemStatuses} values={values} issues={issues} />
  );
}

/** A library's copies of a record: the JSON list, and adding, editing and withdrawing a copy. */
export const itemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/catalogue/records/:id/items',
    {
      schema: { tags, summary: 'The copies of a record, by library', params: IdParams, response: { 200: Type.Array(ItemOut), ...errors } },
    },
    async (req) => {
      const db = dbOf(req);
      const record = await getRecord(db, req.params.id);
      return presentedItems(db, await itemsOf(db, record.id));
    },
  );

  app.get('/catalogue/records/:id/items/new', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    return sendPage(reply, await itemPage(req, req.params.id, undefined, {}));
  });

  app.post('/catalogue/records/:id/items/new', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    return submitForm(req, reply, {
      schema: ItemForm,
      run: (tx, input) => {
        const { institutionId } = input;
        if (!institutionId) throw new ValidationError([issue('institutionId', 'errors.required')]);
        return addItem(tx, req.actor, req.params.id, { ...input, institutionId });
      },
      redirect: () => `/catalogue/records/${req.params.id}?notice=saved`,
      redisplay: (issues, values) => itemPage(req, req.params.id, undefined, values, issues),
    });
  });

  app.get('/catalogue/items/:id/edit', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    const item = await getItem(dbOf(req), req.params.id);
    const values: ItemFormValues = {
      barcode: item.barcode,
      callNumber: item.callNumber ?? undefined,
      location: item.location ?? undefined,
      status: item.status,
      price: item.price ?? undefined,
      acquiredOn: item.acquiredOn ?? undefined,
      note: item.note ?? undefined,
    };
    return sendPage(reply, await itemPage(req, item.recordId, item, values));
  });

  app.post('/catalogue/items/:id/edit', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    const item = await getItem(dbOf(req), req.params.id);
    return submitForm(req, reply, {
      schema: ItemForm,
      run: (tx, input) => updateItem(tx, req.actor, item.id, input),
      redirect: () => `/catalogue/records/${item.recordId}?notice=saved`,
      redisplay: (issues, values) => itemPage(req, item.recordId, item, values, issues),
    });
  });

  app.post('/catalogue/items/:id/withdraw', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const item = await inTx(req, (tx) => withdrawItem(tx, req.actor, req.params.id));
    return reply.redirect(`/catalogue/records/${item.recordId}?notice=saved`, 303);
  });
};
