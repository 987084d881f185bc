import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { dbOf, pageContext, sendPage } from '../../platform/http/context.js';
import { libraryNames } from '../libraries.js';
import { presentSearch, SearchOut } from '../presenters.js';
import { searchCatalogue, sorts, type SearchInput } from '../search.js';
import { SearchPage, type SearchParams } from '../views/opac.js';
import { errors, tags } from './common.js';
import { messageKey } from '../../platform/i18n/index.js';

const searchFields = {
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
};
const SearchQuery = Type.Object(searchFields);
const PageQuery = Type.Object({ ...searchFields, notice: Type.Optional(Type.String({ maxLength: 40 })) });

type Query = Static<typeof SearchQuery>;

function searchInput(q: Query): SearchInput {
  const out: SearchInput = {};
  if (q.q) out.q = q.q;
  if (q.library) out.library = q.library;
  if (q.material) out.material = q.material;
  if (q.language) out.language = q.language;
  if (q.ddc !== undefined) out.ddc = q.ddc;
  if (q.decade !== undefined) {
    out.yearFrom = q.decade;
    out.yearTo = q.decade + 9;
  }
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
  const names = await libraryNames(
    db,
    result.facets.library.map((f) => f.value),
  );
  return presentSearch(result, (facet, value) => {
    if (facet === 'library') return names.get(value) ?? value;
    if (facet === 'material') return req.t(messageKey(`catalogue.material.${value}`));
    if (facet === 'ddc') return req.t(messageKey(`catalogue.ddc.${value}`));
    if (facet === 'decade') return `${value}–${Number(value) + 9}`;
    return req.t(messageKey(`catalogue.language.${value}`)) === `catalogue.language.${value}`
      ? value
      : req.t(messageKey(`catalogue.language.${value}`));
  });
}

/** Searching the union catalogue: the OPAC page and the JSON search. */
export const opacRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/catalogue/search',
    {
      schema: { tags, summary: 'Search the union catalogue (with facets)', querystring: SearchQuery, response: { 200: SearchOut, ...errors } },
    },
    async (req) => presentedSearch(req, searchInput(req.query)),
  );

  app.get('/catalogue', { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
    const q = req.query;
    const input = searchInput(q);
    const params: SearchParams = {
      q: q.q,
      library: q.library,
      material: q.material,
      language: q.language,
      ddc: q.ddc,
      decade: q.decade,
      available: input.available,
      sort: q.sort,
      page: q.page,
    };
    const searched = Object.keys(input).length > 0;
    const result = searched ? await presentedSearch(req, { ...input, pageSize: 20 }) : null;
    const notice = q.notice === 'deleted' ? req.t('catalogue.notice.deleted') : undefined;
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <SearchPage ctx={pageContext(req)} params={params} result={result} notice={notice} />);
  });
};
