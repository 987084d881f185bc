-- Leaner catalogue rows, so that imports write less per record: the MARC record as JSON text
-- (nothing queries inside it), no stored tsvector and its GIN index (search is served by each
-- process's in-memory index; the SQL fallback matches folded words), no indexes on sort key and
-- year, and one change row per statement instead of one per record.
DROP INDEX "catalogue_records_search_idx";--> statement-breakpoint
DROP INDEX "catalogue_records_sort_idx";--> statement-breakpoint
DROP INDEX "catalogue_records_year_idx";--> statement-breakpoint
ALTER TABLE "catalogue_records" DROP COLUMN "search_doc";--> statement-breakpoint
ALTER TABLE "catalogue_records" ALTER COLUMN "marc" SET DATA TYPE text USING "marc"::text;--> statement-breakpoint
DELETE FROM "catalogue_changes";--> statement-breakpoint
ALTER TABLE "catalogue_changes" DROP COLUMN "record_id";--> statement-breakpoint
ALTER TABLE "catalogue_changes" ADD COLUMN "record_ids" uuid[] NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "catalogue_note_record_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		INSERT INTO "catalogue_changes" ("record_ids") SELECT array_agg(DISTINCT "id") FROM old_rows HAVING count(*) > 0;
	ELSE
		INSERT INTO "catalogue_changes" ("record_ids") SELECT array_agg(DISTINCT "id") FROM new_rows HAVING count(*) > 0;
	END IF;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "catalogue_note_item_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO "catalogue_changes" ("record_ids") SELECT array_agg(DISTINCT "record_id") FROM new_rows HAVING count(*) > 0;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO "catalogue_changes" ("record_ids") SELECT array_agg(DISTINCT "record_id") FROM old_rows HAVING count(*) > 0;
	ELSE
		INSERT INTO "catalogue_changes" ("record_ids")
			SELECT array_agg("record_id") FROM (SELECT "record_id" FROM new_rows UNION SELECT "record_id" FROM old_rows) changed HAVING count(*) > 0;
	END IF;
	RETURN NULL;
END $$;
