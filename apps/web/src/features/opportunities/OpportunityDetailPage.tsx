import { useState } from 'react';
import {
  Alert,
  App,
  AutoComplete,
  Breadcrumb,
  Button,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Steps,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import {
  CheckCircleOutlined,
  CloseCircleOutlined,
  EditOutlined,
  PauseCircleOutlined,
  PlusOutlined,
  RedoOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { PRIORITIES } from '@funnel/domain';
import { api, ApiError } from '../../api/client';
import {
  isManagerOrAbove,
  useCompetitors,
  useCurrentUser,
  useCustomFields,
  useMembers,
  usePicklist,
  usePipelines,
} from '../../api/queries';
import type {
  AuditEntry,
  Collection,
  Contact,
  FollowUp,
  Opportunity,
  Page,
  Priority,
  PriorityChange,
  Stage,
  StageChange,
} from '../../api/types';
import { localLabel, useI18n } from '../../i18n';
import { daysSince, isOverdue, parseMoneyInput, todayIn } from '../../lib/format';
import { applyFieldErrors, ErrorAlert, isVersionConflict, useErrorText } from '../../ui/errors';
import { useFormat } from '../../ui/format-hooks';
import { AuditActionTag, AuditChanges, useDescribeChange } from '../../ui/audit';
import { CustomFieldInput, DateStringPicker, MoneyInput } from '../../ui/inputs';
import { PriorityTag, StatusTag } from '../../ui/tags';
import { ContactFormModal } from '../accounts/AccountForms';
import { ContactTable } from '../accounts/AccountsPage';
import { MoveDialog } from '../board/MoveDialog';
import {
  LogFollowUpDialog,
  PlanFollowUpDialog,
  useCancelFollowUp,
} from '../follow-ups/FollowUpDialogs';
import { openStagesOf, refreshAfterChange, useOpportunity } from './api';
import { CloseDialog, type CloseKind } from './CloseDialogs';
import {
  customFieldDisplay,
  EDITABLE_FIELDS,
  FieldInput,
  useFieldDisplay,
  useFieldLabel,
  type EditableField,
} from './fields';
import { InlineEdit } from './InlineEdit';

type Dialog =
  | { kind: 'move'; stage: Stage }
  | { kind: CloseKind }
  | { kind: 'log' }
  | { kind: 'plan' }
  | { kind: 'priority' }
  | { kind: 'reassign' }
  | { kind: 'contact' };

export default function OpportunityDetailPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useI18n();
  const errorText = useErrorText();
  const query = useOpportunity(id);
  const { data: pipelines = [] } = usePipelines();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [conflict, setConflict] = useState<unknown>(null);
  const queryClient = useQueryClient();

  if (query.isPending) return <Skeleton active style={{ padding: 24 }} />;
  if (query.error || !query.data)
    return (
      <Result
        status={query.error instanceof ApiError && query.error.status === 404 ? '404' : 'error'}
        title={errorText(query.error)}
        extra={
          <Link to="/opportunities">
            <Button>{t('detail.backToList')}</Button>
          </Link>
        }
      />
    );
  const opportunity = query.data;
  const pipeline = pipelines.find((p) => p.id === opportunity.pipelineId);
  const stages = pipeline?.stages ?? [];

  const save = async (patch: Record<string, unknown>) => {
    try {
      const updated = await api.patch<Opportunity>(`/opportunities/${opportunity.id}`, {
        version: opportunity.version,
        ...patch,
      });
      setConflict(null);
      await refreshAfterChange(queryClient, updated);
    } catch (error) {
      if (isVersionConflict(error)) setConflict(error);
      throw error;
    }
  };

  const reload = () => {
    setConflict(null);
    void query.refetch();
  };

  return (
    <div data-testid="opportunity-detail">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to="/opportunities">{t('nav.opportunities')}</Link> },
          { title: opportunity.code },
        ]}
      />
      {conflict ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={conflict} onReload={reload} />
        </div>
      ) : null}
      <Header opportunity={opportunity} stages={stages} save={save} onDialog={setDialog} />
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <div className="panel">
            <Tabs
              items={[
                {
                  key: 'details',
                  label: t('detail.tab.details'),
                  children: <DetailsTab opportunity={opportunity} save={save} />,
                },
                {
                  key: 'contacts',
                  label: `${t('detail.tab.contacts')} (${opportunity.contacts.length})`,
                  children: (
                    <ContactsTab
                      opportunity={opportunity}
                      save={save}
                      onNew={() => setDialog({ kind: 'contact' })}
                    />
                  ),
                },
                {
                  key: 'competitors',
                  label: `${t('detail.tab.competitors')} (${opportunity.competitors.length})`,
                  children: <CompetitorsTab opportunity={opportunity} save={save} />,
                },
                {
                  key: 'stages',
                  label: t('detail.tab.stageHistory'),
                  children: <StageHistory opportunityId={opportunity.id} />,
                },
                {
                  key: 'priority',
                  label: t('detail.tab.priorityHistory'),
                  children: <PriorityHistory opportunityId={opportunity.id} />,
                },
                ...(opportunity.status === 'won'
                  ? [
                      {
                        key: 'collections',
                        label: t('detail.tab.collections'),
                        children: <Collections opportunityId={opportunity.id} />,
                      },
                    ]
                  : []),
                {
                  key: 'audit',
                  label: t('detail.tab.audit'),
                  children: <AuditTrail opportunityId={opportunity.id} />,
                },
              ]}
            />
          </div>
        </Col>
        <Col xs={24} xl={9}>
          <FollowUpPanel opportunity={opportunity} onDialog={setDialog} />
        </Col>
      </Row>
      {dialog?.kind === 'move' ? (
        <MoveDialog
          opportunityId={opportunity.id}
          stages={stages}
          target={dialog.stage}
          onClose={() => setDialog(null)}
        />
      ) : null}
      <CloseDialog
        kind={
          dialog && ['won', 'lost', 'postponed', 'reopen'].includes(dialog.kind)
            ? (dialog.kind as CloseKind)
            : null
        }
        opportunity={opportunity}
        openStages={openStagesOf(stages)}
        onClose={() => setDialog(null)}
      />
      {dialog?.kind === 'log' ? (
        <LogFollowUpDialog opportunityId={opportunity.id} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'plan' ? (
        <PlanFollowUpDialog opportunityId={opportunity.id} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'priority' ? (
        <PriorityDialog opportunity={opportunity} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'reassign' ? (
        <ReassignOneDialog opportunity={opportunity} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'contact' ? (
        <ContactFormModal
          accountId={opportunity.account.id}
          onClose={() => setDialog(null)}
          onSaved={(contact) =>
            void save({
              contacts: [
                ...opportunity.contacts.map((c) => ({ contactId: c.id, role: c.role })),
                { contactId: contact.id, role: contact.decisionRole },
              ],
            }).catch(() => undefined)
          }
        />
      ) : null}
    </div>
  );
}

function Header({
  opportunity,
  stages,
  save,
  onDialog,
}: {
  opportunity: Opportunity;
  stages: Stage[];
  save: (patch: Record<string, unknown>) => Promise<void>;
  onDialog: (dialog: Dialog) => void;
}) {
  const { t } = useI18n();
  const me = useCurrentUser();
  const format = useFormat();
  const open = opportunity.status === 'open';
  const openStages = openStagesOf(stages);
  const current = openStages.findIndex((s) => s.id === opportunity.stage.id);
  const stage = stages.find((s) => s.id === opportunity.stage.id);
  const days = daysSince(opportunity.stageEnteredAt, new Date(), format.timeZone);
  const dwellExceeded = stage?.standardDwellDays != null && days > stage.standardDwellDays;

  return (
    <div className="panel">
      <div className="page-toolbar" style={{ alignItems: 'flex-start' }}>
        <div style={{ minWidth: 0, flex: 1 }}>
          <Space wrap size={8}>
            <Tag>{opportunity.code}</Tag>
            <StatusTag status={opportunity.status} />
            <PriorityTag
              priority={opportunity.priority}
              overridden={opportunity.priorityOverride !== null}
            />
            {opportunity.lateEntry ? <Tag color="orange">{t('detail.lateEntry')}</Tag> : null}
          </Space>
          <Typography.Title level={3} style={{ margin: '8px 0 4px' }}>
            <InlineEdit
              path="name"
              testId="edit-name"
              initial={opportunity.name}
              display={opportunity.name}
              validate={(v) => (v.trim() ? null : t('validation.required'))}
              editor={(value, onChange) => (
                <Input value={value} onChange={(e) => onChange(e.target.value)} autoFocus />
              )}
              onSave={(name) => save({ name })}
            />
          </Typography.Title>
          <Typography.Text type="secondary">
            {opportunity.account.name} · {t('field.owner')} {opportunity.owner.name} ·{' '}
            <span className={dwellExceeded ? 'danger' : undefined}>
              {t('detail.inStage', { stage: opportunity.stage.name, days })}
            </span>
            {' · '}
            {format.money(opportunity.expectedAmount)}
          </Typography.Text>
        </div>
        <Space wrap>
          <Button
            type="primary"
            onClick={() => onDialog({ kind: 'log' })}
            data-testid="log-follow-up"
          >
            {t('followUp.log')}
          </Button>
          <Button onClick={() => onDialog({ kind: 'plan' })} data-testid="plan-follow-up">
            {t('followUp.plan')}
          </Button>
          {open ? (
            <>
              <Button
                icon={<CheckCircleOutlined />}
                onClick={() => onDialog({ kind: 'won' })}
                data-testid="action-won"
              >
                {t('close.won')}
              </Button>
              <Button
                icon={<CloseCircleOutlined />}
                onClick={() => onDialog({ kind: 'lost' })}
                data-testid="action-lost"
              >
                {t('close.lost')}
              </Button>
              <Button
                icon={<PauseCircleOutlined />}
                onClick={() => onDialog({ kind: 'postponed' })}
              >
                {t('close.postpone')}
              </Button>
            </>
          ) : (
            <Button
              icon={<RedoOutlined />}
              onClick={() => onDialog({ kind: 'reopen' })}
              data-testid="action-reopen"
            >
              {t('close.reopen')}
            </Button>
          )}
          <Button
            icon={<EditOutlined />}
            onClick={() => onDialog({ kind: 'priority' })}
            data-testid="action-priority"
          >
            {t('priority.override')}
          </Button>
          {isManagerOrAbove(me.role) ? (
            <Button icon={<SwapOutlined />} onClick={() => onDialog({ kind: 'reassign' })}>
              {t('detail.reassign')}
            </Button>
          ) : null}
        </Space>
      </div>
      {open ? (
        <Steps
          size="small"
          current={current}
          style={{ marginTop: 16 }}
          data-testid="stage-steps"
          items={openStages.map((s) => ({
            title: s.name,
            content: `${s.winProbability}%`,
            disabled: s.id === opportunity.stage.id,
          }))}
          onChange={(index) => {
            const target = openStages[index];
            if (target && target.id !== opportunity.stage.id)
              onDialog({ kind: 'move', stage: target });
          }}
        />
      ) : (
        <ClosedSummary opportunity={opportunity} />
      )}
    </div>
  );
}

function ClosedSummary({ opportunity }: { opportunity: Opportunity }) {
  const { t } = useI18n();
  const format = useFormat();
  const lossReasons = usePicklist('loss_reason');
  if (opportunity.won)
    return (
      <Alert
        style={{ marginTop: 16 }}
        type="success"
        title={t('detail.wonSummary', {
          amount: format.money(opportunity.won.amount, true),
          date: format.date(opportunity.won.date),
        })}
      />
    );
  if (opportunity.lost)
    return (
      <Alert
        style={{ marginTop: 16 }}
        type="info"
        title={t('detail.lostSummary', {
          reason: lossReasons.labelOf(opportunity.lost.reason),
          competitor: opportunity.lost.competitor?.name ?? '—',
        })}
        description={opportunity.lost.note ?? undefined}
      />
    );
  if (opportunity.postponed)
    return (
      <Alert
        style={{ marginTop: 16 }}
        type="warning"
        title={t('detail.postponedSummary', {
          reason: opportunity.postponed.reason,
          until: format.date(opportunity.postponed.until),
        })}
        description={`${t('close.remedy')}: ${opportunity.postponed.remedy}`}
      />
    );
  return null;
}

function DetailsTab({
  opportunity,
  save,
}: {
  opportunity: Opportunity;
  save: (patch: Record<string, unknown>) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const format = useFormat();
  const fieldLabel = useFieldLabel();
  const display = useFieldDisplay();
  const { data: customFields = [] } = useCustomFields('opportunity');
  const fields = EDITABLE_FIELDS.filter((f) => f !== 'name');

  const validate = (field: EditableField) => (value: unknown) => {
    if (
      field === 'expectedAmount' &&
      typeof value === 'string' &&
      value &&
      parseMoneyInput(value) === null
    )
      return t('validation.money');
    return null;
  };
  const toPatch = (field: EditableField, value: unknown) => {
    if (field === 'expectedAmount')
      return {
        expectedAmount:
          typeof value === 'string' && value.trim() ? (parseMoneyInput(value) ?? value) : '0',
      };
    if (
      typeof value === 'string' &&
      value.trim() === '' &&
      field !== 'needsDescription' &&
      field !== 'marketNotes'
    )
      return { [field]: null };
    return { [field]: value ?? null };
  };

  return (
    <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered data-testid="detail-fields">
      {fields.map((field) => (
        <Descriptions.Item
          key={field}
          label={fieldLabel(field)}
          span={field === 'needsDescription' || field === 'marketNotes' ? 2 : 1}
        >
          <InlineEdit<unknown>
            path={field}
            testId={`edit-${field}`}
            initial={opportunity[field]}
            display={display(field, opportunity)}
            validate={validate(field)}
            editor={(value, onChange) => (
              <FieldInput field={field} value={value} onChange={onChange} autoFocus />
            )}
            onSave={(value) => save(toPatch(field, value))}
          />
        </Descriptions.Item>
      ))}
      <Descriptions.Item label={t('field.effectiveProbability')}>
        {opportunity.effectiveProbability}%
      </Descriptions.Item>
      <Descriptions.Item label={t('field.acquiredAt')}>
        {format.dateTime(opportunity.acquiredAt)}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.createdAt')}>
        {format.dateTime(opportunity.createdAt)}
        {opportunity.createdBy ? ` · ${opportunity.createdBy.name}` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.forecastCategory')}>
        {t(`forecast.${opportunity.forecastCategory}`)}
      </Descriptions.Item>
      {customFields.map((field) => (
        <Descriptions.Item key={field.id} label={localLabel(locale, field)}>
          <InlineEdit<unknown>
            path={`customFields.${field.key}`}
            testId={`edit-custom-${field.key}`}
            initial={opportunity.customFields[field.key] ?? null}
            display={customFieldDisplay(
              field,
              opportunity.customFields[field.key],
              t('common.yes'),
              t('common.no'),
            )}
            editor={(value, onChange) => (
              <CustomFieldInput field={field} value={value} onChange={onChange} />
            )}
            onSave={(value) =>
              save({ customFields: { ...opportunity.customFields, [field.key]: value ?? null } })
            }
          />
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

function ContactsTab({
  opportunity,
  save,
  onNew,
}: {
  opportunity: Opportunity;
  save: (patch: Record<string, unknown>) => Promise<void>;
  onNew: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [adding, setAdding] = useState<string | undefined>();
  const accountContacts = useQuery({
    queryKey: ['contacts', opportunity.account.id],
    queryFn: () =>
      api.get<Page<Contact>>('/contacts', { accountId: opportunity.account.id, pageSize: 200 }),
  });
  const linked = new Set(opportunity.contacts.map((c) => c.id));
  const links = opportunity.contacts.map((c) => ({ contactId: c.id, role: c.role }));
  const run = (patch: Record<string, unknown>) =>
    save(patch).catch((error: unknown) => void message.error(errorText(error)));
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          placeholder={t('contact.linkExisting')}
          value={adding}
          onChange={setAdding}
          style={{ width: 240 }}
          options={(accountContacts.data?.items ?? [])
            .filter((c) => !linked.has(c.id))
            .map((c) => ({ value: c.id, label: `${c.name}${c.title ? ` · ${c.title}` : ''}` }))}
          notFoundContent={t('contact.noMore')}
        />
        <Button
          disabled={!adding}
          onClick={() => {
            if (adding)
              void run({ contacts: [...links, { contactId: adding }] }).then(() =>
                setAdding(undefined),
              );
          }}
        >
          {t('action.add')}
        </Button>
        <Button icon={<PlusOutlined />} onClick={onNew} data-testid="new-contact">
          {t('contact.new')}
        </Button>
      </Space>
      <ContactTable
        contacts={opportunity.contacts}
        extraColumns={[
          {
            title: '',
            key: 'remove',
            render: (contact) => (
              <Popconfirm
                title={t('contact.unlinkConfirm')}
                okText={t('action.confirm')}
                cancelText={t('action.cancel')}
                onConfirm={() => run({ contacts: links.filter((l) => l.contactId !== contact.id) })}
              >
                <Button type="link" size="small" danger>
                  {t('action.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {opportunity.contacts.some((c) => c.masked) ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('contact.maskedHint')}
        </Typography.Paragraph>
      ) : null}
    </>
  );
}

function CompetitorsTab({
  opportunity,
  save,
}: {
  opportunity: Opportunity;
  save: (patch: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { data: competitors = [] } = useCompetitors();
  const [form] = Form.useForm<{ name: string; advantages?: string }>();
  const links = opportunity.competitors.map((c) => ({
    competitorId: c.id,
    advantages: c.advantages,
  }));
  const run = (patch: Record<string, unknown>) =>
    save(patch).catch((error: unknown) => {
      void message.error(errorText(error));
      throw error;
    });
  return (
    <>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={opportunity.competitors}
        locale={{
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('competitor.empty')} />
          ),
        }}
        columns={[
          { title: t('competitor.name'), dataIndex: 'name' },
          {
            title: t('competitor.advantages'),
            dataIndex: 'advantages',
            render: (v: string) => v || '—',
          },
          {
            title: '',
            key: 'remove',
            width: 80,
            render: (_, row) => (
              <Button
                type="link"
                size="small"
                danger
                onClick={() =>
                  void run({ competitors: links.filter((l) => l.competitorId !== row.id) }).catch(
                    () => undefined,
                  )
                }
              >
                {t('action.remove')}
              </Button>
            ),
          },
        ]}
      />
      <Form
        form={form}
        layout="inline"
        style={{ marginTop: 12, rowGap: 8 }}
        onFinish={(values) => {
          const known = competitors.find((c) => c.name === values.name.trim());
          void run({
            competitors: [
              ...links,
              known
                ? { competitorId: known.id, advantages: values.advantages ?? '' }
                : { name: values.name.trim(), advantages: values.advantages ?? '' },
            ],
          })
            .then(() => form.resetFields())
            .catch(() => undefined);
        }}
      >
        <Form.Item
          name="name"
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <AutoComplete
            placeholder={t('competitor.name')}
            options={competitors.map((c) => ({ value: c.name }))}
            style={{ width: 200 }}
            filterOption={(input, option) => String(option?.value ?? '').includes(input)}
          />
        </Form.Item>
        <Form.Item name="advantages">
          <Input placeholder={t('competitor.advantages')} style={{ width: 260 }} />
        </Form.Item>
        <Button htmlType="submit" icon={<PlusOutlined />}>
          {t('competitor.add')}
        </Button>
      </Form>
    </>
  );
}

function StageHistory({ opportunityId }: { opportunityId: string }) {
  const { t } = useI18n();
  const format = useFormat();
  const history = useQuery({
    queryKey: ['opportunity-history', opportunityId, 'stages'],
    queryFn: () => api.get<StageChange[]>(`/opportunities/${opportunityId}/stage-changes`),
  });
  if (history.isPending) return <Skeleton active />;
  const items = [...(history.data ?? [])].reverse();
  if (items.length === 0) return <Empty description={t('detail.noHistory')} />;
  return (
    <Timeline
      data-testid="stage-history"
      items={items.map((change) => ({
        key: change.id,
        color: change.status === 'won' ? 'green' : change.status === 'lost' ? 'gray' : 'blue',
        title: format.dateTime(change.changedAt),
        content: (
          <div>
            <div>
              {change.fromStage ? `${change.fromStage.name} → ` : `${t('detail.created')} → `}
              <strong>{change.toStage.name}</strong> <Tag>{t(`stageChange.${change.kind}`)}</Tag>
              {change.changedBy ? (
                <Typography.Text type="secondary">{change.changedBy.name}</Typography.Text>
              ) : null}
            </div>
            {change.reason ? (
              <div className="stage-reason">{t('detail.reason', { reason: change.reason })}</div>
            ) : null}
          </div>
        ),
      }))}
    />
  );
}

function PriorityHistory({ opportunityId }: { opportunityId: string }) {
  const { t } = useI18n();
  const format = useFormat();
  const history = useQuery({
    queryKey: ['opportunity-history', opportunityId, 'priority'],
    queryFn: () => api.get<PriorityChange[]>(`/opportunities/${opportunityId}/priority-changes`),
  });
  return (
    <Table<PriorityChange>
      rowKey="id"
      size="small"
      loading={history.isPending}
      dataSource={[...(history.data ?? [])].reverse()}
      pagination={false}
      columns={[
        {
          title: t('detail.when'),
          dataIndex: 'changedAt',
          render: (v: string) => format.dateTime(v),
          width: 150,
        },
        {
          title: t('priority.label'),
          key: 'change',
          render: (_, c) => (
            <Space>
              {c.fromPriority ?? '—'} → <PriorityTag priority={c.toPriority} />
            </Space>
          ),
        },
        { title: t('priority.computed'), dataIndex: 'computedPriority' },
        {
          title: t('detail.changeKind'),
          dataIndex: 'kind',
          render: (kind: PriorityChange['kind']) => <Tag>{t(`priorityChange.${kind}`)}</Tag>,
        },
        {
          title: t('detail.who'),
          key: 'who',
          render: (_, c) => c.changedBy?.name ?? t('detail.system'),
        },
        { title: t('move.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}

function Collections({ opportunityId }: { opportunityId: string }) {
  const { t } = useI18n();
  const format = useFormat();
  const [recording, setRecording] = useState<Collection | null>(null);
  const collections = useQuery({
    queryKey: ['opportunity-history', opportunityId, 'collections'],
    queryFn: () => api.get<Collection[]>(`/opportunities/${opportunityId}/collections`),
  });
  return (
    <>
      <Table<Collection>
        rowKey="id"
        size="small"
        loading={collections.isPending}
        dataSource={collections.data ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        data-testid="collections"
        locale={{
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('collection.empty')} />
          ),
        }}
        columns={[
          {
            title: t('close.expectedDate'),
            dataIndex: 'expectedDate',
            render: (v: string) => format.date(v),
          },
          {
            title: t('close.expectedCollection'),
            dataIndex: 'expectedAmount',
            align: 'right',
            render: (v: string) => format.money(v, true),
          },
          {
            title: t('collection.actualDate'),
            dataIndex: 'actualDate',
            render: (v: string | null) => format.date(v),
          },
          {
            title: t('collection.actualAmount'),
            dataIndex: 'actualAmount',
            align: 'right',
            render: (v: string | null) => format.money(v, true),
          },
          { title: t('close.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          {
            title: '',
            key: 'record',
            width: 110,
            render: (_, c) => (
              <Button
                size="small"
                type={c.actualDate ? 'text' : 'primary'}
                icon={c.actualDate ? <EditOutlined /> : undefined}
                onClick={() => setRecording(c)}
                data-testid="record-collection"
              >
                {c.actualDate ? t('action.edit') : t('collection.record')}
              </Button>
            ),
          },
        ]}
      />
      {recording ? (
        <RecordCollectionDialog collection={recording} onClose={() => setRecording(null)} />
      ) : null}
    </>
  );
}

/** Records a payment received (回款): date and amount, with the collection's version. */
function RecordCollectionDialog({
  collection,
  onClose,
}: {
  collection: Collection;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ actualDate: string; actualAmount: string; note?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const submit = async (values: { actualDate: string; actualAmount: string; note?: string }) => {
    setSaving(true);
    setError(null);
    try {
      await api.patch<Collection>(`/collections/${collection.id}`, {
        version: collection.version,
        actualDate: values.actualDate,
        actualAmount: parseMoneyInput(values.actualAmount),
        note: values.note?.trim() || null,
      });
      void message.success(t('collection.recorded'));
      await queryClient.invalidateQueries({
        queryKey: ['opportunity-history', collection.opportunityId],
      });
      await queryClient.invalidateQueries({ queryKey: ['analytics'], refetchType: 'none' });
      onClose();
    } catch (caught) {
      applyFieldErrors(form, caught);
      setError(caught);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('collection.recordTitle', {
        date: format.date(collection.expectedDate),
        amount: format.money(collection.expectedAmount, true),
      })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      okButtonProps={{ loading: saving }}
      destroyOnHidden
      data-testid="collection-dialog"
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          actualDate: collection.actualDate ?? todayIn(format.timeZone),
          actualAmount: collection.actualAmount ?? collection.expectedAmount,
          note: collection.note ?? '',
        }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="actualDate"
          label={t('collection.actualDate')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <DateStringPicker id="actualDate" allowClear={false} />
        </Form.Item>
        <Form.Item
          name="actualAmount"
          label={t('collection.actualAmount')}
          rules={[
            { required: true, message: t('validation.required') },
            {
              validator: (_, value: string) =>
                value && parseMoneyInput(value) === null
                  ? Promise.reject(new Error(t('validation.money')))
                  : Promise.resolve(),
            },
          ]}
        >
          <MoneyInput id="actualAmount" />
        </Form.Item>
        <Form.Item name="note" label={t('close.note')}>
          <Input id="collectionNote" maxLength={500} />
        </Form.Item>
      </Form>
      <ErrorAlert
        error={error}
        fieldsShownInline
        onReload={
          isVersionConflict(error)
            ? () => {
                void queryClient.invalidateQueries({
                  queryKey: ['opportunity-history', collection.opportunityId],
                });
                onClose();
              }
            : undefined
        }
      />
    </Modal>
  );
}

function AuditTrail({ opportunityId }: { opportunityId: string }) {
  const { t } = useI18n();
  const format = useFormat();
  const describeChange = useDescribeChange();
  const [page, setPage] = useState(1);
  const audit = useQuery({
    queryKey: ['opportunity-history', opportunityId, 'audit', page],
    queryFn: () =>
      api.get<Page<AuditEntry>>(`/opportunities/${opportunityId}/audit`, { page, pageSize: 20 }),
  });
  return (
    <Table<AuditEntry>
      rowKey="id"
      size="small"
      loading={audit.isPending}
      dataSource={audit.data?.items ?? []}
      pagination={{
        current: page,
        pageSize: 20,
        total: audit.data?.total ?? 0,
        onChange: setPage,
        showSizeChanger: false,
      }}
      data-testid="audit-trail"
      columns={[
        {
          title: t('detail.when'),
          dataIndex: 'at',
          width: 150,
          render: (v: string) => format.dateTime(v),
        },
        {
          title: t('detail.who'),
          key: 'actor',
          width: 100,
          render: (_, e) => e.actor?.name ?? t('detail.system'),
        },
        {
          title: t('detail.action'),
          dataIndex: 'action',
          width: 140,
          render: (v: AuditEntry['action']) => <AuditActionTag action={v} />,
        },
        {
          title: t('detail.changes'),
          key: 'changes',
          render: (_, e) => <AuditChanges lines={describeChange(e)} />,
        },
      ]}
    />
  );
}

function FollowUpPanel({
  opportunity,
  onDialog,
}: {
  opportunity: Opportunity;
  onDialog: (d: Dialog) => void;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const cancel = useCancelFollowUp();
  const [completing, setCompleting] = useState<FollowUp | null>(null);
  const followUps = useQuery({
    queryKey: ['opportunity-follow-ups', opportunity.id],
    queryFn: () => api.get<FollowUp[]>(`/opportunities/${opportunity.id}/follow-ups`),
  });
  const now = new Date();
  const planned = (followUps.data ?? [])
    .filter((f) => f.status === 'planned')
    .sort((a, b) => (a.plannedAt ?? '').localeCompare(b.plannedAt ?? ''));
  const done = (followUps.data ?? [])
    .filter((f) => f.status === 'done')
    .sort((a, b) => (b.occurredAt ?? '').localeCompare(a.occurredAt ?? ''));
  return (
    <div className="panel" data-testid="follow-up-panel">
      <div className="page-toolbar">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('followUp.timeline')}
        </Typography.Title>
        <Space>
          <Button size="small" onClick={() => onDialog({ kind: 'plan' })}>
            {t('followUp.plan')}
          </Button>
          <Button size="small" type="primary" onClick={() => onDialog({ kind: 'log' })}>
            {t('followUp.log')}
          </Button>
        </Space>
      </div>
      {followUps.isPending ? <Skeleton active /> : null}
      {planned.map((f) => {
        const overdue = isOverdue(f.plannedAt, now, format.timeZone);
        return (
          <Alert
            key={f.id}
            type={overdue ? 'error' : 'info'}
            style={{ marginBottom: 8 }}
            data-testid="planned-follow-up"
            title={
              <span>
                {overdue ? `${t('followUp.overdue')} · ` : ''}
                {t('followUp.plannedLine', {
                  when: format.dateTime(f.plannedAt),
                  method: t(`method.${f.method}`),
                })}
              </span>
            }
            description={f.goal ?? undefined}
            action={
              <Space direction="vertical" size={4}>
                <Button size="small" type="primary" onClick={() => setCompleting(f)}>
                  {t('followUp.logThis')}
                </Button>
                <Button size="small" onClick={() => void cancel(f)}>
                  {t('action.cancel')}
                </Button>
              </Space>
            }
          />
        );
      })}
      {!followUps.isPending && planned.length === 0 && done.length === 0 ? (
        <Empty description={t('followUp.noneYet')} />
      ) : null}
      <Timeline
        style={{ marginTop: 12 }}
        data-testid="follow-up-timeline"
        items={done.map((f) => ({
          key: f.id,
          title: (
            <Space size={6} wrap>
              <span>{format.dateTime(f.occurredAt)}</span>
              <Tag>{t(`method.${f.method}`)}</Tag>
              <Typography.Text type="secondary">{f.owner.name}</Typography.Text>
              {f.lateEntry ? <Tag color="orange">{t('followUp.lateEntry')}</Tag> : null}
            </Space>
          ),
          content: (
            <div>
              <div style={{ whiteSpace: 'pre-wrap' }}>{f.content}</div>
              {f.intentChange ? (
                <div>
                  <Typography.Text type="secondary">{t('followUp.intentChange')}: </Typography.Text>
                  {f.intentChange}
                </div>
              ) : null}
              {f.nextAction ? (
                <div>
                  <Typography.Text type="secondary">{t('followUp.nextAction')}: </Typography.Text>
                  {f.nextAction}
                </div>
              ) : null}
            </div>
          ),
        }))}
      />
      {completing ? (
        <LogFollowUpDialog
          opportunityId={opportunity.id}
          completes={completing}
          onClose={() => setCompleting(null)}
        />
      ) : null}
    </div>
  );
}

function PriorityDialog({
  opportunity,
  onClose,
}: {
  opportunity: Opportunity;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ priority: Priority | 'computed'; reason?: string }>();
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    try {
      const updated = await api.post<Opportunity>(`/opportunities/${opportunity.id}/priority`, {
        version: opportunity.version,
        priority: values.priority === 'computed' ? null : values.priority,
        reason: values.reason,
      });
      void message.success(t('priority.saved'));
      await refreshAfterChange(queryClient, updated);
      onClose();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Modal
      open
      title={t('priority.override')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      destroyOnHidden
      data-testid="priority-dialog"
    >
      <Typography.Paragraph type="secondary">
        {t('priority.computedIs', { priority: opportunity.computedPriority })}
      </Typography.Paragraph>
      {error ? <ErrorAlert error={error} onReload={onClose} /> : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ priority: opportunity.priorityOverride?.priority ?? 'computed' }}
      >
        <Form.Item name="priority" label={t('priority.label')}>
          <Select
            options={[
              { value: 'computed', label: t('priority.useComputed') },
              ...PRIORITIES.map((p) => ({ value: p, label: p })),
            ]}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('move.reason')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} data-testid="priority-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReassignOneDialog({
  opportunity,
  onClose,
}: {
  opportunity: Opportunity;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: members = [] } = useMembers();
  const [form] = Form.useForm<{ ownerId: string; reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    try {
      const updated = await api.post<Opportunity>(`/opportunities/${opportunity.id}/reassign`, {
        version: opportunity.version,
        ...values,
      });
      void message.success(t('list.reassignDone', { count: 1 }));
      await refreshAfterChange(queryClient, updated);
      onClose();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Modal
      open
      title={t('detail.reassign')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      destroyOnHidden
    >
      {error ? <ErrorAlert error={error} onReload={onClose} /> : null}
      <Form form={form} layout="vertical" initialValues={{ ownerId: opportunity.owner.id }}>
        <Form.Item
          name="ownerId"
          label={t('list.newOwner')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={members
              .filter((m) => m.active)
              .map((m) => ({ value: m.id, label: `${m.name} · ${m.teamName ?? '—'}` }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('move.reason')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
