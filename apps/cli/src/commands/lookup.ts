/** Names on the command line (owner e-mails, team, pipeline and stage names) to ids. */
import { createServices, systemActor, type Db } from '@funnel/server';
import { CliError } from '../context';

export async function idsByName(
  db: Db,
  workspaceId: string,
  kind: 'owner' | 'team' | 'pipeline' | 'stage',
  names: string,
): Promise<string[]> {
  const services = createServices({ db });
  const system = systemActor(workspaceId);
  let candidates: { id: string; name: string }[];
  if (kind === 'owner')
    candidates = (await services.people.listMembers(system, {}, 1, 500)).items.map((m) => ({
      id: m.id,
      name: m.email,
    }));
  else if (kind === 'team') candidates = await services.people.listTeams(system);
  else {
    const pipelines = await services.pipelines.list(system);
    candidates = kind === 'pipeline' ? pipelines : pipelines.flatMap((p) => p.stages);
  }
  return names.split(',').flatMap((name) => {
    const found = candidates.filter((c) => c.name.toLowerCase() === name.trim().toLowerCase());
    if (found.length === 0) throw new CliError(`No ${kind} "${name}".`);
    return found.map((f) => f.id);
  });
}
