import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { and, asc, count, countDistinct, eq, exists, gt, inArray, ne } from 'drizzle-orm';
import { institutionIdByCode } from '../orgs/index.js';
import type { Db } from '../platform/db/index.js';
import { issue, ValidationError } from '../platform/errors.js';
import {
  MARCXML_COLLECTION_END,
  MARCXML_COLLECTION_START,
  MarcWriteError,
  writeIso2709Record,
  writeMarcXml,
  writeMarcXmlRecord,
  type MarcRecord,
} from './marc/index.js';
import { items, records } from './schema.js';

export interface MarcExportOptions {
  /** A library's code: only records it holds copies of; omitted: the whole union catalogue. */
  libraryCode?: string;
  format: 'iso2709' | 'marcxml';
  out: Writable;
  onProgress?: (done: { records: number }) => void;
  /** Stops the export (a download the client gave up on): the promise rejects with the abort reason. */
  signal?: AbortSignal;
}

export interface MarcExportReport {
  records: number;
  /** Records a writer refused (too long for ISO 2709, ...): skipped, never written half, each named here and in a MARCXML file. */
  skipped: Array<{ id: string; reason: string }>;
}

const PAGE = 1000;

/** Writes the catalogue (or one library's part of it) as ISO 2709 or MARCXML, streaming by pages. */
export async function exportMarc(db: Db, opts: MarcExportOptions): Promise<MarcExportReport> {
  let institutionId: string | null = null;
  if (opts.libraryCode) {
    institutionId = await institutionIdByCode(db, opts.libraryCode);
    if (!institutionId) throw new ValidationError([issue('library', 'catalogue.import.unknownLibrary', { code: opts.libraryCode })]);
  }
  const report: MarcExportReport = { records: 0, skipped: [] };
  const write = async (chunk: string | Buffer) => {
    if (!opts.out.write(chunk)) await once(opts.out, 'drain', opts.signal ? { signal: opts.signal } : {});
  };
  if (opts.format === 'marcxml') await write(MARCXML_COLLECTION_START);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    opts.signal?.throwIfAborted();
    const held = institutionId
      ? exists(
          db
            .select({ one: items.id })
            .from(items)
            .where(and(eq(items.recordId, records.id), eq(items.institutionId, institutionId), ne(items.status, 'withdrawn'))),
        )
      : undefined;
    const page = await db
      .select({ id: records.id, marc: records.marc })
      .from(records)
      .where(and(gt(records.id, after), held))
      .orderBy(asc(records.id))
      .limit(PAGE);
    for (const row of page) {
      const marc: MarcRecord = row.marc;
      try {
        await write(opts.format === 'iso2709' ? writeIso2709Record(marc) : `${writeMarcXmlRecord(marc, { namespace: false })}\n`);
        report.records++;
      } catch (err) {
        if (!(err instanceof MarcWriteError)) throw err;
        report.skipped.push({ id: row.id, reason: err.message });
      }
    }
    opts.onProgress?.({ records: report.records });
    const last = page[page.length - 1];
    if (!last || page.length < PAGE) break;
    after = last.id;
  }
  if (opts.format === 'marcxml') {
    // A download cannot change its status once streaming: the records left out are named in the file itself.
    for (const s of report.skipped) await write(`<!-- record ${s.id} was left out: ${s.reason.replaceAll('--', '- -')} -->\n`);
    await write(MARCXML_COLLECTION_END);
  }
  return report;
}

/** How many records an export would hold: the whole union catalogue, and each library's part of it. */
export async function exportSizes(db: Db, institutionIds: string[]): Promise<{ union: number; byLibrary: Map<string, number> }> {
  const [all] = await db.select({ n: count() }).from(records);
  const rows = institutionIds.length
    ? await db
        .select({ id: items.institutionId, n: countDistinct(items.recordId) })
        .from(items)
        .where(and(inArray(items.institutionId, institutionIds), ne(items.status, 'withdrawn')))
        .groupBy(items.institutionId)
    : [];
  return { union: all?.n ?? 0, byLibrary: new Map(rows.map((r) => [r.id, r.n])) };
}

/** One record as an ISO 2709 or MARCXML file; a record no writer can carry answers 422 with the writer's reason. */
export function recordFile(marc: MarcRecord, format: MarcExportOptions['format']): Buffer | string {
  try {
    return format === 'iso2709' ? writeIso2709Record(marc) : writeMarcXml([marc]);
  } catch (err) {
    if (!(err instanceof MarcWriteError)) throw err;
    throw new ValidationError([issue('marc', 'catalogue.export.unwritable', { reason: err.message })]);
  }
}
