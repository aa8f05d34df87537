/**
 * The workspace's audit log (SPEC F-5) for directors and admins: who changed what and when,
 * filtered by action, person, record type and time (filters and page in the URL), paged by the
 * server.
 */
import { DatePicker, Result, Select, Space, Table, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import { addDays } from '@funnel/domain';
import { api } from '../../api/client';
import { seesEveryone, useCurrentUser, useMembers } from '../../api/queries';
import type { AuditAction, AuditEntry, Page } from '../../api/types';
import { useI18n } from '../../i18n';
import { wallTimeToIso } from '../../lib/format';
import {
  AUDIT_ACTION_LABELS,
  AUDIT_ACTION_LIST,
  AUDIT_ENTITY_LABELS,
  AuditActionTag,
  AuditChanges,
  useDescribeChange,
} from '../../ui/audit';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format-hooks';

const PAGE_SIZE = 50;

/** Midnight starting a calendar day in the zone, as an ISO instant. */
function startOfDay(date: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return wallTimeToIso({ year, month, day, hour: 0, minute: 0 }, timeZone);
}

export default function AuditLogPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const { data: members = [] } = useMembers();
  const describeChange = useDescribeChange();
  const memberName = new Map(members.map((m) => [m.id, m.name]));
  const page = Math.max(1, Number(params.get('page')) || 1);
  const action = AUDIT_ACTION_LIST.find((a) => a === params.get('action'));
  const actorId = params.get('actorId') ?? undefined;
  const entityType = params.get('entityType') ?? undefined;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const allowed = seesEveryone(me.role);

  const query = {
    page,
    pageSize: PAGE_SIZE,
    action,
    actorId,
    entityType,
    // calendar days of the workspace zone, both inclusive
    from: from ? startOfDay(from, format.timeZone) : undefined,
    to: to ? startOfDay(addDays(to, 1), format.timeZone) : undefined,
  };
  const log = useQuery({
    queryKey: ['audit-log', query],
    queryFn: () => api.get<Page<AuditEntry>>('/audit-log', query),
    enabled: allowed,
    placeholderData: keepPreviousData,
  });

  if (!allowed) return <Result status="403" title={t('audit.forbidden')} />;

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(patch)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next, { replace: true });
  };
  const entityLabel = (type: string) => {
    const key = AUDIT_ENTITY_LABELS[type];
    return key ? t(key) : type;
  };

  return (
    <div data-testid="audit-log-page">
      <div className="page-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('audit.title')}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t('audit.total', { total: format.number(log.data?.total ?? 0) })}
        </Typography.Text>
      </div>
      <Space wrap size={8} className="page-filters">
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('audit.filter.action')}
          value={action}
          options={AUDIT_ACTION_LIST.map((a) => ({ value: a, label: t(AUDIT_ACTION_LABELS[a]) }))}
          onChange={(value?: AuditAction) => set({ action: value })}
          style={{ width: 170 }}
          data-testid="audit-filter-action"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('audit.filter.actor')}
          value={actorId}
          options={members.map((m) => ({ value: m.id, label: m.name }))}
          onChange={(value?: string) => set({ actorId: value })}
          style={{ width: 150 }}
        />
        <Select
          allowClear
          placeholder={t('audit.filter.entity')}
          value={entityType}
          options={Object.keys(AUDIT_ENTITY_LABELS).map((type) => ({
            value: type,
            label: entityLabel(type),
          }))}
          onChange={(value?: string) => set({ entityType: value })}
          style={{ width: 150 }}
        />
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
          onChange={(range) =>
            set({
              from: range?.[0]?.format('YYYY-MM-DD'),
              to: range?.[1]?.format('YYYY-MM-DD'),
            })
          }
          style={{ width: 250 }}
        />
      </Space>
      <ErrorAlert error={log.error} />
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={log.isFetching}
        dataSource={log.data?.items ?? []}
        data-testid="audit-log"
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: log.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (next) => set({ page: String(next) }),
        }}
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
            width: 110,
            render: (_, e) => e.actor?.name ?? t('detail.system'),
          },
          {
            title: t('detail.action'),
            dataIndex: 'action',
            width: 140,
            render: (v: AuditAction) => <AuditActionTag action={v} />,
          },
          {
            title: t('audit.record'),
            key: 'entity',
            width: 200,
            render: (_, e) => (
              <Space size={4}>
                <Typography.Text type="secondary">{entityLabel(e.entityType)}</Typography.Text>
                {e.entityType === 'opportunity' ? (
                  <Link to={`/opportunities/${e.entityId}`}>{e.entityId.slice(0, 8)}</Link>
                ) : e.entityType === 'user' && memberName.has(e.entityId) ? (
                  <Typography.Text>{memberName.get(e.entityId)}</Typography.Text>
                ) : (
                  <Typography.Text code>{e.entityId.slice(0, 8)}</Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('detail.changes'),
            key: 'changes',
            render: (_, e) => <AuditChanges lines={describeChange(e)} />,
          },
        ]}
      />
    </div>
  );
}
