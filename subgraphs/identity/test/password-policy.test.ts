// The password policy beyond length: a password guessed first (a common word, a run or repetition of characters,
// the person's own email or name) is refused with the reason; passphrases and other passwords pass.
import { describe, it, expect } from '@jest/globals';
import { weakPasswordReason } from '../src/domain/password-policy.ts';

const person = { email: 'dara.quinn@sting.example', displayName: 'Dara Quinn' };

describe('weakPasswordReason', () => {
  it.each([
    ['aaaaaaaaaaaa', /at least 5 different characters/],
    ['abcabcabcabc', /at least 5 different characters/],
    ['123456789012', /run of keys or characters/],
    ['210987654321', /run of keys or characters/],
    ['qwertyuiopas', /run of keys or characters/],
    ['1qaz2wsx3edc', /run of keys or characters/],
    ['password1234', /too common/],
    ['P@ssw0rd2024!', /too common/],
    ['Pass-Word-2024', /too common/],
    ['monkeymonkey1', /too common/],
    ['welcome12345', /too common/],
    ['honeyjar2026!', /too common/],
    ['dara.quinn@sting.example', /your email address or your name/],
    ['DaraQuinn2024', /your email address or your name/],
    ['dara.quinn!!!', /your email address or your name/],
  ])('refuses %s', (password, reason) => {
    expect(weakPasswordReason(password, person)).toMatch(reason);
  });

  it.each([
    'correct horse battery staple',
    'a long enough password',
    'Correct-Horse-Battery-9',
    'dara-proposes-42',
    'Tr0ub4dor&3xyz',
    '8472 9931 0045',
    'password only its owner knows',
    'Crème brûlée à Zürich',
  ])('takes %s', (password) => {
    expect(weakPasswordReason(password, person)).toBeUndefined();
  });
});
