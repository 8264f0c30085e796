// The roles a person can have, as the options of a select.
import type { Role } from '../gql/graphql';

export const ROLES: Role[] = ['ADMIN', 'MEMBER', 'VIEWER'];

export function RoleOptions() {
  return ROLES.map((r) => (
    <option key={r} value={r}>
      {r}
    </option>
  ));
}
