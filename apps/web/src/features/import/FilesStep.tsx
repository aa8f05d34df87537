import { useState, type Dispatch, type SetStateAction } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Form,
  Popconfirm,
  Select,
  Space,
  Table,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { CloudUploadOutlined, DeleteOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useCurrentUser, usePipelines } from '../../api/queries';
import type { ImportEntity } from '../../api/types';
import { useI18n } from '../../i18n';
import { ErrorAlert, useErrorText } from '../../ui/errors';
import { useFormat } from '../../ui/format-hooks';
import { savedMappingsKey, useSavedMappings, WIZARD_ENTITIES } from './import-api';
import { savedEntryFor } from './mapping-draft';

export interface PickedFile {
  uid: string;
  file: File;
  entity: ImportEntity | undefined;
}

export interface FilesChoice {
  files: PickedFile[];
  savedMappingId: string | undefined;
  pipeline: string | undefined;
  createMissingOwners: boolean;
}

const ACCEPT = '.csv,.tsv,.txt,.xlsx';

/** Step 1: the files, the kind of each (or a saved mapping), the pipeline and the owners option. */
export function FilesStep({
  choice,
  onChange,
  onStart,
  error,
}: {
  choice: FilesChoice;
  onChange: Dispatch<SetStateAction<FilesChoice>>;
  onStart: () => void;
  error: unknown;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const me = useCurrentUser();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const { data: pipelines = [] } = usePipelines();
  const saved = useSavedMappings();
  const [rejected, setRejected] = useState<string[]>([]);
  const maySeedOwners = me.role === 'admin' || me.role === 'director';
  const savedMapping = saved.data?.find((m) => m.id === choice.savedMappingId);
  const duplicates = choice.files
    .map((f) => f.file.name)
    .filter((name, i, all) => all.indexOf(name) !== i);

  const kindOptions = [
    { value: 'auto', label: t('import.entity.auto') },
    ...WIZARD_ENTITIES.map((e) => ({ value: e, label: t(`import.entity.${e}`) })),
  ];

  /** A saved mapping sets the kind of each file it has an entry for. */
  const withSaved = (id: string | undefined, next: FilesChoice): FilesChoice => {
    const mapping = saved.data?.find((m) => m.id === id)?.mapping;
    return {
      ...next,
      savedMappingId: id,
      createMissingOwners: maySeedOwners
        ? (mapping?.createMissingOwners ?? next.createMissingOwners)
        : false,
      files: next.files.map((f) => ({
        ...f,
        entity:
          savedEntryFor(mapping, { name: f.file.name }, next.files.length)?.entity ?? f.entity,
      })),
    };
  };
  const applySaved = (id: string | undefined) => onChange((prev) => withSaved(id, prev));

  // Several files dropped at once arrive one call each, before any render: update from the
  // latest state, not from this render's.
  const addFile = (file: File, uid: string) => {
    if (!/\.(csv|tsv|txt|xlsx)$/i.test(file.name)) {
      setRejected((names) => [...names, file.name]);
      return;
    }
    onChange((prev) => {
      const next = { ...prev, files: [...prev.files, { uid, file, entity: undefined }] };
      return prev.savedMappingId ? withSaved(prev.savedMappingId, next) : next;
    });
  };

  const removeSaved = async (id: string) => {
    try {
      await api.delete(`/import-mappings/${id}`);
      await queryClient.invalidateQueries({ queryKey: savedMappingsKey });
      onChange((prev) => ({ ...prev, savedMappingId: undefined }));
    } catch (caught) {
      void message.error(errorText(caught));
    }
  };

  return (
    <div data-testid="import-files-step">
      <Upload.Dragger
        multiple
        accept={ACCEPT}
        showUploadList={false}
        beforeUpload={(file, batch) => {
          if (file === batch[0]) setRejected([]);
          addFile(file, file.uid);
          return false;
        }}
        data-testid="import-dropzone"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('import.files.drop')}</p>
        <p className="ant-upload-hint">{t('import.files.formats')}</p>
      </Upload.Dragger>
      {rejected.length > 0 ? (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={t('import.files.rejected', { names: rejected.join(t('list.separator')) })}
          data-testid="import-rejected"
        />
      ) : null}

      {choice.files.length > 0 ? (
        <Table<PickedFile>
          rowKey="uid"
          size="small"
          pagination={false}
          style={{ marginTop: 16 }}
          dataSource={choice.files}
          data-testid="import-file-list"
          columns={[
            {
              title: t('import.files.name'),
              key: 'name',
              render: (_, f) => (
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>{f.file.name}</Typography.Text>
                  {duplicates.includes(f.file.name) ? (
                    <Typography.Text type="danger">{t('import.files.duplicate')}</Typography.Text>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('import.files.size'),
              key: 'size',
              width: 120,
              align: 'right',
              render: (_, f) => format.bytes(f.file.size),
            },
            {
              title: t('import.files.kind'),
              key: 'kind',
              width: 220,
              render: (_, f) => (
                <Select
                  value={f.entity ?? 'auto'}
                  options={kindOptions}
                  onChange={(value: string) =>
                    onChange({
                      ...choice,
                      files: choice.files.map((x) =>
                        x.uid === f.uid
                          ? { ...x, entity: value === 'auto' ? undefined : (value as ImportEntity) }
                          : x,
                      ),
                    })
                  }
                  style={{ width: '100%' }}
                  aria-label={t('import.files.kind')}
                  data-testid="import-file-kind"
                />
              ),
            },
            {
              key: 'remove',
              width: 56,
              render: (_, f) => (
                <Tooltip title={t('action.remove')}>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('action.remove')}
                    onClick={() =>
                      onChange({ ...choice, files: choice.files.filter((x) => x.uid !== f.uid) })
                    }
                  />
                </Tooltip>
              ),
            },
          ]}
        />
      ) : null}

      <Form layout="vertical" style={{ marginTop: 16, maxWidth: 640 }}>
        <Form.Item
          label={t('import.files.savedMapping')}
          extra={t('import.files.savedMappingHint')}
        >
          <Space.Compact style={{ width: '100%' }}>
            <Select
              allowClear
              placeholder={t('import.files.noSavedMapping')}
              loading={saved.isPending}
              value={choice.savedMappingId}
              options={(saved.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
              onChange={(id?: string) => applySaved(id)}
              notFoundContent={t('import.files.noneSaved')}
              data-testid="import-saved-mapping"
              style={{ width: '100%' }}
            />
            {savedMapping ? (
              <Popconfirm
                title={t('import.files.deleteSaved', { name: savedMapping.name })}
                okText={t('action.remove')}
                cancelText={t('action.cancel')}
                onConfirm={() => removeSaved(savedMapping.id)}
              >
                <Button icon={<DeleteOutlined />} aria-label={t('action.remove')} />
              </Popconfirm>
            ) : null}
          </Space.Compact>
        </Form.Item>
        {pipelines.length > 1 ? (
          <Form.Item label={t('import.files.pipeline')}>
            <Select
              value={choice.pipeline ?? pipelines.find((p) => p.isDefault)?.id}
              options={pipelines.map((p) => ({ value: p.id, label: p.name }))}
              onChange={(pipeline: string) => onChange({ ...choice, pipeline })}
            />
          </Form.Item>
        ) : null}
        {maySeedOwners ? (
          <Form.Item extra={t('import.files.createOwnersHint')}>
            <Checkbox
              checked={choice.createMissingOwners}
              onChange={(e) => onChange({ ...choice, createMissingOwners: e.target.checked })}
              data-testid="import-create-owners"
            >
              {t('import.files.createOwners')}
            </Checkbox>
          </Form.Item>
        ) : null}
      </Form>
      <ErrorAlert error={error} />
      <Button
        type="primary"
        size="large"
        icon={<CloudUploadOutlined />}
        disabled={choice.files.length === 0 || duplicates.length > 0}
        onClick={onStart}
        style={{ marginTop: 8 }}
        data-testid="import-start"
      >
        {t('import.files.start')}
      </Button>
    </div>
  );
}
