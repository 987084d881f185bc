import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import type { Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { NotFoundError, ValidationError, type Issue } from '../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../platform/http/context.js';
import { presentProgramme } from './presenters.js';
import { programmes } from './schema.js';
import { manageable, type ProgrammeRow } from './service.js';
import { ImageUploadPage } from './views/staff.js';

export const maxImageBytes = 2 * 1024 * 1024;

const types = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;
type ImageExt = keyof typeof types;

/** The image's type from its first bytes (JPEG, PNG or WebP), whatever the file is called. */
export function imageKind(bytes: Buffer): ImageExt | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export const imageDir = (dataDir: string) => path.join(dataDir, 'uploads', 'programmes');

/** Stores an uploaded image under a random name and makes it the programme's image; staff of the programme only. */
export async function saveProgrammeImage(db: Db, actor: Actor, id: string, bytes: Buffer, dataDir: string): Promise<ProgrammeRow> {
  const { programme: before, scope } = await manageable(db, actor, id);
  if (bytes.length === 0) throw new ValidationError([{ field: 'image', key: 'programmes.errors.noImage' }]);
  if (bytes.length > maxImageBytes) throw new ValidationError([{ field: 'image', key: 'programmes.errors.imageTooLarge', params: { mb: 2 } }]);
  const ext = imageKind(bytes);
  if (!ext) throw new ValidationError([{ field: 'image', key: 'programmes.errors.imageType' }]);
  const dir = imageDir(dataDir);
  await fs.mkdir(dir, { recursive: true });
  const name = `${randomBytes(16).toString('hex')}.${ext}`;
  await fs.writeFile(path.join(dir, name), bytes, { flag: 'wx' });
  const [row] = await db.update(programmes).set({ imageUrl: `/programmes/images/${name}`, updatedAt: new Date() }).where(eq(programmes.id, id)).returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, {
    action: 'programme.image', entityType: 'programme', entityId: id, before: { imageUrl: before.imageUrl }, after: { imageUrl: row.imageUrl, bytes: bytes.length },
    unitIds: scope.unitPath, institutionId: row.institutionId,
  });
  return row;
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

  async function page(req: FastifyRequest, reply: FastifyReply, id: string, issues: Issue[], status = 200) {
    const { programme } = await manageable(dbOf(req), req.actor, id);
    return sendPage(reply, <ImageUploadPage ctx={pageContext(req)} p={presentProgramme(programme, '')} issues={issues} />, status);
  }

  app.get<{ Params: { id: string } }>('/programmes/:id/image', hide, async (req, reply) => page(req, reply, req.params.id, []));

  app.post<{ Params: { id: string } }>('/programmes/:id/image', { ...hide, config: { upload: true } }, async (req, reply) => {
    try {
      const bytes = await readImage(req);
      await inTx(req, (tx) => saveProgrammeImage(tx, req.actor, req.params.id, bytes, app.deps.config.dataDir));
      return reply.redirect(`/programmes/${req.params.id}?notice=saved`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return page(req, reply, req.params.id, issues, 422);
      throw err;
    }
  });

  app.get<{ Params: { name: string } }>('/programmes/images/:name', hide, async (req, reply) => {
    const match = /^([0-9a-f]{32})\.(jpg|png|webp)$/.exec(req.params.name);
    if (!match) return reply.callNotFound();
    const bytes = await fs.readFile(path.join(imageDir(app.deps.config.dataDir), req.params.name)).catch(() => null);
    if (!bytes) return reply.callNotFound();
    return reply.type(types[match[2] as ImageExt]).header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff').send(bytes);
  });
};
