import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { and, eq, getTableColumns, inArray, sql, type SQL, type SQLChunk } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { institutionIdByCode, institutionScope } from '../orgs/index.js';
import { authorize, type Actor } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import { rowsOf, withTransaction, type Db } from '../platform/db/index.js';
import { issue, NotFoundError, ValidationError } from '../platform/errors.js';
import { extract } from './extract.js';
import {
  prepareBatches,
  type ImportProblem,
  type ImportSource,
  type ItemDraft,
  type MatchKeys,
  type PreparedBatch,
  type PrepareOptions,
  type PreparedRecord,
} from './import-prepare.js';
import type { WorkerInput, WorkerMessage } from './import-worker.js';
import { unpackFields, type MarcEncoding, type PackedMarc } from './marc/index.js';
import { imports, items, merges, records, terms } from './schema.js';

export type { ImportProblem } from './import-prepare.js';

export interface MarcImportReport {
  importId: string;
  institutionId: string;
  records: number;
  added: number;
  merged: number;
  unchanged: number;
  rejected: number;
  itemsAdded: number;
  /** Holdings records whose copies were attached to their bibliographic record. */
  holdings: number;
  /** Warnings: records read, but with something repaired, guessed or cleaned (each listed in problems). */
  warnings: number;
  problems: ImportProblem[];
}

export interface MarcImportOptions {
  libraryCode: string;
  encoding?: MarcEncoding;
  /** Records per transaction (1000 unless given). */
  batchSize?: number;
  /**
   * Read and prepare the file in a worker thread while this one writes: by default for a file
   * of WORKER_FROM_BYTES or more, where it pays for the worker's start.
   */
  worker?: boolean;
  onProgress?: (done: { records: number; added: number; merged: number; rejected: number }) => void;
}

const MAX_PROBLEMS = 1000;
/** An import that adds or merges this many records analyzes the catalogue's tables when it ends. */
const ANALYZE_FROM = 1000;
/** From this size on, a file is read in a worker thread (about 4,000 records). */
const WORKER_FROM_BYTES = 8 * 2 ** 20;

/**
 * Inserts rows given as JSON texts of objects with the same keys (the table's property names), in
 * one statement whose only parameter is the rows as one JSON array: one round trip and one bind
 * value, whatever the batch size. Values go in as they are, without the columns' conversions.
 */
async function insertJson(db: Db, table: PgTable, keys: readonly string[], rows: readonly string[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => keys.includes(key));
  const list = (f: (key: string, column: (typeof columns)[number][1]) => SQLChunk) =>
    sql.join(
      columns.map(([key, column]) => f(key, column)),
      sql`, `,
    );
  await db.execute(sql`insert into ${table} (${list((_, c) => sql.identifier(c.name))})
    select ${list((key) => sql`r.${sql.identifier(key)}`)}
    from json_to_recordset(${`[${rows.join(',')}]`}::json) as r(${list((key, c) => sql`${sql.identifier(key)} ${sql.raw(c.getSQLType())}`)})`);
}

/** Inserts rows of one shape (the first row's keys) with insertJson. */
async function insertMany(db: Db, table: PgTable, rows: object[]): Promise<void> {
  const [shape] = rows;
  if (shape)
    await insertJson(
      db,
      table,
      Object.keys(shape),
      rows.map((r) => JSON.stringify(r)),
    );
}

/** A JSON array parameter as a SQL text[] (one bind value however many strings). */
function textArray(values: Iterable<string>): SQL {
  return sql`array(select json_array_elements_text(${JSON.stringify([...values])}::json))`;
}

type MatchRow = { id: string; isbns: string[]; controlNumber: string | null; controlSource: string | null; matchKey: string };

/** Whether the title+author+year key may match: a record without ISBN whose key names more than a title. */
function keyMatches(x: MatchKeys): boolean {
  const [title, author, year] = x.matchKey.split('|');
  return Boolean(title && (author || year) && x.isbns.length === 0);
}

