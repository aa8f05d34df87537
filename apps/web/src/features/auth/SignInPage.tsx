import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, configureApi } from '../../api/client';
import { meKey, useMe } from '../../api/queries';
import type { Me } from '../../api/types';
import { LOCALES, normaliseLocale, useI18n } from '../../i18n';
import { useErrorText } from '../../ui/errors';
import { Logo } from '../../ui/Logo';

export function SignInPage() {
  const { t, locale, setLocale } = useI18n();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { data: me } = useMe();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  // A language picked here, on purpose, wins over the one remembered for the account.
  const [picked, setPicked] = useState(false);
  const next = params.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';

  if (me) return <Navigate to={target} replace />;

  const onFinish = async (values: { email: string; password: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      const signedIn = await api.post<Me>('/auth/sign-in', values);
      configureApi({ csrfToken: signedIn.csrfToken });
      const remembered = picked ? null : normaliseLocale(signedIn.user.locale);
      if (remembered) setLocale(remembered);
      else if (signedIn.user.locale !== locale)
        await api.patch('/auth/me', { locale }).catch(() => undefined);
      queryClient.clear();
      queryClient.setQueryData(meKey, {
        ...signedIn,
        user: { ...signedIn.user, locale: remembered ?? locale },
      });
      void navigate(target, { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="sign-in-page">
      <Card className="sign-in-card">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Logo />
          <Select
            size="small"
            value={locale}
            options={LOCALES}
            onChange={(next) => {
              setPicked(true);
              setLocale(next);
            }}
            aria-label={t('nav.language')}
            data-testid="language-switch"
            style={{ width: 110 }}
          />
        </div>
        <Typography.Title level={3} style={{ marginTop: 24 }}>
          {t('auth.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('auth.subtitle')}</Typography.Paragraph>
        {error ? (
          <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} />
        ) : null}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} disabled={submitting}>
          <Form.Item
            name="email"
            label={t('auth.email')}
            rules={[{ required: true, type: 'email', message: t('auth.emailInvalid') }]}
          >
            <Input prefix={<MailOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting}>
            {t('auth.signIn')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
