// An action on a list's item: the row's button names the item, the confirmation runs the action only when
// confirmed, stays open with the failure when it fails and closes when it succeeds; asking again starts afresh.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ConfirmAction, ItemButton, useItemAction } from './ItemAction';

interface Key {
  id: string;
  name: string;
}

function Keys({ run }: { run(key: Key): Promise<unknown> }) {
  const revoking = useItemAction<Key>();
  return (
    <>
      <ItemButton
        verb="Revoke"
        name="nightly export"
        onClick={() => revoking.ask({ id: 'k-1', name: 'nightly export' })}
      />
      <ConfirmAction
        action={revoking}
        title={(key) => `Revoke the API key “${key.name}”?`}
        confirmLabel="Revoke key"
        run={run}
      >
        <p>Scripts using it stop working at once.</p>
      </ConfirmAction>
    </>
  );
}

describe('ConfirmAction', () => {
  it('runs only when confirmed, keeps the dialog with the failure, and closes once it succeeds', async () => {
    const run = jest
      .fn<(key: Key) => Promise<unknown>>()
      .mockRejectedValueOnce(new Error('The key is in use.'))
      .mockResolvedValueOnce(true);
    render(<Keys run={run} />);
    const button = screen.getByRole('button', { name: 'Revoke nightly export' });
    expect(button.textContent).toBe('Revoke');
    fireEvent.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'Revoke the API key “nightly export”?' });
    expect(run).not.toHaveBeenCalled();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('The key is in use.');
    expect(dialog.hasAttribute('open')).toBe(true);

    // Asking again shows no earlier failure.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(dialog.hasAttribute('open')).toBe(false));
    fireEvent.click(button);
    await waitFor(() => expect(dialog.hasAttribute('open')).toBe(true));
    expect(within(dialog).queryByRole('alert')).toBeNull();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(dialog.hasAttribute('open')).toBe(false));
    expect(run).toHaveBeenCalledTimes(2);
    expect(run).toHaveBeenLastCalledWith({ id: 'k-1', name: 'nightly export' });
  });
});
