// An external identity provider that keeps people's roles and standing (Kratos mode). Changes go there first; the
// local copy follows only once the provider has accepted them, so the two never disagree for long.
import type { Role } from '@sting/kit';

export interface DirectoryPerson {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

export interface PeopleDirectory {
  createPerson(input: {
    email: string;
    displayName: string;
    password: string;
    role: Role;
  }): Promise<DirectoryPerson>;
  setRole(id: string, role: Role): Promise<void>;
  setDisabled(id: string, disabled: boolean): Promise<void>;
  deletePerson(id: string): Promise<void>;
}
