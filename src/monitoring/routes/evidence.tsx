import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError, NotFoundError, ValidationError, issue, type Issue } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { storageFor, sweepFiles } from '../../platform/storage/index.js';
import { formState } from '../cycle/cycle.js';
import { deleteEvidence, evidenceTypes, listEvidence, maxEvidenceBytes, readEvidence, saveEvidence } from '../cycle/evidence.js';
import { criteria } from '../model.js';
import { presentEvidence } from '../presenters.js';
import { CriterionPage } from '../views/evidence.js';
import { messageKey } from '../../platform/i18n/index.js';
import { Uuid } from '../../platform/http/schemas.js';

const CriterionParams = Type.Object({ id: Uuid, institutionId: Uuid, criterion: Type.Union(criteria.map((c) => Type.Literal(c))) });

const notices: Record<string, string> = { uploaded: 'monitoring.evidence.uploadedNotice', deleted: 'monitoring.evidence.deletedNotice' };

/** The one file of an upload form, read up to one byte past the limit so a larger file is told apart. */
async function readUpload(req: FastifyRequest): Promise<{ name: string; bytes: Buffer }> {
  if (!req.isMultipart()) throw new ValidationError([issue('file', 'monitoring.evidence.noFile')]);
  const file = await req.file({ limits: { fileSize: maxEvidenceBytes + 1, files: 1 } });
  if (!file) throw new ValidationError([issue('file', 'monitoring.evidence.noFile')]);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of file.file) {
    size += (chunk as Buffer).length;
    if (size <= maxEvidenceBytes + 1) chunks.push(chunk as Buffer);
  }
  return { name: file.filename, bytes: Buffer.concat(chunks) };
}

