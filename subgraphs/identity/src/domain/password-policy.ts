// What a new password must be, beyond its length: not one that is guessed first. Following NIST SP 800-63B
// (5.1.1.2), a password is refused when it is built on a commonly used word, is a repetition or a run of
// characters (`aaaaaaaaaaaa`, `123456789012`, `qwertyuiopas`), or is the person's own email or name; and no
// other composition rule (a digit, a capital, a symbol) is imposed. Each refusal says why, so the person can pick
// another. The list of words is short on purpose: the words guessed first in every published list of leaked
// passwords, and this product's own names, which NIST names too ("the name of the service").
import { BadUserInputError } from '@sting/kit';

/** Words a password may not be built on (compared once digits, symbols and look-alike digits are read away). */
const COMMON_WORDS = new Set(
  (
    'password passwort passphrase pass letmein welcome iloveyou admin administrator root login changeme default ' +
    'secret master monkey dragon shadow sunshine princess football baseball soccer superman batman starwars ' +
    'trustno whatever freedom computer internet qwerty azerty hello summer winter spring autumn ' +
    'sting honey honeyjar honeyjars beeacon bee bees'
  ).split(' '),
);

/** Digits and symbols written for letters (`p@ssw0rd`), read back as the letters. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

/** Runs a password may not be a stretch of, forwards or backwards: digits, the alphabet, keyboard rows. */
const RUNS = [
  '0123456789',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
];

/** Fewer different characters than this is a repetition (`abcabcabcabc` has three). */
const MIN_DISTINCT = 5;

export interface PasswordContext {
  email?: string;
  displayName?: string;
}

/** What is left of a password once separators, digits and symbols around its letters are taken away. */
function lettersOf(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}]+/gu, '');
}

/**
 * The password's letters once the digits and symbols before and after them are taken away and those between them
 * read as the letters they stand for (`P@ssw0rd2024!` is `password`).
 */
function readAsLetters(password: string): string {
  const core = password.toLowerCase().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return lettersOf([...core].map((c) => LOOK_ALIKES[c] ?? c).join(''));
}

/** Whether `word` is a common word, alone or repeated (`monkeymonkey`). */
function isCommon(word: string): boolean {
  if (COMMON_WORDS.has(word)) return true;
  for (const common of COMMON_WORDS)
    if (
      common.length >= 4 &&
      word.length > 0 &&
      word.length % common.length === 0 &&
      word === common.repeat(word.length / common.length)
    )
      return true;
  return false;
}

/** Whether `text` is one stretch of a repeated run, in either direction. */
function isRun(text: string): boolean {
  const lower = text.toLowerCase();
  return RUNS.some((run) => {
    const long = run.repeat(Math.ceil(lower.length / run.length) + 1);
    return long.includes(lower) || [...long].reverse().join('').includes(lower);
  });
}

/** Why the password would be guessed by anyone, whoever sets it; undefined when it would not. */
function commonPasswordReason(password: string): string | undefined {
  if (new Set(password.toLowerCase()).size < MIN_DISTINCT)
    return `Password must use at least ${MIN_DISTINCT} different characters`;
  if (isRun(password))
    return 'Password must not be a run of keys or characters, like 123456789012 or qwertyuiopas';
  // Built on a common word: the word alone, repeated, or with digits and symbols around it (Password2024!).
  if (isCommon(readAsLetters(password)) || isCommon(lettersOf(password)))
    return 'Password is too common: it is built on a word guessed first';
  return undefined;
}

/** Why the password would be guessed by whoever knows the person (their email or name); undefined when not. */
function personalPasswordReason(password: string, context: PasswordContext): string | undefined {
  const own = [context.email, context.email?.split('@')[0], context.displayName]
    .map((value) => lettersOf(value ?? ''))
    .filter((value) => value.length >= 3);
  const letters = [lettersOf(password), readAsLetters(password)];
  if (own.some((value) => letters.includes(value)))
    return 'Password must not be your email address or your name';
  return undefined;
}

/**
 * Why the password is one that would be guessed first, or undefined when it is not. Only its characters are read:
 * its length is checked by the caller.
 */
export function weakPasswordReason(password: string, context: PasswordContext = {}): string | undefined {
  return commonPasswordReason(password) ?? personalPasswordReason(password, context);
}

/** Refuses a password that would be guessed first, with BAD_USER_INPUT naming `field` and saying why. */
export function refuseWeakPassword(password: string, field: string, context?: PasswordContext): void {
  const reason = weakPasswordReason(password, context);
  if (reason) throw new BadUserInputError(reason, field);
}

/**
 * Refuses a password that is the person's own email or name, for a caller that has already checked the rest
 * (`refuseWeakPassword` without a context) before it knew whose password it is.
 */
export function refusePersonalPassword(password: string, field: string, context: PasswordContext): void {
  const reason = personalPasswordReason(password, context);
  if (reason) throw new BadUserInputError(reason, field);
}
