import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { MoveResult, Opportunity, Stage } from '../../api/types';

export const opportunityKey = (id: string) => ['opportunity', id] as const;

export function useOpportunity(id: string | undefined) {
  return useQuery({
    queryKey: opportunityKey(id ?? ''),
    queryFn: () => api.get<Opportunity>(`/opportunities/${id}`),
    enabled: Boolean(id),
    staleTime: 0,
  });
}

/** After any change to an opportunity: everything that shows it is refreshed. */
export async function refreshAfterChange(queryClient: QueryClient, updated?: Opportunity) {
  if (updated) queryClient.setQueryData(opportunityKey(updated.id), updated);
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ['board'] }),
    queryClient.invalidateQueries({ queryKey: ['board-summary'] }),
    queryClient.invalidateQueries({ queryKey: ['opportunities'] }),
    queryClient.invalidateQueries({ queryKey: ['follow-ups'] }),
    // the dashboard refetches when it is next shown
    queryClient.invalidateQueries({ queryKey: ['analytics'], refetchType: 'none' }),
    updated
      ? queryClient.invalidateQueries({
          queryKey: ['opportunity', updated.id],
          refetchType: 'none',
        })
      : Promise.resolve(),
    updated
      ? queryClient.invalidateQueries({ queryKey: ['opportunity-history', updated.id] })
      : Promise.resolve(),
  ]);
}

export function moveOpportunity(
  id: string,
  body: { version: number; stageId: string; reason?: string },
) {
  return api.post<MoveResult>(`/opportunities/${id}/move`, body);
}

/** The opportunity as the stage gate sees it (see missingGateFields in the domain package). */
export function gateSnapshot(opportunity: Opportunity): Record<string, unknown> & {
  customFields: Record<string, unknown>;
} {
  return {
    ...opportunity,
    expectedAmount: Number(opportunity.expectedAmount),
    customFields: opportunity.customFields,
  };
}

export function openStagesOf(stages: Stage[]): Stage[] {
  return stages.filter((s) => s.kind === 'open').sort((a, b) => a.position - b.position);
}
