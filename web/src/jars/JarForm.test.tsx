// Editing a shared jar into one without members says, before saving, that its members will be removed.
import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { JarForm } from './JarForm';

const form = (type: 'TEAM' | 'PRIVATE') =>
  render(
    <JarForm
      initial={{ name: 'Field notes', description: '', type, tags: [] }}
      submitLabel="Save"
      busy={false}
      onSubmit={() => undefined}
    />,
  );

describe('JarForm', () => {
  it('warns that a TEAM jar made private or public loses its members, and not when it stays shared', () => {
    form('TEAM');
    expect(screen.queryByRole('note')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: /Private/ }));
    expect(screen.getByRole('note').textContent).toContain('removes everyone you added');
    fireEvent.click(screen.getByRole('radio', { name: /Restricted/ }));
    expect(screen.queryByRole('note')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: /Public/ }));
    expect(screen.getByRole('note').textContent).toContain('A public jar has no members');
  });

  it('says nothing for a jar that had no members to lose', () => {
    form('PRIVATE');
    fireEvent.click(screen.getByRole('radio', { name: /Public/ }));
    expect(screen.queryByRole('note')).toBeNull();
  });
});
