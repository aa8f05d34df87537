/**
 * The opportunity's editable fields in one place: their labels, their inputs and how their
 * values are shown, so that the detail page, the create form and the stage-gate dialog agree.
 */
import { Input, InputNumber, Select } from 'antd';
import { useCustomFields, usePicklist } from '../../api/queries';
import type { CustomField, Opportunity } from '../../api/types';
import { localLabel, useI18n, type MessageKey } from '../../i18n';
import { useFormat } from '../../ui/format-hooks';
import { CustomFieldInput, DateStringPicker, MoneyInput } from '../../ui/inputs';

export const PICKLIST_FIELDS = {
  source: 'source',
  industry: 'industry',
  region: 'region',
  productLine: 'product_line',
} as const;
export type PicklistField = keyof typeof PICKLIST_FIELDS;

export const EDITABLE_FIELDS = [
  'name',
  'expectedAmount',
  'expectedCloseDate',
  'budgetRange',
  'needsDescription',
  'source',
  'sourceDetail',
  'industry',
  'region',
  'productLine',
  'winProbability',
  'partner',
  'channelManager',
  'marketNotes',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export function isEditableField(field: string): field is EditableField {
  return (EDITABLE_FIELDS as readonly string[]).includes(field);
}

const LONG_TEXT = new Set<string>(['needsDescription', 'marketNotes']);

/** Label of a field, a gate field (`contacts`) or a custom field (`custom.key`). */
export function useFieldLabel() {
  const { t, locale } = useI18n();
  const { data: customFields = [] } = useCustomFields('opportunity');
  return (field: string): string => {
    if (field.startsWith('custom.')) {
      const key = field.slice('custom.'.length);
      return localLabel(
        locale,
        customFields.find((f) => f.key === key),
        key,
      );
    }
    return t(`field.${field}` as MessageKey);
  };
}

export function FieldInput({
  field,
  value,
  onChange,
  id,
  autoFocus,
}: {
  field: EditableField;
  value?: unknown;
  onChange?: (value: unknown) => void;
  id?: string;
  autoFocus?: boolean;
}) {
  const picklist = usePicklist(
    field in PICKLIST_FIELDS ? PICKLIST_FIELDS[field as PicklistField] : 'source',
  );
  const text = typeof value === 'string' ? value : '';
  if (field === 'expectedAmount')
    return <MoneyInput id={id} value={text} onChange={onChange} autoFocus={autoFocus} />;
  if (field === 'expectedCloseDate')
    return <DateStringPicker id={id} value={text || null} onChange={onChange} />;
  if (field === 'winProbability')
    return (
      <InputNumber
        id={id}
        min={0}
        max={100}
        value={typeof value === 'number' ? value : null}
        onChange={(next) => onChange?.(next)}
        suffix="%"
        style={{ width: '100%' }}
        autoFocus={autoFocus}
      />
    );
  if (field in PICKLIST_FIELDS)
    return (
      <Select
        id={id}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        value={text || undefined}
        options={picklist.options}
        onChange={(next?: string) => onChange?.(next ?? null)}
        autoFocus={autoFocus}
        style={{ width: '100%' }}
      />
    );
  if (LONG_TEXT.has(field))
    return (
      <Input.TextArea
        id={id}
        autoSize={{ minRows: 2, maxRows: 8 }}
        value={text}
        onChange={(event) => onChange?.(event.target.value)}
        autoFocus={autoFocus}
      />
    );
  return (
    <Input
      id={id}
      value={text}
      onChange={(event) => onChange?.(event.target.value)}
      autoFocus={autoFocus}
    />
  );
}

/** How a field's value reads on the page. */
export function useFieldDisplay() {
  const format = useFormat();
  const labels = {
    source: usePicklist('source').labelOf,
    industry: usePicklist('industry').labelOf,
    region: usePicklist('region').labelOf,
    productLine: usePicklist('product_line').labelOf,
  };
  return (field: EditableField, opportunity: Opportunity): string => {
    const value = opportunity[field];
    if (field === 'expectedAmount') return format.money(opportunity.expectedAmount, true);
    if (field === 'expectedCloseDate') return format.date(opportunity.expectedCloseDate);
    if (field === 'winProbability')
      return opportunity.winProbability === null ? '—' : `${opportunity.winProbability}%`;
    if (field in labels) return labels[field as PicklistField](value as string | null);
    if (value === null || value === undefined || value === '') return '—';
    return String(value);
  };
}

export function customFieldDisplay(field: CustomField, value: unknown, yes: string, no: string) {
  if (value === null || value === undefined || value === '') return '—';
  if (field.type === 'boolean') return value === true ? yes : no;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '—';
}

export { CustomFieldInput };
