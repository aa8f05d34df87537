/** Import mappings saved in the workspace for reuse: importers (managers and above) keep them. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { ImportMapping } from '@funnel/contracts';
import type { Db } from '../../db/database';
import { findInWorkspace } from '../../db/find';
import { isUniqueViolation } from '../../db/pg-errors';
import { importMappings } from '../../db/schema';
import { DomainError, notFound, versionConflict } from '../../http/domain-error';
import { requireRole } from '../access/access';
import type { Actor } from '../access/actor';
import { recordAudit } from '../audit/audit.repository';

type Row = typeof importMappings.$inferSelect;
const out = (r: Row) => ({
  id: r.id,
  name: r.name,
  mapping: r.mapping as ImportMapping,
  version: r.version,
  updatedAt: r.updatedAt.toISOString(),
});
const duplicate = () =>
  new DomainError('DUPLICATE', { entity: 'import_mapping', field: 'name' }, [
    { path: 'name', key: 'duplicate' },
  ]);

export class ImportMappingService {
  constructor(private readonly deps: { db: Db }) {}

  private require(actor: Actor) {
    requireRole(actor, 'admin', 'director', 'manager');
  }

  async list(actor: Actor) {
    this.require(actor);
    const rows = await this.deps.db
      .select()
      .from(importMappings)
      .where(eq(importMappings.workspaceId, actor.workspaceId))
      .orderBy(asc(importMappings.name));
    return rows.map(out);
  }

  async get(actor: Actor, id: string) {
    this.require(actor);
    const row = await findInWorkspace(this.deps.db, importMappings, actor.workspaceId, id);
    if (!row) throw notFound('import_mapping');
    return out(row);
  }

  async create(actor: Actor, input: { name: string; mapping: ImportMapping }) {
    this.require(actor);
    return this.deps.db.transaction(async (tx) => {
      try {
        const [row] = await tx.transaction((inner) =>
          inner
            .insert(importMappings)
            .values({
              workspaceId: actor.workspaceId,
              name: input.name,
              mapping: input.mapping,
              createdBy: actor.userId,
            })
            .returning(),
        );
        await recordAudit(tx, {
          workspaceId: actor.workspaceId,
          actorId: actor.userId,
          action: 'create',
          entityType: 'import_mapping',
          entityId: row!.id,
          after: row,
        });
        return out(row!);
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicate();
        throw error;
      }
    });
  }

  async update(
    actor: Actor,
    id: string,
    input: { version: number; name?: string | undefined; mapping?: ImportMapping | undefined },
  ) {
    this.require(actor);
    return this.deps.db.transaction(async (tx) => {
      const before = await findInWorkspace(tx, importMappings, actor.workspaceId, id, true);
      if (!before) throw notFound('import_mapping');
      if (before.version !== input.version) throw versionConflict('import_mapping', before.version);
      try {
        const [row] = await tx.transaction((inner) =>
          inner
            .update(importMappings)
            .set({
              ...(input.name === undefined ? {} : { name: input.name }),
              ...(input.mapping === undefined ? {} : { mapping: input.mapping }),
              version: sql`${importMappings.version} + 1`,
              updatedAt: sql`now()`,
            })
            .where(
              and(eq(importMappings.id, id), eq(importMappings.workspaceId, actor.workspaceId)),
            )
            .returning(),
        );
        await recordAudit(tx, {
          workspaceId: actor.workspaceId,
          actorId: actor.userId,
          action: 'update',
          entityType: 'import_mapping',
          entityId: id,
          before,
          after: row,
        });
        return out(row!);
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicate();
        throw error;
      }
    });
  }

  async remove(actor: Actor, id: string) {
    this.require(actor);
    await this.deps.db.transaction(async (tx) => {
      const before = await findInWorkspace(tx, importMappings, actor.workspaceId, id, true);
      if (!before) throw notFound('import_mapping');
      await tx.delete(importMappings).where(eq(importMappings.id, id));
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'delete',
        entityType: 'import_mapping',
        entityId: id,
        before,
      });
    });
  }
}
