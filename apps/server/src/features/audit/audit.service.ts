/** Reading the audit log: the whole log for directors and admins; one opportunity's trail for whoever sees it. */
import type { Db } from '../../db/database';
import { requireAccess, requireRole } from '../access/access';
import type { Actor } from '../access/actor';
import { findOpportunity } from '../opportunities/opportunities.repository';
import { listAudit, type AuditFilter } from './audit.repository';

export class AuditService {
  constructor(private readonly deps: { db: Db }) {}

  async list(actor: Actor, filter: AuditFilter, page: number, pageSize: number) {
    requireRole(actor, 'director', 'admin');
    const { items, total } = await listAudit(
      this.deps.db,
      actor.workspaceId,
      filter,
      page,
      pageSize,
    );
    return { items, total, page, pageSize };
  }

  async forOpportunity(actor: Actor, opportunityId: string, page: number, pageSize: number) {
    const row = await findOpportunity(this.deps.db, actor.workspaceId, opportunityId);
    requireAccess(
      actor,
      row && { ownerId: row.opportunity.ownerId, teamId: row.opportunity.teamId },
      'opportunity',
    );
    const { items, total } = await listAudit(
      this.deps.db,
      actor.workspaceId,
      { entityType: 'opportunity', entityId: opportunityId },
      page,
      pageSize,
    );
    return { items, total, page, pageSize };
  }
}
