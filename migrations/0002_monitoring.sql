CREATE TYPE "public"."booking_status" AS ENUM('requested', 'confirmed', 'proposed', 'declined', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."programme_kind" AS ENUM('event', 'class', 'club', 'museum_education');--> statement-breakpoint
CREATE TYPE "public"."programme_status" AS ENUM('draft', 'published', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."registration_status" AS ENUM('confirmed', 'waitlisted', 'cancelled');--> statement-breakpoint
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
ALTER TABLE "monitoring_indicator_versions" ADD CONSTRAINT "monitoring_indicator_versions_indicator_id_monitoring_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."monitoring_indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_reminders" ADD CONSTRAINT "monitoring_reminders_period_id_monitoring_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."monitoring_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_submission_events" ADD CONSTRAINT "monitoring_submission_events_submission_id_monitoring_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."monitoring_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_submissions" ADD CONSTRAINT "monitoring_submissions_period_id_monitoring_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."monitoring_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_attendance" ADD CONSTRAINT "programme_attendance_session_id_programme_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."programme_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_attendance" ADD CONSTRAINT "programme_attendance_registration_id_programme_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."programme_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_attendance" ADD CONSTRAINT "programme_attendance_booking_id_programme_group_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."programme_group_bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_group_bookings" ADD CONSTRAINT "programme_group_bookings_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_sessions" ADD CONSTRAINT "programme_sessions_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_campaign_id_programme_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."programme_campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_registrations" ADD CONSTRAINT "programme_registrations_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_reminders" ADD CONSTRAINT "programme_reminders_registration_id_programme_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."programme_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_reminders" ADD CONSTRAINT "programme_reminders_session_id_programme_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."programme_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_indicators_code_key" ON "monitoring_indicators" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_periods_key" ON "monitoring_periods" USING btree ("year","quarter");--> statement-breakpoint
CREATE INDEX "monitoring_submission_events_submission_idx" ON "monitoring_submission_events" USING btree ("submission_id");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_submissions_key" ON "monitoring_submissions" USING btree ("period_id","institution_id");--> statement-breakpoint
CREATE INDEX "monitoring_submissions_institution_idx" ON "monitoring_submissions" USING btree ("institution_id");--> statement-breakpoint
CREATE INDEX "monitoring_visit_months_month_idx" ON "monitoring_visit_months" USING btree ("month");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_visits_key" ON "monitoring_visits" USING btree ("institution_id","day","granularity","channel","purpose");--> statement-breakpoint
CREATE INDEX "monitoring_visits_day_idx" ON "monitoring_visits" USING btree ("day");--> statement-breakpoint
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