CREATE SEQUENCE "public"."desired_revision_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "clusters" (
	"uid" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"labels" json DEFAULT '{}'::json NOT NULL,
	"spec" json NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"resource_version" bigint DEFAULT nextval('resource_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"desired_revision" bigint DEFAULT 0 NOT NULL,
	"credential_generation" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cluster_agents" (
	"cluster_uid" uuid PRIMARY KEY NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"last_heartbeat_at" timestamp with time zone,
	"ready" boolean DEFAULT false NOT NULL,
	"kubernetes_version" text,
	"node_count" integer,
	"connector_version" text,
	"applied_revision" bigint,
	"conditions" json DEFAULT '[]'::json NOT NULL
);
--> statement-breakpoint
CREATE TABLE "join_tokens" (
	"secret_hash" text PRIMARY KEY NOT NULL,
	"cluster_uid" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"object_kind" text NOT NULL,
	"object_name" text NOT NULL,
	"object_uid" uuid NOT NULL,
	"reason" text NOT NULL,
	"from_phase" text,
	"to_phase" text,
	"message" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cluster_status_reports" (
	"cluster_uid" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"revision" bigint NOT NULL,
	"apps" json NOT NULL,
	"reported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "desired_states" (
	"cluster_uid" uuid PRIMARY KEY NOT NULL,
	"revision" bigint NOT NULL,
	"objects" json NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clusters" ADD CONSTRAINT "clusters_tenant_id_tenants_uid_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cluster_agents" ADD CONSTRAINT "cluster_agents_cluster_uid_clusters_uid_fk" FOREIGN KEY ("cluster_uid") REFERENCES "public"."clusters"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_tokens" ADD CONSTRAINT "join_tokens_cluster_uid_clusters_uid_fk" FOREIGN KEY ("cluster_uid") REFERENCES "public"."clusters"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cluster_status_reports" ADD CONSTRAINT "cluster_status_reports_cluster_uid_clusters_uid_fk" FOREIGN KEY ("cluster_uid") REFERENCES "public"."clusters"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desired_states" ADD CONSTRAINT "desired_states_cluster_uid_clusters_uid_fk" FOREIGN KEY ("cluster_uid") REFERENCES "public"."clusters"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "clusters_tenant_name_key" ON "clusters" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "join_tokens_cluster_uid_idx" ON "join_tokens" USING btree ("cluster_uid");--> statement-breakpoint
CREATE INDEX "events_tenant_id_idx" ON "events" USING btree ("tenant_id","id");