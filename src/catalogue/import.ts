import { createHash, randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { institutionIdByCode, institutionScope } from '../orgs/index.js';
import { authorize, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { issue, NotFoundError, ValidationError } from '../platform/errors.js';
import { normalizeVi } from '../platform/text/index.js';
import { extract, type Extracted } from './extract.js';
import {
  isDataField, parseIso2709, parseMarcXml, readIso2709File, readMarcXmlFile, subfieldValues,
  type MarcEncoding, type MarcReadItem, type MarcRecord,
} from './marc/index.js';
import { imports, items, merges, records, terms } from './schema.js';

/** One record that was not imported, or an item that was not attached. */
export interface ImportProblem {
  recordNumber: number;
  offset: number | null;
  /** A MARC reader issue code, or 'no-title' / 'barcode-taken'. */
  code: string;
  /** English detail naming the record and the place. */
  message: string;
}

export interface MarcImportReport {
  importId: string;
  institutionId: string;
  records: number;
  added: number;
  merged: number;
  unchanged: number;
  rejected: number;
  itemsAdded: number;
  problems: ImportProblem[];
}

export interface MarcImportOptions {
  libraryCode: string;
  encoding?: MarcEncoding;
  /** Records per transaction. */
  batchSize?: number;
  onProgress?: (done: { records: number; added: number; merged: number; rejected: number }) => void;
}

type Source = { bytes: Uint8Array; fileName?: string } | { path: string };

interface Incoming {
  recordNumber: number;
  offset: number | null;
  marc: MarcRecord;
  x: Extracted;
}

interface ItemDraft {
  barcode: string;
  callNumber: string | null;
  location: string | null;
  price: number | null;
  acquiredOn: string | null;
  note: string | null;
}

const MAX_PROBLEMS = 1000;

function isXml(head: Uint8Array): boolean {
  const text = Buffer.from(head).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<');
}

async function* readerOf(source: Source, encoding: MarcEncoding | undefined): AsyncGenerator<MarcReadItem> {
  const options = encoding ? { encoding } : {};
  if ('bytes' in source) {
    yield* isXml(source.bytes.subarray(0, 256)) ? parseMarcXml(source.bytes) : parseIso2709(source.bytes, options);
    return;
  }
  const handle = await open(source.path, 'r');
  const head = new Uint8Array(256);
  try {
    await handle.read(head, 0, 256, 0);
  } finally {
    await handle.close();
  }
  yield* isXml(head) ? readMarcXmlFile(source.path) : readIso2709File(source.path, options);
}

function price(raw: string | undefined): number | null {
  if (!raw) return null;
  const digits = raw.replace(/[^0-9]/g, '');
  const n = digits ? Number(digits) : NaN;
  return Number.isSafeInteger(n) && n <= 2_000_000_000 ? n : null;
}

function isoDate(raw: string | undefined): string | null {
  const m = raw ? /^(\d{4})-?(\d{2})-?(\d{2})/.exec(raw.trim()) : null;
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? null : `${m[1]}-${m[2]}-${m[3]}`;
}

const text = (v: string | undefined) => (v && normalizeVi(v)) || null;

/**
 * The copies a record carries in 852 (holdings: $p barcode, $b location, $h/$i or $j call number,
 * $z note) or 952 (Koha: $p barcode, $o call number, $c location, $g price, $d acquired, $z note).
 * A copy without a barcode gets one derived from the library, the record and the field, so an
 * import run twice gives the same barcodes and adds nothing the second time.
 */
export function itemDrafts(marc: MarcRecord, x: Extracted, libraryCode: string): ItemDraft[] {
  const out: ItemDraft[] = [];
  const seen = new Map<string, number>();
  const identity = x.controlNumber ? `${x.controlSource ?? ''}/${x.controlNumber}` : x.isbns[0] ?? x.matchKey;
  for (const f of marc.fields) {
    if ((f.tag !== '852' && f.tag !== '952') || !isDataField(f)) continue;
    const koha = f.tag === '952';
    const get = (code: string) => subfieldValues(f, code)[0]?.trim() || undefined;
    const body = f.subfields.map((s) => `${s.code}${s.value}`).join('\u001f');
    const n = (seen.get(body) ?? 0) + 1;
    seen.set(body, n);
    const derived = `${libraryCode}-${createHash('sha256').update(`${identity}\u001e${body}\u001e${n}`).digest('hex').slice(0, 12).toUpperCase()}`;
    const call = koha ? get('o') : [get('h'), get('i')].filter(Boolean).join(' ') || get('j');
    out.push({
      barcode: (get('p') ?? derived).toUpperCase(),
      callNumber: text(call),
      location: text(koha ? get('c') : get('b')),
      price: koha ? price(get('g')) : null,
      acquiredOn: koha ? isoDate(get('d')) : null,
      note: text(get('z')),
    });
  }
  return out;
}

function recordValues(id: string, marc: MarcRecord, x: Extracted, createdBy: string | null) {
  return { id, marc, ...x, createdBy };
}

async function findMatches(db: Db, batch: Incoming[]) {
  const isbns = [...new Set(batch.flatMap((b) => b.x.isbns))];
  const withSource = batch.filter((b) => b.x.controlNumber && b.x.controlSource);
  const withoutSource = [...new Set(batch.filter((b) => b.x.controlNumber && !b.x.controlSource).map((b) => b.x.controlNumber as string))];
  const keys = [...new Set(batch.map((b) => b.x.matchKey))];
  const list = (values: string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
  const conds: SQL[] = [inArray(records.matchKey, keys)];
  if (isbns.length) conds.push(sql`${records.isbns} && array[${list(isbns)}]::text[]`);
  if (withSource.length) {
    const sources = list(withSource.map((b) => b.x.controlSource as string));
    const numbers = list(withSource.map((b) => b.x.controlNumber as string));
    conds.push(sql`(${records.controlSource}, ${records.controlNumber}) in (select * from unnest(array[${sources}]::text[], array[${numbers}]::text[]))`);
  }
  if (withoutSource.length) conds.push(sql`(${records.controlSource} is null and ${records.controlNumber} = any(array[${list(withoutSource)}]::text[]))`);
  return db.select({ id: records.id, isbns: records.isbns, controlNumber: records.controlNumber, controlSource: records.controlSource, matchKey: records.matchKey })
    .from(records).where(or(...conds));
}

type Basis = 'isbn' | 'control' | 'key';

class Matcher {
  private byIsbn = new Map<string, string>();
  private byControl = new Map<string, string>();
  private byKey = new Map<string, string>();

  add(id: string, x: Pick<Extracted, 'isbns' | 'controlNumber' | 'controlSource' | 'matchKey'>): void {
    for (const i of x.isbns) if (!this.byIsbn.has(i)) this.byIsbn.set(i, id);
    if (x.controlNumber) this.byControl.set(`${x.controlSource ?? ''}\u001f${x.controlNumber}`, id);
    if (!this.byKey.has(x.matchKey)) this.byKey.set(x.matchKey, id);
  }

  /** ISBN first, then 001+003, then the title+author+year key (only when it says enough). */
  find(x: Extracted): { id: string; basis: Basis } | null {
    for (const i of x.isbns) {
      const id = this.byIsbn.get(i);
      if (id) return { id, basis: 'isbn' };
    }
    if (x.controlNumber) {
      const id = this.byControl.get(`${x.controlSource ?? ''}\u001f${x.controlNumber}`);
      if (id) return { id, basis: 'control' };
    }
    const [title, author, year] = x.matchKey.split('|');
    if (title && (author || year) && x.isbns.length === 0) {
      const id = this.byKey.get(x.matchKey);
      if (id) return { id, basis: 'key' };
    }
    return null;
  }
}

interface BatchResult { added: number; merged: number; unchanged: number; itemsAdded: number; problems: ImportProblem[] }

async function importBatch(db: Db, actor: Actor, ctx: { institutionId: string; importId: string; libraryCode: string }, batch: Incoming[]): Promise<BatchResult> {
  const result: BatchResult = { added: 0, merged: 0, unchanged: 0, itemsAdded: 0, problems: [] };
  const matcher = new Matcher();
  for (const row of await findMatches(db, batch)) matcher.add(row.id, row);
  const drafts = batch.map((b) => itemDrafts(b.marc, b.x, ctx.libraryCode));
  const barcodes = [...new Set(drafts.flat().map((d) => d.barcode))];
  const taken = new Map<string, string>();
  if (barcodes.length) {
    for (const r of await db.select({ barcode: items.barcode, institutionId: items.institutionId }).from(items).where(inArray(items.barcode, barcodes))) taken.set(r.barcode, r.institutionId);
  }
  const createdBy = actor.kind === 'user' || actor.kind === 'token' ? actor.userId : null;
  const newRecords: Array<ReturnType<typeof recordValues>> = [];
  const newItems: Array<typeof items.$inferInsert> = [];
  const newMerges: Array<typeof merges.$inferInsert> = [];
  const vocabulary = new Set<string>();
  batch.forEach((b, i) => {
    const match = matcher.find(b.x);
    const recordId = match?.id ?? randomUUID();
    const attached: string[] = [];
    for (const d of drafts[i] ?? []) {
      const owner = taken.get(d.barcode);
      if (owner !== undefined) {
        if (owner !== ctx.institutionId && result.problems.length < MAX_PROBLEMS) {
          result.problems.push({ recordNumber: b.recordNumber, offset: b.offset, code: 'barcode-taken', message: `Record ${b.recordNumber}: barcode ${d.barcode} belongs to another library; that copy was not added` });
        }
        continue;
      }
      const itemId = randomUUID();
      taken.set(d.barcode, ctx.institutionId);
      newItems.push({ id: itemId, recordId, institutionId: ctx.institutionId, ...d });
      attached.push(itemId);
    }
    result.itemsAdded += attached.length;
    if (!match) {
      newRecords.push(recordValues(recordId, b.marc, b.x, createdBy));
      matcher.add(recordId, b.x);
      for (const w of `${b.x.titleFolded} ${b.x.authorFolded} ${b.x.subjectFolded}`.split(' ')) if (w.length >= 3 && w.length <= 40) vocabulary.add(w);
      result.added++;
    } else if (attached.length) {
      newMerges.push({ recordId, institutionId: ctx.institutionId, importId: ctx.importId, matchedBy: match.basis, incoming: b.marc, itemIds: attached });
      result.merged++;
    } else {
      result.unchanged++;
    }
  });
  if (newRecords.length) await db.insert(records).values(newRecords);
  if (newItems.length) await db.insert(items).values(newItems);
  if (newMerges.length) await db.insert(merges).values(newMerges);
  if (vocabulary.size) await db.insert(terms).values([...vocabulary].map((term) => ({ term }))).onConflictDoNothing();
  return result;
}

/**
 * Imports a MARC file (ISO 2709 or MARCXML, told apart by its first bytes) into the union catalogue
 * for one library, one transaction per batch. A record matching one already there (ISBN, 001+003,
 * title+author+year) gets the new copies attached and is logged as a merge; running the same file
 * again adds nothing. Bad records are reported with their number and byte offset; the rest go in.
 */
export async function importMarc(db: Db, actor: Actor, source: Source, opts: MarcImportOptions): Promise<MarcImportReport> {
  const libraryCode = opts.libraryCode.trim().toUpperCase();
  const institutionId = await institutionIdByCode(db, libraryCode);
  if (!institutionId) throw new ValidationError([issue('library', 'catalogue.import.unknownLibrary', { code: opts.libraryCode })]);
  const scope = await institutionScope(db, institutionId);
  authorize(actor, 'institution.operate', scope);
  const fileName = 'path' in source ? path.basename(source.path) : source.fileName ?? 'upload';
  const [run] = await db.insert(imports).values({ institutionId, fileName, createdBy: actor.label }).returning({ id: imports.id });
  if (!run) throw new NotFoundError();
  const report: MarcImportReport = { importId: run.id, institutionId, records: 0, added: 0, merged: 0, unchanged: 0, rejected: 0, itemsAdded: 0, problems: [] };
  const batchSize = opts.batchSize ?? 500;
  let batch: Incoming[] = [];
  let batchRejected = 0;
  const reject = (p: ImportProblem) => {
    report.rejected++;
    batchRejected++;
    if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
  };
  const flush = async () => {
    const done = batch;
    const rejected = batchRejected;
    batch = [];
    batchRejected = 0;
    const r = await db.transaction(async (t) => {
      const tx = t as unknown as Db;
      const res = done.length ? await importBatch(tx, actor, { institutionId, importId: run.id, libraryCode }, done) : { added: 0, merged: 0, unchanged: 0, itemsAdded: 0, problems: [] };
      await tx.update(imports).set({
        added: sql`${imports.added} + ${res.added}`, merged: sql`${imports.merged} + ${res.merged}`,
        unchanged: sql`${imports.unchanged} + ${res.unchanged}`, rejected: sql`${imports.rejected} + ${rejected}`,
      }).where(eq(imports.id, run.id));
      return res;
    });
    report.added += r.added;
    report.merged += r.merged;
    report.unchanged += r.unchanged;
    report.itemsAdded += r.itemsAdded;
    for (const p of r.problems) if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
    opts.onProgress?.({ records: report.records, added: report.added, merged: report.merged, rejected: report.rejected });
  };
  for await (const item of readerOf(source, opts.encoding)) {
    report.records++;
    const offset = item.offset ?? null;
    if (item.error) {
      reject({ recordNumber: item.recordNumber, offset, code: item.error.code, message: item.error.message });
    } else {
      const x = extract(item.record);
      if (!x.title) reject({ recordNumber: item.recordNumber, offset, code: 'no-title', message: `Record ${item.recordNumber}: field 245 $a (title) is missing` });
      else batch.push({ recordNumber: item.recordNumber, offset, marc: item.record, x });
    }
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.update(imports).set({ problems: report.problems.map((p) => ({ ...p })), finishedAt: new Date() }).where(eq(imports.id, run.id));
    await recordAudit(tx, actor, {
      action: 'catalogue.import', entityType: 'catalogue_import', entityId: run.id, institutionId, unitIds: scope.unitPath,
      after: { fileName, records: report.records, added: report.added, merged: report.merged, unchanged: report.unchanged, rejected: report.rejected, items: report.itemsAdded },
    });
  });
  return report;
}

/** The CLI's import: a file on disk, for the library with the given code. */
export function importMarcFile(db: Db, actor: Actor, opts: MarcImportOptions & { path: string }): Promise<MarcImportReport> {
  return importMarc(db, actor, { path: opts.path }, opts);
}

/** Merges whose record holds items of the given institutions (newest first), for the librarian's list. */
export async function listMerges(db: Db, institutionIds: string[], limit = 100) {
  if (!institutionIds.length) return [];
  return db.select({ id: merges.id, recordId: merges.recordId, institutionId: merges.institutionId, matchedBy: merges.matchedBy, createdAt: merges.createdAt, undoneAt: merges.undoneAt, itemCount: sql<number>`cardinality(${merges.itemIds})` })
    .from(merges).where(inArray(merges.institutionId, institutionIds)).orderBy(sql`${merges.createdAt} desc`).limit(limit);
}

/** Undoes a merge: the incoming record becomes a record of its own again and takes its copies back. */
export async function undoMerge(db: Db, actor: Actor, mergeId: string): Promise<{ recordId: string }> {
  const [m] = await db.select().from(merges).where(eq(merges.id, mergeId)).for('update');
  if (!m) throw new NotFoundError();
  const scope = await institutionScope(db, m.institutionId);
  authorize(actor, 'institution.operate', scope);
  if (m.undoneAt) throw new ValidationError([issue('merge', 'catalogue.merge.alreadyUndone')]);
  const id = randomUUID();
  const x = extract(m.incoming);
  await db.insert(records).values(recordValues(id, m.incoming, x, actor.kind === 'user' || actor.kind === 'token' ? actor.userId : null));
  if (m.itemIds.length) await db.update(items).set({ recordId: id, updatedAt: new Date() }).where(and(inArray(items.id, m.itemIds), eq(items.recordId, m.recordId)));
  await db.update(merges).set({ undoneAt: new Date(), undoneBy: actor.label, splitRecordId: id }).where(eq(merges.id, m.id));
  await recordAudit(db, actor, { action: 'catalogue.merge.undo', entityType: 'catalogue_merge', entityId: m.id, institutionId: m.institutionId, unitIds: scope.unitPath, before: { recordId: m.recordId }, after: { recordId: id } });
  return { recordId: id };
}
