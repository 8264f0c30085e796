// Input rules for conversations and messages, checked before anything is written.
import {
  BadUserInputError,
  pageSize,
  refuseDeceptiveCharacters,
  showsNothing,
  withoutDeceptiveCharacters,
} from '@sting/kit';

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
  refuseDeceptiveCharacters(trimmed, 'title', 'The title');
  if (length(trimmed) < 1) throw new BadUserInputError('The title cannot be empty', 'title');
  if (length(trimmed) > TITLE_MAX) {
    throw new BadUserInputError(`The title is longer than ${TITLE_MAX} characters`, 'title');
  }
  return trimmed;
}

/** The most of a first question an untitled conversation takes as its title. */
export const ASKED_TITLE_MAX = 60;

/**
 * The title an untitled conversation takes from its first question: the text on one line, cut at a word within
 * ASKED_TITLE_MAX characters (…).
 */
export function titleFromQuestion(text: string): string {
  const line = [...withoutDeceptiveCharacters(text.replace(/\s+/g, ' ')).trim()];
  if (showsNothing(line.join(''))) return DEFAULT_TITLE;
  if (line.length <= ASKED_TITLE_MAX) return line.join('');
  const cut = line.slice(0, ASKED_TITLE_MAX - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > ASKED_TITLE_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Message text is kept exactly as written; it must hold something a reader can see. */
export function messageText(text: string): string {
  if (showsNothing(text)) throw new BadUserInputError('The message cannot be empty', 'text');
  if (length(text) > TEXT_MAX)
    throw new BadUserInputError(`The message is longer than ${TEXT_MAX} characters`, 'text');
  return text;
}

/** Which end of a conversation a page of messages is counted from, and how many it holds. */
export interface MessagesPage {
  count: number;
  newest: boolean;
}

export function messagesPage(args: { first?: number | null; last?: number | null }): MessagesPage {
  if (args.first != null && args.last != null)
    throw new BadUserInputError('Give first or last, not both', 'last');
  const field = args.last != null ? 'last' : 'first';
  const count = pageSize(args.last ?? args.first, { default: 50, max: MESSAGES_PAGE_MAX }, field);
  return { count, newest: args.last != null };
}

/** kit's one id validator: anything but a UUID cannot name a stored row. */
export { isId } from '@sting/kit';
