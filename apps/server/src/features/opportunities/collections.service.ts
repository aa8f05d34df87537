/** Collections (回款): expected and received payments of an opportunity, editable by whoever may edit it. */
import { formatMoney } from '@funnel/domain';
import type { Db, Executor } from '../../db/database';
import { notFound, versionConflict } from '../../http/domain-error';
import { requireAccess } from '../access/access';
import type { Actor } from '../access/actor';
import { recordAudit } from '../audit/audit.repository';
import * as repo from './collections.repository';
import { findOpportunity, lockOpportunity } from './opportunities.repository';

const collectionOut = (c: repo.CollectionRow) => ({
  id: c.id,
  opportunityId: c.opportunityId,
  expectedDate: c.expectedDate,
  expectedAmount: formatMoney(c.expectedAmount),
  actualDate: c.actualDate,
  actualAmount: c.actualAmount === null ? null : formatMoney(c.actualAmount),
  note: c.note,
  version: c.version,
});

interface CollectionInput {
  expectedDate?: string | undefined;
  expectedAmount?: number | undefined;
  actualDate?: string | null | undefined;
  actualAmount?: number | null | undefined;
  note?: string | null | undefined;
}

export class CollectionService {
  constructor(private readonly deps: { db: Db }) {}

  private async visible(q: Executor, actor: Actor, opportunityId: string) {
    const row = await findOpportunity(q, actor.workspaceId, opportunityId);
    requireAccess(
      actor,
      row && { ownerId: row.opportunity.ownerId, teamId: row.opportunity.teamId },
      'opportunity',
    );
  }

  async list(actor: Actor, opportunityId: string) {
    await this.visible(this.deps.db, actor, opportunityId);
    return (await repo.listCollections(this.deps.db, actor.workspaceId, opportunityId)).map(
      collectionOut,
    );
  }

  async get(actor: Actor, id: string) {
    const row = await repo.findCollection(this.deps.db, actor.workspaceId, id);
    if (!row) throw notFound('collection');
    await this.visible(this.deps.db, actor, row.opportunityId);
    return collectionOut(row);
  }

  async create(
    actor: Actor,
    opportunityId: string,
    input: CollectionInput & { expectedDate: string; expectedAmount: number },
  ) {
    return this.deps.db.transaction(async (tx) => {
      await lockOpportunity(tx, actor.workspaceId, opportunityId);
      await this.visible(tx, actor, opportunityId);
      const row = await repo.insertCollection(tx, {
        workspaceId: actor.workspaceId,
        opportunityId,
        expectedDate: input.expectedDate,
        expectedAmount: input.expectedAmount,
        actualDate: input.actualDate ?? null,
        actualAmount: input.actualAmount ?? null,
        note: input.note ?? null,
      });
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'create',
        entityType: 'collection',
        entityId: row.id,
        after: row,
      });
      return collectionOut(row);
    });
  }

  async update(actor: Actor, id: string, input: CollectionInput & { version: number }) {
    return this.deps.db.transaction(async (tx) => {
      const before = await repo.findCollection(tx, actor.workspaceId, id, true);
      if (!before) throw notFound('collection');
      await this.visible(tx, actor, before.opportunityId);
      if (before.version !== input.version) throw versionConflict('collection', before.version);
      const { version: _v, ...rest } = input;
      await repo.updateCollection(
        tx,
        id,
        Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      );
      const after = (await repo.findCollection(tx, actor.workspaceId, id))!;
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update',
        entityType: 'collection',
        entityId: id,
        before,
        after,
      });
      return collectionOut(after);
    });
  }
}
