/** The `funnel` command run as a user would: a real process on a real database. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createServices, openDatabase } from '@funnel/server';
import { freshDatabaseLocation } from '../../server/test/harness';

const run = promisify(execFile);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/funnel.mjs');
let location: Awaited<ReturnType<typeof freshDatabaseLocation>>;
let where: string[];

async function funnel(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: '' };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...where, ...args], {
      env,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  location = await freshDatabaseLocation();
  where = location.databaseUrl
    ? ['--database-url', location.databaseUrl]
    : ['--data-dir', location.dataDir!];
});
afterAll(async () => location?.cleanup());

describe('funnel CLI', () => {
  it('prints help with every command', async () => {
    const help = await funnel('--help');
    for (const command of ['serve', 'migrate', 'demo', 'user', 'token', 'priority'])
      expect(help.stdout).toContain(command);
    const userHelp = await funnel('user', '--help');
    for (const command of ['add', 'list', 'passwd']) expect(userHelp.stdout).toContain(command);
  });

  it('explains what to do before a workspace exists, and rejects bad options clearly', async () => {
    expect((await funnel('migrate')).stdout).toContain('up to date');
    const early = await funnel('user', 'list');
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('There is no workspace yet');
    const badRole = await funnel('user', 'add', '--email', 'x@y.z', '--role', 'boss');
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/Allowed choices are rep, manager, director, admin/);
    const badUrl = await run(process.execPath, [
      BIN,
      '--database-url',
      'mysql://nope',
      'migrate',
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((badUrl as { stderr: string }).stderr).toContain('must start with postgres://');
  });

  it('seeds the demo, adds users, changes passwords and creates API tokens that the API accepts', async () => {
    const demo = await funnel('demo');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('rep.wang@funnel.demo');
    const added = await funnel(
      'user',
      'add',
      '--email',
      'New.Person@Example.com',
      '--password',
      'password-1',
      '--role',
      'manager',
      '--team',
      '华东大区',
      '--name',
      '新经理',
    );
    expect(added.stdout).toContain('Added new.person@example.com as manager in 华东大区');
    const noTeam = await funnel(
      'user',
      'add',
      '--email',
      'x@example.com',
      '--role',
      'rep',
      '--team',
      '火星',
    );
    expect(noTeam.code).toBe(1);
    expect(noTeam.stderr).toContain('No team "火星"');
    const dup = await funnel('user', 'add', '--email', 'new.person@example.com', '--role', 'rep');
    expect(dup.stderr).toContain('already exists');
    const shortPassword = await funnel(
      'user',
      'add',
      '--email',
      'short@example.com',
      '--role',
      'rep',
      '--password',
      'x',
    );
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.stderr).toContain('password');
    const list = JSON.parse((await funnel('user', 'list', '--json')).stdout) as {
      email: string;
      role: string;
      teamName: string;
    }[];
    expect(list.find((u) => u.email === 'new.person@example.com')).toMatchObject({
      role: 'manager',
      teamName: '华东大区',
    });
    expect(
      (
        await funnel(
          'user',
          'passwd',
          '--email',
          'new.person@example.com',
          '--password',
          'password-2',
        )
      ).code,
    ).toBe(0);
    const token = (
      await funnel('token', 'create', '--user', 'new.person@example.com')
    ).stdout.trim();
    expect(token).toMatch(/^fnl_[\w-]{20,}$/);
    expect((await funnel('token', 'create', '--user', 'ghost@example.com')).stderr).toContain(
      'No user ghost@example.com',
    );
    expect((await funnel('priority', 'recompute')).stdout).toMatch(
      /Checked \d+ open opportunities/,
    );

    const database = await openDatabase({
      dataDir: location.dataDir,
      databaseUrl: location.databaseUrl,
    });
    try {
      const app = await buildApp({ services: createServices({ db: database.db }) });
      const me = await app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.json()).toMatchObject({
        role: 'manager',
        user: { email: 'new.person@example.com' },
      });
      const signIn = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: 'new.person@example.com', password: 'password-2' },
      });
      expect(signIn.statusCode).toBe(200);
      const board = await app.inject({
        method: 'GET',
        url: '/api/v1/opportunities?pageSize=1',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(board.json().total).toBeGreaterThan(0); // the new manager sees the 华东大区 demo deals
      await app.close();
    } finally {
      await database.close();
    }
  });
});
