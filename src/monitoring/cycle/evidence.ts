import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit/index.js';
import type { Db } from '../../platform/db/index.js';
import { ConflictError, issue, NotFoundError, ValidationError } from '../../platform/errors.js';
import { isHash, releaseFile, sniffAllowed, storeFile, type FileStore } from '../../platform/storage/index.js';
import { normalizeVi } from '../../platform/text/index.js';
import { placementOf } from '../indicators/compute.js';
import { formState } from './cycle.js';
import type { Criterion } from '../model.js';
import { allowedTo, requireTo } from '../permissions.js';
import { monitoringEvidenceFiles } from '../schema.js';

export type EvidenceRow = typeof monitoringEvidenceFiles.$inferSelect;

export const maxEvidenceBytes = 10 * 1024 * 1024;
export const maxEvidenceFiles = 10;

export const evidenceTypes = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type EvidenceKind = keyof typeof evidenceTypes;

const kinds = Object.keys(evidenceTypes) as EvidenceKind[];

/** The file's type from its bytes, whatever it is called: PDF, JPEG, PNG, DOCX or XLSX. */
export function evidenceKind(bytes: Buffer): Promise<EvidenceKind | null> {
  return sniffAllowed(bytes, kinds);
}

/** Where files were kept before the file storage (moved into it by `adoptLegacyEvidence`). */
const legacyDir = (dataDir: string) => path.join(dataDir, 'uploads', 'monitoring');

/** A file name safe to show and to send back: the last path part, without control characters, at most 200 characters. */
function cleanName(name: string, kind: EvidenceKind): string {
  const last = normalizeVi(name.split(/[\\/]/).pop() ?? '');
  const base = [...last]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== '\u007f' && ch !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return base || `minh-chung.${kind}`;
}

export interface EvidenceUpload {
  periodId: string;
  institutionId: string;
  criterion: string;
  fileName: string;
  bytes: Buffer;
}

/**
 * Attaches a file to a criterion the institution declares for the period's year. Staff of the
 * institution only, and only while its data set can still be edited.
 */
export async function saveEvidence(db: Db, actor: Actor, input: EvidenceUpload, store: FileStore): Promise<EvidenceRow> {
  const placement = await placementOf(db);
  if (!placement.institutions.has(input.institutionId)) throw new NotFoundError('monitoring.institution.notFound');
  const scope = placement.institutionScope(input.institutionId);
  requireTo(actor, 'report', scope);
  const f = await formState(db, actor, input.periodId, input.institutionId);
  if (!f.criteria.some((c) => c.criterion === input.criterion))
    throw new ValidationError([issue('criterion', 'monitoring.evidence.unknownCriterion')]);
  if (!f.canEdit) throw new ConflictError([issue('file', 'monitoring.evidence.locked')], 'monitoring.evidence.locked');
  if (input.bytes.length === 0) throw new ValidationError([issue('file', 'monitoring.evidence.noFile')]);
  if (input.bytes.length > maxEvidenceBytes)
    throw new ValidationError([issue('file', 'monitoring.evidence.tooLarge', { mb: maxEvidenceBytes / 1024 / 1024 })]);
  const kind = await evidenceKind(input.bytes);
  if (!kind) throw new ValidationError([issue('file', 'monitoring.evidence.badType')]);
  const year = f.period.year;
  const existing = await listEvidence(db, input.institutionId, year, input.criterion);
  if (existing.length >= maxEvidenceFiles) throw new ValidationError([issue('file', 'monitoring.evidence.tooMany', { n: maxEvidenceFiles })]);
  const { hash } = await storeFile(db, store, input.bytes);
  const [row] = await db
    .insert(monitoringEvidenceFiles)
    .values({
      institutionId: input.institutionId,
      year,
      criterion: input.criterion,
      fileName: cleanName(input.fileName, kind),
      kind,
      bytes: input.bytes.length,
      storedName: hash,
      uploadedBy: actor.label,
    })
    .returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, {
    action: 'monitoring.evidence.upload',
    entityType: 'monitoring_evidence_file',
    entityId: row.id,
    after: { year, criterion: row.criterion, fileName: row.fileName, kind, bytes: row.bytes },
    institutionId: row.institutionId,
    unitIds: scope.unitPath,
  });
  return row;
}

/**
 * Removes a file from a declaration while the data set can be edited (of the given criterion,
 * when the caller names one); the bytes go at the next sweep of the store, once nothing else refers to them.
 */
