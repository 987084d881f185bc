import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import { monitoringCriteria } from '../schema.js';

/** What the indicators read of a criterion row: the declaration with its evidence, and an officer's override. */
export type CriterionFacts = Pick<
  typeof monitoringCriteria.$inferSelect,
  'institutionId' | 'criterion' | 'declared' | 'evidenceText' | 'evidenceUrl' | 'override' | 'overrideReason'
>;

type Packed = [string, string, boolean | null, string | null, string | null, boolean | null, string | null];

/**
 * The declarations and overrides of a year. They come back as one JSON document rather than a
 * row per institution and criterion: the embedded database decodes thousands of rows value by
 * value, which costs more than the query itself.
 */
export async function criteriaOfYear(db: Db, year: number): Promise<CriterionFacts[]> {
  const c = monitoringCriteria;
  const [row] = await db
    .select({
      packed: sql<string>`coalesce(json_agg(json_build_array(${c.institutionId}, ${c.criterion}, ${c.declared}, ${c.evidenceText}, ${c.evidenceUrl}, ${c.override}, ${c.overrideReason})), '[]')::text`,
    })
    .from(c)
    .where(eq(c.year, year));
  return (JSON.parse(row?.packed ?? '[]') as Packed[]).map(
    ([institutionId, criterion, declared, evidenceText, evidenceUrl, override, overrideReason]) => ({
      institutionId,
      criterion,
      declared,
      evidenceText,
      evidenceUrl,
      override,
      overrideReason,
    }),
  );
}
