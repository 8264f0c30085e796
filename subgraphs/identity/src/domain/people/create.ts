// Creating a person: here with the built-in provider; in Kratos mode at Kratos first (with the password, which
// STING then never holds), and a local copy under the Kratos identity's id once Kratos has accepted it.
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError } from '@sting/kit';
import { User } from '../../entities/user.ts';
import { syncExternalUser } from '../external-users.ts';
import { createUser, validNewUser, type NewUser } from '../users.ts';
import type { PeopleDirectory } from './directory.ts';

export async function createPerson(
  em: EntityManager,
  directory: PeopleDirectory | null,
  input: NewUser,
): Promise<User> {
  if (!directory) return createUser(em, input);
  const valid = validNewUser(input);
  if ((await em.count(User, { email: valid.email })) > 0)
    throw new BadUserInputError('A user with this email already exists', 'email');
  const person = await directory.createPerson(valid);
  await syncExternalUser(em, { ...person, provider: 'kratos' });
  return em.findOneOrFail(User, { id: person.id });
}
