import { inArray } from 'drizzle-orm';
import type { Db } from '../platform/db/index.js';
import type { EntityNamer } from '../platform/module.js';
import { records } from './schema.js';

/** Titles of records by id, for the audit log (a copy's record, a deleted record's history). */
async function recordTitles(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: records.id, title: records.title }).from(records).where(inArray(records.id, ids));
  return new Map(rows.map((r) => [r.id, r.title]));
}

/** What the audit log shows instead of the ids of bibliographic records. */
export const catalogueEntityNames: EntityNamer[] = [{ kind: 'catalogue_record', fields: ['recordId'], names: recordTitles }];
