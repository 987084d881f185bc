import { createHash, randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, getTableColumns, inArray, sql, type SQL, type SQLChunk } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { institutionIdByCode, institutionScope } from '../orgs/index.js';
import { authorize, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import { rowsOf, type Db } from '../platform/db/index.js';
import { issue, NotFoundError, ValidationError } from '../platform/errors.js';
import { normalizeVi } from '../platform/text/index.js';
import { extract, type Extracted } from './extract.js';
import {
  isDataField, packMarc, parseIso2709, parseMarcXml, readIso2709File, readMarcXmlFile, subfieldValues,
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
  /** Records per transaction (1000 unless given). */
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
/** Records read between two looks at the event loop. */
const YIELD_EVERY = 16;

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

/** A new record's row for insertMany, which passes values as they are: the MARC packed as the column stores it. */
function recordRow(id: string, marc: MarcRecord, x: Extracted, createdBy: string | null) {
  return { id, marc: packMarc(marc), ...x, createdBy };
}

/**
 * Inserts rows of one shape (keyed by the table's property names) in one statement whose only
 * parameter is the rows as JSON: one round trip and one bind value, whatever the batch size.
 */
async function insertMany(db: Db, table: PgTable, rows: object[]): Promise<void> {
  const [shape] = rows;
  if (!shape) return;
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => key in shape);
  const list = (f: (key: string, column: (typeof columns)[number][1]) => SQLChunk) => sql.join(columns.map(([key, column]) => f(key, column)), sql`, `);
  await db.execute(sql`insert into ${table} (${list((_, c) => sql.identifier(c.name))})
    select ${list((key) => sql`r.${sql.identifier(key)}`)}
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(${list((key, c) => sql`${sql.identifier(key)} ${sql.raw(c.getSQLType())}`)})`);
}


/** A JSON array parameter as a SQL text[] (one bind value however many strings). */
function textArray(values: Iterable<string>): SQL {
  return sql`array(select json_array_elements_text(${JSON.stringify([...values])}::json))`;
}

type MatchRow = { id: string; isbns: string[]; controlNumber: string | null; controlSource: string | null; matchKey: string };

/** Whether the title+author+year key may match: a record without ISBN whose key names more than a title. */
function keyMatches(x: Extracted): boolean {
  const [title, author, year] = x.matchKey.split('|');
  return Boolean(title && (author || year) && x.isbns.length === 0);
}

/** The records already in the catalogue that the batch may match, in one query whose every arm uses an index. */
async function findMatches(db: Db, batch: Incoming[]): Promise<MatchRow[]> {
  const isbns = new Set(batch.flatMap((b) => b.x.isbns));
  const keys = new Set(batch.filter((b) => keyMatches(b.x)).map((b) => b.x.matchKey));
  const withSource = batch.filter((b) => b.x.controlNumber && b.x.controlSource).map((b) => ({ s: b.x.controlSource, n: b.x.controlNumber }));
  const withoutSource = new Set(batch.filter((b) => b.x.controlNumber && !b.x.controlSource).map((b) => b.x.controlNumber as string));
  const columns = sql`r.id, r.isbns, r.control_number as "controlNumber", r.control_source as "controlSource", r.match_key as "matchKey"`;
  return rowsOf<MatchRow>(db, sql`
    select ${columns} from ${records} r where r.isbns && ${textArray(isbns)}
    union select ${columns} from ${records} r where r.match_key = any(${textArray(keys)})
    union select ${columns} from ${records} r join json_to_recordset(${JSON.stringify(withSource)}::json) as c(s text, n text) on r.control_source = c.s and r.control_number = c.n
    union select ${columns} from ${records} r where r.control_source is null and r.control_number = any(${textArray(withoutSource)})`);
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
    const id = keyMatches(x) ? this.byKey.get(x.matchKey) : undefined;
    return id ? { id, basis: 'key' } : null;
  }
}

/**
 * Whether the server compresses with LZ4: records are stored compressed (their MARC is larger
 * than a page's share), and LZ4 compresses several times faster than the default pglz.
 */
async function hasLz4(db: Db): Promise<boolean> {
  const [row] = await rowsOf<{ lz4: boolean }>(db, sql`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`);
  return row?.lz4 === true;
}