/** The records already in the catalogue that the batch may match, in one query whose every arm uses an index. */
async function findMatches(db: Db, batch: PreparedRecord[]): Promise<MatchRow[]> {
  const isbns = new Set(batch.flatMap((b) => b.keys.isbns));
  const keys = new Set(batch.filter((b) => keyMatches(b.keys)).map((b) => b.keys.matchKey));
  const withSource = batch
    .filter((b) => b.keys.controlNumber && b.keys.controlSource)
    .map((b) => ({ s: b.keys.controlSource, n: b.keys.controlNumber }));
  const withoutSource = new Set(batch.filter((b) => b.keys.controlNumber && !b.keys.controlSource).map((b) => b.keys.controlNumber as string));
  const columns = sql`r.id, r.isbns, r.control_number as "controlNumber", r.control_source as "controlSource", r.match_key as "matchKey"`;
  return rowsOf<MatchRow>(
    db,
    sql`
    select ${columns} from ${records} r where r.isbns && ${textArray(isbns)}
    union select ${columns} from ${records} r where r.match_key = any(${textArray(keys)})
    union select ${columns} from ${records} r join json_to_recordset(${JSON.stringify(withSource)}::json) as c(s text, n text) on r.control_source = c.s and r.control_number = c.n
    union select ${columns} from ${records} r where r.control_source is null and r.control_number = any(${textArray(withoutSource)})`,
  );
}

type Basis = 'isbn' | 'control' | 'key';

class Matcher {
  private byIsbn = new Map<string, string>();
  private byControl = new Map<string, string>();
  private byKey = new Map<string, string>();

  add(id: string, x: MatchKeys): void {
    for (const i of x.isbns) if (!this.byIsbn.has(i)) this.byIsbn.set(i, id);
    if (x.controlNumber) this.byControl.set(`${x.controlSource ?? ''}\u001f${x.controlNumber}`, id);
    if (!this.byKey.has(x.matchKey)) this.byKey.set(x.matchKey, id);
  }

