/**
 * The access matrix (SPEC F-5): every role against opportunities owned across the team tree, for
 * every kind of read and write; and contact details masked or shown (and audited) per role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpportunity,
  createTestContext,
  type Client,
  type TestContext,
  type World,
} from '../../../test/harness';

type Person = keyof World['users'];
const PEOPLE: Person[] = [
  'admin',
  'director',
  'managerEast',
  'managerNorth',
  'repA',
  'repB',
  'repC',
];
const OWNERS: Person[] = ['repA', 'repB', 'repC', 'managerEast'];

/** Who sees (and may edit) an opportunity owned by whom. Teams: east1 ⊂ east; north. repA∈east1, repB∈east, repC∈north. */
const SEES: Record<Person, Person[]> = {
  admin: OWNERS,
  director: OWNERS,
  managerEast: ['repA', 'repB', 'managerEast'],
  managerNorth: ['repC'],
  repA: ['repA'],
  repB: ['repB'],
  repC: ['repC'],
};

let t: TestContext;
const opportunityOf = {} as Record<Person, { id: string; version: number }>;
let clients: Record<Person, Client>;

beforeAll(async () => {
  t = await createTestContext();
  clients = {} as Record<Person, Client>;
  for (const person of PEOPLE) clients[person] = await t.as(person);
  for (const owner of OWNERS)
    opportunityOf[owner] = await createOpportunity(clients[owner], { name: `deal of ${owner}` });
});
afterAll(async () => t?.close());

async function fresh(owner: Person) {
  const res = await clients.admin.get(`/api/v1/opportunities/${opportunityOf[owner].id}`);
  return res.json<{ id: string; version: number; stage: { id: string } }>();
}

describe('opportunity access matrix', () => {
  for (const viewer of PEOPLE) {
    for (const owner of OWNERS) {
      const allowed = SEES[viewer].includes(owner);
      it(`${viewer} ${allowed ? 'sees and edits' : 'neither sees nor edits'} the deal of ${owner}`, async () => {
        const client = clients[viewer];
        const id = opportunityOf[owner].id;
        const detail = await client.get(`/api/v1/opportunities/${id}`);
        expect(detail.statusCode).toBe(allowed ? 200 : 404);
        const list = await client.get(`/api/v1/opportunities?pageSize=500`);
        expect(list.json().items.some((o: { id: string }) => o.id === id)).toBe(allowed);
        for (const path of [
          'stage-changes',
          'priority-changes',
          'follow-ups',
          'collections',
          'audit',
        ]) {
          expect((await client.get(`/api/v1/opportunities/${id}/${path}`)).statusCode).toBe(
            allowed ? 200 : 404,
          );
        }
        const current = await fresh(owner);
        const update = await client.patch(`/api/v1/opportunities/${id}`, {
          version: current.version,
          marketNotes: `note by ${viewer}`,
        });
        expect(update.statusCode).toBe(allowed ? 200 : 404);
        const log = await client.post(`/api/v1/opportunities/${id}/follow-ups`, {
          occurredAt: '2024-05-15T01:00:00Z',
          method: 'phone',
          content: `call by ${viewer}`,
          next: null,
        });
        expect(log.statusCode).toBe(allowed ? 201 : 404);
        const after = await fresh(owner);
        if (!allowed) expect(after.version).toBe(current.version);
      });
    }
  }

  it('lets only managers (within their teams), directors and admins reassign', async () => {
    const target = await fresh('repA');
    for (const rep of ['repA', 'repB', 'repC'] as const) {
      const res = await clients[rep].post(`/api/v1/opportunities/${target.id}/reassign`, {
        version: target.version,
        ownerId: t.world.users.repB.id,
        reason: 'x',
      });
      expect(res.statusCode).toBe(403);
    }
    // managerNorth cannot see the east deal at all
    const north = await clients.managerNorth.post(`/api/v1/opportunities/${target.id}/reassign`, {
      version: target.version,
      ownerId: t.world.users.repC.id,
      reason: 'x',
    });
    expect(north.statusCode).toBe(404);
    // managerEast may not hand an east deal to a north rep
    const outside = await clients.managerEast.post(`/api/v1/opportunities/${target.id}/reassign`, {
      version: target.version,
      ownerId: t.world.users.repC.id,
      reason: 'x',
    });
    expect(outside.statusCode).toBe(403);
    const inside = await clients.managerEast.post(`/api/v1/opportunities/${target.id}/reassign`, {
      version: target.version,
      ownerId: t.world.users.repB.id,
      reason: '人员调整',
    });
    expect(inside.statusCode).toBe(200);
    expect(inside.json().owner.id).toBe(t.world.users.repB.id);
    // repA no longer sees it, repB does; the planned follow-up moved with it
    expect((await clients.repA.get(`/api/v1/opportunities/${target.id}`)).statusCode).toBe(404);
    expect((await clients.repB.get(`/api/v1/opportunities/${target.id}`)).statusCode).toBe(200);
    const audit = (
      await clients.admin.get(`/api/v1/audit-log?entityId=${target.id}&action=reassign`)
    ).json();
    expect(audit.items[0]).toMatchObject({
      action: 'reassign',
      actor: { id: t.world.users.managerEast.id },
      after: { reason: '人员调整' },
    });
    const director = await clients.director.post(`/api/v1/opportunities/${target.id}/reassign`, {
      version: inside.json().version,
      ownerId: t.world.users.repC.id,
      reason: '跨区调整',
    });
    expect(director.statusCode).toBe(200);
  });

  it('lets a rep create only for themselves, a manager for their teams', async () => {
    const account = (
      await clients.repA.post('/api/v1/accounts', { name: '权限测试客户有限公司' })
    ).json();
    const forOther = await clients.repA.post('/api/v1/opportunities', {
      name: 'x',
      accountId: account.id,
      ownerId: t.world.users.repB.id,
    });
    expect(forOther.statusCode).toBe(403);
    const managerForRep = await clients.managerEast.post('/api/v1/opportunities', {
      name: 'x',
      accountId: account.id,
      ownerId: t.world.users.repA.id,
    });
    expect(managerForRep.statusCode).toBe(201);
    const managerOutside = await clients.managerEast.post('/api/v1/opportunities', {
      name: 'x',
      accountId: account.id,
      ownerId: t.world.users.repC.id,
    });
    expect(managerOutside.statusCode).toBe(403);
  });

  it('keeps admin-only settings to admins', async () => {
    for (const person of PEOPLE) {
      const res = await clients[person].post('/api/v1/picklists', {
        kind: 'industry',
        code: `ind_${person}`,
        labelZh: '行业',
        labelEn: 'Industry',
      });
      expect(res.statusCode).toBe(person === 'admin' ? 201 : 403);
      const log = await clients[person].get('/api/v1/audit-log');
      expect(log.statusCode).toBe(person === 'admin' || person === 'director' ? 200 : 403);
    }
  });

  it('lets only the account owner, their managers, directors and admins edit an account', async () => {
    const account = (
      await clients.repA.post('/api/v1/accounts', { name: '账户编辑测试有限公司' })
    ).json();
    const expected: Record<Person, number> = {
      admin: 200,
      director: 200,
      managerEast: 200,
      managerNorth: 403,
      repA: 200,
      repB: 403,
      repC: 403,
    };
    let version = account.version;
    for (const person of PEOPLE) {
      const res = await clients[person].patch(`/api/v1/accounts/${account.id}`, {
        version,
        city: `city-${person}`,
      });
      expect(res.statusCode, person).toBe(expected[person]);
      if (res.statusCode === 200) version = res.json().version;
      // everyone may read accounts
      expect((await clients[person].get(`/api/v1/accounts/${account.id}`)).statusCode).toBe(200);
    }
  });
});

