import { Suspense } from 'react';
import { Avatar, Button, Dropdown, Layout, Menu, Select, Space, Spin, Tag, Tooltip } from 'antd';
import {
  AimOutlined,
  AppstoreOutlined,
  AuditOutlined,
  DashboardOutlined,
  GlobalOutlined,
  ImportOutlined,
  BankOutlined,
  LogoutOutlined,
  PhoneOutlined,
  PlusOutlined,
  SettingOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../api/client';
import { meKey, useCurrentUser } from '../api/queries';
import { LOCALES, useI18n, type MessageKey } from '../i18n';
import type { UiLocale } from '../lib/format';
import { Logo } from './Logo';

const ROLE_COLORS = { rep: 'default', manager: 'blue', director: 'purple', admin: 'red' } as const;

export function AppLayout() {
  const me = useCurrentUser();
  const { t, locale, setLocale } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const items: { key: string; icon: React.ReactNode; label: MessageKey }[] = [
    { key: '/dashboard', icon: <DashboardOutlined />, label: 'nav.dashboard' },
    { key: '/board', icon: <AppstoreOutlined />, label: 'nav.board' },
    { key: '/opportunities', icon: <UnorderedListOutlined />, label: 'nav.opportunities' },
    { key: '/follow-ups', icon: <PhoneOutlined />, label: 'nav.followUps' },
    { key: '/accounts', icon: <BankOutlined />, label: 'nav.accounts' },
  ];
  if (me.role !== 'rep') {
    items.push({ key: '/targets', icon: <AimOutlined />, label: 'nav.targets' });
    // the server lets managers and above import (within their own access)
    items.push({ key: '/import', icon: <ImportOutlined />, label: 'nav.import' });
  }
  if (me.role === 'director' || me.role === 'admin')
    items.push({ key: '/audit', icon: <AuditOutlined />, label: 'nav.audit' });
  if (me.role === 'admin')
    items.push({ key: '/settings', icon: <SettingOutlined />, label: 'nav.settings' });
  // A page that is not in this role's menu (a rep on /audit) highlights nothing.
  const selected = items.find((item) => location.pathname.startsWith(item.key))?.key;

  const changeLocale = (next: UiLocale) => {
    setLocale(next);
    void api.patch('/auth/me', { locale: next }).catch(() => undefined);
    // Server-translated data (error texts) and the remembered locale follow the switch.
    queryClient.setQueryData(meKey, { ...me, user: { ...me.user, locale: next } });
    // Names the server translates (sources, loss reasons, report labels) come again in the new one.
    void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
  };

  const signOut = async () => {
    await api.post('/auth/sign-out').catch(() => undefined);
    queryClient.clear();
    queryClient.setQueryData(meKey, null);
    void navigate('/sign-in', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="app-header">
        <Link to="/" aria-label="Funnel">
          <Logo light />
        </Link>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={selected ? [selected] : []}
          items={items.map((item) => ({
            key: item.key,
            icon: item.icon,
            label: <Link to={item.key}>{t(item.label)}</Link>,
          }))}
          style={{ flex: 1, minWidth: 0 }}
          data-testid="main-menu"
        />
        <Space size="middle">
          <Tooltip title={t('nav.newOpportunity')}>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => void navigate('/opportunities/new')}
              data-testid="new-opportunity"
              aria-label={t('nav.newOpportunity')}
            >
              <span className="header-label">{t('nav.newOpportunity')}</span>
            </Button>
          </Tooltip>
          {/* No tooltip here: shown on hover, it covered the first option of the open list. */}
          <Select
            value={locale}
            options={LOCALES}
            onChange={changeLocale}
            prefix={<GlobalOutlined aria-hidden />}
            style={{ width: 132 }}
            data-testid="language-switch"
            aria-label={t('nav.language')}
            title={t('nav.language')}
          />
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                {
                  key: 'who',
                  disabled: true,
                  label: (
                    <div>
                      <div>{me.user.email}</div>
                      <div style={{ fontSize: 12 }}>{me.workspace.name}</div>
                    </div>
                  ),
                },
                { type: 'divider' },
                {
                  key: 'sign-out',
                  icon: <LogoutOutlined />,
                  label: t('auth.signOut'),
                  onClick: () => void signOut(),
                },
              ],
            }}
          >
            <Button type="text" className="user-button" data-testid="user-menu">
              <Avatar size="small" style={{ background: '#4096ff' }}>
                {me.user.name.slice(0, 1)}
              </Avatar>
              <span className="user-name header-label">{me.user.name}</span>
              <Tag color={ROLE_COLORS[me.role]} data-testid="user-role">
                {t(`role.${me.role}`)}
              </Tag>
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout.Content className="app-content">
        <Suspense fallback={<Spin style={{ display: 'block', margin: 64 }} />}>
          <Outlet />
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}
