// The characters a name or title shown to other people may not hold (a honey jar's name and tags, a person's
// display name, a document's file name and title, a conversation's title, an API key's or passkey's name):
// control characters and the Unicode line and paragraph separators, which start path and log tricks and break
// one-line displays, and the Unicode direction
// overrides and isolates, which make "invoice\u202Efdp.exe" show as "invoiceexe.pdf" and let one person's name
// pass for another's. Nor may such a name be made of nothing visible: spaces, zero-width and other format
// characters, and the blank letters some scripts have (a jar listed with an empty name).
import { BadUserInputError } from './errors.ts';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const DIRECTION_OVERRIDE = /[\u202a-\u202e\u2066-\u2069]/u;
const EITHER = new RegExp(`${CONTROL.source}|${DIRECTION_OVERRIDE.source}`, 'gu');
/** Nothing but white space, format characters (zero-width spaces and joiners, soft hyphens, the byte-order mark) and
 * the Hangul and Braille blanks. */
const INVISIBLE = /^[\s\p{Cf}\u115f\u1160\u2800\u3164\uffa0]+$/u;

/**
 * Refuses `text` with BAD_USER_INPUT naming `field` when it holds such a character, or is not empty and shows
 * nothing; `label` starts the message.
 */
export function refuseDeceptiveCharacters(text: string, field: string, label: string = field): void {
  if (CONTROL.test(text)) throw new BadUserInputError(`${label} must not contain control characters`, field);
  if (DIRECTION_OVERRIDE.test(text))
    throw new BadUserInputError(`${label} must not contain text-direction override characters`, field);
  if (text.length > 0 && showsNothing(text))
    throw new BadUserInputError(`${label} must contain a visible character`, field);
}

/** True when `text` is empty or holds nothing a reader would see. */
export function showsNothing(text: string): boolean {
  return text.length === 0 || INVISIBLE.test(text);
}

/** `text` with those characters taken out (a name made from what someone wrote, such as a first question). */
export function withoutDeceptiveCharacters(text: string): string {
  return text.replace(EITHER, '');
}
