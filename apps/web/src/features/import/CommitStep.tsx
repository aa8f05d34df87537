import { Button, Result } from 'antd';
import { Link } from 'react-router';
import type { ImportJob } from '../../api/types';
import { useI18n } from '../../i18n';
import { useFormat } from '../../ui/format-hooks';
import { CountsGrid } from './CheckResult';
import { jobErrorText } from './import-api';
import { JobProgress } from './JobProgress';

/** Step 5: the commit's progress, then what was written (or why nothing was). */
export function CommitStep({
  job,
  onBack,
  onRestart,
}: {
  job: ImportJob;
  onBack: () => void;
  onRestart: () => void;
}) {
  const { t, locale } = useI18n();
  const format = useFormat();
  if (job.status === 'committing')
    return <JobProgress job={job} title={t('import.progress.committing')} />;
  if (job.status === 'failed')
    return (
      <Result
        status="error"
        title={t('import.commit.failed')}
        subTitle={`${jobErrorText(locale, job.error)} ${t('import.commit.nothingWritten')}`}
        extra={[
          <Button key="back" onClick={onBack}>
            {t('import.result.back')}
          </Button>,
          <Button key="restart" type="primary" onClick={onRestart}>
            {t('import.restart')}
          </Button>,
        ]}
        data-testid="import-commit-failed"
      />
    );
  const counts = job.counts;
  return (
    <div data-testid="import-done">
      <Result
        status="success"
        title={t('import.commit.done')}
        subTitle={
          counts
            ? t('import.commit.summary', {
                opportunities: format.number(counts.opportunities),
                accounts: format.number(counts.accounts),
                rows: format.number(counts.rows),
              })
            : undefined
        }
        extra={[
          <Link key="list" to="/opportunities">
            <Button type="primary" data-testid="import-open-list">
              {t('import.commit.openList')}
            </Button>
          </Link>,
          <Link key="accounts" to="/accounts">
            <Button>{t('import.commit.openAccounts')}</Button>
          </Link>,
          <Button key="restart" onClick={onRestart} data-testid="import-restart">
            {t('import.commit.more')}
          </Button>,
        ]}
      />
      {counts ? <CountsGrid counts={counts} job={job} /> : null}
    </div>
  );
}
