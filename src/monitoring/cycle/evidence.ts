import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit/index.js';
import type { Db } from '../../platform/db/index.js';
import { ConflictError, issue, NotFoundError, ValidationError } from '../../platform/errors.js';
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

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * The file's type from its bytes, whatever it is called: PDF, JPEG and PNG by their signatures;
 * DOCX and XLSX are ZIP archives told apart by the parts they must hold.
 */
export function evidenceKind(bytes: Buffer): EvidenceKind | null {
  if (bytes.length >= 5 && bytes.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG)) return 'png';
  if (bytes.length >= 30 && bytes.subarray(0, 4).equals(ZIP) && bytes.includes('[Content_Types].xml', 0, 'latin1')) {
    if (bytes.includes('word/document.xml', 0, 'latin1')) return 'docx';
    if (bytes.includes('xl/workbook.xml', 0, 'latin1')) return 'xlsx';
  }
  return null;
}

export const evidenceDir = (dataDir: string) => path.join(dataDir, 'uploads', 'monitoring');

/** A file name safe to show and to send back: the last path part, without control characters, at most 200 characters. */
function cleanName(name: string, kind: EvidenceKind): string {
  const last = normalizeVi(name.split(/[\\/]/).pop() ?? '');
  const base = [...last].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== '\u007f' && ch !== '"').join('').trim().slice(0, 200);
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
export async function saveEvidence(db: Db, actor: Actor, input: EvidenceUpload, dataDir: string): Promise<EvidenceRow> {
  const placement = await placementOf(db);
  if (!placement.institutions.has(input.institutionId)) throw new NotFoundError('monitoring.institution.notFound');
  const scope = placement.institutionScope(input.institutionId);
  requireTo(actor, 'report', scope);
  const f = await formState(db, actor, input.periodId, input.institutionId);
  if (!f.criteria.some((c) => c.criterion === input.criterion)) throw new ValidationError([issue('criterion', 'monitoring.evidence.unknownCriterion')]);
  if (!f.canEdit) throw new ConflictError([issue('file', 'monitoring.evidence.locked')], 'monitoring.evidence.locked');
  if (input.bytes.length === 0) throw new ValidationError([issue('file', 'monitoring.evidence.noFile')]);
  if (input.bytes.length > maxEvidenceBytes) throw new ValidationError([issue('file', 'monitoring.evidence.tooLarge', { mb: maxEvidenceBytes / 1024 / 1024 })]);
  const kind = evidenceKind(input.bytes);
  if (!kind) throw new ValidationError([issue('file', 'monitoring.evidence.badType')]);
  const year = f.period.year;
  const existing = await listEvidence(db, input.institutionId, year, input.criterion);
  if (existing.length >= maxEvidenceFiles) throw new ValidationError([issue('file', 'monitoring.evidence.tooMany', { n: maxEvidenceFiles })]);
  const dir = evidenceDir(dataDir);
  await fs.mkdir(dir, { recursive: true });
  const storedName = `${randomBytes(16).toString('hex')}.${kind}`;
  await fs.writeFile(path.join(dir, storedName), input.bytes, { flag: 'wx' });
  // The bytes are written first; if the row cannot be written after them, they go again.
  try {
    const [row] = await db.insert(monitoringEvidenceFiles).values({
      institutionId: input.institutionId, year, criterion: input.criterion, fileName: cleanName(input.fileName, kind), kind, bytes: input.bytes.length,
      storedName, uploadedBy: actor.label,
    }).returning();
    if (!row) throw new NotFoundError();
    await recordAudit(db, actor, {
      action: 'monitoring.evidence.upload', entityType: 'monitoring_evidence_file', entityId: row.id,
      after: { year, criterion: row.criterion, fileName: row.fileName, kind, bytes: row.bytes }, institutionId: row.institutionId, unitIds: scope.unitPath,
    });
    return row;
  } catch (err) {
    await fs.rm(path.join(dir, storedName), { force: true });
    throw err;
  }
}

/**
 * Removes a file from a declaration while the data set can be edited (of the given criterion,
 * when the caller names one); answers the row so the caller can delete the bytes after commit.
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
  await recordAudit(db, actor, {
    action: 'monitoring.evidence.delete', entityType: 'monitoring_evidence_file', entityId: row.id,
    before: { year: row.year, criterion: row.criterion, fileName: row.fileName }, institutionId: row.institutionId, unitIds: scope.unitPath,
  });
  return row;
}

/** The files attached to one criterion of an institution in a year, oldest first. */
export async function listEvidence(db: Db, institutionId: string, year: number, criterion: string): Promise<EvidenceRow[]> {
  return db.select().from(monitoringEvidenceFiles).where(and(
    eq(monitoringEvidenceFiles.institutionId, institutionId), eq(monitoringEvidenceFiles.year, year), eq(monitoringEvidenceFiles.criterion, criterion),
  )).orderBy(asc(monitoringEvidenceFiles.uploadedAt), asc(monitoringEvidenceFiles.fileName));
}

/** The files behind one criterion in a year, by institution (for the indicator page). */
export async function evidenceByInstitution(db: Db, year: number, criterion: Criterion): Promise<Map<string, EvidenceRow[]>> {
  const rows = await db.select().from(monitoringEvidenceFiles)
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
export async function readEvidence(db: Db, actor: Actor, id: string, dataDir: string): Promise<{ row: EvidenceRow; bytes: Buffer }> {
  const placement = await placementOf(db);
  const [row] = await db.select().from(monitoringEvidenceFiles).where(eq(monitoringEvidenceFiles.id, id));
  if (!row) throw new NotFoundError('monitoring.evidence.notFound');
  const scope = placement.institutionScope(row.institutionId);
  if (!allowedTo(actor, 'report', scope) && !allowedTo(actor, 'review', scope)) requireTo(actor, 'oversee', scope);
  const bytes = await fs.readFile(path.join(evidenceDir(dataDir), row.storedName)).catch(() => null);
  if (!bytes) throw new NotFoundError('monitoring.evidence.notFound');
  return { row, bytes };
}
