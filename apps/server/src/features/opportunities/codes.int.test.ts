import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/harness';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe('opportunity codes under concurrency', () => {
  it('gives 50 concurrent creates 50 distinct codes without gaps', async () => {
    const reps = await Promise.all([t.as('repA'), t.as('repB'), t.as('repC')]);
    const account = (
      await reps[0].post('/api/v1/accounts', { name: '并发测试客户有限公司' })
    ).json();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        reps[i % 3]!.post('/api/v1/opportunities', { name: `deal ${i}`, accountId: account.id }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    const codes = responses.map((r) => r.json().opportunity.code as string).sort();
    expect(codes).toEqual(
      Array.from({ length: 50 }, (_, i) => `202405-${String(i + 1).padStart(3, '0')}`),
    );
  });

  it('follows a changed format and restarts the sequence each month', async () => {
    const admin = await t.as('admin');
    const ws = (await admin.get('/api/v1/workspace')).json();
    const bad = await admin.patch('/api/v1/workspace', {
      version: ws.version,
      codeFormat: 'LX{YYYY}{MM}',
    });
    expect(bad.json().error.fields[0]).toMatchObject({ path: 'codeFormat', code: 'code_format' });
    const ok = await admin.patch('/api/v1/workspace', {
      version: ws.version,
      codeFormat: 'LX{YYYY}{MM}{SEQ:3}',
    });
    expect(ok.statusCode).toBe(200);
    const rep = await t.as('repA');
    const account = (await rep.post('/api/v1/accounts', { name: '编号格式客户有限公司' })).json();
    const may = (
      await rep.post('/api/v1/opportunities', { name: 'm', accountId: account.id })
    ).json().opportunity.code;
    expect(may).toBe('LX202405051'); // the May counter is shared: 50 before
    t.setNow('2024-05-31T16:30:00Z'); // 00:30 on 1 June in Shanghai
    expect((await rep.get('/api/v1/auth/me')).statusCode).toBe(401); // the week-long session has expired
    const again = await t.signIn(t.world.users.repA.email);
    const june = (
      await again.post('/api/v1/opportunities', { name: 'j', accountId: account.id })
    ).json().opportunity.code;
    expect(june).toBe('LX202406001');
  });
});
