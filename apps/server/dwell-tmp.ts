import { openDatabase, createServices, buildApp } from './src/index.ts';
import * as repo from './src/features/analytics/analytics.repository.ts';
import pg from 'pg';
const BENCH_NOW = new Date('2026-11-01T04:00:00Z');
const url = 'postgres://postgres@127.0.0.1:5432/funnel_bench_1m';
const database = await openDatabase({ databaseUrl: url });
const services = createServices({ db: database.db, clock: () => BENCH_NOW });
const app = await buildApp({ services });
const signIn = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'director@funnel.demo', password: 'demo1234' } });
const cookie = signIn.cookies.find((c) => c.name === 'funnel_session')!.value;
const actor = (await services.auth.authenticate({ session: cookie }))!;
const ctx = await services.analytics.context(actor, { period: 'month', date: '2026-10-15' } as never);
const db = database.db as any;
const captured: { sql: string; params: unknown[] }[] = [];
const orig = db.execute.bind(db);
db.execute = (q: any) => { captured.push(db.dialect.sqlToQuery(q)); return orig(q); };
const which = process.argv[2] ?? 'dwell';
const calls: Record<string, () => Promise<unknown>> = {
  dwell: () => repo.dwellStats(db, ctx.scope, BENCH_NOW, ctx.sqlPeriod),
  timeToWin: () => repo.timeToWin(db, ctx.scope, ctx.sqlPeriod, BENCH_NOW),
  outcomes: () => repo.outcomes(db, ctx.scope, ctx.sqlPeriod),
  teamCohort: () => repo.teamCohort(db, ctx.scope, ctx.sqlPeriod),
  trend: () => repo.cohortTrend(db, ctx.scope, []),
  compliance: () => repo.complianceCounts(db, ctx.scope, ctx.sqlPeriod, BENCH_NOW, 24),
};
await calls[which]!();
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query('set jit = off'); await client.query("set work_mem = '32MB'");
for (const q of captured) {
  if (process.env.TIME) {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) { const t0 = performance.now(); await client.query(q.sql, q.params as never); times.push(performance.now() - t0); }
    times.sort((a, b) => a - b);
    console.log(which, 'median', times[3]!.toFixed(1), 'min', times[0]!.toFixed(1));
    continue;
  }
  const r = await client.query(`explain (analyze, buffers) ${q.sql}`, q.params as never);
  console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'));
}
await client.end(); await app.close(); await database.close();
