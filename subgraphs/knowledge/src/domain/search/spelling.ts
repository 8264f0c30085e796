// Typing slips in a query: the words one edit away from a word (the candidates looked up in the jars' vocabulary)
// and the edit distance that decides which of the jars' words a slip most likely meant. An edit is a letter
// dropped, added, changed, or two neighbours swapped (optimal string alignment distance). And the case a word
// taken for a slip is written in.

const LATIN = 'abcdefghijklmnopqrstuvwxyz';

/** Slips longer than this are never guessed at (each would give thousands of candidates). */
export const MAX_SLIP_LENGTH = 40;

/**
 * Every string one edit away from `word`: each letter dropped, each pair of neighbours swapped, each letter
 * changed and each position given one more letter, from a–z and the word's own letters (so "zurich" can become
 * "zürich" when the word was typed with an umlaut elsewhere).
 */
export function oneEditAway(word: string): string[] {
  const letters = [...word];
  if (letters.length === 0 || letters.length > MAX_SLIP_LENGTH) return [];
  const alphabet = [...new Set([...LATIN, ...letters])];
  const out = new Set<string>();
  for (let i = 0; i <= letters.length; i++) {
    const head = letters.slice(0, i).join('');
    const tail = letters.slice(i);
    if (tail.length > 0) out.add(head + tail.slice(1).join(''));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2).join(''));
    for (const letter of alphabet) {
      if (tail.length > 0) out.add(head + letter + tail.slice(1).join(''));
      out.add(head + letter + tail.join(''));
    }
  }
  out.delete(word);
  return [...out];
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  // Three rows of the dynamic programme: two back (for swaps), one back, this one.
  let before = new Array<number>(t.length + 1).fill(0);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  let current = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    current[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, before[j - 2] + 1);
      }
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[t.length];
}

/**
 * How many edits a slip in a word of this length may hold: one up to 5 letters, two beyond (the rule search
 * engines call AUTO fuzziness). Two edits turn too many short words into others ("money" into "month").
 */
export function allowedEdits(length: number): number {
  return length <= 5 ? 1 : 2;
}

/** `word` with its first character a capital (a whole character, not half of a surrogate pair). */
export function withCapital(word: string): string {
  const [first] = word;
  return first === undefined ? word : first.toUpperCase() + word.slice(first.length);
}

/**
 * `word` written in the case of `typed`: all capitals, a capital first, or as it is. Characters are whole code
 * points: a slip typed with a capital outside the Basic Multilingual Plane (Deseret, say) gives a capital too.
 */
export function inCaseOf(typed: string, word: string): string {
  if ([...typed].length > 1 && typed === typed.toUpperCase() && typed !== typed.toLowerCase()) {
    return word.toUpperCase();
  }
  const [first] = typed;
  return first !== undefined && first !== first.toLowerCase() ? withCapital(word) : word;
}
