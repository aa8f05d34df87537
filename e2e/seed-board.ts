/**
 * Benchmark data: tops the demo workspace up to N open opportunities (default 5,000) spread over
 * the default pipeline's open stages, through the server's own services (no server running;
 * the server code is used, not changed). Usage: node --import tsx e2e/seed-board.ts <data-dir> [N]
 */
import path from 'node:path';
import {
  createServices,
  findDemoWorkspace,
  openDatabase,
  seedDemo,
  systemActor,
} from '@funnel/server';

const dataDir = path.resolve(process.argv[2] ?? 'data-bench');
const target = Number(process.argv[3] ?? 5000);

const database = await openDatabase({ dataDir });
await database.migrate();
let workspaceId = await findDemoWorkspace(database.db);
if (!workspaceId) {
  await seedDemo(database.db, { size: 'demo' });
  workspaceId = (await findDemoWorkspace(database.db))!;
}
const services = createServices({ db: database.db });
const actor = systemActor(workspaceId);
const pipelines = await services.pipelines.list(actor);
const pipeline = pipelines.find((p) => p.isDefault) ?? pipelines[0]!;
const openStages = pipeline.stages.filter((s) => s.kind === 'open');
const members = (await services.people.listMembers(actor, {}, 1, 500)).items.filter(
  (m) => m.role === 'rep' && m.active,
);
const accounts = (await services.accounts.list(actor, {}, 'name', 1, 500)).items;
const current = await services.opportunities.list(actor, { status: ['open'] }, '-createdAt', 1, 1);
const missing = Math.max(0, target - current.total);
const started = Date.now();
for (let i = 0; i < missing; i++) {
  // more early-stage than late-stage opportunities, like a real funnel
  const stage =
    openStages[
      Math.min(openStages.length - 1, Math.floor(Math.random() ** 1.6 * openStages.length))
    ]!;
  const owner = members[i % members.length]!;
  const account = accounts[i % accounts.length]!;
  const amount = Math.round(20_000 + Math.random() * 1_500_000);
  await services.opportunities.create(
    { ...actor, userId: owner.id, role: 'admin' },
    {
      name: `基准测试商机 ${i + 1}`,
      accountId: account.id,
      ownerId: owner.id,
      pipelineId: pipeline.id,
      stageId: stage.id,
      stageReason: stage.id === openStages[0]!.id ? undefined : 'benchmark data',
      expectedAmount: amount * 100,
      expectedCloseDate: `2027-0${1 + (i % 9)}-15`,
      needsDescription: '基准测试',
      contacts: [],
      competitors: [],
    },
  );
  if ((i + 1) % 500 === 0)
    console.log(`  ${i + 1}/${missing} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
const after = await services.opportunities.list(actor, { status: ['open'] }, '-createdAt', 1, 1);
console.log(`open opportunities: ${after.total}`);
await database.close();
