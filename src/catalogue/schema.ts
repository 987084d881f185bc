import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { packMarc, unpackMarc, type MarcRecord } from './marc/index.js';

/**
 * The full MARC record as compact JSON text (packMarc). Stored as text, not jsonb: nothing
 * queries inside it, and text is written without the server parsing and re-encoding every record
 * (a quarter of the cost of inserting a record on PostgreSQL).
 */
const marcJson = customType<{ data: MarcRecord; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => JSON.stringify(packMarc(value)),
  fromDriver: (value) => unpackMarc(value),
});

export const itemStatusEnum = pgEnum('catalogue_item_status', ['available', 'on_loan', 'in_transit', 'in_repair', 'lost', 'withdrawn']);
export const matchBasisEnum = pgEnum('catalogue_match_basis', ['isbn', 'control', 'key']);

/** One bibliographic record of the province's union catalogue: the full MARC and what is drawn from it. */
export const records = pgTable(
  'catalogue_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    marc: marcJson('marc').notNull(),
    /** 001 and 003, as found. */
    controlNumber: text('control_number'),
    controlSource: text('control_source'),
    title: text('title').notNull(),
    responsibility: text('responsibility'),
    authors: text('authors')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    publisher: text('publisher'),
    place: text('place'),
    year: smallint('year'),
    edition: text('edition'),
    /** Valid ISBNs as ISBN-13 without hyphens (ISBN-10s converted). */
    isbns: text('isbns')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Valid ISSNs as NNNN-NNNN. */
    issns: text('issns')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    language: text('language'),
    ddc: text('ddc'),
    /** The DDC main class (0-9), for the facet. */
    ddcClass: smallint('ddc_class'),
    subjects: text('subjects')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    series: text('series')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    physical: text('physical'),
    materialType: text('material_type').notNull(),
    notes: text('notes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    links: jsonb('links')
      .$type<Array<{ url: string; label: string | null }>>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Title words | first author's words (lowercase, marks kept) | year: the last resort of duplicate detection. */
    matchKey: text('match_key').notNull(),
    sortKey: text('sort_key').notNull(),
    /** Folded (foldVi) text per weighted part: title (A), authors (B), subjects (C), the rest (D). */
    titleFolded: text('title_folded').notNull(),
    authorFolded: text('author_folded').notNull(),
    subjectFolded: text('subject_folded').notNull(),
    restFolded: text('rest_folded').notNull(),
    /** The words of all parts with their tone marks (toneKeyVi), for the exact-tone bonus. */
    toneWords: text('tone_words')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Without a pending list: matching an import by ISBN reads the index alone, as fast at the millionth record as at the first.
    index('catalogue_records_isbns_idx').using('gin', t.isbns).with({ fastupdate: false }),
    index('catalogue_records_control_idx').on(t.controlSource, t.controlNumber),
    index('catalogue_records_match_idx').on(t.matchKey),
  ],
);

/** A copy held by one institution. Barcodes are unique across the province. */
export const items = pgTable(
  'catalogue_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => records.id, { onDelete: 'cascade' }),
    institutionId: uuid('institution_id').notNull(),
    barcode: text('barcode').notNull(),
    callNumber: text('call_number'),
    location: text('location'),
    status: itemStatusEnum('status').notNull().default('available'),
    /** Price in đồng. */
    price: integer('price'),
    acquiredOn: date('acquired_on'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('catalogue_items_barcode_idx').on(t.barcode),
    index('catalogue_items_record_idx').on(t.recordId),
    index('catalogue_items_institution_idx').on(t.institutionId, t.status),
  ],
);

/** An imported record that was attached to an existing one instead of being added; undoable. */
export const merges = pgTable(
  'catalogue_merges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => records.id, { onDelete: 'cascade' }),
    institutionId: uuid('institution_id').notNull(),
    importId: uuid('import_id'),
    matchedBy: matchBasisEnum('matched_by').notNull(),
    /** The incoming record as it was, to rebuild it on undo. */
    incoming: jsonb('incoming').$type<MarcRecord>().notNull(),
    itemIds: uuid('item_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    undoneBy: text('undone_by'),
    /** The record rebuilt by the undo. */
    splitRecordId: uuid('split_record_id'),
  },
  (t) => [index('catalogue_merges_record_idx').on(t.recordId), index('catalogue_merges_institution_idx').on(t.institutionId, t.createdAt)],
);

/** One import run and its report. */
export const imports = pgTable('catalogue_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  institutionId: uuid('institution_id').notNull(),
  fileName: text('file_name').notNull(),
  added: integer('added').notNull().default(0),
  merged: integer('merged').notNull().default(0),
  unchanged: integer('unchanged').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  problems: jsonb('problems')
    .$type<Array<{ recordNumber: number; offset: number | null; code: string; message: string }>>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** The folded words of titles, authors and subjects, for "did you mean". */
export const terms = pgTable(
  'catalogue_terms',
  {
    term: text('term').primaryKey(),
  },
  (t) => [index('catalogue_terms_trgm_idx').using('gin', sql`${t.term} gin_trgm_ops`)],
);

/**
 * Records whose search data changed (their text, or their items), written by triggers on
 * catalogue_records and catalogue_items: one row per statement, naming every record it touched.
 * The in-memory search index of each server process reads the rows it has not seen (by
 * transaction id, so a late commit is never missed) and reloads those records. Rows older than a
 * day are pruned.
 */
export const changes = pgTable(
  'catalogue_changes',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    /** The writing transaction (pg_current_xact_id), to read every commit exactly once. */
    xid: bigint('xid', { mode: 'number' })
      .notNull()
      .default(sql`(pg_current_xact_id()::text::bigint)`),
    recordIds: uuid('record_ids').array().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('catalogue_changes_xid_idx').on(t.xid), index('catalogue_changes_at_idx').on(t.at)],
);
