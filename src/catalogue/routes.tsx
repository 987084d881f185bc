import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { canSomewhere, requireUser, type Actor } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';
import { issue, ValidationError } from '../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../platform/http/context.js';
import { parseForm } from '../platform/http/validation.js';
import { catalogueApi } from './api.js';
import { citationVancouver } from './citation.js';
import { toDublinCore } from './dublin-core.js';
import { importMarc, listMerges, undoMerge, type MarcImportReport } from './import.js';
import { libraryNames, operableLibraries } from './libraries.js';
import { recordFile } from './export.js';
import { ENCODING_NAMES, type MarcEncoding } from './marc/index.js';
import { ItemForm } from './model.js';
import { ErrorOut, ItemOut, presentItem, presentRecord, presentSearch, RecordOut, SearchOut } from './presenters.js';
import { searchCatalogue, sorts, type SearchInput } from './search.js';
import { addItem, getItem, getRecord, itemsOf, itemStatuses, updateItem, withdrawItem, type ItemRow } from './service.js';
import { editorRoutes } from './editor-routes.js';
import { exportRoutes } from './export-routes.js';
import { labelRoutes } from './labels.js';
import { DcPage, MarcPage, RecordPage, SearchPage, type SearchParams } from './views/opac.js';
import { ImportPage, ItemFormPage, MergesPage, type ItemFormValues } from './views/staff.js';
import './messages.js';
import { messageKey } from '../platform/i18n/index.js';

const tags = ['catalogue'];
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut };
const IdParams = Type.Object({ id: Type.String() });

const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 300 })),
  library: Type.Optional(Type.String({ maxLength: 40 })),
  material: Type.Optional(Type.String({ maxLength: 20 })),
  language: Type.Optional(Type.String({ maxLength: 3 })),
  ddc: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
  decade: Type.Optional(Type.Integer({ minimum: 1000, maximum: 2100 })),
  yearFrom: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999 })),
  yearTo: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999 })),
  available: Type.Optional(Type.Union([Type.Boolean(), Type.Literal('1')])),
  sort: Type.Optional(Type.Union(sorts.map((s) => Type.Literal(s)))),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

type Query = Static<typeof SearchQuery>;

function searchInput(q: Query): SearchInput {
  const out: SearchInput = {};
  if (q.q) out.q = q.q;
  if (q.library) out.library = q.library;
  if (q.material) out.material = q.material;
  if (q.language) out.language = q.language;
  if (q.ddc !== undefined) out.ddc = q.ddc;
  if (q.decade !== undefined) { out.yearFrom = q.decade; out.yearTo = q.decade + 9; }
  if (q.yearFrom !== undefined) out.yearFrom = q.yearFrom;
  if (q.yearTo !== undefined) out.yearTo = q.yearTo;
  if (q.available === true || q.available === '1') out.available = true;
  if (q.sort) out.sort = q.sort;
  if (q.page) out.page = q.page;
  if (q.pageSize) out.pageSize = q.pageSize;
  return out;
}

async function presentedSearch(req: FastifyRequest, input: SearchInput) {
  const db = dbOf(req);
  const result = await searchCatalogue(db, input);
  const names = await libraryNames(db, result.facets.library.map((f) => f.value));
  return presentSearch(result, (facet, value) => {
    if (facet === 'library') return names.get(value) ?? value;
    if (facet === 'material') return req.t(messageKey(`catalogue.material.${value}`));
    if (facet === 'ddc') return req.t(messageKey(`catalogue.ddc.${value}`));
    if (facet === 'decade') return `${value}–${Number(value) + 9}`;
    return req.t(messageKey(`catalogue.language.${value}`)) === `catalogue.language.${value}` ? value : req.t(messageKey(`catalogue.language.${value}`));
  });
}

async function presentedItems(db: Db, rows: ItemRow[]) {
  const names = await libraryNames(db, rows.map((r) => r.institutionId));
  return rows.map((i) => presentItem(i, names.get(i.institutionId) ?? ''));
}

const encodings = Object.keys(ENCODING_NAMES) as MarcEncoding[];

