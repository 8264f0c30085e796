// Picking jars among many: past a screenful the picker offers a name box that asks the server (so a jar beyond
// the first page is found), more pages on request, and jars chosen earlier stay chosen while others are shown.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { useState } from 'react';
import { createCache } from '../app/apollo';
import { JarChoicesDocument } from './documents';
import { JarPicker } from './JarPicker';

const jar = (n: number) => ({ __typename: 'HoneyJar', id: `j-${n}`, name: `Jar ${n}` });
const answer = (
  filter: Record<string, string>,
  nodes: ReturnType<typeof jar>[],
  hasNextPage: boolean,
  after?: string,
) => ({
  request: { query: JarChoicesDocument, variables: { first: 50, filter, ...(after ? { after } : {}) } },
  result: {
    data: {
      honeyJars: {
        __typename: 'HoneyJarConnection',
        nodes,
        pageInfo: {
          __typename: 'PageInfo',
          hasNextPage,
          endCursor: nodes.length ? `c-${nodes.at(-1)!.id}` : null,
        },
      },
    },
  },
});

function Picker({ onChange }: { onChange(ids: string[]): void }) {
  const [selected, setSelected] = useState<string[]>([]);
  return (
    <JarPicker
      legend="Honey jars to search"
      selected={selected}
      onChange={(ids) => {
        setSelected(ids);
        onChange(ids);
      }}
    />
  );
}

describe('JarPicker', () => {
  it('finds a jar beyond the first page by name on the server and keeps earlier choices', async () => {
    const first = Array.from({ length: 50 }, (_, i) => jar(i + 1));
    const changes = jest.fn<(ids: string[]) => void>();
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          answer({ status: 'ACTIVE' }, first, true),
          answer({ status: 'ACTIVE' }, [jar(51), jar(52)], false, 'c-j-50'),
          answer({ status: 'ACTIVE', name: 'Jar 140' }, [jar(140)], false),
        ]}
      >
        <Picker onChange={changes} />
      </MockedProvider>,
    );
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Jar 3' }));
    expect(screen.getByText(/1 chosen\./)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'More honey jars' }));
    await screen.findByRole('checkbox', { name: 'Jar 52' });
    expect(screen.getAllByRole('checkbox')).toHaveLength(52);

    fireEvent.change(screen.getByLabelText('Find a honey jar by name'), { target: { value: 'Jar 140' } });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Jar 140' }, { timeout: 2000 }));
    expect(changes).toHaveBeenLastCalledWith(['j-3', 'j-140']);
    expect(screen.getByText(/2 chosen\./)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Choose none (all)' }));
    expect(changes).toHaveBeenLastCalledWith([]);
    expect(screen.getByText('All your honey jars.')).toBeTruthy();
  });

  it('shows a few jars as they are, with no name box', async () => {
    render(
      <MockedProvider cache={createCache()} mocks={[answer({ status: 'ACTIVE' }, [jar(1), jar(2)], false)]}>
        <Picker onChange={() => undefined} />
      </MockedProvider>,
    );
    await screen.findByRole('checkbox', { name: 'Jar 2' });
    expect(screen.queryByLabelText('Find a honey jar by name')).toBeNull();
    expect(screen.queryByRole('button', { name: 'More honey jars' })).toBeNull();
  });

  it('holds at most 100 jars: the others cannot be ticked once 100 are chosen, and it says why', async () => {
    const shown = Array.from({ length: 3 }, (_, i) => jar(i + 1));
    const chosen = ['j-1', ...Array.from({ length: 99 }, (_, i) => `elsewhere-${i}`)];
    render(
      <MockedProvider cache={createCache()} mocks={[answer({ status: 'ACTIVE' }, shown, false)]}>
        <JarPicker legend="Honey jars to search" selected={chosen} onChange={() => undefined} />
      </MockedProvider>,
    );
    const ticked = (await screen.findByRole('checkbox', { name: 'Jar 1' })) as HTMLInputElement;
    expect(ticked.disabled).toBe(false); // a chosen jar can still be let go
    expect((screen.getByRole('checkbox', { name: 'Jar 2' }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText(/100 chosen\. 100 is the most one choice holds/)).toBeTruthy();
  });
});
