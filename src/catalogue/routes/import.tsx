import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { requireUser, type Actor } from '../../platform/access.js';
import { issue, ValidationError } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { importMarc, listMerges, undoMerge, type MarcImportReport } from '../import.js';
import { operableLibraries } from '../libraries.js';
import { ENCODING_NAMES, type MarcEncoding } from '../marc/index.js';
import { getRecord } from '../service.js';
import { ImportPage, MergesPage } from '../views/staff.js';
import { IdParams, NoticeQuery } from './common.js';

const encodings = Object.keys(ENCODING_NAMES) as MarcEncoding[];

/** Streams the uploaded file to a temporary folder (never whole in memory) and imports it. */
async function importUpload(
  req: FastifyRequest,
  actor: Actor,
): Promise<{ report?: MarcImportReport; values: { library?: string; encoding?: string } }> {
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
    const report = await importMarc(
      dbOf(req),
      actor,
      { path: file.path },
      {
        libraryCode: values.library,
        ...(values.encoding ? { encoding: values.encoding as MarcEncoding } : {}),
      },
    );
    return { report, values };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Importing MARC files, and the merges an import made, each of which can be undone. */
export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/catalogue/import', { schema: { hide: true } }, async (req, reply) => {
    requireUser(req.actor);
    return sendPage(reply, <ImportPage ctx={pageContext(req)} libraries={await operableLibraries(dbOf(req), req.actor)} />);
  });

  app.post('/catalogue/import', { schema: { hide: true }, config: { upload: true } }, async (req, reply) => {
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

  app.get('/catalogue/merges', { schema: { hide: true, querystring: NoticeQuery } }, async (req, reply) => {
    requireUser(req.actor);
    const db = dbOf(req);
    const libraries = await operableLibraries(db, req.actor);
    const rows = await listMerges(
      db,
      libraries.map((l) => l.id),
    );
    const names = new Map(libraries.map((l) => [l.id, l.name]));
    const titles = new Map<string, string>();
    for (const r of rows) if (!titles.has(r.recordId)) titles.set(r.recordId, (await getRecord(db, r.recordId)).title);
    const notice = req.query.notice === 'undone' ? req.t('catalogue.notice.undone') : undefined;
    return sendPage(
      reply,
      <MergesPage
        ctx={pageContext(req)}
        notice={notice}
        merges={rows.map((r) => ({ ...r, title: titles.get(r.recordId) ?? '', library: names.get(r.institutionId) ?? '' }))}
      />,
    );
  });

  app.post('/catalogue/merges/:id/undo', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    await inTx(req, (tx) => undoMerge(tx, req.actor, req.params.id));
    return reply.redirect('/catalogue/merges?notice=undone', 303);
  });
};
