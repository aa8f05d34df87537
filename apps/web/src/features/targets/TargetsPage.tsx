/**
 * Sales targets (定额, SPEC F-7) per workspace, team or rep and period, and the reverse funnel
 * (目标拆解): from a revenue target to deals, wins a week, new opportunities a week and reps.
 * Who may set which target is the API's rule (directors and admins any, managers their teams'
 * and reps'); the page offers what the role may try and shows the API's answer.
 */
import { useEffect, useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError } from '../../api/client';
import {
  seesEveryone,
  useCurrentUser,
  useMembers,
  usePipelines,
  useTeams,
} from '../../api/queries';
import type {
  CreateTargetBody,
  Target,
  TargetDecomposition,
  TargetDecompositionBody,
} from '../../api/types';
import { useI18n } from '../../i18n';
import { parseMoneyInput, todayIn } from '../../lib/format';
import { applyFieldErrors, ErrorAlert, isVersionConflict } from '../../ui/errors';
import { useFormat } from '../../ui/format-hooks';
import { MoneyInput } from '../../ui/inputs';
import {
  firstDayOfKey,
  parsePercent,
  parseStandardCounts,
  periodKeyOf,
  type TargetPeriodKind,
} from './targets-input';

const PERIOD_KINDS: TargetPeriodKind[] = ['month', 'quarter', 'year'];
type KindFilter = 'all' | TargetPeriodKind;

export default function TargetsPage() {
  const { t } = useI18n();
  return (
    <div data-testid="targets-page">
      <div className="page-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('targets.title')}
        </Typography.Title>
      </div>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <TargetList />
        </Col>
        <Col xs={24} xl={12}>
          <Decomposition />
        </Col>
      </Row>
    </div>
  );
}

