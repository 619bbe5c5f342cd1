CREATE TABLE "template_versions" (
	"uid" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"labels" json DEFAULT '{}'::json NOT NULL,
	"spec" json NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"resource_version" bigint DEFAULT nextval('resource_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"template_uid" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"uid" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"labels" json DEFAULT '{}'::json NOT NULL,
	"spec" json NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"resource_version" bigint DEFAULT nextval('resource_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tenant_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federated_namespaces" (
	"uid" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"labels" json DEFAULT '{}'::json NOT NULL,
	"spec" json NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"resource_version" bigint DEFAULT nextval('resource_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tenant_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_revisions" (
	"app_uid" uuid NOT NULL,
	"revision" integer NOT NULL,
	"generation" integer NOT NULL,
	"spec" json NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "app_revisions_app_uid_revision_pk" PRIMARY KEY("app_uid","revision")
);
--> statement-breakpoint
CREATE TABLE "apps" (
	"uid" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"labels" json DEFAULT '{}'::json NOT NULL,
	"spec" json NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"resource_version" bigint DEFAULT nextval('resource_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "placements" (
	"cluster_uid" uuid NOT NULL,
	"owner_uid" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"owner_kind" text NOT NULL,
	"owner_name" text NOT NULL,
	"content_hash" text,
	"revision" integer NOT NULL,
	"deletion_policy" text DEFAULT 'Delete' NOT NULL,
	"error" text,
	CONSTRAINT "placements_cluster_uid_owner_uid_pk" PRIMARY KEY("cluster_uid","owner_uid")
);
--> statement-breakpoint
CREATE TABLE "rendered_contents" (
	"hash" text PRIMARY KEY NOT NULL,
	"objects" json NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_tenant_id_tenants_uid_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_template_uid_templates_uid_fk" FOREIGN KEY ("template_uid") REFERENCES "public"."templates"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "templates" ADD CONSTRAINT "templates_tenant_id_tenants_uid_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "federated_namespaces" ADD CONSTRAINT "federated_namespaces_tenant_id_tenants_uid_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_revisions" ADD CONSTRAINT "app_revisions_app_uid_apps_uid_fk" FOREIGN KEY ("app_uid") REFERENCES "public"."apps"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apps" ADD CONSTRAINT "apps_tenant_id_tenants_uid_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placements" ADD CONSTRAINT "placements_cluster_uid_clusters_uid_fk" FOREIGN KEY ("cluster_uid") REFERENCES "public"."clusters"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placements" ADD CONSTRAINT "placements_tenant_id_tenants_uid_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placements" ADD CONSTRAINT "placements_content_hash_rendered_contents_hash_fk" FOREIGN KEY ("content_hash") REFERENCES "public"."rendered_contents"("hash") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "template_versions_template_name_key" ON "template_versions" USING btree ("template_uid","name");--> statement-breakpoint
CREATE UNIQUE INDEX "templates_tenant_name_key" ON "templates" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "federated_namespaces_tenant_name_key" ON "federated_namespaces" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "apps_tenant_name_key" ON "apps" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "placements_owner_idx" ON "placements" USING btree ("owner_uid");