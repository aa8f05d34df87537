import { Tag, Tooltip } from 'antd';
import type { OpportunityStatus, Priority } from '../api/types';
import { useI18n } from '../i18n';

const PRIORITY_COLORS: Record<Priority, string> = { A: 'red', B: 'orange', C: 'default' };

export function PriorityTag({
  priority,
  overridden,
}: {
  priority: Priority;
  overridden?: boolean;
}) {
  const { t } = useI18n();
  const tag = (
    <Tag color={PRIORITY_COLORS[priority]} style={{ marginInlineEnd: 0 }} data-priority={priority}>
      {priority}
      {overridden ? '*' : ''}
    </Tag>
  );
  return (
    <Tooltip title={overridden ? t('priority.overridden') : t('priority.label')}>{tag}</Tooltip>
  );
}

const STATUS_COLORS: Record<OpportunityStatus, string> = {
  open: 'blue',
  won: 'green',
  lost: 'default',
  postponed: 'gold',
};

export function StatusTag({ status }: { status: OpportunityStatus }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLORS[status]}>{t(`status.${status}`)}</Tag>;
}
