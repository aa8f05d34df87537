import { useState } from 'react';
import { App, Button, Form, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { ROLES } from '@funnel/domain';
import { api } from '../../api/client';
import { useMembers, useTeams } from '../../api/queries';
import type { Member, Team } from '../../api/types';
import { useI18n } from '../../i18n';
import { useErrorText } from '../../ui/errors';
import { AddDialog } from './ListSettings';

/** Users with their roles and teams; the team hierarchy. */
export function PeopleSettings() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const { data: members = [] } = useMembers();
  const { data: teams = [] } = useTeams();
  const [addingUser, setAddingUser] = useState(false);
  const [addingTeam, setAddingTeam] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['users'] });
    await queryClient.invalidateQueries({ queryKey: ['teams'] });
  };
  const patchUser = async (member: Member, body: Record<string, unknown>) => {
    try {
      await api.patch(`/users/${member.id}`, { version: member.version, ...body });
      void message.success(t('settings.saved'));
    } catch (error) {
      void message.error(errorText(error));
    }
    await refresh();
  };
  const patchTeam = async (team: Team, body: Record<string, unknown>) => {
    try {
      await api.patch(`/teams/${team.id}`, { version: team.version, ...body });
      void message.success(t('settings.saved'));
    } catch (error) {
      void message.error(errorText(error));
    }
    await refresh();
  };
  const teamOptions = [
    { value: '', label: t('settings.noTeam') },
    ...teams.map((team) => ({ value: team.id, label: team.name })),
  ];
  return (
    <div>
      <div className="page-toolbar">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('settings.users')}
        </Typography.Title>
        <Button icon={<PlusOutlined />} onClick={() => setAddingUser(true)} data-testid="add-user">
          {t('settings.addUser')}
        </Button>
      </div>
      <Table<Member>
        size="small"
        rowKey="id"
        dataSource={members}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        columns={[
          { title: t('settings.userName'), dataIndex: 'name' },
          { title: t('auth.email'), dataIndex: 'email' },
          {
            title: t('settings.role'),
            key: 'role',
            width: 170,
            render: (_, m) => (
              <Select
                value={m.role}
                style={{ width: 150 }}
                onChange={(role) => void patchUser(m, { role })}
                options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
              />
            ),
          },
          {
            title: t('settings.team'),
            key: 'team',
            width: 180,
            render: (_, m) => (
              <Select
                value={m.teamId ?? ''}
                style={{ width: 160 }}
                onChange={(teamId: string) => void patchUser(m, { teamId: teamId || null })}
                options={teamOptions}
              />
            ),
          },
          {
            title: t('settings.active'),
            key: 'active',
            width: 80,
            render: (_, m) => (
              <Switch checked={m.active} onChange={(active) => void patchUser(m, { active })} />
            ),
          },
          {
            title: t('settings.canSignIn'),
            key: 'signin',
            width: 100,
            render: (_, m) =>
              m.canSignIn ? (
                <Tag color="green">{t('common.yes')}</Tag>
              ) : (
                <Tag>{t('common.no')}</Tag>
              ),
          },
        ]}
      />
      <div className="page-toolbar" style={{ marginTop: 24 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('settings.teams')}
        </Typography.Title>
        <Button icon={<PlusOutlined />} onClick={() => setAddingTeam(true)}>
          {t('settings.addTeam')}
        </Button>
      </div>
      <Table<Team>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={teams}
        columns={[
          {
            title: t('settings.teamName'),
            key: 'name',
            render: (_, team) => (
              <Input
                defaultValue={team.name}
                onBlur={(e) =>
                  e.target.value.trim() &&
                  e.target.value !== team.name &&
                  void patchTeam(team, { name: e.target.value.trim() })
                }
              />
            ),
          },
          {
            title: t('settings.parentTeam'),
            key: 'parent',
            render: (_, team) => (
              <Select
                value={team.parentId ?? ''}
                style={{ width: 200 }}
                onChange={(parentId: string) =>
                  void patchTeam(team, { parentId: parentId || null })
                }
                options={teamOptions.filter((o) => o.value !== team.id)}
              />
            ),
          },
          { title: t('settings.memberCount'), dataIndex: 'memberCount', width: 100 },
        ]}
      />
      {addingUser ? (
        <AddDialog
          title={t('settings.addUser')}
          onClose={() => setAddingUser(false)}
          after={refresh}
          initialValues={{ role: 'rep' }}
          submit={(values: Record<string, unknown>) =>
            api.post('/users', {
              ...values,
              teamId: values.teamId || null,
              password: values.password || undefined,
            })
          }
          fields={
            <>
              <Form.Item
                name="email"
                label={t('auth.email')}
                rules={[{ required: true, type: 'email', message: t('auth.emailInvalid') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item
                name="name"
                label={t('settings.userName')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('auth.password')}
                extra={t('settings.passwordHint')}
                rules={[{ min: 8, message: t('settings.passwordHint') }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Space>
                <Form.Item name="role" label={t('settings.role')}>
                  <Select
                    style={{ width: 160 }}
                    options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                  />
                </Form.Item>
                <Form.Item name="teamId" label={t('settings.team')}>
                  <Select style={{ width: 200 }} options={teamOptions} />
                </Form.Item>
              </Space>
            </>
          }
        />
      ) : null}
      {addingTeam ? (
        <AddDialog
          title={t('settings.addTeam')}
          onClose={() => setAddingTeam(false)}
          after={refresh}
          submit={(values: Record<string, unknown>) =>
            api.post('/teams', { name: values.name, parentId: values.parentId || null })
          }
          fields={
            <>
              <Form.Item
                name="name"
                label={t('settings.teamName')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item name="parentId" label={t('settings.parentTeam')}>
                <Select options={teamOptions} />
              </Form.Item>
            </>
          }
        />
      ) : null}
    </div>
  );
}
