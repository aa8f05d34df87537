import type { Executor } from '../../db/database';
import { invalid } from '../../http/domain-error';
import { teamSubtree } from './people.repository';

/**
 * A `teamId` filter of a list, a report or an export: the team and its sub-teams. A team that is
 * not in the workspace is bad input (400 naming `teamId`), not a silently empty answer.
 */
export async function teamFilter(
  q: Executor,
  workspaceId: string,
  teamId: string | undefined,
): Promise<string[] | undefined> {
  if (!teamId) return undefined;
  const ids = await teamSubtree(q, workspaceId, teamId);
  if (ids.length === 0) throw invalid('teamId', 'unknown_reference', { entity: 'team' });
  return ids;
}
