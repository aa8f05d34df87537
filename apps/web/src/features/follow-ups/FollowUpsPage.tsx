import { useState } from 'react';
import {
  Badge,
  Button,
  Empty,
  List,
  Modal,
  Segmented,
  Skeleton,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { isManagerOrAbove, seesEveryone, useCurrentUser } from '../../api/queries';
import type { FollowUp, FollowUpQueue, Page } from '../../api/types';
import { useI18n } from '../../i18n';
import { ExportMenu } from '../../ui/ExportMenu';
import { useFormat } from '../../ui/format-hooks';
import { ZonedDateTimePicker } from '../../ui/inputs';
import { PriorityTag } from '../../ui/tags';
import { refreshAfterChange } from '../opportunities/api';
import { LogFollowUpDialog, useCancelFollowUp } from './FollowUpDialogs';

type Scope = 'mine' | 'team' | 'all';
type Bucket = 'overdue' | 'today' | 'upcoming';
const PAGE_SIZE = 50;

/** My follow-ups: overdue, due today, upcoming; for me, my team or everyone. */
export default function FollowUpsPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const scopes: Scope[] = [
    'mine',
    ...(isManagerOrAbove(me.role) ? (['team'] as const) : []),
    ...(seesEveryone(me.role) ? (['all'] as const) : []),
  ];
  const scope: Scope = scopes.includes(params.get('scope') as Scope)
    ? (params.get('scope') as Scope)
    : 'mine';
  const bucket: Bucket =
    (['overdue', 'today', 'upcoming'] as const).find((b) => b === params.get('bucket')) ??
    'overdue';
  const [logging, setLogging] = useState<FollowUp | null>(null);
  const [rescheduling, setRescheduling] = useState<FollowUp | null>(null);
  const cancel = useCancelFollowUp();

  const page = Math.max(1, Number(params.get('page')) || 1);
  // The queue gives the three counts; the open tab is paged by the server (same buckets).
  const queue = useQuery({
    queryKey: ['follow-ups', 'queue', scope],
    queryFn: () => api.get<FollowUpQueue>('/follow-ups/queue', { scope, limit: 1 }),
  });
  const list = useQuery({
    queryKey: ['follow-ups', 'bucket', scope, bucket, page],
    queryFn: () =>
      api.get<Page<FollowUp>>('/follow-ups', { scope, bucket, page, pageSize: PAGE_SIZE }),
  });
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) next.set(k, v);
    if (!('page' in patch)) next.delete('page');
    setParams(next, { replace: true });
  };

  const items = list.data?.items ?? [];
  const counts = queue.data?.counts;

  return (
    <div>
      <div className="page-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('followUps.title')}
        </Typography.Title>
        <Space wrap>
          {scopes.length > 1 ? (
            <Segmented
              value={scope}
              onChange={(value) => set({ scope: value })}
              options={scopes.map((s) => ({ value: s, label: t(`followUps.scope.${s}`) }))}
              data-testid="follow-up-scope"
            />
          ) : null}
          {/* Exactly the open tab: the same scope and due bucket as the list. */}
          <ExportMenu list="follow-ups" query={{ scope, bucket }} />
        </Space>
      </div>
      <div className="panel">
        <Tabs
          activeKey={bucket}
          onChange={(key) => set({ bucket: key })}
          items={(['overdue', 'today', 'upcoming'] as const).map((b) => ({
            key: b,
            label: (
              <Space size={6}>
                {t(`followUps.bucket.${b}`)}
                <Badge
                  count={counts?.[b] ?? 0}
                  showZero
                  overflowCount={999}
                  color={b === 'overdue' ? '#cf1322' : b === 'today' ? '#fa8c16' : '#8c8c8c'}
                  data-testid={`count-${b}`}
                />
              </Space>
            ),
          }))}
        />
        {list.isPending ? (
          <Skeleton active />
        ) : (
          <List<FollowUp>
            dataSource={items}
            data-testid="follow-up-list"
            pagination={
              (list.data?.total ?? 0) > PAGE_SIZE
                ? {
                    current: page,
                    pageSize: PAGE_SIZE,
                    total: list.data?.total ?? 0,
                    showSizeChanger: false,
                    onChange: (next) => set({ page: String(next) }),
                  }
                : false
            }
            locale={{
              emptyText: <Empty description={t(`followUps.empty.${bucket}`)} />,
            }}
            renderItem={(f) => (
              <List.Item
                data-testid="follow-up-item"
                actions={[
                  <Button key="log" type="primary" size="small" onClick={() => setLogging(f)}>
                    {t('followUp.logThis')}
                  </Button>,
                  <Button key="re" size="small" onClick={() => setRescheduling(f)}>
                    {t('followUps.reschedule')}
                  </Button>,
                  <Button key="cancel" size="small" type="text" onClick={() => void cancel(f)}>
                    {t('action.cancel')}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  avatar={<PriorityTag priority={f.opportunity.priority} />}
                  title={
                    <Space wrap>
                      <Link to={`/opportunities/${f.opportunity.id}`}>
                        {f.opportunity.accountName}
                      </Link>
                      <Typography.Text type="secondary">
                        {f.opportunity.code} · {f.opportunity.name}
                      </Typography.Text>
                    </Space>
                  }
                  description={
                    <Space wrap size={12}>
                      <span className={bucket === 'overdue' ? 'danger' : undefined}>
                        {format.dateTime(f.plannedAt)}
                      </span>
                      <Tag>{t(`method.${f.method}`)}</Tag>
                      {f.goal ? <span>{f.goal}</span> : null}
                      {f.plannedByCadence ? (
                        <Tag color="blue">{t('followUps.byCadence')}</Tag>
                      ) : null}
                      {scope !== 'mine' ? <span>{f.owner.name}</span> : null}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </div>
      {logging ? (
        <LogFollowUpDialog
          opportunityId={logging.opportunity.id}
          completes={logging}
          title={`${t('followUp.logTitle')} · ${logging.opportunity.accountName}`}
          onClose={() => setLogging(null)}
        />
      ) : null}
      {rescheduling ? (
        <RescheduleDialog followUp={rescheduling} onClose={() => setRescheduling(null)} />
      ) : null}
    </div>
  );
}

function RescheduleDialog({ followUp, onClose }: { followUp: FollowUp; onClose: () => void }) {
  const { t } = useI18n();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [when, setWhen] = useState<string | null>(followUp.plannedAt);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open
      title={t('followUps.reschedule')}
      onCancel={onClose}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      onOk={async () => {
        if (!when) return;
        try {
          await api.patch(`/follow-ups/${followUp.id}`, {
            version: followUp.version,
            plannedAt: when,
          });
          await refreshAfterChange(queryClient);
          onClose();
        } catch (caught) {
          setError(caught instanceof Error ? caught.message : t('error.unexpected'));
        }
      }}
    >
      <ZonedDateTimePicker timeZone={format.timeZone} value={when} onChange={setWhen} />
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
    </Modal>
  );
}
