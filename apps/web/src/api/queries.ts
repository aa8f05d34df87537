/** Reference data shared by every page: fetched once, cached for minutes. */
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, hasSessionCookie } from './client';
import type {
  Competitor,
  CustomField,
  Me,
  Member,
  Page,
  PicklistKind,
  PicklistValue,
  Pipeline,
  Team,
  Workspace,
} from './types';
import { localLabel, useI18n } from '../i18n';

const REFERENCE = { staleTime: 5 * 60_000 } as const;

export const meKey = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: meKey,
    // Without the CSRF cookie there is no session either: skip the request (and its 401).
    queryFn: () => (hasSessionCookie() ? api.get<Me>('/auth/me') : Promise.resolve(null)),
    retry: false,
    staleTime: Infinity,
  });
}

/** The signed-in person; only used below the auth guard, where Me is loaded. */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser before sign-in');
  return data;
}

export function usePipelines() {
  return useQuery({
    queryKey: ['pipelines'],
    queryFn: () => api.get<Pipeline[]>('/pipelines'),
    ...REFERENCE,
  });
}

export function useMembers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: () => api.get<Page<Member>>('/users', { pageSize: 500 }),
    select: (page) => page.items,
    ...REFERENCE,
  });
}

export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => api.get<Team[]>('/teams'), ...REFERENCE });
}

export function usePicklists() {
  return useQuery({
    queryKey: ['picklists'],
    queryFn: () => api.get<PicklistValue[]>('/picklists'),
    ...REFERENCE,
  });
}

/** Active values of one list, in order, plus a label lookup that also knows inactive codes. */
export function usePicklist(kind: PicklistKind) {
  const { locale } = useI18n();
  const { data = [] } = usePicklists();
  const values = data
    .filter((v) => v.kind === kind && v.active)
    .sort((a, b) => a.position - b.position);
  const labelOf = useCallback(
    (code: string | null | undefined) => {
      if (!code) return '—';
      const entry = data.find((v) => v.kind === kind && v.code === code);
      return localLabel(locale, entry, code);
    },
    [data, kind, locale],
  );
  const options = values.map((v) => ({ value: v.code, label: localLabel(locale, v) }));
  return { values, options, labelOf };
}

export function useCustomFields(entity: 'opportunity' | 'account') {
  return useQuery({
    queryKey: ['custom-fields'],
    queryFn: () => api.get<CustomField[]>('/custom-fields'),
    select: (fields) =>
      fields.filter((f) => f.entity === entity && f.active).sort((a, b) => a.position - b.position),
    ...REFERENCE,
  });
}

export function useCompetitors() {
  return useQuery({
    queryKey: ['competitors'],
    queryFn: () => api.get<Competitor[]>('/competitors'),
    ...REFERENCE,
  });
}

export function useWorkspace() {
  return useQuery({
    queryKey: ['workspace'],
    queryFn: () => api.get<Workspace>('/workspace'),
    ...REFERENCE,
  });
}

export function isManagerOrAbove(role: Me['role']): boolean {
  return role !== 'rep';
}
export function seesEveryone(role: Me['role']): boolean {
  return role === 'director' || role === 'admin';
}
