ALTER TABLE "placements" DROP CONSTRAINT "placements_content_hash_rendered_contents_hash_fk";
--> statement-breakpoint
ALTER TABLE "placements" DROP CONSTRAINT "placements_pending_hash_rendered_contents_hash_fk";
--> statement-breakpoint
-- Room in each page for a row's next version, so that updates of unindexed columns stay on the page
-- (HOT) without touching any index: a fan-out moves every placed cluster's desired revision, and each
-- status report moves its placements' verdict. Rows stored before this take effect when rewritten.
ALTER TABLE "clusters" SET (fillfactor = 70);
--> statement-breakpoint
ALTER TABLE "placements" SET (fillfactor = 80);
