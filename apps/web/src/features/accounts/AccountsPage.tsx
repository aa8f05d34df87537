import { useState } from 'react';
import { Button, Descriptions, Drawer, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { usePicklist } from '../../api/queries';
import type { Account, Contact, OpportunitySummary, Page } from '../../api/types';
import { useI18n } from '../../i18n';
import { ExportMenu } from '../../ui/ExportMenu';
import { useFormat } from '../../ui/format-hooks';
import { StatusTag } from '../../ui/tags';
import { AccountFormModal, ContactFormModal } from './AccountForms';

export function MaskedTag() {
  const { t } = useI18n();
  return (
    <Tag icon={<LockOutlined />} color="default" data-testid="masked-tag">
      {t('contact.masked')}
    </Tag>
  );
}

export function ContactTable({
  contacts,
  extraColumns = [],
}: {
  contacts: (Contact & { role?: string | null })[];
  extraColumns?: { title: string; key: string; render: (c: Contact) => React.ReactNode }[];
}) {
  const { t } = useI18n();
  const masked = (c: Contact, value: string | null) =>
    value ? <span className={c.masked ? 'masked-value' : undefined}>{value}</span> : '—';
  return (
    <Table<Contact & { role?: string | null }>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={contacts}
      locale={{
        emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contact.empty')} />,
      }}
      columns={[
        {
          title: t('contact.name'),
          key: 'name',
          render: (_, c) => (
            <Space>
              {c.name}
              {c.masked ? <MaskedTag /> : null}
            </Space>
          ),
        },
        { title: t('contact.title'), dataIndex: 'title', render: (v: string | null) => v ?? '—' },
        { title: t('contact.phone'), key: 'phone', render: (_, c) => masked(c, c.phone) },
        { title: t('contact.email'), key: 'email', render: (_, c) => masked(c, c.email) },
        { title: t('contact.imHandle'), key: 'im', render: (_, c) => masked(c, c.imHandle) },
        {
          title: t('contact.decisionRole'),
          key: 'decisionRole',
          render: (_, c) => c.role ?? c.decisionRole ?? '—',
        },
        ...extraColumns.map((col) => ({
          title: col.title,
          key: col.key,
          render: (_: unknown, c: Contact) => col.render(c),
        })),
      ]}
    />
  );
}

function AccountDrawer({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useI18n();
  const format = useFormat();
  const industries = usePicklist('industry');
  const regions = usePicklist('region');
  const [addingContact, setAddingContact] = useState(false);
  const contacts = useQuery({
    queryKey: ['contacts', account.id],
    queryFn: () => api.get<Page<Contact>>('/contacts', { accountId: account.id, pageSize: 200 }),
  });
  const opportunities = useQuery({
    queryKey: ['opportunities', { accountId: account.id }],
    queryFn: () =>
      api.get<Page<OpportunitySummary>>('/opportunities', { accountId: account.id, pageSize: 100 }),
  });
  return (
    <Drawer open width={760} title={account.name} onClose={onClose} data-testid="account-drawer">
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label={t('field.industry')}>
          {industries.labelOf(account.industry)}
        </Descriptions.Item>
        <Descriptions.Item label={t('account.employees')}>
          {account.employees === null ? '—' : format.number(account.employees)}
        </Descriptions.Item>
        <Descriptions.Item label={t('account.tier')}>{account.tier ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('account.province')}>
          {account.province ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('account.city')}>{account.city ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('field.region')}>
          {regions.labelOf(account.region)}
        </Descriptions.Item>
      </Descriptions>
      <div className="page-toolbar" style={{ marginTop: 20 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('contact.titlePlural')}
        </Typography.Title>
        <Space>
          <ExportMenu list="contacts" query={{ accountId: account.id }} size="small" />
          <Button
            icon={<PlusOutlined />}
            onClick={() => setAddingContact(true)}
            data-testid="add-contact"
          >
            {t('contact.new')}
          </Button>
        </Space>
      </div>
      <ContactTable contacts={contacts.data?.items ?? []} />
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('nav.opportunities')}
      </Typography.Title>
      <Table<OpportunitySummary>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={opportunities.data?.items ?? []}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t('account.noOpportunities')}
            />
          ),
        }}
        columns={[
          {
            title: t('field.code'),
            key: 'code',
            render: (_, o) => <Link to={`/opportunities/${o.id}`}>{o.code}</Link>,
          },
          { title: t('field.name'), dataIndex: 'name', ellipsis: true },
          { title: t('field.stage'), key: 'stage', render: (_, o) => o.stage.name },
          {
            title: t('field.status'),
            key: 'status',
            render: (_, o) => <StatusTag status={o.status} />,
          },
          {
            title: t('field.expectedAmount'),
            key: 'amount',
            align: 'right',
            render: (_, o) => format.money(o.expectedAmount),
          },
        ]}
      />
      {addingContact ? (
        <ContactFormModal
          accountId={account.id}
          onClose={() => setAddingContact(false)}
          onSaved={() => void contacts.refetch()}
        />
      ) : null}
    </Drawer>
  );
}

