import { useMemo } from 'react';
import {
  Alert,
  AutoComplete,
  Badge,
  Button,
  Card,
  Empty,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { ArrowRightOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { useCustomFields, usePicklists, usePipelines } from '../../api/queries';
import type { ImportEntity, ImportJob, ImportProblem, PicklistKind } from '../../api/types';
import { localLabel, useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/errors';
import { fieldOptions, WIZARD_ENTITIES } from './import-api';
import { JobProgress } from './JobProgress';
import {
  fieldsOf,
  setColumnFields,
  setEntity,
  setFileFormat,
  setValue,
  valuesToMap,
  type AmountUnit,
  type FileDraft,
  type MappingDraft,
} from './mapping-draft';

/** Date formats offered (any other can be typed): the tokens of docs/import-export.md. */
const DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYY/M/D',
  'YYYY.M.D',
  'YYYY年M月D日',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'D.M.YYYY',
  'DD-MM-YYYY',
  'YYYY-MM-DD HH:mm',
];

/** Fields whose values a value map translates, and where our values come from. */
const LIST_KINDS: Record<string, PicklistKind> = {
  source: 'source',
  industry: 'industry',
  region: 'region',
  productLine: 'product_line',
  lossReason: 'loss_reason',
};
function valueKindOf(field: string): 'stage' | 'status' | PicklistKind | null {
  if (field === 'stage' || field === 'lastOpenStage') return 'stage';
  if (field === 'status') return 'status';
  return LIST_KINDS[field] ?? null;
}

interface ColumnRow {
  header: string;
  fields: string[];
  samples: string[];
  errors: number;
  warnings: number;
}

/** Step 3: each column of each file, the field(s) it fills, value maps, date format and unit. */
export function MappingStep({
  job,
  draft,
  onDraftChange,
  dirty,
  checking,
  error,
  onCheck,
  onSave,
  onNext,
}: {
  job: ImportJob;
  draft: MappingDraft;
  onDraftChange: (draft: MappingDraft) => void;
  dirty: boolean;
  checking: boolean;
  error: unknown;
  onCheck: () => void;
  onSave: () => void;
  onNext: () => void;
}) {
  const { t } = useI18n();
  return (
    <div data-testid="import-mapping-step">
      <Typography.Paragraph type="secondary">{t('import.mapping.hint')}</Typography.Paragraph>
      {job.files.map((reported) => (
        <FileMappingCard
          key={reported.name}
          job={job}
          fileName={reported.name}
          draft={draft}
          onDraftChange={onDraftChange}
          disabled={checking}
        />
      ))}
      {dirty && !checking ? (
        <Alert
          type="info"
          showIcon
          title={t('import.mapping.changed')}
          style={{ marginBottom: 12 }}
          data-testid="import-mapping-changed"
        />
      ) : null}
      <ErrorAlert error={error} />
      {checking ? <JobProgress job={job} title={t('import.progress.checking')} /> : null}
      <Space wrap style={{ marginTop: 12 }}>
        <Button
          type={dirty ? 'primary' : 'default'}
          icon={<ReloadOutlined />}
          loading={checking}
          onClick={onCheck}
          data-testid="import-check-again"
        >
          {t('import.mapping.checkAgain')}
        </Button>
        <Button
          icon={<SaveOutlined />}
          disabled={checking}
          onClick={onSave}
          data-testid="import-save-mapping"
        >
          {t('import.mapping.save')}
        </Button>
        <Button
          type={dirty ? 'default' : 'primary'}
          icon={<ArrowRightOutlined />}
          disabled={checking}
          onClick={onNext}
          data-testid="import-to-result"
        >
          {t('import.mapping.toResult')}
        </Button>
      </Space>
    </div>
  );
}

function FileMappingCard({
  job,
  fileName,
  draft,
  onDraftChange,
  disabled,
}: {
  job: ImportJob;
  fileName: string;
  draft: MappingDraft;
  onDraftChange: (draft: MappingDraft) => void;
  disabled: boolean;
}) {
  const { t, locale } = useI18n();
  const reported = job.files.find((f) => f.name === fileName)!;
  const file = draft.files.find((f) => f.name === fileName);
  const entity = (file?.entity ?? reported.entity ?? 'opportunities') as ImportEntity;
  const { data: customFields = [] } = useCustomFields(
    entity === 'accounts' ? 'account' : 'opportunity',
  );
  const options = useMemo(
    () => fieldOptions(locale, entity, customFields),
    [locale, entity, customFields],
  );
  // a kind changed by hand is matched again by the next check: until then the old columns show
  const kindPending =
    file !== undefined && file.columns === undefined && reported.entity !== entity;

  const rows: ColumnRow[] = reported.columns
    .filter((c) => c.header.trim())
    .map((c) => {
      const own = job.problems.filter((p) => p.file === fileName && p.column === c.header);
      return {
        header: c.header,
        fields: kindPending ? [] : fieldsOf(file, c.header, c.fields),
        samples: c.samples,
        errors: own.filter((p) => p.severity === 'error').length,
        warnings: own.filter((p) => p.severity === 'warning').length,
      };
    });
  const mappedFields = [...new Set(rows.flatMap((r) => r.fields))];
  const valueFields = mappedFields.filter((f) => valueKindOf(f) !== null);
  const labelOf = (key: string) => options.find((o) => o.key === key)?.label ?? key;

  const kinds = [
    ...WIZARD_ENTITIES,
    ...(entity === 'lookup' ? (['lookup'] as ImportEntity[]) : []),
  ].map((e) => ({ value: e, label: t(`import.entity.${e}`) }));

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="import-file-mapping"
      title={
        <Space wrap>
          <Typography.Text strong>{fileName}</Typography.Text>
          <Select
            value={entity}
            options={kinds}
            disabled={disabled}
            onChange={(next: ImportEntity) => onDraftChange(setEntity(draft, fileName, next))}
            style={{ width: 170 }}
            aria-label={t('import.files.kind')}
            data-testid="import-mapping-kind"
          />
        </Space>
      }
      extra={
        <Space wrap>
          <Typography.Text type="secondary">{t('import.mapping.dateFormat')}</Typography.Text>
          <AutoComplete
            value={file?.dateFormat ?? ''}
            options={DATE_FORMATS.map((f) => ({ value: f }))}
            placeholder={t('import.mapping.dateFormatAuto')}
            disabled={disabled}
            allowClear
            onChange={(value: string) =>
              onDraftChange(
                setFileFormat(draft, fileName, { dateFormat: value.trim() || undefined }),
              )
            }
            style={{ width: 200 }}
            aria-label={t('import.mapping.dateFormat')}
            data-testid="import-date-format"
          />
          <Typography.Text type="secondary">{t('import.mapping.amountUnit')}</Typography.Text>
          <Select
            allowClear
            value={file?.amountUnit}
            placeholder={t('import.mapping.amountUnitAuto')}
            disabled={disabled}
            options={[
              { value: 'yuan', label: t('import.unit.yuan') },
              { value: 'wan', label: t('import.unit.wan') },
            ]}
            onChange={(unit?: AmountUnit) =>
              onDraftChange(setFileFormat(draft, fileName, { amountUnit: unit }))
            }
            style={{ width: 230 }}
            aria-label={t('import.mapping.amountUnit')}
            data-testid="import-amount-unit"
          />
        </Space>
      }
    >
      {kindPending ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('import.mapping.kindChanged')}
        />
      ) : null}
      <Table<ColumnRow>
        rowKey="header"
        size="small"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: <Empty description={t('import.mapping.noColumns')} /> }}
        data-testid="import-columns"
        columns={[
          {
            title: t('import.mapping.column'),
            key: 'header',
            width: 220,
            render: (_, row) => (
              <Space size={6}>
                <Typography.Text strong>{row.header}</Typography.Text>
                {row.errors > 0 ? (
                  <Tooltip title={t('import.mapping.columnErrors', { count: row.errors })}>
                    <Badge count={row.errors} color="#cf1322" />
                  </Tooltip>
                ) : row.warnings > 0 ? (
                  <Tooltip title={t('import.mapping.columnWarnings', { count: row.warnings })}>
                    <Badge count={row.warnings} color="#fa8c16" />
                  </Tooltip>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('import.mapping.samples'),
            key: 'samples',
            render: (_, row) => <Samples samples={row.samples} />,
          },
          {
            title: t('import.mapping.fields'),
            key: 'fields',
            width: 320,
            render: (_, row) => (
              <Select
                mode="multiple"
                allowClear
                value={row.fields}
                disabled={disabled}
                placeholder={t('import.mapping.ignored')}
                options={options.map((o) => ({ value: o.key, label: o.label }))}
                optionFilterProp="label"
                onChange={(fields: string[]) =>
                  onDraftChange(setColumnFields(draft, fileName, row.header, fields))
                }
                style={{ width: '100%' }}
                aria-label={t('import.mapping.fieldsOf', { column: row.header })}
                data-testid={`import-target-${row.header}`}
              />
            ),
          },
        ]}
      />
      {file && valueFields.length > 0 ? (
        <div style={{ marginTop: 16 }}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('import.mapping.valueMaps')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">
            {t('import.mapping.valueMapsHint')}
          </Typography.Paragraph>
          <Space align="start" wrap size={16}>
            {valueFields.map((field) => (
              <ValueMapEditor
                key={field}
                job={job}
                file={file}
                field={field}
                fieldLabel={labelOf(field)}
                draft={draft}
                onDraftChange={onDraftChange}
                disabled={disabled}
                problems={job.problems}
              />
            ))}
          </Space>
        </div>
      ) : null}
    </Card>
  );
}

function Samples({ samples }: { samples: string[] }) {
  const { t } = useI18n();
  if (samples.length === 0)
    return <Typography.Text type="secondary">{t('import.mapping.empty')}</Typography.Text>;
  const shown = samples.slice(0, 3);
  return (
    <Tooltip
      title={
        samples.length > shown.length ? (
          <div style={{ maxHeight: 240, overflow: 'auto' }}>
            {samples.map((s) => (
              <div key={s}>{s}</div>
            ))}
          </div>
        ) : undefined
      }
    >
      <div className="import-samples">
        {shown.map((s) => (
          <Tag key={s} className="import-sample">
            {s}
          </Tag>
        ))}
        {samples.length > shown.length ? (
          <Typography.Text type="secondary">
            {t('import.mapping.moreSamples', { count: samples.length - shown.length })}
          </Typography.Text>
        ) : null}
      </div>
    </Tooltip>
  );
}

/** Their values of one field onto ours: stages by name, statuses, value-list codes. */
function ValueMapEditor({
  job,
  file,
  field,
  fieldLabel,
  draft,
  onDraftChange,
  disabled,
  problems,
}: {
  job: ImportJob;
  file: FileDraft;
  field: string;
  fieldLabel: string;
  draft: MappingDraft;
  onDraftChange: (draft: MappingDraft) => void;
  disabled: boolean;
  problems: ImportProblem[];
}) {
  const { t, locale } = useI18n();
  const { data: pipelines = [] } = usePipelines();
  const { data: picklists = [] } = usePicklists();
  const kind = valueKindOf(field)!;
  const chosen = draft.options.pipeline;
  const pipeline =
    pipelines.find((p) => p.id === chosen || p.name === chosen) ??
    pipelines.find((p) => p.isDefault) ??
    pipelines[0];
  const ours: { value: string; label: string }[] =
    kind === 'stage'
      ? (pipeline?.stages ?? []).map((s) => ({ value: s.name, label: s.name }))
      : kind === 'status'
        ? (['open', 'won', 'lost', 'postponed'] as const).map((s) => ({
            value: s,
            label: t(`status.${s}`),
          }))
        : picklists
            .filter((v) => v.kind === kind && v.active)
            .sort((a, b) => a.position - b.position)
            .map((v) => ({ value: v.code, label: localLabel(locale, v, v.code) }));
  const theirs = valuesToMap(job, file, field, problems);
  const unplaced = new Set(
    problems
      .filter(
        (p) =>
          p.file === file.name &&
          ['unknown_stage', 'unknown_status', 'unknown_value', 'source_other'].includes(p.code),
      )
      .map((p) => p.value),
  );
  const map = file.values[field] ?? {};
  return (
    <Card
      size="small"
      type="inner"
      title={t('import.mapping.valueMapOf', { field: fieldLabel })}
      style={{ width: 420 }}
      data-testid={`import-value-map-${field}`}
    >
      {theirs.length === 0 ? (
        <Typography.Text type="secondary">{t('import.mapping.noValues')}</Typography.Text>
      ) : (
        <table className="import-value-map">
          <tbody>
            {theirs.map((value) => (
              <tr key={value}>
                <td>
                  <Tooltip title={unplaced.has(value) ? t('import.mapping.unplaced') : undefined}>
                    <Tag
                      color={unplaced.has(value) && map[value] === undefined ? 'error' : undefined}
                    >
                      {value}
                    </Tag>
                  </Tooltip>
                </td>
                <td className="import-value-arrow">→</td>
                <td>
                  <Select
                    allowClear
                    size="small"
                    value={map[value] ?? undefined}
                    disabled={disabled}
                    placeholder={t('import.mapping.asIs')}
                    options={ours}
                    onChange={(next?: string) =>
                      onDraftChange(setValue(draft, file.name, field, value, next))
                    }
                    style={{ width: 200 }}
                    aria-label={t('import.mapping.valueFor', { value })}
                    data-testid={`import-value-${field}-${value}`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