describe('contact details: masked, shown, audited', () => {
  let contactId: string;
  let dealId: string;
  beforeAll(async () => {
    const rep = clients.repA;
    const opportunity = await createOpportunity(rep, { name: 'deal with a contact' });
    dealId = opportunity.id;
    const detail = (await rep.get(`/api/v1/opportunities/${opportunity.id}`)).json();
    const contact = await rep.post('/api/v1/contacts', {
      accountId: detail.account.id,
      name: '王总',
      phone: '13812345678',
      email: 'wang@example.com',
      imHandle: 'wangzong88',
    });
    expect(contact.statusCode).toBe(201);
    contactId = contact.json().id;
    const linked = await rep.patch(`/api/v1/opportunities/${opportunity.id}`, {
      version: detail.version,
      contacts: [{ contactId, role: '决策者' }],
    });
    expect(linked.statusCode).toBe(200);
  });

  const UNMASKED = {
    phone: '13812345678',
    email: 'wang@example.com',
    imHandle: 'wangzong88',
    masked: false,
  };
  const MASKED = {
    phone: '138******78',
    email: 'w***@example.com',
    imHandle: 'w***8',
    masked: true,
  };

  it.each([
    ['repA', UNMASKED, false],
    ['repB', MASKED, false],
    ['repC', MASKED, false],
    ['managerEast', UNMASKED, true],
    ['managerNorth', MASKED, false],
    ['director', UNMASKED, true],
    ['admin', UNMASKED, true],
  ] as const)('%s', async (person, expected, audited) => {
    const client = clients[person];
    const before = (
      await clients.admin.get(
        `/api/v1/audit-log?entityId=${contactId}&action=read_contact_details&pageSize=500`,
      )
    ).json().total;
    const res = await client.get(`/api/v1/contacts/${contactId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject(expected);
    const listed = (await client.get(`/api/v1/contacts?q=王总`))
      .json()
      .items.find((c: { id: string }) => c.id === contactId);
    expect(listed).toMatchObject(expected);
    const after = (
      await clients.admin.get(
        `/api/v1/audit-log?entityId=${contactId}&action=read_contact_details&pageSize=500`,
      )
    ).json();
    expect(after.total - before).toBe(audited ? 2 : 0);
    if (audited) expect(after.items[0].actor.id).toBe(t.world.users[person].id);
  });

  it('shows contacts on the opportunity with the same masking', async () => {
    const asManager = (await clients.managerEast.get(`/api/v1/opportunities/${dealId}`)).json();
    expect(asManager.contacts[0]).toMatchObject({ name: '王总', role: '决策者', ...UNMASKED });
  });

  it('follows the workspace rule of which roles see details', async () => {
    const ws = (await clients.admin.get('/api/v1/workspace')).json();
    const res = await clients.admin.patch('/api/v1/workspace', {
      version: ws.version,
      rules: { contactDetailRoles: ['director', 'admin'] },
    });
    expect(res.statusCode).toBe(200);
    expect((await clients.managerEast.get(`/api/v1/contacts/${contactId}`)).json()).toMatchObject(
      MASKED,
    );
    expect((await clients.repA.get(`/api/v1/contacts/${contactId}`)).json()).toMatchObject(
      UNMASKED,
    ); // the owner always
    await clients.admin.patch('/api/v1/workspace', {
      version: res.json().version,
      rules: { contactDetailRoles: ['rep', 'manager', 'director', 'admin'] },
    });
  });
});
