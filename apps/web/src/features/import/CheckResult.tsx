import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, CheckOutlined, DownloadOutlined } from '@ant-design/icons';
import { IMPORT_FIELDS } from '@funnel/contracts/import-fields';
import type { ImportCounts, ImportEntity, ImportJob, ImportProblem } from '../../api/types';
import { useI18n, type MessageKey } from '../../i18n';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format-hooks';
import { JobProgress } from './JobProgress';

const COUNTS: { key: keyof ImportCounts; label: MessageKey }[] = [
  { key: 'opportunities', label: 'import.count.opportunities' },
  { key: 'existingOpportunities', label: 'import.count.existingOpportunities' },
  { key: 'accounts', label: 'import.count.accounts' },
  { key: 'existingAccounts', label: 'import.count.existingAccounts' },
  { key: 'contacts', label: 'import.count.contacts' },
  { key: 'followUps', label: 'import.count.followUps' },
  { key: 'stageChanges', label: 'import.count.stageChanges' },
  { key: 'owners', label: 'import.count.owners' },
];

/** What the import creates (or created): one figure per kind of record. */
export function CountsGrid({ counts, job }: { counts: ImportCounts; job: ImportJob }) {
  const { t } = useI18n();
  const format = useFormat();
  // accounts already in the workspace are counted for accounts files (not for accounts named
  // by opportunity rows): the figure only means something when there is such a file
  const shown = COUNTS.filter(
    ({ key }) => key !== 'existingAccounts' || job.files.some((f) => f.entity === 'accounts'),
  );
  return (
    <div className="import-counts" data-testid="import-counts">
      {shown.map(({ key, label }) => (
        <div key={key} className="import-count" data-testid={`import-count-${key}`}>
          <Statistic title={t(label)} value={format.number(counts[key])} />
        </div>
      ))}
    </div>
  );
}

type Filter = 'all' | 'error' | 'warning';