/** Owners (institution ids) of the barcodes already in the catalogue. */
async function barcodeOwners(db: Db, barcodes: Set<string>): Promise<Map<string, string>> {
  const taken = new Map<string, string>();
  if (!barcodes.size) return taken;
  const owners = await rowsOf<{ barcode: string; institutionId: string }>(db,
    sql`select barcode, institution_id as "institutionId" from ${items} where barcode = any(${textArray(barcodes)})`);
  for (const r of owners) taken.set(r.barcode, r.institutionId);
  return taken;
}

interface BatchResult { added: number; merged: number; unchanged: number; itemsAdded: number; problems: ImportProblem[] }

interface BatchContext {
  institutionId: string;
  importId: string;
  libraryCode: string;
  createdBy: string | null;
  /** Words of the did-you-mean vocabulary already written by this import. */
  knownTerms: Set<string>;
  lz4: boolean;
}

/** The folded words of a new record that go into the did-you-mean vocabulary. */
function termsOf(x: Extracted): string[] {
  return `${x.titleFolded} ${x.authorFolded} ${x.subjectFolded}`.split(' ').filter((w) => w.length >= 3 && w.length <= 40);
}

/** The copies of one incoming record that are not in the catalogue yet; those another library holds are reported. */
function newCopies(ctx: BatchContext, b: Incoming, drafts: ItemDraft[], taken: Map<string, string>, result: BatchResult): ItemDraft[] {
  const fresh: ItemDraft[] = [];
  for (const d of drafts) {
    const owner = taken.get(d.barcode);
    if (owner === undefined) {
      taken.set(d.barcode, ctx.institutionId);
      fresh.push(d);
    } else if (owner !== ctx.institutionId && result.problems.length < MAX_PROBLEMS) {
      result.problems.push({ recordNumber: b.recordNumber, offset: b.offset, code: 'barcode-taken', message: `Record ${b.recordNumber}: barcode ${d.barcode} belongs to another library; that copy was not added` });
    }
  }
  return fresh;
}

async function importBatch(db: Db, ctx: BatchContext, batch: Incoming[]): Promise<BatchResult> {
  const result: BatchResult = { added: 0, merged: 0, unchanged: 0, itemsAdded: 0, problems: [] };
  const matcher = new Matcher();
  for (const row of await findMatches(db, batch)) matcher.add(row.id, row);
  const drafts = batch.map((b) => itemDrafts(b.marc, b.x, ctx.libraryCode));
  const taken = await barcodeOwners(db, new Set(drafts.flat().map((d) => d.barcode)));
  const newRecords: Array<ReturnType<typeof recordRow>> = [];
  const newItems: Array<typeof items.$inferInsert> = [];
  const newMerges: Array<typeof merges.$inferInsert> = [];
  const vocabulary = new Set<string>();
  batch.forEach((b, i) => {
    const match = matcher.find(b.x);
    const recordId = match?.id ?? randomUUID();
    const attached = newCopies(ctx, b, drafts[i] ?? [], taken, result).map((d) => {
      const id = randomUUID();
      newItems.push({ id, recordId, institutionId: ctx.institutionId, ...d });
      return id;
    });
    result.itemsAdded += attached.length;
    if (!match) {
      newRecords.push(recordRow(recordId, b.marc, b.x, ctx.createdBy));
      matcher.add(recordId, b.x);
      for (const w of termsOf(b.x)) if (!ctx.knownTerms.has(w)) vocabulary.add(w);
      result.added++;
    } else if (attached.length) {
      newMerges.push({ recordId, institutionId: ctx.institutionId, importId: ctx.importId, matchedBy: match.basis, incoming: b.marc, itemIds: attached });
      result.merged++;
    } else {
      result.unchanged++;
    }
  });
  await insertMany(db, records, newRecords);
  await insertMany(db, items, newItems);
  await insertMany(db, merges, newMerges);
  if (vocabulary.size) await db.execute(sql`insert into ${terms} (term) select * from json_array_elements_text(${JSON.stringify([...vocabulary])}::json) on conflict do nothing`);
  for (const w of vocabulary) ctx.knownTerms.add(w);
  return result;
}

interface PendingBatch {
  records: Incoming[];
  /** Records rejected while this batch was read. */
  rejected: number;
  /** Records read up to the end of this batch. */
  read: number;
}

function emptyBatch(): Omit<PendingBatch, 'read'> {
  return { records: [], rejected: 0 };
}

/**
 * Writes batches one transaction each, in order. A batch is written while the next one is read
 * and extracted, but only after the one before it committed, so it sees every record the file
 * added before it.
 */
class BatchWriter {
  private inFlight: Promise<void> = Promise.resolve();
  private rejectedSoFar = 0;

