import { memo } from 'react';
import { Dropdown, Tooltip, Typography } from 'antd';
import {
  CalendarOutlined,
  ClockCircleOutlined,
  EllipsisOutlined,
  UserOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Link } from 'react-router';
import type { OpportunitySummary, Stage } from '../../api/types';
import { useI18n } from '../../i18n';
import { daysSince, isOverdue } from '../../lib/format';
import { useFormat } from '../../ui/format-hooks';
import { PriorityTag } from '../../ui/tags';

export const CARD_HEIGHT = 118;

export type CardAction =
  { kind: 'move'; stage: Stage } | { kind: 'won' } | { kind: 'lost' } | { kind: 'postponed' };

interface Props {
  opportunity: OpportunitySummary;
  stage: Stage;
  openStages: Stage[];
  now: Date;
  onDragStart: (opportunity: OpportunitySummary) => void;
  onDragEnd: () => void;
  onAction: (opportunity: OpportunitySummary, action: CardAction) => void;
}

function CardView({
  opportunity,
  stage,
  openStages,
  now,
  onDragStart,
  onDragEnd,
  onAction,
}: Props) {
  const { t } = useI18n();
  const format = useFormat();
  const days = daysSince(opportunity.stageEnteredAt, now, format.timeZone);
  const dwellExceeded = stage.standardDwellDays !== null && days > stage.standardDwellDays;
  const overdue = isOverdue(opportunity.nextFollowUpAt, now, format.timeZone);
  return (
    <div
      className="board-card"
      draggable
      data-testid="board-card"
      data-opportunity-id={opportunity.id}
      data-code={opportunity.code}
      onDragStart={(event) => {
        event.dataTransfer.setData('text/plain', opportunity.id);
        event.dataTransfer.effectAllowed = 'move';
        onDragStart(opportunity);
      }}
      onDragEnd={onDragEnd}
    >
      <div className="board-card-top">
        <PriorityTag
          priority={opportunity.priority}
          overridden={opportunity.priorityOverride !== null}
        />
        <span className="board-card-code">{opportunity.code}</span>
        <span className="board-card-amount">{format.money(opportunity.expectedAmount)}</span>
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              {
                key: 'move',
                label: t('board.moveTo'),
                children: openStages
                  .filter((s) => s.id !== stage.id)
                  .map((s) => ({ key: `move:${s.id}`, label: s.name })),
              },
              { type: 'divider' },
              { key: 'won', label: t('close.won') },
              { key: 'lost', label: t('close.lost') },
              { key: 'postponed', label: t('close.postpone') },
            ],
            onClick: ({ key, domEvent }) => {
              domEvent.stopPropagation();
              if (key.startsWith('move:')) {
                const target = openStages.find((s) => `move:${s.id}` === key);
                if (target) onAction(opportunity, { kind: 'move', stage: target });
              } else onAction(opportunity, { kind: key as 'won' | 'lost' | 'postponed' });
            },
          }}
        >
          <button
            type="button"
            className="board-card-menu"
            aria-label={t('board.cardActions')}
            data-testid="card-menu"
          >
            <EllipsisOutlined />
          </button>
        </Dropdown>
      </div>
      <Link
        to={`/opportunities/${opportunity.id}`}
        className="board-card-account"
        draggable={false}
      >
        {opportunity.account.name}
      </Link>
      <Typography.Text type="secondary" ellipsis className="board-card-name">
        {opportunity.name}
      </Typography.Text>
      <div className="board-card-meta">
        <span>
          <UserOutlined /> {opportunity.owner.name}
        </span>
        <Tooltip
          title={t('board.daysInStageHint', {
            days,
            standard: stage.standardDwellDays ?? '—',
          })}
        >
          <span className={dwellExceeded ? 'danger' : undefined} data-testid="days-in-stage">
            <ClockCircleOutlined /> {t('board.days', { days })}
          </span>
        </Tooltip>
        <Tooltip
          title={
            opportunity.nextFollowUpAt
              ? `${t('board.nextFollowUp')}: ${format.dateTime(opportunity.nextFollowUpAt)}`
              : t('board.noFollowUp')
          }
        >
          <span className={overdue ? 'danger' : undefined} data-testid="next-follow-up">
            {overdue ? <WarningOutlined /> : <CalendarOutlined />}{' '}
            {opportunity.nextFollowUpAt
              ? format.shortDate(opportunity.nextFollowUpAt)
              : t('board.none')}
          </span>
        </Tooltip>
      </div>
    </div>
  );
}

export const OpportunityCard = memo(CardView);
