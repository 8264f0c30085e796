// The SPA's routes. Each capability is its own route module, so screens join as the platform grows. The
// account, administration and Beeacon screens load on demand, so they add nothing to the first visit's download.
import { lazy, Suspense, useMemo, type ComponentType, type LazyExoticComponent } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { RequireSignIn, SESSION_ENDED, signInPath, useViewer } from '../auth/session';
import { ResetPassword } from '../auth/ResetPassword';
import { SignIn } from '../auth/SignIn';
import { BeePage } from '../bee/BeePage';
import { DocumentPage } from '../documents/DocumentPage';
import { JarPage } from '../jars/JarPage';
import { JarsPage } from '../jars/JarsPage';
import { SearchPage } from '../search/SearchPage';
import { Empty, Loading } from '../ui/states';
import { createApolloClient } from './apollo';
import { Layout } from './Layout';

const AccountPage = lazy(() => import('../account/AccountPage'));
const PeoplePage = lazy(() => import('../admin/PeoplePage'));
const AuditPage = lazy(() => import('../admin/AuditPage'));
const ReviewPage = lazy(() => import('../documents/ReviewPage'));
const Beeacon = lazy(() => import('../beeacon'));

function OnDemand({ page: Page }: { page: LazyExoticComponent<ComponentType> }) {
  return (
    <Suspense fallback={<Loading />}>
      <Page />
    </Suspense>
  );
}

function AdminOnly({ page }: { page: LazyExoticComponent<ComponentType> }) {
  const viewer = useViewer();
  if (viewer.role !== 'ADMIN') return <Empty title="Only administrators can open this page." />;
  return <OnDemand page={page} />;
}

export function App() {
  const router = useMemo(
    () =>
      createBrowserRouter([
        { path: '/sign-in', element: <SignIn /> },
        { path: '/reset-password', element: <ResetPassword /> },
        {
          path: '/',
          element: (
            <RequireSignIn>
              <Layout />
            </RequireSignIn>
          ),
          children: [
            { index: true, element: <Navigate to="/jars" replace /> },
            { path: 'jars', element: <JarsPage /> },
            { path: 'jars/:id', element: <JarPage /> },
            { path: 'documents/:id', element: <DocumentPage /> },
            { path: 'review', element: <OnDemand page={ReviewPage} /> },
            { path: 'search', element: <SearchPage /> },
            { path: 'bee', element: <BeePage /> },
            { path: 'bee/:conversationId', element: <BeePage /> },
            { path: 'beeacon/*', element: <OnDemand page={Beeacon} /> },
            { path: 'account', element: <OnDemand page={AccountPage} /> },
            { path: 'people', element: <AdminOnly page={PeoplePage} /> },
            { path: 'audit', element: <AdminOnly page={AuditPage} /> },
            { path: '*', element: <Empty title="There is nothing at this address." /> },
          ],
        },
      ]),
    [],
  );
  const client = useMemo(
    () =>
      // The gateway answers 401 only to a session cookie it was sent whose session is over.
      createApolloClient(() => {
        const here = window.location.pathname + window.location.search;
        if (!here.startsWith('/sign-in')) void router.navigate(signInPath(here), { state: SESSION_ENDED });
      }),
    [router],
  );
  return (
    <ApolloProvider client={client}>
      <RouterProvider router={router} />
    </ApolloProvider>
  );
}
