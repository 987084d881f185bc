import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, ne } from 'drizzle-orm';
import { institutionScope } from '../orgs/index.js';
import { authorize, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { ConflictError, issue, NotFoundError } from '../platform/errors.js';
import { normalizeVi } from '../platform/text/index.js';
import { extract } from './extract.js';
import type { MarcRecord } from './marc/index.js';
import { items, records, terms } from './schema.js';

export type RecordRow = typeof records.$inferSelect;
export type ItemRow = typeof items.$inferSelect;
export const itemStatuses = items.status.enumValues;
export type ItemStatus = (typeof itemStatuses)[number];

export async function getRecord(db: Db, id: string): Promise<RecordRow> {
  const [row] = await db.select().from(records).where(eq(records.id, id));
  if (!row) throw new NotFoundError('catalogue.record.notFound');
  return row;
}

/** The record's copies (withdrawn ones too when asked), by institution then call number. */
export async function itemsOf(db: Db, recordId: string, opts: { withdrawn?: boolean } = {}): Promise<ItemRow[]> {
  return db
    .select()
    .from(items)
    .where(and(eq(items.recordId, recordId), opts.withdrawn ? undefined : ne(items.status, 'withdrawn')))
    .orderBy(asc(items.institutionId), asc(items.callNumber), asc(items.barcode));
}

export async function getItem(db: Db, id: string): Promise<ItemRow> {
  const [row] = await db.select().from(items).where(eq(items.id, id));
  if (!row) throw new NotFoundError('catalogue.item.notFound');
  return row;
}

export interface ItemInput {
  institutionId: string;
  barcode: string;
  callNumber?: string;
  location?: string;
  status?: ItemStatus;
  price?: number;
  acquiredOn?: string;
  note?: string;
}

const blank = (v: string | undefined) => (v ? normalizeVi(v) || null : null);

async function barcodeFree(db: Db, barcode: string, except?: string): Promise<void> {
  const [row] = await db
    .select({ id: items.id })
    .from(items)
    .where(and(eq(items.barcode, barcode), except ? ne(items.id, except) : undefined));
  if (row) throw new ConflictError([issue('barcode', 'catalogue.item.barcodeTaken', { barcode })]);
}

export async function addItem(db: Db, actor: Actor, recordId: string, input: ItemInput): Promise<ItemRow> {
  await getRecord(db, recordId);
  const scope = await institutionScope(db, input.institutionId);
  authorize(actor, 'catalogue.write', scope);
  const barcode = input.barcode.trim().toUpperCase();
  await barcodeFree(db, barcode);
  const [row] = await db
    .insert(items)
    .values({
      recordId,
      institutionId: input.institutionId,
      barcode,
      callNumber: blank(input.callNumber),
      location: blank(input.location),
      status: input.status ?? 'available',
      price: input.price ?? null,
      acquiredOn: input.acquiredOn ?? null,
      note: blank(input.note),
    })
    .returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, {
    action: 'catalogue.item.create',
    entityType: 'catalogue_item',
    entityId: row.id,
    institutionId: row.institutionId,
    unitIds: scope.unitPath,
    after: row,
  });
  return row;
}

