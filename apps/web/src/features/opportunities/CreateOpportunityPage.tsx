import { useEffect, useState } from 'react';
import {
  App,
  AutoComplete,
  Button,
  Col,
  Divider,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import {
  isManagerOrAbove,
  useCompetitors,
  useCurrentUser,
  useCustomFields,
  useMembers,
  usePicklist,
  usePipelines,
} from '../../api/queries';
import type { Contact, MoveResult, Page } from '../../api/types';
import { localLabel, useI18n } from '../../i18n';
import { parseMoneyInput } from '../../lib/format';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format-hooks';
import {
  CustomFieldInput,
  DateStringPicker,
  MoneyInput,
  ZonedDateTimePicker,
} from '../../ui/inputs';
import { AccountPicker, ContactFormModal } from '../accounts/AccountForms';
import { openStagesOf, refreshAfterChange } from './api';
import { useFieldLabel } from './fields';

interface Values {
  name: string;
  accountId: string;
  pipelineId: string;
  stageId: string;
  stageReason?: string;
  ownerId?: string;
  expectedAmount?: string;
  expectedCloseDate?: string | null;
  budgetRange?: string;
  needsDescription?: string;
  source?: string;
  sourceDetail?: string;
  industry?: string;
  region?: string;
  productLine?: string;
  acquiredAt?: string | null;
  partner?: string;
  channelManager?: string;
  marketNotes?: string;
  winProbability?: number | null;
  contacts?: { contactId: string; role?: string }[];
  competitors?: { name: string; advantages?: string }[];
  customFields?: Record<string, unknown>;
  firstFollowUpAt?: string | null;
}

/** Every field of SPEC F-1, the entry stage (a reason to start later), contacts and competitors. */
export default function CreateOpportunityPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const format = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const fieldLabel = useFieldLabel();
  const [form] = Form.useForm<Values>();
  const { data: pipelines = [] } = usePipelines();
  const { data: members = [] } = useMembers();
  const { data: competitors = [] } = useCompetitors();
  const { data: customFields = [] } = useCustomFields('opportunity');
  const sources = usePicklist('source');
  const industries = usePicklist('industry');
  const regions = usePicklist('region');
  const productLines = usePicklist('product_line');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [newContact, setNewContact] = useState(false);

  const active = pipelines.filter((p) => !p.archived);
  const defaultPipeline = active.find((p) => p.isDefault) ?? active[0];
  // pipelines may arrive after the form: fill the default pipeline and its first stage then
  useEffect(() => {
    if (defaultPipeline && !form.getFieldValue('pipelineId'))
      form.setFieldsValue({
        pipelineId: defaultPipeline.id,
        stageId: openStagesOf(defaultPipeline.stages)[0]?.id,
      });
  }, [defaultPipeline, form]);
  const pipelineId = Form.useWatch('pipelineId', form) ?? defaultPipeline?.id;
  const stageId = Form.useWatch('stageId', form);
  const accountId = Form.useWatch('accountId', form);
  const source = Form.useWatch('source', form);
  const openStages = openStagesOf(active.find((p) => p.id === pipelineId)?.stages ?? []);
  const laterStage =
    stageId !== undefined && openStages[0] !== undefined && stageId !== openStages[0].id;

  const contacts = useQuery({
    queryKey: ['contacts', accountId],
    queryFn: () => api.get<Page<Contact>>('/contacts', { accountId, pageSize: 200 }),
    enabled: Boolean(accountId),
  });

  const submit = async (values: Values) => {
    setSaving(true);
    setError(null);
    const clean = Object.fromEntries(
      Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''),
    ) as Partial<Values>;
    const body = {
      ...clean,
      expectedAmount: clean.expectedAmount
        ? (parseMoneyInput(clean.expectedAmount) ?? clean.expectedAmount)
        : undefined,
      contacts: (values.contacts ?? []).filter((c) => c?.contactId),
      competitors: (values.competitors ?? [])
        .filter((c) => c?.name?.trim())
        .map((c) => {
          const known = competitors.find((k) => k.name === c.name.trim());
          return known
            ? { competitorId: known.id, advantages: c.advantages ?? '' }
            : { name: c.name.trim(), advantages: c.advantages ?? '' };
        }),
      customFields: values.customFields
        ? Object.fromEntries(Object.entries(values.customFields).filter(([, v]) => v !== undefined))
        : undefined,
    };
    try {
      const result = await api.post<MoveResult>('/opportunities', body);
      for (const warning of result.warnings) void message.warning(warning.message);
      void message.success(t('create.done', { code: result.opportunity.code }));
      await refreshAfterChange(queryClient, result.opportunity);
      void navigate(`/opportunities/${result.opportunity.id}`);
    } catch (caught) {
      applyFieldErrors(form, caught);
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  const required = { required: true, message: t('validation.required') };
  const half = { xs: 24, md: 12 };
  const third = { xs: 24, md: 8 };

  return (
    <div
      className="panel"
      style={{ maxWidth: 1100, margin: '0 auto' }}
      data-testid="create-opportunity"
    >
      <Typography.Title level={4}>{t('create.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('create.hint')}</Typography.Paragraph>
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={error} fieldsShownInline />
        </div>
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        onValuesChange={(changed: Partial<Values>) => {
          // contacts belong to the account: a new account starts with none linked
          if ('accountId' in changed) form.setFieldsValue({ contacts: [] });
        }}
        scrollToFirstError={{ block: 'center' }}
        initialValues={{
          pipelineId: defaultPipeline?.id,
          stageId: openStagesOf(defaultPipeline?.stages ?? [])[0]?.id,
          ownerId: me.user.id,
          contacts: [],
          competitors: [],
        }}
      >
        <Divider titlePlacement="start">{t('create.section.basics')}</Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              name="name"
              label={fieldLabel('name')}
              rules={[{ ...required, whitespace: true }]}
            >
              <Input placeholder={t('create.namePlaceholder')} data-testid="field-name" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="accountId" label={t('field.account')} rules={[required]}>
              <AccountPicker />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="pipelineId" label={t('field.pipeline')} rules={[required]}>
              <Select
                options={active.map((p) => ({ value: p.id, label: p.name }))}
                onChange={(id: string) =>
                  form.setFieldsValue({
                    stageId: openStagesOf(active.find((p) => p.id === id)?.stages ?? [])[0]?.id,
                  })
                }
              />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item
              name="stageId"
              label={t('create.entryStage')}
              rules={[required]}
              extra={t('create.entryStageHint')}
            >
              <Select
                options={openStages.map((s) => ({
                  value: s.id,
                  label: `${s.name} (${s.winProbability}%)`,
                }))}
              />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="ownerId" label={t('field.owner')} rules={[required]}>
              <Select
                disabled={!isManagerOrAbove(me.role)}
                showSearch={{ optionFilterProp: 'label' }}
                options={(members.length > 0
                  ? members
                  : [{ id: me.user.id, name: me.user.name, active: true }]
                )
                  .filter((m) => m.active)
                  .map((m) => ({ value: m.id, label: m.name }))}
              />
            </Form.Item>
          </Col>
          {laterStage ? (
            <Col span={24}>
              <Form.Item
                name="stageReason"
                label={t('create.stageReason')}
                rules={[{ ...required, whitespace: true }]}
              >
                <Input placeholder={t('create.stageReasonPlaceholder')} />
              </Form.Item>
            </Col>
          ) : null}
        </Row>

        <Divider titlePlacement="start">{t('create.section.deal')}</Divider>
        <Row gutter={16}>
          <Col {...third}>
            <Form.Item
              name="expectedAmount"
              label={fieldLabel('expectedAmount')}
              rules={[
                {
                  validator: (_, value?: string) =>
                    value && parseMoneyInput(value) === null
                      ? Promise.reject(new Error(t('validation.money')))
                      : Promise.resolve(),
                },
              ]}
            >
              <MoneyInput />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="expectedCloseDate" label={fieldLabel('expectedCloseDate')}>
              <DateStringPicker />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="budgetRange" label={fieldLabel('budgetRange')}>
              <Input placeholder={t('create.budgetPlaceholder')} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="needsDescription"
              label={fieldLabel('needsDescription')}
              extra={t('create.needsHint')}
            >
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item
              name="winProbability"
              label={fieldLabel('winProbability')}
              extra={t('create.probabilityHint')}
              rules={[
                {
                  type: 'number',
                  min: 0,
                  max: 100,
                  message: t('validation.percent'),
                },
              ]}
            >
              {/* no min/max here: they would quietly turn 150 into 100 instead of saying so */}
              <InputNumber suffix="%" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item
              name="acquiredAt"
              label={t('field.acquiredAt')}
              extra={t('create.acquiredHint')}
            >
              <ZonedDateTimePicker timeZone={format.timeZone} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item
              name="firstFollowUpAt"
              label={t('create.firstFollowUp')}
              extra={t('create.firstFollowUpHint')}
            >
              <ZonedDateTimePicker timeZone={format.timeZone} />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start">{t('create.section.market')}</Divider>
        <Row gutter={16}>
          <Col {...third}>
            <Form.Item name="source" label={fieldLabel('source')}>
              <Select allowClear options={sources.options} data-testid="field-source" />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item
              name="sourceDetail"
              label={fieldLabel('sourceDetail')}
              rules={
                source === 'other'
                  ? [{ ...required, whitespace: true, message: t('create.sourceOther') }]
                  : []
              }
            >
              <Input placeholder={t('create.sourceDetailPlaceholder')} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="industry" label={fieldLabel('industry')}>
              <Select allowClear options={industries.options} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="region" label={fieldLabel('region')}>
              <Select allowClear options={regions.options} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="productLine" label={fieldLabel('productLine')}>
              <Select allowClear options={productLines.options} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="partner" label={fieldLabel('partner')}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name="channelManager" label={fieldLabel('channelManager')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="marketNotes" label={fieldLabel('marketNotes')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start">{t('detail.tab.contacts')}</Divider>
        <Form.List name="contacts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="start" wrap>
                  <Form.Item name={[field.name, 'contactId']} rules={[required]}>
                    <Select
                      style={{ width: 260 }}
                      placeholder={t('contact.linkExisting')}
                      options={(contacts.data?.items ?? []).map((c) => ({
                        value: c.id,
                        label: `${c.name}${c.title ? ` · ${c.title}` : ''}`,
                      }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'role']}>
                    <Input placeholder={t('contact.decisionRole')} style={{ width: 200 }} />
                  </Form.Item>
                  <MinusCircleOutlined
                    onClick={() => remove(field.name)}
                    style={{ marginTop: 8 }}
                    aria-label={t('action.remove')}
                  />
                </Space>
              ))}
              <Space>
                <Button icon={<PlusOutlined />} disabled={!accountId} onClick={() => add({})}>
                  {t('contact.linkExisting')}
                </Button>
                <Button
                  icon={<PlusOutlined />}
                  disabled={!accountId}
                  onClick={() => setNewContact(true)}
                >
                  {t('contact.new')}
                </Button>
                {!accountId ? (
                  <Typography.Text type="secondary">{t('create.pickAccountFirst')}</Typography.Text>
                ) : null}
              </Space>
            </>
          )}
        </Form.List>

        <Divider titlePlacement="start">{t('detail.tab.competitors')}</Divider>
        <Form.List name="competitors">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="start" wrap>
                  <Form.Item
                    name={[field.name, 'name']}
                    rules={[{ ...required, whitespace: true }]}
                  >
                    <AutoComplete
                      style={{ width: 220 }}
                      placeholder={t('competitor.name')}
                      options={competitors.map((c) => ({ value: c.name }))}
                      filterOption={(input, option) => String(option?.value ?? '').includes(input)}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'advantages']}>
                    <Input placeholder={t('competitor.advantages')} style={{ width: 360 }} />
                  </Form.Item>
                  <MinusCircleOutlined
                    onClick={() => remove(field.name)}
                    style={{ marginTop: 8 }}
                    aria-label={t('action.remove')}
                  />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({})}>
                {t('competitor.add')}
              </Button>
            </>
          )}
        </Form.List>

        {customFields.length > 0 ? (
          <>
            <Divider titlePlacement="start">{t('create.section.custom')}</Divider>
            <Row gutter={16}>
              {customFields.map((field) => (
                <Col {...third} key={field.id}>
                  <Form.Item
                    name={['customFields', field.key]}
                    label={localLabel(locale, field)}
                    rules={field.required ? [required] : []}
                    valuePropName="value"
                  >
                    <CustomFieldInput field={field} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </>
        ) : null}

        <Divider />
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="create-submit">
            {t('action.create')}
          </Button>
          <Button onClick={() => void navigate(-1)}>{t('action.cancel')}</Button>
        </Space>
      </Form>
      {newContact && accountId ? (
        <ContactFormModal
          accountId={accountId}
          onClose={() => setNewContact(false)}
          onSaved={(contact) => {
            void contacts.refetch();
            const current = form.getFieldValue('contacts') as Values['contacts'];
            form.setFieldsValue({
              contacts: [
                ...(current ?? []),
                { contactId: contact.id, role: contact.decisionRole ?? undefined },
              ],
            });
          }}
        />
      ) : null}
    </div>
  );
}
