import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useCustomFields, usePicklist } from '../../api/queries';
import type { Account, AccountMatch, Contact, Page } from '../../api/types';
import { localLabel, useI18n } from '../../i18n';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { CustomFieldInput } from '../../ui/inputs';

// The tiers of the contract (A+/A/B/C by revenue x potential); typed against it.
export const ACCOUNT_TIERS = ['A+', 'A', 'B', 'C'] as const satisfies readonly NonNullable<
  Account['tier']
>[];

/** Debounced look-up of existing accounts with the same or a similar name. */
export function useDuplicateAccounts(name: string | undefined) {
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced((name ?? '').trim()), 350);
    return () => clearTimeout(timer);
  }, [name]);
  return useQuery({
    queryKey: ['account-duplicates', debounced],
    queryFn: () => api.get<AccountMatch[]>('/accounts/duplicates', { name: debounced }),
    enabled: debounced.length >= 2,
    staleTime: 60_000,
  });
}

export function DuplicateWarning({
  matches,
  onUse,
}: {
  matches: AccountMatch[];
  onUse?: (match: AccountMatch) => void;
}) {
  const { t } = useI18n();
  if (matches.length === 0) return null;
  const exact = matches.some((m) => m.exact);
  return (
    <Alert
      type={exact ? 'error' : 'warning'}
      showIcon
      data-testid="duplicate-warning"
      style={{ marginBottom: 16 }}
      title={exact ? t('account.duplicateExact') : t('account.duplicateNear')}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {matches.slice(0, 5).map((m) => (
            <li key={m.id}>
              {m.name}{' '}
              <Typography.Text type="secondary">
                ({t('account.similarity', { percent: Math.round(m.similarity * 100) })})
              </Typography.Text>
              {onUse ? (
                <Button type="link" size="small" onClick={() => onUse(m)}>
                  {t('account.useExisting')}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** Create an account under its full legal name; warns of near-duplicates while typing. */
export function AccountFormModal({
  initialName,
  onClose,
  onSaved,
}: {
  initialName?: string;
  onClose: () => void;
  onSaved: (account: { id: string; name: string }) => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const name = Form.useWatch('name', form) as string | undefined;
  const duplicates = useDuplicateAccounts(name);
  const industries = usePicklist('industry');
  const regions = usePicklist('region');
  const { data: customFields = [] } = useCustomFields('account');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    setError(null);
    try {
      const account = await api.post<Account>('/accounts', values);
      void message.success(t('account.created'));
      await queryClient.invalidateQueries({ queryKey: ['accounts'] });
      onSaved(account);
      onClose();
    } catch (caught) {
      applyFieldErrors(form, caught);
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('account.newTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('action.create')}
      cancelText={t('action.cancel')}
      confirmLoading={saving}
      width={640}
      destroyOnHidden
      data-testid="account-form"
    >
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} fieldsShownInline />
        </div>
      ) : null}
      <DuplicateWarning
        matches={duplicates.data ?? []}
        onUse={(match) => {
          onSaved({ id: match.id, name: match.name });
          onClose();
        }}
      />
      <Form form={form} layout="vertical" initialValues={{ name: initialName }}>
        <Form.Item
          name="name"
          label={t('account.name')}
          extra={t('account.nameHint')}
          rules={[{ required: true, min: 2, whitespace: true, message: t('account.nameRequired') }]}
        >
          <Input autoFocus data-testid="account-name" />
        </Form.Item>
        <Space size={16} style={{ display: 'flex' }} wrap>
          <Form.Item name="industry" label={t('field.industry')}>
            <Select allowClear options={industries.options} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="employees" label={t('account.employees')}>
            <InputNumber min={0} precision={0} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="tier" label={t('account.tier')} extra={t('account.tierHint')}>
            <Select
              allowClear
              options={ACCOUNT_TIERS.map((tier) => ({ value: tier, label: tier }))}
              style={{ width: 120 }}
            />
          </Form.Item>
        </Space>
        <Space size={16} style={{ display: 'flex' }} wrap>
          <Form.Item name="province" label={t('account.province')}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="city" label={t('account.city')}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="region" label={t('field.region')}>
            <Select allowClear options={regions.options} style={{ width: 160 }} />
          </Form.Item>
        </Space>
        {customFields.map((field) => (
          <Form.Item
            key={field.id}
            name={['customFields', field.key]}
            label={localLabel(locale, field)}
            rules={field.required ? [{ required: true, message: t('validation.required') }] : []}
            valuePropName="value"
          >
            <CustomFieldInput field={field} />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

/** Create a contact of an account: name, title, phone, e-mail, IM handle, decision role. */
export function ContactFormModal({
  accountId,
  onClose,
  onSaved,
}: {
  accountId: string;
  onClose: () => void;
  onSaved: (contact: Contact) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const values = (await form.validateFields().catch(() => null)) as Record<
      string,
      unknown
    > | null;
    if (!values) return;
    setSaving(true);
    setError(null);
    const body = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [
        k,
        typeof v === 'string' && v.trim() === '' ? null : v,
      ]),
    );
    try {
      const contact = await api.post<Contact>('/contacts', { ...body, accountId });
      void message.success(t('contact.created'));
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      onSaved(contact);
      onClose();
    } catch (caught) {
      applyFieldErrors(form, caught);
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('contact.newTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('action.create')}
      cancelText={t('action.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      data-testid="contact-form"
    >
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} fieldsShownInline />
        </div>
      ) : null}
      <Form form={form} layout="vertical">
        <Space size={16} style={{ display: 'flex' }} align="start">
          <Form.Item
            name="name"
            label={t('contact.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input autoFocus data-testid="contact-name" />
          </Form.Item>
          <Form.Item name="title" label={t('contact.title')}>
            <Input />
          </Form.Item>
        </Space>
        <Space size={16} style={{ display: 'flex' }} align="start">
          <Form.Item name="phone" label={t('contact.phone')}>
            <Input data-testid="contact-phone" />
          </Form.Item>
          <Form.Item name="email" label={t('contact.email')}>
            <Input type="email" />
          </Form.Item>
        </Space>
        <Space size={16} style={{ display: 'flex' }} align="start">
          <Form.Item name="imHandle" label={t('contact.imHandle')}>
            <Input />
          </Form.Item>
          <Form.Item name="decisionRole" label={t('contact.decisionRole')}>
            <Input placeholder={t('contact.decisionRoleHint')} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** Searches existing accounts as one types; offers to create a new one (with duplicate check). */
export function AccountPicker({
  value,
  onChange,
  id,
  initialLabel,
}: {
  value?: string;
  onChange?: (accountId: string | undefined, account?: { id: string; name: string }) => void;
  id?: string;
  initialLabel?: string;
}) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(
    value && initialLabel ? { id: value, name: initialLabel } : null,
  );
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const accounts = useQuery({
    queryKey: ['accounts', 'picker', debounced],
    queryFn: () => api.get<Page<Account>>('/accounts', { q: debounced || undefined, pageSize: 20 }),
    staleTime: 30_000,
  });
  const options = (accounts.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }));
  if (chosen && !options.some((o) => o.value === chosen.id))
    options.unshift({ value: chosen.id, label: chosen.name });

  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        id={id}
        showSearch={{ filterOption: false, onSearch: setSearch }}
        value={value}
        placeholder={t('account.searchPlaceholder')}
        options={options}
        loading={accounts.isFetching}
        notFoundContent={accounts.isFetching ? undefined : t('account.noneFound')}
        onChange={(accountId: string) => {
          const match = options.find((o) => o.value === accountId);
          if (match) setChosen({ id: match.value, name: match.label });
          onChange?.(accountId, match ? { id: match.value, name: match.label } : undefined);
        }}
        style={{ width: '100%' }}
        data-testid="account-picker"
      />
      <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-account">
        {t('account.new')}
      </Button>
      {creating ? (
        <AccountFormModal
          initialName={search}
          onClose={() => setCreating(false)}
          onSaved={(account) => {
            setChosen(account);
            onChange?.(account.id, account);
          }}
        />
      ) : null}
    </Space.Compact>
  );
}
