// The tab's title follows the page shown, and goes back to the app's name when the page goes.
import { describe, expect, it } from '@jest/globals';
import { renderHook } from '@testing-library/react';
import { usePageTitle } from './page-title';

describe('usePageTitle', () => {
  it("titles the tab after the page, follows a change of name, and leaves the app's name behind", () => {
    const { rerender, unmount } = renderHook(({ name }) => usePageTitle(name), {
      initialProps: { name: 'Honey jar' },
    });
    expect(document.title).toBe('Honey jar · STING');
    rerender({ name: 'Apiary notes' });
    expect(document.title).toBe('Apiary notes · STING');
    unmount();
    expect(document.title).toBe('STING');
  });
});
