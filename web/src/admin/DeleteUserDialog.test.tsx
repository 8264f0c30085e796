// Deleting a person: their jars go to someone picked by name (the typeahead asks searchPeople once the typing
// settles, from two letters, and is used with the keyboard), or are deleted; nothing is sent until the choice
// is complete.
import { describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { createCache } from '../app/apollo';
import { SearchPeopleDocument } from '../people/PersonPicker';
import { DeleteUserDocument } from './documents';
import { DeleteUserDialog } from './DeleteUserDialog';

const person = (id: string, displayName: string) => ({
  __typename: 'User',
  id,
  displayName,
  email: `${id}@example.com`,
});

describe('DeleteUserDialog', () => {
  it('hands the jars to a person picked with the keyboard', async () => {
    const search = jest.fn(() => ({
      data: {
        searchPeople: [person('u-1', 'Ada Member'), person('u-2', 'Bo Member'), person('u-3', 'Bob Keeper')],
      },
    }));
    const deleted = jest.fn(() => ({ data: { deleteUser: true } }));
    const onDeleted = jest.fn();
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          { request: { query: SearchPeopleDocument, variables: { query: 'bo', first: 10 } }, result: search },
          {
            request: {
              query: DeleteUserDocument,
              variables: { input: { id: 'u-1', honeyJars: 'TRANSFER', transferTo: 'u-3' } },
            },
            result: deleted,
          },
        ]}
      >
        <DeleteUserDialog
          user={{ id: 'u-1', displayName: 'Ada Member' }}
          onClose={() => undefined}
          onDeleted={onDeleted}
        />
      </MockedProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Delete person' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Pick the person who receives the honey jars.',
    );

    const input = screen.getByRole('combobox', { name: 'New owner of the honey jars' });
    fireEvent.change(input, { target: { value: 'b' } });
    // One letter asks nothing.
    await act(() => new Promise((resolve) => setTimeout(resolve, 300)));
    expect(search).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: 'bo' } });
    const options = await screen.findAllByRole('option');
    // The person being deleted is not offered.
    expect(options.map((o) => o.textContent)).toEqual([
      'Bo Member · u-2@example.com',
      'Bob Keeper · u-3@example.com',
    ]);
    expect(input.getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(options[1]!.id);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByText('Bob Keeper').closest('p')!.textContent).toContain('New owner: Bob Keeper');

    fireEvent.click(screen.getByRole('button', { name: 'Delete person' }));
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
    expect(deleted).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledTimes(1);
  });

  it('deletes the jars with the person when asked to', async () => {
    const onDeleted = jest.fn();
    render(
      <MockedProvider
        mocks={[
          {
            request: { query: DeleteUserDocument, variables: { input: { id: 'u-1', honeyJars: 'DELETE' } } },
            result: { data: { deleteUser: true } },
          },
        ]}
      >
        <DeleteUserDialog
          user={{ id: 'u-1', displayName: 'Ada Member' }}
          onClose={() => undefined}
          onDeleted={onDeleted}
        />
      </MockedProvider>,
    );
    fireEvent.click(screen.getByRole('radio', { name: 'Delete them with their documents' }));
    expect(screen.queryByRole('combobox')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Delete person' }));
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
  });
});
