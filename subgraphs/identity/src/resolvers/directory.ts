// The external directory people are managed in, when there is one (Kratos mode); null with the built-in provider.
import type { SubgraphContext } from '@sting/kit';
import type { PeopleDirectory } from '../domain/people/directory.ts';
import { KratosDirectory } from '../domain/people/kratos-directory.ts';
import { identitySettings } from '../domain/settings.ts';
import type { IdentityLoaders } from '../loaders.ts';

type Runtime = SubgraphContext<IdentityLoaders, 'identity'>['runtime'];

// One client per runtime (its configuration never changes while it runs).
const directories = new WeakMap<Runtime, PeopleDirectory>();

export function directoryFor(runtime: Runtime): PeopleDirectory | null {
  const settings = identitySettings(runtime.config);
  if (settings.provider !== 'kratos') return null;
  let directory = directories.get(runtime);
  if (!directory) {
    directory = new KratosDirectory(settings.kratosAdminUrl);
    directories.set(runtime, directory);
  }
  return directory;
}