export async function deleteEvidence(db: Db, actor: Actor, periodId: string, id: string, criterion?: string): Promise<EvidenceRow> {
  const placement = await placementOf(db);
  const [row] = await db.select().from(monitoringEvidenceFiles).where(eq(monitoringEvidenceFiles.id, id));
  if (!row || (criterion !== undefined && row.criterion !== criterion)) throw new NotFoundError('monitoring.evidence.notFound');
  const scope = placement.institutionScope(row.institutionId);
  requireTo(actor, 'report', scope);
  const f = await formState(db, actor, periodId, row.institutionId);
  if (f.period.year !== row.year) throw new NotFoundError('monitoring.evidence.notFound');
  if (!f.canEdit) throw new ConflictError([issue('file', 'monitoring.evidence.locked')], 'monitoring.evidence.locked');
  await db.delete(monitoringEvidenceFiles).where(eq(monitoringEvidenceFiles.id, id));
  if (isHash(row.storedName)) await releaseFile(db, row.storedName);
  await recordAudit(db, actor, {
    action: 'monitoring.evidence.delete',
    entityType: 'monitoring_evidence_file',
    entityId: row.id,
    before: { year: row.year, criterion: row.criterion, fileName: row.fileName },
    institutionId: row.institutionId,
    unitIds: scope.unitPath,
  });
  return row;
}

/** The files attached to one criterion of an institution in a year, oldest first. */
export async function listEvidence(db: Db, institutionId: string, year: number, criterion: string): Promise<EvidenceRow[]> {
  return db
    .select()
    .from(monitoringEvidenceFiles)
    .where(
      and(
        eq(monitoringEvidenceFiles.institutionId, institutionId),
        eq(monitoringEvidenceFiles.year, year),
        eq(monitoringEvidenceFiles.criterion, criterion),
      ),
    )
    .orderBy(asc(monitoringEvidenceFiles.uploadedAt), asc(monitoringEvidenceFiles.fileName));
}

/** The files behind one criterion in a year, by institution (for the indicator page). */
export async function evidenceByInstitution(db: Db, year: number, criterion: Criterion): Promise<Map<string, EvidenceRow[]>> {
  const rows = await db
    .select()
    .from(monitoringEvidenceFiles)
    .where(and(eq(monitoringEvidenceFiles.year, year), eq(monitoringEvidenceFiles.criterion, criterion)))
    .orderBy(asc(monitoringEvidenceFiles.uploadedAt), asc(monitoringEvidenceFiles.fileName));
  const out = new Map<string, EvidenceRow[]>();
  for (const r of rows) out.set(r.institutionId, [...(out.get(r.institutionId) ?? []), r]);
  return out;
}

/**
 * A file and its bytes for someone entitled to see it: the institution's staff, the officers
 * who review or oversee it, and the Department.
 */
export async function readEvidence(db: Db, actor: Actor, id: string, store: FileStore): Promise<{ row: EvidenceRow; stream: Readable }> {
  const placement = await placementOf(db);
  const [row] = await db.select().from(monitoringEvidenceFiles).where(eq(monitoringEvidenceFiles.id, id));
  if (!row) throw new NotFoundError('monitoring.evidence.notFound');
  const scope = placement.institutionScope(row.institutionId);
  if (!allowedTo(actor, 'report', scope) && !allowedTo(actor, 'review', scope)) requireTo(actor, 'oversee', scope);
  // A row whose file was lost before the storage names no hash.
  const stream = isHash(row.storedName) ? await store.stream(row.storedName) : null;
  if (!stream) throw new NotFoundError('monitoring.evidence.notFound');
  return { row, stream };
}

/**
 * Moves the files kept under `uploads/monitoring` before the file storage into it, once: each row
 * then names its file by content hash. Rows whose file is gone are left as they are.
 */
export async function adoptLegacyEvidence(db: Db, store: FileStore, dataDir: string): Promise<number> {
  const rows = await db
    .select()
    .from(monitoringEvidenceFiles)
    .where(sql`${monitoringEvidenceFiles.storedName} !~ '^[0-9a-f]{64}$'`);
  let moved = 0;
  for (const row of rows) {
    const file = path.join(legacyDir(dataDir), path.basename(row.storedName));
    const bytes = await fs.readFile(file).catch(() => null);
    if (!bytes) continue;
    await db.transaction(async (tx) => {
      const { hash } = await storeFile(tx, store, bytes);
      await tx.update(monitoringEvidenceFiles).set({ storedName: hash }).where(eq(monitoringEvidenceFiles.id, row.id));
    });
    await fs.rm(file, { force: true });
    moved++;
  }
  return moved;
}