  /** ISBN first, then 001+003, then the title+author+year key (only when it says enough). */
  find(x: MatchKeys): { id: string; basis: Basis } | null {
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
  const [row] = await rowsOf<{ lz4: boolean }>(
    db,
    sql`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
  );
  return row?.lz4 === true;
}

/** Owners (institution ids) of the barcodes already in the catalogue. */
async function barcodeOwners(db: Db, barcodes: Set<string>): Promise<Map<string, string>> {
  const taken = new Map<string, string>();
  if (!barcodes.size) return taken;
  const owners = await rowsOf<{ barcode: string; institutionId: string }>(
    db,
    sql`select barcode, institution_id as "institutionId" from ${items} where barcode = any(${textArray(barcodes)})`,
  );
  for (const r of owners) taken.set(r.barcode, r.institutionId);
  return taken;
}

interface BatchResult {
  added: number;
  merged: number;
  unchanged: number;
  itemsAdded: number;
  holdings: number;
  problems: ImportProblem[];
}

/** The record each holdings record of the batch belongs to (by 004 = 001): one of this batch's, or one in the catalogue. */
async function holdingsTargets(db: Db, batch: PreparedBatch, byControl: Map<string, string>): Promise<Map<string, string>> {
  const wanted = new Set(batch.holdings.map((h) => h.of).filter((of) => !byControl.has(of)));
  const found = new Map(byControl);
  if (!wanted.size) return found;
  const rows = await rowsOf<{ id: string; controlNumber: string }>(
    db,
    sql`select distinct on (control_number) id, control_number as "controlNumber" from ${records} where control_number = any(${textArray(wanted)}) order by control_number, created_at`,
  );
  for (const r of rows) found.set(r.controlNumber, r.id);
  return found;
}

interface BatchContext {
  institutionId: string;
  importId: string;
  /** Words of the did-you-mean vocabulary already written by this import. */
  knownTerms: Set<string>;
  lz4: boolean;
}

/** The copies of one incoming record that are not in the catalogue yet; those another library holds are reported. */
function newCopies(
  ctx: BatchContext,
  b: Pick<PreparedRecord, 'drafts' | 'recordNumber' | 'offset'>,
  taken: Map<string, string>,
  result: BatchResult,
): ItemDraft[] {
  const fresh: ItemDraft[] = [];
  for (const d of b.drafts) {
    const owner = taken.get(d.barcode);
    if (owner === undefined) {
      taken.set(d.barcode, ctx.institutionId);
      fresh.push(d);
    } else if (owner !== ctx.institutionId && result.problems.length < MAX_PROBLEMS) {
      result.problems.push({
        recordNumber: b.recordNumber,
        offset: b.offset,
        severity: 'warning',
        code: 'barcode-taken',
        message: `Record ${b.recordNumber}: barcode ${d.barcode} belongs to another library; that copy was not added`,
      });
    }
  }
  return fresh;
}

/** The MARC record of a prepared row, as the merge log keeps it. */
function incomingOf(b: PreparedRecord) {
  return unpackFields((JSON.parse(b.row) as { marc: PackedMarc }).marc);
}

async function importBatch(db: Db, ctx: BatchContext, batch: PreparedBatch): Promise<BatchResult> {
  const result: BatchResult = { added: 0, merged: 0, unchanged: 0, itemsAdded: 0, holdings: 0, problems: [] };
  const matcher = new Matcher();
  for (const row of await findMatches(db, batch.records)) matcher.add(row.id, row);
  const taken = await barcodeOwners(db, new Set([...batch.records, ...batch.holdings].flatMap((b) => b.drafts.map((d) => d.barcode))));
  const newRecords: string[] = [];
  const newItems: Array<typeof items.$inferInsert> = [];
  const newMerges: Array<typeof merges.$inferInsert> = [];
  const vocabulary = new Set<string>();
  const byControl = new Map<string, string>();
  for (const b of batch.records) {
    const match = matcher.find(b.keys);
    const recordId = match?.id ?? b.id;
    if (b.keys.controlNumber) byControl.set(b.keys.controlNumber, recordId);
    const attached = newCopies(ctx, b, taken, result).map((d) => {
      const id = randomUUID();
      newItems.push({ id, recordId, institutionId: ctx.institutionId, ...d });
      return id;
    });
    if (!match) {
      newRecords.push(b.row);
      matcher.add(recordId, b.keys);
      for (const w of b.terms) if (!ctx.knownTerms.has(w)) vocabulary.add(w);
      result.added++;
    } else if (attached.length) {
      newMerges.push({
        recordId,
        institutionId: ctx.institutionId,
        importId: ctx.importId,
        matchedBy: match.basis,
        incoming: incomingOf(b),
        itemIds: attached,
      });
      result.merged++;
    } else {
      result.unchanged++;
    }
  }
  await insertJson(db, records, batch.rowKeys, newRecords);
  const holders = await holdingsTargets(db, batch, byControl);
  for (const h of batch.holdings) {
    const recordId = holders.get(h.of);
    if (!recordId) {
      if (result.problems.length < MAX_PROBLEMS) {
        result.problems.push({
          recordNumber: h.recordNumber,
          offset: h.offset,
          severity: 'error',
          code: 'holdings-unknown',
          message: `Record ${h.recordNumber}: holdings record for unknown record ${h.of} (004); its copies were not added`,
        });
      }
      continue;
    }
    for (const d of newCopies(ctx, h, taken, result)) newItems.push({ id: randomUUID(), recordId, institutionId: ctx.institutionId, ...d });
    result.holdings++;
  }
  result.itemsAdded = newItems.length;
  await insertMany(db, items, newItems);
  await insertMany(db, merges, newMerges);
  if (vocabulary.size)
    await db.execute(
      sql`insert into ${terms} (term) select * from json_array_elements_text(${JSON.stringify([...vocabulary])}::json) on conflict do nothing`,
    );
  for (const w of vocabulary) ctx.knownTerms.add(w);
  return result;
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
  async write(batch: PreparedBatch): Promise<void> {
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

  private async commit(batch: PreparedBatch): Promise<void> {
    const { ctx, report } = this;
    const r = await withTransaction(this.db, async (tx) => {
      if (ctx.lz4) await tx.execute(sql`set local default_toast_compression = lz4`);
      const res =
        batch.records.length || batch.holdings.length
          ? await importBatch(tx, ctx, batch)
          : { added: 0, merged: 0, unchanged: 0, itemsAdded: 0, holdings: 0, problems: [] };
      await tx
        .update(imports)
        .set({
          added: sql`${imports.added} + ${res.added}`,
          merged: sql`${imports.merged} + ${res.merged}`,
          unchanged: sql`${imports.unchanged} + ${res.unchanged}`,
          rejected: sql`${imports.rejected} + ${batch.rejected.length}`,
        })
        .where(eq(imports.id, ctx.importId));
      return res;
    });
    report.added += r.added;
    report.merged += r.merged;
    report.unchanged += r.unchanged;
    report.itemsAdded += r.itemsAdded;
    report.holdings += r.holdings;
    this.rejectedSoFar += batch.rejected.length;
    for (const p of r.problems) if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
    this.onProgress?.({ records: batch.read, added: report.added, merged: report.merged, rejected: this.rejectedSoFar });
  }
}

/** The prepared batches of a source, read in a worker thread (see import-worker.ts). */
async function* preparedInWorker(input: WorkerInput): AsyncGenerator<PreparedBatch> {
  const worker = new Worker(new URL('./import-worker.mjs', import.meta.url), { workerData: input });
  const ready: PreparedBatch[] = [];
  const state: { finished: boolean; failure: Error | null; wake: (() => void) | null } = { finished: false, failure: null, wake: null };
  const fail = (err: Error) => {
    state.failure ??= err;
    state.wake?.();
  };
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'batch') ready.push(m.batch);
    else if (m.type === 'done') state.finished = true;
    else state.failure ??= new Error(m.message);
    state.wake?.();
  });
  worker.on('error', fail);
  worker.on('exit', () => {
    if (!state.finished) fail(new Error('The import worker stopped before the end of the file'));
  });
  try {
    for (;;) {
      const next = ready.shift();
      if (next) {
        worker.postMessage('next');
        yield next;
      } else if (state.failure) {
        throw state.failure;
      } else if (state.finished) {
        return;
      } else {
        await new Promise<void>((resolve) => {
          state.wake = resolve;
        });
        state.wake = null;
      }
    }
  } finally {
    await worker.terminate();
  }
}

async function useWorker(source: ImportSource, asked: boolean | undefined): Promise<boolean> {
  if (asked !== undefined) return asked;
  const size = 'bytes' in source ? source.bytes.byteLength : (await stat(source.path)).size;
  return size >= WORKER_FROM_BYTES;
}

/** Reads the source batch by batch and hands each batch to the writer; bad records are reported. */
async function readBatches(
  source: ImportSource,
  opts: MarcImportOptions,
  prep: PrepareOptions,
  report: MarcImportReport,
  writer: BatchWriter,
): Promise<void> {
  const batches = (await useWorker(source, opts.worker)) ? preparedInWorker({ source, opts: prep }) : prepareBatches(source, prep, true);
  for await (const batch of batches) {
    report.records = batch.read;
    report.rejected += batch.rejected.length;
    report.warnings += batch.warnings.length;
    for (const p of [...batch.rejected, ...batch.warnings]) if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
    await writer.write(batch);
  }
  await writer.finished();
}

/**
 * Imports a MARC file (ISO 2709 or MARCXML, told apart by its first bytes) into the union catalogue
 * for one library, one transaction per batch. A record matching one already there (ISBN, 001+003,
 * title+author+year) gets the new copies attached and is logged as a merge; running the same file
 * again adds nothing. Bad records are reported with their number and byte offset; the rest go in.
 */
export async function importMarc(db: Db, actor: Actor, source: ImportSource, opts: MarcImportOptions): Promise<MarcImportReport> {
  const libraryCode = opts.libraryCode.trim().toUpperCase();
  const institutionId = await institutionIdByCode(db, libraryCode);
  if (!institutionId) throw new ValidationError([issue('library', 'catalogue.import.unknownLibrary', { code: opts.libraryCode })]);
  const scope = await institutionScope(db, institutionId);
  authorize(actor, 'catalogue.write', scope);
  const fileName = 'path' in source ? path.basename(source.path) : (source.fileName ?? 'upload');
  const [run] = await db.insert(imports).values({ institutionId, fileName, createdBy: actor.label }).returning({ id: imports.id });
  if (!run) throw new NotFoundError();
  const report: MarcImportReport = {
    importId: run.id,
    institutionId,
    records: 0,
    added: 0,
    merged: 0,
    unchanged: 0,
    rejected: 0,
    itemsAdded: 0,
    holdings: 0,
    warnings: 0,
    problems: [],
  };
  const ctx: BatchContext = { institutionId, importId: run.id, knownTerms: new Set(), lz4: await hasLz4(db) };
  const prep: PrepareOptions = {
    batchSize: opts.batchSize ?? 1000,
    libraryCode,
    createdBy: actor.kind === 'user' || actor.kind === 'token' ? actor.userId : null,
    ...(opts.encoding ? { encoding: opts.encoding } : {}),
  };
  const writer = new BatchWriter(db, ctx, report, opts.onProgress);
  try {
    await readBatches(source, opts, prep, report, writer);
  } catch (err) {
    await writer.settled();
    throw err;
  }
  report.problems.sort((a, b) => a.recordNumber - b.recordNumber);
  // The planner needs to know the catalogue grew before the next search reads a page of it: the
  // embedded database has no autovacuum, and a server's waits a while.
  if (report.added + report.merged >= ANALYZE_FROM) await db.execute(sql`analyze ${records}, ${items}`);
  await withTransaction(db, async (tx) => {
    await tx
      .update(imports)
      .set({ problems: report.problems.map((p) => ({ ...p })), finishedAt: new Date() })
      .where(eq(imports.id, run.id));
    await recordAudit(tx, actor, {
      action: 'catalogue.import',
      entityType: 'catalogue_import',
      entityId: run.id,
      institutionId,
      unitIds: scope.unitPath,
      after: {
        fileName,
        records: report.records,
        added: report.added,
        merged: report.merged,
        unchanged: report.unchanged,
        rejected: report.rejected,
        items: report.itemsAdded,
      },
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
  return db
    .select({
      id: merges.id,
      recordId: merges.recordId,
      institutionId: merges.institutionId,
      matchedBy: merges.matchedBy,
      createdAt: merges.createdAt,
      undoneAt: merges.undoneAt,
      itemCount: sql<number>`cardinality(${merges.itemIds})`,
    })
    .from(merges)
    .where(inArray(merges.institutionId, institutionIds))
    .orderBy(sql`${merges.createdAt} desc`)
    .limit(limit);
}

/** Undoes a merge: the incoming record becomes a record of its own again and takes its copies back. */
export async function undoMerge(db: Db, actor: Actor, mergeId: string): Promise<{ recordId: string }> {
  const [m] = await db.select().from(merges).where(eq(merges.id, mergeId)).for('update');
  if (!m) throw new NotFoundError();
  const scope = await institutionScope(db, m.institutionId);
  authorize(actor, 'catalogue.write', scope);
  if (m.undoneAt) throw new ValidationError([issue('merge', 'catalogue.merge.alreadyUndone')]);
  const id = randomUUID();
  const x = extract(m.incoming);
  await db.insert(records).values({ id, marc: m.incoming, ...x, createdBy: actor.kind === 'user' || actor.kind === 'token' ? actor.userId : null });
  if (m.itemIds.length)
    await db
      .update(items)
      .set({ recordId: id, updatedAt: new Date() })
      .where(and(inArray(items.id, m.itemIds), eq(items.recordId, m.recordId)));
  await db.update(merges).set({ undoneAt: new Date(), undoneBy: actor.label, splitRecordId: id }).where(eq(merges.id, m.id));
  await recordAudit(db, actor, {
    action: 'catalogue.merge.undo',
    entityType: 'catalogue_merge',
    entityId: m.id,
    institutionId: m.institutionId,
    unitIds: scope.unitPath,
    before: { recordId: m.recordId },
    after: { recordId: id },
  });
  return { recordId: id };
}
