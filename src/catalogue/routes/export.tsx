import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { institutionIdByCode, institutionScope } from '../../orgs/index.js';
import { authorize, canSomewhere, requireUser } from '../../platform/access.js';
import { ForbiddenError, issue, ValidationError, type Issue } from '../../platform/errors.js';
import { dbOf, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { parseForm } from '../../platform/http/validation.js';
import { exportMarc, exportSizes } from '../export.js';
import { operableLibraries } from '../libraries.js';
import { ErrorOut } from '../presenters.js';
import { ExportPage, UNION } from '../views/export.js';

const ExportQuery = Type.Object({
  library: Type.Optional(
    Type.String({ maxLength: 40, description: "A library's code: only the records it holds copies of. Omitted: the whole union catalogue." }),
  ),
  format: Type.Union([Type.Literal('iso2709'), Type.Literal('marcxml')], { description: 'ISO 2709 (MARC 21, UTF-8) or MARCXML' }),
});
type ExportQueryT = Static<typeof ExportQuery>;
/** The page's own download link, read loosely so that a wrong choice shows the form again with its issue. */
const FileQuery = Type.Object({ library: Type.Optional(Type.String({ maxLength: 200 })), format: Type.Optional(Type.String({ maxLength: 40 })) });

const contentTypes = { iso2709: 'application/marc', marcxml: 'application/marcxml+xml; charset=utf-8' } as const;
const extensions = { iso2709: 'mrc', marcxml: 'xml' } as const;

/**
 * Checks who asks (a library's part: a role over that library; the union catalogue: a librarian
 * anywhere) and streams the export page by page, never holding the catalogue in memory.
 */
async function sendExport(req: FastifyRequest, reply: FastifyReply, q: ExportQueryT): Promise<FastifyReply> {
  requireUser(req.actor);
  const db = dbOf(req);
  if (q.library) {
    const id = await institutionIdByCode(db, q.library);
    if (!id) throw new ValidationError([issue('library', 'catalogue.import.unknownLibrary', { code: q.library })]);
    authorize(req.actor, 'catalogue.write', await institutionScope(db, id));
  } else if (!canSomewhere(req.actor, 'catalogue.write')) {
    throw new ForbiddenError();
  }
  const out = new PassThrough();
  const gone = new AbortController();
  reply.raw.once('close', () => gone.abort());
  void exportMarc(db, { format: q.format, out, signal: gone.signal, ...(q.library ? { libraryCode: q.library } : {}) }).then(
    (report) => {
      if (report.skipped.length) req.log.warn({ skipped: report.skipped }, 'records no writer could carry were left out of the export');
      out.end();
    },
    (err: unknown) => {
      out.destroy(gone.signal.aborted ? undefined : err instanceof Error ? err : new Error(String(err)));
    },
  );
  const name = `${q.library ? q.library.toLowerCase().replace(/[^a-z0-9-]+/g, '-') : 'muc-luc-lien-hop'}-${new Date().toISOString().slice(0, 10)}.${extensions[q.format]}`;
  return reply
    .type(contentTypes[q.format])
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(out);
}

export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hide = { schema: { hide: true } };

  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: { library?: string | undefined; format?: string | undefined },
    issues?: Issue[],
    status = 200,
  ) => {
    requireUser(req.actor);
    if (!canSomewhere(req.actor, 'catalogue.write')) throw new ForbiddenError();
    const db = dbOf(req);
    const libraries = await operableLibraries(db, req.actor);
    const sizes = await exportSizes(
      db,
      libraries.map((l) => l.id),
    );
    return sendPage(reply, <ExportPage ctx={pageContext(req)} libraries={libraries} sizes={sizes} values={values} issues={issues} />, status);
  };

  app.get('/catalogue/export', hide, async (req, reply) => page(req, reply, {}));

  app.get('/catalogue/export/file', { schema: { hide: true, querystring: FileQuery } }, async (req, reply) => {
    const raw = req.query;
    try {
      return await sendExport(req, reply, parseForm(ExportQuery, { ...raw, library: raw.library === UNION ? undefined : raw.library }));
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return page(req, reply, raw, issues, 422);
    }
  });

  app.get(
    '/api/v1/catalogue/export',
    {
      schema: {
        tags: ['catalogue'],
        summary: "Export a library's catalogue or the whole union catalogue as ISO 2709 or MARCXML (a streamed file)",
        security: [{ bearer: [] }, { session: [] }],
        querystring: ExportQuery,
        response: {
          200: {
            description: 'The records, streamed',
            content: {
              'application/marc': { schema: { type: 'string', format: 'binary' } },
              'application/marcxml+xml': { schema: { type: 'string' } },
            },
          },
          400: ErrorOut,
          401: ErrorOut,
          403: ErrorOut,
          422: ErrorOut,
        },
      },
    },
    async (req, reply) => sendExport(req, reply, req.query),
  );
};
