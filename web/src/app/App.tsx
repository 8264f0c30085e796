// The SPA's routes. Each capability is its own route module, so screens join as the platform grows.
import { useMemo } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { AccountPage } from '../account/AccountPage';
import { RequireSignIn } from '../auth/session';
import { SignIn } from '../auth/SignIn';
import { BeeaconPage } from '../beeacon/BeeaconPage';
import { BeePage } from '../bee/BeePage';
import { DocumentPage } from '../documents/DocumentPage';
import { JarPage } from '../jars/JarPage';
import { JarsPage } from '../jars/JarsPage';
import { SearchPage } from '../search/SearchPage';
import { Empty } from '../ui/states';
import { createApolloClient } from './apollo';
import { Layout } from './Layout';

export function App() {
  const router = useMemo(
    () =>
      createBrowserRouter([
        { path: '/sign-in', element: <SignIn /> },
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
            { path: 'search', element: <SearchPage /> },
            { path: 'bee', element: <BeePage /> },
            { path: 'bee/:conversationId', element: <BeePage /> },
            { path: 'beeacon', element: <BeeaconPage /> },
            { path: 'account', element: <AccountPage /> },
            { path: '*', element: <Empty title="There is nothing at this address." /> },
          ],
        },
      ]),
    [],
  );
  const client = useMemo(
    () =>
      createApolloClient(() => {
        const here = window.location.pathname + window.location.search;
        if (!here.startsWith('/sign-in')) void router.navigate(`/sign-in?from=${encodeURIComponent(here)}`);
      }),
    [router],
  );
  return (
    <ApolloProvider client={client}>
      <RouterProvider router={router} />
    </ApolloProvider>
  );
}
