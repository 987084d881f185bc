CREATE TYPE "public"."catalogue_item_status" AS ENUM('available', 'on_loan', 'in_transit', 'in_repair', 'lost', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."catalogue_match_basis" AS ENUM('isbn', 'control', 'key');--> statement-breakpoint
CREATE TABLE "catalogue_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"added" integer DEFAULT 0 NOT NULL,
	"merged" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "catalogue_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"barcode" text NOT NULL,
	"call_number" text,
	"location" text,
	"status" "catalogue_item_status" DEFAULT 'available' NOT NULL,
	"price" integer,
	"acquired_on" date,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalogue_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"import_id" uuid,
	"matched_by" "catalogue_match_basis" NOT NULL,
	"incoming" jsonb NOT NULL,
	"item_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	"undone_by" text,
	"split_record_id" uuid
);
--> statement-breakpoint
CREATE TABLE "catalogue_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"marc" jsonb NOT NULL,
	"control_number" text,
	"control_source" text,
	"title" text NOT NULL,
	"responsibility" text,
	"authors" text[] DEFAULT '{}'::text[] NOT NULL,
	"publisher" text,
	"place" text,
	"year" smallint,
	"edition" text,
	"isbns" text[] DEFAULT '{}'::text[] NOT NULL,
	"issns" text[] DEFAULT '{}'::text[] NOT NULL,
	"language" text,
	"ddc" text,
	"ddc_class" smallint,
	"subjects" text[] DEFAULT '{}'::text[] NOT NULL,
	"series" text[] DEFAULT '{}'::text[] NOT NULL,
	"physical" text,
	"material_type" text NOT NULL,
	"notes" text[] DEFAULT '{}'::text[] NOT NULL,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"match_key" text NOT NULL,
	"sort_key" text NOT NULL,
	"title_folded" text NOT NULL,
	"author_folded" text NOT NULL,
	"subject_folded" text NOT NULL,
	"rest_folded" text NOT NULL,
	"tone_words" text[] DEFAULT '{}'::text[] NOT NULL,
	"search_doc" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, title_folded), 'A') || setweight(to_tsvector('simple'::regconfig, author_folded), 'B') || setweight(to_tsvector('simple'::regconfig, subject_folded), 'C') || setweight(to_tsvector('simple'::regconfig, rest_folded), 'D')) STORED NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalogue_terms" (
	"term" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalogue_items" ADD CONSTRAINT "catalogue_items_record_id_catalogue_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."catalogue_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_merges" ADD CONSTRAINT "catalogue_merges_record_id_catalogue_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."catalogue_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "catalogue_items_barcode_idx" ON "catalogue_items" USING btree ("barcode");--> statement-breakpoint
CREATE INDEX "catalogue_items_record_idx" ON "catalogue_items" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "catalogue_items_institution_idx" ON "catalogue_items" USING btree ("institution_id","status");--> statement-breakpoint
CREATE INDEX "catalogue_merges_record_idx" ON "catalogue_merges" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "catalogue_merges_institution_idx" ON "catalogue_merges" USING btree ("institution_id","created_at");--> statement-breakpoint
CREATE INDEX "catalogue_records_search_idx" ON "catalogue_records" USING gin ("search_doc");--> statement-breakpoint
CREATE INDEX "catalogue_records_isbns_idx" ON "catalogue_records" USING gin ("isbns");--> statement-breakpoint
CREATE INDEX "catalogue_records_control_idx" ON "catalogue_records" USING btree ("control_source","control_number");--> statement-breakpoint
CREATE INDEX "catalogue_records_match_idx" ON "catalogue_records" USING btree ("match_key");--> statement-breakpoint
CREATE INDEX "catalogue_records_sort_idx" ON "catalogue_records" USING btree ("sort_key");--> statement-breakpoint
CREATE INDEX "catalogue_records_year_idx" ON "catalogue_records" USING btree ("year");--> statement-breakpoint
CREATE INDEX "catalogue_terms_trgm_idx" ON "catalogue_terms" USING gin ("term" gin_trgm_ops);