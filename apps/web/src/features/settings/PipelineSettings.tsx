import { useState } from 'react';
import {
  App,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { FORECAST_CATEGORIES, GATE_FIELDS, GATE_MODES, STAGE_KINDS } from '@funnel/domain';
import { api } from '../../api/client';
import { useCustomFields, usePipelines } from '../../api/queries';
import type { Pipeline, PipelinePreset, StageInput } from '../../api/types';
import { localLabel, useI18n } from '../../i18n';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { useFieldLabel } from '../opportunities/fields';

type StageRow = StageInput & { key: string };

/** Pipelines and their stages with every F-2 attribute; new pipelines from the presets. */
export function PipelineSettings() {
  const { t } = useI18n();
  const { data: pipelines = [] } = usePipelines();
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const selected =
    pipelines.find((p) => p.id === selectedId) ??
    pipelines.find((p) => p.isDefault) ??
    pipelines[0];
  return (
    <div>
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          value={selected?.id}
          onChange={setSelectedId}
          style={{ minWidth: 220 }}
          options={pipelines.map((p) => ({
            value: p.id,
            label: `${p.name}${p.isDefault ? ` (${t('settings.default')})` : ''}${p.archived ? ` (${t('settings.archived')})` : ''}`,
          }))}
        />
        <Button
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="new-pipeline"
        >
          {t('settings.newPipeline')}
        </Button>
      </Space>
      {selected ? (
        <PipelineEditor key={`${selected.id}:${selected.version}`} pipeline={selected} />
      ) : null}
      {creating ? (
        <CreatePipelineDialog onClose={() => setCreating(false)} onCreated={setSelectedId} />
      ) : null}
    </div>
  );
}

function PipelineEditor({ pipeline }: { pipeline: Pipeline }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const fieldLabel = useFieldLabel();
  const { data: customFields = [] } = useCustomFields('opportunity');
  const [name, setName] = useState(pipeline.name);
  const [stages, setStages] = useState<StageRow[]>(() =>
    pipeline.stages
      .slice()
      .sort((a, b) => a.position - b.position)
      .map((s) => ({
        key: s.id,
        id: s.id,
        name: s.name,
        kind: s.kind,
        entryCriteria: s.entryCriteria,
        keyActivities: s.keyActivities,
        expectedResult: s.expectedResult,
        winProbability: s.winProbability,
        standardDwellDays: s.standardDwellDays,
        standardCountRatio: s.standardCountRatio,
        requiredFields: s.requiredFields,
        gateMode: s.gateMode,
        forecastCategory: s.forecastCategory,
      })),
  );
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const gateOptions = [
    ...GATE_FIELDS.map((f) => ({ value: f, label: fieldLabel(f) })),
    ...customFields.map((f) => ({ value: `custom.${f.key}`, label: localLabel(locale, f) })),
  ];
  const update = (index: number, patch: Partial<StageRow>) =>
    setStages((rows) => rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const moveRow = (index: number, delta: number) =>
    setStages((rows) => {
      const next = rows.slice();
      const [row] = next.splice(index, 1);
      next.splice(index + delta, 0, row!);
      return next;
    });

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['pipelines'] });
  const saveStages = async () => {
    setSaving(true);
    setError(null);
    try {
      if (name.trim() !== pipeline.name) {
        await api.patch(`/pipelines/${pipeline.id}`, {
          version: pipeline.version,
          name: name.trim(),
        });
      }
      const fresh = await api.get<Pipeline>(`/pipelines/${pipeline.id}`);
      await api.put(`/pipelines/${pipeline.id}/stages`, {
        version: fresh.version,
        stages: stages.map(({ key: _key, ...stage }) => stage),
      });
      void message.success(t('settings.saved'));
      await refresh();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };
  const patchPipeline = async (body: Record<string, unknown>) => {
    try {
      await api.patch(`/pipelines/${pipeline.id}`, { version: pipeline.version, ...body });
      void message.success(t('settings.saved'));
      await refresh();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <div data-testid="pipeline-editor">
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} onReload={() => void refresh()} />
        </div>
      ) : null}
      <Space style={{ marginBottom: 12 }} wrap>
        <Input
          value={name}
          onChange={(e) => setName(e.target.value)}
          style={{ width: 240 }}
          aria-label={t('settings.pipelineName')}
        />
        {!pipeline.isDefault ? (
          <Button onClick={() => void patchPipeline({ isDefault: true })}>
            {t('settings.makeDefault')}
          </Button>
        ) : (
          <Tag color="blue">{t('settings.default')}</Tag>
        )}
        {!pipeline.isDefault ? (
          <Button onClick={() => void patchPipeline({ archived: !pipeline.archived })}>
            {pipeline.archived ? t('settings.unarchive') : t('settings.archive')}
          </Button>
        ) : null}
      </Space>
      <Table<StageRow>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={stages}
        scroll={{ x: 1700 }}
        columns={[
          {
            title: '',
            key: 'order',
            width: 70,
            fixed: 'left',
            render: (_, _row, index) => (
              <Space size={0}>
                <Button
                  type="text"
                  size="small"
                  icon={<ArrowUpOutlined />}
                  disabled={index === 0}
                  onClick={() => moveRow(index, -1)}
                  aria-label={t('settings.moveUp')}
                />
                <Button
                  type="text"
                  size="small"
                  icon={<ArrowDownOutlined />}
                  disabled={index === stages.length - 1}
                  onClick={() => moveRow(index, 1)}
                  aria-label={t('settings.moveDown')}
                />
              </Space>
            ),
          },
          {
            title: t('stage.name'),
            key: 'name',
            width: 140,
            fixed: 'left',
            render: (_, row, i) => (
              <Input value={row.name} onChange={(e) => update(i, { name: e.target.value })} />
            ),
          },
          {
            title: t('stage.kind'),
            key: 'kind',
            width: 100,
            render: (_, row, i) => (
              <Select
                value={row.kind}
                onChange={(kind) => update(i, { kind })}
                options={STAGE_KINDS.map((k) => ({ value: k, label: t(`stage.kind.${k}`) }))}
                style={{ width: '100%' }}
              />
            ),
          },
          {
            title: t('stage.winProbability'),
            key: 'p',
            width: 100,
            render: (_, row, i) => (
              <InputNumber
                min={0}
                max={100}
                value={row.winProbability}
                onChange={(v) => update(i, { winProbability: v ?? 0 })}
                suffix="%"
              />
            ),
          },
          {
            title: t('stage.dwellDays'),
            key: 'd',
            width: 100,
            render: (_, row, i) => (
              <InputNumber
                min={0}
                max={3650}
                value={row.standardDwellDays}
                onChange={(v) => update(i, { standardDwellDays: v })}
              />
            ),
          },
          {
            title: t('stage.countRatio'),
            key: 'r',
            width: 100,
            render: (_, row, i) => (
              <InputNumber
                min={0}
                value={row.standardCountRatio}
                onChange={(v) => update(i, { standardCountRatio: v })}
              />
            ),
          },
          {
            title: t('stage.entryCriteria'),
            key: 'e',
            width: 200,
            render: (_, row, i) => (
              <Input.TextArea
                autoSize={{ maxRows: 3 }}
                value={row.entryCriteria}
                onChange={(e) => update(i, { entryCriteria: e.target.value })}
              />
            ),
          },
          {
            title: t('stage.keyActivities'),
            key: 'k',
            width: 200,
            render: (_, row, i) => (
              <Input.TextArea
                autoSize={{ maxRows: 3 }}
                value={row.keyActivities}
                onChange={(e) => update(i, { keyActivities: e.target.value })}
              />
            ),
          },
          {
            title: t('stage.expectedResult'),
            key: 'x',
            width: 180,
            render: (_, row, i) => (
              <Input.TextArea
                autoSize={{ maxRows: 3 }}
                value={row.expectedResult}
                onChange={(e) => update(i, { expectedResult: e.target.value })}
              />
            ),
          },
          {
            title: t('stage.requiredFields'),
            key: 'g',
            width: 240,
            render: (_, row, i) => (
              <Select
                mode="multiple"
                value={row.requiredFields}
                onChange={(requiredFields: string[]) => update(i, { requiredFields })}
                options={gateOptions}
                style={{ width: '100%' }}
                maxTagCount="responsive"
              />
            ),
          },
          {
            title: t('stage.gateMode'),
            key: 'gm',
            width: 110,
            render: (_, row, i) => (
              <Select
                value={row.gateMode}
                onChange={(gateMode) => update(i, { gateMode })}
                options={GATE_MODES.map((m) => ({ value: m, label: t(`stage.gateMode.${m}`) }))}
                style={{ width: '100%' }}
              />
            ),
          },
          {
            title: t('field.forecastCategory'),
            key: 'f',
            width: 130,
            render: (_, row, i) => (
              <Select
                value={row.forecastCategory}
                onChange={(forecastCategory) => update(i, { forecastCategory })}
                options={FORECAST_CATEGORIES.map((c) => ({ value: c, label: t(`forecast.${c}`) }))}
                style={{ width: '100%' }}
              />
            ),
          },
          {
            title: '',
            key: 'del',
            width: 50,
            fixed: 'right',
            render: (_, _row, i) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('action.remove')}
                onClick={() => setStages((rows) => rows.filter((_r, j) => j !== i))}
              />
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button
          icon={<PlusOutlined />}
          onClick={() =>
            setStages((rows) => {
              const firstTerminal = rows.findIndex((r) => r.kind !== 'open');
              const at = firstTerminal < 0 ? rows.length : firstTerminal;
              const next = rows.slice();
              next.splice(at, 0, {
                key: `new-${Date.now()}`,
                name: '',
                kind: 'open',
                winProbability: 0,
                standardDwellDays: 14,
                standardCountRatio: null,
                requiredFields: [],
                gateMode: 'warn',
                forecastCategory: 'pipeline',
                entryCriteria: '',
                keyActivities: '',
                expectedResult: '',
              });
              return next;
            })
          }
        >
          {t('settings.addStage')}
        </Button>
        <Button
          type="primary"
          loading={saving}
          onClick={() => void saveStages()}
          data-testid="save-stages"
        >
          {t('action.save')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('settings.stagesHint')}
      </Typography.Paragraph>
    </div>
  );
}

function CreatePipelineDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ name: string; preset: string; isDefault: boolean }>();
  const [error, setError] = useState<unknown>(null);
  const presets = useQuery({
    queryKey: ['pipeline-presets'],
    queryFn: () => api.get<PipelinePreset[]>('/pipelines/presets'),
    staleTime: Infinity,
  });
  const presetKey = Form.useWatch('preset', form);
  const preset = presets.data?.find((p) => p.key === presetKey);
  return (
    <Modal
      open
      title={t('settings.newPipeline')}
      onCancel={onClose}
      okText={t('action.create')}
      cancelText={t('action.cancel')}
      onOk={async () => {
        const values = await form.validateFields().catch(() => null);
        if (!values) return;
        try {
          const created = await api.post<Pipeline>('/pipelines', values);
          await queryClient.invalidateQueries({ queryKey: ['pipelines'] });
          onCreated(created.id);
          onClose();
        } catch (caught) {
          applyFieldErrors(form, caught);
          setError(caught);
        }
      }}
    >
      {error ? <ErrorAlert error={error} fieldsShownInline /> : null}
      <Form form={form} layout="vertical" initialValues={{ isDefault: false }}>
        <Form.Item
          name="name"
          label={t('settings.pipelineName')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="preset"
          label={t('settings.preset')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            options={(presets.data ?? []).map((p) => ({
              value: p.key,
              label: locale === 'zh-CN' ? p.nameZh : p.nameEn,
            }))}
            onChange={(key: string) => {
              const chosen = presets.data?.find((p) => p.key === key);
              if (chosen && !form.getFieldValue('name'))
                form.setFieldsValue({ name: locale === 'zh-CN' ? chosen.nameZh : chosen.nameEn });
            }}
          />
        </Form.Item>
        {preset ? (
          <div style={{ marginBottom: 16 }}>
            {preset.stages.map((s) => (
              <Tag
                key={s.name}
                color={s.kind === 'won' ? 'green' : s.kind === 'lost' ? 'default' : 'blue'}
              >
                {s.name} {s.winProbability}%
              </Tag>
            ))}
          </div>
        ) : null}
        <Form.Item name="isDefault" valuePropName="checked">
          <Checkbox>{t('settings.makeDefault')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
