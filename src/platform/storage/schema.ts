import { bigint, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every file in the store, by content hash, with the number of rows (of any module) that refer to
 * it. A file whose count falls to zero is removed by `sweepFiles`; backups carry the files listed
 * here.
 */
export const storedFiles = pgTable('stored_files', {
  hash: text('hash').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  refs: integer('refs').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
