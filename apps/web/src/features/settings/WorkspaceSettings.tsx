import { useState } from 'react';
import {
  App,
  Button,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
  Typography,
} from 'antd';
import { PlusOutlined, DeleteOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { formatOpportunityCode, ROLES, validateCodeFormat } from '@funnel/domain';
import { api } from '../../api/client';
import { meKey, useWorkspace } from '../../api/queries';
import type { Workspace } from '../../api/types';
import { useI18n } from '../../i18n';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { MoneyInput } from '../../ui/inputs';

const TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'UTC',
];
const CURRENCIES = ['CNY', 'HKD', 'TWD', 'USD', 'EUR', 'JPY', 'SGD', 'GBP'];

function useSaveWorkspace() {
  const queryClient = useQueryClient();
  return async (body: Record<string, unknown>) => {
    const updated = await api.patch<Workspace>('/workspace', body);
    queryClient.setQueryData(['workspace'], updated);
    await queryClient.invalidateQueries({ queryKey: meKey });
    return updated;
  };
}

/** Name, currency, time zone, language, opportunity code format, data-entry rules. */
export function WorkspaceSettings() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data: workspace } = useWorkspace();
  const save = useSaveWorkspace();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const codeFormat = Form.useWatch('codeFormat', form) as string | undefined;
  if (!workspace) return <Skeleton active />;
  const now = new Date();
  const preview =
    codeFormat && validateCodeFormat(codeFormat) === null
      ? formatOpportunityCode(codeFormat, now.getFullYear(), now.getMonth() + 1, 1)
      : null;
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 720 }}
      initialValues={{
        name: workspace.name,
        currency: workspace.currency,
        timeZone: workspace.timeZone,
        locale: workspace.locale,
        codeFormat: workspace.codeFormat,
        lateEntryHours: workspace.rules.lateEntryHours,
        contactDetailRoles: workspace.rules.contactDetailRoles,
      }}
      onFinish={async (values: Record<string, unknown>) => {
        setError(null);
        try {
          await save({
            version: workspace.version,
            name: values.name,
            currency: values.currency,
            timeZone: values.timeZone,
            locale: values.locale,
            codeFormat: values.codeFormat,
            rules: {
              lateEntryHours: values.lateEntryHours,
              contactDetailRoles: values.contactDetailRoles,
            },
          });
          void message.success(t('settings.saved'));
        } catch (caught) {
          applyFieldErrors(form, caught);
          // the API names nested rule fields rules.x: show them on our flat fields too
          if (caught && typeof caught === 'object' && 'fields' in caught)
            form.setFields(
              (caught as { fields: { path: string; message: string }[] }).fields
                .filter((f) => f.path.startsWith('rules.'))
                .map((f) => ({ name: f.path.split('.')[1]!, errors: [f.message] })),
            );
          setError(caught);
        }
      }}
    >
      {error ? (
        <ErrorAlert error={error} fieldsShownInline onReload={() => window.location.reload()} />
      ) : null}
      <Form.Item
        name="name"
        label={t('settings.workspaceName')}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <Input />
      </Form.Item>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="currency" label={t('settings.currency')}>
            <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="timeZone" label={t('settings.timeZone')}>
            <Select showSearch options={TIME_ZONES.map((z) => ({ value: z, label: z }))} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="locale" label={t('settings.defaultLanguage')}>
            <Select
              options={[
                { value: 'zh-CN', label: '简体中文' },
                { value: 'en', label: 'English' },
              ]}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="codeFormat"
        label={t('settings.codeFormat')}
        extra={
          preview ? t('settings.codePreview', { code: preview }) : t('settings.codeFormatHint')
        }
        rules={[
          {
            validator: (_, value?: string) =>
              value && validateCodeFormat(value) !== null
                ? Promise.reject(new Error(t('settings.codeFormatHint')))
                : Promise.resolve(),
          },
        ]}
      >
        <Input style={{ maxWidth: 320 }} data-testid="code-format" />
      </Form.Item>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item
            name="lateEntryHours"
            label={t('settings.lateEntryHours')}
            extra={t('settings.lateEntryHint')}
          >
            <InputNumber min={1} max={720} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item
            name="contactDetailRoles"
            label={t('settings.contactDetailRoles')}
            extra={t('settings.contactDetailHint')}
          >
            <Select
              mode="multiple"
              options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit">
        {t('action.save')}
      </Button>
    </Form>
  );
}

