CREATE TABLE "monitoring_evidence_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"criterion" text NOT NULL,
	"file_name" text NOT NULL,
	"kind" text NOT NULL,
	"bytes" integer NOT NULL,
	"stored_name" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_visit_years" (
	"institution_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"channel" text NOT NULL,
	"purpose" text NOT NULL,
	"visitors" bigint NOT NULL,
	"school_group_visitors" bigint NOT NULL,
	"estimated" bigint NOT NULL,
	CONSTRAINT "monitoring_visit_years_institution_id_year_channel_purpose_pk" PRIMARY KEY("institution_id","year","channel","purpose")
);
--> statement-breakpoint
CREATE INDEX "monitoring_evidence_files_criterion_idx" ON "monitoring_evidence_files" USING btree ("institution_id","year","criterion");--> statement-breakpoint
CREATE INDEX "monitoring_visit_years_year_idx" ON "monitoring_visit_years" USING btree ("year");--> statement-breakpoint
INSERT INTO "monitoring_visit_years" ("institution_id", "year", "channel", "purpose", "visitors", "school_group_visitors", "estimated")
SELECT "institution_id", extract(year from "day")::int, "channel", "purpose", sum("visitors"), sum("school_group_visitors"), sum(CASE WHEN "method" = 'estimated' THEN "visitors" ELSE 0 END)
FROM "monitoring_visits" GROUP BY 1, 2, 3, 4;