/** Streams the uploaded file to a temporary folder (never whole in memory) and imports it. */
async function importUpload(req: FastifyRequest, actor: Actor): Promise<{ report?: MarcImportReport; values: { library?: string; encoding?: string } }> {
  const values: { library?: string; encoding?: string } = {};
  if (!req.isMultipart()) throw new ValidationError([issue('file', 'catalogue.import.noFile')]);
  const dir = await mkdtemp(path.join(tmpdir(), 'suotdoi-marc-'));
  try {
    let file: { path: string; name: string } | null = null;
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const target = path.join(dir, 'upload');
        await pipeline(part.file, createWriteStream(target));
        if (part.file.truncated) throw new ValidationError([issue('file', 'catalogue.import.tooLarge')]);
        file = { path: target, name: part.filename || 'upload' };
      } else if (part.fieldname === 'library' || part.fieldname === 'encoding') {
        values[part.fieldname] = String(part.value);
      }
    }
    const problems = [];
    if (!values.library) problems.push(issue('library', 'errors.required'));
    if (values.encoding && !encodings.includes(values.encoding as MarcEncoding)) problems.push(issue('encoding', 'errors.choice'));
    if (!file) problems.push(issue('file', 'catalogue.import.noFile'));
    if (problems.length || !file || !values.library) throw new ValidationError(problems);
    const { size } = await stat(file.path);
    if (size === 0) throw new ValidationError([issue('file', 'catalogue.import.noFile')]);
    const report = await importMarc(dbOf(req), actor, { path: file.path }, {
      libraryCode: values.library, ...(values.encoding ? { encoding: values.encoding as MarcEncoding } : {}),
    });
    return { report, values };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const catalogueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hide = { schema: { hide: true } };

  app.get('/api/v1/catalogue/search', {
    schema: { tags, summary: 'Search the union catalogue (with facets)', querystring: SearchQuery, response: { 200: SearchOut, ...errors } },
  }, async (req) => presentedSearch(req, searchInput(req.query)));

  app.get('/api/v1/catalogue/records/:id', {
    schema: { tags, summary: 'A bibliographic record, with its Dublin Core view', params: IdParams, response: { 200: RecordOut, ...errors } },
  }, async (req) => presentRecord(await getRecord(dbOf(req), req.params.id)));

  app.get('/api/v1/catalogue/records/:id/items', {
    schema: { tags, summary: 'The copies of a record, by library', params: IdParams, response: { 200: Type.Array(ItemOut), ...errors } },
  }, async (req) => {
    const db = dbOf(req);
    const record = await getRecord(db, req.params.id);
    return presentedItems(db, await itemsOf(db, record.id));
  });

  app.get('/api/v1/catalogue/records/:id/marc.xml', { schema: { tags, summary: 'A record as MARCXML', params: IdParams } }, async (req, reply) => {
    const record = await getRecord(dbOf(req), req.params.id);
    return reply.type('application/marcxml+xml; charset=utf-8').send(recordFile(record.marc, 'marcxml'));
  });

  app.get('/api/v1/catalogue/records/:id/marc.mrc', { schema: { tags, summary: 'A record as ISO 2709 (MARC 21, UTF-8)', params: IdParams } }, async (req, reply) => {
    const record = await getRecord(dbOf(req), req.params.id);
    return reply.type('application/marc').header('content-disposition', `attachment; filename="${record.id}.mrc"`).send(recordFile(record.marc, 'iso2709'));
  });

  app.get('/catalogue', { schema: { hide: true, querystring: SearchQuery } }, async (req, reply) => {
    const q = req.query;
    const input = searchInput(q);
    const params: SearchParams = {
      q: q.q, library: q.library, material: q.material, language: q.language, ddc: q.ddc, decade: q.decade,
      available: input.available, sort: q.sort, page: q.page,
    };
    const searched = Object.keys(input).length > 0;
    const result = searched ? await presentedSearch(req, { ...input, pageSize: 20 }) : null;
    const notice = (req.query as { notice?: string }).notice === 'deleted' ? req.t('catalogue.notice.deleted') : undefined;
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <SearchPage ctx={pageContext(req)} params={params} result={result} notice={notice} />);
  });

  app.get<{ Params: { id: string } }>('/catalogue/records/:id', hide, async (req, reply) => {
    const db = dbOf(req);
    const record = await getRecord(db, req.params.id);
    const items = await presentedItems(db, await itemsOf(db, record.id));
    const permalink = new URL(`/catalogue/records/${record.id}`, req.server.deps.config.publicUrl).toString();
    const notice = (req.query as { notice?: string }).notice === 'saved' ? req.t('catalogue.notice.saved') : undefined;
    const view = presentRecord(record);
    return sendPage(reply, <RecordPage ctx={pageContext(req)} record={view} vancouver={citationVancouver(view, record.marc)} items={items} permalink={permalink} staff={canSomewhere(req.actor, 'institution.operate')} notice={notice} />);
  });

  app.get<{ Params: { id: string } }>('/catalogue/records/:id/marc', hide, async (req, reply) => {
    const record = await getRecord(dbOf(req), req.params.id);
    return sendPage(reply, <MarcPage ctx={pageContext(req)} record={presentRecord(record)} marc={record.marc} />);
  });

  app.get<{ Params: { id: string } }>('/catalogue/records/:id/dc', hide, async (req, reply) => {
    const record = await getRecord(dbOf(req), req.params.id);
    return sendPage(reply, <DcPage ctx={pageContext(req)} record={presentRecord(record)} dc={toDublinCore(record.marc)} />);
  });

  app.get('/catalogue/import', hide, async (req, reply) => {
    requireUser(req.actor);
    return sendPage(reply, <ImportPage ctx={pageContext(req)} libraries={await operableLibraries(dbOf(req), req.actor)} />);
  });

  app.post('/catalogue/import', hide, async (req, reply) => {
    requireUser(req.actor);
    const libraries = await operableLibraries(dbOf(req), req.actor);
    try {
      const { report, values } = await importUpload(req, req.actor);
      return sendPage(reply, <ImportPage ctx={pageContext(req)} libraries={libraries} report={report} values={values} />);
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return sendPage(reply, <ImportPage ctx={pageContext(req)} libraries={libraries} issues={issues} />, 422);
    }
  });

  app.get('/catalogue/merges', hide, async (req, reply) => {
    requireUser(req.actor);
    const db = dbOf(req);
    const libraries = await operableLibraries(db, req.actor);
    const rows = await listMerges(db, libraries.map((l) => l.id));
    const names = new Map(libraries.map((l) => [l.id, l.name]));
    const titles = new Map<string, string>();
    for (const r of rows) if (!titles.has(r.recordId)) titles.set(r.recordId, (await getRecord(db, r.recordId)).title);
    const notice = (req.query as { notice?: string }).notice === 'undone' ? req.t('catalogue.notice.undone') : undefined;
    return sendPage(reply, <MergesPage ctx={pageContext(req)} notice={notice} merges={rows.map((r) => ({ ...r, title: titles.get(r.recordId) ?? '', library: names.get(r.institutionId) ?? '' }))} />);
  });

  app.post<{ Params: { id: string } }>('/catalogue/merges/:id/undo', hide, async (req, reply) => {
    await inTx(req, (tx) => undoMerge(tx, req.actor, req.params.id));
    return reply.redirect('/catalogue/merges?notice=undone', 303);
  });

  const itemPage = async (req: FastifyRequest, recordId: string, item: ItemRow | undefined, values: ItemFormValues, issues?: ReturnType<typeof issuesOf>) => {
    const db = dbOf(req);
    const record = presentRecord(await getRecord(db, recordId));
    const libraries = await operableLibraries(db, req.actor);
    const view = item ? (await presentedItems(db, [item]))[0] : undefined;
    return <ItemFormPage ctx={pageContext(req)} record={record} item={view} libraries={libraries} statuses={itemStatuses} values={values} issues={issues ?? undefined} />;
  };

  app.get<{ Params: { id: string } }>('/catalogue/records/:id/items/new', hide, async (req, reply) => {
    requireUser(req.actor);
    return sendPage(reply, await itemPage(req, req.params.id, undefined, {}));
  });

  app.post<{ Params: { id: string } }>('/catalogue/records/:id/items/new', hide, async (req, reply) => {
    requireUser(req.actor);
    try {
      const input = parseForm(ItemForm, req.body);
      if (!input.institutionId) throw new ValidationError([issue('institutionId', 'errors.required')]);
      const institutionId = input.institutionId;
      await inTx(req, (tx) => addItem(tx, req.actor, req.params.id, { ...input, institutionId }));
      return reply.redirect(`/catalogue/records/${req.params.id}?notice=saved`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return sendPage(reply, await itemPage(req, req.params.id, undefined, req.body as ItemFormValues, issues), 422);
    }
  });

  app.get<{ Params: { id: string } }>('/catalogue/items/:id/edit', hide, async (req, reply) => {
    requireUser(req.actor);
    const item = await getItem(dbOf(req), req.params.id);
    const values: ItemFormValues = {
      barcode: item.barcode, callNumber: item.callNumber ?? undefined, location: item.location ?? undefined, status: item.status,
      price: item.price ?? undefined, acquiredOn: item.acquiredOn ?? undefined, note: item.note ?? undefined,
    };
    return sendPage(reply, await itemPage(req, item.recordId, item, values));
  });

  app.post<{ Params: { id: string } }>('/catalogue/items/:id/edit', hide, async (req, reply) => {
    requireUser(req.actor);
    const item = await getItem(dbOf(req), req.params.id);
    try {
      const input = parseForm(ItemForm, req.body);
      await inTx(req, (tx) => updateItem(tx, req.actor, item.id, input));
      return reply.redirect(`/catalogue/records/${item.recordId}?notice=saved`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return sendPage(reply, await itemPage(req, item.recordId, item, req.body as ItemFormValues, issues), 422);
    }
  });

  app.post<{ Params: { id: string } }>('/catalogue/items/:id/withdraw', hide, async (req, reply) => {
    const item = await inTx(req, (tx) => withdrawItem(tx, req.actor, req.params.id));
    return reply.redirect(`/catalogue/records/${item.recordId}?notice=saved`, 303);
  });
  await app.register(labelRoutes);
  await app.register(editorRoutes);
  await app.register(exportRoutes);
  await app.register(catalogueApi);
};
