/**
 * Session settings of PostgreSQL connections (runs in the PostgreSQL pass of the suite,
 * `npm run test:pg`; the embedded database has no such settings to make).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseLocation } from '../../test/harness';
import { openDatabase, type Database } from './database';
import { queryRows } from './query';

let location: Awaited<ReturnType<typeof freshDatabaseLocation>> | undefined;
const opened: Database[] = [];
beforeAll(async () => {
  if (process.env.DATABASE_URL) location = await freshDatabaseLocation();
});
afterAll(async () => {
  for (const database of opened) await database.close();
  await location?.cleanup();
});

async function setting(database: Database, name: 'jit' | 'work_mem'): Promise<string> {
  const [row] = await queryRows<{ value: string }>(
    database.db,
    sql`select current_setting(${name}) as value`,
  );
  return row!.value;
}

describe.runIf(!!process.env.DATABASE_URL)('PostgreSQL connections', () => {
  it('run without JIT and with 32 MB to sort in, on every connection of the pool', async () => {
    const database = await openDatabase({ databaseUrl: location!.databaseUrl! });
    opened.push(database);
    const values = await Promise.all(
      Array.from({ length: 4 }, async () => [
        await setting(database, 'jit'),
        await setting(database, 'work_mem'),
      ]),
    );
    expect(values).toEqual(Array.from({ length: 4 }, () => ['off', '32MB']));
  });
  it('take the options of the URL instead when it has them', async () => {
    const url = new URL(location!.databaseUrl!);
    url.searchParams.set('options', '-c work_mem=8MB');
    const database = await openDatabase({ databaseUrl: url.toString() });
    opened.push(database);
    expect(await setting(database, 'work_mem')).toBe('8MB');
  });
});
