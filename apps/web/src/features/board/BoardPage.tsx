import { useCallback, useMemo, useState } from 'react';
import { Button, Empty, Result, Select, Skeleton, Space, Tooltip, Typography } from 'antd';
import {
  CheckCircleOutlined,
  CloseCircleOutlined,
  PauseCircleOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { usePipelines } from '../../api/queries';
import type { OpportunitySummary, Stage, StageSummary } from '../../api/types';
import { useI18n } from '../../i18n';
import { activeFilterCount, filtersToQuery, readFilters } from '../../lib/filters';
import { FilterBar } from '../../ui/FilterBar';
import { useFormat } from '../../ui/format-hooks';
import { openStagesOf } from '../opportunities/api';
import { CloseDialog, type CloseKind } from '../opportunities/CloseDialogs';
import { BoardColumn } from './BoardColumn';
import { MoveDialog } from './MoveDialog';
import type { CardAction } from './OpportunityCard';

const SORTS = [
  '-expectedAmount',
  'expectedCloseDate',
  'nextFollowUpAt',
  'stageEnteredAt',
  'priority',
  '-createdAt',
] as const;
type BoardSort = (typeof SORTS)[number];

type Pending =
  | { kind: 'move'; opportunity: OpportunitySummary; target: Stage }
  | { kind: CloseKind; opportunity: OpportunitySummary };

export function BoardPage() {
  const { t } = useI18n();
  const format = useFormat();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { data: pipelines, isPending, error } = usePipelines();
  const [dragging, setDragging] = useState<OpportunitySummary | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const now = useMemo(() => new Date(), []);

  const active = (pipelines ?? []).filter((p) => !p.archived);
  const pipeline =
    active.find((p) => p.id === params.get('pipeline')) ??
    active.find((p) => p.isDefault) ??
    active[0];
  const sort: BoardSort = (SORTS as readonly string[]).includes(params.get('sort') ?? '')
    ? (params.get('sort') as BoardSort)
    : '-expectedAmount';
  const filters = readFilters(params);
  const query = { ...filtersToQuery(filters), sort };

  const summary = useQuery({
    queryKey: ['board-summary', pipeline?.id, query],
    queryFn: () =>
      api.get<StageSummary[]>('/opportunities/summary', {
        ...query,
        sort: undefined,
        pipelineId: pipeline!.id,
        status: 'open',
      }),
    enabled: Boolean(pipeline),
  });

  const onDrop = useCallback((opportunity: OpportunitySummary, stage: Stage) => {
    setDragging(null);
    setPending({ kind: 'move', opportunity, target: stage });
  }, []);
  const onAction = useCallback((opportunity: OpportunitySummary, action: CardAction) => {
    setPending(
      action.kind === 'move'
        ? { kind: 'move', opportunity, target: action.stage }
        : { kind: action.kind, opportunity },
    );
  }, []);
  const onDragStart = useCallback(
    (opportunity: OpportunitySummary) => setDragging(opportunity),
    [],
  );
  const onDragEnd = useCallback(() => setDragging(null), []);

  if (isPending) return <Skeleton active style={{ padding: 24 }} />;
  if (error || !pipeline)
    return (
      <Result status="warning" title={t('board.noPipeline')} subTitle={t('board.noPipelineHint')} />
    );

  const openStages = openStagesOf(pipeline.stages);
  const byStage = new Map((summary.data ?? []).map((s) => [s.stageId, s]));
  const totals = openStages.reduce(
    (sum, stage) => {
      const s = byStage.get(stage.id);
      return {
        count: sum.count + (s?.count ?? 0),
        amount: sum.amount + Number(s?.amount ?? 0),
        weighted: sum.weighted + Number(s?.weightedAmount ?? 0),
      };
    },
    { count: 0, amount: 0, weighted: 0 },
  );
  const nothingAtAll =
    summary.isSuccess && totals.count === 0 && activeFilterCount(filters) === 0 && !filters.q;

  const closeZone = (kind: 'won' | 'lost' | 'postponed', icon: React.ReactNode, label: string) => (
    <div
      className={`close-zone close-zone-${kind}${dragging ? ' active' : ''}`}
      data-testid={`drop-${kind}`}
      onDragOver={(event) => {
        if (!dragging) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
      }}
      onDrop={(event) => {
        event.preventDefault();
        if (dragging) setPending({ kind, opportunity: dragging });
        setDragging(null);
      }}
    >
      {icon}
      <span>{label}</span>
    </div>
  );

  return (
    <div className="board-page">
      <div className="page-toolbar">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('board.title')}
          </Typography.Title>
          {active.length > 1 ? (
            <Select
              value={pipeline.id}
              options={active.map((p) => ({ value: p.id, label: p.name }))}
              onChange={(id: string) => {
                const next = new URLSearchParams(params);
                next.set('pipeline', id);
                setParams(next, { replace: true });
              }}
              style={{ minWidth: 160 }}
              data-testid="pipeline-select"
            />
          ) : (
            <Typography.Text type="secondary">{pipeline.name}</Typography.Text>
          )}
          <Typography.Text type="secondary" data-testid="board-totals">
            {t('board.totals', {
              count: format.number(totals.count),
              amount: format.money(totals.amount),
              weighted: format.money(totals.weighted),
            })}
          </Typography.Text>
        </Space>
        <Space>
          <span>{t('board.sortBy')}</span>
          <Select
            value={sort}
            onChange={(value: BoardSort) => {
              const next = new URLSearchParams(params);
              next.set('sort', value);
              setParams(next, { replace: true });
            }}
            options={SORTS.map((value) => ({ value, label: t(`board.sort.${value}`) }))}
            style={{ width: 150 }}
          />
        </Space>
      </div>
      <div className="page-filters">
        <FilterBar />
      </div>
      {nothingAtAll ? (
        <Empty
          style={{ marginTop: 64 }}
          description={
            <>
              <Typography.Title level={5}>{t('board.emptyTitle')}</Typography.Title>
              <Typography.Text type="secondary">{t('board.emptyHint')}</Typography.Text>
            </>
          }
        >
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => void navigate('/opportunities/new')}
          >
            {t('nav.newOpportunity')}
          </Button>
        </Empty>
      ) : (
        <div className="board" data-testid="board">
          {openStages.map((stage) => (
            <BoardColumn
              key={stage.id}
              pipelineId={pipeline.id}
              stage={stage}
              openStages={openStages}
              query={query}
              summary={byStage.get(stage.id)}
              dragging={dragging}
              now={now}
              onDragStart={onDragStart}
              onDragEnd={onDragEnd}
              onDrop={onDrop}
              onAction={onAction}
            />
          ))}
          <div className="close-zones">
            <Tooltip title={t('board.dropToClose')} placement="left">
              <div className="close-zones-title">{t('board.close')}</div>
            </Tooltip>
            {closeZone('won', <CheckCircleOutlined />, t('close.won'))}
            {closeZone('lost', <CloseCircleOutlined />, t('close.lost'))}
            {closeZone('postponed', <PauseCircleOutlined />, t('close.postpone'))}
          </div>
        </div>
      )}
      {pending?.kind === 'move' ? (
        <MoveDialog
          opportunityId={pending.opportunity.id}
          stages={pipeline.stages}
          target={pending.target}
          onClose={() => setPending(null)}
        />
      ) : null}
      {pending && pending.kind !== 'move' ? (
        <CloseDialog
          kind={pending.kind}
          opportunity={pending.opportunity}
          onClose={() => setPending(null)}
        />
      ) : null}
    </div>
  );
}
