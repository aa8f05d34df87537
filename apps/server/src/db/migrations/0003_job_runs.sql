CREATE TABLE "job_runs" (
	"workspace_id" uuid NOT NULL,
	"job" text NOT NULL,
	"last_run_at" timestamp with time zone NOT NULL,
	"result" jsonb,
	CONSTRAINT "job_runs_workspace_id_job_pk" PRIMARY KEY("workspace_id","job")
);
--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;