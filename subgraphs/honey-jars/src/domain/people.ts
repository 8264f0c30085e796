// Whether a person exists, for granting them membership. People belong to identity, and honey-jars keeps no copy
// of them: a copy fed by events would lag behind (a person created a moment ago could not be added) and need a
// backfill. So honey-jars asks identity, as the person making the change, with the assertion the gateway signed
// for exactly that (gateway DELEGATIONS: honey-jars → identity); it can never learn more than that person may.
import { ServiceUnavailableError, type SubgraphContext } from '@sting/kit';

export interface PeopleDirectory {
  /** True when identity knows the person (a deleted or unknown id is false). */
  exists(userId: string): Promise<boolean>;
}

const USER = `query HoneyJarsMemberExists($id: ID!) { user(id: $id) { id } }`;

/** Identity's answer through the runtime's peer link; unavailable (never "yes") when identity cannot be asked. */
export function identityPeople(
  ctx: Pick<SubgraphContext, 'runtime' | 'delegatedIdentity' | 'requestId' | 'logger'>,
): PeopleDirectory {
  return {
    async exists(userId) {
      const { peers } = ctx.runtime;
      if (!peers || !ctx.delegatedIdentity) throw new ServiceUnavailableError('identity');
      let result;
      try {
        result = await peers.execute(
          'identity',
          { query: USER, variables: { id: userId }, operationName: 'HoneyJarsMemberExists' },
          ctx.delegatedIdentity,
          ctx.requestId,
        );
      } catch (err) {
        ctx.logger.warn({ err }, 'identity could not be asked whether a person exists');
        throw new ServiceUnavailableError('identity');
      }
      if (result.errors?.length) {
        ctx.logger.warn({ errors: result.errors }, 'identity refused to say whether a person exists');
        throw new ServiceUnavailableError('identity');
      }
      return Boolean((result.data as { user?: { id: string } | null } | undefined)?.user);
    },
  };
}
