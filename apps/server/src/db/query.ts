import type { SQL } from 'drizzle-orm';
import type { Executor } from './database';

/** Runs raw SQL and returns its rows (both drivers answer `{ rows }`). */
export async function queryRows<T>(q: Executor, query: SQL): Promise<T[]> {
  const result: { rows: T[] } = (await q.execute(query)) as never;
  return result.rows;
}
