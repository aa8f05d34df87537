/**
 * All or nothing: `funnel import` killed with SIGKILL in the middle of its commit (a few hundred
 * thousand rows) leaves the database exactly as it was, and the database opens again cleanly.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { PIPELINE_PRESETS } from '@funnel/domain';
import { openDatabase } from '@funnel/server';
import { freshDatabaseLocation } from '../../../server/test/harness';
import { queryRows } from '../../../server/src/db/query';
import { createPipelineIn } from '../../../server/src/features/pipelines/pipelines.service';
import { insertWorkspace } from '../../../server/src/features/workspace/workspace.repository';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/funnel.mjs');
const ROWS = 200_000;
let location: Awaited<ReturnType<typeof freshDatabaseLocation>>;
const dir = mkdtempSync(path.join(os.tmpdir(), 'funnel-kill-'));
const file = path.join(dir, 'opportunities.csv');

async function open() {
  return openDatabase({ dataDir: location.dataDir, databaseUrl: location.databaseUrl });
}

async function counts() {
  const database = await open();
  try {
    const [row] = await queryRows<Record<string, number>>(
      database.db,
      sql`select (select count(*)::int from opportunities) as o, (select count(*)::int from accounts) as a,
                 (select count(*)::int from users) as u, (select count(*)::int from stage_changes) as s,
                 (select count(*)::int from audit_log) as l`,
    );
    return row;
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  location = await freshDatabaseLocation();
  const database = await open();
  await database.db.transaction(async (tx) => {
    const id = await insertWorkspace(tx, { name: 'Kill test', timeZone: 'Asia/Shanghai' });
    await createPipelineIn(tx, id, {
      name: '标准',
      isDefault: true,
      stages: PIPELINE_PRESETS[0]!.stages,
    });
  });
  await database.close();
  const out = createWriteStream(file);
  out.write('机会编号,机会名称,客户名称,负责人,阶段,预计成交金额,获取时间\n');
  for (let i = 0; i < ROWS; i++) {
    const line = `K${i},机会${i},客户${i % 5000}有限公司,销售${i % 25},${PIPELINE_PRESETS[0]!.stages[i % 5]!.name},${1000 + i},2024-0${1 + (i % 9)}-1${i % 9}\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}, 120_000);

afterAll(async () => {
  await location?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('funnel import, killed mid-commit', () => {
  it('leaves no partial rows', async () => {
    const before = await counts();
    const where = location.databaseUrl
      ? ['--database-url', location.databaseUrl]
      : ['--data-dir', location.dataDir!];
    const child = spawn(
      process.execPath,
      [BIN, ...where, 'import', file, '--create-missing-owners'],
      {
        env: { ...process.env, DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        // The dry run is over and the commit has begun: let it write for a while, then kill it.
        if (stdout.includes('Checked:')) setTimeout(resolve, 3000);
      });
      void exited.then(() => reject(new Error(`finished before it could be killed: ${stdout}`)));
    });
    child.kill('SIGKILL');
    await exited;
    expect(await counts()).toEqual(before);
  }, 300_000);
});
