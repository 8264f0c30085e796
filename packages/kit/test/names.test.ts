// Names shown to other people: what they may not hold, and what is taken out of a name made from someone's text.
import { describe, it, expect } from '@jest/globals';
import { BadUserInputError } from '../src/errors.ts';
import { refuseDeceptiveCharacters, showsNothing, withoutDeceptiveCharacters } from '../src/names.ts';

const refusal = (text: string) => {
  try {
    refuseDeceptiveCharacters(text, 'name', 'Name');
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return (error as Error).message;
  }
};

describe('refuseDeceptiveCharacters', () => {
  it('refuses control characters, line breaks of every kind included', () => {
    for (const text of ['a\u0000b', 'a\nb', 'a\rb', 'a\tb', 'a\u007fb', 'a\u0085b', 'a\u2028b', 'a\u2029b'])
      expect(refusal(text)).toBe('Name must not contain control characters');
  });

  it('refuses direction overrides and isolates, which make one text show as another', () => {
    for (const text of ['invoice\u202Efdp.exe', 'a\u202Ab', 'a\u2066b', 'a\u2069b'])
      expect(refusal(text)).toBe('Name must not contain text-direction override characters');
  });

  it('refuses a name that shows nothing, and keeps what people write in any script', () => {
    for (const text of [' ', '\u200b\u200b', '\u00ad', '\ufeff', '\u3164', '\u2800 '])
      expect(refusal(text)).toBe('Name must contain a visible character');
    for (const text of [
      '',
      'Quarterly report',
      'Zoë’s jar',
      'قاعدة المعرفة',
      '日本語の資料',
      '👩‍💻 team',
      'می‌خواهم',
    ])
      expect(refusal(text)).toBeUndefined();
    expect(showsNothing('')).toBe(true);
    expect(showsNothing('a')).toBe(false);
  });
});

describe('withoutDeceptiveCharacters', () => {
  it('takes out controls, line separators and overrides, keeping the rest', () => {
    expect(withoutDeceptiveCharacters('What\u202E is\n the\u2028 plan?\u0000')).toBe('What is the plan?');
  });
});
