import { Result, Tabs, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useCurrentUser } from '../../api/queries';
import { useI18n } from '../../i18n';
import { ListSettings } from './ListSettings';
import { PeopleSettings } from './PeopleSettings';
import { PipelineSettings } from './PipelineSettings';
import { RulesSettings, WorkspaceSettings } from './WorkspaceSettings';

const TABS = ['workspace', 'pipelines', 'lists', 'rules', 'people'] as const;
type Tab = (typeof TABS)[number];

export default function SettingsPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { tab } = useParams<{ tab?: string }>();
  const active: Tab = TABS.find((k) => k === tab) ?? 'workspace';
  if (me.role !== 'admin') return <Result status="403" title={t('settings.adminOnly')} />;
  const content: Record<Tab, React.ReactNode> = {
    workspace: <WorkspaceSettings />,
    pipelines: <PipelineSettings />,
    lists: <ListSettings />,
    rules: <RulesSettings />,
    people: <PeopleSettings />,
  };
  return (
    <div>
      <Typography.Title level={4}>{t('nav.settings')}</Typography.Title>
      <div className="panel">
        <Tabs
          activeKey={active}
          onChange={(key) => void navigate(`/settings/${key}`)}
          items={TABS.map((key) => ({
            key,
            label: t(`settings.tab.${key}`),
            children: content[key],
          }))}
        />
      </div>
    </div>
  );
}