interface RuleRow {
  priority: 'A' | 'B';
  match: 'all' | 'any';
  amountMin?: string | null;
  amountMax?: string | null;
  probabilityMin?: number | null;
  probabilityMax?: number | null;
}

/** Priority matrix (first match in order A, B, else C) and follow-up cadence per priority. */
export function RulesSettings() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data: workspace } = useWorkspace();
  const save = useSaveWorkspace();
  const [form] = Form.useForm<{ rules: RuleRow[]; cadence: { A: number; B: number; C: number } }>();
  const [error, setError] = useState<unknown>(null);
  if (!workspace) return <Skeleton active />;
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ rules: workspace.rules.priorityRules, cadence: workspace.rules.cadenceDays }}
      onFinish={async (values) => {
        setError(null);
        try {
          await save({
            version: workspace.version,
            rules: {
              priorityRules: values.rules.map((r) => ({
                ...r,
                amountMin: r.amountMin || null,
                amountMax: r.amountMax || null,
                probabilityMin: r.probabilityMin ?? null,
                probabilityMax: r.probabilityMax ?? null,
              })),
              cadenceDays: values.cadence,
            },
          });
          void message.success(t('settings.saved'));
        } catch (caught) {
          setError(caught);
        }
      }}
    >
      {error ? <ErrorAlert error={error} onReload={() => window.location.reload()} /> : null}
      <Typography.Title level={5}>{t('settings.priorityRules')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('settings.priorityRulesHint')}
      </Typography.Paragraph>
      <Form.List name="rules">
        {(fields, { add, remove }) => (
          <>
            <Table
              size="small"
              pagination={false}
              rowKey="key"
              dataSource={fields}
              columns={[
                {
                  title: t('priority.label'),
                  key: 'p',
                  width: 90,
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'priority']} noStyle>
                      <Select
                        options={[
                          { value: 'A', label: 'A' },
                          { value: 'B', label: 'B' },
                        ]}
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('settings.match'),
                  key: 'm',
                  width: 150,
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'match']} noStyle>
                      <Select
                        options={[
                          { value: 'all', label: t('settings.matchAll') },
                          { value: 'any', label: t('settings.matchAny') },
                        ]}
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('settings.amountMin'),
                  key: 'amin',
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'amountMin']} noStyle>
                      <MoneyInput />
                    </Form.Item>
                  ),
                },
                {
                  title: t('settings.amountMax'),
                  key: 'amax',
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'amountMax']} noStyle>
                      <MoneyInput />
                    </Form.Item>
                  ),
                },
                {
                  title: t('settings.probabilityMin'),
                  key: 'pmin',
                  width: 110,
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'probabilityMin']} noStyle>
                      <InputNumber min={0} max={100} suffix="%" />
                    </Form.Item>
                  ),
                },
                {
                  title: t('settings.probabilityMax'),
                  key: 'pmax',
                  width: 110,
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'probabilityMax']} noStyle>
                      <InputNumber min={0} max={100} suffix="%" />
                    </Form.Item>
                  ),
                },
                {
                  title: '',
                  key: 'x',
                  width: 50,
                  render: (_, f) => (
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      onClick={() => remove(f.name)}
                      aria-label={t('action.remove')}
                    />
                  ),
                },
              ]}
            />
            <Button
              style={{ marginTop: 8 }}
              icon={<PlusOutlined />}
              onClick={() => add({ priority: 'B', match: 'any' })}
            >
              {t('settings.addRule')}
            </Button>
          </>
        )}
      </Form.List>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('settings.cadence')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('settings.cadenceHint')}</Typography.Paragraph>
      <Space size={16}>
        {(['A', 'B', 'C'] as const).map((p) => (
          <Form.Item
            key={p}
            name={['cadence', p]}
            label={t('settings.cadenceFor', { priority: p })}
          >
            <InputNumber min={0.5} max={365} step={0.5} suffix={t('unit.days')} />
          </Form.Item>
        ))}
      </Space>
      <div>
        <Button type="primary" htmlType="submit">
          {t('action.save')}
        </Button>
      </div>
    </Form>
  );
}
