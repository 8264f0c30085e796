// The People screen: filters sent as the users filter, pages appended, your own row without actions, a role
// chosen saved only with Save (confirmed through the step-up dialog when the server asks for it) or put back with
// Cancel, disabling a person, adding one through the New person dialog, and a password-reset link, after which
// focus is back on the button that asked for it.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { GraphQLError } from 'graphql';
import { MemoryRouter } from 'react-router';
import { createCache } from '../app/apollo';
import { MeDocument, RequireSignIn } from '../auth/session';
import { StepUpProvider, VerifySecondFactorDocument } from '../auth/step-up';
import {
  CreatePasswordResetLinkDocument,
  CreateUserDocument,
  DisableUserDocument,
  SetUserRoleDocument,
  UsersDocument,
} from './documents';
import { PeoplePage } from './PeoplePage';

const me = {
  __typename: 'User',
  id: 'u-admin',
  email: 'admin@example.com',
  displayName: 'Admin',
  role: 'ADMIN',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const person = (id: string, displayName: string, role = 'MEMBER', disabled = false) => ({
  __typename: 'User',
  id,
  displayName,
  email: `${id}@example.com`,
  role,
  disabled,
  lastSignInAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
});
const page = (
  people: ReturnType<typeof person>[],
  endCursor: string | null,
  hasNextPage: boolean,
  total: number,
) => ({
  data: {
    users: {
      __typename: 'UserConnection',
      edges: people.map((node) => ({ __typename: 'UserEdge', cursor: `c-${node.id}`, node })),
      pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor },
      totalCount: total,
    },
  },
});

/** A mutation's results: first the server asking for a fresh second factor, then `data`. */
const afterStepUp = (data: unknown) =>
  jest
    .fn()
    .mockReturnValueOnce({
      errors: [
        new GraphQLError('Confirm with your second factor', { extensions: { code: 'STEP_UP_REQUIRED' } }),
      ],
    })
    .mockReturnValueOnce({ data });

function renderPeople(mocks: any[]) {
  return render(
    <MockedProvider
      cache={createCache()}
      mocks={[{ request: { query: MeDocument }, result: { data: { me } } }, ...mocks]}
    >
      <MemoryRouter>
        <RequireSignIn>
          <StepUpProvider>
            <PeoplePage />
          </StepUpProvider>
        </RequireSignIn>
      </MemoryRouter>
    </MockedProvider>,
  );
}

