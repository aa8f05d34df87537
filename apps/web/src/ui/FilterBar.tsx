import { Badge, Button, DatePicker, Input, Select, Space } from 'antd';
import { ClearOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router';
import { PRIORITIES } from '@funnel/domain';
import {
  isManagerOrAbove,
  useCurrentUser,
  useMembers,
  usePicklist,
  useTeams,
} from '../api/queries';
import { useI18n } from '../i18n';
import {
  activeFilterCount,
  readFilters,
  writeFilters,
  type OpportunityFilters,
} from '../lib/filters';

/**
 * Search and filters shared by the board, the list and the dashboard; all kept in the URL. The
 * dashboard's analytics take the same filters but no text search or close-date range.
 */
export function FilterBar({
  extra,
  variant = 'opportunities',
}: {
  extra?: React.ReactNode;
  variant?: 'opportunities' | 'analytics';
}) {
  const { t } = useI18n();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const { data: members = [] } = useMembers();
  const { data: teams = [] } = useTeams();
  const regions = usePicklist('region');
  const productLines = usePicklist('product_line');
  const sources = usePicklist('source');
  const industries = usePicklist('industry');
  const manager = isManagerOrAbove(me.role);
  const analytics = variant === 'analytics';

  const update = (patch: OpportunityFilters) =>
    setParams(writeFilters(params, { ...filters, ...patch }), { replace: true });

  const multi = (
    key: 'region' | 'productLine' | 'source' | 'industry' | 'priority' | 'ownerId',
    placeholder: string,
    options: { value: string; label: string }[],
    width = 150,
  ) => (
    <Select
      mode="multiple"
      allowClear
      maxTagCount="responsive"
      placeholder={placeholder}
      value={filters[key] ?? []}
      options={options}
      optionFilterProp="label"
      onChange={(values: string[]) => update({ [key]: values })}
      style={{ width }}
      data-testid={`filter-${key}`}
    />
  );

  return (
    <Space wrap size={8} className="filter-bar">
      {analytics ? null : (
        <Input.Search
          allowClear
          placeholder={t('filters.search')}
          defaultValue={filters.q}
          key={filters.q ?? ''}
          onSearch={(q) => update({ q })}
          style={{ width: 250 }}
          data-testid="filter-q"
        />
      )}
      {manager
        ? multi(
            'ownerId',
            t('filters.owner'),
            members.filter((m) => m.active).map((m) => ({ value: m.id, label: m.name })),
            170,
          )
        : null}
      {manager && teams.length > 0 ? (
        <Select
          allowClear
          placeholder={t('filters.team')}
          value={filters.teamId}
          options={teams.map((team) => ({ value: team.id, label: team.name }))}
          onChange={(teamId?: string) => update({ teamId })}
          style={{ width: 140 }}
          data-testid="filter-teamId"
        />
      ) : null}
      {multi('region', t('field.region'), regions.options, 130)}
      {multi('productLine', t('field.productLine'), productLines.options, 140)}
      {multi('source', t('field.source'), sources.options, 140)}
      {multi('industry', t('field.industry'), industries.options, 130)}
      {multi(
        'priority',
        t('priority.label'),
        PRIORITIES.map((p) => ({ value: p, label: p })),
        110,
      )}
      {analytics ? null : (
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          placeholder={[t('filters.closeFrom'), t('filters.closeTo')]}
          value={[
            filters.expectedCloseFrom ? dayjs(filters.expectedCloseFrom) : null,
            filters.expectedCloseTo ? dayjs(filters.expectedCloseTo) : null,
          ]}
          onChange={(range) =>
            update({
              expectedCloseFrom: range?.[0]?.format('YYYY-MM-DD'),
              expectedCloseTo: range?.[1]?.format('YYYY-MM-DD'),
            })
          }
          style={{ width: 250 }}
        />
      )}
      {activeFilterCount(filters) > 0 || filters.q ? (
        <Badge count={activeFilterCount(filters)} size="small">
          <Button
            icon={<ClearOutlined />}
            onClick={() => setParams(writeFilters(params, {}), { replace: true })}
          >
            {t('filters.clear')}
          </Button>
        </Badge>
      ) : null}
      {extra}
    </Space>
  );
}
