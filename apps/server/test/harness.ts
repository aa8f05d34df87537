/**
 * A real app on a real, fresh database for each test file, a controllable clock, a small
 * workspace with every role, and clients that sign in with a cookie (sending the CSRF header)
 * or a bearer token.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openDatabase, type Database } from '../src/db/database';
import { buildApp } from '../src/app';
import { createServices, type Services } from '../src/services';
import { PIPELINE_PRESETS, type Role } from '@funnel/domain';
import { createPipelineIn } from '../src/features/pipelines/pipelines.service';
import { insertWorkspace } from '../src/features/workspace/workspace.repository';
import { insertPicklistValue } from '../src/features/settings/settings.repository';
import { systemActor } from '../src/features/access/actor';

export const PASSWORD = 'secret-pass-1';

/** A fresh database for one test file: a PGlite directory copied from the template, or a PostgreSQL clone. */
export async function freshDatabaseLocation(): Promise<{
  dataDir?: string;
  databaseUrl?: string;
  cleanup: () => Promise<void>;
}> {
  const postgresTemplate = inject('postgresTemplate');
  if (postgresTemplate) {
    const url = inject('postgresUrl');
    // Named after this run's template, so that a run's teardown drops its own databases only.
    const name = `${postgresTemplate}_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${postgresTemplate}`);
    await admin.end();
    const testUrl = new URL(url);
    testUrl.pathname = `/${name}`;
    return {
      databaseUrl: testUrl.toString(),
      cleanup: async () => {
        const drop = new pg.Client({ connectionString: url });
        await drop.connect();
        await drop.query(`drop database if exists ${name} with (force)`);
        await drop.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'funnel-test-'));
  const dataDir = path.join(dir, 'pgdata');
  cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
  return { dataDir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openTestDatabase(): Promise<{
  database: Database;
  cleanup: () => Promise<void>;
}> {
  const location = await freshDatabaseLocation();
  const database = await openDatabase({
    dataDir: location.dataDir,
    databaseUrl: location.databaseUrl,
  });
  return {
    database,
    cleanup: async () => {
      await database.close();
      await location.cleanup();
    },
  };
}

export interface Client {
  userId: string;
  email: string;
  role: Role;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

export interface World {
  workspaceId: string;
  pipelineId: string;
  stages: { id: string; name: string; kind: string; position: number }[];
  teams: { root: string; east: string; east1: string; north: string };
  users: Record<
    'admin' | 'director' | 'managerEast' | 'managerNorth' | 'repA' | 'repB' | 'repC',
    { id: string; email: string; role: Role }
  >;
}

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  services: Services;
  world: World;
  now(): Date;
  setNow(date: Date | string): void;
  signIn(email: string, locale?: string, password?: string): Promise<Client>;
  as(name: keyof World['users']): Promise<Client>;
  close(): Promise<void>;
}

export const DEFAULT_NOW = new Date('2024-05-15T02:00:00Z'); // 10:00 in Shanghai

export async function createTestContext(): Promise<TestContext> {
  const { database, cleanup } = await openTestDatabase();
  let now = DEFAULT_NOW;
  const clock = () => now;
  const services = createServices({ db: database.db, clock });
  const app = await buildApp({ services });
  const world = await seedWorld(services, database);
  const clients = new Map<string, Client>();

  async function signIn(email: string, locale = 'en', password = PASSWORD): Promise<Client> {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email, password },
      headers: { 'accept-language': locale },
    });
    if (response.statusCode !== 200)
      throw new Error(`sign-in failed for ${email}: ${response.body}`);
    const cookie = response.cookies.find((c) => c.name === 'funnel_session')!;
    const me = response.json();
    const send = (
      method: string,
      url: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const allHeaders: Record<string, string> = {
        'x-csrf-token': me.csrfToken,
        'accept-language': locale,
        ...headers,
      };
      if (typeof body === 'string') allHeaders['content-type'] ??= 'application/json';
      return app.inject({
        method: method as 'GET',
        url,
        cookies: { funnel_session: cookie.value },
        headers: allHeaders,
        ...(body === undefined ? {} : { payload: body as string }),
      });
    };
    return {
      userId: me.user.id,
      email,
      role: me.role,
      request: send,
      get: (url) => send('GET', url),
      post: (url, body) => send('POST', url, body ?? {}),
      patch: (url, body) => send('PATCH', url, body ?? {}),
      put: (url, body) => send('PUT', url, body ?? {}),
      del: (url) => send('DELETE', url),
    };
  }

  return {
    app,
    database,
    services,
    world,
    now: clock,
    setNow(date) {
      now = new Date(date);
    },
    signIn,
    async as(name) {
      const key = world.users[name].email;
      if (!clients.has(key)) clients.set(key, await signIn(key));
      return clients.get(key)!;
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
}

/**
 * Teams: 销售中心 (root) > 华东 (east) > 华东一组 (east1); 销售中心 > 华北 (north).
 * People: admin, director (root); managerEast (east: sees east + east1); managerNorth (north);
 * repA (east1), repB (east), repC (north).
 */
async function seedWorld(services: Services, database: Database): Promise<World> {
  const workspaceId = await database.db.transaction(async (tx) => {
    const id = await insertWorkspace(tx, { name: 'Test 公司', timeZone: 'Asia/Shanghai' });
    await createPipelineIn(tx, id, {
      name: '标准流程',
      isDefault: true,
      stages: PIPELINE_PRESETS[0]!.stages,
    });
    for (const [kind, code, zh, en] of [
      ['source', 'website', '官网注册', 'Website'],
      ['source', 'trade_show', '行业展会', 'Trade show'],
      ['source', 'referral', '转介绍', 'Referral'],
      ['source', 'other', '其他', 'Other'],
      ['loss_reason', 'price_too_high', '价格过高', 'Price too high'],
      ['loss_reason', 'chose_competitor', '客户选择竞争对手', 'Chose a competitor'],
      ['region', 'east', '华东', 'East'],
      ['region', 'north', '华北', 'North'],
    ] as const) {
      await insertPicklistValue(tx, { workspaceId: id, kind, code, labelZh: zh, labelEn: en });
    }
    return id;
  });
  const system = systemActor(workspaceId);
  const root = await services.people.createTeam(null, workspaceId, { name: '销售中心' });
  const east = await services.people.createTeam(null, workspaceId, {
    name: '华东',
    parentId: root.id,
  });
  const east1 = await services.people.createTeam(null, workspaceId, {
    name: '华东一组',
    parentId: east.id,
  });
  const north = await services.people.createTeam(null, workspaceId, {
    name: '华北',
    parentId: root.id,
  });
  const people: [keyof World['users'], Role, string][] = [
    ['admin', 'admin', root.id],
    ['director', 'director', root.id],
    ['managerEast', 'manager', east.id],
    ['managerNorth', 'manager', north.id],
    ['repA', 'rep', east1.id],
    ['repB', 'rep', east.id],
    ['repC', 'rep', north.id],
  ];
  const users = {} as World['users'];
  for (const [key, role, teamId] of people) {
    const email = `${key.toLowerCase()}@test.example`;
    const member = await services.people.createMember(null, workspaceId, {
      email,
      name: key,
      password: PASSWORD,
      role,
      teamId,
    });
    users[key] = { id: member.id, email, role };
  }
  const [pipeline] = await services.pipelines.list(system);
  return {
    workspaceId,
    pipelineId: pipeline!.id,
    stages: pipeline!.stages.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      position: s.position,
    })),
    teams: { root: root.id, east: east.id, east1: east1.id, north: north.id },
    users,
  };
}

/** Creates an account and an opportunity owned by `client` (or `ownerId`), returning the opportunity. */
export async function createOpportunity(
  client: Client,
  overrides: Record<string, unknown> = {},
  accountName = `客户 ${randomBytes(4).toString('hex')} 有限公司`,
) {
  const account = await client.post('/api/v1/accounts', { name: accountName });
  if (account.statusCode !== 201) throw new Error(`account: ${account.body}`);
  const response = await client.post('/api/v1/opportunities', {
    name: '服务器采购',
    accountId: account.json().id,
    expectedAmount: '300000',
    expectedCloseDate: '2024-06-30',
    source: 'trade_show',
    needsDescription: '采购50台服务器,预算30万',
    ...overrides,
  });
  if (response.statusCode !== 201) throw new Error(`opportunity: ${response.body}`);
  return response.json().opportunity as {
    id: string;
    code: string;
    version: number;
    stage: { id: string };
    [key: string]: unknown;
  };
}
