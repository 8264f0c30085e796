// The signed-in person's own account: who they are and their role. Password, passkeys, sessions and API keys
// join this page as the platform offers them.
import { useViewer } from '../auth/session';
import { Badge } from '../ui/Badge';

export function AccountPage() {
  const viewer = useViewer();
  return (
    <section aria-labelledby="account-title" className="stack">
      <h1 id="account-title">Your account</h1>
      <dl className="card facts">
        <dt>Name</dt>
        <dd>{viewer.displayName}</dd>
        <dt>Email</dt>
        <dd>{viewer.email}</dd>
        <dt>Role</dt>
        <dd>{viewer.role && <Badge tone="info">{viewer.role}</Badge>}</dd>
        <dt>Member since</dt>
        <dd>{new Date(viewer.createdAt).toLocaleDateString()}</dd>
      </dl>
      <p>
        Developers: the <a href="/playground">GraphQL playground</a> uses this browser's session, so requests
        there run as you.
      </p>
    </section>
  );
}
