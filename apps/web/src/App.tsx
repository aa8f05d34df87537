import { lazy, Suspense, useEffect, useMemo } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError, configureApi } from './api/client';
import { isManagerOrAbove, meKey, useCurrentUser } from './api/queries';
import { I18nProvider, useI18n } from './i18n';
import { RequireAuth } from './features/auth/RequireAuth';
import { SignInPage } from './features/auth/SignInPage';
import { AppLayout } from './ui/AppLayout';
import { BoardPage } from './features/board/BoardPage';

// Pages other than the board load on demand, so the first page stays small.
const OpportunityListPage = lazy(() => import('./features/opportunities/OpportunityListPage'));
const OpportunityDetailPage = lazy(() => import('./features/opportunities/OpportunityDetailPage'));
const CreateOpportunityPage = lazy(() => import('./features/opportunities/CreateOpportunityPage'));
const AccountsPage = lazy(() => import('./features/accounts/AccountsPage'));
const FollowUpsPage = lazy(() => import('./features/follow-ups/FollowUpsPage'));
const SettingsPage = lazy(() => import('./features/settings/SettingsPage'));
const DashboardPage = lazy(() => import('./features/dashboard/DashboardPage'));
const TargetsPage = lazy(() => import('./features/targets/TargetsPage'));
const AuditLogPage = lazy(() => import('./features/audit/AuditLogPage'));
const ImportPage = lazy(() => import('./features/import/ImportPage'));

/** Managers and above land on the dashboard (their Monday review); reps on their board. */
function HomeRedirect() {
  const me = useCurrentUser();
  return <Navigate to={isManagerOrAbove(me.role) ? '/dashboard' : '/board'} replace />;
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });
}

function Themed({ queryClient }: { queryClient: QueryClient }) {
  const { locale } = useI18n();
  useEffect(() => {
    configureApi({
      onUnauthenticated: () => queryClient.setQueryData(meKey, null),
    });
  }, [queryClient]);
  return (
    <ConfigProvider
      locale={locale === 'zh-CN' ? zhCNLocale : enUSLocale}
      theme={{
        token: {
          colorPrimary: '#1668dc',
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
        },
      }}
    >
      <AntApp>
        <BrowserRouter>
          <Suspense fallback={<Spin style={{ margin: 48 }} />}>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
              <Route
                element={
                  <RequireAuth>
                    <AppLayout />
                  </RequireAuth>
                }
              >
                <Route index element={<HomeRedirect />} />
                <Route path="/dashboard" element={<DashboardPage />} />
                <Route path="/targets" element={<TargetsPage />} />
                <Route path="/audit" element={<AuditLogPage />} />
                <Route path="/import" element={<ImportPage />} />
                <Route path="/board" element={<BoardPage />} />
                <Route path="/opportunities" element={<OpportunityListPage />} />
                <Route path="/opportunities/new" element={<CreateOpportunityPage />} />
                <Route path="/opportunities/:id" element={<OpportunityDetailPage />} />
                <Route path="/accounts" element={<AccountsPage />} />
                <Route path="/follow-ups" element={<FollowUpsPage />} />
                <Route path="/settings/:tab?" element={<SettingsPage />} />
                <Route path="*" element={<HomeRedirect />} />
              </Route>
            </Routes>
          </Suspense>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  const queryClient = useMemo(makeQueryClient, []);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Themed queryClient={queryClient} />
      </I18nProvider>
    </QueryClientProvider>
  );
}