function TargetList() {
  const { t } = useI18n();
  const format = useFormat();
  const me = useCurrentUser();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<KindFilter>('all');
  const [editing, setEditing] = useState<Target | 'new' | null>(null);
  const { data: teams = [] } = useTeams();
  const { data: members = [] } = useMembers();
  const targets = useQuery({
    queryKey: ['targets', kind],
    queryFn: () => api.get<Target[]>('/targets', { periodKind: kind === 'all' ? undefined : kind }),
  });
  const remove = useMutation({
    mutationFn: (target: Target) => api.delete(`/targets/${target.id}`),
    onSuccess: async () => {
      void message.success(t('targets.removed'));
      await queryClient.invalidateQueries({ queryKey: ['targets'] });
      await queryClient.invalidateQueries({ queryKey: ['analytics'] });
    },
  });
  const scopeName = (target: Target) => {
    if (target.scope === 'workspace') return t('targets.scope.workspace');
    if (target.scope === 'team')
      return teams.find((team) => team.id === target.scopeId)?.name ?? '—';
    return members.find((m) => m.id === target.scopeId)?.name ?? '—';
  };
  const rows = [...(targets.data ?? [])].sort(
    (a, b) => b.periodKey.localeCompare(a.periodKey) || a.scope.localeCompare(b.scope),
  );

  return (
    <Card
      size="small"
      title={t('targets.listTitle')}
      extra={
        <Space>
          <Segmented<KindFilter>
            size="small"
            value={kind}
            options={[
              { value: 'all', label: t('targets.kind.all') },
              ...PERIOD_KINDS.map((k) => ({ value: k, label: t(`dashboard.period.${k}`) })),
            ]}
            onChange={setKind}
          />
          {me.role === 'rep' ? null : (
            <Button
              type="primary"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="add-target"
            >
              {t('targets.add')}
            </Button>
          )}
        </Space>
      }
    >
      {remove.error ? <ErrorAlert error={remove.error} /> : null}
      <Table<Target>
        rowKey="id"
        size="small"
        loading={targets.isPending}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="target-table"
        locale={{ emptyText: t(me.role === 'rep' ? 'targets.emptyForRep' : 'targets.empty') }}
        columns={[
          {
            title: t('targets.period'),
            key: 'period',
            render: (_, target) => (
              <Space size={4}>
                <Tag>{t(`dashboard.period.${target.periodKind}`)}</Tag>
                {target.periodKey}
              </Space>
            ),
          },
          {
            title: t('targets.scope'),
            key: 'scope',
            render: (_, target) => (
              <Space size={4}>
                <Typography.Text type="secondary">
                  {t(`targets.scope.${target.scope}`)}
                </Typography.Text>
                {target.scope === 'workspace' ? null : scopeName(target)}
              </Space>
            ),
          },
          {
            title: t('targets.amount'),
            dataIndex: 'amount',
            align: 'right',
            render: (amount: string) => format.money(amount),
          },
          {
            title: '',
            key: 'actions',
            width: 90,
            render: (_, target) =>
              me.role === 'rep' ? null : (
                <Space size={0}>
                  <Button
                    type="text"
                    size="small"
                    icon={<EditOutlined />}
                    aria-label={t('action.edit')}
                    onClick={() => setEditing(target)}
                  />
                  <Popconfirm
                    title={t('targets.removeConfirm')}
                    okText={t('action.remove')}
                    cancelText={t('action.cancel')}
                    onConfirm={() => remove.mutate(target)}
                  >
                    <Button
                      type="text"
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('action.remove')}
                    />
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      {editing ? (
        <TargetForm
          target={editing === 'new' ? null : editing}
          canSetWorkspace={seesEveryone(me.role)}
          today={todayIn(format.timeZone)}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Card>
  );
}

interface TargetFormValues {
  scope: 'workspace' | 'team' | 'user';
  scopeId?: string;
  periodKind: TargetPeriodKind;
  period: Dayjs;
  amount: string;
}

function TargetForm({
  target,
  canSetWorkspace,
  today,
  onClose,
}: {
  target: Target | null;
  canSetWorkspace: boolean;
  today: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TargetFormValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const { data: teams = [] } = useTeams();
  const { data: members = [] } = useMembers();
  const scope = Form.useWatch('scope', form);
  const periodKind = Form.useWatch('periodKind', form) ?? target?.periodKind ?? 'quarter';

  const submit = async (values: TargetFormValues) => {
    setSaving(true);
    setError(null);
    try {
      const amount = parseMoneyInput(values.amount)!;
      if (target) {
        await api.patch<Target>(`/targets/${target.id}`, { version: target.version, amount });
      } else {
        const body: CreateTargetBody = {
          scope: values.scope,
          scopeId: values.scope === 'workspace' ? null : values.scopeId,
          periodKind: values.periodKind,
          periodKey: periodKeyOf(values.periodKind, values.period.format('YYYY-MM-DD')),
          amount,
        };
        await api.post<Target>('/targets', body);
      }
      void message.success(t('targets.saved'));
      await queryClient.invalidateQueries({ queryKey: ['targets'] });
      await queryClient.invalidateQueries({ queryKey: ['analytics'] });
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
      title={target ? t('targets.edit') : t('targets.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      okButtonProps={{ loading: saving }}
      destroyOnHidden
      data-testid="target-form"
    >
      <Form<TargetFormValues>
        form={form}
        layout="vertical"
        initialValues={{
          scope: target?.scope ?? (canSetWorkspace ? 'workspace' : 'team'),
          scopeId: target?.scopeId ?? undefined,
          periodKind: target?.periodKind ?? 'quarter',
          period: dayjs(target ? firstDayOfKey(target.periodKey) : today),
          amount: target?.amount ?? '',
        }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="scope" label={t('targets.scope')}>
          <Radio.Group
            disabled={Boolean(target)}
            options={(['workspace', 'team', 'user'] as const)
              .filter((s) => s !== 'workspace' || canSetWorkspace)
              .map((s) => ({ value: s, label: t(`targets.scope.${s}`) }))}
          />
        </Form.Item>
        {scope && scope !== 'workspace' ? (
          <Form.Item
            name="scopeId"
            label={scope === 'team' ? t('filters.team') : t('targets.rep')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Select
              showSearch
              disabled={Boolean(target)}
              optionFilterProp="label"
              options={
                scope === 'team'
                  ? teams.map((team) => ({ value: team.id, label: team.name }))
                  : members.filter((m) => m.active).map((m) => ({ value: m.id, label: m.name }))
              }
            />
          </Form.Item>
        ) : null}
        <Space align="start">
          <Form.Item name="periodKind" label={t('targets.periodKind')}>
            <Segmented<TargetPeriodKind>
              disabled={Boolean(target)}
              options={PERIOD_KINDS.map((k) => ({ value: k, label: t(`dashboard.period.${k}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="period"
            label={t('targets.period')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <DatePicker picker={periodKind} allowClear={false} disabled={Boolean(target)} />
          </Form.Item>
        </Space>
        <Form.Item
          name="amount"
          label={t('targets.amount')}
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
          <MoneyInput id="target-amount" />
        </Form.Item>
      </Form>
      <ErrorAlert
        error={error}
        fieldsShownInline
        onReload={
          isVersionConflict(error)
            ? () => {
                void queryClient.invalidateQueries({ queryKey: ['targets'] });
                onClose();
              }
            : undefined
        }
      />
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------

type ConversionSource = 'standard' | 'overall' | 'measured';

interface DecompositionValues {
  revenueTarget: string;
  averageDealSize: string;
  source: ConversionSource;
  standardCounts: string;
  overall: string;
  measuredRange?: [Dayjs, Dayjs];
  pipelineId?: string;
  sellingWeeks: number;
  cycleWeeks: number;
  newOpportunitiesPerRepPerWeek: number;
}

/** SPEC F-7: 240万, 2万 a deal, 10:6:3:2, 12 selling weeks, 3-week cycle, 5 new a rep a week. */
const SPEC_EXAMPLE: DecompositionValues = {
  revenueTarget: '2400000',
  averageDealSize: '20000',
  source: 'standard',
  standardCounts: '10:6:3:2',
  overall: '20',
  sellingWeeks: 12,
  cycleWeeks: 3,
  newOpportunitiesPerRepPerWeek: 5,
};

function toBody(values: DecompositionValues): TargetDecompositionBody {
  const conversion: TargetDecompositionBody['conversion'] =
    values.source === 'measured' && values.measuredRange
      ? {
          measured: true,
          pipelineId: values.pipelineId,
          from: values.measuredRange[0].format('YYYY-MM-DD'),
          to: values.measuredRange[1].format('YYYY-MM-DD'),
        }
      : values.source === 'overall'
        ? { overall: parsePercent(values.overall) ?? 0 }
        : { standardCounts: parseStandardCounts(values.standardCounts) ?? [] };
  return {
    revenueTarget: parseMoneyInput(values.revenueTarget) ?? values.revenueTarget,
    averageDealSize: parseMoneyInput(values.averageDealSize) ?? values.averageDealSize,
    conversion,
    sellingWeeks: values.sellingWeeks,
    cycleWeeks: values.cycleWeeks,
    newOpportunitiesPerRepPerWeek: values.newOpportunitiesPerRepPerWeek,
  };
}

/** Where the server's field errors of a decomposition go in the form. */
const DECOMPOSITION_FIELDS: Record<string, keyof DecompositionValues> = {
  revenueTarget: 'revenueTarget',
  averageDealSize: 'averageDealSize',
  'conversion.standardCounts': 'standardCounts',
  'conversion.overall': 'overall',
  'conversion.from': 'measuredRange',
  'conversion.to': 'measuredRange',
  sellingWeeks: 'sellingWeeks',
  cycleWeeks: 'cycleWeeks',
  newOpportunitiesPerRepPerWeek: 'newOpportunitiesPerRepPerWeek',
};

function Decomposition() {
  const { t } = useI18n();
  const format = useFormat();
  const [form] = Form.useForm<DecompositionValues>();
  const { data: pipelines = [] } = usePipelines();
  const source = Form.useWatch('source', form) ?? SPEC_EXAMPLE.source;
  const [body, setBody] = useState<TargetDecompositionBody>(() => toBody(SPEC_EXAMPLE));
  const result = useQuery({
    queryKey: ['target-decomposition', body],
    queryFn: () => api.post<TargetDecomposition>('/analytics/target-decomposition', body),
    retry: false,
  });
  const moneyRule = {
    validator: (_: unknown, value: string) =>
      value && parseMoneyInput(value) === null
        ? Promise.reject(new Error(t('validation.money')))
        : Promise.resolve(),
  };
  const positiveRule = {
    validator: (_: unknown, value: string) =>
      value && Number(parseMoneyInput(value) ?? NaN) === 0
        ? Promise.reject(new Error(t('validation.positiveAmount')))
        : Promise.resolve(),
  };
  const required = { required: true, message: t('validation.required') };
  const r = result.data;
  // The server's reasons go next to the fields they are about.
  const fieldErrors =
    result.error instanceof ApiError
      ? result.error.fields.filter((f) => DECOMPOSITION_FIELDS[f.path])
      : [];
  useEffect(() => {
    if (fieldErrors.length === 0) return;
    form.setFields(
      fieldErrors.map((f) => ({ name: DECOMPOSITION_FIELDS[f.path]!, errors: [f.message] })),
    );
    // only when a new answer arrives
  }, [result.error]);
  // default measured cohort: the same quarter a year ago (old enough to have closed)
  const lastYear = dayjs(
    firstDayOfKey(
      periodKeyOf(
        'quarter',
        dayjs(todayIn(format.timeZone)).subtract(1, 'year').format('YYYY-MM-DD'),
      ),
    ),
  );

  return (
    <Card
      size="small"
      title={t('targets.decomposition.title')}
      extra={
        <Button size="small" onClick={() => form.setFieldsValue(SPEC_EXAMPLE)}>
          {t('targets.decomposition.example')}
        </Button>
      }
      data-testid="target-decomposition"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('targets.decomposition.intro')}
      </Typography.Paragraph>
      <Form<DecompositionValues>
        form={form}
        layout="vertical"
        initialValues={{
          ...SPEC_EXAMPLE,
          measuredRange: [lastYear, lastYear.add(3, 'month').subtract(1, 'day')],
        }}
        onFinish={(values) => setBody(toBody(values))}
        className="decomposition-form"
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="revenueTarget"
              label={t('targets.decomposition.revenueTarget')}
              rules={[required, moneyRule]}
            >
              <MoneyInput id="revenueTarget" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="averageDealSize"
              label={t('targets.decomposition.averageDealSize')}
              rules={[required, moneyRule, positiveRule]}
            >
              <MoneyInput id="averageDealSize" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="source" label={t('targets.decomposition.conversion')}>
          <Radio.Group
            options={(['standard', 'overall', 'measured'] as const).map((s) => ({
              value: s,
              label: t(`targets.decomposition.source.${s}`),
            }))}
            data-testid="conversion-source"
          />
        </Form.Item>
        {source === 'standard' ? (
          <Form.Item
            name="standardCounts"
            extra={t('targets.decomposition.standardHint')}
            rules={[
              required,
              {
                validator: (_, value: string) =>
                  parseStandardCounts(value ?? '')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('targets.decomposition.standardInvalid'))),
              },
            ]}
          >
            <Input id="standardCounts" style={{ width: 200 }} />
          </Form.Item>
        ) : null}
        {source === 'overall' ? (
          <Form.Item
            name="overall"
            rules={[
              required,
              {
                validator: (_, value: string) =>
                  parsePercent(value ?? '') !== null
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('targets.decomposition.percentInvalid'))),
              },
            ]}
          >
            <Input id="overall" suffix="%" style={{ width: 140 }} />
          </Form.Item>
        ) : null}
        {source === 'measured' ? (
          <Space align="start" wrap>
            <Form.Item
              name="measuredRange"
              extra={t('targets.decomposition.measuredHint')}
              rules={[required]}
            >
              <DatePicker.RangePicker allowClear={false} />
            </Form.Item>
            {pipelines.filter((p) => !p.archived).length > 1 ? (
              <Form.Item name="pipelineId">
                <Select
                  allowClear
                  placeholder={t('field.pipeline')}
                  options={pipelines
                    .filter((p) => !p.archived)
                    .map((p) => ({ value: p.id, label: p.name }))}
                  style={{ width: 160 }}
                />
              </Form.Item>
            ) : null}
          </Space>
        ) : null}
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              name="sellingWeeks"
              label={t('targets.decomposition.sellingWeeks')}
              rules={[required]}
            >
              <InputNumber id="sellingWeeks" min={1} max={60} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="cycleWeeks"
              label={t('targets.decomposition.cycleWeeks')}
              rules={[required]}
            >
              <InputNumber id="cycleWeeks" min={0} max={104} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="newOpportunitiesPerRepPerWeek"
              label={t('targets.decomposition.perRep')}
              rules={[required]}
            >
              <InputNumber id="perRep" min={0.1} max={1000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" data-testid="decompose">
          {t('targets.decomposition.calculate')}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }}>
        <ErrorAlert
          error={result.error}
          fieldsShownInline={
            result.error instanceof ApiError && fieldErrors.length === result.error.fields.length
          }
        />
        {r ? (
          <>
            <Row
              gutter={[12, 12]}
              className="decomposition-result"
              data-testid="decomposition-result"
            >
              <Col span={8}>
                <Statistic
                  title={t('targets.decomposition.dealsNeeded')}
                  value={r.dealsNeeded}
                  data-testid="deals-needed"
                />
              </Col>
              <Col span={8}>
                <Statistic
                  title={t('targets.decomposition.winsPerWeek')}
                  value={r.winsPerWeek}
                  data-testid="wins-per-week"
                />
              </Col>
              <Col span={8}>
                <Statistic
                  title={t('targets.decomposition.newPerWeek')}
                  value={r.newOpportunitiesPerWeek}
                  suffix={
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('targets.decomposition.newTotal', { count: r.newOpportunities })}
                    </Typography.Text>
                  }
                  data-testid="new-per-week"
                />
              </Col>
              <Col span={8}>
                <Statistic
                  title={t('targets.decomposition.repsNeeded')}
                  value={r.repsNeeded}
                  data-testid="reps-needed"
                />
              </Col>
              <Col span={8}>
                <Statistic
                  title={t('targets.decomposition.overallConversion')}
                  value={`${Math.round(r.conversion * 10000) / 100}%`}
                />
              </Col>
              <Col span={8}>
                <Statistic
                  title={t('targets.decomposition.lastEntryWeek')}
                  value={r.lastEntryWeek}
                  suffix={
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('targets.decomposition.leadTime', { weeks: r.leadTimeWeeks })}
                    </Typography.Text>
                  }
                />
              </Col>
            </Row>
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
              {t('targets.decomposition.explain', {
                target: format.money(body.revenueTarget),
                average: format.money(body.averageDealSize),
                deals: r.dealsNeeded,
                weeks: body.sellingWeeks,
                wins: r.winsPerWeek,
                rate: `${Math.round(r.conversion * 10000) / 100}%`,
                perWeek: r.newOpportunitiesPerWeek,
                perRep: body.newOpportunitiesPerRepPerWeek,
                reps: r.repsNeeded,
              })}
            </Typography.Paragraph>
          </>
        ) : null}
      </div>
    </Card>
  );
}
