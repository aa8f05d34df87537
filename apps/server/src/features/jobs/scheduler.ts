/**
 * Scheduled work inside `funnel serve`: the weekly priority recompute (SPEC F-3) of every
 * workspace, run when a week has passed since the last run (checked at start and every hour).
 * With several servers on one PostgreSQL, a row lock on job_runs makes one of them do it.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database';
import { queryRows } from '../../db/query';
import type { OpportunityService } from '../opportunities/opportunities.service';
import { listWorkspaces } from '../workspace/workspace.repository';

const WEEK_MS = 7 * 24 * 3_600_000;
export const PRIORITY_JOB = 'priority_recompute';

export async function runDueJobs(
  db: Db,
  opportunities: OpportunityService,
  now: Date,
): Promise<number> {
  let ran = 0;
  for (const workspace of await listWorkspaces(db)) {
    const due = await db.transaction(async (tx) => {
      await tx.execute(sql`insert into job_runs (workspace_id, job, last_run_at) values (${workspace.id}, ${PRIORITY_JOB}, 'epoch')
        on conflict do nothing`);
      const [row] = await queryRows<{ last_run_at: string }>(
        tx,
        sql`select last_run_at from job_runs where workspace_id = ${workspace.id} and job = ${PRIORITY_JOB} for update skip locked`,
      );
      if (!row || now.getTime() - new Date(row.last_run_at).getTime() < WEEK_MS) return false;
      await tx.execute(
        sql`update job_runs set last_run_at = ${now.toISOString()}::timestamptz where workspace_id = ${workspace.id} and job = ${PRIORITY_JOB}`,
      );
      return true;
    });
    if (!due) continue;
    const result = await opportunities.recomputeAllPriorities(workspace.id);
    await db.execute(
      sql`update job_runs set result = ${JSON.stringify(result)}::jsonb where workspace_id = ${workspace.id} and job = ${PRIORITY_JOB}`,
    );
    ran++;
  }
  return ran;
}

/** Starts the hourly check; returns a function that stops it. */
export function startScheduler(
  db: Db,
  opportunities: OpportunityService,
  clock: () => Date,
  log: (message: string) => void,
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const ran = await runDueJobs(db, opportunities, clock());
      if (ran > 0) log(`weekly priority recompute ran for ${ran} workspace(s)`);
    } catch (error) {
      log(`scheduled job failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
