import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Result, Space, Steps, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, uploadFile } from '../../api/client';
import { useCurrentUser } from '../../api/queries';
import type { ImportJob } from '../../api/types';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/errors';
import { CheckResult } from './CheckResult';
import { CommitStep } from './CommitStep';
import { FilesStep, type FilesChoice } from './FilesStep';
import { isBusy, jobErrorText, useSavedMappings } from './import-api';
import { JobProgress, UploadProgress, type UploadState } from './JobProgress';
import { MappingStep } from './MappingStep';
import { startingDraft, syncWithJob, toMapping, type MappingDraft } from './mapping-draft';
import { SaveMappingDialog } from './SaveMappingDialog';

type Stage = 'files' | 'upload' | 'mapping' | 'result' | 'commit';
const STAGES: Stage[] = ['files', 'upload', 'mapping', 'result', 'commit'];
const POLL_MS = 400;

const EMPTY_CHOICE: FilesChoice = {
  files: [],
  savedMappingId: undefined,
  pipeline: undefined,
  createMissingOwners: false,
};

/**
 * The import wizard (SPEC F-9): files -> upload and dry run -> mapping -> check result -> commit.
 * The job lives on the server; the page follows it by polling. A changed mapping is checked
 * again on the files already uploaded (POST /imports/{id}/check), never by uploading again.
 */
export default function ImportPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  // the server lets managers, directors and admins import
  if (me.role === 'rep') return <Result status="403" title={t('import.forbidden')} />;
  return <ImportWizard />;
}

