import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Result, Spin } from 'antd';
import { ApiError, configureApi } from '../../api/client';
import { useMe } from '../../api/queries';
import { normaliseLocale, useI18n } from '../../i18n';

/** Shows its children only when signed in; otherwise goes to the sign-in page and back. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, error, isPending } = useMe();
  const location = useLocation();
  const { t, locale, setLocale } = useI18n();
  useEffect(() => {
    if (me) configureApi({ csrfToken: me.csrfToken });
  }, [me]);
  // The language remembered on the server wins over this browser's default.
  const remembered = normaliseLocale(me?.user.locale);
  useEffect(() => {
    if (remembered && remembered !== locale) setLocale(remembered);
    // only when the signed-in user changes
  }, [me?.user.id, remembered]);
  if (isPending) return <Spin size="large" style={{ display: 'block', margin: '30vh auto' }} />;
  if (!me || (error instanceof ApiError && error.status === 401)) {
    const next = location.pathname + location.search;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (error) return <Result status="error" title={t('error.unexpected')} />;
  return <>{children}</>;
}
