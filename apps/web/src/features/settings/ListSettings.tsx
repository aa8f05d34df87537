import { useState } from 'react';
import {
  App,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useCompetitors, usePicklists } from '../../api/queries';
import type { CustomField, PicklistKind, PicklistValue } from '../../api/types';
import { useI18n } from '../../i18n';
import { applyFieldErrors, ErrorAlert, useErrorText } from '../../ui/errors';
import { useQuery } from '@tanstack/react-query';

const KINDS: PicklistKind[] = [
  'loss_reason',
  'postpone_reason',
  'source',
  'industry',
  'region',
  'product_line',
];
const FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'select'] as const;

/** Value lists (loss reasons, sources ...), custom fields and competitors. */
export function ListSettings() {
  const { t } = useI18n();
  const [section, setSection] = useState<'picklists' | 'customFields' | 'competitors'>('picklists');
  return (
    <div>
      <Segmented
        style={{ marginBottom: 16 }}
        value={section}
        onChange={setSection}
        options={[
          { value: 'picklists', label: t('settings.valueLists') },
          { value: 'customFields', label: t('settings.customFields') },
          { value: 'competitors', label: t('settings.competitors') },
        ]}
      />
      {section === 'picklists' ? <Picklists /> : null}
      {section === 'customFields' ? <CustomFields /> : null}
      {section === 'competitors' ? <Competitors /> : null}
    </div>
  );
}

function useRun() {
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { t } = useI18n();
  return async (action: () => Promise<unknown>, after: () => Promise<unknown>) => {
    try {
      await action();
      void message.success(t('settings.saved'));
    } catch (error) {
      void message.error(errorText(error));
    }
    await after();
  };
}

function Picklists() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const run = useRun();
  const [kind, setKind] = useState<PicklistKind>('loss_reason');
  const [adding, setAdding] = useState(false);
  const { data = [] } = usePicklists();
  const values = data.filter((v) => v.kind === kind).sort((a, b) => a.position - b.position);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['picklists'] });
  const patch = (value: PicklistValue, body: Record<string, unknown>) =>
    run(() => api.patch(`/picklists/${value.id}`, { version: value.version, ...body }), refresh);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          value={kind}
          onChange={setKind}
          style={{ width: 200 }}
          options={KINDS.map((k) => ({ value: k, label: t(`picklist.${k}`) }))}
          data-testid="picklist-kind"
        />
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t('settings.addValue')}
        </Button>
      </Space>
      <Table<PicklistValue>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={values}
        columns={[
          { title: t('settings.code'), dataIndex: 'code', width: 160 },
          {
            title: t('settings.labelZh'),
            key: 'zh',
            render: (_, v) => (
              <Input
                defaultValue={v.labelZh}
                onBlur={(e) =>
                  e.target.value !== v.labelZh && void patch(v, { labelZh: e.target.value })
                }
              />
            ),
          },
          {
            title: t('settings.labelEn'),
            key: 'en',
            render: (_, v) => (
              <Input
                defaultValue={v.labelEn}
                onBlur={(e) =>
                  e.target.value !== v.labelEn && void patch(v, { labelEn: e.target.value })
                }
              />
            ),
          },
          {
            title: t('settings.position'),
            key: 'pos',
            width: 100,
            render: (_, v) => (
              <InputNumber
                defaultValue={v.position}
                min={0}
                onBlur={(e) =>
                  Number(e.target.value) !== v.position &&
                  void patch(v, { position: Number(e.target.value) })
                }
              />
            ),
          },
          {
            title: t('settings.active'),
            key: 'active',
            width: 80,
            render: (_, v) => (
              <Switch checked={v.active} onChange={(active) => void patch(v, { active })} />
            ),
          },
        ]}
      />
      {adding ? (
        <AddDialog
          title={t('settings.addValue')}
          onClose={() => setAdding(false)}
          submit={(values) =>
            api.post('/picklists', {
              ...values,
              kind,
              position: values.position ?? values.length ?? 0,
            })
          }
          after={refresh}
          fields={
            <>
              <Form.Item
                name="code"
                label={t('settings.code')}
                rules={[{ required: true, message: t('validation.required') }]}
                extra={t('settings.codeHint')}
              >
                <Input />
              </Form.Item>
              <Form.Item
                name="labelZh"
                label={t('settings.labelZh')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item
                name="labelEn"
                label={t('settings.labelEn')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item
                name="position"
                label={t('settings.position')}
                initialValue={values.length + 1}
              >
                <InputNumber min={0} />
              </Form.Item>
            </>
          }
        />
      ) : null}
    </>
  );
}

