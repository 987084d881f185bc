import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { requireUser } from '../../platform/access.js';
import type { Db } from '../../platform/db/index.js';
import { issue, ValidationError } from '../../platform/errors.js';
import { dbOf, inTx } from '../../platform/http/context.js';
import { marcJsonOf, recordFromMarcJson, recordFromSimple } from '../editor.js';
import { libraryNames } from '../libraries.js';
import type { MarcRecord } from '../marc/index.js';
import { ItemFields, MarcJsonIn, SimpleFields } from '../model.js';
import { ItemOut, presentItem, presentRecord, RecordOut } from '../presenters.js';
import { addItem, createRecord, deleteRecord, getItem, getRecord, updateItem, updateRecord, withdrawItem, type ItemRow } from '../service.js';
import { errorResponses, Uuid } from '../../platform/http/schemas.js';

const tags = ['catalogue'];
const errors = errorResponses;
const writeSecurity: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
const IdParams = Type.Object({ id: Uuid });
const Institution = Type.String({ ...Uuid, description: 'The library the librarian acts for; their role must cover it.' });

const RecordIn = Type.Object(
  {
    institutionId: Institution,
    marc: Type.Optional(MarcJsonIn),
    simple: Type.Optional(Type.Object(SimpleFields, { additionalProperties: false, description: 'The quick cataloguing form; written as MARC 21.' })),
  },
  { additionalProperties: false, description: 'Exactly one of `marc` (MARC-in-JSON) or `simple`.' },
);

const ItemIn = Type.Object({ institutionId: Institution, ...ItemFields }, { additionalProperties: false });
const ItemUpdateIn = Type.Object(ItemFields, { additionalProperties: false });
const WithdrawIn = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
const DeleteQuery = Type.Object({ institutionId: Institution });

const MarcJsonOut = Type.Object({
  leader: Type.String(),
  fields: Type.Array(
    Type.Record(
      Type.String(),
      Type.Union([
        Type.String(),
        Type.Object({ ind1: Type.String(), ind2: Type.String(), subfields: Type.Array(Type.Record(Type.String(), Type.String())) }),
      ]),
    ),
  ),
});

/** The record a body describes: MARC-in-JSON checked as the editor checks it, or the quick form. */
function marcOf(body: Static<typeof RecordIn>): MarcRecord {
  if (body.marc && body.simple) throw new ValidationError([issue('simple', 'catalogue.api.marcOrSimple')]);
  if (body.marc) return recordFromMarcJson(body.marc);
  if (body.simple) {
    try {
      return recordFromSimple(body.simple);
    } catch (err) {
      if (err instanceof ValidationError) throw new ValidationError(err.issues.map((i) => ({ ...i, field: `simple.${i.field}` })));
      throw err;
    }
  }
  throw new ValidationError([issue('marc', 'catalogue.api.marcOrSimple')]);
}

async function presentedItem(db: Db, row: ItemRow) {
  return presentItem(row, (await libraryNames(db, [row.institutionId])).get(row.institutionId) ?? '');
}

/** The JSON write API for records and copies: every write goes through the services, which check role and scope and audit it. */
export const catalogueApi: FastifyPluginAsyncTypebox = async (app) => {
  // Every write needs someone signed in (or a token) before anything is looked up: an anonymous
  // caller learns nothing, not even whether a record exists.
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') requireUser(req.actor);
  });
  app.get(
    '/api/v1/catalogue/records/:id/marc.json',
    {
      schema: {
        tags,
        summary: 'A record as MARC-in-JSON (the shape the write API takes)',
        params: IdParams,
        response: { 200: MarcJsonOut, ...errors },
      },
    },
    async (req) => marcJsonOf((await getRecord(dbOf(req), req.params.id)).marc),
  );

  app.post(
    '/api/v1/catalogue/records',
    {
      schema: {
        tags,
        summary: "Create a record from MARC-in-JSON or from the quick form's fields",
        security: writeSecurity,
        body: RecordIn,
        response: { 201: RecordOut, ...errors },
      },
    },
    async (req, reply) => {
      const marc = marcOf(req.body);
      const row = await inTx(req, (tx) => createRecord(tx, req.actor, req.body.institutionId, marc));
      return reply.code(201).send(presentRecord(row));
    },
  );

  app.put(
    '/api/v1/catalogue/records/:id',
    {
      schema: {
        tags,
        summary: "Replace a record's MARC (a library holding a copy, or any for a record without copies)",
        security: writeSecurity,
        params: IdParams,
        body: RecordIn,
        response: { 200: RecordOut, ...errors },
      },
    },
    async (req) => {
      const marc = marcOf(req.body);
      return presentRecord(await inTx(req, (tx) => updateRecord(tx, req.actor, req.params.id, req.body.institutionId, marc)));
    },
  );

  app.delete(
    '/api/v1/catalogue/records/:id',
    {
      schema: {
        tags,
        summary: 'Delete a record no library holds a copy of (withdrawn copies count); 409 says how many copies stand in the way',
        security: writeSecurity,
        params: IdParams,
        querystring: DeleteQuery,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await inTx(req, (tx) => deleteRecord(tx, req.actor, req.params.id, req.query.institutionId));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/catalogue/records/:id/items',
    {
      schema: {
        tags,
        summary: 'Add a copy held by a library',
        security: writeSecurity,
        params: IdParams,
        body: ItemIn,
        response: { 201: ItemOut, ...errors },
      },
    },
    async (req, reply) => {
      const row = await inTx(req, (tx) => addItem(tx, req.actor, req.params.id, req.body));
      return reply.code(201).send(await presentedItem(dbOf(req), row));
    },
  );

  app.get(
    '/api/v1/catalogue/items/:id',
    {
      schema: { tags, summary: 'A copy', params: IdParams, response: { 200: ItemOut, ...errors } },
    },
    async (req) => presentedItem(dbOf(req), await getItem(dbOf(req), req.params.id)),
  );

  app.put(
    '/api/v1/catalogue/items/:id',
    {
      schema: {
        tags,
        summary: 'Edit a copy (barcode, call number, location, status, price, date acquired, note)',
        security: writeSecurity,
        params: IdParams,
        body: ItemUpdateIn,
        response: { 200: ItemOut, ...errors },
      },
    },
    async (req) => presentedItem(dbOf(req), await inTx(req, (tx) => updateItem(tx, req.actor, req.params.id, req.body))),
  );

  app.post(
    '/api/v1/catalogue/items/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw a copy from the collection (it stays on file for statistics)',
        security: writeSecurity,
        params: IdParams,
        body: WithdrawIn,
        response: { 200: ItemOut, ...errors },
      },
    },
    async (req) => presentedItem(dbOf(req), await inTx(req, (tx) => withdrawItem(tx, req.actor, req.params.id, req.body.note))),
  );
};
