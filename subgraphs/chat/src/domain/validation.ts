// Input rules for conversations and messages, checked before anything is written.
import { BadUserInputError } from '@sting/kit';

export const TITLE_MAX = 200;
export const TEXT_MAX = 8000;
export const MESSAGES_PAGE_MAX = 500;
export const DEFAULT_TITLE = 'New conversation';

// Counted in code points, as PostgreSQL counts characters, so an emoji is one character in both places.
const length = (s: string) => [...s].length;

/** The title to store: the default when none is given, otherwise 1–200 characters after trimming. */
export function conversationTitle(title: string | null | undefined): string {
  if (title === null || title === undefined) return DEFAULT_TITLE;
  const trimmed = title.trim();
  if (length(trimmed) < 1) throw new BadUserInputError('The title cannot be empty', 'title');
  if (length(trimmed) > TITLE_MAX) {
    throw new BadUserInputError(`The title is longer than ${TITLE_MAX} characters`, 'title');
  }
  return trimmed;
}

/** Message text is kept exactly as written; it must hold something besides whitespace. */
export function messageText(text: string): string {
  if (text.trim().length === 0) throw new BadUserInputError('The message cannot be empty', 'text');
  if (length(text) > TEXT_MAX)
    throw new BadUserInputError(`The message is longer than ${TEXT_MAX} characters`, 'text');
  return text;
}

export function messagesPageSize(first: number | null | undefined): number {
  const size = first ?? 50;
  if (!Number.isInteger(size) || size < 1 || size > MESSAGES_PAGE_MAX) {
    throw new BadUserInputError(`first must be between 1 and ${MESSAGES_PAGE_MAX}`, 'first');
  }
  return size;
}

/** kit's one id validator: anything but a UUID cannot name a stored row. */
export { isId } from '@sting/kit';
