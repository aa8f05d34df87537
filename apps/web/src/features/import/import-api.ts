/** Server state of the import wizard: the job (polled while it works) and the saved mappings. */
import { useQuery } from '@tanstack/react-query';
// Sub-paths without zod: the page needs the catalogues, not the schemas.
import { ERROR_CODES, translate } from '@funnel/contracts/errors';
import { IMPORT_FIELDS } from '@funnel/contracts/import-fields';
import { api } from '../../api/client';
import type { CustomField, ImportEntity, ImportJob, SavedImportMapping } from '../../api/types';
import type { UiLocale } from '../../lib/format';

export const jobKey = (id: string | null) => ['import-job', id] as const;
export const savedMappingsKey = ['import-mappings'] as const;

export const isBusy = (job: ImportJob | undefined) =>
  job?.status === 'checking' || job?.status === 'committing';

export function useImportJob(id: string | null) {
  return useQuery({
    queryKey: jobKey(id),
    queryFn: ({ signal }) => api.get<ImportJob>(`/imports/${id}`, undefined, signal),
    enabled: id !== null,
    staleTime: 0,
    refetchInterval: (query) => (isBusy(query.state.data) ? 400 : false),
  });
}

export function useSavedMappings() {
  return useQuery({
    queryKey: savedMappingsKey,
    queryFn: () => api.get<SavedImportMapping[]>('/import-mappings'),
  });
}

/** The kinds of file the wizard offers (lookup files need a hand-written mapping). */
export const WIZARD_ENTITIES: ImportEntity[] = [
  'opportunities',
  'accounts',
  'contacts',
  'follow_ups',
  'stage_history',
  'owners',
];

export interface FieldOption {
  key: string;
  label: string;
  type: string;
}

/** The fields a kind of file can fill, in the UI language, custom fields last. */
export function fieldOptions(
  locale: UiLocale,
  entity: ImportEntity,
  customFields: CustomField[],
): FieldOption[] {
  const own = IMPORT_FIELDS[entity]
    .filter((f) => !f.exportOnly)
    .map((f) => ({ key: f.key, label: locale === 'zh-CN' ? f.zh : f.en, type: f.type }));
  if (entity !== 'opportunities' && entity !== 'accounts') return own;
  const target = entity === 'accounts' ? 'account' : 'opportunity';
  return [
    ...own,
    ...customFields
      .filter((c) => c.entity === target)
      .map((c) => ({
        key: `custom.${c.key}`,
        label: locale === 'zh-CN' ? c.labelZh : c.labelEn,
        type: 'custom',
      })),
  ];
}

/** A failed job's error (`CODE: path key`, as the server records it) in the UI language. */
export function jobErrorText(locale: UiLocale, error: string | null): string {
  if (!error) return '';
  const code = error.split(':')[0]!.trim();
  return (ERROR_CODES as readonly string[]).includes(code) ? translate(locale, code) : error;
}
