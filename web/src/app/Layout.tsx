// The frame around every signed-in screen: navigation, who is signed in, and signing out.
import { useApolloClient, useMutation } from '@apollo/client/react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useViewer } from '../auth/session';
import { StepUpProvider } from '../auth/step-up';
import { graphql } from '../gql';
import { Logo } from '../ui/Logo';

const LogoutDocument = graphql(`
  mutation Logout {
    logout
  }
`);

export function Layout() {
  const viewer = useViewer();
  const client = useApolloClient();
  const navigate = useNavigate();
  const [logout, { loading }] = useMutation(LogoutDocument);
  const signOut = async () => {
    await logout().catch(() => undefined);
    await client.clearStore();
    navigate('/sign-in', { replace: true });
  };
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">
          <Logo /> STING
        </span>
        <nav aria-label="Main">
          <NavLink to="/jars">Honey jars</NavLink>
          {viewer.role !== 'VIEWER' && <NavLink to="/review">Review</NavLink>}
          <NavLink to="/search">Search</NavLink>
          <NavLink to="/bee">Bee</NavLink>
          <NavLink to="/beeacon">Beeacon</NavLink>
          {viewer.role === 'ADMIN' && (
            <>
              <NavLink to="/people">People</NavLink>
              <NavLink to="/audit">Audit log</NavLink>
            </>
          )}
          <NavLink to="/account">Account</NavLink>
          <a href="/playground">Playground</a>
        </nav>
        <span className="who">
          {viewer.displayName}
          <button type="button" onClick={signOut} disabled={loading}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <StepUpProvider>
          <Outlet />
        </StepUpProvider>
      </main>
    </div>
  );
}