export default function AccountsPage() {
  const { t } = useI18n();
  const format = useFormat();
  const industries = usePicklist('industry');
  const regions = usePicklist('region');
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<Account | null>(null);
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? 1) || 1;
  const accounts = useQuery({
    queryKey: ['accounts', 'list', q, page],
    queryFn: ({ signal }) =>
      api.get<Page<Account>>('/accounts', { q: q || undefined, page, pageSize: 50 }, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <div>
      <div className="page-toolbar">
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('nav.accounts')}
          </Typography.Title>
          <Input.Search
            allowClear
            key={q}
            defaultValue={q}
            placeholder={t('account.searchPlaceholder')}
            onSearch={(value) => setParams(value ? { q: value } : {}, { replace: true })}
            style={{ width: 260 }}
          />
        </Space>
        <Space>
          <ExportMenu list="accounts" query={{ q: q || undefined }} />
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="create-account"
          >
            {t('account.new')}
          </Button>
        </Space>
      </div>
      <Table<Account>
        rowKey="id"
        dataSource={accounts.data?.items ?? []}
        loading={accounts.isFetching}
        onRow={(account) => ({ onClick: () => setOpen(account), style: { cursor: 'pointer' } })}
        locale={{
          emptyText: (
            <Empty description={q ? t('account.noneFound') : t('account.emptyHint')}>
              {!q ? (
                <Button type="primary" onClick={() => setCreating(true)}>
                  {t('account.new')}
                </Button>
              ) : null}
            </Empty>
          ),
        }}
        pagination={{
          current: page,
          pageSize: 50,
          total: accounts.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('account.total', { total: format.number(total) }),
          onChange: (next) =>
            setParams({ ...(q ? { q } : {}), page: String(next) }, { replace: true }),
        }}
        columns={[
          { title: t('account.name'), dataIndex: 'name', ellipsis: true },
          {
            title: t('field.industry'),
            dataIndex: 'industry',
            render: (v: string | null) => industries.labelOf(v),
          },
          {
            title: t('field.region'),
            dataIndex: 'region',
            render: (v: string | null) => regions.labelOf(v),
          },
          {
            title: t('account.tier'),
            dataIndex: 'tier',
            width: 80,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('account.employees'),
            dataIndex: 'employees',
            align: 'right',
            render: (v: number | null) => (v === null ? '—' : format.number(v)),
          },
          {
            title: t('account.openOpportunities'),
            dataIndex: 'openOpportunities',
            align: 'right',
            width: 150,
          },
          { title: t('field.owner'), key: 'owner', render: (_, a) => a.owner?.name ?? '—' },
        ]}
      />
      {creating ? (
        <AccountFormModal
          onClose={() => setCreating(false)}
          onSaved={(saved) => {
            // show the new (or chosen existing) account right away, with its contacts
            setParams({ q: saved.name }, { replace: true });
            void api.get<Account>(`/accounts/${saved.id}`).then(setOpen);
          }}
        />
      ) : null}
      {open ? <AccountDrawer account={open} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