describe('PeoplePage', () => {
  it('searches, appends the next page, and keeps your own row free of actions', async () => {
    renderPeople([
      {
        request: { query: UsersDocument, variables: { filter: {}, first: 20 } },
        result: page([person('u-admin', 'Admin', 'ADMIN'), person('u-1', 'Ada')], 'c1', false, 2),
      },
      {
        request: { query: UsersDocument, variables: { filter: { search: 'bo', role: 'VIEWER' }, first: 20 } },
        result: page([person('u-2', 'Bo', 'VIEWER')], 'c2', true, 2),
      },
      {
        request: {
          query: UsersDocument,
          variables: { filter: { search: 'bo', role: 'VIEWER' }, first: 20, after: 'c2' },
        },
        result: page([person('u-3', 'Bob', 'VIEWER', true)], 'c3', false, 2),
      },
    ]);
    const own = (await screen.findByText('You')).closest('tr')!;
    expect(within(own).queryByRole('button')).toBeNull();
    expect((within(own).getByRole('combobox') as HTMLSelectElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Name or email'), { target: { value: ' bo ' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'VIEWER' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText('Bo');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    const bob = (await screen.findByText('Bob')).closest('tr')!;
    expect(within(bob).getByText('Disabled')).toBeTruthy();
    expect(within(bob).getByRole('button', { name: 'Enable Bob' })).toBeTruthy();
    expect(screen.getAllByRole('row')).toHaveLength(3);
  });

  it('changes a role, and disables a person, after the step-up dialog confirms a code', async () => {
    const setRole = afterStepUp({ setUserRole: { __typename: 'User', id: 'u-1', role: 'VIEWER' } });
    const verify = jest.fn(() => ({ data: { verifySecondFactor: true } }));
    // Disabling (an administrator) asks for the second factor the same way.
    const disable = afterStepUp({ disableUser: { __typename: 'User', id: 'u-1', disabled: true } });
    renderPeople([
      {
        request: { query: UsersDocument, variables: { filter: {}, first: 20 } },
        result: page([person('u-1', 'Ada')], null, false, 1),
      },
      {
        request: { query: SetUserRoleDocument, variables: { id: 'u-1', role: 'VIEWER' } },
        result: setRole,
        maxUsageCount: 2,
      },
      {
        request: { query: VerifySecondFactorDocument, variables: { code: '246810' } },
        result: verify,
        maxUsageCount: 2,
      },
      {
        request: { query: DisableUserDocument, variables: { id: 'u-1' } },
        result: disable,
        maxUsageCount: 2,
      },
    ]);
    const select = (await screen.findByLabelText('Role of Ada')) as HTMLSelectElement;
    fireEvent.change(select, { target: { value: 'VIEWER' } });
    expect(setRole).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Save role of Ada' }));
    const dialog = await screen.findByRole('dialog', { name: 'Confirm with your authenticator code' });
    fireEvent.change(within(dialog).getByLabelText('Authenticator code'), { target: { value: '246810' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    await screen.findByText('Ada is now VIEWER.');
    expect(select.value).toBe('VIEWER');
    expect(document.activeElement).toBe(select);
    expect(screen.queryByRole('button', { name: 'Save role of Ada' })).toBeNull();
    expect(setRole).toHaveBeenCalledTimes(2);
    expect(verify).toHaveBeenCalledTimes(1);

    const disableButton = screen.getByRole('button', { name: 'Disable Ada' });
    disableButton.focus();
    fireEvent.click(disableButton);
    const again = await screen.findByRole('dialog', { name: 'Confirm with your authenticator code' });
    fireEvent.change(within(again).getByLabelText('Authenticator code'), { target: { value: '246810' } });
    fireEvent.click(within(again).getByRole('button', { name: 'Confirm' }));
    const enable = await screen.findByRole('button', { name: 'Enable Ada' });
    expect(disable).toHaveBeenCalledTimes(2);
    expect(within(enable.closest('tr')!).getByText('Disabled')).toBeTruthy();
    // The same button, still holding focus once the step-up dialog closed.
    expect(document.activeElement).toBe(enable);
  });

  it('puts the role back on Cancel, and keeps the choice with the failure when saving fails', async () => {
    const setRole = jest.fn(() => ({ errors: [new GraphQLError('An administrator must remain')] }));
    renderPeople([
      {
        request: { query: UsersDocument, variables: { filter: {}, first: 20 } },
        result: page([person('u-1', 'Ada', 'ADMIN')], null, false, 1),
      },
      { request: { query: SetUserRoleDocument, variables: { id: 'u-1', role: 'MEMBER' } }, result: setRole },
    ]);
    const select = (await screen.findByLabelText('Role of Ada')) as HTMLSelectElement;
    fireEvent.change(select, { target: { value: 'VIEWER' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel role change of Ada' }));
    expect(select.value).toBe('ADMIN');
    expect(document.activeElement).toBe(select);
    expect(screen.queryByRole('button', { name: 'Save role of Ada' })).toBeNull();

    fireEvent.change(select, { target: { value: 'MEMBER' } });
    const save = screen.getByRole('button', { name: 'Save role of Ada' });
    save.focus();
    fireEvent.click(save);
    expect((await screen.findByRole('alert')).textContent).toContain('An administrator must remain');
    expect(select.value).toBe('MEMBER');
    expect(document.activeElement).toBe(save);
    expect(setRole).toHaveBeenCalledTimes(1);
  });

  it('adds a person: checks the password first, shows what the server refuses, then lists them', async () => {
    const password = 'correct horse battery';
    const input = { email: 'cy@example.com', displayName: 'Cy', role: 'VIEWER', password };
    const create = jest
      .fn()
      .mockReturnValueOnce({
        errors: [
          new GraphQLError('A user with this email already exists', {
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        ],
      })
      .mockReturnValueOnce({ data: { createUser: person('cy', 'Cy', 'VIEWER') } });
    renderPeople([
      {
        request: { query: UsersDocument, variables: { filter: {}, first: 20 } },
        result: page([person('u-1', 'Ada')], null, false, 1),
      },
      { request: { query: CreateUserDocument, variables: { input } }, result: create, maxUsageCount: 2 },
      {
        request: { query: UsersDocument, variables: { filter: {}, first: 20 } },
        result: page([person('u-1', 'Ada'), person('cy', 'Cy', 'VIEWER')], null, false, 2),
      },
    ]);
    await screen.findByText('Ada');
    fireEvent.click(screen.getByRole('button', { name: 'New person' }));
    const dialog = await screen.findByRole('dialog', { name: 'New person' });
    expect((within(dialog).getByLabelText('Role') as HTMLSelectElement).value).toBe('MEMBER');
    fireEvent.change(within(dialog).getByLabelText('Email'), { target: { value: ' cy@example.com ' } });
    fireEvent.change(within(dialog).getByLabelText('Display name'), { target: { value: 'Cy' } });
    fireEvent.change(within(dialog).getByLabelText('Role'), { target: { value: 'VIEWER' } });
    fireEvent.change(within(dialog).getByLabelText('New password'), { target: { value: 'short' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add person' }));
    expect(within(dialog).getByRole('alert').textContent).toContain('at least 12 characters');
    expect(create).not.toHaveBeenCalled();

    fireEvent.change(within(dialog).getByLabelText('New password'), { target: { value: password } });
    fireEvent.change(within(dialog).getByLabelText('Repeat the new password'), {
      target: { value: password },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add person' }));
    expect(
      (await within(dialog).findByText('A user with this email already exists')).closest('[role=alert]'),
    ).toBeTruthy();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Add person' }));
    await screen.findByText('Cy was added. Hand them their password to sign in with.');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(await screen.findByLabelText('Role of Cy')).toBeTruthy();
    expect(create).toHaveBeenCalledTimes(2);
  });

  it('gives focus back to Reset link when the link dialog closes, after the step-up dialog', async () => {
    const createLink = afterStepUp({
      createPasswordResetLink: {
        __typename: 'PasswordResetLink',
        url: 'https://sting.example/reset-password#token=abc',
        expiresAt: '2026-12-01T10:00:00.000Z',
      },
    });
    renderPeople([
      {
        request: { query: UsersDocument, variables: { filter: {}, first: 20 } },
        result: page([person('u-1', 'Ada')], null, false, 1),
      },
      {
        request: { query: CreatePasswordResetLinkDocument, variables: { userId: 'u-1' } },
        result: createLink,
        maxUsageCount: 2,
      },
      {
        request: { query: VerifySecondFactorDocument, variables: { code: '246810' } },
        result: { data: { verifySecondFactor: true } },
      },
    ]);
    const button = (await screen.findByRole('button', {
      name: 'Password-reset link for Ada',
    })) as HTMLButtonElement;
    button.focus();
    fireEvent.click(button);
    const stepUp = await screen.findByRole('dialog', { name: 'Confirm with your authenticator code' });
    // While the link is made the button stays focusable (a disabled one would drop focus to the page), and a
    // press meanwhile asks for nothing more.
    expect(button.disabled).toBe(false);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(button);
    fireEvent.change(within(stepUp).getByLabelText('Authenticator code'), { target: { value: '246810' } });
    fireEvent.click(within(stepUp).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(stepUp.hasAttribute('open')).toBe(false));
    expect(document.activeElement).toBe(button);

    const dialog = await screen.findByRole('dialog', { name: 'Password-reset link for Ada' });
    expect(dialog.textContent).toContain('https://sting.example/reset-password#token=abc');
    await waitFor(() => expect(button.getAttribute('aria-disabled')).toBe('false'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(dialog.hasAttribute('open')).toBe(false));
    expect(document.activeElement).toBe(button);
    expect(createLink).toHaveBeenCalledTimes(2);
  });
});
