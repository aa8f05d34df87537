import { Progress, Space, Typography } from 'antd';
import type { ImportJob } from '../../api/types';
import { useI18n, type MessageKey } from '../../i18n';
import { useFormat } from '../../ui/format-hooks';

export interface UploadState {
  /** The file being sent, its place among the files, and the bytes sent of all of them. */
  fileName: string;
  index: number;
  count: number;
  sent: number;
  total: number;
}

/** The bytes sent so far, across all the files of the import. */
export function UploadProgress({ upload }: { upload: UploadState }) {
  const { t } = useI18n();
  const format = useFormat();
  const percent = upload.total > 0 ? Math.floor((upload.sent / upload.total) * 100) : 0;
  return (
    <div data-testid="import-upload-progress">
      <Typography.Text>
        {t('import.progress.uploading', {
          file: upload.fileName,
          index: upload.index,
          count: upload.count,
        })}
      </Typography.Text>
      <Progress percent={percent} status="active" />
      <Typography.Text type="secondary">
        {t('import.progress.bytes', {
          sent: format.bytes(upload.sent),
          total: format.bytes(upload.total),
        })}
      </Typography.Text>
    </div>
  );
}

const PHASES: Record<string, MessageKey> = {
  upload: 'import.phase.upload',
  start: 'import.phase.start',
  check: 'import.phase.start',
  commit: 'import.phase.start',
  owners: 'import.phase.owners',
  'stage history': 'import.phase.stageHistory',
  merge: 'import.phase.merge',
  accounts: 'import.phase.accounts',
  opportunities: 'import.phase.opportunities',
  contacts: 'import.phase.contacts',
  'follow-ups': 'import.phase.followUps',
  done: 'import.phase.done',
};

/** The dry run's or the commit's progress as the server reports it: phase, rows, rows/s. */
export function JobProgress({ job, title }: { job: ImportJob; title: string }) {
  const { t } = useI18n();
  const format = useFormat();
  const { progress } = job;
  const running = job.status === 'checking' || job.status === 'committing';
  const percent =
    progress.totalBytes > 0
      ? Math.min(running ? 99 : 100, Math.floor((progress.doneBytes / progress.totalBytes) * 100))
      : running
        ? 0
        : 100;
  const phase = PHASES[progress.phase];
  return (
    <div data-testid="import-job-progress">
      <Typography.Text strong>{title}</Typography.Text>
      <Progress percent={percent} status={running ? 'active' : 'normal'} />
      <Space size="large" wrap>
        <Typography.Text type="secondary" data-testid="import-phase">
          {t('import.progress.phase', { phase: phase ? t(phase) : progress.phase })}
        </Typography.Text>
        <Typography.Text type="secondary">
          {t('import.progress.rows', { rows: format.number(progress.rows) })}
        </Typography.Text>
        <Typography.Text type="secondary">
          {t('import.progress.rate', { rate: format.number(progress.rowsPerSecond) })}
        </Typography.Text>
      </Space>
    </div>
  );
}
