// `npm run test:pg`: the integration suite against a PostgreSQL server. Uses DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test), starts Debian's main cluster when the server is not
// running, creates a fresh database for this run and drops it afterwards. Fails, never skips,
// when the server stays unreachable.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';

const base = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

if (!(await reachable(base))) {
  if (existsSync('/etc/postgresql')) {
    for (const version of readdirSync('/etc/postgresql')) {
      console.log(`PostgreSQL is not reachable; starting cluster ${version}/main…`);
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
        stdio: 'inherit',
      });
    }
  }
  for (let i = 0; i < 20 && !(await reachable(base)); i++)
    await new Promise((r) => setTimeout(r, 500));
  if (!(await reachable(base))) {
    console.error(`PostgreSQL is not reachable at ${base}; cannot run the PostgreSQL suite.`);
    process.exit(1);
  }
}

const runDb = `funnel_run_${Date.now()}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`create database ${runDb}`);
await admin.end();
const url = new URL(base);
url.pathname = `/${runDb}`;
console.log(`PostgreSQL suite on ${url.host}${url.pathname}`);
let status;
try {
  execSync('npx vitest run --project integration', {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: url.toString() },
  });
  status = 0;
} catch (error) {
  status = error.status ?? 1;
} finally {
  const cleanup = new pg.Client({ connectionString: base });
  await cleanup.connect();
  await cleanup.query(`drop database if exists ${runDb} with (force)`);
  await cleanup.end();
}
process.exit(status);
