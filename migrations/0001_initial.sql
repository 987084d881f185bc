CREATE TYPE "public"."catalogue_item_status" AS ENUM('available', 'on_loan', 'in_transit', 'in_repair', 'lost', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."catalogue_match_basis" AS ENUM('isbn', 'control', 'key');--> statement-breakpoint
CREATE TYPE "public"."institution_type" AS ENUM('library_provincial', 'library_district', 'library_commune', 'library_university', 'library_armed_forces', 'library_school', 'library_private_community', 'commune_cultural_post_office', 'museum_provincial', 'memorial_house', 'traditional_house', 'traditional_house_armed_forces', 'culture_centre_provincial', 'culture_centre_district', 'culture_centre_commune');--> statement-breakpoint
CREATE TYPE "public"."unit_level" AS ENUM('province', 'district', 'commune');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('staff', 'manager', 'unit_officer', 'dept_admin', 'sysadmin');--> statement-breakpoint
CREATE TYPE "public"."booking_status" AS ENUM('requested', 'confirmed', 'proposed', 'declined', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."programme_kind" AS ENUM('event', 'class', 'club', 'museum_education');--> statement-breakpoint
CREATE TYPE "public"."programme_status" AS ENUM('draft', 'published', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."registration_status" AS ENUM('confirmed', 'waitlisted', 'cancelled');--> statement-breakpoint
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
CREATE TABLE "monitoring_criteria" (
	"institution_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"criterion" text NOT NULL,
	"declared" boolean,
	"evidence_text" text,
	"evidence_url" text,
	"declared_by" text,
	"declared_at" timestamp with time zone,
	"override" boolean,
	"override_reason" text,
	"overridden_by" text,
	"overridden_at" timestamp with time zone,
	CONSTRAINT "monitoring_criteria_institution_id_year_criterion_pk" PRIMARY KEY("institution_id","year","criterion")
);
--> statement-breakpoint
CREATE TABLE "monitoring_indicator_versions" (
	"indicator_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"note" text,
	"changed_by" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monitoring_indicator_versions_indicator_id_version_pk" PRIMARY KEY("indicator_id","version")
);
--> statement-breakpoint
CREATE TABLE "monitoring_indicators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"definition" jsonb NOT NULL,
	"retired_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"year" integer NOT NULL,
	"quarter" integer,
	"deadline" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_reminders" (
	"period_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"days_before" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monitoring_reminders_period_id_institution_id_days_before_pk" PRIMARY KEY("period_id","institution_id","days_before")
);
--> statement-breakpoint
CREATE TABLE "monitoring_submission_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"submission_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"comment" text,
	"actor_label" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"values" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"observed" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"first_submitted_at" timestamp with time zone,
	"review_comment" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_visit_months" (
	"institution_id" uuid NOT NULL,
	"month" date NOT NULL,
	"channel" text NOT NULL,
	"visitors" integer NOT NULL,
	"school_group_visitors" integer NOT NULL,
	"estimated" integer NOT NULL,
	CONSTRAINT "monitoring_visit_months_institution_id_month_channel_pk" PRIMARY KEY("institution_id","month","channel")
);
--> statement-breakpoint
CREATE TABLE "monitoring_visits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"day" date NOT NULL,
	"granularity" text NOT NULL,
	"channel" text NOT NULL,
	"purpose" text NOT NULL,
	"visitors" integer NOT NULL,
	"school_group_visitors" integer DEFAULT 0 NOT NULL,
	"method" text NOT NULL,
	"source" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "admin_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"level" "unit_level" NOT NULL,
	"parent_id" uuid,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"name_folded" text NOT NULL,
	"sort_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "institutions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"type" "institution_type" NOT NULL,
	"unit_id" uuid NOT NULL,
	"parent_id" uuid,
	"address" text,
	"phone" text,
	"email" text,
	"website" text,
	"serves_public" boolean DEFAULT true NOT NULL,
	"opened_on" date,
	"closed_on" date,
	"note" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"name_folded" text NOT NULL,
	"sort_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_successions" (
	"predecessor_id" uuid NOT NULL,
	"successor_id" uuid NOT NULL,
	"effective_on" date NOT NULL,
	"share" text DEFAULT 'full' NOT NULL,
	"note" text,
	CONSTRAINT "unit_successions_predecessor_id_successor_id_pk" PRIMARY KEY("predecessor_id","successor_id")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_token_id" uuid,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"unit_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"institution_id" uuid,
	"before" jsonb,
	"after" jsonb,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"email" text NOT NULL,
	"role" "role" NOT NULL,
	"institution_id" uuid,
	"unit_id" uuid,
	"invited_by" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text DEFAULT 'email' NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"body_text" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "password_resets" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "role" NOT NULL,
	"institution_id" uuid,
	"unit_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "system_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text,
	"phone" text,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"locale" text DEFAULT 'vi' NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_attendance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"registration_id" uuid,
	"booking_id" uuid,
	"walk_in_name" text,
	"age_group" text,
	"headcount" smallint DEFAULT 1 NOT NULL,
	"method" text NOT NULL,
	"checked_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_in_by" uuid
);
--> statement-breakpoint
CREATE TABLE "programme_calendar_feeds" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_calendar_markers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text,
	"title" text NOT NULL,
	"description" text,
	"month" smallint NOT NULL,
	"day" smallint NOT NULL,
	"days" smallint DEFAULT 1 NOT NULL,
	"year" smallint,
	"unit_id" uuid,
	"hidden" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"unit_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_group_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"school" text NOT NULL,
	"class_name" text,
	"pupils" integer NOT NULL,
	"requested_date" date NOT NULL,
	"proposed_date" date,
	"status" "booking_status" DEFAULT 'requested' NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text
);
--> statement-breakpoint
CREATE TABLE "programmes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"kind" "programme_kind" NOT NULL,
	"status" "programme_status" DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"venue" text,
	"online_url" text,
	"starts_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"rrule" text,
	"exdates" date[] DEFAULT '{}'::date[] NOT NULL,
	"capacity" integer NOT NULL,
	"audiences" text[] DEFAULT '{}'::text[] NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"fee" integer DEFAULT 0 NOT NULL,
	"accessibility" text,
	"image_url" text,
	"campaign_id" uuid,
	"search_folded" text NOT NULL,
	"search_tone" text NOT NULL,
	"sort_key" text NOT NULL,
	"confirmed_count" integer DEFAULT 0 NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "registration_status" NOT NULL,
	"age_group" text,
	"code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "programme_reminders" (
	"registration_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_reminders_registration_id_session_id_pk" PRIMARY KEY("registration_id","session_id")
);
--> statement-breakpoint
ALTER TABLE "catalogue_items" ADD CONSTRAINT "catalogue_items_record_id_catalogue_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."catalogue_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_merges" ADD CONSTRAINT "catalogue_merges_record_id_catalogue_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."catalogue_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_indicator_versions" ADD CONSTRAINT "monitoring_indicator_versions_indicator_id_monitoring_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."monitoring_indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_reminders" ADD CONSTRAINT "monitoring_reminders_period_id_monitoring_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."monitoring_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_submission_events" ADD CONSTRAINT "monitoring_submission_events_submission_id_monitoring_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."monitoring_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_submissions" ADD CONSTRAINT "monitoring_submissions_period_id_monitoring_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."monitoring_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_units" ADD CONSTRAINT "admin_units_parent_id_admin_units_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."admin_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institutions" ADD CONSTRAINT "institutions_unit_id_admin_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."admin_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institutions" ADD CONSTRAINT "institutions_parent_id_institutions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_successions" ADD CONSTRAINT "unit_successions_predecessor_id_admin_units_id_fk" FOREIGN KEY ("predecessor_id") REFERENCES "public"."admin_units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_successions" ADD CONSTRAINT "unit_successions_successor_id_admin_units_id_fk" FOREIGN KEY ("successor_id") REFERENCES "public"."admin_units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_attendance" ADD CONSTRAINT "programme_attendance_session_id_programme_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."programme_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_attendance" ADD CONSTRAINT "programme_attendance_registration_id_programme_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."programme_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_attendance" ADD CONSTRAINT "programme_attendance_booking_id_programme_group_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."programme_group_bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_group_bookings" ADD CONSTRAINT "programme_group_bookings_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_sessions" ADD CONSTRAINT "programme_sessions_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_campaign_id_programme_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."programme_campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_registrations" ADD CONSTRAINT "programme_registrations_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_reminders" ADD CONSTRAINT "programme_reminders_registration_id_programme_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."programme_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_reminders" ADD CONSTRAINT "programme_reminders_session_id_programme_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."programme_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
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
CREATE INDEX "catalogue_terms_trgm_idx" ON "catalogue_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_indicators_code_key" ON "monitoring_indicators" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_periods_key" ON "monitoring_periods" USING btree ("year","quarter");--> statement-breakpoint
CREATE INDEX "monitoring_submission_events_submission_idx" ON "monitoring_submission_events" USING btree ("submission_id");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_submissions_key" ON "monitoring_submissions" USING btree ("period_id","institution_id");--> statement-breakpoint
CREATE INDEX "monitoring_submissions_institution_idx" ON "monitoring_submissions" USING btree ("institution_id");--> statement-breakpoint
CREATE INDEX "monitoring_visit_months_month_idx" ON "monitoring_visit_months" USING btree ("month");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_visits_key" ON "monitoring_visits" USING btree ("institution_id","day","granularity","channel","purpose");--> statement-breakpoint
CREATE INDEX "monitoring_visits_day_idx" ON "monitoring_visits" USING btree ("day");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_units_code_from_key" ON "admin_units" USING btree ("code","valid_from");--> statement-breakpoint
CREATE INDEX "admin_units_parent_idx" ON "admin_units" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "institutions_code_key" ON "institutions" USING btree ("code");--> statement-breakpoint
CREATE INDEX "institutions_unit_idx" ON "institutions" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "institutions_parent_idx" ON "institutions" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "unit_successions_successor_idx" ON "unit_successions" USING btree ("successor_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_user_id");--> statement-breakpoint
CREATE INDEX "outbox_status_idx" ON "outbox" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "role_grants_user_idx" ON "role_grants" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_key" ON "users" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_attendance_once_key" ON "programme_attendance" USING btree ("session_id","registration_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_attendance_booking_key" ON "programme_attendance" USING btree ("session_id","booking_id");--> statement-breakpoint
CREATE INDEX "programme_attendance_session_idx" ON "programme_attendance" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_calendar_feeds_token_key" ON "programme_calendar_feeds" USING btree ("token");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_calendar_markers_key" ON "programme_calendar_markers" USING btree ("key");--> statement-breakpoint
CREATE INDEX "programme_group_bookings_programme_idx" ON "programme_group_bookings" USING btree ("programme_id");--> statement-breakpoint
CREATE INDEX "programme_group_bookings_user_idx" ON "programme_group_bookings" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_sessions_start_key" ON "programme_sessions" USING btree ("programme_id","starts_at");--> statement-breakpoint
CREATE INDEX "programme_sessions_starts_idx" ON "programme_sessions" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "programmes_institution_idx" ON "programmes" USING btree ("institution_id");--> statement-breakpoint
CREATE INDEX "programmes_unit_idx" ON "programmes" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "programmes_campaign_idx" ON "programmes" USING btree ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_registrations_code_key" ON "programme_registrations" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_registrations_active_key" ON "programme_registrations" USING btree ("programme_id","user_id") WHERE "programme_registrations"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "programme_registrations_user_idx" ON "programme_registrations" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "programme_registrations_waitlist_idx" ON "programme_registrations" USING btree ("programme_id","status","created_at");