CREATE TABLE "catalogue_changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"xid" bigint DEFAULT (pg_current_xact_id()::text::bigint) NOT NULL,
	"record_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "catalogue_changes_xid_idx" ON "catalogue_changes" USING btree ("xid");--> statement-breakpoint
CREATE INDEX "catalogue_changes_at_idx" ON "catalogue_changes" USING btree ("at");--> statement-breakpoint
CREATE FUNCTION "catalogue_note_record_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		INSERT INTO "catalogue_changes" ("record_id") SELECT DISTINCT "id" FROM old_rows;
	ELSE
		INSERT INTO "catalogue_changes" ("record_id") SELECT DISTINCT "id" FROM new_rows;
	END IF;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "catalogue_note_item_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO "catalogue_changes" ("record_id") SELECT DISTINCT "record_id" FROM new_rows;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO "catalogue_changes" ("record_id") SELECT DISTINCT "record_id" FROM old_rows;
	ELSE
		INSERT INTO "catalogue_changes" ("record_id")
			SELECT "record_id" FROM new_rows UNION SELECT "record_id" FROM old_rows;
	END IF;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "catalogue_records_changed_ins" AFTER INSERT ON "catalogue_records" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_note_record_changes"();--> statement-breakpoint
CREATE TRIGGER "catalogue_records_changed_upd" AFTER UPDATE ON "catalogue_records" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_note_record_changes"();--> statement-breakpoint
CREATE TRIGGER "catalogue_records_changed_del" AFTER DELETE ON "catalogue_records" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_note_record_changes"();--> statement-breakpoint
CREATE TRIGGER "catalogue_items_changed_ins" AFTER INSERT ON "catalogue_items" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_note_item_changes"();--> statement-breakpoint
CREATE TRIGGER "catalogue_items_changed_upd" AFTER UPDATE ON "catalogue_items" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_note_item_changes"();--> statement-breakpoint
CREATE TRIGGER "catalogue_items_changed_del" AFTER DELETE ON "catalogue_items" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_note_item_changes"();
