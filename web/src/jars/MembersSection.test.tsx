// A jar's current members are listed; more are added by picking people by name and each can be removed; a
// refusal (e.g. a PRIVATE jar) shows the server's message and changes nothing on screen.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { GraphQLError } from 'graphql';
import { createCache } from '../app/apollo';
import { SearchPeopleDocument } from '../people/PersonPicker';
import {
  AddHoneyJarMemberDocument,
  HoneyJarMembersDocument,
  RemoveHoneyJarMemberDocument,
} from './documents';
import { MembersSection } from './MembersSection';

const bo = { __typename: 'User', id: 'u-2', displayName: 'Bo Member', email: null };
const searched = (query: string) => ({
  request: { query: SearchPeopleDocument, variables: { query, first: 10 } },
  result: { data: { searchPeople: [bo] } },
  maxUsageCount: 3,
});
const member = { __typename: 'User', id: 'u-2', displayName: 'Bo Member' };
const jar = (members: object[], more: { endCursor: string; totalCount: number } | null = null) => ({
  __typename: 'HoneyJar',
  id: 'j-1',
  members: {
    __typename: 'HoneyJarMemberConnection',
    nodes: members,
    pageInfo: { __typename: 'PageInfo', hasNextPage: more !== null, endCursor: more?.endCursor ?? null },
    totalCount: more?.totalCount ?? members.length,
  },
});
const listed = (
  members: object[],
  more: { endCursor: string; totalCount: number } | null = null,
  after?: string,
) => ({
  request: { query: HoneyJarMembersDocument, variables: after ? { id: 'j-1', after } : { id: 'j-1' } },
  result: { data: { honeyJar: jar(members, more) } },
});

async function pick(label: string, text: string) {
  const input = screen.getByRole('combobox', { name: label });
  fireEvent.change(input, { target: { value: text } });
  await screen.findByRole('option', { name: 'Bo Member' });
  fireEvent.keyDown(input, { key: 'Enter' });
}

describe('MembersSection', () => {
  it('adds a person picked by name, and removes them again', async () => {
    const added = jest.fn(() => ({ data: { addHoneyJarMember: jar([member]) } }));
    const removed = jest.fn(() => ({ data: { removeHoneyJarMember: jar([]) } }));
    const variables = { honeyJarId: 'j-1', userId: 'u-2' };
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          listed([]),
          searched('bo'),
          { request: { query: AddHoneyJarMemberDocument, variables }, result: added },
          { request: { query: RemoveHoneyJarMemberDocument, variables }, result: removed },
        ]}
      >
        <MembersSection honeyJarId="j-1" />
      </MockedProvider>,
    );
    await screen.findByText(/No members yet/, undefined, { timeout: 5000 });
    await pick('Add a member', 'bo');
    const current = await screen.findByRole('list', { name: 'Current members' }, { timeout: 5000 });
    expect(within(current).getByText(/Bo Member/)).toBeTruthy();
    expect(added).toHaveBeenCalledTimes(1);
    fireEvent.click(within(current).getByRole('button', { name: 'Remove Bo Member' }));
    await screen.findByText(/No members yet/, undefined, { timeout: 5000 });
    expect(removed).toHaveBeenCalledTimes(1);
  });

  it('shows the first page of a long member list, says how many there are, and loads the next on request', async () => {
    const ada = { __typename: 'User', id: 'u-1', displayName: 'Ada Keeper' };
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[listed([ada], { endCursor: 'c-1', totalCount: 2 }), listed([member], null, 'c-1')]}
      >
        <MembersSection honeyJarId="j-1" />
      </MockedProvider>,
    );
    await screen.findByText('In the order they were added: 1 of 2 members shown', undefined, {
      timeout: 5000,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Load more members' }));
    const current = screen.getByRole('list', { name: 'Current members' });
    await within(current).findByText(/Bo Member/, undefined, { timeout: 5000 });
    expect(within(current).getByText(/Ada Keeper/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more members' })).toBeNull();
  });

  it("shows the server's refusal and records no change", async () => {
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          listed([]),
          searched('bo'),
          {
            request: { query: AddHoneyJarMemberDocument, variables: { honeyJarId: 'j-1', userId: 'u-2' } },
            result: {
              errors: [
                new GraphQLError('Only TEAM and RESTRICTED jars have members', {
                  extensions: { code: 'BAD_USER_INPUT', requestId: 'r-5' },
                }),
              ],
            },
          },
        ]}
      >
        <MembersSection honeyJarId="j-1" />
      </MockedProvider>,
    );
    await pick('Add a member', 'bo');
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Only TEAM and RESTRICTED jars have members Request id: r-5',
    );
    expect(screen.queryByRole('list', { name: 'Current members' })).toBeNull();
  });
});
