/**
 * The reading half of a MARC import: records read from the file, checked, extracted and turned
 * into the rows the writer needs, a batch at a time. It runs in the importing thread for a small
 * file and in a worker thread for a large one (import-worker.ts), so that reading the next batch
 * and writing the last one go on at the same time.
 */
import { createHash, randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { normalizeVi } from '../platform/text/index.js';
import { extract, type Extracted } from './extract.js';
import {
  getControlValue,
  isDataField,
  makeExportable,
  packMarc,
  parseIso2709,
  parseMarcXml,
  readIso2709File,
  readMarcXmlFile,
  subfieldValues,
  type MarcEncoding,
  type MarcReadItem,
  type MarcRecord,
} from './marc/index.js';

export type ImportSource = { bytes: Uint8Array; fileName?: string } | { path: string };

/** One record that was not imported, or an item that was not attached. */
export interface ImportProblem {
  recordNumber: number;
  offset: number | null;
  /** 'error': the record was not imported; 'warning': it was, with what the message says repaired or guessed. */
  severity: 'error' | 'warning';
  /** A MARC reader issue code, or 'no-title' / 'barcode-taken' / 'cleaned' / 'holdings-unknown'. */
  code: string;
  /** English detail naming the record and the place. */
  message: string;
}

export interface ItemDraft {
  barcode: string;
  callNumber: string | null;
  location: string | null;
  price: number | null;
  acquiredOn: string | null;
  note: string | null;
}

/** What the writer matches a record by against the catalogue. */
export type MatchKeys = Pick<Extracted, 'isbns' | 'controlNumber' | 'controlSource' | 'matchKey'>;

export interface PreparedRecord {
  recordNumber: number;
  offset: number | null;
  /** The id the record gets if it is new. */
  id: string;
  /** Its catalogue_records row (the id, the packed MARC, what extract() draws, the creator) as JSON text. */
  row: string;
  keys: MatchKeys;
  /** The folded words of title, authors and subjects, for the did-you-mean vocabulary. */
  terms: string[];
  drafts: ItemDraft[];
}

/** A holdings record (leader/06 x, y, v, u): its copies go to the record its 004 names. */
export interface PreparedHoldings {
  recordNumber: number;
  offset: number | null;
  /** The control number (001) of the bibliographic record, from 004. */
  of: string;
  drafts: ItemDraft[];
}

export interface PreparedBatch {
  records: PreparedRecord[];
  holdings: PreparedHoldings[];
  /** What was repaired or guessed in the records of this batch that were read. */
  warnings: ImportProblem[];
  /** The rows' property names (the same for every row). */
  rowKeys: string[];
  /** Records rejected while this batch was read. */
  rejected: ImportProblem[];
  /** Records read up to the end of this batch. */
  read: number;
}

export interface PrepareOptions {
  encoding?: MarcEncoding;
  /** Records per batch (and at most as many rejected ones). */
  batchSize: number;
  libraryCode: string;
  createdBy: string | null;
}

/** Leader/06 of holdings records: single-part, serial, multipart item holdings, unknown. */
const HOLDINGS_TYPES = ['x', 'y', 'v', 'u'];

function emptyBatch(): PreparedBatch {
  return { records: [], holdings: [], warnings: [], rowKeys: [], rejected: [], read: 0 };
}

/** Records read between two looks at the event loop, when reading shares its thread with the writer. */
const YIELD_EVERY = 16;

function isXml(head: Uint8Array): boolean {
  const text = Buffer.from(head)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return text.startsWith('<');
}

async function* readerOf(source: ImportSource, encoding: MarcEncoding | undefined): AsyncGenerator<MarcReadItem> {
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
function itemDrafts(marc: MarcRecord, x: Extracted, libraryCode: string): ItemDraft[] {
  const out: ItemDraft[] = [];
  const seen = new Map<string, number>();
  const identity = x.controlNumber ? `${x.controlSource ?? ''}/${x.controlNumber}` : (x.isbns[0] ?? x.matchKey);
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

/** The folded words of a record that go into the did-you-mean vocabulary. */
function termsOf(x: Extracted): string[] {
  return `${x.titleFolded} ${x.authorFolded} ${x.subjectFolded}`.split(' ').filter((w) => w.length >= 3 && w.length <= 40);
}

function prepare(
  record: MarcRecord,
  x: Extracted,
  recordNumber: number,
  offset: number | null,
  opts: PrepareOptions,
): { row: object; prepared: PreparedRecord } {
  const id = randomUUID();
  const row = { id, marc: packMarc(record), ...x, createdBy: opts.createdBy };
  return {
    row,
    prepared: {
      recordNumber,
      offset,
      id,
      row: JSON.stringify(row),
      keys: { isbns: x.isbns, controlNumber: x.controlNumber, controlSource: x.controlSource, matchKey: x.matchKey },
      terms: termsOf(x),
      drafts: itemDrafts(record, x, opts.libraryCode),
    },
  };
}

/**
 * Reads the source and yields its records in batches, ready to write; bad records (unreadable,
 * or without a title) are reported with their number and byte offset.
 */
export async function* prepareBatches(source: ImportSource, opts: PrepareOptions, sharedThread: boolean): AsyncGenerator<PreparedBatch> {
  let batch: PreparedBatch = emptyBatch();
  let read = 0;
  for await (const item of readerOf(source, opts.encoding)) {
    read++;
    // Reading is synchronous work: where it shares the writer's thread, let the database's
    // answers in now and then, so the batch being written moves on while this one is read.
    if (sharedThread && read % YIELD_EVERY === 0) await new Promise(setImmediate);
    const offset = item.offset ?? null;
    const { recordNumber } = item;
    const warn = (code: string, message: string) => batch.warnings.push({ recordNumber, offset, severity: 'warning', code, message });
    // A record read with U+FFFD in place of bytes that are not UTF-8 is kept, and the report says so.
    const kept = item.error?.code === 'invalid-utf8' ? item.record : undefined;
    if (item.error && !kept) {
      batch.rejected.push({ recordNumber, offset, severity: 'error', code: item.error.code, message: item.error.message });
    } else {
      for (const w of item.warnings) warn(w.code, w.message);
      if (kept && item.error) warn(item.error.code, `${item.error.message}; the record was kept with U+FFFD`);
      const { record: marc, cleanings } = makeExportable(item.record ?? (kept as MarcRecord));
      for (const c of cleanings) warn('cleaned', `Record ${recordNumber}${c.tag ? `, field ${c.tag}` : ''}: ${c.what}`);
      const x = extract(marc);
      if (HOLDINGS_TYPES.includes(marc.leader.charAt(6))) {
        const of = getControlValue(marc, '004')?.trim();
        if (of) batch.holdings.push({ recordNumber, offset, of, drafts: itemDrafts(marc, x, opts.libraryCode) });
        else
          batch.rejected.push({
            recordNumber,
            offset,
            severity: 'error',
            code: 'holdings-unknown',
            message: `Record ${recordNumber}: holdings record without 004 (the record it belongs to)`,
          });
      } else if (!x.title) {
        batch.rejected.push({
          recordNumber,
          offset,
          severity: 'error',
          code: 'no-title',
          message: `Record ${recordNumber}: field 245 (title) is missing or empty`,
        });
      } else {
        const { row, prepared } = prepare(marc, x, recordNumber, offset, opts);
        if (!batch.rowKeys.length) batch.rowKeys = Object.keys(row);
        batch.records.push(prepared);
      }
    }
    if ([batch.records, batch.rejected, batch.warnings, batch.holdings].some((list) => list.length >= opts.batchSize)) {
      yield { ...batch, read };
      batch = emptyBatch();
    }
  }
  yield { ...batch, read };
}
