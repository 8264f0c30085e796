// Renaming a conversation: the form opens with focus in the title field, Cancel and Escape close it without
// saving, a saved title closes it, a refused one keeps it open, and focus returns to Rename whenever it closes.
import { describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { ConversationTitle } from './ConversationTitle';

function show(save: (title: string) => Promise<boolean>) {
  const onCancel = jest.fn();
  render(
    <ConversationTitle title="Old title" save={save} onCancel={onCancel}>
      <button type="button">Delete</button>
    </ConversationTitle>,
  );
  return { onCancel, rename: screen.getByRole('button', { name: 'Rename' }) };
}

const open = (rename: HTMLElement) => {
  fireEvent.click(rename);
  const field = screen.getByLabelText('Title') as HTMLInputElement;
  expect(document.activeElement).toBe(field);
  return field;
};

describe('ConversationTitle', () => {
  it('closes on Cancel and on Escape without saving, focus back on Rename', () => {
    const save = jest.fn(async () => true);
    const { onCancel, rename } = show(save);
    fireEvent.change(open(rename), { target: { value: 'Dropped' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('heading', { name: 'Old title' })).toBeTruthy();
    expect(document.activeElement).toBe(rename);

    const field = open(rename);
    expect(field.value).toBe('Old title');
    fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.queryByLabelText('Title')).toBeNull();
    expect(document.activeElement).toBe(rename);
    expect(onCancel).toHaveBeenCalledTimes(2);
    expect(save).not.toHaveBeenCalled();
  });

  it('saves the trimmed title, staying open while the server refuses it', async () => {
    const save = jest
      .fn(async (_title: string) => false)
      .mockResolvedValueOnce(false)
      .mockResolvedValueOnce(true);
    const { rename } = show(save);
    const field = open(rename);
    fireEvent.change(field, { target: { value: '  New title ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save title' })));
    expect(save).toHaveBeenLastCalledWith('New title');
    expect(field.value).toBe('  New title ');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save title' })));
    expect(screen.queryByLabelText('Title')).toBeNull();
    expect(document.activeElement).toBe(rename);
    expect(save).toHaveBeenCalledTimes(2);
  });
});
