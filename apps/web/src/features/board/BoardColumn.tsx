import { useEffect, useRef, useState } from 'react';
import { Empty, Spin, Tooltip } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { api, type QueryValue } from '../../api/client';
import type { OpportunitySummary, Page, Stage, StageSummary } from '../../api/types';
import { useI18n } from '../../i18n';
import { useFormat } from '../../ui/format-hooks';
import { CARD_HEIGHT, OpportunityCard, type CardAction } from './OpportunityCard';

const PAGE_SIZE = 40;
const GAP = 8;

interface Props {
  pipelineId: string;
  stage: Stage;
  openStages: Stage[];
  query: Record<string, QueryValue>;
  summary: StageSummary | undefined;
  dragging: OpportunitySummary | null;
  now: Date;
  onDragStart: (opportunity: OpportunitySummary) => void;
  onDragEnd: () => void;
  onDrop: (opportunity: OpportunitySummary, stage: Stage) => void;
  onAction: (opportunity: OpportunitySummary, action: CardAction) => void;
}

/** One stage: header totals from the summary, cards paged from the server and virtualised. */
export function BoardColumn(props: Props) {
  const { stage, query, summary, dragging, pipelineId } = props;
  const { t } = useI18n();
  const format = useFormat();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [over, setOver] = useState(false);

  const cards = useInfiniteQuery({
    queryKey: ['board', pipelineId, stage.id, query],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<OpportunitySummary>>(
        '/opportunities',
        {
          ...query,
          pipelineId,
          stageId: stage.id,
          status: 'open',
          page: pageParam,
          pageSize: PAGE_SIZE,
        },
        signal,
      ),
    initialPageParam: 1,
    getNextPageParam: (last) =>
      last.page * last.pageSize < last.total ? last.page + 1 : undefined,
  });
  const items = cards.data?.pages.flatMap((page) => page.items) ?? [];
  const total = cards.data?.pages[0]?.total ?? summary?.count ?? 0;

  const virtualizer = useVirtualizer({
    count: items.length + (cards.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CARD_HEIGHT + GAP,
    overscan: 6,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = cards;
  useEffect(() => {
    if (lastIndex >= items.length - 1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const canDrop = dragging !== null && dragging.stage.id !== stage.id;
  return (
    <section
      className={`board-column${over && canDrop ? ' drop-over' : ''}`}
      data-testid="board-column"
      data-stage-id={stage.id}
      data-stage-name={stage.name}
      onDragOver={(event) => {
        if (!canDrop) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        if (!over) setOver(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        if (dragging && canDrop) props.onDrop(dragging, stage);
      }}
    >
      <header className="board-column-header">
        <div className="board-column-title">
          <Tooltip title={stage.entryCriteria || undefined}>
            <strong>{stage.name}</strong>
          </Tooltip>
          <span className="board-column-count" data-testid="column-count">
            {format.number(summary?.count ?? total)}
          </span>
          <span className="board-column-prob">{stage.winProbability}%</span>
        </div>
        <div className="board-column-totals">
          <Tooltip title={t('board.totalAmount')}>
            <span data-testid="column-amount">{format.money(summary?.amount ?? 0)}</span>
          </Tooltip>
          <Tooltip title={t('board.weightedAmount')}>
            <span className="weighted">
              {t('board.weighted')} {format.money(summary?.weightedAmount ?? 0)}
            </span>
          </Tooltip>
        </div>
      </header>
      <div className="board-column-body" ref={scrollRef} data-testid="column-body">
        {cards.isPending ? (
          <Spin style={{ display: 'block', margin: 24 }} />
        ) : items.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={dragging ? t('board.dropHere') : t('board.emptyColumn')}
          />
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualItems.map((row) => {
              const opportunity = items[row.index];
              return (
                <div
                  key={opportunity?.id ?? 'loader'}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: CARD_HEIGHT,
                    transform: `translateY(${row.start}px)`,
                  }}
                >
                  {opportunity ? (
                    <OpportunityCard
                      opportunity={opportunity}
                      stage={stage}
                      openStages={props.openStages}
                      now={props.now}
                      onDragStart={props.onDragStart}
                      onDragEnd={props.onDragEnd}
                      onAction={props.onAction}
                    />
                  ) : (
                    <div className="board-card-loader">
                      <Spin size="small" /> {t('board.loadingMore')}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
