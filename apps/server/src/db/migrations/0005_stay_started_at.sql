ALTER TABLE "stage_changes" ADD COLUMN "stay_started_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "stage_changes_stay_idx" ON "stage_changes" USING btree ("workspace_id","stay_started_at");--> statement-breakpoint
-- Backfill: each stage-moving change ends the stay started by the previous stage-moving change.
UPDATE "stage_changes" sc SET "stay_started_at" = prev.started
FROM (
  SELECT id, lag(changed_at) OVER (PARTITION BY opportunity_id ORDER BY changed_at, id) AS started, from_stage_id
  FROM "stage_changes" WHERE from_stage_id IS DISTINCT FROM to_stage_id
) prev
WHERE sc.id = prev.id AND prev.from_stage_id IS NOT NULL AND prev.started IS NOT NULL;