/** RFC 6266 file name: an ASCII fallback and the UTF-8 name. */
function disposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Evidence files for declared criteria: the criterion page, upload, removal and download. */
export const evidenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const store = storageFor(app.deps.config);
  async function page(
    req: FastifyRequest,
    reply: FastifyReply,
    p: { id: string; institutionId: string; criterion: string },
    extra: { issues?: Issue[]; notice?: string; status?: number } = {},
  ) {
    const db = dbOf(req);
    const f = await formState(db, req.actor, p.id, p.institutionId);
    const criterion = f.criteria.find((c) => c.criterion === p.criterion);
    if (!criterion) throw new NotFoundError('monitoring.evidence.unknownCriterion');
    const files = await listEvidence(db, p.institutionId, f.period.year, p.criterion);
    return sendPage(
      reply,
      <CriterionPage
        ctx={pageContext(req)}
        f={f}
        criterion={criterion}
        files={files.map(presentEvidence)}
        issues={extra.issues ?? []}
        notice={extra.notice}
      />,
      extra.status,
    );
  }

  const pageUrl = (p: { id: string; institutionId: string; criterion: string }) =>
    `/monitoring/periods/${p.id}/institutions/${p.institutionId}/criteria/${p.criterion}`;

  app.get(
    '/monitoring/periods/:id/institutions/:institutionId/criteria/:criterion',
    { schema: { hide: true, params: CriterionParams } },
    (req, reply) => {
      const key = notices[(req.query as { notice?: string }).notice ?? ''];
      return page(req, reply, req.params, key ? { notice: req.t(messageKey(key)) } : {});
    },
  );

  app.post(
    '/monitoring/periods/:id/institutions/:institutionId/criteria/:criterion/evidence',
    { schema: { hide: true, params: CriterionParams }, config: { upload: true } },
    async (req, reply) => {
      try {
        const upload = await readUpload(req);
        await inTx(req, (tx) =>
          saveEvidence(
            tx,
            req.actor,
            {
              periodId: req.params.id,
              institutionId: req.params.institutionId,
              criterion: req.params.criterion,
              fileName: upload.name,
              bytes: upload.bytes,
            },
            store,
          ),
        );
        return reply.redirect(`${pageUrl(req.params)}?notice=uploaded`, 303);
      } catch (err) {
        const issues = issuesOf(err);
        if (issues) return page(req, reply, req.params, { issues, status: err instanceof DomainError ? err.status : 422 });
        throw err;
      }
    },
  );

  app.post(
    '/monitoring/periods/:id/institutions/:institutionId/criteria/:criterion/evidence/:fileId/delete',
    {
      schema: { hide: true, params: Type.Object({ id: Uuid, institutionId: Uuid, criterion: CriterionParams.properties.criterion, fileId: Uuid }) },
    },
    async (req, reply) => {
      try {
        await inTx(req, (tx) => deleteEvidence(tx, req.actor, req.params.id, req.params.fileId, req.params.criterion));
        await sweepFiles(dbOf(req), store);
        return reply.redirect(`${pageUrl(req.params)}?notice=deleted`, 303);
      } catch (err) {
        const issues = issuesOf(err);
        if (issues) return page(req, reply, req.params, { issues, status: err instanceof DomainError ? err.status : 422 });
        throw err;
      }
    },
  );

  const tags = ['monitoring'];
  const EvidenceOut = Type.Object({
    id: Uuid,
    criterion: Type.String(),
    fileName: Type.String(),
    kind: Type.String(),
    size: Type.Integer(),
    uploadedAt: Type.String({ format: 'date-time' }),
    url: Type.String({ description: 'Download address (the same rights as the criterion page)' }),
  });
  const present = (row: Awaited<ReturnType<typeof listEvidence>>[number]) => ({
    id: row.id,
    criterion: row.criterion,
    fileName: row.fileName,
    kind: row.kind,
    size: row.bytes,
    uploadedAt: row.uploadedAt.toISOString(),
    url: `/monitoring/evidence/${row.id}`,
  });
  const apiPath = '/api/v1/monitoring/periods/:id/institutions/:institutionId/criteria/:criterion/evidence';

  app.get(
    apiPath,
    {
      schema: {
        tags,
        summary: 'Evidence files of a declared criterion',
        params: CriterionParams,
        response: { 200: Type.Object({ files: Type.Array(EvidenceOut) }) },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const f = await formState(db, req.actor, req.params.id, req.params.institutionId);
      if (!f.criteria.some((c) => c.criterion === req.params.criterion)) throw new NotFoundError('monitoring.evidence.unknownCriterion');
      return { files: (await listEvidence(db, req.params.institutionId, f.period.year, req.params.criterion)).map(present) };
    },
  );

  app.post(
    apiPath,
    {
      schema: {
        tags,
        summary: 'Attach an evidence file (PDF, JPEG, PNG, DOCX or XLSX, at most 10 MB) as multipart form field `file`',
        consumes: ['multipart/form-data'],
        params: CriterionParams,
        response: { 201: EvidenceOut },
      },
      config: { upload: true },
    },
    async (req, reply) => {
      const upload = await readUpload(req);
      const row = await inTx(req, (tx) =>
        saveEvidence(
          tx,
          req.actor,
          {
            periodId: req.params.id,
            institutionId: req.params.institutionId,
            criterion: req.params.criterion,
            fileName: upload.name,
            bytes: upload.bytes,
          },
          store,
        ),
      );
      return reply.code(201).send(present(row));
    },
  );

  app.delete(
    '/api/v1/monitoring/periods/:id/evidence/:fileId',
    {
      schema: {
        tags,
        summary: 'Remove an evidence file while the data set can still be edited',
        params: Type.Object({ id: Uuid, fileId: Uuid }),
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await inTx(req, (tx) => deleteEvidence(tx, req.actor, req.params.id, req.params.fileId));
      await sweepFiles(dbOf(req), store);
      return reply.code(204).send(null);
    },
  );

  app.get('/monitoring/evidence/:fileId', { schema: { hide: true, params: Type.Object({ fileId: Uuid }) } }, async (req, reply) => {
    const { row, stream } = await readEvidence(dbOf(req), req.actor, req.params.fileId, store);
    return reply
      .type(evidenceTypes[row.kind as keyof typeof evidenceTypes] ?? 'application/octet-stream')
      .header('content-disposition', disposition(row.fileName))
      .header('cache-control', 'private, no-store')
      .header('content-length', row.bytes)
      .header('x-content-type-options', 'nosniff')
      .send(stream);
  });
};
