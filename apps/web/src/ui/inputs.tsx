import { DatePicker, Input, InputNumber, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { CustomField } from '../api/types';
import { useI18n } from '../i18n';
import { isoToWallTime, wallTimeToIso } from '../lib/format';

/** A calendar date held as 'YYYY-MM-DD' (the API's format). */
export function DateStringPicker({
  value,
  onChange,
  ...rest
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
  disabled?: boolean;
  placeholder?: string;
}) {
  return (
    <DatePicker
      {...rest}
      value={value ? dayjs(value) : null}
      onChange={(date: Dayjs | null) => onChange?.(date ? date.format('YYYY-MM-DD') : null)}
      style={{ width: '100%', ...rest.style }}
    />
  );
}

/** An instant held as ISO UTC, picked as a wall-clock time in the workspace's zone. */
export function ZonedDateTimePicker({
  value,
  onChange,
  timeZone,
  ...rest
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  timeZone: string;
  allowClear?: boolean;
  id?: string;
  disabled?: boolean;
  placeholder?: string;
}) {
  const wall = value ? isoToWallTime(value, timeZone) : null;
  const shown = wall
    ? dayjs(new Date(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute))
    : null;
  return (
    <DatePicker
      {...rest}
      showTime={{ format: 'HH:mm', minuteStep: 5 }}
      format="YYYY-MM-DD HH:mm"
      value={shown}
      onChange={(date: Dayjs | null) =>
        onChange?.(
          date
            ? wallTimeToIso(
                {
                  year: date.year(),
                  month: date.month() + 1,
                  day: date.date(),
                  hour: date.hour(),
                  minute: date.minute(),
                },
                timeZone,
              )
            : null,
        )
      }
      style={{ width: '100%' }}
    />
  );
}

/** Money typed as text (kept exact), with the unit shown. */
export function MoneyInput(props: {
  value?: string | null;
  onChange?: (value: string) => void;
  id?: string;
  placeholder?: string;
  autoFocus?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Input
      id={props.id}
      inputMode="decimal"
      value={props.value ?? ''}
      onChange={(event) => props.onChange?.(event.target.value)}
      suffix={t('unit.yuan')}
      placeholder={props.placeholder}
      autoFocus={props.autoFocus}
    />
  );
}

export function CustomFieldInput({
  field,
  value,
  onChange,
  id,
}: {
  field: CustomField;
  value?: unknown;
  onChange?: (value: unknown) => void;
  id?: string;
}) {
  switch (field.type) {
    case 'number':
      return (
        <InputNumber
          id={id}
          value={typeof value === 'number' ? value : null}
          onChange={(next) => onChange?.(next)}
          style={{ width: '100%' }}
        />
      );
    case 'date':
      return (
        <DateStringPicker
          id={id}
          value={typeof value === 'string' ? value : null}
          onChange={(next) => onChange?.(next)}
        />
      );
    case 'boolean':
      return <Switch id={id} checked={value === true} onChange={(next) => onChange?.(next)} />;
    case 'select':
      return (
        <Select
          id={id}
          allowClear
          value={typeof value === 'string' ? value : undefined}
          options={field.options.map((option) => ({ value: option, label: option }))}
          onChange={(next?: string) => onChange?.(next ?? null)}
        />
      );
    case 'text':
      return (
        <Input
          id={id}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange?.(event.target.value)}
        />
      );
  }
}
