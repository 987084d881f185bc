CREATE TABLE "stored_files" (
	"hash" text PRIMARY KEY NOT NULL,
	"size" bigint NOT NULL,
	"refs" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
