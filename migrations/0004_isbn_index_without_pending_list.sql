DROP INDEX "catalogue_records_isbns_idx";--> statement-breakpoint
CREATE INDEX "catalogue_records_isbns_idx" ON "catalogue_records" USING gin ("isbns") WITH (fastupdate=false);