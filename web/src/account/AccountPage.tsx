// The signed-in person's own account: who they are, their password, where they are signed in, their second
// factor (authenticator app, passkeys) and their API keys. Loaded on demand, apart from the first screen.
import { useViewer } from '../auth/session';
import { Badge } from '../ui/Badge';
import { usePageTitle } from '../ui/page-title';
import { ApiKeysSection } from './ApiKeysSection';
import { PasskeysSection } from './PasskeysSection';
import { PasswordSection } from './PasswordSection';
import { ProfileSection } from './ProfileSection';
import { SessionsSection } from './SessionsSection';
import { TotpSection } from './TotpSection';

export function AccountPage() {
  usePageTitle('Account');
  const viewer = useViewer();
  return (
    <section aria-labelledby="account-title" className="stack">
      <h1 id="account-title">Your account</h1>
      <dl className="card facts">
        <dt>Email</dt>
        <dd>{viewer.email}</dd>
        <dt>Role</dt>
        <dd>{viewer.role && <Badge tone="info">{viewer.role}</Badge>}</dd>
        <dt>Member since</dt>
        <dd>{new Date(viewer.createdAt).toLocaleDateString()}</dd>
      </dl>
      <ProfileSection />
      <PasswordSection />
      <TotpSection />
      <PasskeysSection />
      <SessionsSection />
      <ApiKeysSection role={viewer.role} />
      <p>
        Developers: the <a href="/playground">GraphQL playground</a> uses this browser's session, so requests
        there run as you.
      </p>
    </section>
  );
}

export default AccountPage;
