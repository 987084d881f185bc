import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, like } from 'drizzle-orm';
import type { Actor } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit/index.js';
import type { Db } from '../../platform/db/index.js';
import { NotFoundError, ValidationError, type Issue } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { releaseFile, sniffAllowed, storageFor, storeFile, sweepFiles, type FileStore } from '../../platform/storage/index.js';
import { presentProgramme } from '../presenters.js';
import { programmes } from '../schema.js';
import { manageable, type ProgrammeRow } from '../service.js';
import { ImageUploadPage } from '../views/staff.js';
import { IdParams } from './common.js';

export const maxImageBytes = 2 * 1024 * 1024;

const types = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;
type ImageExt = keyof typeof types;

/** The image's type from its bytes (JPEG, PNG or WebP), whatever the file is called. */
export function imageKind(bytes: Buffer): Promise<ImageExt | null> {
  return sniffAllowed(bytes, Object.keys(types) as ImageExt[]);
}

/** An uploaded image's address: its content hash and type. */
const IMAGE_URL = /^\/programmes\/images\/([0-9a-f]{64})\.(jpg|png|webp)$/;

/** Stores an uploaded image and makes it the programme's image; staff of the programme only. The image it replaces goes at the next sweep. */
export async function saveProgrammeImage(db: Db, actor: Actor, id: string, bytes: Buffer, store: FileStore): Promise<ProgrammeRow> {
  const { programme: before, scope } = await manageable(db, actor, id);
  if (bytes.length === 0) throw new ValidationError([{ field: 'image', key: 'programmes.errors.noImage' }]);
  if (bytes.length > maxImageBytes) throw new ValidationError([{ field: 'image', key: 'programmes.errors.imageTooLarge', params: { mb: 2 } }]);
  const ext = await imageKind(bytes);
  if (!ext) throw new ValidationError([{ field: 'image', key: 'programmes.errors.imageType' }]);
  const { hash } = await storeFile(db, store, bytes);
  const previous = IMAGE_URL.exec(before.imageUrl ?? '')?.[1];
  if (previous) await releaseFile(db, previous);
  const [row] = await db
    .update(programmes)
    .set({ imageUrl: `/programmes/images/${hash}.${ext}`, updatedAt: new Date() })
    .where(eq(programmes.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, {
    action: 'programme.image',
    entityType: 'programme',
    entityId: id,
    before: { imageUrl: before.imageUrl },
    after: { imageUrl: row.imageUrl, bytes: bytes.length },
    unitIds: scope.unitPath,
    institutionId: row.institutionId,
  });
  return row;
}

/**
 * Moves the images kept under `uploads/programmes` before the file storage into it, once, and
 * points the programmes at their new addresses. Programmes whose file is gone keep their address.
 */
export async function adoptLegacyImages(db: Db, store: FileStore, dataDir: string): Promise<number> {
  const rows = await db
    .select({ id: programmes.id, imageUrl: programmes.imageUrl })
    .from(programmes)
    .where(like(programmes.imageUrl, '/programmes/images/%'));
  let moved = 0;
  for (const row of rows) {
    const legacy = /^\/programmes\/images\/([0-9a-f]{32}\.(jpg|png|webp))$/.exec(row.imageUrl ?? '');
    if (!legacy?.[1]) continue;
    const file = path.join(dataDir, 'uploads', 'programmes', legacy[1]);
    const bytes = await fs.readFile(file).catch(() => null);
    if (!bytes) continue;
    await db.transaction(async (tx) => {
      const { hash } = await storeFile(tx, store, bytes);
      await tx
        .update(programmes)
        .set({ imageUrl: `/programmes/images/${hash}.${legacy[2]}` })
        .where(and(eq(programmes.id, row.id), eq(programmes.imageUrl, row.imageUrl ?? '')));
    });
    await fs.rm(file, { force: true });
    moved++;
  }
  return moved;
}

/** The one file of the upload form, read up to one byte past the limit so a larger file is told apart. */
async function readImage(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw new ValidationError([{ field: 'image', key: 'programmes.errors.noImage' }]);
  const file = await req.file({ limits: { fileSize: maxImageBytes + 1, files: 1 } });
  if (!file) throw new ValidationError([{ field: 'image', key: 'programmes.errors.noImage' }]);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of file.file) {
    size += (chunk as Buffer).length;
    if (size <= maxImageBytes + 1) chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export const programmeImages: FastifyPluginAsyncTypebox = async (app) => {
  const hide = { schema: { hide: true } };
  const store = storageFor(app.deps.config);

  async function page(req: FastifyRequest, reply: FastifyReply, id: string, issues: Issue[], status = 200) {
    const { programme } = await manageable(dbOf(req), req.actor, id);
    return sendPage(reply, <ImageUploadPage ctx={pageContext(req)} p={presentProgramme(programme, '')} issues={issues} />, status);
  }

  app.get('/programmes/:id/image', { schema: { hide: true, params: IdParams } }, async (req, reply) => page(req, reply, req.params.id, []));

  app.post('/programmes/:id/image', { schema: { hide: true, params: IdParams }, config: { upload: true } }, async (req, reply) => {
    try {
      const bytes = await readImage(req);
      await inTx(req, (tx) => saveProgrammeImage(tx, req.actor, req.params.id, bytes, store));
      await sweepFiles(dbOf(req), store);
      return reply.redirect(`/programmes/${req.params.id}?notice=saved`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return page(req, reply, req.params.id, issues, 422);
      throw err;
    }
  });

  // Only the image a programme shows is served here, never another stored file by its hash.
  app.get<{ Params: { name: string } }>('/programmes/images/:name', hide, async (req, reply) => {
    const url = `/programmes/images/${req.params.name}`;
    const match = IMAGE_URL.exec(url);
    if (!match?.[1]) return reply.callNotFound();
    const [shown] = await dbOf(req).select({ id: programmes.id }).from(programmes).where(eq(programmes.imageUrl, url)).limit(1);
    const stat = shown ? await store.stat(match[1]) : null;
    const stream = stat ? await store.stream(match[1]) : null;
    if (!stat || !stream) return reply.callNotFound();
    return reply
      .type(types[match[2] as ImageExt])
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('content-length', stat.size)
      .header('x-content-type-options', 'nosniff')
      .send(stream);
  });
};