/** Step 4: the dry run's figures and problems; the commit waits for a clean (or skipped) check. */
export function CheckResult({
  job,
  dirty,
  checking,
  skipInvalidRows,
  onSkipChange,
  onBack,
  onCommit,
  committing,
  error,
}: {
  job: ImportJob;
  dirty: boolean;
  checking: boolean;
  skipInvalidRows: boolean;
  onSkipChange: (skip: boolean) => void;
  onBack: () => void;
  onCommit: () => void;
  committing: boolean;
  error: unknown;
}) {
  const { t, locale } = useI18n();
  const format = useFormat();
  const [filter, setFilter] = useState<Filter>('all');
  // A problem of a value filled in (a default, a derived date) names the field, not a column.
  const columnLabel = (problem: ImportProblem) => {
    const file = job.files.find((f) => f.name === problem.file);
    if (!file || file.columns.some((c) => c.header === problem.column)) return problem.column;
    const field = IMPORT_FIELDS[(file.entity ?? 'opportunities') as ImportEntity]?.find(
      (f) => f.key === problem.column,
    );
    return field ? (locale === 'zh-CN' ? field.zh : field.en) : problem.column;
  };
  const counts = job.counts;
  const several = job.files.length > 1;
  // one problem per row of the table, even when a cell fills two fields and both complain
  const problems = job.problems
    .map((p, index) => ({ ...p, key: index }))
    .filter((p) => filter === 'all' || p.severity === filter);
  const errorRows = counts?.errorRows ?? 0;
  const commitBlocked = !job.canCommit || dirty || checking;
  const blockedReason = dirty
    ? t('import.result.checkFirst')
    : !job.canCommit && errorRows > 0
      ? t('import.result.fixFirst')
      : undefined;

  if (checking) return <JobProgress job={job} title={t('import.progress.checking')} />;

  return (
    <div data-testid="import-result-step">
      {counts ? (
        <>
          {errorRows > 0 ? (
            <Alert
              type={skipInvalidRows ? 'warning' : 'error'}
              showIcon
              data-testid="import-result-errors"
              title={t(skipInvalidRows ? 'import.result.skipping' : 'import.result.errors', {
                rows: format.number(errorRows),
                total: format.number(counts.rows),
              })}
              description={skipInvalidRows ? undefined : t('import.result.errorsHint')}
            />
          ) : (
            <Alert
              type="success"
              showIcon
              data-testid="import-result-ready"
              title={t('import.result.ready', { total: format.number(counts.rows) })}
              description={
                counts.warnings > 0
                  ? t('import.result.warnings', { count: format.number(counts.warnings) })
                  : undefined
              }
            />
          )}
          <div style={{ margin: '16px 0' }}>
            <CountsGrid counts={counts} job={job} />
          </div>
        </>
      ) : null}

      <div className="page-toolbar">
        <Space wrap>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('import.result.problems')}
          </Typography.Title>
          <Segmented
            value={filter}
            onChange={(value) => setFilter(value as Filter)}
            options={[
              { value: 'all', label: t('import.result.all') },
              { value: 'error', label: t('import.severity.error') },
              { value: 'warning', label: t('import.severity.warning') },
            ]}
          />
        </Space>
        <Button
          icon={<DownloadOutlined />}
          href={`/api/v1/imports/${job.id}/problems`}
          download
          disabled={job.problemCount === 0}
          data-testid="import-problems-download"
        >
          {t('import.result.downloadAll', { count: format.number(job.problemCount) })}
        </Button>
      </div>
      <Table<ImportProblem & { key: number }>
        rowKey="key"
        size="small"
        dataSource={problems}
        pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{ emptyText: t('import.result.noProblems') }}
        data-testid="import-problems"
        columns={[
          ...(several
            ? [{ title: t('import.result.file'), dataIndex: 'file', key: 'file', width: 160 }]
            : []),
          {
            title: t('import.result.row'),
            dataIndex: 'row',
            key: 'row',
            width: 70,
            render: (row: number) => (row === 0 ? '—' : row),
          },
          {
            title: t('import.result.column'),
            key: 'column',
            width: 160,
            render: (_, problem) => columnLabel(problem),
          },
          {
            title: t('import.result.severity'),
            dataIndex: 'severity',
            key: 'severity',
            width: 90,
            render: (severity: ImportProblem['severity']) => (
              <Tag color={severity === 'error' ? 'error' : 'warning'}>
                {t(`import.severity.${severity}`)}
              </Tag>
            ),
          },
          { title: t('import.result.reason'), dataIndex: 'message', key: 'message' },
          {
            title: t('import.result.value'),
            dataIndex: 'value',
            key: 'value',
            width: 200,
            ellipsis: true,
          },
        ]}
      />
      {job.problemCount > job.problems.length ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('import.result.firstOnly', {
            shown: format.number(job.problems.length),
            total: format.number(job.problemCount),
          })}
        </Typography.Paragraph>
      ) : null}

      {errorRows > 0 ? (
        <Checkbox
          checked={skipInvalidRows}
          onChange={(e) => onSkipChange(e.target.checked)}
          style={{ marginTop: 12 }}
          data-testid="import-skip-invalid"
        >
          {t('import.result.skip', { rows: format.number(errorRows) })}
        </Checkbox>
      ) : null}
      {dirty ? (
        <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('import.mapping.changed')} />
      ) : null}
      <ErrorAlert error={error} />
      <Space wrap style={{ marginTop: 16 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack} data-testid="import-back-to-mapping">
          {t('import.result.back')}
        </Button>
        <Tooltip title={commitBlocked ? blockedReason : undefined}>
          <Button
            type="primary"
            icon={<CheckOutlined />}
            disabled={commitBlocked}
            loading={committing}
            onClick={onCommit}
            data-testid="import-commit"
          >
            {t('import.result.commit')}
          </Button>
        </Tooltip>
      </Space>
    </div>
  );
}
