// The external directory people are managed in, when there is one (Kratos mode); null with the built-in provider.
import type { SubgraphContext } from '@sting/kit';
import type { PeopleDirectory } from '../domain/people/directory.ts';
import { identitySettings } from '../domain/settings.ts';
import type { IdentityLoaders } from '../loaders.ts';

export function directoryFor(
  runtime: SubgraphContext<IdentityLoaders, 'identity'>['runtime'],
): PeopleDirectory | null {
  if (identitySettings(runtime.config).provider !== 'kratos') return null;
  return null;
}
