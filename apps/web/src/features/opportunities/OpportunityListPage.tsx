import { useMemo, useState } from 'react';
import {
  App,
  Button,
  Checkbox,
  Empty,
  Form,
  Input,
  Modal,
  Popover,
  Select,
  Space,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { SettingOutlined, SwapOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import {
  isManagerOrAbove,
  useCurrentUser,
  useMembers,
  usePicklist,
  usePipelines,
} from '../../api/queries';
import type { OpportunitySummary, OpportunityStatus, Page } from '../../api/types';
import { useI18n } from '../../i18n';
import { filtersToQuery, readFilters, writeFilters } from '../../lib/filters';
import { ExportMenu } from '../../ui/ExportMenu';
import { FilterBar } from '../../ui/FilterBar';
import { useFormat } from '../../ui/format-hooks';
import { PriorityTag, StatusTag } from '../../ui/tags';
import { refreshAfterChange } from './api';

const COLUMN_KEYS = [
  'code',
  'account',
  'name',
  'stage',
  'status',
  'owner',
  'expectedAmount',
  'expectedCloseDate',
  'priority',
  'nextFollowUpAt',
  'source',
  'region',
  'productLine',
  'industry',
  'createdAt',
  'stageEnteredAt',
] as const;
type ColumnKey = (typeof COLUMN_KEYS)[number];
const DEFAULT_COLUMNS: ColumnKey[] = [
  'code',
  'account',
  'name',
  'stage',
  'owner',
  'expectedAmount',
  'expectedCloseDate',
  'priority',
  'nextFollowUpAt',
];
// Every column the API sorts by (stage = pipeline order, owner and account by name).
const SORTABLE = new Set<string>([
  'code',
  'name',
  'account',
  'stage',
  'owner',
  'expectedAmount',
  'expectedCloseDate',
  'createdAt',
  'stageEnteredAt',
  'nextFollowUpAt',
  'priority',
]);
const COLUMNS_STORAGE = 'funnel.list.columns';
const STATUSES: OpportunityStatus[] = ['open', 'won', 'lost', 'postponed'];

function storedColumns(): ColumnKey[] {
  try {
    const stored = JSON.parse(localStorage.getItem(COLUMNS_STORAGE) ?? 'null') as unknown;
    if (Array.isArray(stored)) {
      const valid = stored.filter((k): k is ColumnKey => COLUMN_KEYS.includes(k as ColumnKey));
      if (valid.length > 0) return valid;
    }
  } catch {
    // a broken stored value falls back to the defaults
  }
  return DEFAULT_COLUMNS;
}

export default function OpportunityListPage() {
  const { t } = useI18n();
  const format = useFormat();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [columns, setColumns] = useState<ColumnKey[]>(storedColumns);
  const [selected, setSelected] = useState<OpportunitySummary[]>([]);
  const [reassignOpen, setReassignOpen] = useState(false);
  const filters = readFilters(params);
  const page = Number(params.get('page') ?? 1) || 1;
  const pageSize = Number(params.get('pageSize') ?? 50) || 50;
  const sort = params.get('sort') ?? '-createdAt';
  const pipelineId = params.get('pipeline') ?? undefined;
  const { data: pipelines = [] } = usePipelines();
  const labels = {
    source: usePicklist('source').labelOf,
    region: usePicklist('region').labelOf,
    productLine: usePicklist('product_line').labelOf,
    industry: usePicklist('industry').labelOf,
  };

  const query = { ...filtersToQuery(filters), pipelineId, sort, page, pageSize };
  const list = useQuery({
    queryKey: ['opportunities', query],
    queryFn: ({ signal }) => api.get<Page<OpportunitySummary>>('/opportunities', query, signal),
    placeholderData: keepPreviousData,
  });

  const setParam = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(patch)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  const sortOrder = (key: string) =>
    sort === key ? ('ascend' as const) : sort === `-${key}` ? ('descend' as const) : null;

  const allColumns: Record<ColumnKey, TableColumnsType<OpportunitySummary>[number]> = useMemo(
    () => ({
      code: {
        title: t('field.code'),
        dataIndex: 'code',
        width: 120,
        render: (code: string, row) => <Link to={`/opportunities/${row.id}`}>{code}</Link>,
      },
      account: {
        title: t('field.account'),
        render: (_, row) => row.account.name,
        ellipsis: true,
      },
      name: { title: t('field.name'), dataIndex: 'name', ellipsis: true },
      stage: { title: t('field.stage'), render: (_, row) => row.stage.name, width: 110 },
      status: {
        title: t('field.status'),
        dataIndex: 'status',
        width: 90,
        render: (status: OpportunityStatus) => <StatusTag status={status} />,
      },
      owner: { title: t('field.owner'), render: (_, row) => row.owner.name, width: 100 },
      expectedAmount: {
        title: t('field.expectedAmount'),
        dataIndex: 'expectedAmount',
        align: 'right',
        width: 130,
        render: (amount: string) => format.money(amount),
      },
      expectedCloseDate: {
        title: t('field.expectedCloseDate'),
        dataIndex: 'expectedCloseDate',
        width: 130,
        render: (date: string | null) => format.date(date),
      },
      priority: {
        title: t('priority.label'),
        dataIndex: 'priority',
        width: 90,
        render: (_, row) => (
          <PriorityTag priority={row.priority} overridden={row.priorityOverride !== null} />
        ),
      },
      nextFollowUpAt: {
        title: t('board.nextFollowUp'),
        dataIndex: 'nextFollowUpAt',
        width: 150,
        render: (iso: string | null) => format.dateTime(iso),
      },
      source: {
        title: t('field.source'),
        dataIndex: 'source',
        render: (code: string | null) => labels.source(code),
      },
      region: {
        title: t('field.region'),
        dataIndex: 'region',
        render: (code: string | null) => labels.region(code),
      },
      productLine: {
        title: t('field.productLine'),
        dataIndex: 'productLine',
        render: (code: string | null) => labels.productLine(code),
      },
      industry: {
        title: t('field.industry'),
        dataIndex: 'industry',
        render: (code: string | null) => labels.industry(code),
      },
      createdAt: {
        title: t('field.createdAt'),
        dataIndex: 'createdAt',
        width: 150,
        render: (iso: string) => format.dateTime(iso),
      },
      stageEnteredAt: {
        title: t('field.stageEnteredAt'),
        dataIndex: 'stageEnteredAt',
        width: 150,
        render: (iso: string) => format.dateTime(iso),
      },
    }),
    [t, format, labels.source, labels.region, labels.productLine, labels.industry],
  );

  const tableColumns = columns.map((key) => ({
    ...allColumns[key],
    key,
    sorter: SORTABLE.has(key),
    sortOrder: SORTABLE.has(key) ? sortOrder(key) : undefined,
  }));

  const manager = isManagerOrAbove(me.role);
  const chooser = (
    <Checkbox.Group
      value={columns}
      onChange={(values) => {
        const next = COLUMN_KEYS.filter((k) => values.includes(k));
        setColumns(next);
        localStorage.setItem(COLUMNS_STORAGE, JSON.stringify(next));
      }}
      style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
      options={COLUMN_KEYS.map((key) => ({
        value: key,
        label: (allColumns[key].title as string) ?? key,
      }))}
    />
  );

  return (
    <div>
      <div className="page-toolbar">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('list.title')}
          </Typography.Title>
          <Select
            allowClear
            placeholder={t('list.allPipelines')}
            value={pipelineId}
            options={pipelines.map((p) => ({ value: p.id, label: p.name }))}
            onChange={(id?: string) => setParam({ pipeline: id, page: undefined })}
            style={{ width: 160 }}
          />
          <Select
            mode="multiple"
            allowClear
            placeholder={t('field.status')}
            value={filters.status ?? []}
            options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            onChange={(status: string[]) =>
              setParams(writeFilters(params, { ...filters, status }), { replace: true })
            }
            style={{ width: 200 }}
            data-testid="filter-status"
          />
        </Space>
        <Space>
          {manager ? (
            <Button
              icon={<SwapOutlined />}
              disabled={selected.length === 0}
              onClick={() => setReassignOpen(true)}
              data-testid="bulk-reassign"
            >
              {t('list.reassign', { count: selected.length })}
            </Button>
          ) : null}
          <ExportMenu list="opportunities" query={{ ...filtersToQuery(filters), pipelineId }} />
          <Popover
            content={chooser}
            title={t('list.columns')}
            trigger="click"
            placement="bottomRight"
          >
            <Button icon={<SettingOutlined />} data-testid="column-chooser">
              {t('list.columns')}
            </Button>
          </Popover>
        </Space>
      </div>
      <div className="page-filters">
        <FilterBar />
      </div>
      <Table<OpportunitySummary>
        rowKey="id"
        size="middle"
        columns={tableColumns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        sticky={{ offsetHeader: 64 }}
        rowSelection={
          manager
            ? {
                selectedRowKeys: selected.map((o) => o.id),
                onChange: (_keys, rows) => setSelected(rows),
                preserveSelectedRowKeys: true,
              }
            : undefined
        }
        onRow={(row) => ({
          onDoubleClick: () => void navigate(`/opportunities/${row.id}`),
        })}
        locale={{
          emptyText: (
            <Empty
              description={
                Object.keys(filters).length > 0 ? t('list.emptyFiltered') : t('list.empty')
              }
            />
          ),
        }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (total) => t('list.total', { total: format.number(total) }),
        }}
        onChange={(pagination, _filters, sorter) => {
          const single = Array.isArray(sorter) ? sorter[0] : sorter;
          const key = single?.order ? String(single.columnKey) : undefined;
          const nextSort = key ? (single?.order === 'descend' ? `-${key}` : key) : undefined;
          setParam({
            page: String(pagination.current ?? 1),
            pageSize: String(pagination.pageSize ?? 50),
            sort: nextSort,
          });
        }}
        data-testid="opportunity-table"
      />
      <ReassignDialog
        open={reassignOpen}
        rows={selected}
        onClose={() => setReassignOpen(false)}
        onDone={() => setSelected([])}
      />
    </div>
  );
}

interface Failure {
  row: OpportunitySummary;
  message: string;
}

/** Reassigns each selected row with its own version, one after another, and reports failures. */
function ReassignDialog({
  open,
  rows,
  onClose,
  onDone,
}: {
  open: boolean;
  rows: OpportunitySummary[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: members = [] } = useMembers();
  const [form] = Form.useForm<{ ownerId: string; reason: string }>();
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState(0);
  const [failures, setFailures] = useState<Failure[]>([]);

  const run = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setRunning(true);
    setFailures([]);
    const failed: Failure[] = [];
    let done = 0;
    for (const row of rows) {
      try {
        await api.post(`/opportunities/${row.id}/reassign`, {
          version: row.version,
          ownerId: values.ownerId,
          reason: values.reason,
        });
      } catch (error) {
        failed.push({
          row,
          message: error instanceof ApiError ? error.message : t('error.unexpected'),
        });
      }
      done += 1;
      setProgress(done);
    }
    setRunning(false);
    setFailures(failed);
    await refreshAfterChange(queryClient);
    const succeeded = rows.length - failed.length;
    if (succeeded > 0) void message.success(t('list.reassignDone', { count: succeeded }));
    if (failed.length === 0) {
      form.resetFields();
      onDone();
      onClose();
    }
  };

  return (
    <Modal
      open={open}
      title={t('list.reassignTitle', { count: rows.length })}
      onCancel={() => {
        setFailures([]);
        onClose();
      }}
      onOk={() => void run()}
      okText={t('action.confirm')}
      cancelText={t('action.cancel')}
      confirmLoading={running}
      destroyOnHidden
      data-testid="reassign-dialog"
    >
      <Form form={form} layout="vertical">
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
      {running ? <p>{t('list.reassignProgress', { done: progress, total: rows.length })}</p> : null}
      {failures.length > 0 ? (
        <div data-testid="reassign-failures">
          <Typography.Text type="danger">
            {t('list.reassignFailed', { count: failures.length })}
          </Typography.Text>
          <ul>
            {failures.map((f) => (
              <li key={f.row.id}>
                {f.row.code} · {f.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Modal>
  );
}