function ImportWizard() {
  const { t, locale } = useI18n();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const savedMappings = useSavedMappings();
  const [stage, setStage] = useState<Stage>('files');
  const [choice, setChoice] = useState<FilesChoice>(EMPTY_CHOICE);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [upload, setUpload] = useState<UploadState | null>(null);
  const [draft, setDraft] = useState<MappingDraft>({ options: {}, files: [] });
  // the mapping of the last check, to tell whether the draft has changed since
  const [checkedMapping, setCheckedMapping] = useState('');
  const [checking, setChecking] = useState(false);
  const [committing, setCommitting] = useState(false);
  const [saving, setSaving] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);
  const [checkError, setCheckError] = useState<unknown>(null);
  const [commitError, setCommitError] = useState<unknown>(null);
  const alive = useRef(true);
  const jobRef = useRef<ImportJob | null>(null);
  jobRef.current = job;

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      // leaving the wizard discards an import that was not committed (its files on the server)
      const left = jobRef.current;
      if (left && !isBusy(left) && left.status !== 'committed')
        void api.delete(`/imports/${left.id}`).catch(() => undefined);
    };
  }, []);

  /** Polls the job until it stops working; null when the page was left meanwhile. */
  const follow = async (id: string): Promise<ImportJob | null> => {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (!alive.current) return null;
      const next = await api.get<ImportJob>(`/imports/${id}`);
      if (!alive.current) return null;
      setJob(next);
      if (!isBusy(next) && next.status !== 'uploading') return next;
    }
  };

  const finishCheck = (used: MappingDraft, checked: ImportJob, next: Stage) => {
    const synced = syncWithJob(used, checked);
    setDraft(synced);
    setCheckedMapping(JSON.stringify(toMapping(synced)));
    if (checked.status === 'checked') setStage(next);
  };

  const start = async () => {
    setStartError(null);
    setStage('upload');
    const saved = savedMappings.data?.find((m) => m.id === choice.savedMappingId)?.mapping;
    const maySeedOwners = me.role === 'admin' || me.role === 'director';
    const initial = startingDraft(
      choice.files.map((f) => ({ name: f.file.name, entity: f.entity })),
      saved,
      {
        ...(choice.pipeline ? { pipeline: choice.pipeline } : {}),
        createMissingOwners: maySeedOwners && choice.createMissingOwners,
      },
    );
    setDraft(initial);
    try {
      const created = await api.post<ImportJob>('/imports', {
        files: choice.files.map((f) => f.file.name),
        mapping: toMapping(initial),
      });
      setJob(created);
      const total = choice.files.reduce((sum, f) => sum + f.file.size, 0);
      let before = 0;
      for (const [index, picked] of choice.files.entries()) {
        const state = {
          fileName: picked.file.name,
          index: index + 1,
          count: choice.files.length,
          total,
        };
        setUpload({ ...state, sent: before });
        const sentBefore = before;
        const after = await uploadFile<ImportJob>(
          'PUT',
          `/imports/${created.id}/files/${encodeURIComponent(picked.file.name)}`,
          picked.file,
          { onProgress: (sent) => setUpload({ ...state, sent: sentBefore + sent }) },
        );
        before += picked.file.size;
        if (!alive.current) return;
        setJob(after);
      }
      setUpload(null);
      const checked = await follow(created.id);
      if (checked) finishCheck(initial, checked, 'mapping');
    } catch (error) {
      setUpload(null);
      setStartError(error);
    }
  };

  const checkAgain = async (next: MappingDraft, then: Stage) => {
    if (!job) return;
    setCheckError(null);
    setChecking(true);
    setDraft(next);
    try {
      const started = await api.post<ImportJob>(`/imports/${job.id}/check`, {
        mapping: toMapping(next),
      });
      setJob(started);
      const checked = await follow(job.id);
      if (checked) finishCheck(next, checked, then);
    } catch (error) {
      setCheckError(error);
    } finally {
      setChecking(false);
    }
  };

  const commit = async () => {
    if (!job) return;
    setCommitError(null);
    setCommitting(true);
    try {
      const started = await api.post<ImportJob>(`/imports/${job.id}/commit`);
      setJob(started);
      setStage('commit');
      const done = await follow(job.id);
      // an import touches lists, the board, accounts, people: every shown query is refreshed
      if (done?.status === 'committed') await queryClient.invalidateQueries();
    } catch (error) {
      setCommitError(error);
    } finally {
      setCommitting(false);
    }
  };

  const restart = () => {
    if (job && !isBusy(job) && job.status !== 'committed')
      void api.delete(`/imports/${job.id}`).catch(() => undefined);
    setJob(null);
    setChoice(EMPTY_CHOICE);
    setDraft({ options: {}, files: [] });
    setCheckedMapping('');
    setStartError(null);
    setCheckError(null);
    setCommitError(null);
    setStage('files');
  };

  const dirty = job !== null && JSON.stringify(toMapping(draft)) !== checkedMapping;
  const failure =
    job?.status === 'failed'
      ? new ApiError(500, 'INTERNAL_ERROR', jobErrorText(locale, job.error))
      : null;
  const savedName = savedMappings.data?.find((m) => m.id === choice.savedMappingId)?.name;
  const checked = job !== null && (job.status === 'checked' || job.status === 'failed');

  return (
    <div data-testid="import-page">
      <div className="page-toolbar">
        <Space direction="vertical" size={0}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('import.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('import.subtitle')}</Typography.Text>
        </Space>
        {stage !== 'files' && !(stage === 'commit' && job?.status === 'committed') ? (
          <Button
            icon={<ReloadOutlined />}
            disabled={checking || committing || (job !== null && isBusy(job))}
            onClick={restart}
            data-testid="import-start-over"
          >
            {t('import.restart')}
          </Button>
        ) : null}
      </div>
      <div className="panel">
        <Steps
          current={STAGES.indexOf(stage)}
          size="small"
          onChange={(index) => {
            const target = STAGES[index]!;
            if (checked && !checking && (target === 'mapping' || target === 'result'))
              setStage(target);
          }}
          items={STAGES.map((s) => ({
            title: t(`import.step.${s}`),
            disabled: !(checked && (s === 'mapping' || s === 'result')),
          }))}
          data-testid="import-steps"
        />
      </div>
      <div className="panel">
        {stage === 'files' ? (
          <FilesStep
            choice={choice}
            onChange={setChoice}
            onStart={() => void start()}
            error={startError}
          />
        ) : null}
        {stage === 'upload' ? (
          <div data-testid="import-upload-step">
            {upload ? <UploadProgress upload={upload} /> : null}
            {!upload && job && !startError && job.status !== 'failed' ? (
              <JobProgress job={job} title={t('import.progress.checking')} />
            ) : null}
            <ErrorAlert error={startError ?? failure} />
            {startError || failure ? (
              <Button
                icon={<ArrowLeftOutlined />}
                style={{ marginTop: 12 }}
                onClick={() => {
                  if (job && !isBusy(job)) void api.delete(`/imports/${job.id}`).catch(() => null);
                  setJob(null);
                  setStage('files');
                }}
              >
                {t('import.backToFiles')}
              </Button>
            ) : null}
          </div>
        ) : null}
        {stage === 'mapping' && job ? (
          <MappingStep
            job={job}
            draft={draft}
            onDraftChange={setDraft}
            dirty={dirty}
            checking={checking}
            error={checkError ?? failure}
            onCheck={() => void checkAgain(draft, 'result')}
            onSave={() => setSaving(true)}
            onNext={() => setStage('result')}
          />
        ) : null}
        {stage === 'result' && job ? (
          <CheckResult
            job={job}
            dirty={dirty}
            checking={checking}
            skipInvalidRows={Boolean(draft.options.skipInvalidRows)}
            onSkipChange={(skip) =>
              void checkAgain(
                { ...draft, options: { ...draft.options, skipInvalidRows: skip || undefined } },
                'result',
              )
            }
            onBack={() => setStage('mapping')}
            onCommit={() => void commit()}
            committing={committing}
            error={commitError ?? checkError ?? failure}
          />
        ) : null}
        {stage === 'commit' && job ? (
          <>
            <CommitStep job={job} onBack={() => setStage('result')} onRestart={restart} />
            <ErrorAlert error={commitError} />
          </>
        ) : null}
        {stage !== 'files' && stage !== 'upload' && !job ? (
          <Alert type="warning" showIcon title={t('import.lost')} />
        ) : null}
      </div>
      {saving ? (
        <SaveMappingDialog
          // leaving rows out is decided per import, not kept with the mapping
          mapping={toMapping({
            ...draft,
            options: { ...draft.options, skipInvalidRows: undefined },
          })}
          initialName={savedName}
          onClose={() => setSaving(false)}
          onSaved={(saved) => setChoice({ ...choice, savedMappingId: saved.id })}
        />
      ) : null}
    </div>
  );
}