  constructor(
    private readonly db: Db,
    private readonly ctx: BatchContext,
    private readonly report: MarcImportReport,
    private readonly onProgress: MarcImportOptions['onProgress'],
  ) {}

  /** Waits for the batch before, then starts this one. */
  async write(batch: PendingBatch): Promise<void> {
    await this.inFlight;
    this.inFlight = this.commit(batch);
    this.inFlight.catch(() => undefined);
  }

  finished(): Promise<void> {
    return this.inFlight;
  }

  /** Waits for the batch being written, whatever its outcome (before giving up on the file). */
  async settled(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }

  private async commit(batch: PendingBatch): Promise<void> {
    const { ctx, report } = this;
    const r = await this.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      if (ctx.lz4) await tx.execute(sql`set local default_toast_compression = lz4`);
      const res = batch.records.length ? await importBatch(tx, ctx, batch.records) : { added: 0, merged: 0, unchanged: 0, itemsAdded: 0, problems: [] };
      await tx.update(imports).set({
        added: sql`${imports.added} + ${res.added}`, merged: sql`${imports.merged} + ${res.merged}`,
        unchanged: sql`${imports.unchanged} + ${res.unchanged}`, rejected: sql`${imports.rejected} + ${batch.rejected}`,
      }).where(eq(imports.id, ctx.importId));
      return res;
    });
    report.added += r.added;
    report.merged += r.merged;
    report.unchanged += r.unchanged;
    report.itemsAdded += r.itemsAdded;
    this.rejectedSoFar += batch.rejected;
    for (const p of r.problems) if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
    this.onProgress?.({ records: batch.read, added: report.added, merged: report.merged, rejected: this.rejectedSoFar });
  }
}

/** Reads the file, extracts each record and hands the writer a batch at a time; bad records are reported. */
async function readBatches(source: Source, opts: MarcImportOptions, report: MarcImportReport, writer: BatchWriter): Promise<void> {
  const batchSize = opts.batchSize ?? 1000;
  let batch = emptyBatch();
  const reject = (p: ImportProblem) => {
    report.rejected++;
    batch.rejected++;
    if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
  };
  for await (const item of readerOf(source, opts.encoding)) {
    report.records++;
    // Reading and extracting is synchronous work: let the database's answers in now and then, so
    // the batch being written moves on while the next one is read.
    if (report.records % YIELD_EVERY === 0) await new Promise(setImmediate);
    const offset = item.offset ?? null;
    if (item.error) {
      reject({ recordNumber: item.recordNumber, offset, code: item.error.code, message: item.error.message });
    } else {
      const x = extract(item.record);
      if (!x.title) reject({ recordNumber: item.recordNumber, offset, code: 'no-title', message: `Record ${item.recordNumber}: field 245 $a (title) is missing` });
      else batch.records.push({ recordNumber: item.recordNumber, offset, marc: item.record, x });
    }
    if (batch.records.length >= batchSize) {
      await writer.write({ ...batch, read: report.records });
      batch = emptyBatch();
    }
  }
  await writer.write({ ...batch, read: report.records });
  await writer.finished();
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
  const ctx: BatchContext = {
    institutionId, importId: run.id, libraryCode, createdBy: actor.kind === 'user' || actor.kind === 'token' ? actor.userId : null,
    knownTerms: new Set(), lz4: await hasLz4(db),
  };
  const writer = new BatchWriter(db, ctx, report, opts.onProgress);
  try {
    await readBatches(source, opts, report, writer);
  } catch (err) {
    await writer.settled();
    throw err;
  }
  report.problems.sort((a, b) => a.recordNumber - b.recordNumber);
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
  await db.insert(records).values({ id, marc: m.incoming, ...x, createdBy: actor.kind === 'user' || actor.kind === 'token' ? actor.userId : null });
  if (m.itemIds.length) await db.update(items).set({ recordId: id, updatedAt: new Date() }).where(and(inArray(items.id, m.itemIds), eq(items.recordId, m.recordId)));
  await db.update(merges).set({ undoneAt: new Date(), undoneBy: actor.label, splitRecordId: id }).where(eq(merges.id, m.id));
  await recordAudit(db, actor, { action: 'catalogue.merge.undo', entityType: 'catalogue_merge', entityId: m.id, institutionId: m.institutionId, unitIds: scope.unitPath, before: { recordId: m.recordId }, after: { recordId: id } });
  return { recordId: id };
}
