CREATE TABLE "app_rollouts" (
	"app_uid" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"generation" integer NOT NULL,
	"wave" integer NOT NULL,
	"state" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "phase_recorded" text;--> statement-breakpoint
ALTER TABLE "placements" ADD COLUMN "pending_hash" text;--> statement-breakpoint
ALTER TABLE "placements" ADD COLUMN "pending_revision" integer;--> statement-breakpoint
ALTER TABLE "placements" ADD COLUMN "released_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "placements" ADD COLUMN "report_revision" integer;--> statement-breakpoint
ALTER TABLE "placements" ADD COLUMN "report_phase" text;--> statement-breakpoint
ALTER TABLE "app_rollouts" ADD CONSTRAINT "app_rollouts_app_uid_apps_uid_fk" FOREIGN KEY ("app_uid") REFERENCES "public"."apps"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placements" ADD CONSTRAINT "placements_pending_hash_rendered_contents_hash_fk" FOREIGN KEY ("pending_hash") REFERENCES "public"."rendered_contents"("hash") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "placements_pending_hash_idx" ON "placements" USING btree ("pending_hash");--> statement-breakpoint
-- each placement's report verdict, from the reports stored before it was kept per placement (same rules as reportPhase in worker/domain/status/health.ts)
UPDATE "placements" p SET "report_revision" = (x.value->>'revision')::int, "report_phase" = (
  SELECT CASE
    WHEN bool_or(r->>'health' = 'Degraded') THEN 'Failed'
    WHEN coalesce(bool_and(r->>'health' = 'Healthy'), true) THEN 'Ready'
    WHEN bool_or(r->>'health' = 'Suspended') AND NOT bool_or(r->>'health' IN ('Missing', 'Progressing')) THEN 'Suspended'
    ELSE 'Progressing' END
  FROM json_array_elements(coalesce(x.value->'resources', '[]'::json)) r)
FROM "cluster_status_reports" s, json_array_elements(s."apps") x
WHERE s."cluster_uid" = p."cluster_uid" AND x.value->>'name' = p."owner_name" AND coalesce(x.value->>'kind', 'App') = p."owner_kind";
