CREATE TABLE "gateway_routes" (
	"cluster_uid" uuid PRIMARY KEY NOT NULL,
	"replica" text NOT NULL,
	"url" text NOT NULL,
	"epoch" bigint NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "gateway_routes" ADD CONSTRAINT "gateway_routes_cluster_uid_clusters_uid_fk" FOREIGN KEY ("cluster_uid") REFERENCES "public"."clusters"("uid") ON DELETE cascade ON UPDATE no action;