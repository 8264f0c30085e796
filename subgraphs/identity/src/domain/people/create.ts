// Creating a person: here with the built-in provider; in Kratos mode at Kratos first (with the password, which
// STING then never holds), and a local copy under the Kratos identity's id once Kratos has accepted it.
import { BadUserInputError } from '@sting/kit';
import { User } from '../../entities/user.ts';
import { requireFreshSecondFactor } from '../assurance.ts';
import { syncExternalUser } from '../external-users.ts';
import { createUser, validNewUser, type NewUser } from '../users.ts';
import type { PeopleContext } from './context.ts';

export async function createPerson(ctx: PeopleContext, input: NewUser): Promise<User> {
  const { em, directory } = ctx;
  // A new administrator is as much as a role change to ADMIN, which needs a fresh second factor: without the same
  // check here, an administrator's session without one (or an admin key) could make an administrator of its own.
  if (input.role === 'ADMIN') await requireFreshSecondFactor(em, ctx.viewer, ctx.assurance);
  if (!directory) return createUser(em, input);
  const valid = validNewUser(input);
  if ((await em.count(User, { email: valid.email })) > 0)
    throw new BadUserInputError('A user with this email already exists', 'email');
  const person = await directory.createPerson(valid);
  await syncExternalUser(em, { ...person, provider: 'kratos' });
  return em.findOneOrFail(User, { id: person.id });
}
