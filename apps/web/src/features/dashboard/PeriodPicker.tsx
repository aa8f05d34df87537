import { DatePicker, Segmented, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { useI18n } from '../../i18n';
import { todayIn } from '../../lib/format';
import { useFormat } from '../../ui/format-hooks';
import {
  PERIOD_KINDS,
  writePeriod,
  type AnalyticsSelection,
  type PeriodKind,
} from './analytics-query';

function weekLabel(value: Dayjs): string {
  const monday = value.subtract((value.day() + 6) % 7, 'day');
  return `${monday.format('MM/DD')}–${monday.add(6, 'day').format('MM/DD')}`;
}

/**
 * Week / month / quarter / year / custom, and the day the period contains (custom: first and
 * last day). Dates are calendar days of the workspace zone; "today" is the zone's today.
 */
export function PeriodPicker({
  selection,
  current,
}: {
  selection: AnalyticsSelection;
  /** First and last day of the period the API answered for, to start a custom range from. */
  current: { first: string; last: string } | null;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const today = todayIn(format.timeZone);
  const set = (period: PeriodKind, value: { date?: string; from?: string; to?: string }) =>
    setParams(writePeriod(params, period, value), { replace: true });

  const day = (value: Dayjs) => value.format('YYYY-MM-DD');
  const pickerDate = dayjs(selection.date ?? today);

  return (
    <Space wrap size={8} data-testid="period-picker">
      <Segmented<PeriodKind>
        value={selection.period}
        options={PERIOD_KINDS.map((kind) => ({
          value: kind,
          label: t(`dashboard.period.${kind}`),
        }))}
        onChange={(kind) => {
          if (kind === 'custom')
            set('custom', { from: current?.first ?? today, to: current?.last ?? today });
          else set(kind, { date: selection.date });
        }}
        data-testid="period-kind"
      />
      {selection.period === 'custom' ? (
        <DatePicker.RangePicker
          value={[dayjs(selection.from), dayjs(selection.to)]}
          allowClear={false}
          onChange={(range) => {
            if (range?.[0] && range[1]) set('custom', { from: day(range[0]), to: day(range[1]) });
          }}
          style={{ width: 250 }}
          data-testid="period-range"
        />
      ) : (
        <DatePicker
          picker={selection.period === 'week' ? 'week' : selection.period}
          value={pickerDate}
          allowClear={false}
          // weeks run Monday to Sunday (as the API counts them), shown as their days
          format={selection.period === 'week' ? weekLabel : undefined}
          onChange={(value: Dayjs | null) => {
            if (!value) return;
            // a week picker starting on Sunday (English) hands the Sunday: take its Monday
            const picked =
              selection.period === 'week' && value.day() === 0 ? value.add(1, 'day') : value;
            set(selection.period, { date: day(picked) });
          }}
          style={{ width: 150 }}
          data-testid="period-date"
        />
      )}
    </Space>
  );
}
