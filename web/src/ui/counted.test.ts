import { describe, expect, it } from '@jest/globals';
import { counted } from './counted';

describe('counted', () => {
  it('puts the noun in the number the count asks for', () => {
    expect(counted(1, 'passage')).toBe('1 passage');
    expect(counted(0, 'passage')).toBe('0 passages');
    expect(counted(1204, 'record')).toBe('1,204 records');
    expect(counted(1, 'person', 'people')).toBe('1 person');
    expect(counted(3, 'person', 'people')).toBe('3 people');
  });
});
