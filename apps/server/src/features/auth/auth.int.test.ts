import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PASSWORD, type TestContext } from '../../../test/harness';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

const signIn = (email: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email, password },
    remoteAddress: ip,
  });

describe('sign-in, sessions and tokens', () => {
  it('signs in with a secure session cookie and a CSRF token', async () => {
    const res = await signIn(t.world.users.repA.email.toUpperCase(), PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user: { email: t.world.users.repA.email },
      role: 'rep',
      workspace: { timeZone: 'Asia/Shanghai' },
    });
    const session = res.cookies.find((c) => c.name === 'funnel_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const csrf = res.cookies.find((c) => c.name === 'funnel_csrf')!;
    expect(csrf.value).toBe(res.json().csrfToken);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { funnel_session: session.value },
    });
    expect(me.json().user.id).toBe(t.world.users.repA.id);
    // the session token is stored only as a hash
    const stored = await t.database.db.execute('select token_hash from sessions');
    expect(JSON.stringify(stored)).not.toContain(session.value);
  });

  it('refuses wrong passwords and unknown e-mails alike, then rate-limits per e-mail and per address', async () => {
    const wrong = await signIn(t.world.users.repB.email, 'nope', '10.0.1.0');
    const unknown = await signIn('ghost@test.example', 'nope', '10.0.1.0');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    // ten failures for one e-mail, from different addresses: that e-mail is locked, others are not
    for (let i = 1; i < 10; i++)
      expect((await signIn(t.world.users.repB.email, 'nope', `10.0.1.${i}`)).statusCode).toBe(401);
    const byEmail = await signIn(t.world.users.repB.email, PASSWORD, '10.0.1.99');
    expect(byEmail.statusCode).toBe(429);
    expect(byEmail.json().error).toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 900 },
    });
    // ten failures from one address with different e-mails: that address is locked
    for (let i = 0; i < 10; i++)
      expect((await signIn(`nobody${i}@test.example`, 'nope', '10.0.2.1')).statusCode).toBe(401);
    expect((await signIn(t.world.users.repC.email, PASSWORD, '10.0.2.1')).statusCode).toBe(429);
    expect((await signIn(t.world.users.repC.email, PASSWORD, '10.0.2.2')).statusCode).toBe(200);
    t.setNow(new Date(t.now().getTime() + 16 * 60_000));
    expect((await signIn(t.world.users.repB.email, PASSWORD, '10.0.1.99')).statusCode).toBe(200);
    expect((await signIn(t.world.users.repC.email, PASSWORD, '10.0.2.1')).statusCode).toBe(200);
  });

  it('signs out', async () => {
    const res = await signIn(t.world.users.repC.email, PASSWORD, '10.0.0.20');
    const cookie = res.cookies.find((c) => c.name === 'funnel_session')!.value;
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      cookies: { funnel_session: cookie },
    });
    expect(out.statusCode).toBe(200);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { funnel_session: cookie },
    });
    expect(me.statusCode).toBe(401);
  });

  it('accepts API tokens as bearer credentials without CSRF, until revoked', async () => {
    const rep = await t.signIn(t.world.users.repC.email);
    const created = await rep.post('/api/v1/tokens', { name: 'script' });
    expect(created.statusCode).toBe(201);
    const token = created.json().token as string;
    expect(token.startsWith('fnl_')).toBe(true);
    const headers = { authorization: `Bearer ${token}` };
    const account = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers,
      payload: { name: '令牌客户有限公司' },
    });
    expect(account.statusCode).toBe(201);
    const listed = (await rep.get('/api/v1/tokens')).json();
    expect(listed[0]).toMatchObject({ name: 'script', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(token);
    await rep.del(`/api/v1/tokens/${created.json().id}`);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(after.statusCode).toBe(401);
    const bogus = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: 'Bearer fnl_nope' },
    });
    expect(bogus.statusCode).toBe(401);
  });

  it('changes my password only with the current one and keeps my language', async () => {
    const rep = await t.signIn(t.world.users.repA.email);
    const wrong = await rep.patch('/api/v1/auth/me', {
      currentPassword: 'bad',
      newPassword: 'another-pass-2',
    });
    expect(wrong.json().error.fields[0].path).toBe('currentPassword');
    const ok = await rep.patch('/api/v1/auth/me', {
      currentPassword: PASSWORD,
      newPassword: 'another-pass-2',
      locale: 'zh-CN',
    });
    expect(ok.json().user.locale).toBe('zh-CN');
    expect((await signIn(t.world.users.repA.email, 'another-pass-2', '10.0.0.30')).statusCode).toBe(
      200,
    );
  });

  it('keeps deactivated people out', async () => {
    const admin = await t.as('admin');
    const user = (await admin.get(`/api/v1/users/${t.world.users.repB.id}`)).json();
    const res = await admin.patch(`/api/v1/users/${user.id}`, {
      version: user.version,
      active: false,
    });
    expect(res.json().active).toBe(false);
    expect((await signIn(t.world.users.repB.email, PASSWORD, '10.0.0.40')).statusCode).toBe(401);
  });
});

describe('service endpoints', () => {
  it('serves liveness, the OpenAPI document and browsable docs', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({
      status: 'ok',
    });
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.paths['/api/v1/opportunities/{id}/move'].post.requestBody).toBeTruthy();
    expect(spec.components.schemas.Opportunity).toBeTruthy();
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    const missing = await (await t.as('director')).get('/api/v1/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      message: 'There is no such endpoint: GET /api/v1/nothing-here.',
    });
  });
});

describe("the audit of a change to one's own account", () => {
  it('says what changed and nothing else; a language switch to the same language writes nothing', async () => {
    const repC = await t.as('repC');
    const admin = await t.as('admin');
    const entries = async () =>
      (
        await admin.get(
          `/api/v1/audit-log?entityId=${t.world.users.repC.id}&entityType=user&pageSize=100`,
        )
      ).json().items as { after: Record<string, unknown>; before: Record<string, unknown> }[];
    const start = (await entries()).length;
    expect((await repC.patch('/api/v1/auth/me', { locale: 'en' })).statusCode).toBeLessThan(300);
    expect((await repC.patch('/api/v1/auth/me', { locale: 'zh-CN' })).statusCode).toBeLessThan(300);
    expect((await repC.patch('/api/v1/auth/me', { locale: 'zh-CN' })).statusCode).toBeLessThan(300);
    const logged = await entries();
    expect(logged.length - start).toBe(2);
    expect(logged[0]).toMatchObject({ before: { locale: 'en' }, after: { locale: 'zh-CN' } });
    expect(Object.keys(logged[0]!.after)).toEqual(['locale']);
    const changed = await repC.patch('/api/v1/auth/me', {
      currentPassword: PASSWORD,
      newPassword: `${PASSWORD}-new`,
    });
    expect(changed.statusCode).toBeLessThan(300);
    const [last] = await entries();
    expect(last).toMatchObject({ before: {}, after: { passwordChanged: true } });
    expect(JSON.stringify(last)).not.toContain(`${PASSWORD}-new`);
  });
});