export async function updateItem(db: Db, actor: Actor, id: string, input: Omit<ItemInput, 'institutionId'>): Promise<ItemRow> {
  const before = await getItem(db, id);
  const scope = await institutionScope(db, before.institutionId);
  authorize(actor, 'catalogue.write', scope);
  const barcode = input.barcode.trim().toUpperCase();
  await barcodeFree(db, barcode, id);
  const [row] = await db
    .update(items)
    .set({
      barcode,
      callNumber: blank(input.callNumber),
      location: blank(input.location),
      status: input.status ?? before.status,
      price: input.price ?? null,
      acquiredOn: input.acquiredOn ?? null,
      note: blank(input.note),
      updatedAt: new Date(),
    })
    .where(eq(items.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, {
    action: 'catalogue.item.update',
    entityType: 'catalogue_item',
    entityId: id,
    institutionId: row.institutionId,
    unitIds: scope.unitPath,
    before,
    after: row,
  });
  return row;
}

/** Withdraws a copy from the collection; it stays on file (for statistics) but is no longer offered. */
export async function withdrawItem(db: Db, actor: Actor, id: string, note?: string): Promise<ItemRow> {
  const before = await getItem(db, id);
  const scope = await institutionScope(db, before.institutionId);
  authorize(actor, 'catalogue.write', scope);
  const [row] = await db
    .update(items)
    .set({ status: 'withdrawn', note: blank(note) ?? before.note, updatedAt: new Date() })
    .where(eq(items.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, {
    action: 'catalogue.item.withdraw',
    entityType: 'catalogue_item',
    entityId: id,
    institutionId: row.institutionId,
    unitIds: scope.unitPath,
    before,
    after: row,
  });
  return row;
}

async function addTerms(db: Db, x: ReturnType<typeof extract>): Promise<void> {
  const words = [...new Set(`${x.titleFolded} ${x.authorFolded} ${x.subjectFolded}`.split(' ').filter((w) => w.length >= 3 && w.length <= 40))];
  if (words.length)
    await db
      .insert(terms)
      .values(words.map((term) => ({ term })))
      .onConflictDoNothing();
}

/** Creates a record (from the MARC editor or the simple form) for a library that catalogues it. */
export async function createRecord(db: Db, actor: Actor, institutionId: string, marc: MarcRecord): Promise<RecordRow> {
  const scope = await institutionScope(db, institutionId);
  authorize(actor, 'catalogue.write', scope);
  const x = extract(marc);
  const [row] = await db
    .insert(records)
    .values({ id: randomUUID(), marc, ...x, createdBy: actor.kind === 'user' || actor.kind === 'token' ? actor.userId : null })
    .returning();
  if (!row) throw new NotFoundError();
  await addTerms(db, x);
  await recordAudit(db, actor, {
    action: 'catalogue.record.create',
    entityType: 'catalogue_record',
    entityId: row.id,
    institutionId,
    unitIds: scope.unitPath,
    after: { title: row.title },
  });
  return row;
}

/**
 * Replaces a record's MARC. Any library holding a copy of it (or, for a record without copies,
 * the library the librarian acts for) may edit the shared record.
 */
export async function updateRecord(db: Db, actor: Actor, id: string, institutionId: string, marc: MarcRecord): Promise<RecordRow> {
  const before = await getRecord(db, id);
  const holders = (await db.selectDistinct({ id: items.institutionId }).from(items).where(eq(items.recordId, id))).map((r) => r.id);
  if (holders.length && !holders.includes(institutionId)) throw new ConflictError([issue('institution', 'catalogue.record.notHolder')]);
  const scope = await institutionScope(db, institutionId);
  authorize(actor, 'catalogue.write', scope);
  const x = extract(marc);
  const [row] = await db
    .update(records)
    .set({ marc, ...x, updatedAt: new Date() })
    .where(eq(records.id, id))
    .returning();
  if (!row) throw new NotFoundError();
  await addTerms(db, x);
  await recordAudit(db, actor, {
    action: 'catalogue.record.update',
    entityType: 'catalogue_record',
    entityId: id,
    institutionId,
    unitIds: scope.unitPath,
    before: { marc: before.marc },
    after: { marc },
  });
  return row;
}

/**
 * Deletes a record that no library holds a copy of (withdrawn copies count: they stay on file for
 * statistics). The library the librarian acts for must be one they operate.
 */
export async function deleteRecord(db: Db, actor: Actor, id: string, institutionId: string): Promise<void> {
  const before = await getRecord(db, id);
  const scope = await institutionScope(db, institutionId);
  authorize(actor, 'catalogue.write', scope);
  const [held] = await db.select({ n: count() }).from(items).where(eq(items.recordId, id));
  const n = held?.n ?? 0;
  if (n > 0) throw new ConflictError([issue('id', 'catalogue.record.hasItems', { n })], 'catalogue.record.cannotDelete');
  await db.delete(records).where(eq(records.id, id));
  await recordAudit(db, actor, {
    action: 'catalogue.record.delete',
    entityType: 'catalogue_record',
    entityId: id,
    institutionId,
    unitIds: scope.unitPath,
    before: { title: before.title, marc: before.marc },
  });
}