function CustomFields() {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const run = useRun();
  const [adding, setAdding] = useState(false);
  const fields = useQuery({
    queryKey: ['custom-fields'],
    queryFn: () => api.get<CustomField[]>('/custom-fields'),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['custom-fields'] });
  const patch = (field: CustomField, body: Record<string, unknown>) =>
    run(
      () => api.patch(`/custom-fields/${field.id}`, { version: field.version, ...body }),
      refresh,
    );
  return (
    <>
      <Typography.Paragraph type="secondary">{t('settings.customFieldsHint')}</Typography.Paragraph>
      <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>
        {t('settings.addCustomField')}
      </Button>
      <Table<CustomField>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={fields.data ?? []}
        columns={[
          {
            title: t('settings.entity'),
            dataIndex: 'entity',
            render: (v: 'opportunity' | 'account') => t(`settings.entity.${v}`),
          },
          { title: t('settings.key'), dataIndex: 'key' },
          {
            title: t('settings.label'),
            key: 'label',
            render: (_, f) => (locale === 'zh-CN' ? f.labelZh : f.labelEn),
          },
          {
            title: t('settings.type'),
            dataIndex: 'type',
            render: (v: CustomField['type']) => t(`settings.type.${v}`),
          },
          {
            title: t('settings.options'),
            dataIndex: 'options',
            render: (v: string[]) => v.join(', ') || '—',
          },
          {
            title: t('settings.required'),
            key: 'req',
            render: (_, f) => (
              <Switch checked={f.required} onChange={(required) => void patch(f, { required })} />
            ),
          },
          {
            title: t('settings.active'),
            key: 'active',
            render: (_, f) => (
              <Switch checked={f.active} onChange={(active) => void patch(f, { active })} />
            ),
          },
        ]}
      />
      {adding ? (
        <AddDialog
          title={t('settings.addCustomField')}
          onClose={() => setAdding(false)}
          after={refresh}
          submit={(values) =>
            api.post('/custom-fields', {
              ...values,
              options:
                typeof values.options === 'string'
                  ? values.options
                      .split(/[,，\n]/)
                      .map((o: string) => o.trim())
                      .filter(Boolean)
                  : [],
            })
          }
          initialValues={{ entity: 'opportunity', type: 'text', required: false }}
          fields={
            <>
              <Form.Item name="entity" label={t('settings.entity')}>
                <Select
                  options={(['opportunity', 'account'] as const).map((e) => ({
                    value: e,
                    label: t(`settings.entity.${e}`),
                  }))}
                />
              </Form.Item>
              <Form.Item
                name="key"
                label={t('settings.key')}
                extra={t('settings.keyHint')}
                rules={[
                  {
                    required: true,
                    pattern: /^[a-z][a-z0-9_]{0,39}$/,
                    message: t('settings.keyHint'),
                  },
                ]}
              >
                <Input />
              </Form.Item>
              <Form.Item
                name="labelZh"
                label={t('settings.labelZh')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item
                name="labelEn"
                label={t('settings.labelEn')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item name="type" label={t('settings.type')}>
                <Select
                  options={FIELD_TYPES.map((ty) => ({
                    value: ty,
                    label: t(`settings.type.${ty}`),
                  }))}
                />
              </Form.Item>
              <Form.Item
                name="options"
                label={t('settings.options')}
                extra={t('settings.optionsHint')}
              >
                <Input.TextArea autoSize />
              </Form.Item>
              <Form.Item name="required" valuePropName="checked">
                <Checkbox>{t('settings.required')}</Checkbox>
              </Form.Item>
            </>
          }
        />
      ) : null}
    </>
  );
}

function Competitors() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const run = useRun();
  const [adding, setAdding] = useState(false);
  const { data = [] } = useCompetitors();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['competitors'] });
  return (
    <>
      <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>
        {t('competitor.add')}
      </Button>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data}
        columns={[
          { title: t('competitor.name'), dataIndex: 'name', width: 240 },
          {
            title: t('competitor.strengths'),
            key: 's',
            render: (_, c) => (
              <Input.TextArea
                autoSize={{ maxRows: 4 }}
                defaultValue={c.strengths}
                onBlur={(e) =>
                  e.target.value !== c.strengths &&
                  void run(
                    () =>
                      api.patch(`/competitors/${c.id}`, {
                        version: c.version,
                        strengths: e.target.value,
                      }),
                    refresh,
                  )
                }
              />
            ),
          },
        ]}
      />
      {adding ? (
        <AddDialog
          title={t('competitor.add')}
          onClose={() => setAdding(false)}
          after={refresh}
          submit={(values) => api.post('/competitors', values)}
          fields={
            <>
              <Form.Item
                name="name"
                label={t('competitor.name')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item name="strengths" label={t('competitor.strengths')}>
                <Input.TextArea autoSize />
              </Form.Item>
            </>
          }
        />
      ) : null}
    </>
  );
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export function AddDialog({
  title,
  fields,
  submit,
  after,
  onClose,
  initialValues,
}: {
  title: string;
  fields: React.ReactNode;
  submit: (values: any) => Promise<unknown>;
  after: () => Promise<unknown>;
  onClose: () => void;
  initialValues?: Record<string, unknown>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      okText={t('action.create')}
      cancelText={t('action.cancel')}
      onOk={async () => {
        const values = await form.validateFields().catch(() => null);
        if (!values) return;
        try {
          await submit(values);
          await after();
          onClose();
        } catch (caught) {
          applyFieldErrors(form, caught);
          setError(caught);
        }
      }}
      destroyOnHidden
    >
      {error ? <ErrorAlert error={error} fieldsShownInline /> : null}
      <Form form={form} layout="vertical" initialValues={initialValues}>
        {fields}
      </Form>
    </Modal>
  );
}
