// Who is signed in, read from the gateway (`me`) with the session cookie; the app never holds the token itself.
import { createContext, useContext, type ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { Navigate, useLocation } from 'react-router';
import { graphql } from '../gql';
import type { MeQuery } from '../gql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/states';

export const MeDocument = graphql(`
  query Me {
    me {
      id
      email
      displayName
      role
      createdAt
    }
  }
`);

export type Viewer = NonNullable<MeQuery['me']>;

const SessionContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  const viewer = useContext(SessionContext);
  if (!viewer) throw new Error('useViewer outside a signed-in page');
  return viewer;
}

/** The signed-in person where there is one (parts that also render outside a signed-in page). */
export function useOptionalViewer(): Viewer | null {
  return useContext(SessionContext);
}

/** The sign-in page's address, which comes back to `from` (a path of this app) after signing in. */
export function signInPath(from: string): string {
  return `/sign-in?from=${encodeURIComponent(from)}`;
}

/** What the sign-in page is told, as its navigation's state, when a session it should mention has ended. */
export interface SignInState {
  sessionEnded: boolean;
}

export const SESSION_ENDED: SignInState = { sessionEnded: true };

/** Renders its children for a signed-in person; anyone else goes to sign in and comes back here after. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const location = useLocation();
  const { data, previousData, loading, error } = useQuery(MeDocument, { fetchPolicy: 'cache-and-network' });
  if (loading && !data) return <Loading label="Checking your session" />;
  if (error && !data) return <ErrorNotice error={error} />;
  if (!data?.me) {
    // Only someone this page saw signed in is told their session ended; a first visit just signs in.
    const state = previousData?.me ? SESSION_ENDED : undefined;
    return <Navigate to={signInPath(location.pathname + location.search)} state={state} replace />;
  }
  return <SessionContext.Provider value={data.me}>{children}</SessionContext.Provider>;
}
