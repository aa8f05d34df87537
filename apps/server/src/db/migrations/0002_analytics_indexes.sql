ALTER TABLE "opportunities" ADD COLUMN "lost_from_stage_id" uuid;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_lost_from_stage_id_stages_id_fk" FOREIGN KEY ("lost_from_stage_id") REFERENCES "public"."stages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_ups_ws_planned_idx" ON "follow_ups" USING btree ("workspace_id","planned_at");--> statement-breakpoint
CREATE INDEX "follow_ups_ws_occurred_idx" ON "follow_ups" USING btree ("workspace_id","occurred_at");--> statement-breakpoint
CREATE INDEX "opportunities_ws_won_date_idx" ON "opportunities" USING btree ("workspace_id","won_date");--> statement-breakpoint
CREATE INDEX "opportunities_ws_close_date_idx" ON "opportunities" USING btree ("workspace_id","expected_close_date");--> statement-breakpoint
CREATE INDEX "opportunities_ws_status_idx" ON "opportunities" USING btree ("workspace_id","status","stage_id");